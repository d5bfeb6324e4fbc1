package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"golf/store/storetest"
)

func benchStatsDB(b *testing.B) *Store {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "golf.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkProjection: go test -run '^$' -bench Projection -benchtime 500x ./store/sqlite/
func BenchmarkProjection(b *testing.B) { storetest.BenchProjection(b, benchStatsDB(b)) }

// BenchmarkProjectionSingle: a transaction per game.
func BenchmarkProjectionSingle(b *testing.B) { storetest.BenchProjectionSingle(b, benchStatsDB(b)) }

// BenchmarkRebuild: go test -run '^$' -bench Rebuild -benchtime 500x ./store/sqlite/
func BenchmarkRebuild(b *testing.B) { storetest.BenchRebuild(b, benchStatsDB(b)) }
