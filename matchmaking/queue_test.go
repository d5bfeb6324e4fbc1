package matchmaking_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"golf/cluster/redistest"
	"golf/matchmaking"
	"golf/matchmaking/queuetest"
)

func TestMemoryQueue(t *testing.T) {
	queuetest.Run(t, func(t *testing.T) matchmaking.Queue { return matchmaking.NewMemory() })
}

func TestRedisQueue(t *testing.T) {
	queuetest.Run(t, func(t *testing.T) matchmaking.Queue { return redisQueue(t) })
}

// redisQueue returns a queue of its own on the test Redis.
func redisQueue(t *testing.T) *matchmaking.Redis {
	url, prefix := redistest.Prefix(t)
	return matchmaking.NewRedis(redisClient(t, url), prefix)
}

// redisClientFor opens a second connection to the Redis of q's test.
func redisClientFor(t *testing.T, q *matchmaking.Redis) *redis.Client {
	t.Helper()
	return redisClient(t, redistest.URL(t))
}

func redisClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}
