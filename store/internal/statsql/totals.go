package statsql

import (
	"cmp"
	"fmt"
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

// Totaler adds up the counted results as the projection's upserts do, one
// game at a time: the rows a rebuild writes. Computing them here rather
// than with SQL window functions keeps a rebuild linear (one pass, no sort
// of every line times every period and scope). It holds a row per player and per board row of all time, and only the
// current month's and week's board rows (Closed hands back the others),
// so its memory follows the players, not the games.
type Totaler struct {
	players map[string]*PlayerTotals
	porder  []*PlayerTotals
	// boards by period: all time, and the months and weeks not closed.
	boards map[string]*periodTotals
	border []string // periods in the order first seen
}

type periodTotals struct {
	rows  map[BoardKey]*BoardTotals
	order []*BoardTotals
}

// Closed returns the board rows of the months and weeks that a result
// ending at at comes after (results arrive in end-time order, so they
// are final), and forgets them.
func (t *Totaler) Closed(at time.Time) []*BoardTotals {
	month, week := store.MonthPeriod(at), store.WeekPeriod(at)
	var out []*BoardTotals
	keep := t.border[:0]
	for _, p := range t.border {
		if p == store.PeriodAll || p == month || p == week {
			keep = append(keep, p)
			continue
		}
		out = append(out, t.boards[p].order...)
		delete(t.boards, p)
	}
	t.border = keep
	return out
}

// Add adds one result (counted or not; an uncounted one adds nothing).
func (t *Totaler) Add(r store.GameResult) {
	if !r.Counted {
		return
	}
	if t.players == nil {
		t.players, t.boards = map[string]*PlayerTotals{}, map[string]*periodTotals{}
	}
	periods := []string{store.PeriodAll, store.MonthPeriod(r.CompletedAt), store.WeekPeriod(r.CompletedAt)}
	scopes := r.Scopes()
	for _, p := range r.Players {
		pt := t.players[p.PlayerID]
		if pt == nil {
			pt = &PlayerTotals{PlayerID: p.PlayerID}
			t.players[p.PlayerID] = pt
			t.porder = append(t.porder, pt)
		}
		won := b2i(p.Won)
		pt.CPU = p.CPU
		pt.Games++
		pt.Won += won
		pt.Rounds += p.RoundsPlayed
		pt.RoundsWon += p.RoundsWon
		pt.Total += p.Total
		if v, ok := p.Best(); ok && (pt.Best == nil || v < *pt.Best) {
			pt.Best = &v
		}
		if v, ok := p.Worst(); ok && (pt.Worst == nil || v > *pt.Worst) {
			pt.Worst = &v
		}
		pt.Knockouts += p.Knockouts
		pt.Blunders += p.Blunders
		pt.Graded += p.GradedTurns
		if r.VsHumans {
			pt.Humans.GamesPlayed++
			pt.Humans.GamesWon += won
			pt.Humans.RoundsPlayed += p.RoundsPlayed
			pt.Humans.RoundsWon += p.RoundsWon
			pt.Humans.TotalPoints += p.Total
		}
		if pt.LastID == "" || later(r.CompletedAt, r.GameID, pt.LastAt, pt.LastID) {
			pt.Name, pt.Rating, pt.LastAt, pt.LastID = p.Name, p.Rating, r.CompletedAt, r.GameID
		}
		for _, period := range periods {
			pb := t.boards[period]
			if pb == nil {
				pb = &periodTotals{rows: map[BoardKey]*BoardTotals{}}
				t.boards[period] = pb
				t.border = append(t.border, period)
			}
			for _, sc := range scopes {
				k := BoardKey{period, sc, p.PlayerID}
				b := pb.rows[k]
				if b == nil {
					b = &BoardTotals{BoardKey: k}
					pb.rows[k] = b
					pb.order = append(pb.order, b)
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

// Rest returns every player's row and the board rows not closed yet.
func (t *Totaler) Rest() ([]*PlayerTotals, []*BoardTotals) {
	var boards []*BoardTotals
	for _, p := range t.border {
		boards = append(boards, t.boards[p].order...)
	}
	return t.porder, boards
}

// InOrder refuses a result that sorts before the one before it (prev,
// zero at the start): a rebuild's results come in (completed_at, game_id)
// order, which closing periods and rating rely on.
func InOrder(prev, r store.GameResult) error {
	if prev.GameID != "" && !later(r.CompletedAt, r.GameID, prev.CompletedAt, prev.GameID) {
		return fmt.Errorf("%w: rebuild: game %s comes after %s", store.ErrInvalid, r.GameID, prev.GameID)
	}
	return nil
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
