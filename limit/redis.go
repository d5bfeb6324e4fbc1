package limit

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Limiter whose buckets live in Redis, so every instance
// sharing the Redis enforces one limit per key. It runs GCRA (the
// generic cell rate algorithm, as go-redis/redis_rate does) in one Lua
// script: one round trip per event, atomic across instances, and one
// small key per active bucket that expires once the bucket is full again.
// Time is Redis's own clock, so instances need not agree on theirs.
//
// redis_rate itself is not used: the module proxy this project builds
// from does not serve it, and the script is twenty lines.
type Redis struct {
	rdb    redis.Cmdable
	prefix string
	rule   Rule
}

// NewRedis returns a shared Limiter for rule; its keys are
// prefix+"rl:"+rule.Name+":"+key.
func NewRedis(rdb redis.Cmdable, prefix string, rule Rule) *Redis {
	return &Redis{rdb: rdb, prefix: prefix, rule: rule}
}

// Rule returns the limiter's rule.
func (l *Redis) Rule() Rule { return l.rule }

// gcra keeps, per key, the theoretical arrival time (TAT) of the next
// event, in seconds since 2017 (small enough for a double's precision).
// An event is allowed when TAT - now <= burst*interval; it moves TAT on
// by one interval. Returns {1, "0"} or {0, seconds to wait}.
var gcra = redis.NewScript(`
local burst = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local t = redis.call("TIME")
local now = (tonumber(t[1]) - 1483228800) + tonumber(t[2]) / 1000000
local tat = tonumber(redis.call("GET", KEYS[1]) or "0")
if tat < now then tat = now end
local new_tat = tat + interval
local wait = new_tat - burst * interval - now
if wait > 0 then
  return {0, tostring(wait)}
end
redis.call("SET", KEYS[1], string.format("%.6f", new_tat), "PX", math.ceil((new_tat - now) * 1000) + 1000)
return {1, "0"}
`)

// Allow implements Limiter. An error (Redis unreachable) decides nothing:
// see Failover.
func (l *Redis) Allow(ctx context.Context, key string) (Result, error) {
	if l.rule.Rate <= 0 || l.rule.Burst <= 0 {
		return Result{RetryAfter: time.Duration(math.MaxInt64)}, nil
	}
	interval := 1 / l.rule.Rate
	v, err := gcra.Run(ctx, l.rdb, []string{l.prefix + "rl:" + l.rule.Name + ":" + key},
		l.rule.Burst, strconv.FormatFloat(interval, 'f', -1, 64)).Slice()
	if err != nil {
		return Result{}, fmt.Errorf("limit %s: %w", l.rule.Name, err)
	}
	if len(v) != 2 {
		return Result{}, fmt.Errorf("limit %s: unexpected answer %v", l.rule.Name, v)
	}
	ok, _ := v[0].(int64)
	if ok == 1 {
		return Result{Allowed: true}, nil
	}
	s, _ := v[1].(string)
	wait, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Result{}, fmt.Errorf("limit %s: unexpected wait %q", l.rule.Name, s)
	}
	return Result{RetryAfter: time.Duration(wait * float64(time.Second))}, nil
}

// Failover is a Limiter that asks Shared (Redis) and, when it cannot
// decide, Local (a Memory of the same rule). This is the policy when
// Redis is down: neither open (no limit at all while an attacker may be
// the reason Redis struggles) nor closed (every player refused for an
// outage of a shared helper): each instance enforces the limits alone,
// so the cluster admits at most instances × the limit until Redis is
// back. OnError, if set, hears every failure (to log or count it).
type Failover struct {
	Shared, Local Limiter
	OnError       func(error)
}

// Allow implements Limiter; it fails only if Local does.
func (f *Failover) Allow(ctx context.Context, key string) (Result, error) {
	r, err := f.Shared.Allow(ctx, key)
	if err == nil {
		return r, nil
	}
	if f.OnError != nil {
		f.OnError(err)
	}
	return f.Local.Allow(ctx, key)
}
