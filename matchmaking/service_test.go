package matchmaking_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golf/matchmaking"
)

// clock is a fake clock the tests move by hand.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := new(clock)
	c.ns.Store(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// tables records the tables opened, as live would open them.
type tables struct {
	mu     sync.Mutex
	groups []matchmaking.Group
}

func (tb *tables) open(_ context.Context, g matchmaking.Group) (map[string]matchmaking.Seat, error) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.groups = append(tb.groups, g)
	room := fmt.Sprintf("R%03d", len(tb.groups))
	seats := map[string]matchmaking.Seat{}
	for _, p := range g.Players {
		seats[p.Player] = matchmaking.Seat{Room: room, Token: "tok-" + p.Player}
	}
	return seats, nil
}

// seated records the seats notified, by player, with the fake time.
type seated struct {
	mu    sync.Mutex
	seats map[string][]matchmaking.Seat
	at    map[string]time.Time
	where map[string]string // the instance that notified
}

func newSeated() *seated {
	return &seated{seats: map[string][]matchmaking.Seat{}, at: map[string]time.Time{}, where: map[string]string{}}
}

func (s *seated) notify(c *clock, inst, player string) func(matchmaking.Seat) {
	return func(st matchmaking.Seat) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.seats[player] = append(s.seats[player], st)
		s.at[player] = c.Now()
		s.where[player] = inst
	}
}

// TestTwoInstancesFillTables queues players on two instances sharing one
// queue (Redis: two connections, one prefix): full tables are seated at
// the first matching round whichever instance runs it, each player is told
// once, by the instance they wait on, and the rest are seated, topped up
// with CPUs, once the wait runs out: nobody waits longer than the limit.
func TestTwoInstancesFillTables(t *testing.T) {
	for _, backend := range []string{"memory", "redis"} {
		t.Run(backend, func(t *testing.T) {
			var qa, qb matchmaking.Queue
			if backend == "memory" {
				m := matchmaking.NewMemory()
				qa, qb = m, m
			} else {
				a := redisQueue(t)
				qa = a
				qb = matchmaking.NewRedis(redisClientFor(t, a), a.Prefix())
			}
			c := newClock()
			const wait = 15 * time.Second
			tb := new(tables)
			a := newService(t, qa, tb, c, wait)
			b := newService(t, qb, tb, c, wait)
			s := newSeated()
			ctx := context.Background()
			queuedAt := map[string]time.Time{}
			const n, size = 14, 4
			for i := range n {
				p := fmt.Sprintf("p%02d", i)
				svc, inst := a, "A"
				if i%2 == 1 {
					svc, inst = b, "B"
				}
				queuedAt[p] = c.Now()
				if err := svc.Enqueue(ctx, p, "Player "+p, size, s.notify(c, inst, p)); err != nil {
					t.Fatal(err)
				}
				c.Advance(100 * time.Millisecond)
			}
			// Both instances match at once, then poll again.
			stepBoth(t, a, b)
			stepBoth(t, a, b)
			if got := len(tb.groups); got != 3 {
				t.Fatalf("tables opened %d; want 3 full ones", got)
			}
			for _, g := range tb.groups {
				if len(g.Players) != size {
					t.Errorf("a table of %d humans before the wait; want %d", len(g.Players), size)
				}
			}
			if got := len(s.seats); got != 12 {
				t.Errorf("players told their seat: %d; want 12", got)
			}
			if w := a.Waiting() + b.Waiting(); w != 2 {
				t.Errorf("still waiting: %d; want 2", w)
			}
			// The instances run a round every tick. Nobody is topped up
			// before the longest-waiting one's wait runs out, and then the
			// last two get a table with two CPUs.
			oldest := queuedAt["p12"]
			for len(tb.groups) == 3 && c.Now().Sub(oldest) < 2*wait {
				c.Advance(tick)
				stepBoth(t, a, b)
				if len(tb.groups) > 3 && c.Now().Sub(oldest) < wait {
					t.Fatalf("a table topped up after %v; the wait is %v", c.Now().Sub(oldest), wait)
				}
			}
			stepBoth(t, a, b) // the other instance's poll
			if len(tb.groups) != 4 || len(tb.groups[3].Players) != 2 || tb.groups[3].Size != size {
				t.Fatalf("after the wait: tables %d, last %+v; want a 4th with 2 humans of 4 seats", len(tb.groups), tb.groups[len(tb.groups)-1])
			}
			if w := a.Waiting() + b.Waiting(); w != 0 {
				t.Errorf("still waiting after the wait: %d", w)
			}
			inGroup := map[string]int{}
			for _, g := range tb.groups {
				for _, p := range g.Players {
					inGroup[p.Player]++
				}
			}
			for i := range n {
				p := fmt.Sprintf("p%02d", i)
				want := "A"
				if i%2 == 1 {
					want = "B"
				}
				switch {
				case inGroup[p] != 1:
					t.Errorf("%s seated at %d tables; want 1", p, inGroup[p])
				case len(s.seats[p]) != 1:
					t.Errorf("%s told %d times; want once", p, len(s.seats[p]))
				case s.where[p] != want:
					t.Errorf("%s told by instance %s; want %s, where it waits", p, s.where[p], want)
				case s.at[p].Sub(queuedAt[p]) > wait+tick:
					t.Errorf("%s waited %v; the limit is %v and a tick", p, s.at[p].Sub(queuedAt[p]), wait)
				}
			}
		})
	}
}

// tick is how often the tests' instances run a round.
const tick = 250 * time.Millisecond

// TestCancel: a player who cancels is not seated; one matched already
// cannot cancel, and is still told the seat.
func TestCancel(t *testing.T) {
	c := newClock()
	tb := new(tables)
	svc := newService(t, matchmaking.NewMemory(), tb, c, time.Second)
	s := newSeated()
	ctx := context.Background()
	svc.Enqueue(ctx, "a", "A", 2, s.notify(c, "A", "a"))
	if ok, err := svc.Cancel(ctx, "a"); !ok || err != nil {
		t.Fatalf("cancel: %v %v", ok, err)
	}
	c.Advance(time.Hour)
	if err := svc.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if len(tb.groups) != 0 || len(s.seats) != 0 {
		t.Fatalf("a cancelled player was seated")
	}
	svc.Enqueue(ctx, "b", "B", 2, s.notify(c, "A", "b"))
	svc.Enqueue(ctx, "c", "C", 2, s.notify(c, "A", "c"))
	// Take happens in Step; cancel after it finds the ticket gone.
	if err := svc.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, _ := svc.Cancel(ctx, "b"); ok {
		t.Errorf("cancel after being matched: true")
	}
	if len(s.seats["b"]) != 1 {
		t.Errorf("b told %d times; want once", len(s.seats["b"]))
	}
	if err := svc.Enqueue(ctx, "d", "D", 7, s.notify(c, "A", "d")); err == nil {
		t.Errorf("size 7 queued")
	}
}

func newService(t *testing.T, q matchmaking.Queue, tb *tables, c *clock, wait time.Duration) *matchmaking.Service {
	t.Helper()
	s, err := matchmaking.New(matchmaking.Config{Queue: q, Open: tb.open, Wait: wait, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func stepBoth(t *testing.T, a, b *matchmaking.Service) {
	t.Helper()
	var wg sync.WaitGroup
	for _, s := range []*matchmaking.Service{a, b} {
		wg.Go(func() {
			if err := s.Step(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
