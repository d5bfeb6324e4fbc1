package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// public is a hash of the public lobbies with a free seat (room code →
// entry), kept by their writers (live's Listing). An entry carries the
// game that listed it and the time it expires, since a hash's fields have
// no time to live of their own: a reader skips expired entries and
// deletes them.
func (r *Redis) publicKey() string { return r.prefix + "public" }

type publicEntry struct {
	Game  string          `json:"game"`
	Until int64           `json:"until,omitempty"` // Unix ms; 0: until unlisted
	Room  json.RawMessage `json:"room"`
}

// List implements live.Listing: entry is the room's, as live wrote it.
func (r *Redis) List(ctx context.Context, code, gameID string, entry []byte, ttl time.Duration) error {
	e := publicEntry{Game: gameID, Room: entry}
	if ttl > 0 {
		e.Until = time.Now().Add(ttl).UnixMilli()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := r.rdb.HSet(ctx, r.publicKey(), code, b).Err(); err != nil {
		return fmt.Errorf("list room %s: %w", code, err)
	}
	return nil
}

// unlistScript deletes a room's entry only if the same game still holds it.
var unlistScript = redis.NewScript(`
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and cjson.decode(v).game == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`)

// Unlist implements live.Listing.
func (r *Redis) Unlist(ctx context.Context, code, gameID string) error {
	if err := unlistScript.Run(ctx, r.rdb, []string{r.publicKey()}, code, gameID).Err(); err != nil {
		return fmt.Errorf("unlist room %s: %w", code, err)
	}
	return nil
}

// Listed implements live.Listing: the entries not expired, in no order.
func (r *Redis) Listed(ctx context.Context) ([][]byte, error) {
	all, err := r.rdb.HGetAll(ctx, r.publicKey()).Result()
	if err != nil {
		return nil, fmt.Errorf("public rooms: %w", err)
	}
	now := time.Now().UnixMilli()
	out := make([][]byte, 0, len(all))
	var stale []string
	for code, v := range all {
		var e publicEntry
		if err := json.Unmarshal([]byte(v), &e); err != nil || (e.Until != 0 && e.Until <= now) {
			stale = append(stale, code)
			continue
		}
		out = append(out, e.Room)
	}
	if len(stale) > 0 {
		// Their writers died. A writer relisting one of them meanwhile
		// puts it back at its next renewal.
		r.rdb.HDel(ctx, r.publicKey(), stale...)
	}
	return out, nil
}
