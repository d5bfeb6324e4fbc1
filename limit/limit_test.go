package limit

import (
	"context"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func allow(t *testing.T, l Limiter, k string) Result {
	t.Helper()
	r, err := l.Allow(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMemoryBurstThenRate(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := NewMemory(Rule{Name: "t", Rate: 1, Burst: 3}, c.now)
	for i := range 3 {
		if r := allow(t, l, "a"); !r.Allowed {
			t.Fatalf("event %d of the burst refused", i+1)
		}
	}
	r := allow(t, l, "a")
	if r.Allowed || r.RetryAfter <= 0 || r.RetryAfter > time.Second {
		t.Fatalf("4th event: %+v, want refused with RetryAfter in (0, 1s]", r)
	}
	// A refused event takes no token: after RetryAfter exactly one more passes.
	c.add(r.RetryAfter)
	if r := allow(t, l, "a"); !r.Allowed {
		t.Fatalf("after RetryAfter: %+v", r)
	}
	if r := allow(t, l, "a"); r.Allowed {
		t.Fatal("a second event right after the refill was allowed")
	}
	// Keys are independent.
	if r := allow(t, l, "b"); !r.Allowed {
		t.Fatal("another key was limited")
	}
}

func TestMemoryDropsIdleBuckets(t *testing.T) {
	c := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := NewMemory(PerMinute("t", 60, 2), c.now)
	for _, k := range []string{"a", "b", "c"} {
		allow(t, l, k)
	}
	if l.Len() != 3 {
		t.Fatalf("Len = %d, want 3", l.Len())
	}
	c.add(time.Minute)
	allow(t, l, "d")
	if l.Len() != 1 {
		t.Fatalf("after a minute idle Len = %d, want 1 (only d)", l.Len())
	}
}
