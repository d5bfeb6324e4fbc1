// Package sqlite is the embedded store: one SQLite file, written through a
// single connection by a group committer, read through a small pool. It
// uses modernc.org/sqlite, a translation of SQLite to Go, so the binary
// needs no cgo and no C toolchain.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"golf/game"
	"golf/store"
	"golf/store/internal/commit"
	"golf/store/internal/load"
	"golf/store/internal/migration"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// timeFormat is how timestamps are stored: RFC 3339 UTC with milliseconds,
// the form strftime('%Y-%m-%dT%H:%M:%fZ') writes, so text order is time
// order.
const timeFormat = "2006-01-02T15:04:05.000Z"

// Store is a store.Store in one SQLite file.
type Store struct {
	path   string
	w      *sql.DB // exactly one connection: SQLite has one writer anyway
	r      *sql.DB // readers; WAL lets them run beside the writer
	commit *commit.Committer
	ck     *sql.DB       // one connection for checkpoints, off the writer's path
	stopCk chan struct{} // closed by Close: the checkpointer stops
	ckDone chan struct{} // closed when it has
	insert *sql.Stmt     // on w
	count  *sql.Stmt     // on w
	// appendN[n] writes an Append of n events and no index change in one
	// statement (appendSQL), on w.
	appendN [maxOneStatement + 1]*sql.Stmt
	// proj holds the projection's statements, prepared once on w: SQLite
	// compiles a statement, and every trigger it fires, on each prepare,
	// which had been four fifths of the projection's CPU, all of it while
	// holding the one writer the moves wait for.
	proj   projStmts
	closed atomic.Bool
}

// maxOneStatement is the most events an Append may hold to be written by
// one statement of appendN; a live table appends one to three.
const maxOneStatement = 8

// appendSQL returns the statement that inserts n events as numbers
// ?2+1…?2+n of game ?1, only if the log holds exactly ?2 events; it
// inserts nothing otherwise (the conflict verdict). One statement is
// atomic on its own, so it needs no savepoint. ?3 is the time, formatted
// once per batch: the column's default reads SQLite's clock, a system call
// for every row. Each event is three parameters: type, data, actor.
func appendSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO events (game_id, sequence_num, event_type, event_data, player_id, created_at)
		SELECT ?1, ?2 + v.column1, v.column2, v.column3, NULLIF(v.column4, ''), ?3 FROM (VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, ?%d, ?%d, ?%d)", i+1, 3*i+4, 3*i+5, 3*i+6)
	}
	b.WriteString(`) AS v WHERE (SELECT COALESCE(MAX(sequence_num), 0) FROM events WHERE game_id = ?1) = ?2`)
	return b.String()
}

var _ store.Store = (*Store)(nil)

// Open opens (creating it and its directory if needed) the SQLite database
// at path and applies pending migrations.
//
// Durability: the journal is a write-ahead log with synchronous=FULL, so
// every commit syncs the log before Append returns; a committed event
// survives a process kill and a power cut alike. NORMAL would survive only
// the kill. The group committer shares each sync among every Append that
// arrived during the previous one, which is why FULL costs little under
// load.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, "FULL", 0)
}

// private makes the database file readable by its owner only (0600): it
// holds every hidden card and seed of the games in play. SQLite gives the
// -wal and -shm files it creates the database file's mode, so creating
// the file first, 0600, is enough for a new database; an existing one
// (and its companions) made by an earlier version is tightened.
func private(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		if st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, st.Mode().Perm()&0o700); err != nil {
				return err
			}
		}
	}
	return nil
}

