package cluster

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// state:{game} is a hash {seq, data}. A save never replaces a newer one,
// so a stale writer cannot move the cache back.

func (r *Redis) stateKey(gameID string) string { return r.prefix + "state:" + gameID }

var saveScript = redis.NewScript(`
local cur = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if tonumber(ARGV[1]) < cur then
	return 0
end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`)

// SaveState caches a game's state as of sequence number seq, unless the cache
// already holds a later one.
func (r *Redis) SaveState(ctx context.Context, gameID string, seq int64, data []byte) error {
	if err := saveScript.Run(ctx, r.rdb, []string{r.stateKey(gameID)}, seq, data, r.cacheTTL.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("cache %s at %d: %w", gameID, seq, err)
	}
	return nil
}

// LoadState returns a game's cached state and its sequence number, or (0, nil)
// if none is cached.
func (r *Redis) LoadState(ctx context.Context, gameID string) (int64, []byte, error) {
	vals, err := r.rdb.HMGet(ctx, r.stateKey(gameID), "seq", "data").Result()
	if err != nil {
		return 0, nil, fmt.Errorf("cached state %s: %w", gameID, err)
	}
	s, ok1 := vals[0].(string)
	d, ok2 := vals[1].(string)
	if !ok1 || !ok2 {
		return 0, nil, nil
	}
	seq, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, nil, fmt.Errorf("cached state %s: seq %q", gameID, s)
	}
	return seq, []byte(d), nil
}

// StateSeq returns the sequence number of a game's cached state, or 0.
func (r *Redis) StateSeq(ctx context.Context, gameID string) (int64, error) {
	s, err := r.rdb.HGet(ctx, r.stateKey(gameID), "seq").Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("cached seq %s: %w", gameID, err)
	}
	return strconv.ParseInt(s, 10, 64)
}

// DropState removes a game's cached state.
func (r *Redis) DropState(ctx context.Context, gameID string) error {
	if err := r.rdb.Del(ctx, r.stateKey(gameID)).Err(); err != nil {
		return fmt.Errorf("drop cached state %s: %w", gameID, err)
	}
	return nil
}
