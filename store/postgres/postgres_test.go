package postgres

import (
	"context"
	"io/fs"
	"testing"

	"golf/game"
	"golf/store"
	"golf/store/postgres/pgtest"
	"golf/store/storetest"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestTwoWriters(t *testing.T) {
	url := pgtest.URL(t)
	a, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	storetest.TwoWriters(t, a, b)
	t.Logf("batches split after a race: %d, retried after a deadlock: %d",
		a.split.Load()+b.split.Load(), a.retries.Load()+b.retries.Load())
}

// TestReopen: what Append acknowledged is there after the store is closed
// and opened again, and reopening migrates nothing twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	id := store.NewGameID()
	if err := s.Append(ctx, id, 0, []game.Event{game.PlayerJoined{PlayerID: "a", Name: "A"}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, url)
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
	var sync string
	if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || int64(n) != want {
		t.Fatalf("schema_migrations holds %d rows (%v), want %d", n, err, want)
	}
	if err := s.Pool().QueryRow(ctx, `SHOW synchronous_commit`).Scan(&sync); err != nil || sync != "on" {
		t.Errorf("synchronous_commit = %q (%v), want on", sync, err)
	}
}

// TestConcurrentOpen: instances starting together migrate once, under the
// advisory lock, and all come up.
func TestConcurrentOpen(t *testing.T) {
	url := pgtest.URL(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(context.Background(), url)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

func TestOpenBadURL(t *testing.T) {
	if _, err := Open(context.Background(), "postgres://%zz"); err == nil {
		t.Error("Open of a malformed URL: nil error, want one")
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
