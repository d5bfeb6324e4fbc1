package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golf/stats"
	"golf/store"
	"golf/store/internal/statsql"
	"golf/store/storetest"
)

// The scale tests (docs/BENCHMARKS.md, "Statistics") run only when asked:
// generating takes minutes.
//
//	GOLF_STATS_SCALE=1 go test -run TestStatsScale -v -timeout 60m ./store/sqlite/
//	GOLF_STATS_SCALE_REBUILD=100000 go test -run TestStatsRebuildScale -v -timeout 60m ./store/sqlite/

// TestStatsScale measures the leaderboards on 100,000 players and
// 1,000,000 games made in SQL (generateStats). GOLF_STATS_SCALE_GAMES and
// GOLF_STATS_SCALE_PLAYERS change the size; GOLF_STATS_SCALE_FILE names a
// database file to keep between runs (generated once).
func TestStatsScale(t *testing.T) {
	if os.Getenv("GOLF_STATS_SCALE") != "1" {
		t.Skip("set GOLF_STATS_SCALE=1 to measure the leaderboards at scale (minutes)")
	}
	games, players := envInt("GOLF_STATS_SCALE_GAMES", 1_000_000), envInt("GOLF_STATS_SCALE_PLAYERS", 100_000)
	ctx := context.Background()
	path := os.Getenv("GOLF_STATS_SCALE_FILE")
	if path == "" {
		path = filepath.Join(t.TempDir(), "golf.db")
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var have int
	if err := s.r.QueryRow(`SELECT count(*) FROM projected_games`).Scan(&have); err != nil {
		t.Fatal(err)
	}
	if have == 0 {
		start := time.Now()
		if err := generateStats(ctx, s, games, players); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated %d games of %d players in SQL in %v", games, players, time.Since(start).Round(time.Second))
	}
	var lines, boards, ranked int
	s.r.QueryRow(`SELECT (SELECT count(*) FROM player_game_results), (SELECT count(*) FROM leaderboard_stats),
		(SELECT count(*) FROM player_stats WHERE games_played >= 25)`).Scan(&lines, &boards, &ranked)
	t.Logf("%d result lines, %d board rows, %d players with 25 games or more", lines, boards, ranked)
	rows, err := s.r.Query(`SELECT player_id FROM player_stats ORDER BY player_id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	t.Logf("200 runs each:\n%s", storetest.MeasureBoards(t, s, ids, scaleAt, 200))
	for _, b := range []store.Board{{By: store.ByWins, Period: store.PeriodAll, MinGames: 25},
		{By: store.ByAvg, Period: store.PeriodAll, MinGames: 25}} {
		q, _ := statsql.BoardQuery(b)
		rows, err := s.r.Query("EXPLAIN QUERY PLAN "+q.SQL(dialect), b.Period, 0, 51, 0)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		t.Logf("EXPLAIN QUERY PLAN %s:\n%s", b.By, strings.Join(plan, "\n"))
	}
}

// TestStatsRebuildScale times golf stats rebuild's work over
// GOLF_STATS_SCALE_REBUILD ended games cloned in SQL from 40 random ones.
func TestStatsRebuildScale(t *testing.T) {
	if os.Getenv("GOLF_STATS_SCALE_REBUILD") == "" {
		t.Skip("set GOLF_STATS_SCALE_REBUILD=<games> to time a rebuild at scale (minutes)")
	}
	n, players := envInt("GOLF_STATS_SCALE_REBUILD", 1000), envInt("GOLF_STATS_SCALE_PLAYERS", 100_000)
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	logs := storetest.AppendRandomGames(t, s, 41, 40)
	var templates []string
	for id := range logs {
		templates = append(templates, id)
	}
	start := time.Now()
	if err := cloneGames(ctx, s, templates, n, players); err != nil {
		t.Fatal(err)
	}
	var events int
	s.r.QueryRow(`SELECT count(*) FROM events`).Scan(&events)
	t.Logf("cloned %d games (%d events) in SQL in %v", n, events, time.Since(start).Round(time.Second))
	p := &stats.Projector{Source: s, Resolver: s}
	start = time.Now()
	counted, read, err := p.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	t.Logf("rebuild: %d games read, %d counted, in %v (%.0f games/s); memory from the OS %d MB",
		read, counted, took.Round(time.Second), float64(read)/took.Seconds(), m.Sys>>20)
	if read != n+len(templates) {
		t.Errorf("read %d games, want %d", read, n+len(templates))
	}
}

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil || n <= 0 {
		return def
	}
	return n
}