// open opens with the given synchronous setting and group-commit window
// (0: the default); benchmarks compare NORMAL and other windows.
func open(ctx context.Context, path, synchronous string, window time.Duration) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: bad database path %q", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	if err := private(path); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	const common = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	// wal_autocheckpoint(0): SQLite would otherwise copy the log into the
	// database (and sync the database file) inside whichever commit crosses
	// 1,000 pages, stalling every Append queued behind it — measured at up to
	// 750 ms under load. The checkpointer below does it on its own connection.
	// cache_size: every Append reads and writes its game's last page of the
	// log's index; with SQLite's default 2 MB cache, a few hundred live
	// games already miss it and each miss is a read from the file. 8 MB,
	// not more: at 10,000 players (5,000 live games) it read no more than
	// 32 MB did, and the end of every write transaction walks the cache's
	// page table (pcache1TruncateUnsafe), 4% of the server's CPU with 32 MB
	// and 1.3% with 8 MB (docs/BENCHMARKS.md, "fourth pass").
	// temp_store(2): an upsert that fires triggers keeps a statement
	// journal, by default in a temporary file: a write(2) per page, a
	// seventh of the projection's CPU in the profile of issue 16's third
	// pass.
	w, err := sql.Open("sqlite", path+"?"+common+
		"&_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint(0)&_pragma=synchronous("+synchronous+")"+
		"&_pragma=cache_size(-8192)&_pragma=temp_store(2)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: path, w: w}
	if _, err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	s.insert, err = w.PrepareContext(ctx, `INSERT INTO events
		(game_id, sequence_num, event_type, event_data, player_id) VALUES (?, ?, ?, ?, ?)`)
	if err == nil {
		s.count, err = w.PrepareContext(ctx, `SELECT COALESCE(MAX(sequence_num), 0) FROM events WHERE game_id = ?`)
	}
	for n := 1; err == nil && n <= maxOneStatement; n++ {
		s.appendN[n], err = w.PrepareContext(ctx, appendSQL(n))
	}
	if err == nil {
		err = s.proj.prepare(ctx, w)
	}
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: prepare: %w", err)
	}
	s.r, err = sql.Open("sqlite", path+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.r.SetMaxOpenConns(4)
	s.ck, err = sql.Open("sqlite", path+"?"+common)
	if err != nil {
		s.r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.ck.SetMaxOpenConns(1)
	s.commit = commit.Start(s.flush, commit.Config{Window: window})
	s.stopCk, s.ckDone = make(chan struct{}), make(chan struct{})
	go s.checkpointLoop(checkpointEvery)
	return s, nil
}

// checkpointEvery is how often the checkpointer copies the log into the
// database file. A PASSIVE checkpoint never waits for the writer or the
// readers, so Appends go on while it runs.
const checkpointEvery = time.Second

func (s *Store) checkpointLoop(every time.Duration) {
	defer close(s.ckDone)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stopCk:
			return
		case <-t.C:
			s.checkpoint(context.Background(), "PASSIVE")
		}
	}
}

// checkpoint runs one WAL checkpoint of the given mode and returns the
// log's size and how much of it is now in the database, in pages.
func (s *Store) checkpoint(ctx context.Context, mode string) (logPages, done int, err error) {
	var busy int
	err = s.ck.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logPages, &done)
	if err != nil {
		return 0, 0, fmt.Errorf("sqlite: checkpoint: %w", err)
	}
	return logPages, done, nil
}

// Ping implements store.Store: one query on a reader connection.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Observe makes o hear of every Append and group commit from now on.
func (s *Store) Observe(o store.Observer) { s.commit.Observe(o) }

