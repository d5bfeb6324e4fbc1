// Package cluster is what several golf servers share through Redis: the
// room directory (code → game), a lease per game that names its one
// writer, a cache of live game states, and pub/sub channels that carry
// each game's events to every instance and commands to the writer.
//
// It knows nothing of games: ids, codes and byte strings in, the same out.
// Package live decides what they mean (docs/scaling.md).
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Config says which Redis to use and how.
type Config struct {
	URL string // redis://[user:password@]host:port/db
	// Prefix starts every key and channel, so several deployments (or
	// tests) can share one Redis. Default "golf:".
	Prefix string
	// Instance names this process in leases and channels. It must be
	// unique among running instances; NewInstanceID makes one.
	Instance string
	// LeaseTTL is how long a lease outlives its last renewal: the time a
	// dead writer's games wait before another instance takes them over.
	LeaseTTL time.Duration
	// CacheTTL is how long a cached state outlives its last update.
	CacheTTL time.Duration
	// RoomTTL is how long a room code outlives its writer's last renewal,
	// so that the code of a game nobody writes any more is eventually
	// freed. It must be well above LeaseTTL.
	RoomTTL time.Duration
	Logger  *slog.Logger
}

// NewInstanceID returns name (the host name if empty) with a random
// suffix: every start of a process is a new instance, so a restarted
// server never mistakes its dead predecessor's leases for its own.
func NewInstanceID(name string) string {
	if name == "" {
		name, _ = os.Hostname()
	}
	if name == "" {
		name = "golf"
	}
	var b [4]byte
	rand.Read(b[:])
	return name + "-" + hex.EncodeToString(b[:])
}

// Redis is one instance's connection to the shared Redis. It implements
// live's Directory, Leases, Cache and Bus.
type Redis struct {
	rdb      *redis.Client
	ps       *redis.PubSub
	log      *slog.Logger
	prefix   string
	instance string
	leaseTTL time.Duration
	cacheTTL time.Duration
	roomTTL  time.Duration

	// Subscriptions are counted per channel: a table leaving a game and a
	// new one opening it may overlap. subMu orders the SUBSCRIBE and
	// UNSUBSCRIBE commands as the counts change; mu guards the maps, which
	// the receiver reads as Redis confirms each command, in order.
	subMu   sync.Mutex
	mu      sync.Mutex
	handler func(gameID string, msg []byte)
	refs    map[string]int             // subscribers of each channel
	ready   map[string]chan struct{}   // closed once the channel's subscription is confirmed
	subQ    map[string][]chan struct{} // SUBSCRIBEs sent and not yet confirmed, in order
	unsubQ  map[string][]chan struct{} // UNSUBSCRIBEs likewise
	active  map[string]bool            // confirmed and not unsubscribed
	done    chan struct{}              // closed when the receiver stops
}

// ErrConfig is returned, wrapped, for a configuration Open refuses.
var ErrConfig = errors.New("cluster: bad configuration")

