// Package statsql holds what the two backends' statistics storage share:
// input checks, the re-rating fold, and the SQL that is the same in both
// dialects but for placeholders and booleans.
package statsql

import (
	"fmt"
	"strconv"
	"strings"

	"golf/store"
)

// CheckResult refuses a result no game could have produced.
func CheckResult(r store.GameResult) error {
	if err := store.CheckGameID(r.GameID); err != nil {
		return err
	}
	if r.CompletedAt.IsZero() {
		return fmt.Errorf("%w: game %s has no end time", store.ErrInvalid, r.GameID)
	}
	if !r.Counted {
		return nil
	}
	if len(r.Players) == 0 {
		return fmt.Errorf("%w: counted game %s has no players", store.ErrInvalid, r.GameID)
	}
	seen := map[string]bool{}
	for _, p := range r.Players {
		if p.PlayerID == "" || len(p.PlayerID) > 100 || seen[p.PlayerID] {
			return fmt.Errorf("%w: game %s: player id %.100q missing, too long or twice", store.ErrInvalid, r.GameID, p.PlayerID)
		}
		seen[p.PlayerID] = true
		if p.Placing < 1 || p.Placing > len(r.Players) {
			return fmt.Errorf("%w: game %s: placing %d", store.ErrInvalid, r.GameID, p.Placing)
		}
	}
	return nil
}

// Line is one player's line of a game being re-rated.
type Line struct {
	GameID, PlayerID   string
	Placing            int
	Month, Week        string
	VsHumans, Standard bool
	Rating             store.Rating // after the game, set by Refold
}

// BoardKey is one leaderboard_stats row.
type BoardKey struct {
	Period   string
	Scope    store.Scope
	PlayerID string
}

// Refolded is where a re-rating leaves each player: their rating after
// their last re-rated game, overall and per board row.
type Refolded struct {
	Players map[string]store.Rating
	Boards  map[BoardKey]store.Rating
}

// Refold rates lines again, game by game in the order given (grouped by
// GameID), starting each player from prior(player), and sets each line's
// Rating.
func Refold(lines []Line, rater store.Rater, prior func(player string) (store.Rating, error)) (Refolded, error) {
	out := Refolded{Players: map[string]store.Rating{}, Boards: map[BoardKey]store.Rating{}}
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && lines[j].GameID == lines[i].GameID {
			j++
		}
		game := lines[i:j]
		placings := make([]int, len(game))
		rs := make([]store.Rating, len(game))
		for k, l := range game {
			placings[k] = l.Placing
			r, ok := out.Players[l.PlayerID]
			if !ok {
				var err error
				if r, err = prior(l.PlayerID); err != nil {
					return out, err
				}
			}
			rs[k] = r
		}
		rater.Rate(placings, rs)
		for k := range game {
			l := &game[k]
			l.Rating = rs[k]
			out.Players[l.PlayerID] = rs[k]
			res := store.GameResult{VsHumans: l.VsHumans, Standard: l.Standard}
			for _, p := range []string{store.PeriodAll, l.Month, l.Week} {
				for _, sc := range res.Scopes() {
					out.Boards[BoardKey{p, sc, l.PlayerID}] = rs[k]
				}
			}
		}
		i = j
	}
	return out, nil
}

// Aggregate returns the statements that fill player_stats and
// leaderboard_stats from player_game_results: for everyone (a rebuild), or
// with two placeholders, only for players {1} and {2} (a relink).
func Aggregate(two bool) []string {
	where, and := "", ""
	if two {
		where, and = "WHERE player_id IN ({1}, {2})", "AND r.player_id IN ({1}, {2})"
	}
	r := strings.NewReplacer("{where}", where, "{and}", and)
	return []string{r.Replace(aggregatePlayers), r.Replace(aggregateBoards)}
}

