package live

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"golf/game"
	"golf/metrics"
	tracker "golf/report"
	"golf/report/reporttest"
)

// Panics in tables, on the real clock: the fault is injected after a
// durable append (Manager.afterAppend), the worst moment, and reported to
// a fake Sentry over HTTP.

// vsCPU opens a room for a human against one CPU and starts it.
func vsCPU(t *testing.T, m *Manager, name string, rounds int) (*Table, *fakeClient) {
	t.Helper()
	ctx := context.Background()
	c := &fakeClient{}
	tb, err := m.Create(ctx, c, name, settings(rounds, game.DefaultOptions()))
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Do(ctx, c, 1, Action{Op: OpAddCPU}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, name+"'s CPU seated", func() bool { u := c.last(); return u != nil && len(u.View.Seats) == 2 })
	if err := tb.Do(ctx, c, 2, gameCmd(game.CmdStartGame)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, name+"'s game started", func() bool { u := c.last(); return u != nil && u.View.Phase != game.PhaseWaiting })
	return tb, c
}

// player plays one human seat: a random legal move whenever it has one.
type player struct {
	tb   *Table
	c    *fakeClient
	rng  *rand.Rand
	next int64
	acks atomic.Int64
}

func newPlayer(tb *Table, c *fakeClient, seed uint64) *player {
	return &player{tb: tb, c: c, rng: rand.New(rand.NewPCG(seed, 9)), next: 100}
}

// answer returns what answered command id, or nil.
func (p *player) answer(id int64) Message {
	for _, m := range p.c.all() {
		switch m := m.(type) {
		case *Update:
			if m.Ack == id {
				return m
			}
		case *Reject:
			if m.ID == id {
				return m
			}
		}
	}
	return nil
}

