package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"golf/game"
)

func TestFullGamesOverWebSocket(t *testing.T) {
	tests := []struct {
		name           string
		humans, cpus   int
		settings       map[string]any
		spectatorCount int
	}{
		{"standard, 2 humans 2 CPUs", 2, 2, map[string]any{"rounds": 2}, 2},
		{"speed golf with every action, 3 humans", 3, 0,
			map[string]any{"rounds": 2, "options": map[string]any{"flip_mode": "always", "flip_as_action": true, "knock_early": true}}, 1},
		{"everything, 1 flip, 2 decks, 4 humans 2 CPUs", 4, 2,
			map[string]any{"rounds": 1, "decks": 2, "options": map[string]any{"flip_mode": "endgame", "jokers": "eagle_eye",
				"initial_flips": 1, "super_kings": true, "one_eyed_jacks": true, "knock_penalty": true, "blackjack": true}}, 1},
		{"lucky swing, no initial flips, 2 humans", 2, 0,
			map[string]any{"rounds": 3, "options": map[string]any{"jokers": "lucky_swing", "initial_flips": 0}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, nil)
			host := create(t, ts, "Host", tc.settings)
			code := host.welcome.room()
			players := []*player{host}
			for i := 1; i < tc.humans; i++ {
				players = append(players, join(t, ts, code, fmt.Sprintf("P%d", i)))
			}
			for range tc.cpus {
				host.send(map[string]any{"type": "add_cpu"})
			}
			var watchers []*client
			for range tc.spectatorCount {
				w := dial(t, ts)
				w.send(map[string]any{"type": "watch", "room": code})
				if f := w.next("welcome"); f.Seat != -1 || f.Token != "" {
					t.Fatalf("spectator welcome %s", f.raw)
				}
				watchers = append(watchers, w)
			}
			host.until(func(f *frame) bool { return len(f.View.Seats) == tc.humans+tc.cpus })
			host.send(map[string]any{"type": "start"})

			finals := make([]*frame, len(players))
			var wg sync.WaitGroup
			for i, p := range players {
				wg.Add(1)
				go func() { defer wg.Done(); finals[i] = p.play() }()
			}
			wg.Wait()
			for _, w := range watchers {
				w.until(func(f *frame) bool { return f.View.Phase == game.PhaseGameOver })
			}
			if t.Failed() {
				return
			}
			for i, f := range finals {
				if f.View.Result == nil || f.View.Result.Reason != game.ReasonCompleted {
					t.Fatalf("player %d: game ended %+v", i, f.View.Result)
				}
			}
			log := storedEvents(t, ts, host.welcome.GameID)
			for i, p := range players {
				checkNoLeaks(t, fmt.Sprintf("player %d", i), p.welcome.Seat, p.received(), log)
			}
			for i, w := range watchers {
				checkNoLeaks(t, fmt.Sprintf("spectator %d", i), game.Spectator, w.received(), log)
			}
		})
	}
}

func storedEvents(t *testing.T, ts *testServer, gameID string) []game.Event {
	t.Helper()
	recs, err := ts.st.Load(context.Background(), gameID)
	if err != nil {
		t.Fatal(err)
	}
	evs := make([]game.Event, len(recs))
	for i, r := range recs {
		if evs[i], err = r.Event(); err != nil {
			t.Fatal(err)
		}
	}
	return evs
}

// cardKey names a physical card: rank, suit and deck.
type cardKey struct {
	rank, suit string
	deck       float64
}

// checkNoLeaks replays the stored log and checks every state frame a
// client received against the true state at that frame's sequence number:
// the frame's view is exactly the engine's view for that seat, and no card
// named anywhere in the frame (events included, fields the client ignores
// included) is one the receiver may not know at that moment. last_round
// and result describe finished rounds, whose hands are public.
func checkNoLeaks(t *testing.T, who string, seat int, frames []*frame, log []game.Event) {
	t.Helper()
	states := 0
	st := new(game.State)
	applied := 0
	for _, f := range frames {
		for _, banned := range []string{`"seed"`, `"RoundStarted"`, `"GameStarted"`, `"deck":[`} {
			if bytes.Contains(f.raw, []byte(banned)) {
				t.Fatalf("%s: frame contains %s: %s", who, banned, f.raw)
			}
		}
		if f.Type != "state" {
			continue
		}
		states++
		if int(f.Seq) < applied {
			t.Fatalf("%s: seq went back from %d to %d", who, applied, f.Seq)
		}
		for ; applied < int(f.Seq); applied++ {
			if err := st.Apply(log[applied]); err != nil {
				t.Fatal(err)
			}
		}
		want := st.View(seat)
		wantJSON, _ := json.Marshal(want)
		var raw map[string]json.RawMessage
		json.Unmarshal(f.raw, &raw)
		if !jsonEqual(raw["view"], wantJSON) {
			t.Fatalf("%s: at seq %d the view differs from the true state's\n got %s\nwant %s", who, f.Seq, raw["view"], wantJSON)
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
		json.Unmarshal(f.raw, &tree)
		if v, ok := tree["view"].(map[string]any); ok {
			delete(v, "last_round")
			delete(v, "result")
		}
		walkCards(tree, func(k cardKey) {
			if !visible[k] {
				t.Fatalf("%s (seat %d): frame at seq %d names %v, which it may not know: %s", who, seat, f.Seq, k, f.raw)
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

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
