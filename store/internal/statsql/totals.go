package statsql

import (
	"cmp"
	"strings"
	"time"

	"golf/store"
)

// PlayerTotals is one player_stats row as a rebuild computes it.
type PlayerTotals struct {
	PlayerID, Name      string
	CPU                 bool
	Games, Won          int
	Rounds, RoundsWon   int
	Total               int
	Best, Worst         *int
	Knockouts, Blunders int
	Graded              int
	Humans              store.Counts
	Rating              store.Rating
	LastAt              time.Time
	LastID              string
}

// BoardTotals is one leaderboard_stats row as a rebuild computes it.
type BoardTotals struct {
	BoardKey
	Games, Won, Rounds, RoundsWon, Total, Knockouts int
	Rating                                          store.Rating
	LastAt                                          time.Time
	LastID                                          string
}

// later reports whether game (at, id) sorts after (bat, bid).
func later(at time.Time, id string, bat time.Time, bid string) bool {
	return cmp.Or(at.Compare(bat), cmp.Compare(id, bid)) > 0
}

// Totals adds up the counted results as the projection's upserts do, one
// game at a time: the rows a rebuild writes. Computing them here rather
// than with SQL window functions keeps a rebuild linear (one pass, no sort
// of every line times every period and scope).
func Totals(results []store.GameResult) ([]*PlayerTotals, []*BoardTotals) {
	players := map[string]*PlayerTotals{}
	boards := map[BoardKey]*BoardTotals{}
	var porder []*PlayerTotals
	var border []*BoardTotals
	for _, r := range results {
		if !r.Counted {
			continue
		}
		periods := []string{store.PeriodAll, store.MonthPeriod(r.CompletedAt), store.WeekPeriod(r.CompletedAt)}
		scopes := r.Scopes()
		for _, p := range r.Players {
			t := players[p.PlayerID]
			if t == nil {
				t = &PlayerTotals{PlayerID: p.PlayerID}
				players[p.PlayerID] = t
				porder = append(porder, t)
			}
			won := b2i(p.Won)
			t.CPU = p.CPU
			t.Games++
			t.Won += won
			t.Rounds += p.RoundsPlayed
			t.RoundsWon += p.RoundsWon
			t.Total += p.Total
			if v, ok := p.Best(); ok && (t.Best == nil || v < *t.Best) {
				t.Best = &v
			}
			if v, ok := p.Worst(); ok && (t.Worst == nil || v > *t.Worst) {
				t.Worst = &v
			}
			t.Knockouts += p.Knockouts
			t.Blunders += p.Blunders
			t.Graded += p.GradedTurns
			if r.VsHumans {
				t.Humans.GamesPlayed++
				t.Humans.GamesWon += won
				t.Humans.RoundsPlayed += p.RoundsPlayed
				t.Humans.RoundsWon += p.RoundsWon
				t.Humans.TotalPoints += p.Total
			}
			if t.LastID == "" || later(r.CompletedAt, r.GameID, t.LastAt, t.LastID) {
				t.Name, t.Rating, t.LastAt, t.LastID = p.Name, p.Rating, r.CompletedAt, r.GameID
			}
			for _, period := range periods {
				for _, sc := range scopes {
					k := BoardKey{period, sc, p.PlayerID}
					b := boards[k]
					if b == nil {
						b = &BoardTotals{BoardKey: k}
						boards[k] = b
						border = append(border, b)
					}
					b.Games++
					b.Won += won
					b.Rounds += p.RoundsPlayed
					b.RoundsWon += p.RoundsWon
					b.Total += p.Total
					b.Knockouts += p.Knockouts
					if b.LastID == "" || later(r.CompletedAt, r.GameID, b.LastAt, b.LastID) {
						b.Rating, b.LastAt, b.LastID = p.Rating, r.CompletedAt, r.GameID
					}
				}
			}
		}
	}
	return porder, border
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// PlayerColumns are the player_stats columns Values fills, in order.
var PlayerColumns = []string{"player_id", "name", "cpu", "games_played", "games_won", "rounds_played",
	"rounds_won", "total_points", "best_round_score", "worst_round_score", "total_knockouts", "total_blunders",
	"graded_turns", "humans_games_played", "humans_games_won", "humans_rounds_played", "humans_rounds_won",
	"humans_total_points", "mu", "sigma", "last_game_at", "last_game_id"}

// Values are the row's values for PlayerColumns; at spells a time.
func (t *PlayerTotals) Values(at func(time.Time) any) []any {
	return []any{t.PlayerID, t.Name, t.CPU, t.Games, t.Won, t.Rounds, t.RoundsWon, t.Total, t.Best, t.Worst,
		t.Knockouts, t.Blunders, t.Graded, t.Humans.GamesPlayed, t.Humans.GamesWon, t.Humans.RoundsPlayed,
		t.Humans.RoundsWon, t.Humans.TotalPoints, t.Rating.Mu, t.Rating.Sigma, at(t.LastAt), t.LastID}
}

// BoardColumns are the leaderboard_stats columns Values fills, in order.
var BoardColumns = []string{"period", "scope", "player_id", "games_played", "games_won", "rounds_played",
	"rounds_won", "total_points", "knockouts", "mu", "sigma", "last_game_at", "last_game_id"}

// Values are the row's values for BoardColumns; at spells a time.
func (b *BoardTotals) Values(at func(time.Time) any) []any {
	return []any{b.Period, int(b.Scope), b.PlayerID, b.Games, b.Won, b.Rounds, b.RoundsWon, b.Total, b.Knockouts,
		b.Rating.Mu, b.Rating.Sigma, at(b.LastAt), b.LastID}
}

// Insert returns an INSERT of columns into table with placeholders param.
func Insert(table string, columns []string, param func(int) string) string {
	ps := make([]string, len(columns))
	for i := range ps {
		ps[i] = param(i + 1)
	}
	return "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES (" + strings.Join(ps, ", ") + ")"
}
