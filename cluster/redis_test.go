package cluster

import (
	"context"
	"testing"
	"time"

	"golf/cluster/redistest"
)

// open connects one instance under a test's prefix.
func open(t *testing.T, url, prefix, instance string, ttl time.Duration) *Redis {
	t.Helper()
	r, err := Open(context.Background(), Config{URL: url, Prefix: prefix, Instance: instance, LeaseTTL: ttl, CacheTTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// eventually polls cond until it holds, failing once a generous deadline
// has passed: what it waits for (a delivery, an expiry) takes milliseconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestOpenRefusesBadConfig(t *testing.T) {
	url := redistest.URL(t)
	for _, cfg := range []Config{
		{URL: "http://x", Instance: "a", LeaseTTL: time.Second, CacheTTL: time.Second},
		{URL: url, Instance: "", LeaseTTL: time.Second, CacheTTL: time.Second},
		{URL: url, Instance: "a b", LeaseTTL: time.Second, CacheTTL: time.Second},
		{URL: url, Instance: "a", LeaseTTL: 0, CacheTTL: time.Second},
		{URL: url, Instance: "a", LeaseTTL: time.Second},
	} {
		if r, err := Open(context.Background(), cfg); err == nil {
			r.Close()
			t.Errorf("Open(%+v) accepted", cfg)
		}
	}
	if id1, id2 := NewInstanceID("web"), NewInstanceID("web"); id1 == id2 || len(id1) != len("web-")+8 {
		t.Fatalf("instance ids %q %q", id1, id2)
	}
}
