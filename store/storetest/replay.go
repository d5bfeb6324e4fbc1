package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"golf/store"
)

// ReplayDB is a backend as replay, import and the archive use it.
type ReplayDB interface {
	store.Store
	store.Replays
}

// OpenReplays returns a fresh, empty database; the suite closes it.
type OpenReplays func(t *testing.T) ReplayDB

// RunReplays runs the replay storage's conformance suite (docs/replay.md).
func RunReplays(t *testing.T, open OpenReplays) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db ReplayDB)
	}{
		{"Defaults", testReplayDefaults},
		{"Visibility", testVisibility},
		{"PutGame", testPutGame},
		{"PutGameRefused", testPutGameRefused},
		{"Archive", testArchive},
		{"PublicGames", testPublicGames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := open(t)
			t.Cleanup(func() { db.Close() })
			tt.fn(t, db)
		})
	}
}

// finished appends one finished random game and returns its id.
func finished(t *testing.T, db store.Store, seed uint64) string {
	t.Helper()
	id := store.NewGameID()
	appendAll(t, db, id, played(t, seed, 3, 2))
	return id
}

func gameRow(t *testing.T, db store.Store, id string) store.Game {
	t.Helper()
	g, err := db.Game(context.Background(), id)
	if err != nil {
		t.Fatalf("Game(%s): %v", id, err)
	}
	return g
}

func testReplayDefaults(t *testing.T, db ReplayDB) {
	g := gameRow(t, db, finished(t, db, 21))
	if g.Visibility != store.Unlisted || g.Imported || g.ImportedBy != "" || !g.ArchivedAt.IsZero() {
		t.Errorf("a played game's row = visibility %q imported %v by %q archived %v; want unlisted, not imported, not archived",
			g.Visibility, g.Imported, g.ImportedBy, g.ArchivedAt)
	}
}

func testVisibility(t *testing.T, db ReplayDB) {
	ctx := context.Background()
	id := finished(t, db, 22)
	for _, v := range []store.Visibility{store.Private, store.Public, store.Unlisted} {
		if err := db.SetVisibility(ctx, id, v); err != nil {
			t.Fatalf("SetVisibility(%s): %v", v, err)
		}
		if got := gameRow(t, db, id).Visibility; got != v {
			t.Errorf("visibility = %q, want %q", got, v)
		}
	}
	if err := db.SetVisibility(ctx, store.NewGameID(), store.Public); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetVisibility of an unknown game = %v, want ErrNotFound", err)
	}
	for _, bad := range []struct {
		id string
		v  store.Visibility
	}{{id, "secret"}, {id, ""}, {"nope", store.Public}} {
		if err := db.SetVisibility(ctx, bad.id, bad.v); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("SetVisibility(%q, %q) = %v, want ErrInvalid", bad.id, bad.v, err)
		}
	}
	if got := gameRow(t, db, id).Visibility; got != store.Unlisted {
		t.Errorf("visibility after refused changes = %q, want unlisted", got)
	}
}

// copyOf returns a new game's row and records carrying src's log, as an
// import writes them.
func copyOf(t *testing.T, db store.Store, src string) (store.Game, []store.Record) {
	t.Helper()
	g := gameRow(t, db, src)
	recs := load(t, db, src)
	g.ID = store.NewGameID()
	g.Imported, g.ImportedBy, g.Visibility = true, store.NewID(), store.Private
	out := make([]store.Record, len(recs))
	for i, r := range recs {
		r.GameID = g.ID
		r.At = time.Date(2025, 1, 2, 3, 4, 5, int(r.Seq)*int(time.Millisecond), time.UTC)
		out[i] = r
	}
	g.CreatedAt = out[0].At
	g.CompletedAt = out[len(out)-1].At
	return g, out
}