// aggregatePlayers fills player_stats from player_game_results. {true} is
// the dialect's true, {now} its current time.
const aggregatePlayers = `WITH agg AS (
	SELECT player_id, COUNT(*) AS games_played,
		SUM(CASE WHEN won = {true} THEN 1 ELSE 0 END) AS games_won,
		SUM(rounds_played) AS rounds_played, SUM(rounds_won) AS rounds_won, SUM(total) AS total_points,
		MIN(best_round) AS best_round, MAX(worst_round) AS worst_round,
		SUM(knockouts) AS knockouts, SUM(blunders) AS blunders, SUM(graded_turns) AS graded_turns,
		SUM(CASE WHEN vs_humans = {true} THEN 1 ELSE 0 END) AS h_played,
		SUM(CASE WHEN vs_humans = {true} AND won = {true} THEN 1 ELSE 0 END) AS h_won,
		SUM(CASE WHEN vs_humans = {true} THEN rounds_played ELSE 0 END) AS h_rounds_played,
		SUM(CASE WHEN vs_humans = {true} THEN rounds_won ELSE 0 END) AS h_rounds_won,
		SUM(CASE WHEN vs_humans = {true} THEN total ELSE 0 END) AS h_total
	FROM player_game_results {where} GROUP BY player_id
), latest AS (
	SELECT player_id, name, cpu, mu, sigma, completed_at, game_id FROM (
		SELECT player_id, name, cpu, mu, sigma, completed_at, game_id,
			ROW_NUMBER() OVER (PARTITION BY player_id ORDER BY completed_at DESC, game_id DESC) AS rn
		FROM player_game_results {where}) x
	WHERE rn = 1
)
INSERT INTO player_stats (player_id, name, cpu, games_played, games_won, rounds_played, rounds_won,
	total_points, best_round_score, worst_round_score, total_knockouts, total_blunders, graded_turns,
	humans_games_played, humans_games_won, humans_rounds_played, humans_rounds_won, humans_total_points,
	mu, sigma, last_game_at, last_game_id, updated_at)
SELECT a.player_id, l.name, l.cpu, a.games_played, a.games_won, a.rounds_played, a.rounds_won,
	a.total_points, a.best_round, a.worst_round, a.knockouts, a.blunders, a.graded_turns,
	a.h_played, a.h_won, a.h_rounds_played, a.h_rounds_won, a.h_total,
	l.mu, l.sigma, l.completed_at, l.game_id, {now}
FROM agg a JOIN latest l ON l.player_id = a.player_id`

// aggregateBoards fills leaderboard_stats from player_game_results: each
// line counts in three periods (all time, its month, its week) and in
// every scope it qualifies for.
const aggregateBoards = `WITH x AS (
	SELECT CASE k.n WHEN 0 THEN 'all' WHEN 1 THEN r.month ELSE r.week END AS period, sc.scope,
		r.player_id, r.won, r.rounds_played, r.rounds_won, r.total, r.knockouts, r.mu, r.sigma,
		r.completed_at, r.game_id
	FROM player_game_results r
	CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2) k
	CROSS JOIN (SELECT 0 AS scope UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) sc
	WHERE (sc.scope IN (0, 2) OR r.vs_humans = {true}) AND (sc.scope IN (0, 1) OR r.standard = {true}) {and}
), agg AS (
	SELECT period, scope, player_id, COUNT(*) AS games_played,
		SUM(CASE WHEN won = {true} THEN 1 ELSE 0 END) AS games_won,
		SUM(rounds_played) AS rounds_played, SUM(rounds_won) AS rounds_won,
		SUM(total) AS total_points, SUM(knockouts) AS knockouts
	FROM x GROUP BY period, scope, player_id
), latest AS (
	SELECT period, scope, player_id, mu, sigma, completed_at, game_id FROM (
		SELECT period, scope, player_id, mu, sigma, completed_at, game_id,
			ROW_NUMBER() OVER (PARTITION BY period, scope, player_id ORDER BY completed_at DESC, game_id DESC) AS rn
		FROM x) y
	WHERE rn = 1
)
INSERT INTO leaderboard_stats (period, scope, player_id, games_played, games_won, rounds_played,
	rounds_won, total_points, knockouts, mu, sigma, last_game_at, last_game_id)
SELECT a.period, a.scope, a.player_id, a.games_played, a.games_won, a.rounds_played,
	a.rounds_won, a.total_points, a.knockouts, l.mu, l.sigma, l.completed_at, l.game_id
FROM agg a JOIN latest l ON l.period = a.period AND l.scope = a.scope AND l.player_id = a.player_id`

