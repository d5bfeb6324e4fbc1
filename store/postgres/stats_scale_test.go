package postgres

import (
	"context"
	"fmt"
	neturl "net/url"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"golf/stats"
	"golf/store"
	"golf/store/internal/statsql"
	"golf/store/storetest"
)

// The scale tests (docs/BENCHMARKS.md, "Statistics") run only when asked:
// generating takes minutes.
//
//	GOLF_STATS_SCALE=1 go test -run TestStatsScale -v -timeout 60m ./store/postgres/
//	GOLF_STATS_SCALE_REBUILD=100000 go test -run TestStatsRebuildScale -v -timeout 60m ./store/postgres/
//
// GOLF_STATS_SCALE_KEEP=<database> keeps the generated data in that
// database of the test server: TestStatsRebuildScale generates it once
// (GOLF_STATS_SCALE_GENERATE_ONLY=1: and stops there), later runs rebuild
// it again, and TestStatsScale then times the boards the rebuild made.

// TestStatsScale measures the leaderboards on 100,000 players and
// 1,000,000 games made in SQL (generateStats). GOLF_STATS_SCALE_GAMES and
// GOLF_STATS_SCALE_PLAYERS change the size; GOLF_STATS_SCALE_BASELINE=1
// drops migration 00006's indexes first, to measure without them;
// GOLF_STATS_SCALE_URL names a database to keep between runs (generated
// once).
func TestStatsScale(t *testing.T) {
	if os.Getenv("GOLF_STATS_SCALE") != "1" {
		t.Skip("set GOLF_STATS_SCALE=1 to measure the leaderboards at scale (minutes)")
	}
	games, players := envInt("GOLF_STATS_SCALE_GAMES", 1_000_000), envInt("GOLF_STATS_SCALE_PLAYERS", 100_000)
	ctx := context.Background()
	s := scaleStore(t)
	defer s.Close()

	start := time.Now()
	var have int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM projected_games`).Scan(&have); err != nil {
		t.Fatal(err)
	}
	if have == 0 {
		if err := generateStats(ctx, s, games, players); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated %d games of %d players in SQL in %v", games, players, time.Since(start).Round(time.Second))
	}
	var lines, boards, ranked int
	s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM player_game_results), (SELECT count(*) FROM leaderboard_stats),
		(SELECT count(*) FROM player_stats WHERE games_played >= 25)`).Scan(&lines, &boards, &ranked)
	t.Logf("%d result lines, %d board rows, %d players with 25 games or more", lines, boards, ranked)
	if os.Getenv("GOLF_STATS_SCALE_BASELINE") == "1" {
		for _, ix := range indexes00006 {
			if _, err := s.pool.Exec(ctx, `DROP INDEX IF EXISTS `+ix); err != nil {
				t.Fatal(err)
			}
		}
		t.Log("baseline: migration 00006's indexes dropped")
	}
	rows, err := s.pool.Query(ctx, `SELECT player_id FROM player_stats ORDER BY player_id`)
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

	explain := func(name, q string, args ...any) {
		rows, err := s.pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			rows.Scan(&line)
			plan = append(plan, line)
		}
		t.Logf("EXPLAIN %s:\n%s", name, strings.Join(plan, "\n"))
	}
	for _, b := range []store.Board{{By: store.ByWins, Period: store.PeriodAll, MinGames: 25},
		{By: store.ByAvg, Period: store.PeriodAll, MinGames: 25},
		{By: store.ByRating, Period: store.PeriodAll}, {By: store.ByGames, Period: scaleMonth}} {
		q, _ := statsql.BoardQuery(b)
		explain(fmt.Sprintf("%s page 1", b.By), q.SQL(dialect), b.Period, 0, 51, 0)
		explain(fmt.Sprintf("%s own rank", b.By), q.RankSQL(dialect), b.Period, 0, ids[len(ids)/50]) // a regular: on every board
	}
}

