package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golf/store"
	"golf/store/internal/statsql"
)

// TestStatsScale measures the leaderboards on 100,000 players and
// 1,000,000 games (docs/BENCHMARKS.md). It runs only with
// GOLF_STATS_SCALE=1: generating takes minutes. GOLF_STATS_SCALE_GAMES
// and GOLF_STATS_SCALE_PLAYERS change the size; GOLF_STATS_SCALE_BASELINE=1
// drops migration 00006's indexes first, to measure without them.
func TestStatsScale(t *testing.T) {
	if os.Getenv("GOLF_STATS_SCALE") != "1" {
		t.Skip("set GOLF_STATS_SCALE=1 to measure the leaderboards at scale (minutes)")
	}
	games, players := envInt("GOLF_STATS_SCALE_GAMES", 1_000_000), envInt("GOLF_STATS_SCALE_PLAYERS", 100_000)
	ctx := context.Background()
	s := scaleStore(t)
	defer s.Close()
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

	start := time.Now()
	var have int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM projected_games`).Scan(&have); err != nil {
		t.Fatal(err)
	}
	if have == 0 {
		if err := generateStats(ctx, s, games, players); err != nil {
			t.Fatal(err)
		}
	}
	var lines, boards, ranked int
	s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM player_game_results), (SELECT count(*) FROM leaderboard_stats),
		(SELECT count(*) FROM player_stats WHERE games_played >= 25)`).Scan(&lines, &boards, &ranked)
	t.Logf("generated %d games of %d players in SQL in %v: %d result lines, %d board rows, %d players with 25 games or more",
		games, players, time.Since(start).Round(time.Second), lines, boards, ranked)
	if os.Getenv("GOLF_STATS_SCALE_BASELINE") == "1" {
		for _, ix := range indexes00006 {
			if _, err := s.pool.Exec(ctx, `DROP INDEX IF EXISTS `+ix); err != nil {
				t.Fatal(err)
			}
		}
		t.Log("baseline: migration 00006's indexes dropped")
	}
	var ratings = map[string]bool{}
	rows, err := s.pool.Query(ctx, `SELECT player_id FROM player_stats`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ratings[id] = true
	}
	rows.Close()
	month, week := store.MonthPeriod(t0.Add(300*24*time.Hour)), store.WeekPeriod(t0.Add(300*24*time.Hour))
	ids := make([]string, 0, len(ratings))
	for id := range ratings {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	type q struct {
		name   string
		b      store.Board
		offset int
		rank   bool
	}
	var qs []q
	for _, period := range []string{store.PeriodAll, month, week} {
		for _, by := range []store.Measure{store.ByWins, store.ByGames, store.ByAvg, store.ByRating} {
			for _, sc := range []store.Scope{0, store.ScopeHumans | store.ScopeStandard} {
				b := store.Board{By: by, Period: period, Scope: sc, MinGames: 25}
				qs = append(qs, q{fmt.Sprintf("%s %s scope %d page 1", by, period, sc), b, 0, false})
			}
		}
	}
	all := store.Board{By: store.ByWins, Period: store.PeriodAll, MinGames: 25}
	qs = append(qs, q{"wins all page 20", all, 19 * 50, false}, q{"wins all: a player's own rank", all, 0, true},
		q{"rating all: a player's own rank", store.Board{By: store.ByRating, Period: store.PeriodAll}, 0, true},
		q{"games month: a player's own rank", store.Board{By: store.ByGames, Period: month}, 0, true})
	var report strings.Builder
	const runs = 200
	for _, x := range qs {
		d := make([]time.Duration, runs)
		for i := range runs {
			t1 := time.Now()
			var err error
			if x.rank {
				_, err = s.BoardRank(ctx, x.b, ids[r.IntN(len(ids))])
				if err != nil && !strings.Contains(err.Error(), "not found") {
					t.Fatal(err)
				}
			} else if _, _, err = s.Leaderboard(ctx, x.b, x.offset, 50); err != nil {
				t.Fatal(err)
			}
			d[i] = time.Since(t1)
		}
		slices.Sort(d)
		fmt.Fprintf(&report, "| %s | %.2f | %.2f |\n", x.name, ms(d[runs/2]), ms(d[runs*99/100]))
	}
	t.Logf("query | p50 ms | p99 ms (%d runs each)\n%s", runs, report.String())
	for _, x := range []q{{"wins", all, 0, false}, {"avg", store.Board{By: store.ByAvg, Period: store.PeriodAll, MinGames: 25}, 0, false},
		{"rating", store.Board{By: store.ByRating, Period: store.PeriodAll}, 0, false},
		{"games month", store.Board{By: store.ByGames, Period: month, MinGames: 1}, 0, false}} {
		bq, _ := statsql.BoardQuery(x.b)
		rows, err := s.pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+bq.SQL(dialect), x.b.Period, int(x.b.Scope), 51, 0)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			rows.Scan(&line)
			plan = append(plan, line)
		}
		t.Logf("EXPLAIN %s:\n%s", x.name, strings.Join(plan, "\n"))
	}
	bq, _ := statsql.BoardQuery(all)
	rows, err = s.pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+bq.RankSQL(dialect), all.Period, 0, ids[len(ids)/2])
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plan = append(plan, line)
	}
	t.Logf("EXPLAIN own rank (wins):\n%s", strings.Join(plan, "\n"))
}

// scaleStore opens GOLF_STATS_SCALE_URL if set (a database kept between
// runs: generated once), else a temporary one.
func scaleStore(t *testing.T) *Store {
	url := os.Getenv("GOLF_STATS_SCALE_URL")
	if url == "" {
		return openTemp(t)
	}
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil || n <= 0 {
		return def
	}
	return n
}
