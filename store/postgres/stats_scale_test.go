package postgres

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golf/stats"
	"golf/store"
	"golf/store/internal/statsql"
)

// TestStatsScale measures the leaderboards on 100,000 players and
// 1,000,000 games (docs/BENCHMARKS.md). It runs only with
// GOLF_STATS_SCALE=1: generating takes minutes. GOLF_STATS_SCALE_GAMES
// and GOLF_STATS_SCALE_PLAYERS change the size.
func TestStatsScale(t *testing.T) {
	if os.Getenv("GOLF_STATS_SCALE") != "1" {
		t.Skip("set GOLF_STATS_SCALE=1 to measure the leaderboards at scale (minutes)")
	}
	games, players := envInt("GOLF_STATS_SCALE_GAMES", 1_000_000), envInt("GOLF_STATS_SCALE_PLAYERS", 100_000)
	ctx := context.Background()
	s := openTemp(t)
	defer s.Close()

	// Games: 2–5 seats drawn with a skew (a few play a lot, most a
	// little), ending evenly over a year; a third vs CPUs, half standard.
	start := time.Now()
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	step := 365 * 24 * time.Hour / time.Duration(games)
	results := make([]store.GameResult, games)
	ratings := map[string]store.Rating{}
	for g := range results {
		n := 2 + r.IntN(4)
		res := store.GameResult{GameID: store.NewGameID(), CompletedAt: t0.Add(time.Duration(g) * step).Truncate(time.Microsecond),
			Counted: true, VsHumans: r.IntN(3) > 0, Standard: r.IntN(2) == 0, Rounds: 9}
		if res.Standard {
			res.Preset = "standard"
		}
		seen := map[string]bool{}
		for len(res.Players) < n {
			id := fmt.Sprintf("u%06d", int(float64(players)*math.Pow(r.Float64(), 2.5)))
			if seen[id] {
				continue
			}
			seen[id] = true
			scores := make([]int, 9)
			total := 0
			for i := range scores {
				scores[i] = r.IntN(30) - 4
				total += scores[i]
			}
			res.Players = append(res.Players, store.PlayerResult{PlayerID: id, Name: "Player " + id[1:], Seat: len(res.Players),
				Total: total, RoundsPlayed: 9, RoundsWon: r.IntN(4), RoundScores: scores, Knockouts: r.IntN(3)})
		}
		lowest := slices.MinFunc(res.Players, func(a, b store.PlayerResult) int { return a.Total - b.Total }).Total
		placings := make([]int, n)
		rs := make([]store.Rating, n)
		for i := range res.Players {
			p := &res.Players[i]
			p.Won, p.Placing = p.Total == lowest, 1
			for _, o := range res.Players {
				if o.Total < p.Total {
					p.Placing++
				}
			}
			placings[i] = p.Placing
			if rs[i] = ratings[p.PlayerID]; rs[i] == (store.Rating{}) {
				rs[i] = stats.NewRating()
			}
		}
		stats.Rate(placings, rs)
		for i := range res.Players {
			res.Players[i].Rating = rs[i]
			ratings[res.Players[i].PlayerID] = rs[i]
		}
		results[g] = res
	}
	t.Logf("generated %d games of %d players in memory in %v", games, len(ratings), time.Since(start).Round(time.Second))

	start = time.Now()
	if err := s.RebuildStats(ctx, results); err != nil {
		t.Fatal(err)
	}
	t.Logf("RebuildStats (DELETE, COPY, aggregate, one transaction): %v", time.Since(start).Round(time.Second))
	results = nil
	start = time.Now()
	if _, err := s.pool.Exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	var lines, boards int
	s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM player_game_results), (SELECT count(*) FROM leaderboard_stats)`).Scan(&lines, &boards)
	t.Logf("ANALYZE %v; %d result lines, %d board rows", time.Since(start).Round(time.Second), lines, boards)

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
	for _, x := range []q{{"wins", all, 0, false}, {"games month", store.Board{By: store.ByGames, Period: month, MinGames: 1}, 0, false}} {
		bq, _ := statsql.BoardQuery(x.b)
		rows, err := s.pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+bq.SQL(dialect), x.b.Period, int(x.b.Scope), bq.Min, 51, 0)
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
	rows, err := s.pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+bq.RankSQL(dialect), all.Period, 0, 25, ids[len(ids)/2])
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

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil || n <= 0 {
		return def
	}
	return n
}
