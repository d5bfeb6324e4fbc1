// Package backup copies a golf database to a file while the servers run,
// and restores such a file into a new database. SQLite is copied with
// VACUUM INTO (one read transaction: a consistent snapshot, the writer goes
// on), PostgreSQL with pg_dump's custom format inside an exported snapshot.
// A backup is written to a temporary file, synced and linked into place
// under a timestamped name, so a reader of the directory never sees a
// partial one; older backups beyond a retention count are deleted.
package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrExists is returned when a restore's target already holds data, or a
// backup's file name is taken. Nothing is overwritten.
var ErrExists = errors.New("backup: target exists")

// ErrFormat is returned for a file that is not a backup the target's kind
// of database can restore.
var ErrFormat = errors.New("backup: not a golf backup")

// ErrTool is returned when pg_dump or pg_restore is missing or too old for
// the server.
var ErrTool = errors.New("backup: PostgreSQL client tool")

// Database names the database a backup reads or a restore writes, chosen
// as golf serve chooses its store.
type Database struct {
	URL  string // postgres://… for PostgreSQL; empty for SQLite
	Path string // the SQLite file
}

// Locate resolves a DATABASE_URL the way golf serve does: postgres://… or
// postgresql://… is PostgreSQL, sqlite:PATH that SQLite file, and empty
// the file golf.db in dataDir (./data when dataDir is empty).
func Locate(url, dataDir string) (Database, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		if _, err := pgx.ParseConfig(url); err != nil {
			return Database{}, fmt.Errorf("database url: %w", err)
		}
		return Database{URL: url}, nil
	case url == "", strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			if dataDir == "" {
				dataDir = "data"
			}
			path = filepath.Join(dataDir, "golf.db")
		}
		if strings.ContainsAny(path, "?#") {
			return Database{}, fmt.Errorf("sqlite path %q: no ? or #", path)
		}
		return Database{Path: path}, nil
	}
	return Database{}, fmt.Errorf("database url %.20q…: want postgres://… or sqlite:PATH", url)
}

// Postgres reports whether d is a PostgreSQL database.
func (d Database) Postgres() bool { return d.URL != "" }

// String describes d without credentials.
func (d Database) String() string {
	if !d.Postgres() {
		return "SQLite database " + d.Path
	}
	cfg, err := pgx.ParseConfig(d.URL)
	if err != nil {
		return "PostgreSQL database"
	}
	return fmt.Sprintf("PostgreSQL database %q on %s:%d", cfg.Database, cfg.Host, cfg.Port)
}

// Ext is the file extension of d's backups: .db (a SQLite database) or
// .dump (pg_dump's custom format).
func (d Database) Ext() string {
	if d.Postgres() {
		return ".dump"
	}
	return ".db"
}

// Result describes a backup or a restore.
type Result struct {
	File    string // the backup file
	Size    int64  // its size in bytes
	Games   int64  // rows of the games table in the snapshot copied
	Events  int64  // rows of the events table in it
	Removed []string
	Took    time.Duration
}

// Options tune Create.
type Options struct {
	// Keep is how many backups to keep in the directory, the new one
	// included; older ones are deleted. 0 keeps them all.
	Keep int
	// Now names the file; time.Now when nil.
	Now func() time.Time
}

// Create writes a consistent backup of db into dir, as
// golf-YYYYMMDDTHHMMSSZ.db or .dump (mode 0600), then applies the
// retention count. The servers may go on writing meanwhile.
func Create(ctx context.Context, db Database, dir string, o Options) (Result, error) {
	start := time.Now()
	if o.Keep < 0 {
		return Result{}, fmt.Errorf("backup: keep %d: want 0 (all) or more", o.Keep)
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	final := filepath.Join(dir, Name(now(), db.Ext()))
	if _, err := os.Lstat(final); err == nil {
		return Result{}, fmt.Errorf("%w: %s", ErrExists, final)
	}
	tmp, err := tempFile(dir, filepath.Base(final))
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp) // after the link below, only the name goes

	var r Result
	if db.Postgres() {
		r, err = dumpPostgres(ctx, db.URL, tmp)
	} else {
		r, err = copySQLite(ctx, db.Path, tmp)
	}
	if err != nil {
		return Result{}, err
	}
	if r.Size, err = install(tmp, final); err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	r.File = final
	if r.Removed, err = Prune(dir, o.Keep); err != nil {
		return r, err
	}
	r.Took = time.Since(start)
	return r, nil
}

// Restore writes the backup in file into db, which must be new: a SQLite
// file that does not exist yet, or a PostgreSQL database without golf's
// tables (create it first). Nothing is written unless the whole backup
// restores. The result counts what the database holds afterwards.
func Restore(ctx context.Context, db Database, file string) (Result, error) {
	start := time.Now()
	st, err := os.Stat(file)
	if err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Result{}, fmt.Errorf("restore: %s is not a file", file)
	}
	var r Result
	if db.Postgres() {
		r, err = restorePostgres(ctx, db.URL, file)
	} else {
		r, err = restoreSQLite(ctx, file, db.Path)
	}
	if err != nil {
		return Result{}, err
	}
	r.File, r.Size, r.Took = file, st.Size(), time.Since(start)
	return r, nil
}

const stamp = "20060102T150405Z"

// Name is the file name of a backup taken at t.
func Name(t time.Time, ext string) string {
	return "golf-" + t.UTC().Format(stamp) + ext
}

var backupName = regexp.MustCompile(`^golf-\d{8}T\d{6}Z\.(db|dump)$`)

// List returns the backups in dir, oldest first (their names sort by time).
// Other files are not backups and are never touched.
func List(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() && backupName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// staleTemp is the age past which a temporary file is one a killed backup
// left behind, not one another backup is writing.
const staleTemp = 24 * time.Hour

// Prune deletes all but the keep newest backups in dir (keep 0: none),
// and temporary files a killed backup left. It returns the paths deleted.
func Prune(dir string, keep int) ([]string, error) {
	names, err := List(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	if keep > 0 && len(names) > keep {
		for _, n := range names[:len(names)-keep] {
			p := filepath.Join(dir, n)
			if err := os.Remove(p); err != nil {
				return removed, fmt.Errorf("backup: retention: %w", err)
			}
			removed = append(removed, p)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return removed, fmt.Errorf("backup: %w", err)
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".golf-") || !strings.HasSuffix(e.Name(), ".tmp") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp {
			p := filepath.Join(dir, e.Name())
			if os.Remove(p) == nil {
				removed = append(removed, p)
			}
		}
	}
	return removed, nil
}

// tempFile creates an empty file, mode 0600, beside the one it will become.
func tempFile(dir, name string) (string, error) {
	var b [6]byte
	rand.Read(b[:])
	p := filepath.Join(dir, ".golf-"+name+"-"+hex.EncodeToString(b[:])+".tmp")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	return p, f.Close()
}

// install makes the finished temporary file durable and gives it its name.
// A hard link, not a rename, so an existing file is never replaced: two
// backups in the same second, or a restore racing another, fail instead.
func install(tmp, final string) (int64, error) {
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	if err := os.Link(tmp, final); err != nil {
		if errors.Is(err, os.ErrExist) {
			return 0, fmt.Errorf("%w: %s", ErrExists, final)
		}
		return 0, err
	}
	if err := os.Remove(tmp); err != nil {
		return 0, err
	}
	return st.Size(), syncDir(filepath.Dir(final))
}

// syncDir makes a new name in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
