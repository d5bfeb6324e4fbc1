package backup

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golf/store/sqlite"
)

func TestSQLiteBackupDuringPlay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	src := Database{Path: filepath.Join(dir, "data", "golf.db")}
	st, err := sqlite.Open(ctx, src.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	started, stop := play(t, st, 8)
	waitFor(t, started, 40)
	before := started.Load()
	b, err := Create(ctx, src, filepath.Join(dir, "backups"), Options{Keep: 3})
	if err != nil {
		stop()
		t.Fatal(err)
	}
	waitFor(t, started, before+10) // the writers went on during and after it
	stop()
	if b.Games < before {
		t.Errorf("the backup holds %d games; %d had been started before it", b.Games, before)
	}
	if filepath.Ext(b.File) != ".db" || !backupName.MatchString(filepath.Base(b.File)) {
		t.Errorf("backup file %q", b.File)
	}
	checkMode(t, b.File)
	if ents, _ := os.ReadDir(filepath.Dir(b.File)); len(ents) != 1 {
		t.Errorf("the backup directory holds %d files, want the backup alone", len(ents))
	}

	dst := Database{Path: filepath.Join(dir, "restored", "golf.db")}
	r, err := Restore(ctx, dst, b.File)
	if err != nil {
		t.Fatal(err)
	}
	if r.Games != b.Games || r.Events != b.Events {
		t.Errorf("restore counted %d games, %d events; the backup %d, %d", r.Games, r.Events, b.Games, b.Events)
	}
	checkMode(t, dst.Path)
	restored, err := sqlite.Open(ctx, dst.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	checkRestored(t, restored, st, b)

	generate(t, restored, 1) // the restored database is a working store

	if _, err := Restore(ctx, dst, b.File); err == nil {
		t.Fatal("a second restore over the restored file succeeded")
	} else {
		requireErr(t, err, ErrExists)
	}
}

func TestSQLiteRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	src := Database{Path: filepath.Join(dir, "golf.db")}
	st, err := sqlite.Open(ctx, src.Path)
	if err != nil {
		t.Fatal(err)
	}
	generate(t, st, 3)
	st.Close()

	out := filepath.Join(dir, "backups")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var files []string
	for i := range 5 {
		now := at.Add(time.Duration(i) * time.Hour)
		b, err := Create(ctx, src, out, Options{Keep: 2, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		if b.Games != 3 {
			t.Errorf("backup %d holds %d games, want 3", i, b.Games)
		}
		files = append(files, filepath.Base(b.File))
		if want := max(0, i-1); len(b.Removed) != min(1, want) {
			t.Errorf("backup %d removed %q", i, b.Removed)
		}
	}
	names, err := List(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 || names[0] != files[3] || names[1] != files[4] {
		t.Errorf("kept %q, want the newest two of %q", names, files)
	}
	// The same second twice: the first backup stays, the second fails.
	now := at.Add(4 * time.Hour)
	_, err = Create(ctx, src, out, Options{Now: func() time.Time { return now }})
	requireErr(t, err, ErrExists)
	if _, err := Create(ctx, src, out, Options{Keep: -1}); err == nil {
		t.Error("Keep -1 accepted")
	}
}

func TestSQLiteRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()

	// A missing source is an error, not a new empty database.
	missing := Database{Path: filepath.Join(dir, "nothing.db")}
	if _, err := Create(ctx, missing, filepath.Join(dir, "b"), Options{}); err == nil {
		t.Error("backup of a missing database succeeded")
	}
	if _, err := os.Stat(missing.Path); !os.IsNotExist(err) {
		t.Error("backup created the missing database")
	}

	dump := filepath.Join(dir, "golf-20260101T000000Z.dump")
	os.WriteFile(dump, []byte("PGDMP\x01\x0e\x00fake"), 0o600)
	notes := filepath.Join(dir, "notes.db")
	os.WriteFile(notes, []byte("SQLite format 3\x00 but truncated"), 0o600)
	for name, file := range map[string]string{"a PostgreSQL dump": dump, "a damaged file": notes} {
		dst := Database{Path: filepath.Join(dir, name, "golf.db")}
		_, err := Restore(ctx, dst, file)
		requireErr(t, err, ErrFormat)
		if _, err := os.Stat(dst.Path); !os.IsNotExist(err) {
			t.Errorf("%s: a failed restore left %s", name, dst.Path)
		}
		if ents, _ := os.ReadDir(filepath.Dir(dst.Path)); len(ents) != 0 {
			t.Errorf("%s: a failed restore left %d files", name, len(ents))
		}
	}
}
