package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"time"

	"golf/store"
	"golf/store/internal/statsql"
)

// The statistics projection's storage (store.Stats, docs/stats.md). Writes
// go through the store's one writer connection, so a projection waits its
// turn behind the group committer instead of spinning on SQLite's busy
// lock, and is serialized with every other projection: BEGIN IMMEDIATE
// takes the database's write lock for the whole transaction.

var _ store.Stats = (*Store)(nil)

// importedColumn returns the SQL that tells an imported game in the games
// table: the replay migration adds a marker; until then nothing is
// imported.
func (s *Store) importedColumn(ctx context.Context) (string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name FROM pragma_table_info('games')`)
	if err != nil {
		return "", fmt.Errorf("sqlite: games columns: %w", err)
	}
	defer rows.Close()
	expr := "0"
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return "", err
		}
		switch name {
		case "imported":
			expr = "g.imported"
		case "imported_at":
			if expr == "0" {
				expr = "(g.imported_at IS NOT NULL)"
			}
		}
	}
	return expr, rows.Err()
}

// EndedGames implements store.Stats.
func (s *Store) EndedGames(ctx context.Context, q store.EndedQuery) ([]store.EndedGame, error) {
	imp, err := s.importedColumn(ctx)
	if err != nil {
		return nil, err
	}
	where := `g.completed_at >= ?1`
	if q.AfterID != "" {
		where = `(g.completed_at, g.id) > (?1, ?2)`
	}
	if !q.All {
		where += ` AND NOT EXISTS (SELECT 1 FROM projected_games p WHERE p.game_id = g.id)`
	}
	rows, err := s.r.QueryContext(ctx, `SELECT g.id, g.status, g.completed_at, `+imp+` FROM games g
		WHERE g.status IN ('completed', 'abandoned') AND g.archived_at IS NULL AND `+where+`
		ORDER BY g.completed_at, g.id LIMIT ?3`, sinceText(q.Since), q.AfterID, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: ended games: %w", err)
	}
	defer rows.Close()
	var out []store.EndedGame
	for rows.Next() {
		var g store.EndedGame
		var at string
		if err := rows.Scan(&g.ID, &g.Status, &at, &g.Imported); err != nil {
			return nil, fmt.Errorf("sqlite: ended games: %w", err)
		}
		if g.CompletedAt, err = time.Parse(timeFormat, at); err != nil {
			return nil, fmt.Errorf("sqlite: game %s: completed_at: %w", g.ID, err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func sinceText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

// StatsLag implements store.Stats.
func (s *Store) StatsLag(ctx context.Context, since time.Time) (int, time.Time, error) {
	var (
		n      int
		oldest sql.NullString
	)
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*), MIN(g.completed_at) FROM games g
		WHERE g.status IN ('completed', 'abandoned') AND g.archived_at IS NULL AND g.completed_at >= ?
		AND NOT EXISTS (SELECT 1 FROM projected_games p WHERE p.game_id = g.id)`, sinceText(since)).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("sqlite: stats lag: %w", err)
	}
	var t time.Time
	if oldest.Valid {
		if t, err = time.Parse(timeFormat, oldest.String); err != nil {
			return 0, time.Time{}, fmt.Errorf("sqlite: stats lag: %w", err)
		}
	}
	return n, t, nil
}

