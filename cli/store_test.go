package cli

import (
	"bytes"
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"golf/game"
	"golf/store"
	"golf/store/postgres/pgtest"
	"golf/store/storetest"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestMigrateSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x", "golf.db")
	for range 2 { // the second run has nothing to do
		code, out, errOut := run(t, "migrate", "--database-url", "sqlite:"+path)
		if code != 0 || !strings.Contains(out, "schema version 8") {
			t.Fatalf("migrate: exit %d, stdout %q, stderr %q; want 0 and schema version 8", code, out, errOut)
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}
}

func TestMigrateDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", "")
	t.Setenv("GOLF_DATA_DIR", dir)
	code, out, errOut := run(t, "migrate")
	if code != 0 || !strings.Contains(out, filepath.Join(dir, "golf.db")) {
		t.Fatalf("migrate: exit %d, stdout %q, stderr %q; want the file in GOLF_DATA_DIR", code, out, errOut)
	}
}

func TestMigrateBadInput(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"migrate", "--database-url", "mysql://x"}, 1, "want postgres://"},
		{[]string{"migrate", "extra"}, 2, "Usage: golf migrate"},
		{[]string{"migrate", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"verify", "--database-url", "redis://x"}, 1, "want postgres://"},
	}
	for _, tt := range tests {
		code, _, errOut := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, tt.code, tt.msg)
		}
	}
}

func TestMigratePostgres(t *testing.T) {
	url := pgtest.URL(t)
	code, out, errOut := run(t, "migrate", "--database-url", url)
	if code != 0 || !strings.Contains(out, "schema version 8") || strings.Contains(out, "postgres://") {
		t.Fatalf("migrate: exit %d, stdout %q, stderr %q; want 0, version 8, no URL echoed", code, out, errOut)
	}
}

// seed writes two finished games through the store and returns their ids.
func seed(t *testing.T, url string) []string {
	t.Helper()
	db, _, err := openDatabase(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []string
	for i := range 2 {
		groups, err := storetest.Play(rand.New(rand.NewPCG(uint64(i), 3)), 3, 1, game.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		id := store.NewGameID()
		var n int64
		for _, g := range groups {
			if err := db.Append(context.Background(), id, n, g); err != nil {
				t.Fatal(err)
			}
			n += int64(len(g))
		}
		ids = append(ids, id)
	}
	return ids
}

func verifyClean(t *testing.T, url string) {
	t.Helper()
	code, out, errOut := run(t, "verify", "--database-url", url)
	if code != 0 || !strings.Contains(out, "2 games") || !strings.Contains(out, "0 failed") {
		t.Fatalf("verify of a good store: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func verifyFails(t *testing.T, url, id, reason string) {
	t.Helper()
	code, out, errOut := run(t, "verify", "--database-url", url)
	if code != 1 || !strings.Contains(out, "FAIL "+id+": ") || !strings.Contains(out, reason) || !strings.Contains(out, "1 failed") {
		t.Fatalf("verify of a tampered store: exit %d, stdout %q, stderr %q; want 1, FAIL %s … %s", code, out, errOut, id, reason)
	}
}

func TestVerifySQLite(t *testing.T) {
	for _, tt := range []struct{ name, sql, reason string }{
		{"tampered", `UPDATE events SET event_data = json_set(event_data, '$.data.position', (json_extract(event_data, '$.data.position') + 1) % 6)
			WHERE game_id = ?1 AND sequence_num = (SELECT MIN(sequence_num) FROM events WHERE game_id = ?1 AND event_type = 'CardSwapped')`, "does not apply"},
		{"gap", `DELETE FROM events WHERE game_id = ?1 AND sequence_num = 9`, "gap"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "golf.db")
			url := "sqlite:" + path
			ids := seed(t, url)
			verifyClean(t, url)
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if res, err := db.Exec(tt.sql, ids[1]); err != nil {
				t.Fatal(err)
			} else if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("tamper changed %d rows", n)
			}
			verifyFails(t, url, ids[1], tt.reason)
		})
	}
}

func TestVerifyPostgres(t *testing.T) {
	for _, tt := range []struct{ name, sql, reason string }{
		{"tampered", `UPDATE events SET event_data = jsonb_set(event_data::jsonb, '{data,position}', to_jsonb(((event_data->'data'->>'position')::int + 1) % 6))::json
			WHERE game_id = $1 AND sequence_num = (SELECT MIN(sequence_num) FROM events WHERE game_id = $1 AND event_type = 'CardSwapped')`, "does not apply"},
		{"gap", `DELETE FROM events WHERE game_id = $1 AND sequence_num = 9`, "gap"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url := pgtest.URL(t)
			ids := seed(t, url)
			verifyClean(t, url)
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if tag, err := conn.Exec(ctx, tt.sql, ids[1]); err != nil {
				t.Fatal(err)
			} else if tag.RowsAffected() != 1 {
				t.Fatalf("tamper changed %d rows", tag.RowsAffected())
			}
			verifyFails(t, url, ids[1], tt.reason)
		})
	}
}
