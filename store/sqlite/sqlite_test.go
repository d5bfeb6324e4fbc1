package sqlite

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golf/game"
	"golf/store"
	"golf/store/storetest"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestTwoWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "golf.db")
	a, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	storetest.TwoWriters(t, a, b)
}

// TestReopen: what Append acknowledged is there after the store is closed
// and opened again, and reopening migrates nothing twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "golf.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id := store.NewGameID()
	if err := s.Append(ctx, id, 0, []game.Event{game.PlayerJoined{PlayerID: "a", Name: "A"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	recs, err := s.Load(ctx, id)
	if err != nil || len(recs) != 1 {
		t.Fatalf("after reopen: %d records, %v; want 1", len(recs), err)
	}
	v, err := s.Version(ctx)
	want := knownMigrations(t)
	if err != nil || v != want {
		t.Fatalf("Version = %d, %v; want %d", v, err, want)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || int64(n) != want {
		t.Fatalf("schema_migrations holds %d rows (%v), want %d", n, err, want)
	}
	var mode, sync string
	s.w.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
	s.w.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync)
	if mode != "wal" || sync != "2" {
		t.Errorf("journal_mode %q, synchronous %q; want wal and 2 (FULL)", mode, sync)
	}
}

func TestOpenBadPath(t *testing.T) {
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "a?b.db")); err == nil {
		t.Error("Open of a path with '?': nil error, want one")
	}
}

// TestCheckpointOffTheWriter checks that commits never checkpoint (the
// writer's auto-checkpoint is off), that the checkpointer's own connection
// copies the whole log into the database, and that Close leaves the log
// empty.
func TestCheckpointOffTheWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "golf.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var auto int
	if err := s.w.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("writer's wal_autocheckpoint = %d (%v), want 0", auto, err)
	}
	id := store.NewGameID()
	for i := range 200 {
		e := game.PlayerJoined{PlayerID: "p" + strconv.Itoa(i), Name: "P"}
		if err := s.Append(ctx, id, int64(i), []game.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	logPages, done, err := s.checkpoint(ctx, "PASSIVE")
	if err != nil || logPages == 0 || done != logPages {
		t.Fatalf("checkpoint: %d of %d log pages copied (%v); want all of a non-empty log", done, logPages, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("after Close the log holds %d bytes, want 0", fi.Size())
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if recs, err := s.Load(ctx, id); err != nil || len(recs) != 200 {
		t.Fatalf("after reopen: %d records (%v), want 200", len(recs), err)
	}
}

// knownMigrations is the number of migrations this binary carries.
func knownMigrations(t *testing.T) int64 {
	t.Helper()
	ms, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil || len(ms) < 3 {
		t.Fatalf("embedded migrations: %v, %v", ms, err)
	}
	return int64(len(ms))
}

func TestAccounts(t *testing.T) {
	storetest.RunAccounts(t, func(t *testing.T) store.Accounts {
		s := openTemp(t)
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestReplays(t *testing.T) {
	storetest.RunReplays(t, func(t *testing.T) storetest.ReplayDB { return openTemp(t) })
}
