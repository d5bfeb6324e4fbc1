// Package limit decides whether a client may act now. A Limiter is a token
// bucket per key (a client address, a user, a room): the key is the caller's
// choice, the rule is the limiter's. Memory keeps buckets in this process;
// a shared implementation (Redis) lets every instance enforce one limit.
package limit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rule is one limit: a sustained rate and the burst allowed above it.
type Rule struct {
	Name  string  // for logs, metrics and errors: "login", "room_create", …
	Rate  float64 // events per second, sustained
	Burst int     // events allowed at once
}

// PerMinute is a Rule of n events a minute with a burst of burst.
func PerMinute(name string, n float64, burst int) Rule {
	return Rule{Name: name, Rate: n / 60, Burst: burst}
}

// Result is a Limiter's answer.
type Result struct {
	Allowed bool
	// RetryAfter is how long until one more event would be allowed; zero
	// when Allowed.
	RetryAfter time.Duration
}

// Limiter is what callers use: Allow takes one event for key, or says how
// long to wait. An error means the limiter could not decide (its shared
// backend is down); the caller's policy decides what that means.
type Limiter interface {
	Allow(ctx context.Context, key string) (Result, error)
}

// Memory is a Limiter kept in this process: one token bucket per key.
// Buckets idle long enough to be full again are dropped, so memory is
// bounded by the keys active within about Burst/Rate seconds.
type Memory struct {
	rule Rule
	now  func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewMemory returns an in-process Limiter for rule. now is the clock (nil:
// time.Now); tests pass a fake one.
func NewMemory(rule Rule, now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{rule: rule, now: now, buckets: map[string]*bucket{}}
}

// Rule returns the limiter's rule.
func (m *Memory) Rule() Rule { return m.rule }

// Allow implements Limiter; it never fails.
func (m *Memory) Allow(_ context.Context, key string) (Result, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	b := m.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(m.rule.Rate), m.rule.Burst)}
		m.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return Result{RetryAfter: time.Duration(math.MaxInt64)}, nil
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused event takes no token
		return Result{RetryAfter: d}, nil
	}
	return Result{Allowed: true}, nil
}

// refill is how long an emptied bucket takes to fill again: after that a
// bucket is indistinguishable from a new one and can be dropped.
func (m *Memory) refill() time.Duration {
	if m.rule.Rate <= 0 {
		return time.Hour
	}
	return time.Duration(float64(m.rule.Burst)/m.rule.Rate*float64(time.Second)) + time.Second
}

func (m *Memory) sweep(now time.Time) {
	idle := m.refill()
	if now.Sub(m.lastSweep) < idle && len(m.buckets) < 1<<16 {
		return
	}
	m.lastSweep = now
	for k, b := range m.buckets {
		if now.Sub(b.seen) >= idle {
			delete(m.buckets, k)
		}
	}
}

// Len returns the number of buckets held (for tests and metrics).
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.buckets)
}
