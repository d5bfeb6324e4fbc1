package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"golf/store"
	"golf/store/internal/statsql"
)

// The statistics projection's storage (store.Stats, docs/stats.md). Every
// writing transaction takes one advisory lock first, so projections and
// rebuilds of every instance run one at a time, in the order they take
// it; readers are never blocked (MVCC).

var _ store.Stats = (*Store)(nil)

// statsLock is the advisory lock that serializes the projection's writes,
// with the schema's hash as its second key: deployments (and tests) that
// share a database in different schemas do not wait for each other.
const statsLock = 0x67736c6b // "gslk"

const lockStats = `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`

var dialect = statsql.Dialect{
	Param: func(n int) string { return "$" + strconv.Itoa(n) },
	True:  "true", False: "false",
	Now: "NOW()", Int: "BIGINT",
}

// importedColumn returns the SQL that tells an imported game in the games
// table: the replay migration adds a marker; until then nothing is
// imported.
func (s *Store) importedColumn(ctx context.Context) (string, error) {
	rows, err := s.pool.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'games' AND column_name IN ('imported', 'imported_at')`)
	if err != nil {
		return "", fmt.Errorf("postgres: games columns: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", fmt.Errorf("postgres: games columns: %w", err)
	}
	switch {
	case slices.Contains(names, "imported"):
		return "COALESCE(g.imported, false)", nil
	case slices.Contains(names, "imported_at"):
		return "(g.imported_at IS NOT NULL)", nil
	}
	return "false", nil
}

// EndedGames implements store.Stats.
func (s *Store) EndedGames(ctx context.Context, q store.EndedQuery) ([]store.EndedGame, error) {
	imp, err := s.importedColumn(ctx)
	if err != nil {
		return nil, err
	}
	where, args := `TRUE`, []any{q.Limit}
	switch {
	case q.AfterID != "":
		where, args = `(g.completed_at, g.id) > ($2, $3::uuid)`, append(args, q.Since, q.AfterID)
	case !q.Since.IsZero():
		where, args = `g.completed_at >= $2`, append(args, q.Since)
	}
	if !q.All {
		where += ` AND NOT EXISTS (SELECT 1 FROM projected_games p WHERE p.game_id = g.id)`
	}
	rows, err := s.pool.Query(ctx, `SELECT g.id::text, g.status, g.completed_at, `+imp+` FROM games g
		WHERE g.status IN ('completed', 'abandoned') AND g.archived_at IS NULL AND `+where+`
		ORDER BY g.completed_at, g.id LIMIT $1`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: ended games: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.EndedGame, error) {
		var g store.EndedGame
		err := r.Scan(&g.ID, &g.Status, &g.CompletedAt, &g.Imported)
		g.CompletedAt = g.CompletedAt.UTC()
		return g, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: ended games: %w", err)
	}
	return out, nil
}

// StatsLag implements store.Stats.
func (s *Store) StatsLag(ctx context.Context, since time.Time) (int, time.Time, error) {
	var (
		n      int
		oldest *time.Time
	)
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*), MIN(g.completed_at) FROM games g
		WHERE g.status IN ('completed', 'abandoned') AND g.archived_at IS NULL AND ($1::timestamptz IS NULL OR g.completed_at >= $1)
		AND NOT EXISTS (SELECT 1 FROM projected_games p WHERE p.game_id = g.id)`, nullTime(since)).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("postgres: stats lag: %w", err)
	}
	if oldest == nil {
		return n, time.Time{}, nil
	}
	return n, oldest.UTC(), nil
}

// ProjectedUpTo implements store.Stats.
func (s *Store) ProjectedUpTo(ctx context.Context) (time.Time, error) {
	var at *time.Time
	if err := s.pool.QueryRow(ctx, `SELECT MAX(completed_at) FROM projected_games`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("postgres: projected up to: %w", err)
	}
	if at == nil {
		return time.Time{}, nil
	}
	return at.UTC(), nil
}