// ProjectedUpTo implements store.Stats.
func (s *Store) ProjectedUpTo(ctx context.Context) (time.Time, error) {
	var at sql.NullString
	if err := s.r.QueryRowContext(ctx, `SELECT MAX(completed_at) FROM projected_games`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("sqlite: projected up to: %w", err)
	}
	if !at.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeFormat, at.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: projected up to: %w", err)
	}
	return t, nil
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
	tx, err := s.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock, now
	if err != nil {
		return 0, fmt.Errorf("sqlite: project %s: %w", rs[0].GameID, busy(err))
	}
	defer tx.Rollback()
	ps := s.proj.in(ctx, tx)
	n := 0
	for _, r := range rs {
		res, err := ps.projected.ExecContext(ctx, r.GameID, r.Counted, r.CompletedAt.UTC().Format(timeFormat))
		if err != nil {
			return 0, fmt.Errorf("sqlite: project %s: %w", r.GameID, err)
		}
		if k, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("sqlite: project %s: %w", r.GameID, err)
		} else if k == 0 {
			continue // projected already: nothing written
		}
		n++
		if r.Counted {
			if err := projectCounted(ctx, tx, ps, r, rater); err != nil {
				return 0, fmt.Errorf("sqlite: project %s: %w", r.GameID, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: project %s: commit: %w", rs[0].GameID, err)
	}
	return n, nil
}

func projectCounted(ctx context.Context, tx *sql.Tx, ps projStmts, r store.GameResult, rater store.Rater) error {
	r.Players = slices.Clone(r.Players) // the caller's stays as it was
	at := r.CompletedAt.UTC().Format(timeFormat)
	var late bool
	if err := ps.late.QueryRowContext(ctx, at, r.GameID).Scan(&late); err != nil {
		return err
	}
	placings := make([]int, len(r.Players))
	ratings := make([]store.Rating, len(r.Players))
	for i, p := range r.Players {
		placings[i] = p.Placing
		err := ps.rating.QueryRowContext(ctx, p.PlayerID).Scan(&ratings[i].Mu, &ratings[i].Sigma)
		if errors.Is(err, sql.ErrNoRows) {
			ratings[i] = rater.Initial()
		} else if err != nil {
			return err
		}
	}
	if !late {
		rater.Rate(placings, ratings)
	}
	for i := range r.Players {
		r.Players[i].Rating = ratings[i]
	}
	if err := insertResults(ctx, ps.result, r); err != nil {
		return err
	}
	for _, p := range r.Players {
		if err := upsertPlayer(ctx, ps.player, r, p); err != nil {
			return err
		}
		for _, period := range []string{store.PeriodAll, store.MonthPeriod(r.CompletedAt), store.WeekPeriod(r.CompletedAt)} {
			for _, sc := range r.Scopes() {
				if err := upsertBoard(ctx, ps.board, r, p, period, sc); err != nil {
					return err
				}
			}
		}
	}
	if late {
		return rerate(ctx, tx, at, r.GameID, rater)
	}
	return nil
}

func insertResults(ctx context.Context, insert *sql.Stmt, r store.GameResult) error {
	at := r.CompletedAt.UTC().Format(timeFormat)
	for _, p := range r.Players {
		scores, err := json.Marshal(p.RoundScores)
		if err != nil {
			return err
		}
		if p.RoundScores == nil {
			scores = []byte("[]")
		}
		best, hasBest := p.Best()
		worst, _ := p.Worst()
		_, err = insert.ExecContext(ctx, p.PlayerID, r.GameID, at, store.MonthPeriod(r.CompletedAt), store.WeekPeriod(r.CompletedAt),
			p.Name, p.CPU, p.Seat, r.VsHumans, r.Standard, r.Preset, r.Rounds, p.Placing, p.Won, p.Departed, p.Total,
			p.RoundsPlayed, p.RoundsWon, nullInt(best, hasBest), nullInt(worst, hasBest), p.Knockouts, p.Blunders,
			p.GradedTurns, string(scores), p.Rating.Mu, p.Rating.Sigma)
		if err != nil {
			return fmt.Errorf("insert result of %s: %w", p.PlayerID, err)
		}
	}
	return nil
}

func nullInt(v int, ok bool) any {
	if !ok {
		return nil
	}
	return v
}

// newer is true when the row being written comes from a later game than
// the one the stored row last took in: names and ratings follow the latest
// game, whatever order games arrive in.
const newer = `(excluded.last_game_at, excluded.last_game_id) > (%[1]s.last_game_at, %[1]s.last_game_id)`

const insertResultSQL = `INSERT INTO player_game_results (player_id, game_id, completed_at, month, week,
	name, cpu, seat, vs_humans, standard, preset, rounds, place, won, departed, total, rounds_played,
	rounds_won, best_round, worst_round, knockouts, blunders, graded_turns, round_scores, mu, sigma)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// projStmts are the projection's statements, prepared once on the writer.
type projStmts struct {
	projected, late, rating, result, player, board *sql.Stmt
}

func (ps *projStmts) prepare(ctx context.Context, w *sql.DB) error {
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&ps.projected, `INSERT INTO projected_games (game_id, counted, completed_at) VALUES (?, ?, ?)
			ON CONFLICT (game_id) DO NOTHING`},
		{&ps.late, `SELECT EXISTS (SELECT 1 FROM projected_games
			WHERE counted = 1 AND (completed_at, game_id) > (?, ?))`},
		{&ps.rating, `SELECT mu, sigma FROM player_stats WHERE player_id = ?`},
		{&ps.result, insertResultSQL},
		{&ps.player, upsertPlayerSQL},
		{&ps.board, upsertBoardSQL},
	} {
		st, err := w.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("projection: %w", err)
		}
		*p.st = st
	}
	return nil
}

// in returns the statements bound to tx, once for its whole batch.
func (ps *projStmts) in(ctx context.Context, tx *sql.Tx) projStmts {
	return projStmts{tx.StmtContext(ctx, ps.projected), tx.StmtContext(ctx, ps.late), tx.StmtContext(ctx, ps.rating),
		tx.StmtContext(ctx, ps.result), tx.StmtContext(ctx, ps.player), tx.StmtContext(ctx, ps.board)}
}

func (ps *projStmts) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{ps.projected, ps.late, ps.rating, ps.result, ps.player, ps.board} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

var upsertPlayerSQL = `INSERT INTO player_stats (player_id, name, cpu, games_played, games_won, rounds_played,
	rounds_won, total_points, best_round_score, worst_round_score, total_knockouts, total_blunders, graded_turns,
	humans_games_played, humans_games_won, humans_rounds_played, humans_rounds_won, humans_total_points,
	mu, sigma, last_game_at, last_game_id, updated_at)
	VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
	ON CONFLICT (player_id) DO UPDATE SET
	name = CASE WHEN ` + fmt.Sprintf(newer, "player_stats") + ` THEN excluded.name ELSE player_stats.name END,
	cpu = excluded.cpu,
	games_played = player_stats.games_played + 1,
	games_won = player_stats.games_won + excluded.games_won,
	rounds_played = player_stats.rounds_played + excluded.rounds_played,
	rounds_won = player_stats.rounds_won + excluded.rounds_won,
	total_points = player_stats.total_points + excluded.total_points,
	best_round_score = CASE WHEN player_stats.best_round_score IS NULL OR excluded.best_round_score < player_stats.best_round_score
		THEN excluded.best_round_score ELSE player_stats.best_round_score END,
	worst_round_score = CASE WHEN player_stats.worst_round_score IS NULL OR excluded.worst_round_score > player_stats.worst_round_score
		THEN excluded.worst_round_score ELSE player_stats.worst_round_score END,
	total_knockouts = player_stats.total_knockouts + excluded.total_knockouts,
	total_blunders = player_stats.total_blunders + excluded.total_blunders,
	graded_turns = player_stats.graded_turns + excluded.graded_turns,
	humans_games_played = player_stats.humans_games_played + excluded.humans_games_played,
	humans_games_won = player_stats.humans_games_won + excluded.humans_games_won,
	humans_rounds_played = player_stats.humans_rounds_played + excluded.humans_rounds_played,
	humans_rounds_won = player_stats.humans_rounds_won + excluded.humans_rounds_won,
	humans_total_points = player_stats.humans_total_points + excluded.humans_total_points,
	mu = CASE WHEN ` + fmt.Sprintf(newer, "player_stats") + ` THEN excluded.mu ELSE player_stats.mu END,
	sigma = CASE WHEN ` + fmt.Sprintf(newer, "player_stats") + ` THEN excluded.sigma ELSE player_stats.sigma END,
	last_game_id = CASE WHEN ` + fmt.Sprintf(newer, "player_stats") + ` THEN excluded.last_game_id ELSE player_stats.last_game_id END,
	last_game_at = CASE WHEN ` + fmt.Sprintf(newer, "player_stats") + ` THEN excluded.last_game_at ELSE player_stats.last_game_at END,
	updated_at = excluded.updated_at`

func upsertPlayer(ctx context.Context, upsert *sql.Stmt, r store.GameResult, p store.PlayerResult) error {
	best, ok := p.Best()
	worst, _ := p.Worst()
	h := 0
	if r.VsHumans {
		h = 1
	}
	_, err := upsert.ExecContext(ctx, p.PlayerID, p.Name, p.CPU, p.Won, p.RoundsPlayed, p.RoundsWon,
		p.Total, nullInt(best, ok), nullInt(worst, ok), p.Knockouts, p.Blunders, p.GradedTurns,
		h, h*b2i(p.Won), h*p.RoundsPlayed, h*p.RoundsWon, h*p.Total,
		p.Rating.Mu, p.Rating.Sigma, r.CompletedAt.UTC().Format(timeFormat), r.GameID)
	if err != nil {
		return fmt.Errorf("player_stats of %s: %w", p.PlayerID, err)
	}
	return nil
}

var upsertBoardSQL = `INSERT INTO leaderboard_stats (period, scope, player_id, games_played, games_won,
	rounds_played, rounds_won, total_points, knockouts, mu, sigma, last_game_at, last_game_id)
	VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (period, scope, player_id) DO UPDATE SET
	games_played = leaderboard_stats.games_played + 1,
	games_won = leaderboard_stats.games_won + excluded.games_won,
	rounds_played = leaderboard_stats.rounds_played + excluded.rounds_played,
	rounds_won = leaderboard_stats.rounds_won + excluded.rounds_won,
	total_points = leaderboard_stats.total_points + excluded.total_points,
	knockouts = leaderboard_stats.knockouts + excluded.knockouts,
	mu = CASE WHEN ` + fmt.Sprintf(newer, "leaderboard_stats") + ` THEN excluded.mu ELSE leaderboard_stats.mu END,
	sigma = CASE WHEN ` + fmt.Sprintf(newer, "leaderboard_stats") + ` THEN excluded.sigma ELSE leaderboard_stats.sigma END,
	last_game_id = CASE WHEN ` + fmt.Sprintf(newer, "leaderboard_stats") + ` THEN excluded.last_game_id ELSE leaderboard_stats.last_game_id END,
	last_game_at = CASE WHEN ` + fmt.Sprintf(newer, "leaderboard_stats") + ` THEN excluded.last_game_at ELSE leaderboard_stats.last_game_at END`

func upsertBoard(ctx context.Context, upsert *sql.Stmt, r store.GameResult, p store.PlayerResult, period string, sc store.Scope) error {
	_, err := upsert.ExecContext(ctx, period, int(sc), p.PlayerID, p.Won, p.RoundsPlayed, p.RoundsWon,
		p.Total, p.Knockouts, p.Rating.Mu, p.Rating.Sigma, r.CompletedAt.UTC().Format(timeFormat), r.GameID)
	if err != nil {
		return fmt.Errorf("leaderboard_stats of %s: %w", p.PlayerID, err)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rerate folds the ratings again from the game (at, id) on, in order: a
// game that committed after later games were projected takes its place
// in the order, and every rating after it follows.
func rerate(ctx context.Context, tx *sql.Tx, at, id string, rater store.Rater) error {
	rows, err := tx.QueryContext(ctx, `SELECT game_id, player_id, place, month, week, vs_humans, standard
		FROM player_game_results WHERE (completed_at, game_id) >= (?, ?)
		ORDER BY completed_at, game_id, seat`, at, id)
	if err != nil {
		return err
	}
	var lines []statsql.Line
	for rows.Next() {
		var l statsql.Line
		if err := rows.Scan(&l.GameID, &l.PlayerID, &l.Placing, &l.Month, &l.Week, &l.VsHumans, &l.Standard); err != nil {
			rows.Close()
			return err
		}
		lines = append(lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	prior := func(player string) (store.Rating, error) {
		var r store.Rating
		err := tx.QueryRowContext(ctx, `SELECT mu, sigma FROM player_game_results
			WHERE player_id = ? AND (completed_at, game_id) < (?, ?)
			ORDER BY completed_at DESC, game_id DESC LIMIT 1`, player, at, id).Scan(&r.Mu, &r.Sigma)
		if errors.Is(err, sql.ErrNoRows) {
			return rater.Initial(), nil
		}
		return r, err
	}
	out, err := statsql.Refold(lines, rater, prior)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if _, err := tx.ExecContext(ctx, `UPDATE player_game_results SET mu = ?, sigma = ? WHERE player_id = ? AND game_id = ?`,
			l.Rating.Mu, l.Rating.Sigma, l.PlayerID, l.GameID); err != nil {
			return err
		}
	}
	for player, r := range out.Players {
		if _, err := tx.ExecContext(ctx, `UPDATE player_stats SET mu = ?, sigma = ? WHERE player_id = ?`, r.Mu, r.Sigma, player); err != nil {
			return err
		}
	}
	for k, r := range out.Boards {
		if _, err := tx.ExecContext(ctx, `UPDATE leaderboard_stats SET mu = ?, sigma = ? WHERE period = ? AND scope = ? AND player_id = ?`,
			r.Mu, r.Sigma, k.Period, int(k.Scope), k.PlayerID); err != nil {
			return err
		}
	}
	return nil
}

// RebuildStats implements store.Stats.
//
// It reads every result before it takes the write lock: SQLite has one
// writer, which the games' moves share, and folding a whole log takes
// minutes on a big one; so unlike PostgreSQL's, this rebuild holds the
// results (about 2 KB a game) until they are written.
func (s *Store) RebuildStats(ctx context.Context, results iter.Seq2[store.GameResult, error]) error {
	var (
		all  []store.GameResult
		prev store.GameResult
	)
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
		all = append(all, r)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: rebuild stats: %w", err)
	}
	defer tx.Rollback()
	// The buckets' triggers stand aside (migration 00008) while this
	// transaction's row is in stats_bulk: they are counted once, after
	// the board rows.
	if _, err := tx.ExecContext(ctx, `INSERT INTO stats_bulk VALUES (1)`); err != nil {
		return fmt.Errorf("sqlite: rebuild stats: %w", err)
	}
	for _, t := range []string{"projected_games", "player_game_results", "player_stats", "leaderboard_stats", "leaderboard_buckets"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("sqlite: rebuild stats: %w", err)
		}
	}
	at := func(t time.Time) any { return t.UTC().Format(timeFormat) }
	insBoard, err := tx.PrepareContext(ctx, statsql.Insert("leaderboard_stats", statsql.BoardColumns, dialect.Param))
	if err != nil {
		return fmt.Errorf("sqlite: rebuild stats: %w", err)
	}
	defer insBoard.Close()
	writeBoards := func(boards []*statsql.BoardTotals) error {
		for _, b := range boards {
			if _, err := insBoard.ExecContext(ctx, b.Values(at)...); err != nil {
				return fmt.Errorf("sqlite: rebuild stats: board of %s: %w", b.PlayerID, err)
			}
		}
		return nil
	}
	var tot statsql.Totaler
	result := tx.StmtContext(ctx, s.proj.result)
	for _, r := range all {
		if err := writeBoards(tot.Closed(r.CompletedAt)); err != nil {
			return err
		}
		tot.Add(r)
		if _, err := tx.ExecContext(ctx, `INSERT INTO projected_games (game_id, counted, completed_at) VALUES (?, ?, ?)`,
			r.GameID, r.Counted, r.CompletedAt.UTC().Format(timeFormat)); err != nil {
			return fmt.Errorf("sqlite: rebuild stats: game %s: %w", r.GameID, err)
		}
		if r.Counted {
			if err := insertResults(ctx, result, r); err != nil {
				return fmt.Errorf("sqlite: rebuild stats: game %s: %w", r.GameID, err)
			}
		}
	}
	players, boards := tot.Rest()
	insPlayer, err := tx.PrepareContext(ctx, statsql.Insert("player_stats", statsql.PlayerColumns, dialect.Param))
	if err != nil {
		return fmt.Errorf("sqlite: rebuild stats: %w", err)
	}
	defer insPlayer.Close()
	for _, p := range players {
		if _, err := insPlayer.ExecContext(ctx, p.Values(at)...); err != nil {
			return fmt.Errorf("sqlite: rebuild stats: player %s: %w", p.PlayerID, err)
		}
	}
	if err := writeBoards(boards); err != nil {
		return err
	}
	for _, q := range []string{dialect.Spell(statsql.FillBuckets), `DELETE FROM stats_bulk`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlite: rebuild stats: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: rebuild stats: commit: %w", err)
	}
	return nil
}

// dialect spells the shared SQL for SQLite: numbered ?NNN parameters,
// booleans as 0/1, the time as strftime writes it.
var dialect = statsql.Dialect{
	Param: func(n int) string { return "?" + strconv.Itoa(n) },
	True:  "1", False: "0",
	Now:       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
	Int:       "INTEGER",
	IndexedBy: true,
}

// Leaderboard implements store.Stats.
func (s *Store) Leaderboard(ctx context.Context, b store.Board, offset, limit int) ([]store.BoardRow, bool, error) {
	q, err := statsql.BoardQuery(b)
	if err != nil {
		return nil, false, err
	}
	rows, err := s.r.QueryContext(ctx, q.SQL(dialect), b.Period, int(b.Scope), limit+1, offset)
	if err != nil {
		return nil, false, fmt.Errorf("sqlite: leaderboard: %w", err)
	}
	defer rows.Close()
	var (
		out  []store.BoardRow
		keys []statsql.Key
	)
	for rows.Next() {
		var (
			r store.BoardRow
			k statsql.Key
		)
		if err := rows.Scan(statsql.PageScan(&r, &k)...); err != nil {
			return nil, false, fmt.Errorf("sqlite: leaderboard: %w", err)
		}
		out, keys = append(out, r), append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("sqlite: leaderboard: %w", err)
	}
	rows.Close()
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
	err = s.r.QueryRowContext(ctx, q.RankSQL(dialect), b.Period, int(b.Scope), playerID).Scan(statsql.BoardScan(&r)...)
	if errors.Is(err, sql.ErrNoRows) {
		return store.BoardRow{}, fmt.Errorf("player %s on the board: %w", playerID, store.ErrNotFound)
	}
	if err != nil {
		return store.BoardRow{}, fmt.Errorf("sqlite: board rank: %w", err)
	}
	return r, nil
}

// PlayerStats implements store.Stats.
func (s *Store) PlayerStats(ctx context.Context, playerID string) (store.PlayerStats, error) {
	var (
		p           store.PlayerStats
		best, worst sql.NullInt64
		at          string
	)
	err := s.r.QueryRowContext(ctx, `SELECT player_id, name, cpu, games_played, games_won, rounds_played, rounds_won,
		total_points, best_round_score, worst_round_score, total_knockouts, total_blunders, graded_turns,
		humans_games_played, humans_games_won, humans_rounds_played, humans_rounds_won, humans_total_points,
		mu, sigma, last_game_at FROM player_stats WHERE player_id = ?`, playerID).Scan(
		&p.PlayerID, &p.Name, &p.CPU, &p.GamesPlayed, &p.GamesWon, &p.RoundsPlayed, &p.RoundsWon,
		&p.TotalPoints, &best, &worst, &p.Knockouts, &p.Blunders, &p.GradedTurns,
		&p.Humans.GamesPlayed, &p.Humans.GamesWon, &p.Humans.RoundsPlayed, &p.Humans.RoundsWon, &p.Humans.TotalPoints,
		&p.Rating.Mu, &p.Rating.Sigma, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return store.PlayerStats{}, fmt.Errorf("player %s: %w", playerID, store.ErrNotFound)
	}
	if err != nil {
		return store.PlayerStats{}, fmt.Errorf("sqlite: player stats: %w", err)
	}
	if best.Valid {
		b, w := int(best.Int64), int(worst.Int64)
		p.BestRound, p.WorstRound = &b, &w
	}
	if p.LastGameAt, err = time.Parse(timeFormat, at); err != nil {
		return store.PlayerStats{}, fmt.Errorf("sqlite: player stats: %w", err)
	}
	return p, nil
}

// PlayerGames implements store.Stats.
func (s *Store) PlayerGames(ctx context.Context, playerID string, offset, limit int) ([]store.PlayedGame, bool, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT game_id FROM player_game_results WHERE player_id = ?
		ORDER BY completed_at DESC, game_id DESC LIMIT ? OFFSET ?`, playerID, limit+1, offset)
	if err != nil {
		return nil, false, fmt.Errorf("sqlite: player games: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("sqlite: player games: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("sqlite: player games: %w", err)
	}
	more := len(ids) > limit
	if more {
		ids = ids[:limit]
	}
	games := make([]store.PlayedGame, 0, len(ids))
	for _, id := range ids {
		g, err := s.playedGame(ctx, id)
		if err != nil {
			return nil, false, err
		}
		games = append(games, g)
	}
	return games, more, nil
}

