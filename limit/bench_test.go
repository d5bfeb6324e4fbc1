package limit_test

import (
	"context"
	"strconv"
	"testing"

	"golf/cluster/redistest"
	"golf/limit"
)

// BenchmarkMemoryAllow: one event from one of 1,000 addresses, the cost
// every limited request pays in process.
func BenchmarkMemoryAllow(b *testing.B) {
	m := limit.NewMemory(limit.PerMinute("x", 600, 200), nil)
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = "10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Allow(ctx, keys[i%len(keys)])
	}
}

// BenchmarkRedisAllow: the same through the shared Redis (one EVALSHA
// round trip on loopback).
func BenchmarkRedisAllow(b *testing.B) {
	url, prefix := redistest.Prefix(b)
	l := limit.NewRedis(redisClientB(b, url), prefix, limit.PerMinute("x", 600, 200))
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if _, err := l.Allow(ctx, "10.0.0."+strconv.Itoa(i%256)); err != nil {
			b.Fatal(err)
		}
	}
}
