package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"golf/game"
	"golf/store"
)

// TestDatabaseFilesArePrivate: golf.db and the -wal and -shm files SQLite
// makes beside it are 0600, whatever the umask; an existing world-readable
// database is tightened when opened.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "golf.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id := store.NewGameID()
	evs, err := game.Decide(new(game.State), game.CreateGameCmd("p1", "Ann", "ABCD", game.DefaultSettings()))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Append(ctx, id, 0, evs); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		if m := fi.Mode().Perm(); m != 0o600 {
			t.Errorf("%s is %v, want -rw-------", filepath.Base(p), m)
		}
	}
	st.Close()

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("reopened world-readable golf.db is %v, want -rw-------", fi.Mode().Perm())
	}
}
