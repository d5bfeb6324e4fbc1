package live

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"

	"golf/game"
)

// holder is a client that keeps what it was given, as a session's queue
// does, and releases it by its policy: at once, every few deliveries, or
// only when told.
type holder struct {
	mu      sync.Mutex
	every   int // release what it holds every this many Updates; 0: at once; -1: only by releaseAll
	held    map[*Update]string
	got     int
	seen    map[*Update]bool
	changed []string // Updates that changed while held
}

func newHolder(every int) *holder {
	return &holder{every: every, held: map[*Update]string{}, seen: map[*Update]bool{}}
}

// snapshot is everything a client could read of u.
func snapshot(t *testing.T, u *Update) string {
	evs := make([]string, len(u.Events))
	for i, e := range u.Events {
		b, err := game.MarshalEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		evs[i] = e.Type() + string(b)
	}
	b, err := json.Marshal(struct {
		Seq, Ack int64
		View     game.View
		Events   []string
		Room     string
		Online   []bool
	}{u.Seq, u.Ack, u.View, evs, u.Room.RoomCode, u.Room.Online})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (h *holder) deliver(t *testing.T, m Message) {
	u, ok := m.(*Update)
	if !ok {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.check(t)
	h.held[u] = snapshot(t, u)
	h.seen[u] = true
	h.got++
	if h.every == 0 || (h.every > 0 && h.got%h.every == 0) {
		h.release(t)
	}
}

// check records any held Update whose contents moved under its holder.
func (h *holder) check(t *testing.T) {
	for u, snap := range h.held {
		if now := snapshot(t, u); now != snap {
			h.changed = append(h.changed, fmt.Sprintf("seq %d:\n was %s\n now %s", u.Seq, snap, now))
		}
	}
}

func (h *holder) release(t *testing.T) {
	h.check(t)
	for u := range h.held {
		u.Release()
	}
	clear(h.held)
}

type holderClient struct {
	t *testing.T
	h *holder
}

func (c holderClient) Deliver(m Message) { c.h.deliver(c.t, m) }

// Updates are reused once every client given one has released it, and
// never before: spectators share one Update per change, released at
// different times, while seats get their own; a held Update must read the
// same from delivery to release, whatever the table builds meanwhile.
func TestUpdatesReusedOnlyOnceReleased(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		ctx := context.Background()
		host := &fakeClient{}
		tb, err := m.Create(ctx, host, "Ann", settings(2, game.DefaultOptions()))
		if err != nil {
			t.Fatal(err)
		}
		holders := []*holder{newHolder(0), newHolder(3), newHolder(7), newHolder(-1)}
		for _, h := range holders {
			if err := tb.Watch(ctx, holderClient{t, h}); err != nil {
				t.Fatal(err)
			}
		}
		// A second seat that releases at once: its Updates are its own.
		bob := newHolder(0)
		if err := tb.Join(ctx, holderClient{t, bob}, "Bob"); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			do(t, tb, host, 0, Action{Op: OpAddCPU})
		}
		do(t, tb, host, 1, gameCmd(game.CmdStartGame))
		// Bob's seat is played for him (it never moves): the game still ends.
		final := playUntilOver(t, tb, host)
		if final.View.Result == nil {
			t.Fatal("the game did not end")
		}
		synctest.Wait()
		delivered, distinct := 0, map[*Update]bool{}
		for _, h := range append(holders, bob) {
			h.mu.Lock()
			h.release(t)
			for _, c := range h.changed {
				t.Errorf("an Update changed while a client held it: %s", c)
			}
			delivered += h.got
			for u := range h.seen {
				distinct[u] = true
			}
			h.mu.Unlock()
		}
		if delivered < 100 {
			t.Fatalf("%d Updates delivered: too few to tell", delivered)
		}
		// Reuse happened, or the test proved nothing.
		if len(distinct) >= delivered {
			t.Errorf("%d Updates delivered, %d distinct: none was reused", delivered, len(distinct))
		}
		t.Logf("%d Updates delivered to the releasing clients, %d distinct", delivered, len(distinct))
	})
}
