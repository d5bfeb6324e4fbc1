package game

import (
	"bytes"
	"encoding/json"

	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// strictEvent is UnmarshalEvent without its fast path.
func strictEvent(b []byte) (Event, error) {
	var env envelope
	if err := strictDecode(b, &env); err != nil {
		return nil, err
	}
	return DecodeEvent(env.Type, env.V, env.Data)
}

// jsonbText writes b as PostgreSQL's JSONB prints it: keys sorted by
// length, then bytes; ", " and ": " between items.
func jsonbText(t testing.TB, b []byte) []byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var write func(v any)
	write = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, func(a, b string) int {
				if len(a) != len(b) {
					return len(a) - len(b)
				}
				return strings.Compare(a, b)
			})
			out.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					out.WriteString(", ")
				}
				kb, _ := json.Marshal(k)
				out.Write(kb)
				out.WriteString(": ")
				write(v[k])
			}
			out.WriteByte('}')
		case []any:
			out.WriteByte('[')
			for i, x := range v {
				if i > 0 {
					out.WriteString(", ")
				}
				write(x)
			}
			out.WriteByte(']')
		default:
			vb, _ := json.Marshal(v)
			out.Write(vb)
		}
	}
	write(v)
	return out.Bytes()
}

// TestDecodeFastMatchesStrict: every event of random games (every type,
// departures, autoplay, every option), as SQLite keeps it (MarshalEvent's
// bytes) and as PostgreSQL returns it (JSONB text), decodes on the fast
// path, and to exactly what the strict decoder makes of it.
func TestDecodeFastMatchesStrict(t *testing.T) {
	t.Parallel()
	games := 150
	if testing.Short() {
		games = 30
	}
	var fast, all int
	for gi := range games {
		r := rand.New(rand.NewPCG(uint64(gi), 0xdec0))
		g := &randomGame{t: t, r: r, live: new(State), garbage: 0.1, leaves: true}
		g.onEvents = func(c Command, evs []Event) {
			for _, e := range evs {
				canon, err := MarshalEvent(e)
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range [][]byte{canon, jsonbText(t, canon)} {
					want, err := strictEvent(b)
					if err != nil {
						t.Fatalf("%s: %v", b, err)
					}
					got, ok := decodeFast(b)
					if !ok {
						t.Fatalf("fast path not taken for %s", b)
					}
					if ok && !reflect.DeepEqual(got, want) {
						t.Fatalf("%s:\nfast   %#v\nstrict %#v", b, got, want)
					}
					if ok {
						fast++
					}
					all++
				}
			}
		}
		g.setup()
		for g.step() {
		}
	}
	t.Logf("%d of %d encodings on the fast path", fast, all)
}

