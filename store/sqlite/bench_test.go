package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

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
				s, err := open(context.Background(), filepath.Join(b.TempDir(), "golf.db"), sync)
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
