package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golf/store"
	"golf/store/internal/statsql"
)

// scaleAt is the day whose month and week the scale test's boards read.
var scaleAt = time.Date(2025, 12, 26, 12, 0, 0, 0, time.UTC)

// rnd is a uniform number in [0, 1) (SQLite's random() is a 64-bit int).
const rnd = `((random() & 4503599627370495) / 4503599627370496.0)`

// generateStats fills the statistics tables of s in SQL, as the PostgreSQL
// scale test's generator does (the same shape of games and players; SQLite's
// random() is not seeded, so the rows differ run to run), then aggregates
// player_stats and leaderboard_stats with statsql.Aggregate.
func generateStats(ctx context.Context, s *Store, games, players int) error {
	steps := []string{
		`INSERT OR IGNORE INTO player_game_results (player_id, game_id, completed_at, month, week, name, cpu, seat,
			vs_humans, standard, preset, rounds, place, won, departed, total, rounds_played, rounds_won,
			best_round, worst_round, knockouts, blunders, graded_turns, round_scores, mu, sigma)
		WITH RECURSIVE ns(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM ns WHERE n < ?1),
		g AS (
			SELECT n, printf('%08x-0000-4000-8000-%012x', n, n) AS game_id,
				strftime('%Y-%m-%dT%H:%M:%fZ', '2025-03-01T00:00:00Z', '+' || (n * 31536000.0 / ?1) || ' seconds') AS completed_at,
				2 + (n * 7919) % 4 AS seats, (n % 3) > 0 AS vs_humans, (n % 2) = 0 AS standard
			FROM ns
		), ks(k) AS (VALUES (0), (1), (2), (3), (4)),
		s AS (
			SELECT g.*, k AS seat,
				'u' || printf('%06d', CAST(?2 * pow(` + rnd + `, 2.5) AS INTEGER)) AS player_id,
				CAST(` + rnd + ` * 60 - 8 AS INTEGER) AS total, CAST(` + rnd + ` * 4 AS INTEGER) AS rounds_won
			FROM g JOIN ks ON ks.k < g.seats
		), r AS (
			SELECT s.*, RANK() OVER (PARTITION BY game_id ORDER BY total) AS place FROM s
		)
		SELECT player_id, game_id, completed_at,
			'month:' || substr(completed_at, 1, 7),
			'week:' || date(completed_at, 'weekday 0', '-6 days'),
			'Player ' || player_id, 0, seat, vs_humans, standard, CASE WHEN standard THEN 'standard' ELSE '' END,
			9, place, place = 1, 0, total, 9, rounds_won, total / 9 - 3, total / 9 + 5, CAST(` + rnd + ` * 3 AS INTEGER),
			CAST(` + rnd + ` * 2 AS INTEGER), 30, '[]', 25 + 8 * (` + rnd + ` - 0.5), 1 + 7 * (1 - n * 1.0 / ?1) * ` + rnd + `
		FROM r`,
		`INSERT INTO projected_games (game_id, counted, completed_at)
			SELECT game_id, 1, MIN(completed_at) FROM player_game_results GROUP BY game_id`,
	}
	// player_stats as a relink aggregates it; leaderboard_stats in one
	// aggregate, for the periods the scale test reads only (all time, and
	// the month and week of scaleAt), its rating the mean of the lines'.
	steps = append(steps, statsql.Aggregate(false)[0], `INSERT INTO leaderboard_stats (period, scope, player_id,
		games_played, games_won, rounds_played, rounds_won, total_points, knockouts, mu, sigma, last_game_at, last_game_id)
	SELECT CASE k.n WHEN 0 THEN 'all' WHEN 1 THEN r.month ELSE r.week END, sc.scope, r.player_id,
		count(*), sum(r.won), sum(r.rounds_played), sum(r.rounds_won), sum(r.total), sum(r.knockouts),
		avg(r.mu), avg(r.sigma), max(r.completed_at), max(r.game_id)
	FROM player_game_results r
	CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2) k
	CROSS JOIN (SELECT 0 AS scope UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) sc
	WHERE (sc.scope IN (0, 2) OR r.vs_humans = 1) AND (sc.scope IN (0, 1) OR r.standard = 1)
		AND (k.n = 0 OR r.month = '`+store.MonthPeriod(scaleAt)+`' AND k.n = 1 OR r.week = '`+store.WeekPeriod(scaleAt)+`' AND k.n = 2)
	GROUP BY 1, 2, 3`)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, q := range steps {
		var err error
		if i == 0 {
			_, err = tx.ExecContext(ctx, q, games, players)
		} else {
			_, err = tx.ExecContext(ctx, dialect.Spell(q))
		}
		if err != nil {
			return fmt.Errorf("generate, step %d: %w", i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `ANALYZE`)
	return err
}

// cloneGames makes n ended games out of the stored games templates, as
// the PostgreSQL scale test's does: game k copies template k mod
// len(templates), events included, with the humans' ids u0…u7 replaced by
// eight consecutive ids of players players.
func cloneGames(ctx context.Context, s *Store, templates []string, n, players int) error {
	subst := "x"
	for j := 7; j >= 0; j-- {
		subst = fmt.Sprintf(`replace(%s, '"u%d"', '"' || c.p%d || '"')`, subst, j, j)
	}
	ids := ""
	for j := range 8 {
		ids += fmt.Sprintf(", 'p' || printf('%%06d', (n * 8 + %d) %% ?3) AS p%d", j, j)
	}
	list := "'" + strings.Join(templates, "','") + "'"
	clone := `WITH RECURSIVE ns(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM ns WHERE n < ?2),
		t AS (SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS k FROM games WHERE id IN (` + list + `)),
		c AS (SELECT n, printf('%08x-0000-4000-9000-%012x', n, n) AS id,
			strftime('%Y-%m-%dT%H:%M:%fZ', '2025-03-01T00:00:00Z', '+' || (n * 30) || ' seconds') AS at` + ids + ` FROM ns)`
	steps := []string{
		clone + ` INSERT INTO games (id, room_code, status, created_at, completed_at, num_players, num_rounds, options, winner_id, player_ids)
		SELECT c.id, g.room_code, g.status, c.at, c.at, g.num_players, g.num_rounds, g.options, g.winner_id,
			` + strings.Replace(subst, "x", "g.player_ids", 1) + `
		FROM c JOIN t ON t.k = c.n % ?1 JOIN games g ON g.id = t.id`,
		clone + ` INSERT INTO events (game_id, sequence_num, event_type, event_data, player_id, created_at)
		SELECT c.id, e.sequence_num, e.event_type, ` + strings.Replace(subst, "x", "e.event_data", 1) + `,
			trim(` + strings.Replace(subst, "x", `('"' || e.player_id || '"')`, 1) + `, '"'), c.at
		FROM c JOIN t ON t.k = c.n % ?1 JOIN events e ON e.game_id = t.id`,
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, q := range steps {
		if _, err := tx.ExecContext(ctx, q, len(templates), n, players); err != nil {
			return fmt.Errorf("clone, step %d: %w", i, err)
		}
	}
	return tx.Commit()
}
