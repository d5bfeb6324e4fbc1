// Package postgres is the production store: PostgreSQL through pgx, with a
// group committer that writes every concurrent Append in one transaction.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"golf/game"
	"golf/store"
	"golf/store/internal/commit"
	"golf/store/internal/load"
	"golf/store/internal/migration"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLock is the advisory lock that serializes migrations when several
// instances start at once.
const migrateLock = 0x676f6c66 // "golf"

// Store is a store.Store in a PostgreSQL database.
type Store struct {
	pool   *pgxpool.Pool
	commit *commit.Committer

	// Rare paths, counted so tests can tell they ran.
	split, retries atomic.Int64
	closed         atomic.Bool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url (postgres://…), applies pending
// migrations and starts the group committer.
//
// Durability: Append returns nil only after COMMIT returned, with
// synchronous_commit forced to on for the store's sessions (unless url sets
// it), so a server configured with synchronous_commit=off cannot silently
// lose acknowledged events.
func Open(ctx context.Context, url string) (*Store, error) {
	return open(ctx, url, 2, 0)
}

// open opens with the given committer workers and window (0: the
// default); benchmarks compare others.
func open(ctx context.Context, url string, workers int, window time.Duration) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["synchronous_commit"]; !ok {
		cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{pool: pool}
	if _, err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	s.commit = commit.Start(s.flush, commit.Config{Workers: workers, Window: window})
	return s, nil
}

// Ping implements store.Store: a round trip on a pooled connection.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Observe makes o hear of every Append and group commit from now on.
func (s *Store) Observe(o store.Observer) { s.commit.Observe(o) }

// Close writes what is queued and closes the pool. Closing again does
// nothing.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.commit.Close()
	s.pool.Close()
	return nil
}

// migrate applies pending migrations in one transaction under an advisory
// lock: DDL is transactional in PostgreSQL, so a failed migration leaves
// the schema as it was.
func (s *Store) migrate(ctx context.Context) (int64, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return 0, err
	}
	ms, err := migration.Load(sub)
	if err != nil {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	var version int64
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    BIGINT PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
		)`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT version, name FROM schema_migrations`)
		if err != nil {
			return err
		}
		applied := map[int64]string{}
		var v int64
		var name string
		if _, err := pgx.ForEachRow(rows, []any{&v, &name}, func() error { applied[v] = name; return nil }); err != nil {
			return err
		}
		if err := migration.Check(ms, applied); err != nil {
			return err
		}
		for _, m := range ms {
			if _, ok := applied[m.Version]; ok {
				continue
			}
			// No arguments: pgx sends it with the simple protocol, which
			// runs a file of several statements.
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			applied[m.Version] = m.Name
		}
		for k := range applied {
			version = max(version, k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	return version, nil
}

// Version returns the schema version: the highest migration applied.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: version: %w", err)
	}
	return v, nil
}

// Pool returns the connection pool, for tools and tests that need SQL the
// store does not offer.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Append implements store.Store.
func (s *Store) Append(ctx context.Context, gameID string, expected int64, events []game.Event) error {
	return s.commit.Append(ctx, gameID, expected, events)
}

