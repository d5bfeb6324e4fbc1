package storetest

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golf/game"
	"golf/store"
)

// cpuTime is this process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchAppend measures Append with games concurrent games, each appending
// the command groups of a real simulated game (4 players, 9 rounds) one
// command at a time, as a live table does, and starting a new game when
// one ends. b.N counts Appends. It reports events/s, Append latency
// percentiles and the mean stored event size.
func BenchAppend(b *testing.B, s store.Store, games int) {
	var logs [][][]game.Event
	var events, bytes int
	for i := range 4 {
		groups, err := Play(rand.New(rand.NewPCG(uint64(i), 42)), 4, 9, game.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		logs = append(logs, groups)
		for _, e := range flatten(groups) {
			data, _ := game.MarshalEvent(e)
			events++
			bytes += len(data)
		}
	}
	ctx := context.Background()
	var (
		claimed  atomic.Int64
		appended atomic.Int64
		mu       sync.Mutex
		lat      []time.Duration
		wg       sync.WaitGroup
	)
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for g := range games {
		wg.Go(func() {
			mine := make([]time.Duration, 0, b.N/games+1)
			log := logs[g%len(logs)]
			id, n, next := store.NewGameID(), int64(0), 0
			for claimed.Add(1) <= int64(b.N) {
				grp := log[next]
				t0 := time.Now()
				if err := s.Append(ctx, id, n, grp); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
				appended.Add(int64(len(grp)))
				n += int64(len(grp))
				if next++; next == len(log) {
					id, n, next = store.NewGameID(), 0, 0
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(appended.Load())/elapsed.Seconds(), "events/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(bytes)/float64(events), "B/event")
	// This process's CPU time (every thread: the callers, the committer,
	// an embedded database) per Append: what an Append costs the server
	// however busy the machine is. A database server's own CPU is not in it.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
}