// Close writes what is queued and closes the database. Closing again does
// nothing.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.commit.Close()
	close(s.stopCk)
	<-s.ckDone
	// Leave the database whole in its file, and the log empty.
	_, _, ckErr := s.checkpoint(context.Background(), "TRUNCATE")
	errs := []error{ckErr, s.insert.Close(), s.count.Close()}
	for _, st := range s.appendN[1:] {
		errs = append(errs, st.Close())
	}
	errs = append(errs, s.proj.close())
	return errors.Join(append(errs, s.r.Close(), s.ck.Close(), s.w.Close())...)
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// migrate applies pending migrations in one IMMEDIATE transaction, which
// also keeps a second process from migrating the file at the same time.
func (s *Store) migrate(ctx context.Context) (int64, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return 0, err
	}
	ms, err := migration.Load(sub)
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
	) STRICT`); err != nil {
		return 0, fmt.Errorf("sqlite: migrate: %w", err)
	}
	applied, err := appliedMigrations(ctx, tx)
	if err != nil {
		return 0, err
	}
	if err := migration.Check(ms, applied); err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	for _, m := range ms {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return 0, fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
			return 0, fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
		}
		applied[m.Version] = m.Name
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: migrate: %w", err)
	}
	return maxVersion(applied), nil
}

func appliedMigrations(ctx context.Context, tx *sql.Tx) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version, name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int64]string{}
	for rows.Next() {
		var v int64
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return nil, fmt.Errorf("sqlite: read schema_migrations: %w", err)
		}
		applied[v] = name
	}
	return applied, rows.Err()
}

func maxVersion(applied map[int64]string) int64 {
	var v int64
	for k := range applied {
		v = max(v, k)
	}
	return v
}

// Version returns the schema version: the highest migration applied.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlite: version: %w", err)
	}
	return v, nil
}

// Append implements store.Store.
func (s *Store) Append(ctx context.Context, gameID string, expected int64, events []game.Event) error {
	return s.commit.Append(ctx, gameID, expected, events)
}

// DiscardLobby implements store.LobbyDiscarder. It runs on the writer's
// connection, after whatever Appends are in flight on it.
func (s *Store) DiscardLobby(ctx context.Context, gameID string) (bool, error) {
	if err := store.CheckGameID(gameID); err != nil {
		return false, fmt.Errorf("discard %s: %w", gameID, err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("discard %s: %w", gameID, err)
	}
	defer tx.Rollback()
	var started int
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE game_id = ? AND event_type = 'GameStarted')`,
		gameID).Scan(&started); err != nil {
		return false, fmt.Errorf("discard %s: %w", gameID, err)
	}
	if started != 0 {
		return false, nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE game_id = ?`, gameID)
	if err != nil {
		return false, fmt.Errorf("discard %s: %w", gameID, err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM games WHERE id = ?`, gameID); err != nil {
		return false, fmt.Errorf("discard %s: %w", gameID, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("discard %s: %w", gameID, err)
	}
	return n > 0, nil
}

// flush writes a batch in one transaction. An Append of a few events and
// no index change is one statement (appendN), which SQLite makes atomic by
// itself; any other runs inside its own savepoint. Either way one game's
// conflict or error undoes that game's rows only.
func (s *Store) flush(ctx context.Context, batch []*commit.Append) []error {
	verdicts := make([]error, len(batch))
	err := func() error {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		// The statements run without the batch's deadline: the write lock is
		// already held (BEGIN IMMEDIATE), so nothing waits on another
		// connection, and a context that can end costs the driver a
		// goroutine per statement.
		sctx := context.WithoutCancel(ctx)
		var insert, count *sql.Stmt
		var oneStatement [maxOneStatement + 1]*sql.Stmt
		// One argument slice for the whole batch, and the time boxed once:
		// the committer is every move's path, and what it allocates it
		// pays back in assists while a collection marks.
		var (
			at   any = time.Now().UTC().Format(timeFormat)
			args []any
		)
		for i, a := range batch {
			var v error
			if a.Job != nil {
				if j, ok := a.Job.(job); ok {
					verdicts[i] = runJob(sctx, tx, j)
				} else {
					verdicts[i] = fmt.Errorf("sqlite: a job of type %T", a.Job)
				}
				continue
			}
			if n := len(a.Rows); n <= maxOneStatement && len(a.Index) == 0 {
				if oneStatement[n] == nil {
					oneStatement[n] = tx.StmtContext(sctx, s.appendN[n])
				}
				args, v = writeOne(sctx, oneStatement[n], a, at, args[:0])
			} else {
				if insert == nil {
					insert, count = tx.StmtContext(sctx, s.insert), tx.StmtContext(sctx, s.count)
				}
				v = s.write(sctx, tx, insert, count, a)
			}
			if v != nil && !errors.Is(v, store.ErrConflict) {
				v = fmt.Errorf("sqlite: %w", v)
			}
			verdicts[i] = v
		}
		return tx.Commit()
	}()
	if err != nil {
		err = fmt.Errorf("sqlite: commit: %w", err)
		for i := range verdicts {
			if verdicts[i] == nil {
				verdicts[i] = err
			}
		}
	}
	return verdicts
}

// job is this backend's commit.Append.Job: a small write of the store's
// own (not events) made in a group commit's transaction.
type job func(ctx context.Context, tx *sql.Tx) error