// appendSQL writes one Append: its events, only if the log holds exactly
// the expected count, and then, only if they went in, its net change to the
// games row (an insert for a new game, else an update of the columns that
// changed). A stale count inserts nothing: the conflict verdict. A race
// with another process's writer for the same numbers fails the statement
// on the unique constraint instead, so an Append is never half written.
//
// Parameters: $1 game, $2 expected, $3–$5 types, data, actors; $6 creates
// the row; $7 room code; $8 options; $9 num_players; $10 num_rounds; $11
// player_ids; $12 final status (NULL: not ended); $13 winner; $14 the
// Append changes the row at all. NULL leaves a column as it is.
const appendSQL = `WITH ins AS (
	INSERT INTO events (game_id, sequence_num, event_type, event_data, player_id)
	SELECT $1, $2::bigint + u.n, u.t, u.d::json, NULLIF(u.p, '')
	FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(t, d, p, n)
	WHERE (SELECT COALESCE(MAX(sequence_num), 0) FROM events WHERE game_id = $1) = $2::bigint
	RETURNING 1
), created AS (
	INSERT INTO games (id, room_code, options, num_players, num_rounds, player_ids, status, completed_at, winner_id)
	SELECT $1, $7, $8::text::jsonb, $9::int, $10::int, $11::varchar(50)[], COALESCE($12::text, 'active'),
		CASE WHEN $12::text IS NOT NULL THEN NOW() END, NULLIF($13::text, '')
	WHERE $6::bool AND EXISTS (SELECT 1 FROM ins)
	ON CONFLICT (id) DO NOTHING
), updated AS (
	UPDATE games SET
		options = COALESCE($8::text::jsonb, options),
		num_players = COALESCE($9::int, num_players),
		num_rounds = COALESCE($10::int, num_rounds),
		player_ids = COALESCE($11::varchar(50)[], player_ids),
		status = COALESCE($12::text, status),
		completed_at = CASE WHEN $12::text IS NOT NULL THEN NOW() ELSE completed_at END,
		winner_id = CASE WHEN $12::text IS NOT NULL THEN NULLIF($13::text, '') ELSE winner_id END
	WHERE id = $1 AND NOT $6::bool AND $14::bool AND EXISTS (SELECT 1 FROM ins)
)
SELECT count(*) FROM ins`

// appendArgs are appendSQL's arguments for a.
func appendArgs(a *commit.Append) []any {
	types, data, actors := make([]string, len(a.Rows)), make([]string, len(a.Rows)), make([]string, len(a.Rows))
	for i, r := range a.Rows {
		types[i], data[i], actors[i] = r.Type, string(r.Data), r.PlayerID
	}
	// Fold the Append's index changes, in log order, into one net change.
	var (
		create, changes       bool
		room, winner          string
		options, status       *string
		numPlayers, numRounds *int
		players               []string
	)
	for _, ix := range a.Index {
		changes = true
		switch ix.Kind {
		case commit.Created:
			create, room = true, ix.RoomCode
			options = ptr(string(ix.Options))
		case commit.Settings:
			options = ptr(string(ix.Options))
		case commit.Started:
			options = ptr(string(ix.Options))
			numPlayers, numRounds, players = ptr(ix.NumPlayers), ptr(ix.NumRounds), ix.PlayerIDs
		case commit.Ended:
			status, winner = ptr(ix.Status), ix.WinnerID
		}
	}
	return []any{a.GameID, a.Expected, types, data, actors, create, room, options, numPlayers, numRounds,
		players, status, winner, changes}
}

func ptr[T any](v T) *T { return &v }

// errAmbiguous marks a failure after which COMMIT may have taken effect.
var errAmbiguous = errors.New("commit outcome unknown")

// flush writes a batch in one transaction and one round trip: BEGIN, one
// statement per Append, COMMIT, pipelined with pgx.Batch. Each Append gets
// its own verdict. A deadlock with another process's writer retries the
// batch; any other database error (a unique violation from such a race,
// say) retries each Append in a transaction of its own, so one Append
// fails no other.
func (s *Store) flush(ctx context.Context, batch []*commit.Append) []error {
	var (
		verdicts []error
		err      error
	)
	for attempt := 0; attempt < 4; attempt++ {
		verdicts, err = s.flushOnce(ctx, batch)
		if err == nil || !isCode(err, "40P01", "40001") {
			break
		}
		s.retries.Add(1)
		time.Sleep(time.Duration(attempt+1) * time.Millisecond)
	}
	switch {
	case err == nil:
		return verdicts
	case len(batch) > 1 && !errors.Is(err, errAmbiguous):
		s.split.Add(1)
		for i := range batch {
			verdicts[i] = s.flush(ctx, batch[i:i+1])[0]
		}
		return verdicts
	case len(batch) == 1 && isCode(err, "23505"):
		// Another process's writer took these numbers first.
		return []error{store.ErrConflict}
	}
	err = fmt.Errorf("postgres: %w", err)
	for i := range verdicts {
		verdicts[i] = err
	}
	return verdicts
}

