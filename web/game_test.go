package web

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"golf/game"
	"golf/web/webtest"
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
				webtest.CheckNoLeaks(t, fmt.Sprintf("player %d", i), p.welcome.Seat, p.received(), log)
			}
			for i, w := range watchers {
				webtest.CheckNoLeaks(t, fmt.Sprintf("spectator %d", i), game.Spectator, w.received(), log)
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
