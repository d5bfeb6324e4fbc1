package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golf/store"
	"golf/store/internal/statsql"
)

// generateStats fills the statistics tables of s in SQL, fast, with games
// counted games of 2–5 seats among players players drawn with a skew (a
// few play a lot, most a little: player k is drawn with probability
// falling as k^-0.6), ending evenly over a year from 2025-03-01; two
// thirds vs humans, half standard, 9 rounds each. Ratings are random (a
// μ around 25, a σ shrinking with the line's place in the year): the
// boards' queries see realistic spreads, not folded ratings. player_stats
// and leaderboard_stats are then aggregated by the same statements a
// relink uses (statsql.Aggregate).
func generateStats(ctx context.Context, s *Store, games, players int) error {
	steps := []string{
		`SELECT setseed(0.42)`,
		`INSERT INTO player_game_results (player_id, game_id, completed_at, month, week, name, cpu, seat,
			vs_humans, standard, preset, rounds, place, won, departed, total, rounds_played, rounds_won,
			best_round, worst_round, knockouts, blunders, graded_turns, round_scores, mu, sigma)
		WITH g AS (
			SELECT n, md5('game' || n)::uuid AS game_id,
				TIMESTAMPTZ '2025-03-01 00:00:00+00' + (n * (INTERVAL '365 days' / $1)) AS completed_at,
				2 + (n::bigint * 7919) % 4 AS seats, (n % 3) > 0 AS vs_humans, (n % 2) = 0 AS standard
			FROM generate_series(1, $1::int) n
		), s AS (
			SELECT g.*, k AS seat,
				'u' || lpad(floor($2 * power(random(), 2.5))::int::text, 6, '0') AS player_id,
				(random() * 60 - 8)::int AS total, (random() * 4)::int AS rounds_won
			FROM g CROSS JOIN LATERAL generate_series(0, g.seats - 1) k
		), r AS (
			SELECT s.*, RANK() OVER (PARTITION BY game_id ORDER BY total) AS place FROM s
		)
		SELECT player_id, game_id, completed_at,
			'month:' || to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM'),
			'week:' || to_char(date_trunc('week', completed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'),
			'Player ' || player_id, false, seat, vs_humans, standard, CASE WHEN standard THEN 'standard' ELSE '' END,
			9, place, place = 1, false, total, 9, rounds_won, total / 9 - 3, total / 9 + 5, (random() * 3)::int,
			(random() * 2)::int, 30, '[]', 25 + 8 * (random() - 0.5), 1 + 7 * (1 - n::float8 / $1) * random()
		FROM r
		ON CONFLICT (player_id, game_id) DO NOTHING`,
		`INSERT INTO projected_games (game_id, counted, completed_at)
			SELECT DISTINCT game_id, true, completed_at FROM player_game_results`,
	}
	// player_stats as a relink aggregates it; leaderboard_stats in one
	// hash aggregate (statsql's exact form, which keeps each row's latest
	// rating, sorts ~25 million rows: a quarter of an hour here), its
	// rating the mean of the lines' random ones.
	steps = append(steps, statsql.Aggregate(false)[0], `SET work_mem = '1GB'`, fastBoards)
	steps = append(steps, `VACUUM ANALYZE`) // as autovacuum leaves a table at rest: index-only scans need the visibility map
	// One connection: SET work_mem holds for the steps after it.
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	for i, q := range steps {
		var err error
		if i == 1 {
			_, err = conn.Exec(ctx, q, games, players)
		} else {
			_, err = conn.Exec(ctx, dialect.Spell(q))
		}
		if err != nil {
			return fmt.Errorf("generate, step %d: %w", i, err)
		}
	}
	return nil
}