// isCode reports whether err is a PostgreSQL error with one of the codes.
func isCode(err error, codes ...string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && slices.Contains(codes, pe.Code)
}

// flushOnce runs the batch's transaction once. A nil error means committed;
// the verdicts then say which Appends conflicted.
func (s *Store) flushOnce(ctx context.Context, batch []*commit.Append) (verdicts []error, err error) {
	verdicts = make([]error, len(batch))
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return verdicts, err
	}
	defer conn.Release() // the pool drops a connection left inside a transaction
	c := conn.Conn()
	defer func() {
		if err != nil && c.PgConn().TxStatus() != 'I' {
			c.Exec(ctx, "ROLLBACK")
		}
	}()
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	for _, a := range batch {
		b.Queue(appendSQL, appendArgs(a)...)
	}
	b.Queue("COMMIT")
	br := c.SendBatch(ctx, b)
	_, err = br.Exec()
	for i := 0; err == nil && i < len(batch); i++ {
		var n int
		if err = br.QueryRow().Scan(&n); err == nil && n == 0 {
			verdicts[i] = store.ErrConflict
		}
	}
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	var pe *pgconn.PgError
	if err != nil && !errors.As(err, &pe) {
		// The connection failed with COMMIT sent: it may or may not have run.
		return verdicts, fmt.Errorf("%w: %w", errAmbiguous, err)
	}
	return verdicts, err
}

// Load implements store.Store.
func (s *Store) Load(ctx context.Context, gameID string) ([]store.Record, error) {
	return load.All(ctx, gameID, s.load)
}

// LoadAfter implements store.Store, reading one index range.
func (s *Store) LoadAfter(ctx context.Context, gameID string, after int64) ([]store.Record, error) {
	return load.After(ctx, gameID, after, s.load)
}

