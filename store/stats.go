package store

import (
	"context"
	"iter"
	"time"
)

// This file is the storage contract of the player statistics (package
// stats, docs/stats.md): a projection of ended games' events. Both
// backends implement Stats and pass storetest.RunStats.

// GameResult is what one ended game contributes to the statistics. Package
// stats folds it from the game's events; the store only writes it.
type GameResult struct {
	GameID string
	// CompletedAt is the games row's completed_at: the period the game
	// counts in, and with GameID the order ratings are folded in.
	CompletedAt time.Time
	// Counted is false for a game that counts for nothing (abandoned,
	// imported, never started): only its projected mark is written.
	Counted  bool
	VsHumans bool   // two or more human seats
	Standard bool   // standard rules (rules §3.4)
	Preset   string // the preset its options equal (rules §9), "" for another mix
	Rounds   int    // rounds scored
	Players  []PlayerResult
}

// PlayerResult is one seat's part of a GameResult.
type PlayerResult struct {
	PlayerID string // canonical: the user's id, or "cpu:<profile>"
	Name     string // as the game showed it
	CPU      bool
	Seat     int // from 0
	// Placing is 1 for the lowest total; equal totals share a place, and
	// players who departed come after everyone who stayed.
	Placing      int
	Won          bool
	Departed     bool
	Total        int
	RoundsPlayed int
	RoundsWon    int
	RoundScores  []int // one per round scored, in order
	Knockouts    int   // rounds this player went out first
	Blunders     int   // own graded turns classed as blunders (docs/ai.md §5)
	GradedTurns  int
	// Rating after this game. Project sets it; RebuildStats takes it as
	// given.
	Rating Rating
}

// Best returns the lowest round score, and false without rounds.
func (p PlayerResult) Best() (int, bool) {
	return extreme(p.RoundScores, func(a, b int) bool { return a < b })
}

// Worst returns the highest round score, and false without rounds.
func (p PlayerResult) Worst() (int, bool) {
	return extreme(p.RoundScores, func(a, b int) bool { return a > b })
}

func extreme(xs []int, better func(a, b int) bool) (int, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	m := xs[0]
	for _, x := range xs[1:] {
		if better(x, m) {
			m = x
		}
	}
	return m, true
}

// Rating is a skill estimate: a mean and its uncertainty.
type Rating struct {
	Mu    float64 `json:"mu"`
	Sigma float64 `json:"sigma"`
}

// Rater is the rating model (package stats provides it).
type Rater interface {
	// Initial is the rating of a player before their first game.
	Initial() Rating
	// Rate updates one game's ratings in place: rs[i] holds the rating of
	// the player placed placings[i] before the game, and after it. It must
	// be a pure function of its arguments.
	Rate(placings []int, rs []Rating)
}

// EndedGame is a game whose end the projection has not taken in yet.
type EndedGame struct {
	ID          string
	Status      string // completed or abandoned
	CompletedAt time.Time
	// Imported is true for a game brought in by import (replay): it counts
	// for nothing. Always false while the games table has no import marker.
	Imported bool
}

// EndedQuery selects ended games.
type EndedQuery struct {
	// Since: games that ended at or after it (zero: ever); with AfterID,
	// only those after (Since, AfterID) in order, a cursor.
	Since   time.Time
	AfterID string
	Limit   int
	// All includes projected games too (a rebuild reads them all).
	All bool
}

// Scope is a leaderboard's filter on games: a bit set.
type Scope uint8

const (
	ScopeAll      Scope = 0
	ScopeHumans   Scope = 1 // games with two or more human seats
	ScopeStandard Scope = 2 // games under standard rules
)

// Scopes returns the scopes a game counts in.
func (r GameResult) Scopes() []Scope {
	s := []Scope{ScopeAll}
	if r.VsHumans {
		s = append(s, ScopeHumans)
	}
	if r.Standard {
		s = append(s, ScopeStandard)
	}
	if r.VsHumans && r.Standard {
		s = append(s, ScopeHumans|ScopeStandard)
	}
	return s
}

// Measure is what a leaderboard ranks by.
type Measure string

const (
	ByWins   Measure = "wins"   // win rate, then games won; at least MinGames
	ByGames  Measure = "games"  // games played
	ByAvg    Measure = "avg"    // average round score, lowest first; at least MinGames
	ByRating Measure = "rating" // rating (mu - 3 sigma)
)

// Board selects one leaderboard.
type Board struct {
	By       Measure
	Period   string // "all", "month:2026-03", "week:2026-03-02" (package stats names them)
	Scope    Scope
	MinGames int // for ByWins and ByAvg
}

// BoardRow is one player's line on a leaderboard. Equal values share a
// rank (RANK()).
type BoardRow struct {
	Rank         int
	PlayerID     string
	Name         string
	CPU          bool
	GamesPlayed  int
	GamesWon     int
	RoundsPlayed int
	RoundsWon    int
	TotalPoints  int
	Knockouts    int
	Rating       Rating // after the player's last game in the board's period and scope
}