// Open connects to Redis, checks it answers, and subscribes to this
// instance's inbox.
func Open(ctx context.Context, cfg Config) (*Redis, error) {
	opt, err := redis.ParseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: REDIS_URL: %v", ErrConfig, err)
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "golf:"
	}
	switch {
	case cfg.Instance == "" || strings.ContainsAny(cfg.Instance, " \t\r\n"):
		return nil, fmt.Errorf("%w: instance id %q", ErrConfig, cfg.Instance)
	case cfg.LeaseTTL < 10*time.Millisecond:
		return nil, fmt.Errorf("%w: lease TTL %v is too short", ErrConfig, cfg.LeaseTTL)
	case cfg.CacheTTL <= 0:
		return nil, fmt.Errorf("%w: cache TTL %v", ErrConfig, cfg.CacheTTL)
	}
	if cfg.RoomTTL < 10*cfg.LeaseTTL {
		cfg.RoomTTL = max(time.Hour, 10*cfg.LeaseTTL)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	// A lease renewal that takes longer than the lease is useless; so is
	// waiting on a Redis that does not answer while a table is blocked.
	opt.ReadTimeout = min(max(cfg.LeaseTTL/3, 100*time.Millisecond), 3*time.Second)
	opt.WriteTimeout = opt.ReadTimeout
	// Named, so an operator's CLIENT LIST tells the instances apart.
	opt.ClientName = cfg.Prefix + cfg.Instance
	rdb := redis.NewClient(opt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("cluster: redis %s: %w", opt.Addr, err)
	}
	r := &Redis{
		rdb: rdb, log: cfg.Logger, prefix: cfg.Prefix, instance: cfg.Instance,
		leaseTTL: cfg.LeaseTTL, cacheTTL: cfg.CacheTTL, roomTTL: cfg.RoomTTL,
		refs: map[string]int{}, ready: map[string]chan struct{}{}, subQ: map[string][]chan struct{}{},
		unsubQ: map[string][]chan struct{}{}, active: map[string]bool{},
		done: make(chan struct{}),
	}
	r.ps = rdb.Subscribe(ctx)
	ch := r.ps.ChannelWithSubscriptions(redis.WithChannelSize(4096), redis.WithChannelHealthCheckInterval(time.Second))
	go r.receive(ch)
	if err := r.subscribe(ctx, r.inbox(r.instance)); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Close unsubscribes and disconnects.
func (r *Redis) Close() error {
	err := r.ps.Close()
	<-r.done
	return errors.Join(err, r.rdb.Close())
}

// Instance returns this instance's id.
func (r *Redis) Instance() string { return r.instance }

// TTL returns the lease time to live.
func (r *Redis) TTL() time.Duration { return r.leaseTTL }

// Client returns the Redis client, for tools and tests.
func (r *Redis) Client() *redis.Client { return r.rdb }

func (r *Redis) leaseKey(gameID string) string { return r.prefix + "lease:" + gameID }
func (r *Redis) roomKey(code string) string    { return r.prefix + "room:" + code }
func (r *Redis) stateKey(gameID string) string { return r.prefix + "state:" + gameID }
func (r *Redis) topic(gameID string) string    { return r.prefix + "game:" + gameID }
func (r *Redis) inbox(instance string) string  { return r.prefix + "inst:" + instance }

// Leases.
//
// A lease is the key lease:{game} holding the writer's instance id, with
// a time to live. It is taken with SET NX PX, and renewed or released
// only by a script that first checks the holder, so an instance can never
// extend or delete a lease another one took after its own expired.

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

// Directory.

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

// Cache.
//
// state:{game} is a hash {seq, data}. A save never replaces a newer one,
// so a stale writer cannot move the cache back.

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

// Bus.
//
// Each game has a channel game:{id}, on which its writer publishes; each
// instance has an inbox inst:{id}, to which others send commands and
// answers. Pub/sub delivers at most once: a subscriber whose connection
// drops misses what was published meanwhile, so live numbers its
// messages and reads what it missed from the store.

// Publish sends msg to every instance subscribed to a game.
func (r *Redis) Publish(ctx context.Context, gameID string, msg []byte) error {
	if err := r.rdb.Publish(ctx, r.topic(gameID), msg).Err(); err != nil {
		return fmt.Errorf("publish to %s: %w", gameID, err)
	}
	return nil
}

// Send sends msg to one instance's inbox.
func (r *Redis) Send(ctx context.Context, instance string, msg []byte) error {
	if err := r.rdb.Publish(ctx, r.inbox(instance), msg).Err(); err != nil {
		return fmt.Errorf("send to %s: %w", instance, err)
	}
	return nil
}

// Subscribe starts delivering a game's messages to the handler. It
// returns once Redis has confirmed the subscription, so everything
// published after it returns is delivered.
func (r *Redis) Subscribe(ctx context.Context, gameID string) error {
	return r.subscribe(ctx, r.topic(gameID))
}

func (r *Redis) subscribe(ctx context.Context, channel string) error {
	r.subMu.Lock()
	r.mu.Lock()
	r.refs[channel]++
	first := r.refs[channel] == 1
	if first {
		w := make(chan struct{})
		r.ready[channel] = w
		r.subQ[channel] = append(r.subQ[channel], w)
	}
	ready := r.ready[channel]
	r.mu.Unlock()
	var err error
	if first {
		err = r.ps.Subscribe(ctx, channel)
	}
	r.subMu.Unlock()
	if err != nil {
		r.unsubscribe(context.WithoutCancel(ctx), channel)
		return fmt.Errorf("subscribe %s: %w", channel, err)
	}
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("subscribe %s: %w", channel, ctx.Err())
	case <-r.done:
		return fmt.Errorf("subscribe %s: closed", channel)
	}
}