func testPutGame(t *testing.T, db ReplayDB) {
	ctx := context.Background()
	src := finished(t, db, 23)
	g, recs := copyOf(t, db, src)
	if err := db.PutGame(ctx, g, recs); err != nil {
		t.Fatalf("PutGame: %v", err)
	}
	got := load(t, db, g.ID)
	if len(got) != len(recs) {
		t.Fatalf("loaded %d events, want %d", len(got), len(recs))
	}
	for i := range recs {
		w, r := recs[i], got[i]
		if r.Seq != w.Seq || r.Type != w.Type || r.PlayerID != w.PlayerID || !r.At.Equal(w.At) || !sameJSON(r.Data, w.Data) {
			t.Fatalf("event %d = %+v, want %+v", i+1, r, w)
		}
	}
	row := gameRow(t, db, g.ID)
	if row.Status != g.Status || row.RoomCode != g.RoomCode || !row.CreatedAt.Equal(g.CreatedAt) ||
		!row.CompletedAt.Equal(g.CompletedAt) || row.WinnerID != g.WinnerID || row.NumPlayers != g.NumPlayers ||
		row.NumRounds != g.NumRounds || !row.Imported || row.ImportedBy != g.ImportedBy ||
		row.Visibility != store.Private || len(row.PlayerIDs) != len(g.PlayerIDs) || !sameJSON(row.Options, g.Options) {
		t.Errorf("row = %+v, want %+v", row, g)
	}
	// The copy is an ended game the statistics see, marked imported.
	if sdb, ok := db.(store.Stats); ok {
		ended, err := sdb.EndedGames(ctx, store.EndedQuery{Limit: 100, All: true})
		if err != nil {
			t.Fatal(err)
		}
		seen := false
		for _, e := range ended {
			if e.ID == g.ID {
				seen = true
				if !e.Imported {
					t.Error("EndedGames: the imported game is not marked imported")
				}
			}
			if e.ID == src && e.Imported {
				t.Error("EndedGames: the played game is marked imported")
			}
		}
		if !seen {
			t.Error("EndedGames does not list the imported game")
		}
	}
}

func testPutGameRefused(t *testing.T, db ReplayDB) {
	ctx := context.Background()
	src := finished(t, db, 24)
	g, recs := copyOf(t, db, src)
	gap := append(append([]store.Record{}, recs[:3]...), recs[4:]...)
	notJSON := append([]store.Record{}, recs...)
	notJSON[2].Data = json.RawMessage(`[1`)
	badVis := g
	badVis.Visibility = "loud"
	for _, c := range []struct {
		name string
		g    store.Game
		recs []store.Record
		want error
	}{
		{"gap", g, gap, store.ErrInvalid},
		{"not json", g, notJSON, store.ErrInvalid},
		{"visibility", badVis, recs, store.ErrInvalid},
	} {
		if err := db.PutGame(ctx, c.g, c.recs); !errors.Is(err, c.want) {
			t.Errorf("%s: PutGame = %v, want %v", c.name, err, c.want)
		}
		if _, err := db.Game(ctx, g.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: a refused PutGame left a row: %v", c.name, err)
		}
	}
	// A game that has events is never overwritten.
	played := gameRow(t, db, src)
	played.Imported = true
	if err := db.PutGame(ctx, played, recs); !errors.Is(err, store.ErrConflict) {
		t.Errorf("PutGame over a game with events = %v, want ErrConflict", err)
	}
	if row := gameRow(t, db, src); row.Imported {
		t.Error("a refused PutGame changed the row")
	}
	if n := len(load(t, db, src)); n == 0 {
		t.Error("a refused PutGame removed events")
	}
}