// TestStatsRebuildScale times golf stats rebuild's work (stats.Projector
// Rebuild, as the command runs it) over GOLF_STATS_SCALE_REBUILD ended
// games: 40 random games played and stored, then cloned in SQL, events
// and all (cloneGames), among GOLF_STATS_SCALE_PLAYERS players.
func TestStatsRebuildScale(t *testing.T) {
	n := envInt("GOLF_STATS_SCALE_REBUILD", 0)
	if os.Getenv("GOLF_STATS_SCALE_REBUILD") == "" {
		t.Skip("set GOLF_STATS_SCALE_REBUILD=<games> to time a rebuild at scale (minutes)")
	}
	players := envInt("GOLF_STATS_SCALE_PLAYERS", 100_000)
	ctx := context.Background()
	s := scaleStore(t)
	defer s.Close()
	var have int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM games`).Scan(&have); err != nil {
		t.Fatal(err)
	}
	if have == 0 {
		logs := storetest.AppendRandomGames(t, s, 41, 40)
		var templates []string
		for id := range logs {
			templates = append(templates, id)
		}
		start := time.Now()
		if err := cloneGames(ctx, s, templates, n, players); err != nil {
			t.Fatal(err)
		}
		have = n + len(templates)
		t.Logf("cloned %d games in %v (load average %s)", n, time.Since(start).Round(time.Second), loadavg())
		if os.Getenv("GOLF_STATS_SCALE_GENERATE_ONLY") == "1" {
			return // the rebuild is timed by a later run on the kept database
		}
	} else {
		t.Logf("kept database: %d games", have)
	}
	var events int
	s.pool.QueryRow(ctx, `SELECT reltuples::bigint FROM pg_class WHERE oid = 'events'::regclass`).Scan(&events) // an estimate: counting 140 M rows reads the whole table
	t.Logf("%d games, about %d events", have, events)

	// Peak RSS of the rebuild alone: the kernel's high-water mark is
	// reset first (clear_refs 5), so the generation does not count.
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	before, cpu0 := loadavg(), cpuTime()
	src := &countingSource{Store: s}
	p := &stats.Projector{Source: src, Resolver: s}
	start := time.Now()
	done := make(chan struct{})
	go func() { // progress: a long rebuild's rate and memory as it goes
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				t.Logf("rebuild: %v, %d games loaded, RSS %s, peak %s, load %s", time.Since(start).Round(time.Second),
					src.loaded.Load(), rss(), peakRSS(), loadavg())
			}
		}
	}()
	counted, read, err := p.Rebuild(ctx)
	close(done)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	t.Logf("rebuild: %d games read, %d counted, in %v (%.0f games/s); CPU of this process %v; peak RSS %s; Go heap from the OS %d MB; load average before %s, after %s",
		read, counted, took.Round(time.Second), float64(read)/took.Seconds(), (cpuTime() - cpu0).Round(time.Second),
		peakRSS(), m.Sys>>20, before, loadavg())
	if read != have {
		t.Errorf("read %d games, want %d", read, have)
	}
}

// countingSource counts the game logs a rebuild loads.
type countingSource struct {
	*Store
	loaded atomic.Int64
}

func (c *countingSource) Load(ctx context.Context, gameID string) ([]store.Record, error) {
	c.loaded.Add(1)
	return c.Store.Load(ctx, gameID)
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// peakRSS is the process's VmHWM, rss its VmRSS.
func peakRSS() string { return procStatus("VmHWM:") }
func rss() string     { return procStatus("VmRSS:") }

func procStatus(key string) string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, key); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// scaleStore opens the database GOLF_STATS_SCALE_KEEP names on the test
// server (created if missing, kept after the test: generated once, then
// measured again and again), or GOLF_STATS_SCALE_URL, else a temporary one.
func scaleStore(t *testing.T) *Store {
	ctx := context.Background()
	url := os.Getenv("GOLF_STATS_SCALE_URL")
	if name := os.Getenv("GOLF_STATS_SCALE_KEEP"); name != "" {
		base := os.Getenv("GOLF_TEST_DATABASE_URL")
		u, err := neturl.Parse(base)
		if base == "" || err != nil {
			t.Fatalf("GOLF_STATS_SCALE_KEEP needs GOLF_TEST_DATABASE_URL: %v", err)
		}
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		var exists bool
		conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists)
		if !exists {
			if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
				t.Fatal(err)
			}
		}
		conn.Close(ctx)
		u.Path = "/" + name
		url = u.String()
	}
	if url == "" {
		return openTemp(t)
	}
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil || n <= 0 {
		return def
	}
	return n
}