// move waits for the seat's turn and makes one move; it returns its
// answer, or nil once the game is over or the table let the client go.
func (p *player) move(t *testing.T) Message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Error("no move to make within 30s")
			return nil
		}
		msgs := p.c.all()
		if _, bye := msgs[len(msgs)-1].(*Bye); bye {
			return nil
		}
		u := p.c.last()
		if u.View.Phase == game.PhaseGameOver {
			return nil
		}
		moves := u.View.Moves(nil)
		if len(moves) == 0 {
			time.Sleep(time.Millisecond)
			continue
		}
		p.next++
		id := p.next
		if err := p.tb.Do(context.Background(), p.c, id, Action{Op: OpGame, Cmd: moves[p.rng.IntN(len(moves))]}); err != nil {
			t.Error(err)
			return nil
		}
		for time.Now().Before(deadline) {
			if a := p.answer(id); a != nil {
				if _, ok := a.(*Update); ok {
					p.acks.Add(1)
				}
				return a
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// playOn moves until the game is over; run it in its own goroutine.
func (p *player) playOn(t *testing.T) {
	for p.move(t) != nil {
	}
}

// faultAfterAppend makes the next n appends of the game targeted panic
// after they are durable.
type faultAfterAppend struct {
	target atomic.Pointer[string]
	n      atomic.Int32
}

func (f *faultAfterAppend) hook(tb *Table) {
	if id := f.target.Load(); id != nil && *id == tb.gameID && f.n.Add(-1) >= 0 {
		panic("injected fault: after a durable append")
	}
}

func (f *faultAfterAppend) arm(tb *Table, n int32) {
	id := tb.gameID
	f.n.Store(n)
	f.target.Store(&id)
}

func panicCount(t *testing.T, m *metrics.Metrics) float64 {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != "golf_panics_total" {
			continue
		}
		for _, s := range f.Metric {
			if labelIs(s, "where", "table") {
				return s.Counter.GetValue()
			}
		}
	}
	return -1
}

func labelIs(s *dto.Metric, name, value string) bool {
	for _, l := range s.Label {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}

func newPanicManager(t *testing.T, st *memStore) (*Manager, *faultAfterAppend, *reporttest.Server, *metrics.Metrics) {
	t.Helper()
	fake := reporttest.New(t)
	rep, err := tracker.NewSentry(tracker.Options{DSN: fake.DSN, Environment: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close(5 * time.Second) })
	obs := metrics.New()
	m := newTestManager(t, st, func(c *Config) {
		c.CPUDelayScale, c.RoundCountdown = 0, 10*time.Millisecond
		c.Reporter, c.Observer = rep, obs
	})
	f := &faultAfterAppend{}
	m.afterAppend = f.hook
	t.Cleanup(func() { closeManager(t, m) })
	return m, f, fake, obs
}

// TestTablePanicReloadsFromTheStore: a panic between a durable append and
// its fold is reported to Sentry; the table reloads the game from the
// store (the move is in it) and plays on, and another table never stops.
func TestTablePanicReloadsFromTheStore(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	m, fault, fake, obs := newPanicManager(t, st)
	ta, ann := vsCPU(t, m, "Ann", 1)
	tb, bob := vsCPU(t, m, "Bob", 9)

	other := newPlayer(tb, bob, 2)
	var wg sync.WaitGroup
	wg.Go(func() { other.playOn(t) })
	waitFor(t, "Bob's first moves", func() bool { return other.acks.Load() >= 3 })

	me := newPlayer(ta, ann, 1)
	for range 2 {
		if _, ok := me.move(t).(*Update); !ok {
			t.Fatal("a move before the fault was not acknowledged")
		}
	}
	fault.arm(ta, 1)
	before := ann.last().Seq
	ans := me.move(t)
	if r, ok := ans.(*Reject); !ok || r.Err != ErrUnavailable {
		t.Fatalf("the move that panicked was answered %#v, want unavailable", ans)
	}
	// The reloaded table sends the state as the log has it: the move that
	// panicked is in.
	waitFor(t, "the reloaded state", func() bool {
		msgs := ann.all()
		for i := len(msgs) - 1; i >= 0; i-- {
			switch m := msgs[i].(type) {
			case *Update:
				if m.Seq > before {
					return true
				}
			case *Reject:
				return false
			}
		}
		return false
	})
	evs := fake.Wait(t, 1)
	ev := evs[0]
	if ev.Tags["where"] != "table" || ev.Tags["game_id"] != ta.gameID || ev.Tags["room"] != ta.roomCode || ev.Tags["role"] != "writer" {
		t.Errorf("event tags %v", ev.Tags)
	}
	if len(ev.Exception) != 1 || !strings.Contains(ev.Exception[0].Value, "injected fault") {
		t.Errorf("event exception %+v", ev.Exception)
	} else if frames := ev.Exception[0].Stacktrace.Frames; len(frames) == 0 || frames[len(frames)-1].Function != "(*faultAfterAppend).hook" {
		t.Errorf("the stack does not end at the fault: %+v", frames)
	}
	if strings.Contains(string(ev.Raw), "Ann") || strings.Contains(string(ev.Raw), "ip_address") {
		t.Errorf("the event names a player or an address: %s", ev.Raw)
	}
	if n := panicCount(t, obs); n != 1 {
		t.Errorf("golf_panics_total{where=table} = %v, want 1", n)
	}

	// Bob's game went on through it, and goes on after.
	after := other.acks.Load()
	waitFor(t, "Bob's moves after the panic", func() bool { return other.acks.Load() >= after+3 })
	me.playOn(t)
	wg.Wait()
	for _, c := range []*fakeClient{ann, bob} {
		if u := c.last(); u.View.Phase != game.PhaseGameOver {
			t.Errorf("a game did not end: %v", u.View.Phase)
		}
	}
	if got, want := ann.last().Seq, int64(len(st.events(ta.gameID))); got != want {
		t.Errorf("Ann's last state is at %d, the log at %d", got, want)
	}
	if _, err := game.Fold(st.events(ta.gameID)); err != nil {
		t.Errorf("the panicked game's log does not fold: %v", err)
	}
	if n := len(fake.Events(t)); n != 1 {
		t.Errorf("%d events reported, want 1", n)
	}
}

// TestTablePanicTwiceClosesIt: a table that panics again right after its
// reload (every append of its game panics) closes; its game stays in the
// store, the other tables play on.
func TestTablePanicTwiceClosesIt(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	m, fault, fake, obs := newPanicManager(t, st)
	ta, ann := vsCPU(t, m, "Ann", 1)
	tb, bob := vsCPU(t, m, "Bob", 1)

	fault.arm(ta, 1000)
	me := newPlayer(ta, ann, 1)
	if r, ok := me.move(t).(*Reject); !ok || r.Err != ErrUnavailable {
		t.Fatal("the first panicking move was not answered unavailable")
	}
	// The reloaded table plays the CPU's turn: that append panics too.
	waitFor(t, "Ann let go", func() bool {
		msgs := ann.all()
		b, ok := msgs[len(msgs)-1].(*Bye)
		return ok && b.Reason == ByeClosed
	})
	waitFor(t, "the table closed", func() bool { return m.Rooms() == 1 })
	fake.Wait(t, 2)
	if n := panicCount(t, obs); n != 2 {
		t.Errorf("golf_panics_total{where=table} = %v, want 2", n)
	}
	active, _ := st.ActiveGames(context.Background())
	found := false
	for _, id := range active {
		found = found || id == ta.gameID
	}
	if !found {
		t.Error("the closed table's game is no longer active in the store")
	}
	if _, err := game.Fold(st.events(ta.gameID)); err != nil {
		t.Errorf("the closed game's log does not fold: %v", err)
	}

	other := newPlayer(tb, bob, 2)
	other.playOn(t)
	if u := bob.last(); u.View.Phase != game.PhaseGameOver || other.acks.Load() == 0 {
		t.Errorf("Bob's game: phase %v after %d moves", u.View.Phase, other.acks.Load())
	}
}