// TestDecodeFastDeclines: input whose meaning is not plain goes to the
// strict decoder, which decides (and sometimes accepts it).
func TestDecodeFastDeclines(t *testing.T) {
	t.Parallel()
	const card = `{"rank":"Q","suit":"H","deck":0}`
	for _, b := range []string{
		`{"type":"FlipSkipped","v":1,"data":{"player_id":"a","player_id":"b"}}`, // duplicate: the last wins
		`{"type":"FlipSkipped","v":1,"data":{"Player_ID":"a"}}`,                 // keys match case-insensitively
		`{"type":"FlipSkipped","v":1,"data":{"player_id":"\u0061"}}`,            // escapes
		`{"type":"FlipSkipped","v":1,"data":{"player_id":"é"}}`,                 // not ASCII
		`{"type":"FlipSkipped","v":1,"data":{"player_id":null}}`,
		`{"type":"FlipSkipped","v":1,"data":{"player_id":"a","x":1}}`, // unknown: an error
		`{"type":"FlipSkipped","v":2,"data":{"player_id":"a"}}`,
		`{"type":"FlipSkipped","v":1,"data":{"player_id":"a"}} x`,
		`{"type":"FlipSkipped","v":1,"data":{"player_id":"a"},"type":"FlipSkipped"}`,
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":1.0,"card":` + card + `}}`,
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":01,"card":` + card + `}}`,
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":1e0,"card":` + card + `}}`,
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":99999999999999999999,"card":` + card + `}}`,
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":1,"card":{"rank":"Q","suit":"H"}}}`,            // deck 0 by default
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":1,"card":{"rank":"Q","suit":"H","deck":256}}}`, // out of range
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":1,"card":{"rank":"JK","suit":"","deck":0}}}`,
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":1,"card":{"rank":"Q","suit":"H","deck":0,"x":1}}}`,
		`{"type":"CardFlipped","v":1,"data":{"player_id":"a","position":1,"card":null}}`,
		`{"type":"CardDrawn","v":1,"data":{"player_id":"a","source":"stock","card":` + card + `,"reshuffled":false}}`,
		`{"type":"RoundEnded","v":1,"data":{"players":[{"hand":[` + card + `]}]}}`, // a short hand
		`{"type":"RoundEnded","v":1,"data":{"finisher_id":3}}`,
		`{"type":"GameStarted","v":1,"data":{"options":{"flip_mode":"sometimes"}}}`,
		`{"type":"GameStarted","v":1,"data":{"options":{"knock_early":1}}}`,
		`{"type":"GameStarted","v":1,"data":{"options":{"lucky_swing":true}}}`,
		`{"type":"GameStarted","v":1,"data":{"options":{"blackjack":true,"blackjack":false}}}`,
		`{"type":"GameCreated","v":1,"data":{"room_code":"BCDF","host_id":"h"}}`, // no settings
		`{"type":"GameCreated","v":1,"data":{"settings":{"rounds":0}}}`,
		`{"type":"GameCreated","v":1,"data":{"settings":{"decks":4,"rounds":9}}}`,
		`{"type":"GameCreated","v":1,"data":{"settings":{"rounds":9,"turns":3}}}`,
		`{"type":"SettingsChanged","v":1,"data":{"settings":null}}`,
		`{"type":"PlayerJoined","v":1,"data":{"player_id":"a","name":"Zoë"}}`,
		`{"type":"PlayerLeft","v":1,"data":{"player_id":"a","held_card":null}}`,
		`{"type":"GameEnded","v":1,"data":{"players":[{"player_id":"a","departed":"no"}]}}`,
		`{"type":"HiddenDraw","v":1,"data":{"player_id":"a"}}`,
		`{"type":"FlipSkipped","v":1,"data":{"player_id":"a"`,
		`{"type":"FlipSkipped","v":1,"data":["a"]}`,
		`{"type":"FlipSkipped","v":1,"data":null}`,
	} {
		if e, ok := decodeFast([]byte(b)); ok {
			t.Errorf("%s: decoded on the fast path to %#v", b, e)
		}
	}
}

// FuzzDecodeFast: whatever the fast path accepts, the strict decoder
// accepts too, as the same event.
func FuzzDecodeFast(f *testing.F) {
	addGoldenEvents(f)
	for _, s := range []string{
		`{"v": 1, "data": {"card": {"deck": 0, "rank": "5", "suit": "S"}, "source": "deck", "player_id": "p1", "reshuffled": false}, "type": "CardDrawn"}`,
		`{"type":"Knocked","v":1,"data":{"player_id":"p","positions":[1,-0],"cards":[{"rank":"JK","deck":2},{"deck":1,"suit":"C","rank":"T"}]}}`,
		`{"type":"GameCreated","v":1,"data":{"room_code":"BCDF","host_id":"h","settings":{"rounds":3,"options":{"jokers":"standard","initial_flips":0}}}}`,
		`{"type":"RoundEnded","v":1,"data":{"round":1,"reason":"went_out","finisher_id":null,"players":[{"player_id":"a","hand":[{"rank":"A","suit":"S","deck":0},{"rank":"A","suit":"S","deck":0},{"rank":"A","suit":"S","deck":0},{"rank":"A","suit":"S","deck":0},{"rank":"A","suit":"S","deck":0},{"rank":"JK","deck":0}],"adjustments":[{"rule":"x","points":-3}]}],"winners":[]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := decodeFast(b)
		if !ok {
			return
		}
		want, err := strictEvent(b)
		if err != nil {
			t.Fatalf("%s: fast path accepted %#v, strict refuses: %v", b, got, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\nfast   %#v\nstrict %#v", b, got, want)
		}
	})
}
