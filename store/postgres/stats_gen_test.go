package postgres

import (
	"cmp"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

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
	// The buckets' trigger (migration 00008) stands aside, and the buckets
	// are counted once after, as a rebuild does.
	steps = append(steps, statsql.Aggregate(false)[0], `SET work_mem = '1GB'`, `SET golf.stats_bulk = 'on'`, fastBoards,
		`DELETE FROM leaderboard_buckets`, statsql.FillBuckets, `RESET golf.stats_bulk`)
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

// cloneGames makes n ended games out of the stored games templates: game
// k copies template k mod len(templates), its events included, with the
// humans' ids u0…u7 (storetest.PlayStats') replaced by eight consecutive
// ids of players players, and ends 30 s after game k−1. What a rebuild
// reads is then real event logs, folded and graded.
//
// The rows are made in Go and sent with COPY (two streams, one per core),
// into UNLOGGED tables whose indexes are built after the load: a million
// games are some 140 million events, and SQL replace() on every row, into
// indexed tables, took ~45 minutes for them.
func cloneGames(ctx context.Context, s *Store, templates []string, n, players int) error {
	type event struct {
		seq       int32
		typ       string
		data, who []piece // event_data and player_id, cut at the humans' ids
		hasWho    bool
	}
	type template struct {
		room, status       string
		numPlayers, rounds int32
		options            string
		winner             []piece
		hasWinner          bool
		playerIDs          [][]piece
		events             []event
	}
	ts := make([]template, len(templates))
	slices.Sort(templates) // as the SQL clone did: template k is the k-th id
	for i, id := range templates {
		t := &ts[i]
		var winner *string
		var opts *string
		var pids []string
		if err := s.pool.QueryRow(ctx, `SELECT COALESCE(room_code, ''), status, num_players, num_rounds, options::text, winner_id, player_ids
			FROM games WHERE id = $1`, id).Scan(&t.room, &t.status, &t.numPlayers, &t.rounds, &opts, &winner, &pids); err != nil {
			return fmt.Errorf("clone: template %s: %w", id, err)
		}
		t.options = *opts
		if winner != nil {
			t.winner, t.hasWinner = cut(*winner), true
		}
		for _, p := range pids {
			t.playerIDs = append(t.playerIDs, cut(p))
		}
		rows, err := s.pool.Query(ctx, `SELECT sequence_num, event_type, event_data::text, player_id FROM events
			WHERE game_id = $1 ORDER BY sequence_num`, id)
		if err != nil {
			return fmt.Errorf("clone: template %s: %w", id, err)
		}
		var (
			e    event
			data string
			who  *string
		)
		_, err = pgx.ForEachRow(rows, []any{&e.seq, &e.typ, &data, &who}, func() error {
			e.data, e.who, e.hasWho = cut(data), nil, who != nil
			if who != nil {
				e.who = cut(*who)
			}
			t.events = append(t.events, e)
			return nil
		})
		if err != nil {
			return fmt.Errorf("clone: template %s: %w", id, err)
		}
	}
	var firstID int64
	if err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM events`).Scan(&firstID); err != nil {
		return err
	}
	for _, q := range []string{`ALTER TABLE events SET UNLOGGED`, `ALTER TABLE games SET UNLOGGED`,
		`ALTER TABLE events DROP CONSTRAINT events_pkey`, `ALTER TABLE events DROP CONSTRAINT idx_events_game`,
		`DROP INDEX idx_games_status`, `DROP INDEX idx_games_players`, `DROP INDEX idx_games_public`} {
		if _, err := s.pool.Exec(ctx, q); err != nil {
			return fmt.Errorf("clone: %s: %w", q, err)
		}
	}
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	gameID := func(k int) string {
		sum := md5.Sum([]byte("clone" + strconv.Itoa(k)))
		return uuid(sum)
	}
	ids := func(k int) [8]string {
		var p [8]string
		for j := range p {
			p[j] = fmt.Sprintf("p%06d", (k*8+j)%players)
		}
		return p
	}
	// Game k's events take ids from firstID on, in game order; each
	// stream computes where its first game's start.
	eventsBefore := func(k int) int64 { // events of games 1..k-1
		var per int64
		for _, t := range ts {
			per += int64(len(t.events))
		}
		full, rest := int64(k-1)/int64(len(ts)), (k-1)%len(ts)
		sum := full * per
		for j := 1; j <= rest; j++ { // games full*len+1 … k-1 take templates 1…rest (mod)
			sum += int64(len(ts[j%len(ts)].events))
		}
		return sum
	}
	var eg group
	streams := 2
	for w := range streams {
		lo, hi := 1+w*n/streams, (w+1)*n/streams
		eg.Go(func() error {
			// games
			var b strings.Builder
			k := lo
			_, err := s.pool.CopyFrom(ctx, pgx.Identifier{"games"}, []string{"id", "room_code", "status", "created_at",
				"completed_at", "num_players", "num_rounds", "options", "winner_id", "player_ids"},
				pgx.CopyFromFunc(func() ([]any, error) {
					if k > hi {
						return nil, nil
					}
					t, p, at := &ts[k%len(ts)], ids(k), base.Add(time.Duration(k)*30*time.Second)
					var winner any
					if t.hasWinner {
						winner = paste(&b, t.winner, &p)
					}
					pids := make([]string, len(t.playerIDs))
					for i, x := range t.playerIDs {
						pids[i] = paste(&b, x, &p)
					}
					row := []any{gameID(k), t.room, t.status, at.Add(-10 * time.Minute), at, t.numPlayers, t.rounds,
						t.options, winner, pids}
					k++
					return row, nil
				}))
			if err != nil {
				return fmt.Errorf("clone games %d–%d: %w", lo, hi, err)
			}
			// events
			k, i := lo, 0
			id := firstID + eventsBefore(lo)
			var (
				p   [8]string
				at  time.Time
				gid string
			)
			_, err = s.pool.CopyFrom(ctx, pgx.Identifier{"events"}, []string{"id", "game_id", "sequence_num", "event_type",
				"event_data", "player_id", "created_at"},
				pgx.CopyFromFunc(func() ([]any, error) {
					for k <= hi && i >= len(ts[k%len(ts)].events) {
						k, i = k+1, 0
					}
					if k > hi {
						return nil, nil
					}
					if i == 0 {
						p, at, gid = ids(k), base.Add(time.Duration(k)*30*time.Second), gameID(k)
					}
					e := &ts[k%len(ts)].events[i]
					var who any
					if e.hasWho {
						who = paste(&b, e.who, &p)
					}
					row := []any{id, gid, e.seq, e.typ, paste(&b, e.data, &p), who, at}
					id, i = id+1, i+1
					return row, nil
				}))
			if err != nil {
				return fmt.Errorf("clone events %d–%d: %w", lo, hi, err)
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return err
	}
	// The indexes, built once over the loaded rows (two at a time).
	var ix group
	for _, qs := range [][]string{
		{`ALTER TABLE events ADD CONSTRAINT idx_events_game UNIQUE (game_id, sequence_num)`},
		{`ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id)`,
			`CREATE INDEX idx_games_status ON games (status, completed_at)`,
			`CREATE INDEX idx_games_players ON games USING GIN (player_ids)`,
			`CREATE INDEX idx_games_public ON games (completed_at DESC, id DESC)
				WHERE visibility = 'public' AND status = 'completed' AND archived_at IS NULL`},
	} {
		ix.Go(func() error {
			conn, err := s.pool.Acquire(ctx)
			if err != nil {
				return err
			}
			defer conn.Release()
			if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '1GB'`); err != nil {
				return err
			}
			for _, q := range qs {
				if _, err := conn.Exec(ctx, q); err != nil {
					return fmt.Errorf("clone: %s: %w", q, err)
				}
			}
			return nil
		})
	}
	if err := ix.Wait(); err != nil {
		return err
	}
	for _, q := range []string{`SELECT setval('events_id_seq', (SELECT MAX(id) FROM events))`, `VACUUM ANALYZE games`, `VACUUM ANALYZE events`} {
		if _, err := s.pool.Exec(ctx, q); err != nil {
			return fmt.Errorf("clone: %s: %w", q, err)
		}
	}
	return nil
}