// Dialect spells what differs between the backends' SQL.
type Dialect struct {
	Param       func(n int) string // placeholder n: "?1", "$1"
	True, False string
	Now         string // the current time, as stored
	Int         string // the integer type of a CAST: "BIGINT", "INTEGER"
	// IndexedBy: the planner takes INDEX BY hints (SQLite), and needs them
	// to read a partial index in rank order rather than sort the rows a
	// range on games_played finds (it has no statistics to tell).
	IndexedBy bool
}

// Spell replaces {1}…{5}, {true}, {false} and {now} in s.
func (d Dialect) Spell(s string) string {
	for n := 1; n <= 5; n++ {
		s = strings.ReplaceAll(s, fmt.Sprintf("{%d}", n), d.Param(n))
	}
	return strings.NewReplacer("{true}", d.True, "{false}", d.False, "{now}", d.Now, "{int}", d.Int).Replace(s)
}

// Board is one board's SQL.
type Board struct {
	order, rankOrder, better, filter string
	// index is the board's index in its order (00004); ranked is
	// migration 00006's partial index that serves the board at its
	// minimum (RankedMin), if any.
	index, ranked string
	keys          [2]string // the rank key's expressions (RANK()'s ORDER BY)
	// Min is the minimum games argument: the board's for wins and average,
	// 1 (everyone on the board) for the others.
	Min int
	// The board's buckets (migration 00008's leaderboard_buckets): its
	// number there, the scale of its key (bucket = floor(key * scale), a
	// power of two), the key's column, and whether the better buckets
	// are the higher ones. board 0: the board has none at this minimum.
	board      int
	scale      int
	key        string
	higherBest bool
}

// BoardQuery returns the SQL of board b.
func BoardQuery(b store.Board) (Board, error) {
	q := Board{Min: max(b.MinGames, 1)}
	switch b.By {
	case store.ByWins:
		q.index, q.ranked = "idx_board_wins", "idx_board_wins_ranked"
		q.board, q.scale, q.key, q.higherBest = 1, 1024, "win_rate", true
		q.rankOrder, q.keys = "l.win_rate DESC, l.games_won DESC", [2]string{"l.win_rate", "l.games_won"}
		// The >= is the index's range (a bare OR would count along the
		// whole board); the OR picks the strictly better within it.
		q.better = "o.win_rate >= l.win_rate AND (o.win_rate > l.win_rate OR o.games_won > l.games_won)"
	case store.ByGames:
		q.Min, q.index = 1, "idx_board_games"
		q.board, q.scale, q.key, q.higherBest = 2, 1, "games_played", true
		q.rankOrder, q.keys = "l.games_played DESC", [2]string{"l.games_played", "0"}
		q.better = "o.games_played > l.games_played"
	case store.ByAvg:
		q.index, q.ranked = "idx_board_avg", "idx_board_avg_ranked"
		q.board, q.scale, q.key = 3, 16, "avg_score"
		q.rankOrder, q.keys = "l.avg_score", [2]string{"l.avg_score", "0"}
		q.better = "o.avg_score < l.avg_score"
		q.filter = " AND l.avg_score IS NOT NULL"
	case store.ByRating:
		q.Min, q.index = 1, "idx_board_rating"
		q.board, q.scale, q.key, q.higherBest = 4, 16, "rating", true
		q.rankOrder, q.keys = "l.rating DESC", [2]string{"l.rating", "0"}
		q.better = "o.rating > l.rating"
	default:
		return q, fmt.Errorf("%w: leaderboard measure %q", store.ErrInvalid, b.By)
	}
	if b.Scope > store.ScopeHumans|store.ScopeStandard {
		return q, fmt.Errorf("%w: leaderboard scope %d", store.ErrInvalid, b.Scope)
	}
	// The minimum is written into the SQL, not bound: a planner proves a
	// partial index (migration 00006: games_played >= 25) serves the
	// query only from a constant. It is a validated int, and the
	// statements stay few (one per minimum in use).
	// Boards without a minimum have no condition on games_played: every
	// row has a game, and a range on it would tempt a planner into the
	// games index and a sort.
	q.filter = "TRUE" + q.filter
	if q.Min > 1 {
		q.filter = "l.games_played >= " + strconv.Itoa(q.Min) + q.filter[len("TRUE"):]
	}
	q.order = q.rankOrder + ", l.player_id"
	if q.ranked != "" && q.Min != RankedMin {
		q.board = 0 // the buckets count the players with RankedMin games
	}
	return q, nil
}

