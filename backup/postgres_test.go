package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"golf/store/postgres"
)

// newDatabase creates an empty PostgreSQL database for one test, dropped
// when it ends: pg_dump and pg_restore work on whole databases, so the
// schema-per-test of pgtest would not do.
func newDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("GOLF_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("GOLF_REQUIRE_SERVICES") == "1" {
			t.Fatal("GOLF_TEST_DATABASE_URL is unset but GOLF_REQUIRE_SERVICES=1")
		}
		t.Skip("PostgreSQL tests skipped: set GOLF_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	var b [6]byte
	rand.Read(b[:])
	name := "golf_backup_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	exec := func(sql string) error {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if err := exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func TestPostgresBackupDuringPlay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := Database{URL: newDatabase(t)}
	st, err := postgres.Open(ctx, src.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	started, stop := play(t, st, 8)
	waitFor(t, started, 40)
	before := started.Load()
	out := t.TempDir()
	b, err := Create(ctx, src, out, Options{Keep: 3})
	if err != nil {
		stop()
		t.Fatal(err)
	}
	waitFor(t, started, before+10)
	stop()
	if b.Games < before {
		t.Errorf("the backup holds %d games; %d had been started before it", b.Games, before)
	}
	if filepath.Ext(b.File) != ".dump" || !backupName.MatchString(filepath.Base(b.File)) {
		t.Errorf("backup file %q", b.File)
	}
	checkMode(t, b.File)

	dst := Database{URL: newDatabase(t)}
	r, err := Restore(ctx, dst, b.File)
	if err != nil {
		t.Fatal(err)
	}
	if r.Games != b.Games || r.Events != b.Events {
		t.Errorf("restore counted %d games, %d events; the backup %d, %d", r.Games, r.Events, b.Games, b.Events)
	}
	restored, err := postgres.Open(ctx, dst.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	checkRestored(t, restored, st, b)
	generate(t, restored, 1) // the restored database is a working store

	// Golf's tables are there now: a second restore changes nothing.
	_, err = Restore(ctx, dst, b.File)
	requireErr(t, err, ErrExists)
}

func TestPostgresRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dst := Database{URL: newDatabase(t)}
	sqliteFile := filepath.Join(dir, "golf-20260101T000000Z.db")
	os.WriteFile(sqliteFile, []byte("SQLite format 3\x00..."), 0o600)
	_, err := Restore(ctx, dst, sqliteFile)
	requireErr(t, err, ErrFormat)

	// A damaged dump fails in pg_restore, inside its one transaction:
	// the database stays empty.
	bad := filepath.Join(dir, "golf-20260102T000000Z.dump")
	os.WriteFile(bad, []byte("PGDMP but nothing after the magic"), 0o600)
	if _, err := Restore(ctx, dst, bad); err == nil {
		t.Fatal("a damaged dump restored")
	}
	conn, err := pgx.Connect(ctx, dst.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables int
	conn.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables)
	if tables != 0 {
		t.Errorf("a failed restore left %d tables", tables)
	}

	// An empty database is not a golf database: no backup of it.
	empty := Database{URL: newDatabase(t)}
	if _, err := Create(ctx, empty, dir, Options{}); err == nil {
		t.Error("backup of a database without golf's tables succeeded")
	}
	if names, _ := List(dir); len(names) != 2 {
		t.Errorf("the directory holds %q: a failed backup left a file", names)
	}
}

// A pg_dump older than the server is refused before it runs. The test
// puts a fake pg_dump that claims version 9 first on PATH.
func TestPostgresToolTooOld(t *testing.T) {
	ctx := context.Background()
	src := Database{URL: newDatabase(t)}
	st, err := postgres.Open(ctx, src.URL)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	bin := t.TempDir()
	script := "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n"
	if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	_, err = Create(ctx, src, t.TempDir(), Options{})
	requireErr(t, err, ErrTool)

	t.Setenv("PATH", t.TempDir())
	_, err = Create(ctx, src, t.TempDir(), Options{})
	requireErr(t, err, ErrTool)
}
