package cli

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"golf/game"
	"golf/replay"
	"golf/store"
	"golf/store/sqlite"
	"golf/store/storetest"
)

// TestExportArchiveImport: golf export writes the file; golf archive
// writes old games to files and removes their events; golf import brings
// an archived game back under its id and any other file in as a new game.
func TestExportArchiveImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "golf.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := storetest.Play(rand.New(rand.NewPCG(1, 2)), 3, 2, game.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	id := store.NewGameID()
	var n int64
	for _, g := range groups {
		if err := st.Append(ctx, id, n, g); err != nil {
			t.Fatal(err)
		}
		n += int64(len(g))
	}
	st.Close()
	url := "sqlite:" + path

	out := filepath.Join(dir, "game.json")
	if code, _, errOut := run(t, "export", id, "--out", out, "--database-url", url); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	if _, err := replay.Decode(readAll(t, out)); err != nil {
		t.Fatalf("the exported file does not import: %v", err)
	}
	if code, _, _ := run(t, "export", store.NewGameID(), "--database-url", url); code != 1 {
		t.Errorf("export of a missing game: exit %d, want 1", code)
	}

	// Nothing is 90 days old yet; then the game is.
	arch := filepath.Join(dir, "archive")
	if code, stdout, errOut := run(t, "archive", "--older-than", "90d", "--to", arch, "--database-url", url); code != 0 || !strings.Contains(stdout, "archived 0 games") {
		t.Fatalf("archive: exit %d, %q, %q", code, stdout, errOut)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE games SET completed_at = '2020-01-02T03:04:05.000Z'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, stdout, errOut := run(t, "archive", "--older-than", "90d", "--to", arch, "--database-url", url)
	if code != 0 || !strings.Contains(stdout, "archived 1 games") {
		t.Fatalf("archive: exit %d, %q, %q", code, stdout, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(arch, "golf-ROOM-2020-01-02-"+id+".json"))
	if len(files) != 1 {
		t.Fatalf("archive files: %v", files)
	}
	if n := events(t, path, id); n != 0 {
		t.Fatalf("%d events left after the archive", n)
	}
	if code, _, errOut := run(t, "verify", "--database-url", url); code != 0 {
		t.Errorf("verify after the archive: exit %d: %s", code, errOut)
	}

	// Import: the archived game comes back under its id; the export file
	// becomes a new, imported game; a damaged file is refused.
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(strings.Replace(string(readAll(t, out)), `"seq": 5`, `"seq": 6`, 1)), 0o644)
	code, stdout, errOut = run(t, "import", "--database-url", url, files[0], out, bad)
	if code != 1 || !strings.Contains(stdout, "restored game "+id) || !strings.Contains(stdout, "imported as game") ||
		!strings.Contains(errOut, "bad.json: import: event 5") {
		t.Fatalf("import: exit %d\nstdout %s\nstderr %s", code, stdout, errOut)
	}
	if got := events(t, path, id); got != int(n) {
		t.Errorf("restored %d events, want %d", got, n)
	}
	if code, _, errOut := run(t, "verify", "--database-url", url); code != 0 {
		t.Errorf("verify after the import: exit %d: %s", code, errOut)
	}
	if code, _, _ := run(t, "archive", "--older-than", "soon", "--to", arch, "--database-url", url); code != 2 {
		t.Errorf("archive --older-than soon: exit %d, want 2", code)
	}
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func events(t *testing.T, path, id string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM events WHERE game_id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