const boardColumns = `l.player_id, COALESCE(s.name, l.player_id), COALESCE(s.cpu, {false}), l.games_played,
	l.games_won, l.rounds_played, l.rounds_won, l.total_points, l.knockouts, l.mu, l.sigma`

// RankedMin is the minimum of games migration 00006's partial indexes
// hold (games_played >= 25).
const RankedMin = 25

// from names the board's table for d, with the index to read as a hint
// where d takes hints: the partial index where it holds exactly the
// board's players (SQLite matches a partial index's condition only word
// for word), else the board's full index in its order. Without the hint
// SQLite, which keeps no statistics here, reads a range of the games
// index and sorts it.
func (q Board) from(d Dialect, alias string) string {
	f := "leaderboard_stats " + alias
	switch {
	case !d.IndexedBy:
	case q.ranked != "" && q.Min == RankedMin:
		f += " INDEXED BY " + q.ranked
	default:
		f += " INDEXED BY " + q.index
	}
	return f
}

// SQL pages the board: arguments period, scope, limit, offset. A page is
// a range of the board's index in its order and nothing else: no window
// function, which SQLite would compute over the whole board before the
// LIMIT. Each row scans with PageScan; Ranks numbers the page.
func (q Board) SQL(d Dialect) string {
	return d.Spell(`SELECT 0, ` + strings.ReplaceAll(boardColumns, "l.", "r.") + `, r.k1, r.k2
		FROM (SELECT l.*, CAST(` + q.keys[0] + ` AS DOUBLE PRECISION) AS k1, CAST(` + q.keys[1] + ` AS DOUBLE PRECISION) AS k2
			FROM ` + q.from(d, "l") + `
			WHERE l.period = {1} AND l.scope = {2} AND ` + q.filter + `
			ORDER BY ` + q.order + ` LIMIT {3} OFFSET {4}) r
		LEFT JOIN player_stats s ON s.player_id = r.player_id
		ORDER BY ` + strings.ReplaceAll(q.order, "l.", "r."))
}

// Key is a row's rank key: the values the board ranks by (equal keys
// share a rank).
type Key [2]float64

// PageScan returns the destinations of a row of SQL.
func PageScan(r *store.BoardRow, k *Key) []any {
	return append(BoardScan(r), &k[0], &k[1])
}

// Ranks numbers a page in order, as RANK() would: first is the rank of
// its first row (one more than the players strictly better: RankSQL),
// and every other row shares the rank of the row before if their keys are
// equal, else is ranked by its place on the board.
func Ranks(rows []store.BoardRow, keys []Key, offset, first int) {
	for i := range rows {
		switch {
		case i == 0:
			rows[i].Rank = first
		case keys[i] == keys[i-1]:
			rows[i].Rank = rows[i-1].Rank
		default:
			rows[i].Rank = offset + i + 1
		}
	}
}

