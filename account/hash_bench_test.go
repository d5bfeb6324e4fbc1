//go:build unix

package account

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// BenchmarkHash is one password hash with the production parameters: what
// a sign-in or a registration costs. Besides wall time (which a busy
// machine inflates) it reports the process's CPU time per hash, cpu-ms/op,
// GC included.
func BenchmarkHash(b *testing.B) {
	h := newHasher(b, DefaultParams, 1, 0)
	ctx := context.Background()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
