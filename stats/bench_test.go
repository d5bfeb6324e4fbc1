package stats_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"golf/game"
	"golf/stats"
	"golf/store"
	"golf/store/storetest"
)

// BenchmarkFold measures the CPU side of projecting one game: folding its
// events into a result, blunder analysis included (storetest.PlayStats
// games: 2–5 seats, 1–3 rounds).
func BenchmarkFold(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	var all [][]game.Event
	for range 64 {
		evs, err := storetest.PlayStats(r)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, evs)
	}
	g := store.EndedGame{ID: store.NewGameID(), Status: "completed", CompletedAt: time.Now()}
	b.ResetTimer()
	for i := range b.N {
		if _, err := stats.Fold(context.Background(), g, all[i%len(all)], stats.Identity{}); err != nil {
			b.Fatal(err)
		}
	}
}
