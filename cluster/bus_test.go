package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golf/cluster/redistest"
)

// collector records what an instance's handler receives.
type collector struct {
	mu   sync.Mutex
	msgs map[string][]string // by game id ("" for the inbox); "<resync>" for nil
}

func newCollector(r *Redis) *collector {
	c := &collector{msgs: map[string][]string{}}
	r.Listen(func(game string, msg []byte) {
		c.mu.Lock()
		defer c.mu.Unlock()
		s := string(msg)
		if msg == nil {
			s = "<resync>"
		}
		c.msgs[game] = append(c.msgs[game], s)
	})
	return c
}

func (c *collector) get(game string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.msgs[game])
}

func TestFanOutInOrder(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	w := open(t, url, prefix, "writer", time.Second)
	r1 := open(t, url, prefix, "r1", time.Second)
	r2 := open(t, url, prefix, "r2", time.Second)
	c1, c2 := newCollector(r1), newCollector(r2)
	const g, other = "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c007", "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c008"
	for _, r := range []*Redis{r1, r2} {
		if err := r.Subscribe(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	// Subscribe returned: everything published from now on arrives.
	var want []string
	for i := range 500 {
		msg := fmt.Sprint(i)
		want = append(want, msg)
		if err := w.Publish(ctx, g, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		if err := w.Publish(ctx, other, []byte("not subscribed")); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range []*collector{c1, c2} {
		eventually(t, "delivery", func() bool { return len(c.get(g)) >= len(want) })
		if got := c.get(g); !slices.Equal(got, want) {
			t.Fatalf("replica %d got messages out of order or changed", i+1)
		}
		if got := c.get(other); len(got) != 0 {
			t.Fatalf("replica %d got %d messages of a game it did not subscribe to", i+1, len(got))
		}
	}
	// After Unsubscribe nothing more comes.
	if err := r2.Unsubscribe(ctx, g); err != nil {
		t.Fatal(err)
	}
	w.Publish(ctx, g, []byte("late"))
	eventually(t, "delivery", func() bool { return len(c1.get(g)) == len(want)+1 })
	// r2 is still subscribed to its inbox: a message there proves the
	// late one, published before it, was not delivered to r2.
	w.Send(ctx, "r2", []byte("marker"))
	eventually(t, "inbox", func() bool { return len(c2.get("")) == 1 })
	if got := c2.get(g); len(got) != len(want) {
		t.Fatalf("unsubscribed instance received %d messages, want %d", len(got), len(want))
	}
}

// TestOverlappingSubscriptions: a table leaving a game and a new one
// opening it on the same instance subscribe and unsubscribe in any order;
// the channel stays subscribed while either holds it.
func TestOverlappingSubscriptions(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	w := open(t, url, prefix, "writer", time.Second)
	r := open(t, url, prefix, "replica", time.Second)
	c := newCollector(r)
	const g = "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c010"
	publish := func(msg string) {
		t.Helper()
		if err := w.Publish(ctx, g, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		// A message to the inbox after it: once it is here, so is msg if
		// it was to come at all.
		w.Send(ctx, "replica", []byte(msg))
		eventually(t, "marker", func() bool { got := c.get(""); return len(got) > 0 && got[len(got)-1] == msg })
	}
	for range 2 {
		if err := r.Subscribe(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Unsubscribe(ctx, g); err != nil {
		t.Fatal(err)
	}
	publish("one")
	if err := r.Unsubscribe(ctx, g); err != nil {
		t.Fatal(err)
	}
	publish("two")
	if err := r.Subscribe(ctx, g); err != nil {
		t.Fatal(err)
	}
	publish("three")
	if got := c.get(g); !slices.Equal(got, []string{"one", "three"}) {
		t.Fatalf("got %q, want one and three", got)
	}
	if err := r.Unsubscribe(ctx, "never-subscribed"); err != nil {
		t.Fatal(err)
	}
}

// TestReconnectAsksForRepair kills the subscriber's connection: go-redis
// reconnects and resubscribes, and the handler is told, per channel, that
// messages may have been lost (live then reads the store).
func TestReconnectAsksForRepair(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	w := open(t, url, prefix, "writer", time.Second)
	r := open(t, url, prefix, "replica", time.Second)
	c := newCollector(r)
	const g = "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c009"
	if err := r.Subscribe(ctx, g); err != nil {
		t.Fatal(err)
	}
	w.Publish(ctx, g, []byte("before"))
	eventually(t, "delivery", func() bool { return len(c.get(g)) == 1 })
	// Kill the replica's pub/sub connection: the one of its connections
	// (named after it) that has subscriptions.
	clients := w.Client().ClientList(ctx).Val()
	killed := 0
	for _, line := range strings.Split(clients, "\n") {
		if strings.Contains(line, " name="+prefix+"replica ") && !strings.Contains(line, " sub=0 ") {
			if id, ok := strings.CutPrefix(strings.Fields(line)[0], "id="); ok {
				w.Client().Do(ctx, "CLIENT", "KILL", "ID", id)
				killed++
			}
		}
	}
	if killed == 0 {
		t.Fatalf("no subscriber connection found in %s", clients)
	}
	eventually(t, "resubscription notice", func() bool {
		got := c.get(g)
		return slices.Contains(got, "<resync>")
	})
	if got := c.get(""); !slices.Contains(got, "<resync>") {
		t.Fatalf("inbox messages %v: want a resync notice for it too", got)
	}
	w.Publish(ctx, g, []byte("after"))
	eventually(t, "delivery after reconnect", func() bool { got := c.get(g); return got[len(got)-1] == "after" })
}

func TestForwardAndReply(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	w := open(t, url, prefix, "writer", time.Second)
	r := open(t, url, prefix, "replica", time.Second)
	// The writer answers every command on the sender's inbox.
	w.Listen(func(game string, msg []byte) {
		if game == "" && msg != nil {
			w.Send(ctx, "replica", append([]byte("ok:"), msg...))
		}
	})
	c := newCollector(r)
	for i := range 50 {
		if err := r.Send(ctx, "writer", []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "replies", func() bool { return len(c.get("")) == 50 })
	for i, got := range c.get("") {
		if want := fmt.Sprint("ok:", i); got != want {
			t.Fatalf("reply %d is %q, want %q", i, got, want)
		}
	}
	// Nobody listens on a dead instance's inbox: Send succeeds, no answer
	// ever comes (live answers the client unavailable after its timeout).
	if err := r.Send(ctx, "gone", []byte("x")); err != nil {
		t.Fatal(err)
	}
	n, err := r.Client().PubSubNumSub(ctx, prefix+"inst:gone").Result()
	if err != nil || n[prefix+"inst:gone"] != 0 {
		t.Fatalf("subscribers of a dead inbox: %v %v", n, err)
	}
}