// cloneGames makes n ended games out of the stored games templates, in
// SQL: game k copies template k mod len(templates), its events included,
// with the humans' ids u0…u7 (storetest.PlayStats') replaced by eight
// consecutive ids of players players, and ends 30 s after game k−1.
// What a rebuild reads is then real event logs, folded and graded.
func cloneGames(ctx context.Context, s *Store, templates []string, n, players int) error {
	subst := "x"
	for j := 7; j >= 0; j-- {
		subst = fmt.Sprintf(`replace(%s, '"u%d"', '"' || c.p%d || '"')`, subst, j, j)
	}
	ids := ""
	for j := range 8 {
		ids += fmt.Sprintf(", 'p' || lpad(((n::bigint * 8 + %d) %% $3)::text, 6, '0') AS p%d", j, j)
	}
	clone := `WITH t AS (SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS k FROM games WHERE id = ANY($1::uuid[])),
		c AS (SELECT n, md5('clone' || n)::uuid AS id, TIMESTAMPTZ '2025-03-01 00:00:00+00' + n * INTERVAL '30 seconds' AS at` + ids + `
			FROM generate_series(1, $2::int) n)`
	steps := []string{
		clone + ` INSERT INTO games (id, room_code, status, created_at, completed_at, num_players, num_rounds, options, winner_id, player_ids)
		SELECT c.id, g.room_code, g.status, c.at - INTERVAL '10 minutes', c.at, g.num_players, g.num_rounds, g.options, g.winner_id,
			(` + replaceX(subst, "g.player_ids::text") + `)::varchar(50)[]
		FROM c JOIN t ON t.k = c.n % cardinality($1::uuid[]) JOIN games g ON g.id = t.id`,
		clone + ` INSERT INTO events (game_id, sequence_num, event_type, event_data, player_id, created_at)
		SELECT c.id, e.sequence_num, e.event_type, (` + replaceX(subst, "e.event_data::text") + `)::jsonb,
			trim(both '"' from ` + replaceX(subst, `('"' || e.player_id || '"')`) + `), c.at
		FROM c JOIN t ON t.k = c.n % cardinality($1::uuid[]) JOIN events e ON e.game_id = t.id`,
	}
	for i, q := range steps {
		if _, err := s.pool.Exec(ctx, q, templates, n, players); err != nil {
			return fmt.Errorf("clone, step %d: %w", i, err)
		}
	}
	_, err := s.pool.Exec(ctx, `ANALYZE`)
	return err
}

func replaceX(subst, x string) string {
	return strings.Replace(subst, "x", x, 1)
}

var fastBoards = `INSERT INTO leaderboard_stats (period, scope, player_id, games_played, games_won,
	rounds_played, rounds_won, total_points, knockouts, mu, sigma, last_game_at, last_game_id)
SELECT CASE k.n WHEN 0 THEN 'all' WHEN 1 THEN r.month ELSE r.week END, sc.scope, r.player_id,
	count(*), sum(r.won::int), sum(r.rounds_played), sum(r.rounds_won), sum(r.total), sum(r.knockouts),
	avg(r.mu), avg(r.sigma), max(r.completed_at), max(r.game_id::text)::uuid
FROM player_game_results r
CROSS JOIN (VALUES (0), (1), (2)) k(n)
CROSS JOIN (VALUES (0), (1), (2), (3)) sc(scope)
WHERE (sc.scope IN (0, 2) OR r.vs_humans) AND (sc.scope IN (0, 1) OR r.standard)
	AND (k.n = 0 OR r.month = '` + scaleMonth + `' AND k.n = 1 OR r.week = '` + scaleWeek + `' AND k.n = 2)
GROUP BY 1, 2, 3`

// The scale tests measure the boards of all time and of the month and
// week of scaleAt; the generators make the board rows of those periods
// only (the rows of other months and weeks sit in other ranges of the
// same indexes, and would take most of the generation's time: ~9 million
// rows against ~1 million).
var (
	scaleAt    = time.Date(2025, 12, 26, 12, 0, 0, 0, time.UTC)
	scaleMonth = store.MonthPeriod(scaleAt)
	scaleWeek  = store.WeekPeriod(scaleAt)
)

// indexes00006 are the indexes migration 00006 adds to serve the boards.
var indexes00006 = []string{"idx_board_wins_ranked", "idx_board_avg_ranked"}
