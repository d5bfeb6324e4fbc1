package cluster

import (
	"context"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Each game has a channel game:{id}, on which its writer publishes; each
// instance has an inbox inst:{id}, to which others send commands and
// answers. Pub/sub delivers at most once: a subscriber whose connection
// drops misses what was published meanwhile, so live numbers its
// messages and reads what it missed from the store.

func (r *Redis) topic(gameID string) string   { return r.prefix + "game:" + gameID }
func (r *Redis) inbox(instance string) string { return r.prefix + "inst:" + instance }

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
