package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"golf/store/storetest"
)

// go test -run '^$' -bench Append -benchtime 3s ./store/sqlite/
func BenchmarkAppend(b *testing.B) {
	for _, games := range []int{1, 16, 64, 256} {
		b.Run(fmt.Sprintf("games=%d", games), func(b *testing.B) {
			s := openTemp(b)
			defer s.Close()
			storetest.BenchAppend(b, s, games)
		})
	}
}

// BenchmarkAppendSync compares synchronous=FULL (what Open uses) with
// NORMAL, which skips the WAL sync at commit:
// go test -run '^$' -bench AppendSync -benchtime 3s ./store/sqlite/
func BenchmarkAppendSync(b *testing.B) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		for _, games := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/games=%d", sync, games), func(b *testing.B) {
				s, err := open(context.Background(), filepath.Join(b.TempDir(), "golf.db"), sync, 0)
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				storetest.BenchAppend(b, s, games)
			})
		}
	}
}

// BenchmarkFlush: one batch transaction of 1, 4, 16 or 64 Appends (one
// move each, one game each), fsync included:
// go test -run '^$' -bench Flush -benchmem ./store/sqlite/
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
// the committer's window off and at 2, 5 and 10 ms (docs/BENCHMARKS.md):
// go test -run '^$' -bench AppendRate -benchtime 3000x ./store/sqlite/
func BenchmarkAppendRate(b *testing.B) {
	for _, rate := range []int{400, 1200} {
		for _, w := range []time.Duration{-1, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond} {
			b.Run(fmt.Sprintf("rate=%d/window=%v", rate, max(w, 0)), func(b *testing.B) {
				s, err := open(context.Background(), filepath.Join(b.TempDir(), "golf.db"), "FULL", w)
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				storetest.BenchAppendRate(b, s, rate, nil)
			})
		}
	}
}