// Unsubscribe stops delivering a game's messages, once every Subscribe to
// it has been undone; then it returns once Redis has confirmed it, and
// nothing published after it returns is delivered.
func (r *Redis) Unsubscribe(ctx context.Context, gameID string) error {
	return r.unsubscribe(ctx, r.topic(gameID))
}

func (r *Redis) unsubscribe(ctx context.Context, channel string) error {
	r.subMu.Lock()
	r.mu.Lock()
	if r.refs[channel] == 0 {
		r.mu.Unlock()
		r.subMu.Unlock()
		return nil
	}
	r.refs[channel]--
	last := r.refs[channel] == 0
	var w chan struct{}
	if last {
		delete(r.refs, channel)
		delete(r.ready, channel)
		w = make(chan struct{})
		r.unsubQ[channel] = append(r.unsubQ[channel], w)
	}
	r.mu.Unlock()
	var err error
	if last {
		err = r.ps.Unsubscribe(ctx, channel)
	}
	r.subMu.Unlock()
	if !last {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unsubscribe %s: %w", channel, err)
	}
	select {
	case <-w:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("unsubscribe %s: %w", channel, ctx.Err())
	case <-r.done:
		return nil // closed: nothing is delivered any more
	}
}

// Listen sets the function that receives every message, one at a time in
// the order Redis delivered them. gameID is "" for the instance's inbox.
// A nil msg says the subscription to gameID was re-established after the
// connection dropped: messages may have been lost. Set it before
// subscribing to games.
func (r *Redis) Listen(h func(gameID string, msg []byte)) {
	r.mu.Lock()
	r.handler = h
	r.mu.Unlock()
}

func (r *Redis) receive(ch <-chan any) {
	defer close(r.done)
	gamePrefix, inbox := r.prefix+"game:", r.inbox(r.instance)
	for m := range ch {
		switch m := m.(type) {
		case *redis.Subscription:
			r.mu.Lock()
			var again bool
			switch m.Kind {
			case "subscribe":
				if q := r.subQ[m.Channel]; len(q) > 0 {
					close(q[0])
					r.subQ[m.Channel] = q[1:]
				} else {
					// Confirmed with no command of ours waiting: go-redis
					// reconnected and subscribed again.
					again = r.active[m.Channel]
				}
				r.active[m.Channel] = true
			case "unsubscribe":
				if q := r.unsubQ[m.Channel]; len(q) > 0 {
					close(q[0])
					r.unsubQ[m.Channel] = q[1:]
				}
				if r.refs[m.Channel] == 0 {
					delete(r.active, m.Channel)
				}
			}
			h := r.handler
			r.mu.Unlock()
			if again {
				r.log.Warn("pub/sub reconnected: messages may have been lost", "channel", m.Channel)
				if h != nil {
					if id, ok := strings.CutPrefix(m.Channel, gamePrefix); ok {
						h(id, nil)
					} else if m.Channel == inbox {
						h("", nil)
					}
				}
			}
		case *redis.Message:
			r.mu.Lock()
			h := r.handler
			r.mu.Unlock()
			if h == nil {
				continue
			}
			if id, ok := strings.CutPrefix(m.Channel, gamePrefix); ok {
				h(id, []byte(m.Payload))
			} else if m.Channel == inbox {
				h("", []byte(m.Payload))
			}
		}
	}
}
