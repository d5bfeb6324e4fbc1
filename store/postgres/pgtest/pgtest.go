// Package pgtest gives each test its own PostgreSQL schema, so tests run in
// parallel and twice in a row against one server.
package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

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

// BackendCPU is the CPU time used so far by the PostgreSQL server processes
// of the connections named app (application_name), read from
// /proc/PID/stat: benchmarks count the database's share of their work with
// it, so PostgreSQL must run on this machine.
func BackendCPU(t testing.TB, pool interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, app string) time.Duration {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT pid FROM pg_stat_activity WHERE application_name = $1`, app)
	if err != nil {
		t.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		t.Fatal(err)
	}
	var total time.Duration
	for _, pid := range pids {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			t.Fatalf("PostgreSQL's CPU time (is it on this machine?): %v", err)
		}
		// After the command name, utime and stime are the 12th and 13th
		// fields, in clock ticks (USER_HZ, 100 on Linux).
		f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(u+s) * 10 * time.Millisecond
	}
	return total
}