func testArchive(t *testing.T, db ReplayDB) {
	ctx := context.Background()
	old := finished(t, db, 25)
	active := store.NewGameID()
	groups := played(t, 26, 3, 2)
	appendAll(t, db, active, groups[:3])
	if err := db.ArchiveGame(ctx, active, time.Now()); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ArchiveGame of an active game = %v, want ErrInvalid", err)
	}
	if err := db.ArchiveGame(ctx, store.NewGameID(), time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ArchiveGame of an unknown game = %v, want ErrNotFound", err)
	}
	future := time.Now().Add(time.Hour)
	ids, err := db.ArchivableGames(ctx, future, 10)
	if err != nil || len(ids) != 1 || ids[0] != old {
		t.Fatalf("ArchivableGames = %v, %v; want [%s]", ids, err, old)
	}
	if ids, err := db.ArchivableGames(ctx, time.Now().Add(-time.Hour), 10); err != nil || len(ids) != 0 {
		t.Errorf("ArchivableGames before an hour ago = %v, %v; want none", ids, err)
	}
	recs := load(t, db, old)
	row := gameRow(t, db, old)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	if err := db.ArchiveGame(ctx, old, at); err != nil {
		t.Fatalf("ArchiveGame: %v", err)
	}
	if _, err := db.Load(ctx, old); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load of an archived game = %v, want ErrNotFound", err)
	}
	if got := gameRow(t, db, old); !got.ArchivedAt.Equal(at) || got.Status != "completed" {
		t.Errorf("archived row: archived_at %v status %q, want %v completed", got.ArchivedAt, got.Status, at)
	}
	if err := db.ArchiveGame(ctx, old, at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ArchiveGame again = %v, want ErrNotFound", err)
	}
	if ids, _ := db.ArchivableGames(ctx, future, 10); len(ids) != 0 {
		t.Errorf("ArchivableGames after archiving = %v, want none", ids)
	}
	// Bringing it back restores the row and the log.
	if err := db.PutGame(ctx, row, recs); err != nil {
		t.Fatalf("PutGame of the archived game: %v", err)
	}
	if got := gameRow(t, db, old); !got.ArchivedAt.IsZero() || got.Imported {
		t.Errorf("restored row: archived_at %v imported %v, want neither", got.ArchivedAt, got.Imported)
	}
	if n := len(load(t, db, old)); n != len(recs) {
		t.Errorf("restored %d events, want %d", n, len(recs))
	}
}

func testPublicGames(t *testing.T, db ReplayDB) {
	ctx := context.Background()
	var public []string
	for i := range 5 {
		id := finished(t, db, uint64(30+i))
		if i%2 == 0 {
			if err := db.SetVisibility(ctx, id, store.Public); err != nil {
				t.Fatal(err)
			}
			public = append(public, id)
		}
	}
	active := store.NewGameID()
	appendAll(t, db, active, played(t, 40, 3, 2)[:3])
	if err := db.SetVisibility(ctx, active, store.Public); err != nil {
		t.Fatal(err)
	}
	all, err := db.PublicGames(ctx, store.PublicQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(public) {
		t.Fatalf("PublicGames = %d games, want the %d public completed ones", len(all), len(public))
	}
	for i, g := range all {
		if g.Visibility != store.Public || g.Status != "completed" {
			t.Errorf("listed %s: %q %q", g.ID, g.Visibility, g.Status)
		}
		if i > 0 && (g.CompletedAt.After(all[i-1].CompletedAt) ||
			g.CompletedAt.Equal(all[i-1].CompletedAt) && g.ID > all[i-1].ID) {
			t.Errorf("not newest first at %d", i)
		}
	}
	// Paging by the last row's (completed_at, id) gives the rest.
	first, err := db.PublicGames(ctx, store.PublicQuery{Limit: 2})
	if err != nil || len(first) != 2 {
		t.Fatalf("first page: %v, %v", first, err)
	}
	last := first[1]
	rest, err := db.PublicGames(ctx, store.PublicQuery{Before: last.CompletedAt, BeforeID: last.ID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != len(public)-2 || rest[0].ID != all[2].ID {
		t.Errorf("second page = %d games, want %d starting at %s", len(rest), len(public)-2, all[2].ID)
	}
	if _, err := db.PublicGames(ctx, store.PublicQuery{Limit: 0}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("limit 0: %v, want ErrInvalid", err)
	}
}
