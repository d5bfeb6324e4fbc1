// Package webtest holds checks of the WebSocket protocol's frames that the
// web tests (in-process) and the cli tests (across processes) both make.
package webtest

import (
	"bytes"
	"encoding/json"
	"testing"

	"golf/game"
)

// cardKey names a physical card: rank, suit and deck.
type cardKey struct {
	rank, suit string
	deck       float64
}

// A Frame is a frame a client received; Raw returns it as the server sent it.
type Frame interface{ Raw() []byte }

// CheckNoLeaks replays log and checks every state frame a client received
// (frames, in the order received) against the true state at that
// frame's sequence number: the frame's view is exactly the engine's view for
// seat, and no card named anywhere in the frame (events included, fields the
// client ignores included) is one the receiver may not know at that moment.
// last_round and result describe finished rounds, whose hands are public.
func CheckNoLeaks[F Frame](t testing.TB, who string, seat int, frames []F, log []game.Event) {
	t.Helper()
	states := 0
	st := new(game.State)
	applied := 0
	for _, f := range frames {
		raw := f.Raw()
		for _, banned := range []string{`"seed"`, `"RoundStarted"`, `"GameStarted"`, `"deck":[`} {
			if bytes.Contains(raw, []byte(banned)) {
				t.Fatalf("%s: frame contains %s: %s", who, banned, raw)
			}
		}
		var head struct {
			Type string `json:"type"`
			Seq  int64  `json:"seq"`
		}
		json.Unmarshal(raw, &head)
		if head.Type != "state" {
			continue
		}
		states++
		if int(head.Seq) < applied {
			// A new connection starts from the state as it is: never older.
			t.Fatalf("%s: seq went back from %d to %d", who, applied, head.Seq)
		}
		for ; applied < int(head.Seq); applied++ {
			if err := st.Apply(log[applied]); err != nil {
				t.Fatal(err)
			}
		}
		want := st.View(seat)
		wantJSON, _ := json.Marshal(want)
		var fields map[string]json.RawMessage
		json.Unmarshal(raw, &fields)
		if !JSONEqual(fields["view"], wantJSON) {
			t.Fatalf("%s: at seq %d the view differs from the log's\n got %s\nwant %s", who, head.Seq, fields["view"], wantJSON)
		}
		visible := map[cardKey]bool{}
		add := func(c game.Card) {
			if !c.IsZero() {
				visible[keyOf(c)] = true
			}
		}
		for _, sv := range want.Seats {
			for _, sl := range sv.Cards {
				if sl.Up {
					add(sl.Card)
				}
			}
		}
		for _, c := range want.Discard {
			add(c)
		}
		if want.Held != nil {
			add(want.Held.Card)
		}
		var tree map[string]any
		json.Unmarshal(raw, &tree)
		if v, ok := tree["view"].(map[string]any); ok {
			delete(v, "last_round")
			delete(v, "result")
		}
		walkCards(tree, func(k cardKey) {
			if !visible[k] {
				t.Fatalf("%s (seat %d): frame at seq %d names %v, which it may not know: %s", who, seat, head.Seq, k, raw)
			}
		})
	}
	if states == 0 {
		t.Fatalf("%s received no state", who)
	}
}

func keyOf(c game.Card) cardKey {
	b, _ := json.Marshal(c)
	var m map[string]any
	json.Unmarshal(b, &m)
	s, _ := m["suit"].(string)
	return cardKey{m["rank"].(string), s, m["deck"].(float64)}
}

// walkCards calls f for every card object ({"rank":…}) anywhere in v.
func walkCards(v any, f func(cardKey)) {
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["rank"].(string); ok {
			s, _ := v["suit"].(string)
			d, _ := v["deck"].(float64)
			f(cardKey{r, s, d})
			return
		}
		for _, x := range v {
			walkCards(x, f)
		}
	case []any:
		for _, x := range v {
			walkCards(x, f)
		}
	}
}

// JSONEqual reports whether a and b are the same JSON value (objects'
// members in any order).
func JSONEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
