package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"golf/stats"
	"golf/store"
)

// testStatsRanks checks a player's own rank (BoardRank: migration 00008's
// buckets, or a plain count) against the rank a plain count over the whole
// board gives, for every player on every board of random fixtures: after
// a projection with late games (re-rated), after a rebuild, and after a
// relink. Two raters: the real one, and one whose ratings are multiples of
// 1/16, so that ratings tie and fall on the buckets' bounds (as integer
// averages and win rates such as 1/2 do).
func testStatsRanks(t *testing.T, db StatsDB, _ func() StatsDB) {
	for i, rt := range []struct {
		name  string
		rater store.Rater
	}{{"stepped ratings", stepRater{}}, {"rated", stats.Model{}}} {
		if raceDetector && i > 0 {
			// Under the race detector one rater is enough to catch a
			// race; the ratings on bucket edges are the harder case.
			break
		}
		// A year apart: a late game re-rates every game after it, and
		// the other rater's games must not be among them.
		t0 := time.Date(2026+i, 3, 20, 12, 0, 0, 0, time.UTC)
		t.Run(rt.name, func(t *testing.T) {
			ctx := context.Background()
			r := rand.New(rand.NewPCG(21, 22))
			var ids []string
			for i := range 24 {
				ids = append(ids, fmt.Sprintf("%s-r%02d", rt.name[:1], i))
			}
			var games []store.GameResult
			for i := range 280 {
				r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				n := 2 + r.IntN(3)
				totals := map[string]int{}
				for _, id := range ids[:n] {
					totals[id] = r.IntN(5)
				}
				at := t0.Add(time.Duration(i) * time.Hour)
				games = append(games, result(at, r.IntN(3) > 0, r.IntN(2) == 0, totals, ids[:n]...))
			}
			// Project in batches, ten games held back and projected last
			// (committed late: re-rated, board rows updated again).
			late := map[int]bool{}
			for len(late) < 10 {
				late[r.IntN(len(games))] = true
			}
			var batch, held []store.GameResult
			flush := func() {
				if _, err := db.ProjectBatch(ctx, batch, rt.rater); err != nil {
					t.Fatal(err)
				}
				batch = batch[:0]
			}
			for i, g := range games {
				g.Players = slices.Clone(g.Players)
				if late[i] {
					held = append(held, g)
					continue
				}
				if batch = append(batch, g); len(batch) == 20 {
					flush()
				}
			}
			flush()
			batch = held
			flush()
			// 280 hours of games: one month, two weeks.
			periods := []string{store.PeriodAll, store.MonthPeriod(t0), store.WeekPeriod(t0), store.WeekPeriod(t0.Add(10 * 24 * time.Hour))}
			checkRanks(t, db, "projected", periods, ids)

			rateWith(games, rt.rater)
			if err := db.RebuildStats(ctx, store.ResultsOf(games)); err != nil {
				t.Fatal(err)
			}
			checkRanks(t, db, "rebuilt", periods, ids)

			if _, err := db.Relink(ctx, ids[0], ids[1], rt.rater); err != nil {
				t.Fatal(err)
			}
			checkRanks(t, db, "relinked", periods, ids)
		})
	}
}

// stepRater moves μ by a quarter per place above or below the middle and
// shrinks σ by 1/16 down to 1/2: every rating μ − 3σ is a multiple of 1/16,
// a bound of the rating buckets.
type stepRater struct{}

func (stepRater) Initial() store.Rating { return store.Rating{Mu: 25, Sigma: 2} }

func (stepRater) Rate(placings []int, rs []store.Rating) {
	for i := range rs {
		rs[i].Mu += float64(2-placings[i]) * 0.25
		rs[i].Sigma = max(0.5, rs[i].Sigma-0.0625)
	}
}

// rateWith sets the ratings of games (in order) as a rebuild would.
func rateWith(games []store.GameResult, rater store.Rater) {
	ratings := map[string]store.Rating{}
	for i := range games {
		g := &games[i]
		g.Players = slices.Clone(g.Players)
		placings := make([]int, len(g.Players))
		rs := make([]store.Rating, len(g.Players))
		for k, p := range g.Players {
			placings[k] = p.Placing
			var ok bool
			if rs[k], ok = ratings[p.PlayerID]; !ok {
				rs[k] = rater.Initial()
			}
		}
		rater.Rate(placings, rs)
		for k := range g.Players {
			g.Players[k].Rating = rs[k]
			ratings[g.Players[k].PlayerID] = rs[k]
		}
	}
}

// checkRanks compares every player's BoardRank with a plain count over the
// board's rows (one more than the rows strictly better by the board's
// key), on every measure, period and scope, at the minimum the buckets
// serve (25) and at another (3, counted plainly).
func checkRanks(t *testing.T, db StatsDB, what string, periods, players []string) {
	t.Helper()
	ctx := context.Background()
	checked, shared := 0, 0
	for _, period := range periods {
		for sc := store.ScopeAll; sc <= store.ScopeHumans|store.ScopeStandard; sc++ {
			for _, b := range []store.Board{{By: store.ByWins, MinGames: 25}, {By: store.ByWins, MinGames: 3},
				{By: store.ByAvg, MinGames: 25}, {By: store.ByAvg, MinGames: 3}, {By: store.ByGames}, {By: store.ByRating}} {
				b.Period, b.Scope = period, sc
				rows, _, err := db.Leaderboard(ctx, b, 0, 10_000)
				if err != nil {
					t.Fatal(err)
				}
				on := map[string]bool{}
				for _, row := range rows {
					on[row.PlayerID] = true
					want := 1
					for _, o := range rows {
						if betterRow(b.By, o, row) {
							want++
						}
					}
					if want != row.Rank {
						t.Errorf("%s: %+v: %s ranked %d on the page, %d by a count", what, b, row.PlayerID, row.Rank, want)
					}
					got, err := db.BoardRank(ctx, b, row.PlayerID)
					if err != nil || got.Rank != want || got.PlayerID != row.PlayerID {
						t.Errorf("%s: %+v: %s: own rank %d (%v), %d by a count", what, b, row.PlayerID, got.Rank, err, want)
					}
					checked++
				}
				for i := 1; i < len(rows); i++ {
					if rows[i].Rank == rows[i-1].Rank {
						shared++
					}
				}
				for _, p := range players {
					if !on[p] {
						if _, err := db.BoardRank(ctx, b, p); !errors.Is(err, store.ErrNotFound) {
							t.Errorf("%s: %+v: %s is not on the board: %v", what, b, p, err)
						}
					}
				}
			}
		}
	}
	if checked < 1000 || shared < 100 {
		t.Fatalf("%s: %d ranks checked, %d shared: the fixtures exercise too little", what, checked, shared)
	}
}

// betterRow: o ranks strictly above r on a board by m (RANK()'s order).
func betterRow(m store.Measure, o, r store.BoardRow) bool {
	rate := func(x store.BoardRow) float64 { return float64(x.GamesWon) / float64(x.GamesPlayed) }
	avg := func(x store.BoardRow) float64 { return float64(x.TotalPoints) / float64(x.RoundsPlayed) }
	rating := func(x store.BoardRow) float64 { return x.Rating.Mu - float64(3*x.Rating.Sigma) }
	switch m {
	case store.ByWins:
		return rate(o) > rate(r) || rate(o) == rate(r) && o.GamesWon > r.GamesWon
	case store.ByAvg:
		return avg(o) < avg(r)
	case store.ByGames:
		return o.GamesPlayed > r.GamesPlayed
	}
	return rating(o) > rating(r)
}
