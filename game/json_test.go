package game

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// referenceEvent is MarshalEvent as encoding/json alone writes it.
func referenceEvent(t *testing.T, e Event) []byte {
	t.Helper()
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(envelope{Type: e.Type(), V: EventVersion, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAppendJSONMatchesEncodingJSON plays random games (departures,
// autoplay, every option) and checks after every command that the
// appending encoders write exactly what encoding/json writes: every
// seat's view and a spectator's, every legal move, every event and every
// seat's redaction of it. So the leak tests, which read encoding/json's
// output, speak for the bytes the server sends.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	games := 400
	if testing.Short() {
		games = 60
	}
	var views, events int
	var buf []byte
	for gi := range games {
		r := rand.New(rand.NewPCG(uint64(gi), 0x75e1))
		g := &randomGame{t: t, r: r, live: new(State), garbage: 0.1, leaves: true}
		g.onEvents = func(c Command, evs []Event) {
			for _, e := range evs {
				for seat := Spectator - 1; seat <= g.live.n; seat++ {
					x := e
					if seat >= Spectator {
						var ok bool
						if x, ok = Redact(e, seat, g.live); !ok {
							continue
						}
					}
					var err error
					buf, err = AppendEvent(buf[:0], x)
					if err != nil {
						t.Fatal(err)
					}
					if want := referenceEvent(t, x); !bytes.Equal(buf, want) {
						t.Fatalf("game %d: %s for seat %d:\n got %s\nwant %s", gi, x.Type(), seat, buf, want)
					}
					events++
				}
			}
		}
		check := func() {
			var moves []Command
			for seat := Spectator; seat < g.live.n; seat++ {
				v := g.live.View(seat)
				buf = v.AppendJSON(buf[:0])
				want, err := json.Marshal(&v)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(buf, want) {
					t.Fatalf("game %d, seat %d, phase %v:\n got %s\nwant %s", gi, seat, v.Phase, buf, want)
				}
				views++
				moves = v.Moves(moves[:0])
				for _, m := range moves {
					buf, err = m.AppendJSON(buf[:0])
					want, err2 := m.MarshalJSON()
					if err != nil || err2 != nil || !bytes.Equal(buf, want) {
						t.Fatalf("move %v: got %s (%v), want %s (%v)", m.Kind, buf, err, want, err2)
					}
				}
			}
		}
		g.setup()
		for step := 0; g.step(); step++ {
			if step%3 == 0 {
				check()
			}
		}
		check()
	}
	t.Logf("%d views, %d events", views, events)
}

// TestAppendJSONStrings: names and ids are whatever players type; the
// escaping is encoding/json's, HTML-safe characters, invalid UTF-8 and
// line separators included.
func TestAppendJSONStrings(t *testing.T) {
	t.Parallel()
	cases := []string{"", "Ann", `quote " and \ back`, "<b>&amp;</b>", "tab\tnew\nline\x00\x1f",
		"Zoë 李 🂡", "\u2028\u2029", "bad \xff\xfe utf-8", "\x7f del"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
		e := PlayerJoined{PlayerID: s, Name: s, Profile: s}
		got, err := AppendEvent(nil, e)
		if err != nil || !bytes.Equal(got, referenceEvent(t, e)) {
			t.Errorf("PlayerJoined %q: %s, %v", s, got, err)
		}
	}
}

// TestAppendEventOtherTypes: an Event this package does not know is
// still encoded, by encoding/json.
func TestAppendEventOtherTypes(t *testing.T) {
	t.Parallel()
	e := otherEvent{N: 7}
	got, err := AppendEvent([]byte("prefix"), e)
	if err != nil || string(got) != `prefix{"type":"Other","v":1,"data":{"n":7}}` {
		t.Errorf("got %s, %v", got, err)
	}
	var c Command
	c.Kind = CmdStartGame
	if _, err := c.AppendJSON(nil); err == nil {
		t.Error("a command without a wire form was encoded")
	}
}

type otherEvent struct {
	N int `json:"n"`
}

func (otherEvent) Type() string  { return "Other" }
func (otherEvent) Actor() string { return "" }