// load is the backend's load.Func.
func (s *Store) load(ctx context.Context, gameID string, after int64) ([]store.Record, error) {
	rows, err := s.pool.Query(ctx, `SELECT sequence_num, event_type, event_data::text, COALESCE(player_id, ''),
		COALESCE(created_at, 'epoch') FROM events WHERE game_id = $1 AND sequence_num > $2 ORDER BY sequence_num`, gameID, after)
	if err != nil {
		return nil, err
	}
	var recs []store.Record
	var r store.Record
	var data string
	_, err = pgx.ForEachRow(rows, []any{&r.Seq, &r.Type, &data, &r.PlayerID, &r.At}, func() error {
		r.GameID, r.Data = gameID, []byte(data)
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// LoadLogs implements store.Store: one query for every game, its rows
// read as they arrive (ordered by game, so each game's log is complete
// when the next game's first row comes), the event data of a game copied
// into one buffer of its own.
func (s *Store) LoadLogs(ctx context.Context, ids []string, fn func(gameID string, recs []store.Record) error) error {
	for _, id := range ids {
		if err := store.CheckGameID(id); err != nil {
			return fmt.Errorf("load logs: game %s: %w", id, err)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := s.pool.Query(ctx, `SELECT game_id::text, sequence_num, event_type, event_data::text,
		COALESCE(player_id, ''), COALESCE(created_at, 'epoch') FROM events
		WHERE game_id = ANY($1::uuid[]) ORDER BY game_id, sequence_num`, ids)
	if err != nil {
		return fmt.Errorf("load logs: %w", err)
	}
	defer rows.Close()
	var (
		id    string
		recs  []store.Record
		spans [][2]int // each record's data in buf
		buf   []byte
	)
	// emit hands the game read so far to fn, its data in one allocation.
	emit := func() error {
		if len(recs) == 0 {
			return nil
		}
		data := slices.Clone(buf)
		for i, sp := range spans {
			recs[i].Data = data[sp[0]:sp[1]:sp[1]]
		}
		err := fn(id, recs)
		recs, spans, buf = nil, spans[:0], buf[:0]
		return err
	}
	var r store.Record
	for rows.Next() {
		raw := rows.RawValues()
		if string(raw[0]) != id {
			if err := emit(); err != nil {
				return err
			}
			id = string(raw[0])
		}
		// The id and the data are read raw: both are text (the same bytes
		// in either format), and their copies are made once per game.
		if err := rows.Scan(nil, &r.Seq, &r.Type, nil, &r.PlayerID, &r.At); err != nil {
			return fmt.Errorf("load logs: game %s: %w", id, err)
		}
		r.GameID = id
		spans = append(spans, [2]int{len(buf), len(buf) + len(raw[3])})
		buf = append(buf, raw[3]...)
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load logs: %w", err)
	}
	return emit()
}

// DiscardLobby implements store.LobbyDiscarder.
func (s *Store) DiscardLobby(ctx context.Context, gameID string) (bool, error) {
	if err := store.CheckGameID(gameID); err != nil {
		return false, fmt.Errorf("discard %s: %w", gameID, err)
	}
	var gone bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The games row first: its lock keeps an Append of this game
		// (which updates it) from slipping a GameStarted in between.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM games WHERE id = $1 FOR UPDATE`, gameID); err != nil {
			return err
		}
		var started bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE game_id = $1 AND event_type = 'GameStarted')`,
			gameID).Scan(&started); err != nil || started {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM events WHERE game_id = $1`, gameID)
		if err != nil {
			return err
		}
		gone = tag.RowsAffected() > 0
		_, err = tx.Exec(ctx, `DELETE FROM games WHERE id = $1`, gameID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("discard %s: %w", gameID, err)
	}
	return gone, nil
}

// Game implements store.Store.
func (s *Store) Game(ctx context.Context, gameID string) (store.Game, error) {
	if err := store.CheckGameID(gameID); err != nil {
		return store.Game{}, fmt.Errorf("game %s: %w", gameID, err)
	}
	g, err := scanGame(s.pool.QueryRow(ctx, `SELECT `+gameColumns+` FROM games WHERE id = $1`, gameID))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Game{}, fmt.Errorf("game %s: %w", gameID, store.ErrNotFound)
	}
	if err != nil {
		return store.Game{}, fmt.Errorf("game %s: %w", gameID, err)
	}
	return g, nil
}

// gameColumns are the games columns scanGame reads, in its order.
const gameColumns = `id::text, room_code, status, created_at, completed_at, num_players, num_rounds,
	options::text, winner_id, player_ids, visibility, imported, COALESCE(imported_by, ''), archived_at`

// scanGame reads one row of gameColumns.
func scanGame(row pgx.Row) (store.Game, error) {
	var (
		g                             store.Game
		room, status, options, winner *string
		created, completed, archived  *time.Time
		numPlayers, numRounds         *int32
		visibility                    string
	)
	err := row.Scan(&g.ID, &room, &status, &created, &completed, &numPlayers, &numRounds, &options, &winner,
		&g.PlayerIDs, &visibility, &g.Imported, &g.ImportedBy, &archived)
	if err != nil {
		return store.Game{}, err
	}
	g.RoomCode, g.Status, g.WinnerID = deref(room), deref(status), deref(winner)
	g.CreatedAt, g.CompletedAt, g.ArchivedAt = deref(created), deref(completed), deref(archived)
	g.NumPlayers, g.NumRounds = int(deref(numPlayers)), int(deref(numRounds))
	g.Visibility = store.Visibility(visibility)
	if options != nil {
		g.Options = []byte(*options)
	}
	return g, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// ActiveGames implements store.Store.
func (s *Store) ActiveGames(ctx context.Context) ([]string, error) {
	return s.ids(ctx, "active games", `SELECT id::text FROM games WHERE status = 'active' ORDER BY created_at, id`)
}

// GameIDs implements store.Store.
func (s *Store) GameIDs(ctx context.Context) ([]string, error) {
	// Ordered as UUIDs (byte order, the same as SQLite's text order), not
	// as text, whose order depends on the database's collation.
	return s.ids(ctx, "game ids", `SELECT g.id::text FROM (SELECT DISTINCT game_id AS id FROM events
		UNION SELECT id FROM games) g ORDER BY g.id`)
}

func (s *Store) ids(ctx context.Context, what, query string, args ...any) ([]string, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return ids, nil
}
