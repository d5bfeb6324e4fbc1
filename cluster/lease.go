package cluster

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// A lease is the key lease:{game} holding the writer's instance id, with
// a time to live. It is taken with SET NX PX, and renewed or released
// only by a script that first checks the holder, so an instance can never
// extend or delete a lease another one took after its own expired.

func (r *Redis) leaseKey(gameID string) string { return r.prefix + "lease:" + gameID }

var renewScript = redis.NewScript(`
local holder = redis.call('GET', KEYS[1])
if holder == false then
	redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
	holder = ARGV[1]
elseif holder == ARGV[1] then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
	return holder
end
if KEYS[2] ~= '' and ARGV[3] ~= '' then
	local game = redis.call('GET', KEYS[2])
	if game == false then
		redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
	elseif game == ARGV[3] then
		redis.call('PEXPIRE', KEYS[2], ARGV[4])
	end
end
return holder`)

var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`)

// Acquire takes the lease of a game if nobody holds it, and returns the
// holder: this instance if it got (or already had) the lease.
func (r *Redis) Acquire(ctx context.Context, gameID string) (string, error) {
	key := r.leaseKey(gameID)
	ok, err := r.rdb.SetNX(ctx, key, r.instance, r.leaseTTL).Result()
	if err != nil {
		return "", fmt.Errorf("acquire lease %s: %w", gameID, err)
	}
	if ok {
		return r.instance, nil
	}
	holder, err := r.rdb.Get(ctx, key).Result()
	if errors.Is(err, redis.Nil) {
		// Expired between the two calls: try once more.
		if ok, err = r.rdb.SetNX(ctx, key, r.instance, r.leaseTTL).Result(); err == nil && ok {
			return r.instance, nil
		}
		return "", fmt.Errorf("acquire lease %s: %w", gameID, errors.Join(err, errors.New("lease changed hands")))
	}
	if err != nil {
		return "", fmt.Errorf("acquire lease %s: %w", gameID, err)
	}
	return holder, nil
}

// Renew extends this instance's lease of a game by the TTL, taking it
// again if it has expired and nobody else took it, and returns the holder
// (another instance's id if it has taken the lease). With a room code, it
// also keeps the code's directory entry alive (or restores it).
func (r *Redis) Renew(ctx context.Context, gameID, code string) (string, error) {
	roomKey, game := "", ""
	if code != "" {
		roomKey, game = r.roomKey(code), gameID
	}
	holder, err := renewScript.Run(ctx, r.rdb, []string{r.leaseKey(gameID), roomKey},
		r.instance, r.leaseTTL.Milliseconds(), game, r.roomTTL.Milliseconds()).Text()
	if err != nil {
		return "", fmt.Errorf("renew lease %s: %w", gameID, err)
	}
	return holder, nil
}

// Release gives up this instance's lease of a game, if it holds it, so
// another instance can take the game at once.
func (r *Redis) Release(ctx context.Context, gameID string) error {
	if err := releaseScript.Run(ctx, r.rdb, []string{r.leaseKey(gameID)}, r.instance).Err(); err != nil {
		return fmt.Errorf("release lease %s: %w", gameID, err)
	}
	return nil
}

// Holder returns the instance holding a game's lease, or "".
func (r *Redis) Holder(ctx context.Context, gameID string) (string, error) {
	h, err := r.rdb.Get(ctx, r.leaseKey(gameID)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("lease holder %s: %w", gameID, err)
	}
	return h, nil
}
