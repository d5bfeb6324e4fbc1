package cluster

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// room:{code} names the game a room code belongs to, with a time to live
// that the writer's lease renewals extend (lease.go).
func (r *Redis) roomKey(code string) string { return r.prefix + "room:" + code }

// ClaimRoom reserves a room code for a game; false if another game has it.
// Claiming the code a game already holds succeeds.
func (r *Redis) ClaimRoom(ctx context.Context, code, gameID string) (bool, error) {
	key := r.roomKey(code)
	ok, err := r.rdb.SetNX(ctx, key, gameID, r.roomTTL).Result()
	if err != nil {
		return false, fmt.Errorf("claim room %s: %w", code, err)
	}
	if ok {
		return true, nil
	}
	cur, err := r.rdb.Get(ctx, key).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return false, fmt.Errorf("claim room %s: %w", code, err)
	}
	return cur == gameID, nil
}

// LookupRoom returns the game a room code names, or "".
func (r *Redis) LookupRoom(ctx context.Context, code string) (string, error) {
	id, err := r.rdb.Get(ctx, r.roomKey(code)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up room %s: %w", code, err)
	}
	return id, nil
}

// ReleaseRoom frees a room code if gameID holds it.
func (r *Redis) ReleaseRoom(ctx context.Context, code, gameID string) error {
	if err := releaseScript.Run(ctx, r.rdb, []string{r.roomKey(code)}, gameID).Err(); err != nil {
		return fmt.Errorf("release room %s: %w", code, err)
	}
	return nil
}
