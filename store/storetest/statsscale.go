package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"golf/store"
)

// MeasureBoards times the leaderboards' queries on db (the scale tests of
// both backends, docs/BENCHMARKS.md): the first page of every measure in
// three periods (all time, and the month and week of at) without and with
// both filters, a deep page, and a random player's own rank; runs times
// each. It returns a Markdown table of medians and 99th percentiles.
func MeasureBoards(t *testing.T, db store.Stats, players []string, at time.Time, runs int) string {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	month, week := store.MonthPeriod(at), store.WeekPeriod(at)
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
				name := strings.SplitN(period, ":", 2)[0]
				qs = append(qs, q{fmt.Sprintf("%s, %s, %s, page 1", by, name, map[store.Scope]string{0: "all games", 3: "vs humans + standard"}[sc]), b, 0, false})
			}
		}
	}
	wins := store.Board{By: store.ByWins, Period: store.PeriodAll, MinGames: 25}
	avg := store.Board{By: store.ByAvg, Period: store.PeriodAll, MinGames: 25}
	qs = append(qs, q{"wins, all, page 20", wins, 19 * 50, false},
		q{"wins, all: a player's own rank", wins, 0, true},
		q{"avg, all: a player's own rank", avg, 0, true},
		q{"rating, all: a player's own rank", store.Board{By: store.ByRating, Period: store.PeriodAll}, 0, true},
		q{"games, month: a player's own rank", store.Board{By: store.ByGames, Period: month}, 0, true})
	var report strings.Builder
	report.WriteString("| query | p50 ms | p99 ms |\n| --- | --- | --- |\n")
	for _, x := range qs {
		d := make([]time.Duration, runs)
		for i := range runs {
			start := time.Now()
			var err error
			if x.rank {
				if _, err = db.BoardRank(ctx, x.b, players[r.IntN(len(players))]); err != nil && !strings.Contains(err.Error(), "not found") {
					t.Fatal(err)
				}
			} else if _, _, err = db.Leaderboard(ctx, x.b, x.offset, 50); err != nil {
				t.Fatal(err)
			}
			d[i] = time.Since(start)
		}
		slices.Sort(d)
		fmt.Fprintf(&report, "| %s | %.2f | %.2f |\n", x.name, ms(d[runs/2]), ms(d[runs*99/100]))
	}
	return report.String()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
