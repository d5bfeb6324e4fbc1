package matchmaking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Queue in Redis, shared by every instance. The tickets are a
// hash (player → ticket); each size has a sorted set of its players by
// the time they queued; a matched player's seat is a key of its own with
// a time to live. Every change of the queue is one Lua script, so it is
// atomic: two instances taking groups at once never take the same ticket.
type Redis struct {
	rdb    *redis.Client
	prefix string
}

// NewRedis returns the queue kept under prefix (e.g. "golf:") in rdb.
func NewRedis(rdb *redis.Client, prefix string) *Redis {
	return &Redis{rdb: rdb, prefix: prefix}
}

// keys returns the tickets hash and the queues of sizes 2..6, so that
// KEYS[s] in a script is the queue of size s.
func (r *Redis) keys() []string {
	k := []string{r.prefix + "qp:tickets"}
	for s := MinSize; s <= MaxSize; s++ {
		k = append(k, r.prefix+"qp:size:"+strconv.Itoa(s))
	}
	return k
}

// Prefix returns the prefix of the queue's keys.
func (r *Redis) Prefix() string { return r.prefix }

func (r *Redis) seatKey(player string) string { return r.prefix + "qp:seat:" + player }

var joinScript = redis.NewScript(`
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then redis.call('ZREM', KEYS[cjson.decode(old).s], ARGV[1]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[tonumber(ARGV[3])], ARGV[4], ARGV[1])
redis.call('DEL', KEYS[7])
return 1`)

var leaveScript = redis.NewScript(`
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[cjson.decode(old).s], ARGV[1])
return 1`)

// takeScript returns, for each group, its size, its count and its tickets.
var takeScript = redis.NewScript(`
local now, wait = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
local function take(size, ids)
  table.insert(out, size)
  table.insert(out, #ids)
  for _, id in ipairs(ids) do
    table.insert(out, redis.call('HGET', KEYS[1], id) or '')
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', KEYS[size], id)
  end
end
for size = 2, 6 do
  while redis.call('ZCARD', KEYS[size]) >= size do
    take(size, redis.call('ZRANGE', KEYS[size], 0, size - 1))
  end
  local first = redis.call('ZRANGE', KEYS[size], 0, 0, 'WITHSCORES')
  if #first > 0 and tonumber(first[2]) + wait <= now then
    take(size, redis.call('ZRANGE', KEYS[size], 0, -1))
  end
end
return out`)

// Join implements Queue.
func (r *Redis) Join(ctx context.Context, t Ticket) error {
	if t.Size < MinSize || t.Size > MaxSize {
		return ErrSize
	}
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	keys := append(r.keys(), r.seatKey(t.Player))
	if err := joinScript.Run(ctx, r.rdb, keys, t.Player, b, t.Size, t.Since.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("queue %s: %w", t.Player, err)
	}
	return nil
}

// Leave implements Queue.
func (r *Redis) Leave(ctx context.Context, player string) (bool, error) {
	n, err := leaveScript.Run(ctx, r.rdb, r.keys(), player).Int()
	if err != nil {
		return false, fmt.Errorf("unqueue %s: %w", player, err)
	}
	return n == 1, nil
}

// Take implements Queue.
func (r *Redis) Take(ctx context.Context, now time.Time, wait time.Duration) ([]Group, error) {
	res, err := takeScript.Run(ctx, r.rdb, r.keys(), now.UnixMilli(), wait.Milliseconds()).Slice()
	if err != nil {
		return nil, fmt.Errorf("take groups: %w", err)
	}
	var groups []Group
	for i := 0; i+1 < len(res); {
		size, _ := res[i].(int64)
		n, _ := res[i+1].(int64)
		i += 2
		g := Group{Size: int(size)}
		for range n {
			if i >= len(res) {
				return groups, errors.New("take groups: short answer")
			}
			s, _ := res[i].(string)
			i++
			var t Ticket
			if err := json.Unmarshal([]byte(s), &t); err != nil {
				// Cannot happen (Join wrote it); the player polls and queues again.
				continue
			}
			g.Players = append(g.Players, t)
		}
		if len(g.Players) > 0 {
			groups = append(groups, g)
		}
	}
	return groups, nil
}

// Seat implements Queue.
func (r *Redis) Seat(ctx context.Context, player string, s Seat, ttl time.Duration) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := r.rdb.Set(ctx, r.seatKey(player), b, ttl).Err(); err != nil {
		return fmt.Errorf("seat %s: %w", player, err)
	}
	return nil
}

// Poll implements Queue.
func (r *Redis) Poll(ctx context.Context, players []string) (map[string]Status, error) {
	pipe := r.rdb.Pipeline()
	seats := make([]*redis.StringCmd, len(players))
	waits := make([]*redis.BoolCmd, len(players))
	tickets := r.keys()[0]
	for i, p := range players {
		seats[i] = pipe.Get(ctx, r.seatKey(p))
		waits[i] = pipe.HExists(ctx, tickets, p)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("poll: %w", err)
	}
	out := make(map[string]Status, len(players))
	for i, p := range players {
		var st Status
		if b, err := seats[i].Bytes(); err == nil {
			var s Seat
			if json.Unmarshal(b, &s) == nil {
				st.Seat = &s
			}
		}
		st.Waiting = waits[i].Val()
		out[p] = st
	}
	return out, nil
}
