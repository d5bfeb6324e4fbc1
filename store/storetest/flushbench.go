package storetest

import (
	"context"
	"testing"

	"golf/game"
	"golf/store"
	"golf/store/internal/commit"
)

// BenchFlush measures a backend's batch write (its commit.Flush) alone,
// without the committer: each op is one batch of size Appends, one per
// game, each a move's CardSwapped, so the cost per Append of a batch
// of that size shows (ns/op ÷ size; cpu-µs/append is the process's CPU,
// fsync included, a database server's own CPU not).
func BenchFlush(b *testing.B, flush commit.Flush, size int) {
	ev := game.CardSwapped{PlayerID: "p2", Position: 4, NewCard: game.Card{Rank: 12, Suit: 2}, OldCard: game.Card{Rank: 7, Suit: 4}}
	proto, err := commit.Prepare(store.NewGameID(), 0, []game.Event{ev})
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]*commit.Append, size)
	for i := range batch {
		batch[i] = &commit.Append{GameID: store.NewGameID(), Rows: proto.Rows}
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		for i, v := range flush(ctx, batch) {
			if v != nil {
				b.Fatalf("append %d: %v", i, v)
			}
		}
		for _, a := range batch {
			a.Expected++
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N*size), "cpu-µs/append")
}
