package backup

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// openReadOnly opens an existing SQLite file without the right to change
// it (and without creating it: SQLite would make an empty database).
func openReadOnly(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "file", Path: abs}
	db, err := sql.Open("sqlite", u.String()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// copySQLite writes a consistent copy of the database at src into the
// empty file dst. VACUUM INTO reads the whole database in one read
// transaction: in WAL mode it sees one commit's state and neither waits
// for the server's writer nor holds it up. The copy is compacted, and
// counted afterwards, so the counts are those of the file itself.
func copySQLite(ctx context.Context, src, dst string) (Result, error) {
	db, err := openReadOnly(src)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return Result{}, fmt.Errorf("backup: copy %s: %w", src, err)
	}
	r, err := countSQLite(ctx, dst)
	if err != nil {
		return Result{}, fmt.Errorf("backup: the copy: %w", err)
	}
	return r, nil
}

// countSQLite counts the games and events of a golf database file, and
// fails for a file that is not one.
func countSQLite(ctx context.Context, path string) (Result, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return Result{}, err
	}
	defer db.Close()
	var r Result
	var migrations int64
	err = db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM schema_migrations),
		(SELECT count(*) FROM games),
		(SELECT count(*) FROM events)`).Scan(&migrations, &r.Games, &r.Events)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	return r, nil
}

var sqliteMagic = []byte("SQLite format 3\x00")

// restoreSQLite copies a backup to dst, a file that must not exist yet,
// and checks the copy (integrity, golf's tables) before it takes dst's
// name. A server must not be running on dst: it would not see the file.
func restoreSQLite(ctx context.Context, file, dst string) (Result, error) {
	if err := sniff(file, sqliteMagic); err != nil {
		return Result{}, err
	}
	for _, p := range []string{dst, dst + "-wal", dst + "-journal"} {
		if _, err := os.Lstat(p); err == nil {
			return Result{}, fmt.Errorf("%w: %s (restore into a new file; move the old one away first)", ErrExists, p)
		}
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	tmp, err := tempFile(dir, filepath.Base(dst))
	if err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp)
	if err := copyFile(file, tmp); err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	if err := checkSQLite(ctx, tmp); err != nil {
		return Result{}, fmt.Errorf("restore %s: %w", file, err)
	}
	r, err := countSQLite(ctx, tmp)
	if err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	if _, err := install(tmp, dst); err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	return r, nil
}

// checkSQLite runs SQLite's own consistency check of every page and index.
func checkSQLite(ctx context.Context, path string) error {
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	var verdict string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&verdict); err != nil {
		return fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if verdict != "ok" {
		return fmt.Errorf("%w: the file is damaged: %s", ErrFormat, verdict)
	}
	return nil
}

// sniff checks that file starts with magic: a PostgreSQL dump given to a
// SQLite restore (or the reverse) gets a clear error, not a driver's.
func sniff(file string, magic []byte) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, magic) {
		kind := "SQLite database"
		if bytes.Equal(magic, pgMagic) {
			kind = "pg_dump custom-format archive"
		}
		return fmt.Errorf("%w: %s is not a %s", ErrFormat, file, kind)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return errors.Join(out.Sync(), out.Close())
}