// PlayerStats is one player's all-time row (the seed's player_stats, plus
// the vs-humans split and the rating).
type PlayerStats struct {
	PlayerID     string
	Name         string // as their latest game showed it
	CPU          bool
	GamesPlayed  int
	GamesWon     int
	RoundsPlayed int
	RoundsWon    int
	TotalPoints  int
	BestRound    *int // nil before any round
	WorstRound   *int
	Knockouts    int
	Blunders     int
	GradedTurns  int
	Humans       Counts // games with two or more human seats only
	Rating       Rating
	LastGameAt   time.Time
}

// Counts are the additive figures of a set of games.
type Counts struct {
	GamesPlayed  int
	GamesWon     int
	RoundsPlayed int
	RoundsWon    int
	TotalPoints  int
}

// PlayedGame is one game in a player's history.
type PlayedGame struct {
	GameID      string
	CompletedAt time.Time
	Standard    bool
	Preset      string
	VsHumans    bool
	Rounds      int
	Players     []PlayerResult // every seat, in seat order; Rating and Blunders filled
}

// Stats is the storage of the statistics projection (docs/stats.md).
type Stats interface {
	// EndedGames returns the games that ended (completed or abandoned)
	// that q selects, but archived ones (their events are in a file), in (completed_at, id) order. It finds them by the
	// games index, never by event ids, which can commit out of order.
	EndedGames(ctx context.Context, q EndedQuery) ([]EndedGame, error)
	// StatsLag returns how many games that ended at or after since are not
	// projected, and when the oldest of them ended (zero if none).
	StatsLag(ctx context.Context, since time.Time) (int, time.Time, error)
	// ProjectedUpTo returns the latest end time among projected games
	// (zero if none).
	ProjectedUpTo(ctx context.Context) (time.Time, error)
	// Project writes one game's result and the mark that it is projected
	// in one transaction, serialized with every other Project and
	// RebuildStats: it returns false and writes nothing if the game is
	// projected already, so each game counts exactly once however many
	// projectors run. For a counted game the rater is called with its players'
	// ratings before it; a game that sorts before one already projected
	// (it committed late) re-rates every counted game from it on, so the
	// ratings always equal a fold in (completed_at, game_id) order.
	Project(ctx context.Context, r GameResult, rater Rater) (bool, error)
	// ProjectBatch is Project for several games in one transaction, in
	// the order given: each is written, or found projected already and
	// skipped, as Project would; it returns how many it wrote. The batch
	// commits whole or not at all, so the marks still go with the rows; a
	// backlog costs one commit per batch, not per game.
	ProjectBatch(ctx context.Context, rs []GameResult, rater Rater) (int, error)
	// RebuildStats replaces every statistics row, in one transaction, with
	// those of results: every game to count, in (completed_at, game_id)
	// order (a result out of order is refused: ErrInvalid), ratings set; an
	// error from results aborts it and changes nothing. Ended games
	// missing from results are left unprojected (EndedGames finds them).
	// It streams: results are written as they come, in chunks, and what it
	// holds follows the players, not the games.
	RebuildStats(ctx context.Context, results iter.Seq2[GameResult, error]) error
	// Relink moves the statistics of from (a guest id) to to (the account
	// the guest was linked into), in one transaction: from's game lines
	// become to's (but in a game where both sat), both players' totals and
	// boards are recomputed from their lines, and every rating is folded
	// again from from's first game on. It returns the lines moved.
	Relink(ctx context.Context, from, to string, rater Rater) (int, error)
	// StrandedGuests returns up to limit guests linked into an account at
	// or after since (zero: ever) that still hold game lines Relink would
	// move, oldest link first: relinks a crash interrupted, or games
	// projected under the guest's id while the link was being made.
	StrandedGuests(ctx context.Context, since time.Time, limit int) ([]GuestLink, error)
	// Leaderboard returns limit rows of a board from offset, best first,
	// and whether more follow.
	Leaderboard(ctx context.Context, b Board, offset, limit int) ([]BoardRow, bool, error)
	// BoardRank returns one player's row on a board with its rank, or
	// ErrNotFound if the player is not on it.
	BoardRank(ctx context.Context, b Board, playerID string) (BoardRow, error)
	// PlayerStats returns a player's all-time statistics, or ErrNotFound.
	PlayerStats(ctx context.Context, playerID string) (PlayerStats, error)
	// PlayerGames returns limit of a player's counted games from offset,
	// newest first, and whether more follow.
	PlayerGames(ctx context.Context, playerID string, offset, limit int) ([]PlayedGame, bool, error)
}

// ResultsOf yields rs, for RebuildStats.
func ResultsOf(rs []GameResult) iter.Seq2[GameResult, error] {
	return func(yield func(GameResult, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// GuestLink is a guest linked into an account (store.Accounts' guest_links).
type GuestLink struct {
	Guest, Account string
}

// PeriodAll is the all-time board's period.
const PeriodAll = "all"

// MonthPeriod names the calendar month (UTC) t falls in: "month:2026-03".
func MonthPeriod(t time.Time) string { return "month:" + t.UTC().Format("2006-01") }

// WeekPeriod names the ISO week (Monday to Sunday, UTC) t falls in by its
// Monday: "week:2026-03-02".
func WeekPeriod(t time.Time) string {
	t = t.UTC()
	d := (int(t.Weekday()) + 6) % 7 // days since Monday
	m := time.Date(t.Year(), t.Month(), t.Day()-d, 0, 0, 0, 0, time.UTC)
	return "week:" + m.Format("2006-01-02")
}
