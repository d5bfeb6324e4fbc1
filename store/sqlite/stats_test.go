package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"golf/store"
	"golf/store/internal/statsql"
	"golf/store/storetest"
)

func TestStats(t *testing.T) {
	storetest.RunStats(t, func(t *testing.T) (storetest.StatsDB, func() storetest.StatsDB) {
		path := filepath.Join(t.TempDir(), "golf.db")
		open := func() storetest.StatsDB {
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		return open(), open
	})
}

// TestBoardPlans: every board reads its index in its order, never a
// range and a sort; the boards with a minimum of games read migration
// 00006's partial indexes at the default minimum (25), page and own rank
// alike, and at another minimum the full index (the partial one would be
// refused: SQLite matches its condition word for word).
func TestBoardPlans(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	plan := func(q string, args ...any) string {
		t.Helper()
		rows, err := s.r.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			out = append(out, detail)
		}
		return strings.Join(out, "\n")
	}
	for _, tt := range []struct {
		by       store.Measure
		min      int
		index    string
		bucketed bool // the rank reads the buckets
	}{
		{store.ByWins, 25, "idx_board_wins_ranked (", true},
		{store.ByAvg, 25, "idx_board_avg_ranked (", true},
		{store.ByWins, 26, "idx_board_wins (", false},
		{store.ByAvg, 3, "idx_board_avg (", false},
		{store.ByGames, 25, "idx_board_games (", true},
		{store.ByRating, 25, "idx_board_rating (", true},
	} {
		b := store.Board{By: tt.by, Period: store.PeriodAll, MinGames: tt.min}
		q, err := statsql.BoardQuery(b)
		if err != nil {
			t.Fatal(err)
		}
		p := plan(q.SQL(dialect), b.Period, 0, 51, 0)
		if !strings.Contains(p, tt.index) || strings.Contains(p, "TEMP B-TREE FOR ORDER BY\nSCAN (subquery") {
			t.Errorf("%s, at least %d games: the page does not use %s:\n%s", tt.by, tt.min, tt.index, p)
		}
		// The own rank: the better buckets by their key (migration 00008),
		// then a range of the board's index within the player's bucket
		// (none for games, whose buckets are the key itself); a minimum
		// without buckets counts along the index.
		p = plan(q.RankSQL(dialect), b.Period, 0, "ann")
		buckets := strings.Contains(p, "SEARCH b USING PRIMARY KEY (period=? AND scope=? AND board=? AND bucket")
		if tt.bucketed != buckets || tt.by != store.ByGames && !strings.Contains(p, tt.index) {
			t.Errorf("%s, at least %d games: the rank does not count along %s (buckets %v):\n%s", tt.by, tt.min, tt.index, tt.bucketed, p)
		}
	}
}

// TestBusyIsErrBusy: SQLITE_BUSY (the busy timeout ran out waiting for
// another handle's write lock) reaches callers as store.ErrBusy, which the
// projector tries again; other errors are left as they are.
func TestBusyIsErrBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	open := func() *sql.DB {
		db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(0)&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	if _, err := a.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	held, err := a.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback()
	_, err = b.Begin()
	if err == nil {
		t.Fatal("a second BEGIN IMMEDIATE got the write lock")
	}
	if got := busy(err); !errors.Is(got, store.ErrBusy) {
		t.Errorf("busy(%v) = %v, not store.ErrBusy", err, got)
	}
	other := errors.New("disk full")
	if got := busy(other); got != other {
		t.Errorf("busy(%v) = %v, want it unchanged", other, got)
	}
}