// RankSQL returns one player's row with its rank: arguments period, scope,
// player id. The rank is one more than the players strictly better: on a
// board with buckets (migration 00008), those of the better buckets plus
// those better within the player's own bucket, an index range no wider
// than the bucket; else counted along the board's index (PlainRankSQL).
func (q Board) RankSQL(d Dialect) string {
	if q.board == 0 {
		return q.PlainRankSQL(d)
	}
	bucket := "CAST(floor(l." + q.key + " * " + strconv.Itoa(q.scale) + ") AS {int})"
	op := "<"
	if q.higherBest {
		op = ">"
	}
	better := `COALESCE((SELECT SUM(b.players) FROM leaderboard_buckets b
			WHERE b.period = l.period AND b.scope = l.scope AND b.board = ` + strconv.Itoa(q.board) + ` AND b.bucket ` + op + ` ` + bucket + `), 0)`
	if q.scale > 1 { // players of the own bucket, better: key within [b/scale, (b+1)/scale), exact bounds
		bound := "CAST(" + bucket + " AS DOUBLE PRECISION) / " + strconv.Itoa(q.scale)
		if q.higherBest {
			bound = "o." + q.key + " < CAST(" + bucket + " + 1 AS DOUBLE PRECISION) / " + strconv.Itoa(q.scale)
		} else {
			bound = "o." + q.key + " >= " + bound
		}
		better += ` + (SELECT COUNT(*) FROM ` + q.from(d, "o") + `
			WHERE o.period = l.period AND o.scope = l.scope AND ` + strings.ReplaceAll(q.filter, "l.", "o.") + `
			AND ` + q.better + ` AND ` + bound + `)`
	}
	return d.Spell(`SELECT 1 + ` + better + `, ` + boardColumns + `
		FROM leaderboard_stats l LEFT JOIN player_stats s ON s.player_id = l.player_id
		WHERE l.period = {1} AND l.scope = {2} AND l.player_id = {3} AND ` + q.filter)
}

// PlainRankSQL is RankSQL counting every better player along the board's
// index: what boards without buckets use, and what the buckets must equal.
func (q Board) PlainRankSQL(d Dialect) string {
	return d.Spell(`SELECT (SELECT 1 + COUNT(*) FROM ` + q.from(d, "o") + `
			WHERE o.period = l.period AND o.scope = l.scope AND ` + strings.ReplaceAll(q.filter, "l.", "o.") + `
			AND ` + q.better + `), ` + boardColumns + `
		FROM leaderboard_stats l LEFT JOIN player_stats s ON s.player_id = l.player_id
		WHERE l.period = {1} AND l.scope = {2} AND l.player_id = {3} AND ` + q.filter)
}

// FillBuckets counts every board row into leaderboard_buckets (empty
// before): a rebuild's one statement, with the triggers set aside
// (migration 00008 says how its buckets are cut; the same in both).
const FillBuckets = `INSERT INTO leaderboard_buckets (period, scope, board, bucket, players)
SELECT period, scope, board, bucket, COUNT(*) FROM (
	SELECT period, scope, 1 AS board, CAST(floor(win_rate * 1024) AS {int}) AS bucket FROM leaderboard_stats WHERE games_played >= 25
	UNION ALL SELECT period, scope, 2, games_played FROM leaderboard_stats
	UNION ALL SELECT period, scope, 3, CAST(floor(avg_score * 16) AS {int}) FROM leaderboard_stats WHERE games_played >= 25 AND avg_score IS NOT NULL
	UNION ALL SELECT period, scope, 4, CAST(floor(rating * 16) AS {int}) FROM leaderboard_stats
) x WHERE {true} GROUP BY period, scope, board, bucket`

// BoardScan returns the destinations of a row of SQL or RankSQL.
func BoardScan(r *store.BoardRow) []any {
	return []any{&r.Rank, &r.PlayerID, &r.Name, &r.CPU, &r.GamesPlayed, &r.GamesWon, &r.RoundsPlayed,
		&r.RoundsWon, &r.TotalPoints, &r.Knockouts, &r.Rating.Mu, &r.Rating.Sigma}
}
