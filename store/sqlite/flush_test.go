package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"golf/game"
	"golf/store"
	"golf/store/internal/commit"
)

// TestFlushBatch hands flush batches directly, so that what the committer
// may or may not group is certain: Appends of many games, of 1–5 events
// (one statement each) and of 70 (the savepoint path), a stale count, a
// second Append of the same game and an index change in one batch, each
// with its own verdict and each log with exactly its events.
func TestFlushBatch(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	joined := func(n int) []game.Event {
		evs := make([]game.Event, n)
		for i := range evs {
			evs[i] = game.PlayerJoined{PlayerID: fmt.Sprintf("p%d", i), Name: "P"}
		}
		return evs
	}
	prep := func(id string, expected int64, evs []game.Event) *commit.Append {
		a, err := commit.Prepare(id, expected, evs)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	count := func(id string) int {
		recs, err := s.LoadAfter(ctx, id, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			if r.Seq != int64(i+1) {
				t.Fatalf("game %s: record %d numbered %d", id, i, r.Seq)
			}
		}
		return len(recs)
	}
	ids := make([]string, 50)
	for i := range ids {
		ids[i] = store.NewGameID()
	}
	// 50 games, 1–5 events each.
	var batch []*commit.Append
	want := map[string]int{}
	for i, id := range ids {
		batch = append(batch, prep(id, 0, joined(1+i%5)))
		want[id] = 1 + i%5
	}
	for i, v := range s.flush(ctx, batch) {
		if v != nil {
			t.Fatalf("append %d: %v", i, v)
		}
	}
	for _, id := range ids {
		if n := count(id); n != want[id] {
			t.Fatalf("game %s holds %d events, want %d", id, n, want[id])
		}
	}

	// One stale Append among good ones, a second Append of one game (its
	// count is right only after the first), and one that changes the
	// games row.
	created := game.GameCreated{RoomCode: "BCDF", HostID: "h", Settings: game.DefaultSettings()}
	fresh := store.NewGameID()
	batch = []*commit.Append{
		prep(ids[0], int64(want[ids[0]]), joined(2)),
		prep(ids[1], 0, joined(1)), // stale
		prep(ids[2], int64(want[ids[2]]), joined(3)),
		prep(ids[2], int64(want[ids[2]])+3, joined(1)),
		prep(fresh, 0, []game.Event{created}),
		prep(ids[3], int64(want[ids[3]]), joined(70)),
	}
	verdicts := s.flush(ctx, batch)
	for i, v := range verdicts {
		if stale := i == 1; stale != errors.Is(v, store.ErrConflict) || (!stale && v != nil) {
			t.Errorf("append %d: %v", i, v)
		}
	}
	want[ids[0]] += 2
	want[ids[2]] += 4
	want[ids[3]] += 70
	want[fresh] = 1
	for _, id := range append(ids[:4:4], fresh) {
		if n := count(id); n != want[id] {
			t.Errorf("game %s holds %d events, want %d", id, n, want[id])
		}
	}
	if g, err := s.Game(ctx, fresh); err != nil || g.RoomCode != "BCDF" {
		t.Errorf("games row %+v, %v", g, err)
	}
}

// TestFlushJobs: a job (a seat guest's row) shares a batch with Appends;
// one that fails undoes only its own writes, and the Appends and the
// other jobs around it commit.
func TestFlushJobs(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	guest := func(id string) store.User {
		return store.User{ID: id, DisplayName: "Seat", Role: store.RolePlayer, CreatedAt: time.Now(), IsActive: true}
	}
	insert := func(u store.User) *commit.Append {
		return commit.NewJob(job(func(ctx context.Context, tx *sql.Tx) error { return insertGuest(ctx, tx, u) }))
	}
	ann, bob, gid := store.NewID(), store.NewID(), store.NewGameID()
	app, err := commit.Prepare(gid, 0, []game.Event{game.PlayerJoined{PlayerID: ann, Name: "Ann"}})
	if err != nil {
		t.Fatal(err)
	}
	failing := commit.NewJob(job(func(ctx context.Context, tx *sql.Tx) error {
		if err := insertGuest(ctx, tx, guest(store.NewID())); err != nil {
			return err
		}
		return insertGuest(ctx, tx, guest(ann)) // ann's row is in this batch already
	}))
	verdicts := s.flush(ctx, []*commit.Append{insert(guest(ann)), app, failing, insert(guest(bob))})
	for i, v := range verdicts {
		if fails := i == 2; fails != (v != nil) {
			t.Errorf("write %d: %v", i, v)
		}
	}
	for _, id := range []string{ann, bob} {
		if _, err := s.User(ctx, id); err != nil {
			t.Errorf("user %s: %v", id, err)
		}
	}
	var users int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&users); err != nil || users != 2 {
		t.Errorf("%d users (%v), want 2: the failed job's first row stays undone", users, err)
	}
	if recs, err := s.LoadAfter(ctx, gid, 0); err != nil || len(recs) != 1 {
		t.Errorf("the Append beside the jobs: %d events, %v", len(recs), err)
	}
}
