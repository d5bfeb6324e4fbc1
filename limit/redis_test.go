package limit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"golf/cluster/redistest"
	"golf/limit"
)

func redisClient(t *testing.T, url string) *redis.Client { return redisClientB(t, url) }

func redisClientB(t testing.TB, url string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// TestRedisTwoInstancesShareOneLimit: two instances, each with its own
// connection to the one Redis, alternate events for one key: together
// they get the burst, not twice it; another key has its own bucket.
func TestRedisTwoInstancesShareOneLimit(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	rule := limit.PerMinute("room_create", 1, 5) // no refill within the test
	a := limit.NewRedis(redisClient(t, url), prefix, rule)
	b := limit.NewRedis(redisClient(t, url), prefix, rule)
	ctx := context.Background()
	allowed := 0
	for i := range 20 {
		l := a
		if i%2 == 1 {
			l = b
		}
		r, err := l.Allow(ctx, "203.0.113.7")
		if err != nil {
			t.Fatal(err)
		}
		if r.Allowed {
			allowed++
			continue
		}
		if r.RetryAfter <= 0 || r.RetryAfter > time.Minute {
			t.Errorf("event %d refused with RetryAfter %v, want (0, 1m]", i, r.RetryAfter)
		}
	}
	if allowed != rule.Burst {
		t.Errorf("two instances allowed %d events together, want the one limit %d", allowed, rule.Burst)
	}
	if r, err := b.Allow(ctx, "198.51.100.1"); err != nil || !r.Allowed {
		t.Errorf("another key: %+v, %v; want allowed", r, err)
	}
	// Two in-memory limiters, by contrast, would each allow the burst.
	m1, m2 := limit.NewMemory(rule, nil), limit.NewMemory(rule, nil)
	n := 0
	for range 10 {
		for _, m := range []*limit.Memory{m1, m2} {
			if r, _ := m.Allow(ctx, "k"); r.Allowed {
				n++
			}
		}
	}
	if n != 2*rule.Burst {
		t.Fatalf("memory limiters allowed %d, want %d (the contrast above)", n, 2*rule.Burst)
	}
}

// TestRedisRefills: after a refusal, the bucket refills at the rule's rate.
func TestRedisRefills(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	l := limit.NewRedis(redisClient(t, url), prefix, limit.Rule{Name: "fast", Rate: 20, Burst: 1})
	ctx := context.Background()
	if r, err := l.Allow(ctx, "k"); err != nil || !r.Allowed {
		t.Fatalf("first: %+v %v", r, err)
	}
	r, err := l.Allow(ctx, "k")
	if err != nil || r.Allowed {
		t.Fatalf("second at once: %+v %v; want refused", r, err)
	}
	if r.RetryAfter > 50*time.Millisecond+5*time.Millisecond {
		t.Fatalf("RetryAfter %v, want at most one interval (50ms)", r.RetryAfter)
	}
	// Redis's clock, not a fake one, decides: wait the time it named.
	time.Sleep(r.RetryAfter + 5*time.Millisecond)
	if r, err := l.Allow(ctx, "k"); err != nil || !r.Allowed {
		t.Fatalf("after RetryAfter: %+v %v; want allowed", r, err)
	}
}

// TestFailoverWhenRedisIsDown: a Redis that does not answer hands the
// decision to the local limiter, which still limits.
func TestFailoverWhenRedisIsDown(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer rdb.Close()
	rule := limit.PerMinute("x", 1, 2)
	var errs int
	f := &limit.Failover{Shared: limit.NewRedis(rdb, "t:", rule), Local: limit.NewMemory(rule, nil),
		OnError: func(error) { errs++ }}
	ctx := context.Background()
	var got []bool
	for range 3 {
		r, err := f.Allow(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Allowed)
	}
	if want := []bool{true, true, false}; !equal(got, want) {
		t.Errorf("allowed %v, want %v (the local limit)", got, want)
	}
	if errs != 3 {
		t.Errorf("OnError heard %d failures, want 3", errs)
	}
	if _, err := limit.NewRedis(rdb, "t:", rule).Allow(ctx, "k"); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("Redis down: err %v, want a connection error", err)
	}
}

func equal(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
