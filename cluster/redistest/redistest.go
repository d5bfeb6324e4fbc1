// Package redistest gives each test its own key prefix on the Redis named
// by GOLF_TEST_REDIS_URL, and deletes its keys when the test ends, so
// tests run in parallel and twice in a row against one server.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// URL returns GOLF_TEST_REDIS_URL. It skips the test when the variable is
// unset, and fails it instead when GOLF_REQUIRE_SERVICES=1.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("GOLF_TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("GOLF_REQUIRE_SERVICES") == "1" {
			t.Fatal("GOLF_TEST_REDIS_URL is unset but GOLF_REQUIRE_SERVICES=1")
		}
		t.Skip("Redis tests skipped: set GOLF_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
	}
	return u
}

// Prefix returns a fresh key prefix on the test Redis (URL's rules about
// skipping apply); every key under it is deleted when the test ends.
func Prefix(t testing.TB) (url, prefix string) {
	t.Helper()
	url = URL(t)
	var b [6]byte
	rand.Read(b[:])
	prefix = "golftest:" + hex.EncodeToString(b[:]) + ":"
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("GOLF_TEST_REDIS_URL: %v", err)
	}
	t.Cleanup(func() {
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("clean up redis prefix %s: %v", prefix, err)
			return
		}
		if len(keys) > 0 {
			if err := rdb.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("clean up redis prefix %s: %v", prefix, err)
			}
		}
	})
	return url, prefix
}
