//go:build unix

package sim

import (
	"context"
	"syscall"
	"testing"
	"time"

	"golf/game"
)

// cpuTime is the process's user+system CPU time: on a shared machine it
// says more about the code than wall-clock time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSimRound plays single-round four-player games of personalities,
// as golf sim --workers 1 does; one op is one round.
func BenchmarkSimRound(b *testing.B) {
	cfg := &config{games: b.N, players: 4, rounds: 1, workers: 1, seed: 1, options: game.DefaultOptions(), rules: "standard"}
	b.ReportAllocs()
	c0 := cpuTime()
	res, err := simulate(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(res.t.turns)/float64(res.t.rounds), "turns/round")
}