// runJob runs j inside a savepoint: if it fails, only its own writes are
// undone and the rest of the batch commits.
func runJob(ctx context.Context, tx *sql.Tx, j job) (err error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT job`); err != nil {
		return err
	}
	if err = j(ctx, tx); err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO job`); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	if _, rerr := tx.ExecContext(ctx, `RELEASE job`); rerr != nil && err == nil {
		err = rerr
	}
	return err
}

// writeOne writes an Append through its one statement (appendSQL).
// It builds the statement's arguments in args, which it returns for the
// next Append of the batch to reuse.
func writeOne(ctx context.Context, st *sql.Stmt, a *commit.Append, at any, args []any) ([]any, error) {
	args = append(slices.Grow(args, 3+3*len(a.Rows)), a.GameID, a.Expected, at)
	for _, r := range a.Rows {
		args = append(args, r.Type, string(r.Data), r.PlayerID)
	}
	res, err := st.ExecContext(ctx, args...)
	clear(args) // the slice outlives this Append: drop its strings
	if err != nil {
		if isUnique(err) {
			return args, store.ErrConflict
		}
		return args, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return args, err
	}
	if n != int64(len(a.Rows)) {
		return args, fmt.Errorf("the log does not hold %d events: %w", a.Expected, store.ErrConflict)
	}
	return args, nil
}

func (s *Store) write(ctx context.Context, tx *sql.Tx, insert, count *sql.Stmt, a *commit.Append) (err error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT append`); err != nil {
		return err
	}
	defer func() {
		if err != nil && !errors.Is(err, store.ErrConflict) {
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO append`); rerr != nil {
				err = errors.Join(err, rerr)
			}
			if isUnique(err) {
				err = store.ErrConflict
			}
		}
		if _, rerr := tx.ExecContext(ctx, `RELEASE append`); rerr != nil && err == nil {
			err = rerr
		}
	}()
	var n int64
	if err := count.QueryRowContext(ctx, a.GameID).Scan(&n); err != nil {
		return err
	}
	if n != a.Expected {
		return fmt.Errorf("log holds %d events: %w", n, store.ErrConflict)
	}
	for i, r := range a.Rows {
		if _, err := insert.ExecContext(ctx, a.GameID, a.Expected+int64(i)+1, r.Type, string(r.Data), nullString(r.PlayerID)); err != nil {
			return err
		}
	}
	for _, ix := range a.Index {
		if err := updateIndex(ctx, tx, a.GameID, ix); err != nil {
			return err
		}
	}
	return nil
}

func updateIndex(ctx context.Context, tx *sql.Tx, id string, ix commit.Index) error {
	var err error
	switch ix.Kind {
	case commit.Created:
		// DO NOTHING: a second GameCreated is the log's problem (Apply
		// rejects it and verify reports it), not a reason to fail a batch.
		_, err = tx.ExecContext(ctx, `INSERT INTO games (id, room_code, options) VALUES (?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, id, ix.RoomCode, string(ix.Options))
	case commit.Started:
		var players []byte
		players, err = json.Marshal(ix.PlayerIDs)
		if err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE games SET num_players = ?, num_rounds = ?, options = ?, player_ids = ?
				WHERE id = ?`, ix.NumPlayers, ix.NumRounds, string(ix.Options), string(players), id)
		}
	case commit.Settings:
		_, err = tx.ExecContext(ctx, `UPDATE games SET options = ? WHERE id = ?`, string(ix.Options), id)
	case commit.Ended:
		_, err = tx.ExecContext(ctx, `UPDATE games SET status = ?, winner_id = ?,
			completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`, ix.Status, nullString(ix.WinnerID), id)
	}
	if err != nil {
		return fmt.Errorf("update games index: %w", err)
	}
	return nil
}

// busy marks SQLITE_BUSY (the busy timeout ran out waiting for another
// handle's write lock) as store.ErrBusy, so callers can tell "try again"
// from a failure.
func busy(err error) error {
	var e *sqlite.Error
	if errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY {
		return fmt.Errorf("%w: %w", store.ErrBusy, err)
	}
	return err
}

