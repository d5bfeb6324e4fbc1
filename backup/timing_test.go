package backup

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"golf/game"
	"golf/store"
	"golf/store/audit"
	"golf/store/postgres"
	"golf/store/sqlite"
	"golf/store/storetest"
)

// TestBackupTiming measures backup and restore of many small completed
// games (two players, one round), both stores:
//
//	go test ./backup -run TestBackupTiming -backup.games=100000 -v -timeout 60m
//
// Figures: docs/BENCHMARKS.md.
func TestBackupTiming(t *testing.T) {
	n := *timingGames
	if n == 0 {
		t.Skip("set -backup.games=N to time backup and restore of N games")
	}
	r := rand.New(rand.NewPCG(7, 7))
	var small [][][]game.Event
	for range 8 {
		g, err := storetest.Play(r, 2, 1, game.Options{})
		if err != nil {
			t.Fatal(err)
		}
		small = append(small, g)
	}
	type opened struct {
		db    Database
		store store.Store
	}
	backends := []struct {
		name   string
		open   func(t *testing.T) opened
		target func(t *testing.T) Database // new and empty
	}{
		{"sqlite", func(t *testing.T) opened {
			db := Database{Path: filepath.Join(t.TempDir(), "golf.db")}
			st, err := sqlite.Open(context.Background(), db.Path)
			if err != nil {
				t.Fatal(err)
			}
			return opened{db, st}
		}, func(t *testing.T) Database {
			return Database{Path: filepath.Join(t.TempDir(), "golf.db")}
		}},
		{"postgres", func(t *testing.T) opened {
			db := Database{URL: newDatabase(t)}
			st, err := postgres.Open(context.Background(), db.URL)
			if err != nil {
				t.Fatal(err)
			}
			return opened{db, st}
		}, func(t *testing.T) Database { return Database{URL: newDatabase(t)} }},
	}
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			src := be.open(t)
			start := time.Now()
			generateFrom(t, src.store, n, small)
			gen := time.Since(start)
			src.store.Close()

			b, err := Create(ctx, src.db, t.TempDir(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			dst := be.target(t)
			rs, err := Restore(ctx, dst, b.File)
			if err != nil {
				t.Fatal(err)
			}
			if rs.Games != int64(n) || rs.Events != b.Events {
				t.Fatalf("restored %d games, %d events; want %d, %d", rs.Games, rs.Events, n, b.Events)
			}
			var st store.Store
			if dst.Postgres() {
				st, err = postgres.Open(ctx, dst.URL)
			} else {
				st, err = sqlite.Open(ctx, dst.Path)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			start = time.Now()
			rep, err := audit.Run(ctx, st)
			if err != nil || len(rep.Failures) > 0 {
				t.Fatalf("verify: %v, %d failures", err, len(rep.Failures))
			}
			t.Logf("%s: %d games, %d events (generated in %v): backup %v, %.1f MB; restore %v; verify %v",
				be.name, b.Games, b.Events, gen.Round(time.Second), b.Took.Round(10*time.Millisecond),
				float64(b.Size)/1e6, rs.Took.Round(10*time.Millisecond), time.Since(start).Round(time.Second))
		})
	}
}