// piece is a run of a template's text: a literal, then (slot >= 0) the
// id of human slot.
type piece struct {
	lit  string
	slot int
}

// humanID finds `"u0"`…`"u7"`: storetest.PlayStats' humans, quoted as JSON
// strings or array elements.
var humanID = regexp.MustCompile(`u[0-7]\b`)

// cut splits s at the humans' ids u0…u7 that stand alone (a whole JSON
// string, an array element or the whole value).
func cut(s string) []piece {
	var out []piece
	last := 0
	for _, m := range humanID.FindAllStringIndex(s, -1) {
		a, z := m[0], m[1]
		whole := (a == 0 || s[a-1] == '"') && (z == len(s) || s[z] == '"')
		if !whole {
			continue
		}
		out = append(out, piece{s[last:a], int(s[a+1] - '0')})
		last = z
	}
	return append(out, piece{s[last:], -1})
}

func paste(b *strings.Builder, ps []piece, ids *[8]string) string {
	if len(ps) == 1 {
		return ps[0].lit
	}
	b.Reset()
	for _, x := range ps {
		b.WriteString(x.lit)
		if x.slot >= 0 {
			b.WriteString(ids[x.slot])
		}
	}
	return b.String()
}

func uuid(b [16]byte) string {
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// group runs functions at once and keeps the first error.
type group struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

func (g *group) Go(f func() error) {
	g.wg.Go(func() {
		if err := f(); err != nil {
			g.mu.Lock()
			g.err = cmp.Or(g.err, err)
			g.mu.Unlock()
		}
	})
}

func (g *group) Wait() error {
	g.wg.Wait()
	return g.err
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