func isUnique(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
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
	rows, err := s.r.QueryContext(ctx, `SELECT sequence_num, event_type, event_data, COALESCE(player_id, ''), created_at
		FROM events WHERE game_id = ? AND sequence_num > ? ORDER BY sequence_num`, gameID, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var recs []store.Record
	for rows.Next() {
		r := store.Record{GameID: gameID}
		var data, at string
		if err := rows.Scan(&r.Seq, &r.Type, &data, &r.PlayerID, &at); err != nil {
			return nil, err
		}
		r.Data = json.RawMessage(data)
		if r.At, err = time.Parse(timeFormat, at); err != nil {
			return nil, fmt.Errorf("event %d: created_at: %w", r.Seq, err)
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return recs, nil
}

// LoadLogs implements store.Store: the database is in the process, so a
// query per game costs no round trip.
func (s *Store) LoadLogs(ctx context.Context, ids []string, fn func(gameID string, recs []store.Record) error) error {
	for _, id := range ids {
		if err := store.CheckGameID(id); err != nil {
			return fmt.Errorf("load logs: game %s: %w", id, err)
		}
	}
	for _, id := range ids {
		recs, err := s.load(ctx, id, 0)
		if err != nil {
			return fmt.Errorf("load logs: game %s: %w", id, err)
		}
		if len(recs) == 0 {
			continue
		}
		if err := fn(id, recs); err != nil {
			return err
		}
	}
	return nil
}

// Game implements store.Store.
func (s *Store) Game(ctx context.Context, gameID string) (store.Game, error) {
	if err := store.CheckGameID(gameID); err != nil {
		return store.Game{}, fmt.Errorf("game %s: %w", gameID, err)
	}
	g, err := scanGame(s.r.QueryRowContext(ctx, `SELECT `+gameColumns+` FROM games WHERE id = ?`, gameID))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Game{}, fmt.Errorf("game %s: %w", gameID, store.ErrNotFound)
	}
	if err != nil {
		return store.Game{}, fmt.Errorf("game %s: %w", gameID, err)
	}
	return g, nil
}

// gameColumns are the games columns scanGame reads, in its order.
const gameColumns = `id, room_code, status, created_at, completed_at, num_players, num_rounds, options,
	winner_id, player_ids, visibility, imported, COALESCE(imported_by, ''), archived_at`

// scanGame reads one row of gameColumns.
func scanGame(row interface{ Scan(...any) error }) (store.Game, error) {
	var (
		g                                          store.Game
		room, options, winner, completed, archived sql.NullString
		players, created, visibility               string
		numPlayers, numRounds                      sql.NullInt64
	)
	err := row.Scan(&g.ID, &room, &g.Status, &created, &completed, &numPlayers, &numRounds, &options, &winner,
		&players, &visibility, &g.Imported, &g.ImportedBy, &archived)
	if err != nil {
		return store.Game{}, err
	}
	g.RoomCode, g.WinnerID, g.Visibility = room.String, winner.String, store.Visibility(visibility)
	g.NumPlayers, g.NumRounds = int(numPlayers.Int64), int(numRounds.Int64)
	if options.Valid {
		g.Options = json.RawMessage(options.String)
	}
	if g.CreatedAt, err = time.Parse(timeFormat, created); err != nil {
		return store.Game{}, fmt.Errorf("created_at: %w", err)
	}
	if g.CompletedAt, err = parseTime(completed); err != nil {
		return store.Game{}, fmt.Errorf("completed_at: %w", err)
	}
	if g.ArchivedAt, err = parseTime(archived); err != nil {
		return store.Game{}, fmt.Errorf("archived_at: %w", err)
	}
	if err := json.Unmarshal([]byte(players), &g.PlayerIDs); err != nil {
		return store.Game{}, fmt.Errorf("player_ids: %w", err)
	}
	return g, nil
}

// ActiveGames implements store.Store.
func (s *Store) ActiveGames(ctx context.Context) ([]string, error) {
	return s.ids(ctx, "active games", `SELECT id FROM games WHERE status = 'active' ORDER BY created_at, id`)
}

// GameIDs implements store.Store.
func (s *Store) GameIDs(ctx context.Context) ([]string, error) {
	return s.ids(ctx, "game ids", `SELECT DISTINCT game_id FROM events UNION SELECT id FROM games ORDER BY 1`)
}

func (s *Store) ids(ctx context.Context, what, query string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return ids, nil
}
