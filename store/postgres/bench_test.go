package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golf/store/postgres/pgtest"
	"golf/store/storetest"
)

// GOLF_TEST_DATABASE_URL=… go test -run '^$' -bench Append -benchtime 3s ./store/postgres/
func BenchmarkAppend(b *testing.B) {
	benchAppend(b, 2)
}

// BenchmarkAppendWorkers compares one committer worker with two and four.
func BenchmarkAppendWorkers(b *testing.B) {
	for _, w := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchAppend(b, w) })
	}
}

func benchAppend(b *testing.B, workers int) {
	for _, games := range []int{1, 16, 64, 256} {
		b.Run(fmt.Sprintf("games=%d", games), func(b *testing.B) {
			s, err := open(context.Background(), pgtest.URL(b), workers, 0)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storetest.BenchAppend(b, s, games)
		})
	}
}

// BenchmarkFlush: one batch transaction of 1, 4, 16 or 64 Appends (one
// move each, one game each); PostgreSQL's own CPU is not counted:
// GOLF_TEST_DATABASE_URL=… go test -run '^$' -bench Flush -benchmem ./store/postgres/
func BenchmarkFlush(b *testing.B) {
	for _, size := range []int{1, 4, 16, 64} {
		b.Run(fmt.Sprintf("appends=%d", size), func(b *testing.B) {
			s := openTemp(b)
			defer s.Close()
			storetest.BenchFlush(b, s.flush, size)
		})
	}
}

// BenchmarkAppendRate: Appends offered at a server's steady rate, with
// the committer's window off and at 2, 5 and 10 ms (docs/BENCHMARKS.md);
// PostgreSQL's own CPU is not counted:
// GOLF_TEST_DATABASE_URL=… go test -run '^$' -bench AppendRate -benchtime 3000x ./store/postgres/
func BenchmarkAppendRate(b *testing.B) {
	for _, rate := range []int{400, 1200} {
		for _, w := range []time.Duration{-1, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond} {
			b.Run(fmt.Sprintf("rate=%d/window=%v", rate, max(w, 0)), func(b *testing.B) {
				s, err := open(context.Background(), pgtest.URL(b)+"&application_name="+rateApp, 2, w)
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				storetest.BenchAppendRate(b, s, rate, func() time.Duration { return backendCPU(b, s) })
			})
		}
	}
}

// rateApp names BenchmarkAppendRate's connections, so that backendCPU
// finds their server processes.
const rateApp = "golf-bench-rate"

// backendCPU is the CPU time used so far by the PostgreSQL server
// processes of s's connections (PostgreSQL on this machine: /proc/PID/stat).
func backendCPU(b *testing.B, s *Store) time.Duration {
	return pgtest.BackendCPU(b, s.Pool(), rateApp)
}
