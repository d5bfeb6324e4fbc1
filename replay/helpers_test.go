package replay

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golf/game"
	"golf/store"
	"golf/store/postgres"
	"golf/store/postgres/pgtest"
	"golf/store/sqlite"
	"golf/store/storetest"
)

// backend is one store the tests run on.
type backend struct {
	name string
	open func(t *testing.T) Store
}

// backends are SQLite always and PostgreSQL when GOLF_TEST_DATABASE_URL is
// set (pgtest skips, or fails under GOLF_REQUIRE_SERVICES=1).
var backends = []backend{
	{"sqlite", func(t *testing.T) Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "golf.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}},
	{"postgres", func(t *testing.T) Store {
		s, err := postgres.Open(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}},
}

// play plays a whole random game and returns its events in Append groups.
func play(t testing.TB, seed uint64, players, rounds int) [][]game.Event {
	t.Helper()
	groups, err := storetest.Play(rand.New(rand.NewPCG(seed, 3)), players, rounds, game.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return groups
}

func flat(groups [][]game.Event) []game.Event {
	var out []game.Event
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// stored appends groups to st as a new game, as a live table would, and
// returns its id.
func stored(t *testing.T, st store.Store, groups [][]game.Event) string {
	t.Helper()
	id := store.NewGameID()
	var n int64
	for _, g := range groups {
		if err := st.Append(context.Background(), id, n, g); err != nil {
			t.Fatal(err)
		}
		n += int64(len(g))
	}
	return id
}

// fixedDoc is the export of a deterministic game with fixed times and id.
func fixedDoc(t testing.TB, seed uint64, players, rounds int) *Document {
	t.Helper()
	evs := flat(play(t, seed, players, rounds))
	start := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	const id = "0b6f5c1e-8f1a-4c2e-9d3b-2a7e5f4c1d00"
	recs := make([]store.Record, len(evs))
	for i, e := range evs {
		b, err := game.MarshalEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		recs[i] = store.Record{GameID: id, Seq: int64(i + 1), Type: e.Type(), PlayerID: e.Actor(), Data: b,
			At: start.Add(time.Duration(i) * 1500 * time.Millisecond)}
	}
	row := store.Game{ID: id, Status: "completed", CreatedAt: start, CompletedAt: recs[len(recs)-1].At}
	doc, err := Build(row, recs)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func encoded(t testing.TB, d *Document) []byte {
	t.Helper()
	b, err := Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
