// Package pgtest gives each test its own PostgreSQL schema, so tests run in
// parallel and twice in a row against one server.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// URL returns a connection URL whose search_path is a fresh schema, dropped
// when the test ends. It skips the test when GOLF_TEST_DATABASE_URL is
// unset, and fails it instead when GOLF_REQUIRE_SERVICES=1.
func URL(t testing.TB) string {
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
	schema := "golf_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to GOLF_TEST_DATABASE_URL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("GOLF_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
