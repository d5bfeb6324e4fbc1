package cluster

import (
	"context"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Notices is a broadcast channel to every instance, for news that is not
// about one game (web closes the sockets of a revoked session or a banned
// user on every instance). It has its own subscription, apart from the
// games', and delivers at most once: a notice published while an
// instance's connection is down is lost to it.
type Notices struct {
	rdb     *redis.Client
	ps      *redis.PubSub
	channel string

	mu   sync.Mutex
	h    func(msg []byte)
	done chan struct{}
}

// Notices subscribes to the broadcast channel name and returns once Redis
// has confirmed it. Close it before the Redis.
func (r *Redis) Notices(ctx context.Context, name string) (*Notices, error) {
	channel := r.prefix + "notice:" + name
	ps := r.rdb.Subscribe(ctx, channel)
	if _, err := ps.Receive(ctx); err != nil {
		ps.Close()
		return nil, fmt.Errorf("subscribe %s: %w", channel, err)
	}
	n := &Notices{rdb: r.rdb, ps: ps, channel: channel, done: make(chan struct{})}
	go n.receive(ps.Channel(redis.WithChannelSize(1024)))
	return n, nil
}

func (n *Notices) receive(ch <-chan *redis.Message) {
	defer close(n.done)
	for m := range ch {
		n.mu.Lock()
		h := n.h
		n.mu.Unlock()
		if h != nil {
			h([]byte(m.Payload))
		}
	}
}

// Publish sends msg to every instance subscribed, this one included.
func (n *Notices) Publish(ctx context.Context, msg []byte) error {
	if err := n.rdb.Publish(ctx, n.channel, msg).Err(); err != nil {
		return fmt.Errorf("publish to %s: %w", n.channel, err)
	}
	return nil
}

// Listen sets the receiver of every notice.
func (n *Notices) Listen(h func(msg []byte)) {
	n.mu.Lock()
	n.h = h
	n.mu.Unlock()
}

// Close unsubscribes.
func (n *Notices) Close() error {
	err := n.ps.Close()
	<-n.done
	return err
}