func (s *Store) playedGame(ctx context.Context, id string) (store.PlayedGame, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT completed_at, standard, preset, vs_humans, rounds, player_id, name, cpu,
		seat, place, won, departed, total, rounds_played, rounds_won, knockouts, blunders, graded_turns,
		round_scores, mu, sigma FROM player_game_results WHERE game_id = ? ORDER BY seat`, id)
	if err != nil {
		return store.PlayedGame{}, fmt.Errorf("sqlite: game %s: %w", id, err)
	}
	defer rows.Close()
	g := store.PlayedGame{GameID: id}
	for rows.Next() {
		var (
			p      store.PlayerResult
			at     string
			scores string
		)
		if err := rows.Scan(&at, &g.Standard, &g.Preset, &g.VsHumans, &g.Rounds, &p.PlayerID, &p.Name, &p.CPU,
			&p.Seat, &p.Placing, &p.Won, &p.Departed, &p.Total, &p.RoundsPlayed, &p.RoundsWon, &p.Knockouts,
			&p.Blunders, &p.GradedTurns, &scores, &p.Rating.Mu, &p.Rating.Sigma); err != nil {
			return store.PlayedGame{}, fmt.Errorf("sqlite: game %s: %w", id, err)
		}
		if g.CompletedAt, err = time.Parse(timeFormat, at); err != nil {
			return store.PlayedGame{}, fmt.Errorf("sqlite: game %s: %w", id, err)
		}
		if err := json.Unmarshal([]byte(scores), &p.RoundScores); err != nil {
			return store.PlayedGame{}, fmt.Errorf("sqlite: game %s: round scores: %w", id, err)
		}
		g.Players = append(g.Players, p)
	}
	return g, rows.Err()
}

// Relink implements store.Stats.
func (s *Store) Relink(ctx context.Context, from, to string, rater store.Rater) (int, error) {
	if from == "" || to == "" || from == to {
		return 0, fmt.Errorf("%w: relink %q to %q", store.ErrInvalid, from, to)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: relink: %w", err)
	}
	defer tx.Rollback()
	var at, id string
	err = tx.QueryRowContext(ctx, `SELECT completed_at, game_id FROM player_game_results WHERE player_id = ?
		ORDER BY completed_at, game_id LIMIT 1`, from).Scan(&at, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: relink: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE player_game_results SET player_id = ?2 WHERE player_id = ?1
		AND NOT EXISTS (SELECT 1 FROM player_game_results x WHERE x.player_id = ?2 AND x.game_id = player_game_results.game_id)`, from, to)
	if err != nil {
		return 0, fmt.Errorf("sqlite: relink: %w", err)
	}
	n, _ := res.RowsAffected()
	for _, q := range append([]string{`DELETE FROM player_stats WHERE player_id IN (?1, ?2)`,
		`DELETE FROM leaderboard_stats WHERE player_id IN (?1, ?2)`}, statsql.Aggregate(true)...) {
		if _, err := tx.ExecContext(ctx, dialect.Spell(q), from, to); err != nil {
			return 0, fmt.Errorf("sqlite: relink: %w", err)
		}
	}
	if err := rerate(ctx, tx, at, id, rater); err != nil {
		return 0, fmt.Errorf("sqlite: relink: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: relink: commit: %w", err)
	}
	return int(n), nil
}

// StrandedGuests implements store.Stats. guest_links belongs to the
// accounts' schema, which every database with statistics has.
func (s *Store) StrandedGuests(ctx context.Context, since time.Time, limit int) ([]store.GuestLink, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT l.guest_id, l.user_id FROM guest_links l
		WHERE l.linked_at >= ? AND EXISTS (
			SELECT 1 FROM player_game_results r WHERE r.player_id = l.guest_id
			AND NOT EXISTS (SELECT 1 FROM player_game_results x WHERE x.player_id = l.user_id AND x.game_id = r.game_id))
		ORDER BY l.linked_at, l.guest_id LIMIT ?`, ts(since), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stranded guests: %w", err)
	}
	defer rows.Close()
	var out []store.GuestLink
	for rows.Next() {
		var l store.GuestLink
		if err := rows.Scan(&l.Guest, &l.Account); err != nil {
			return nil, fmt.Errorf("sqlite: stranded guests: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: stranded guests: %w", err)
	}
	return out, nil
}