// Project implements store.Stats.
func (s *Store) Project(ctx context.Context, r store.GameResult, rater store.Rater) (bool, error) {
	n, err := s.ProjectBatch(ctx, []store.GameResult{r}, rater)
	return n == 1, err
}

// ProjectBatch implements store.Stats.
func (s *Store) ProjectBatch(ctx context.Context, rs []store.GameResult, rater store.Rater) (int, error) {
	for _, r := range rs {
		if err := statsql.CheckResult(r); err != nil {
			return 0, err
		}
	}
	if len(rs) == 0 {
		return 0, nil
	}
	n := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockStats, int32(statsLock)); err != nil {
			return err
		}
		for _, r := range rs {
			tag, err := tx.Exec(ctx, `INSERT INTO projected_games (game_id, counted, completed_at) VALUES ($1, $2, $3)
				ON CONFLICT (game_id) DO NOTHING`, r.GameID, r.Counted, r.CompletedAt)
			if err != nil {
				return fmt.Errorf("%s: %w", r.GameID, err)
			}
			if tag.RowsAffected() == 0 {
				continue // projected already: nothing written
			}
			n++
			if r.Counted {
				if err := projectCounted(ctx, tx, r, rater); err != nil {
					return fmt.Errorf("%s: %w", r.GameID, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: project: %w", err)
	}
	return n, nil
}

func projectCounted(ctx context.Context, tx pgx.Tx, r store.GameResult, rater store.Rater) error {
	r.Players = slices.Clone(r.Players) // the caller's stays as it was
	var late bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM projected_games
		WHERE counted AND (completed_at, game_id) > ($1, $2::uuid))`, r.CompletedAt, r.GameID).Scan(&late); err != nil {
		return err
	}
	ids := make([]string, len(r.Players))
	for i, p := range r.Players {
		ids[i] = p.PlayerID
	}
	rows, err := tx.Query(ctx, `SELECT player_id, mu, sigma FROM player_stats WHERE player_id = ANY($1)`, ids)
	if err != nil {
		return err
	}
	prior := map[string]store.Rating{}
	var (
		id string
		rt store.Rating
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &rt.Mu, &rt.Sigma}, func() error { prior[id] = rt; return nil }); err != nil {
		return err
	}
	placings := make([]int, len(r.Players))
	ratings := make([]store.Rating, len(r.Players))
	for i, p := range r.Players {
		placings[i] = p.Placing
		var ok bool
		if ratings[i], ok = prior[p.PlayerID]; !ok {
			ratings[i] = rater.Initial()
		}
	}
	if !late {
		rater.Rate(placings, ratings)
	}
	for i := range r.Players {
		r.Players[i].Rating = ratings[i]
	}
	b := &pgx.Batch{}
	if err := queueResults(b, r); err != nil {
		return err
	}
	for _, p := range r.Players {
		queuePlayer(b, r, p)
		for _, period := range []string{store.PeriodAll, store.MonthPeriod(r.CompletedAt), store.WeekPeriod(r.CompletedAt)} {
			for _, sc := range r.Scopes() {
				b.Queue(upsertBoardSQL, period, int(sc), p.PlayerID, p.Won, p.RoundsPlayed, p.RoundsWon,
					p.Total, p.Knockouts, p.Rating.Mu, p.Rating.Sigma, r.CompletedAt, r.GameID)
			}
		}
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	if late {
		return rerate(ctx, tx, r.CompletedAt, r.GameID, rater)
	}
	return nil
}

const insertResultSQL = `INSERT INTO player_game_results (player_id, game_id, completed_at, month, week,
	name, cpu, seat, vs_humans, standard, preset, rounds, place, won, departed, total, rounds_played,
	rounds_won, best_round, worst_round, knockouts, blunders, graded_turns, round_scores, mu, sigma)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`

// resultRow is one player_game_results row's values, in insertResultSQL's
// order (and the COPY's).
func resultRow(r store.GameResult, p store.PlayerResult) ([]any, error) {
	scores := p.RoundScores
	if scores == nil {
		scores = []int{}
	}
	js, err := json.Marshal(scores)
	if err != nil {
		return nil, err
	}
	best, ok := p.Best()
	worst, _ := p.Worst()
	return []any{p.PlayerID, r.GameID, r.CompletedAt, store.MonthPeriod(r.CompletedAt), store.WeekPeriod(r.CompletedAt),
		p.Name, p.CPU, p.Seat, r.VsHumans, r.Standard, r.Preset, r.Rounds, p.Placing, p.Won, p.Departed, p.Total,
		p.RoundsPlayed, p.RoundsWon, nullInt(best, ok), nullInt(worst, ok), p.Knockouts, p.Blunders,
		p.GradedTurns, string(js), p.Rating.Mu, p.Rating.Sigma}, nil
}

var resultColumns = []string{"player_id", "game_id", "completed_at", "month", "week", "name", "cpu", "seat",
	"vs_humans", "standard", "preset", "rounds", "place", "won", "departed", "total", "rounds_played",
	"rounds_won", "best_round", "worst_round", "knockouts", "blunders", "graded_turns", "round_scores", "mu", "sigma"}

func queueResults(b *pgx.Batch, r store.GameResult) error {
	for _, p := range r.Players {
		row, err := resultRow(r, p)
		if err != nil {
			return err
		}
		b.Queue(insertResultSQL, row...)
	}
	return nil
}

func nullInt(v int, ok bool) *int {
	if !ok {
		return nil
	}
	return &v
}

// newer is true when the row being written comes from a later game than
// the one the stored row last took in: names and ratings follow the latest
// game, whatever order games arrive in.
const newer = `(excluded.last_game_at, excluded.last_game_id) > (%[1]s.last_game_at, %[1]s.last_game_id)`

var upsertPlayerSQL = fmt.Sprintf(`INSERT INTO player_stats (player_id, name, cpu, games_played, games_won, rounds_played,
	rounds_won, total_points, best_round_score, worst_round_score, total_knockouts, total_blunders, graded_turns,
	humans_games_played, humans_games_won, humans_rounds_played, humans_rounds_won, humans_total_points,
	mu, sigma, last_game_at, last_game_id, updated_at)
	VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, NOW())
	ON CONFLICT (player_id) DO UPDATE SET
	name = CASE WHEN %[1]s THEN excluded.name ELSE player_stats.name END,
	cpu = excluded.cpu,
	games_played = player_stats.games_played + 1,
	games_won = player_stats.games_won + excluded.games_won,
	rounds_played = player_stats.rounds_played + excluded.rounds_played,
	rounds_won = player_stats.rounds_won + excluded.rounds_won,
	total_points = player_stats.total_points + excluded.total_points,
	best_round_score = LEAST(player_stats.best_round_score, excluded.best_round_score),
	worst_round_score = GREATEST(player_stats.worst_round_score, excluded.worst_round_score),
	total_knockouts = player_stats.total_knockouts + excluded.total_knockouts,
	total_blunders = player_stats.total_blunders + excluded.total_blunders,
	graded_turns = player_stats.graded_turns + excluded.graded_turns,
	humans_games_played = player_stats.humans_games_played + excluded.humans_games_played,
	humans_games_won = player_stats.humans_games_won + excluded.humans_games_won,
	humans_rounds_played = player_stats.humans_rounds_played + excluded.humans_rounds_played,
	humans_rounds_won = player_stats.humans_rounds_won + excluded.humans_rounds_won,
	humans_total_points = player_stats.humans_total_points + excluded.humans_total_points,
	mu = CASE WHEN %[1]s THEN excluded.mu ELSE player_stats.mu END,
	sigma = CASE WHEN %[1]s THEN excluded.sigma ELSE player_stats.sigma END,
	last_game_id = CASE WHEN %[1]s THEN excluded.last_game_id ELSE player_stats.last_game_id END,
	last_game_at = CASE WHEN %[1]s THEN excluded.last_game_at ELSE player_stats.last_game_at END,
	updated_at = NOW()`, fmt.Sprintf(newer, "player_stats"))

func queuePlayer(b *pgx.Batch, r store.GameResult, p store.PlayerResult) {
	best, ok := p.Best()
	worst, _ := p.Worst()
	h := 0
	if r.VsHumans {
		h = 1
	}
	won := 0
	if p.Won {
		won = 1
	}
	b.Queue(upsertPlayerSQL, p.PlayerID, p.Name, p.CPU, won, p.RoundsPlayed, p.RoundsWon,
		p.Total, nullInt(best, ok), nullInt(worst, ok), p.Knockouts, p.Blunders, p.GradedTurns,
		h, h*won, h*p.RoundsPlayed, h*p.RoundsWon, h*p.Total,
		p.Rating.Mu, p.Rating.Sigma, r.CompletedAt, r.GameID)
}

var upsertBoardSQL = fmt.Sprintf(`INSERT INTO leaderboard_stats (period, scope, player_id, games_played, games_won,
	rounds_played, rounds_won, total_points, knockouts, mu, sigma, last_game_at, last_game_id)
	VALUES ($1, $2, $3, 1, CASE WHEN $4::bool THEN 1 ELSE 0 END, $5, $6, $7, $8, $9, $10, $11, $12)
	ON CONFLICT (period, scope, player_id) DO UPDATE SET
	games_played = leaderboard_stats.games_played + 1,
	games_won = leaderboard_stats.games_won + excluded.games_won,
	rounds_played = leaderboard_stats.rounds_played + excluded.rounds_played,
	rounds_won = leaderboard_stats.rounds_won + excluded.rounds_won,
	total_points = leaderboard_stats.total_points + excluded.total_points,
	knockouts = leaderboard_stats.knockouts + excluded.knockouts,
	mu = CASE WHEN %[1]s THEN excluded.mu ELSE leaderboard_stats.mu END,
	sigma = CASE WHEN %[1]s THEN excluded.sigma ELSE leaderboard_stats.sigma END,
	last_game_id = CASE WHEN %[1]s THEN excluded.last_game_id ELSE leaderboard_stats.last_game_id END,
	last_game_at = CASE WHEN %[1]s THEN excluded.last_game_at ELSE leaderboard_stats.last_game_at END`,
	fmt.Sprintf(newer, "leaderboard_stats"))

// rerate folds the ratings again from the game (at, id) on, in order: a
// game that committed after later games were projected takes its place
// in the order, and every rating after it follows.
func rerate(ctx context.Context, tx pgx.Tx, at time.Time, id string, rater store.Rater) error {
	rows, err := tx.Query(ctx, `SELECT game_id::text, player_id, place, month, week, vs_humans, standard
		FROM player_game_results WHERE (completed_at, game_id) >= ($1, $2::uuid)
		ORDER BY completed_at, game_id, seat`, at, id)
	if err != nil {
		return err
	}
	lines, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (statsql.Line, error) {
		var l statsql.Line
		err := r.Scan(&l.GameID, &l.PlayerID, &l.Placing, &l.Month, &l.Week, &l.VsHumans, &l.Standard)
		return l, err
	})
	if err != nil {
		return err
	}
	prior := func(player string) (store.Rating, error) {
		var r store.Rating
		err := tx.QueryRow(ctx, `SELECT mu, sigma FROM player_game_results
			WHERE player_id = $1 AND (completed_at, game_id) < ($2, $3::uuid)
			ORDER BY completed_at DESC, game_id DESC LIMIT 1`, player, at, id).Scan(&r.Mu, &r.Sigma)
		if errors.Is(err, pgx.ErrNoRows) {
			return rater.Initial(), nil
		}
		return r, err
	}
	out, err := statsql.Refold(lines, rater, prior)
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	for _, l := range lines {
		b.Queue(`UPDATE player_game_results SET mu = $1, sigma = $2 WHERE player_id = $3 AND game_id = $4`,
			l.Rating.Mu, l.Rating.Sigma, l.PlayerID, l.GameID)
	}
	for player, r := range out.Players {
		b.Queue(`UPDATE player_stats SET mu = $1, sigma = $2 WHERE player_id = $3`, r.Mu, r.Sigma, player)
	}
	for k, r := range out.Boards {
		b.Queue(`UPDATE leaderboard_stats SET mu = $1, sigma = $2 WHERE period = $3 AND scope = $4 AND player_id = $5`,
			r.Mu, r.Sigma, k.Period, int(k.Scope), k.PlayerID)
	}
	return tx.SendBatch(ctx, b).Close()
}

// RebuildStats implements store.Stats. DELETE, not TRUNCATE: readers go on
// seeing the old rows until the new ones commit. Results are written as
// they come, rebuildChunk lines at a time (a COPY each of their marks,
// lines and the board rows of the months and weeks they closed); only the
// players' rows and the all-time and current boards are held to the end.
func (s *Store) RebuildStats(ctx context.Context, results iter.Seq2[store.GameResult, error]) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockStats, int32(statsLock)); err != nil {
			return err
		}
		// The buckets' trigger stands aside (migration 00008): they are
		// counted once, after the board rows.
		if _, err := tx.Exec(ctx, `SET LOCAL golf.stats_bulk = 'on'`); err != nil {
			return err
		}
		for _, t := range []string{"projected_games", "player_game_results", "player_stats", "leaderboard_stats", "leaderboard_buckets"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		at := func(t time.Time) any { return t }
		var (
			tot    statsql.Totaler
			prev   store.GameResult
			marks  [][]any
			lines  [][]any
			boards []*statsql.BoardTotals
		)
		flush := func() error {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"projected_games"}, []string{"game_id", "counted", "completed_at"},
				pgx.CopyFromRows(marks)); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"player_game_results"}, resultColumns, pgx.CopyFromRows(lines)); err != nil {
				return err
			}
			if err := copyBoards(ctx, tx, boards, at); err != nil {
				return err
			}
			marks, lines, boards = marks[:0], lines[:0], nil
			return nil
		}
		for r, err := range results {
			if err != nil {
				return err
			}
			if err := statsql.CheckResult(r); err != nil {
				return err
			}
			if err := statsql.InOrder(prev, r); err != nil {
				return err
			}
			prev = r
			boards = append(boards, tot.Closed(r.CompletedAt)...)
			tot.Add(r)
			marks = append(marks, []any{r.GameID, r.Counted, r.CompletedAt})
			if r.Counted {
				for _, p := range r.Players {
					row, err := resultRow(r, p)
					if err != nil {
						return err
					}
					lines = append(lines, row)
				}
			}
			if len(lines) >= rebuildChunk || len(marks) >= rebuildChunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		players, rest := tot.Rest()
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"player_stats"}, statsql.PlayerColumns,
			pgx.CopyFromSlice(len(players), func(i int) ([]any, error) { return players[i].Values(at), nil })); err != nil {
			return err
		}
		if err := copyBoards(ctx, tx, rest, at); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, dialect.Spell(statsql.FillBuckets))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: rebuild stats: %w", err)
	}
	return nil
}

// rebuildChunk is how many result lines a rebuild sends per COPY.
const rebuildChunk = 10_000

func copyBoards(ctx context.Context, tx pgx.Tx, boards []*statsql.BoardTotals, at func(time.Time) any) error {
	if len(boards) == 0 {
		return nil
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"leaderboard_stats"}, statsql.BoardColumns,
		pgx.CopyFromSlice(len(boards), func(i int) ([]any, error) { return boards[i].Values(at), nil }))
	return err
}

// Leaderboard implements store.Stats.
func (s *Store) Leaderboard(ctx context.Context, b store.Board, offset, limit int) ([]store.BoardRow, bool, error) {
	q, err := statsql.BoardQuery(b)
	if err != nil {
		return nil, false, err
	}
	rows, err := s.pool.Query(ctx, q.SQL(dialect), b.Period, int(b.Scope), limit+1, offset)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: leaderboard: %w", err)
	}
	var (
		out  []store.BoardRow
		keys []statsql.Key
		r    store.BoardRow
		k    statsql.Key
	)
	_, err = pgx.ForEachRow(rows, statsql.PageScan(&r, &k), func() error {
		out, keys = append(out, r), append(keys, k)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: leaderboard: %w", err)
	}
	return rank(ctx, s, b, out, keys, offset, limit)
}

// rank numbers a page of a board (statsql.Ranks): its first row's rank is
// counted (BoardRank) unless the page is the first; a row gone meanwhile
// (a relink) leaves the page numbered by place.
func rank(ctx context.Context, s *Store, b store.Board, out []store.BoardRow, keys []statsql.Key, offset, limit int) ([]store.BoardRow, bool, error) {
	more := len(out) > limit
	if more {
		out, keys = out[:limit], keys[:limit]
	}
	if len(out) == 0 {
		return out, more, nil
	}
	first := 1
	if offset > 0 {
		first = offset + 1
		switch r, err := s.BoardRank(ctx, b, out[0].PlayerID); {
		case err == nil:
			first = r.Rank
		case !errors.Is(err, store.ErrNotFound):
			return nil, false, err
		}
	}
	statsql.Ranks(out, keys, offset, first)
	return out, more, nil
}

// BoardRank implements store.Stats.
func (s *Store) BoardRank(ctx context.Context, b store.Board, playerID string) (store.BoardRow, error) {
	q, err := statsql.BoardQuery(b)
	if err != nil {
		return store.BoardRow{}, err
	}
	var r store.BoardRow
	err = s.pool.QueryRow(ctx, q.RankSQL(dialect), b.Period, int(b.Scope), playerID).Scan(statsql.BoardScan(&r)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.BoardRow{}, fmt.Errorf("player %s on the board: %w", playerID, store.ErrNotFound)
	}
	if err != nil {
		return store.BoardRow{}, fmt.Errorf("postgres: board rank: %w", err)
	}
	return r, nil
}

// PlayerStats implements store.Stats.
func (s *Store) PlayerStats(ctx context.Context, playerID string) (store.PlayerStats, error) {
	var p store.PlayerStats
	err := s.pool.QueryRow(ctx, `SELECT player_id, name, cpu, games_played, games_won, rounds_played, rounds_won,
		total_points, best_round_score, worst_round_score, total_knockouts, total_blunders, graded_turns,
		humans_games_played, humans_games_won, humans_rounds_played, humans_rounds_won, humans_total_points,
		mu, sigma, last_game_at FROM player_stats WHERE player_id = $1`, playerID).Scan(
		&p.PlayerID, &p.Name, &p.CPU, &p.GamesPlayed, &p.GamesWon, &p.RoundsPlayed, &p.RoundsWon,
		&p.TotalPoints, &p.BestRound, &p.WorstRound, &p.Knockouts, &p.Blunders, &p.GradedTurns,
		&p.Humans.GamesPlayed, &p.Humans.GamesWon, &p.Humans.RoundsPlayed, &p.Humans.RoundsWon, &p.Humans.TotalPoints,
		&p.Rating.Mu, &p.Rating.Sigma, &p.LastGameAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.PlayerStats{}, fmt.Errorf("player %s: %w", playerID, store.ErrNotFound)
	}
	if err != nil {
		return store.PlayerStats{}, fmt.Errorf("postgres: player stats: %w", err)
	}
	p.LastGameAt = p.LastGameAt.UTC()
	return p, nil
}

// PlayerGames implements store.Stats.
func (s *Store) PlayerGames(ctx context.Context, playerID string, offset, limit int) ([]store.PlayedGame, bool, error) {
	rows, err := s.pool.Query(ctx, `WITH page AS (
			SELECT game_id, completed_at FROM player_game_results WHERE player_id = $1
			ORDER BY completed_at DESC, game_id DESC LIMIT $2 OFFSET $3)
		SELECT r.game_id::text, r.completed_at, r.standard, r.preset, r.vs_humans, r.rounds, r.player_id, r.name,
			r.cpu, r.seat, r.place, r.won, r.departed, r.total, r.rounds_played, r.rounds_won, r.knockouts,
			r.blunders, r.graded_turns, r.round_scores::text, r.mu, r.sigma
		FROM page JOIN player_game_results r ON r.game_id = page.game_id
		ORDER BY page.completed_at DESC, page.game_id DESC, r.seat`, playerID, limit+1, offset)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: player games: %w", err)
	}
	var games []store.PlayedGame
	var (
		g      store.PlayedGame
		p      store.PlayerResult
		scores string
	)
	_, err = pgx.ForEachRow(rows, []any{&g.GameID, &g.CompletedAt, &g.Standard, &g.Preset, &g.VsHumans, &g.Rounds,
		&p.PlayerID, &p.Name, &p.CPU, &p.Seat, &p.Placing, &p.Won, &p.Departed, &p.Total, &p.RoundsPlayed,
		&p.RoundsWon, &p.Knockouts, &p.Blunders, &p.GradedTurns, &scores, &p.Rating.Mu, &p.Rating.Sigma}, func() error {
		p.RoundScores = nil
		if err := json.Unmarshal([]byte(scores), &p.RoundScores); err != nil {
			return err
		}
		if n := len(games); n == 0 || games[n-1].GameID != g.GameID {
			g.CompletedAt = g.CompletedAt.UTC()
			games = append(games, store.PlayedGame{GameID: g.GameID, CompletedAt: g.CompletedAt, Standard: g.Standard,
				Preset: g.Preset, VsHumans: g.VsHumans, Rounds: g.Rounds})
		}
		games[len(games)-1].Players = append(games[len(games)-1].Players, p)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: player games: %w", err)
	}
	more := len(games) > limit
	if more {
		games = games[:limit]
	}
	return games, more, nil
}

// Relink implements store.Stats.
func (s *Store) Relink(ctx context.Context, from, to string, rater store.Rater) (int, error) {
	if from == "" || to == "" || from == to {
		return 0, fmt.Errorf("%w: relink %q to %q", store.ErrInvalid, from, to)
	}
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockStats, int32(statsLock)); err != nil {
			return err
		}
		var (
			at time.Time
			id string
		)
		err := tx.QueryRow(ctx, `SELECT completed_at, game_id::text FROM player_game_results WHERE player_id = $1
			ORDER BY completed_at, game_id LIMIT 1`, from).Scan(&at, &id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE player_game_results SET player_id = $2 WHERE player_id = $1
			AND NOT EXISTS (SELECT 1 FROM player_game_results x WHERE x.player_id = $2 AND x.game_id = player_game_results.game_id)`, from, to)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		for _, q := range append([]string{`DELETE FROM player_stats WHERE player_id IN ($1, $2)`,
			`DELETE FROM leaderboard_stats WHERE player_id IN ($1, $2)`}, statsql.Aggregate(true)...) {
			if _, err := tx.Exec(ctx, dialect.Spell(q), from, to); err != nil {
				return err
			}
		}
		return rerate(ctx, tx, at, id, rater)
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: relink: %w", err)
	}
	return int(n), nil
}

// StrandedGuests implements store.Stats. guest_links belongs to the
// accounts' schema, which every database with statistics has.
func (s *Store) StrandedGuests(ctx context.Context, since time.Time, limit int) ([]store.GuestLink, error) {
	rows, err := s.pool.Query(ctx, `SELECT l.guest_id::text, l.user_id::text FROM guest_links l
		WHERE l.linked_at >= $1 AND EXISTS (
			SELECT 1 FROM player_game_results r WHERE r.player_id = l.guest_id::text
			AND NOT EXISTS (SELECT 1 FROM player_game_results x WHERE x.player_id = l.user_id::text AND x.game_id = r.game_id))
		ORDER BY l.linked_at, l.guest_id LIMIT $2`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: stranded guests: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.GuestLink, error) {
		var l store.GuestLink
		return l, r.Scan(&l.Guest, &l.Account)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: stranded guests: %w", err)
	}
	return out, nil
}
