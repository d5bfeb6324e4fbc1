package commit

import (
	"context"
	"testing"

	"golf/game"
	"golf/store"
)

// BenchmarkPrepare measures the client-side cost of an Append (encode,
// decode back, column checks) for a typical move: one CardSwapped.
func BenchmarkPrepare(b *testing.B) {
	id := store.NewGameID()
	c := game.Card{Rank: 12, Suit: 2}
	evs := []game.Event{game.CardSwapped{PlayerID: "p2", Position: 4, NewCard: c, OldCard: game.Card{Rank: 7, Suit: 4}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(id, 10, evs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandoff measures what the committer adds to one Append when
// idle: the hand-off to its goroutine and back, with a flush that does
// nothing.
func BenchmarkHandoff(b *testing.B) {
	c := Start(func(ctx context.Context, batch []*Append) []error { return make([]error, len(batch)) }, Config{})
	defer c.Close()
	id := store.NewGameID()
	evs := []game.Event{game.FlipSkipped{PlayerID: "p1"}}
	for b.Loop() {
		a, err := Prepare(id, 0, evs)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Do(context.Background(), a); err != nil {
			b.Fatal(err)
		}
	}
}
