package storetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golf/game"
	"golf/store"
)

// batches is a store.Observer counting commits and the Appends in them.
type batches struct{ commits, appends atomic.Int64 }

func (o *batches) Appended(time.Duration, string) {}
func (o *batches) Committed(n int, _ time.Duration) {
	o.commits.Add(1)
	o.appends.Add(int64(n))
}

// BenchAppendRate offers Appends at a steady rate, as a server's tables do
// (open loop: the next arrives on time whether or not the last is
// committed), one move each, spread over 500 games, and reports this
// process's CPU per Append (the store's work, fsync included; a database
// server's own CPU is not in it: serverCPU, if not nil, reads it, and
// it is reported as db-cpu-µs/append) and the Appends per commit. b.N
// counts Appends; -benchtime 2000x at 400/s is a 5 s run.
func BenchAppendRate(b *testing.B, s interface {
	store.Store
	Observe(store.Observer)
}, perSecond int, serverCPU func() time.Duration) {
	const games = 500
	ev := []game.Event{game.CardSwapped{PlayerID: "p2", Position: 4, NewCard: game.Card{Rank: 12, Suit: 2}, OldCard: game.Card{Rank: 7, Suit: 4}}}
	var obs batches
	s.Observe(&obs)
	defer s.Observe(nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	ticks := make([]chan struct{}, games)
	for g := range ticks {
		ticks[g] = make(chan struct{}, 64)
		wg.Go(func() {
			id, n := store.NewGameID(), int64(0)
			for range ticks[g] {
				if err := s.Append(ctx, id, n, ev); err != nil {
					b.Error(err)
				}
				n++
			}
		})
	}
	every := time.Second / time.Duration(perSecond)
	b.ResetTimer()
	var db0 time.Duration
	if serverCPU != nil {
		db0 = serverCPU()
	}
	cpu0, start := cpuTime(), time.Now()
	for i := range b.N {
		if d := time.Until(start.Add(time.Duration(i) * every)); d > 0 {
			time.Sleep(d)
		}
		ticks[i%games] <- struct{}{}
	}
	for _, t := range ticks {
		close(t)
	}
	wg.Wait()
	cpu := cpuTime() - cpu0
	b.StopTimer()
	if serverCPU != nil {
		b.ReportMetric(float64((serverCPU()-db0).Microseconds())/float64(b.N), "db-cpu-µs/append")
	}
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/append")
	if c := obs.commits.Load(); c > 0 {
		b.ReportMetric(float64(obs.appends.Load())/float64(c), "appends/commit")
	}
}
