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

// Ping checks that Redis answers (readiness probes call it).
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis ping: %w", err)
	}
	return nil
}

// Instance returns this instance's id.
func (r *Redis) Instance() string { return r.instance }

// TTL returns the lease time to live.
func (r *Redis) TTL() time.Duration { return r.leaseTTL }

// Client returns the Redis client, for tools and tests.
func (r *Redis) Client() *redis.Client { return r.rdb }
