package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golf/game"
)

// The cluster logic, on the in-memory hub (hub_test.go) and testing/synctest's
// clock: two or three instances sharing one store.

const testTTL = 3 * time.Second

// logBuffer collects a manager's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// instance is one server of a test cluster.
type instance struct {
	m    *Manager
	n    *node
	logs *logBuffer
}

func newInstance(t *testing.T, st *memStore, h *hub, id string, edit func(*Config)) *instance {
	t.Helper()
	n := h.node(id)
	logs := &logBuffer{}
	m := newTestManager(t, st, func(c *Config) {
		c.Directory, c.Leases, c.Bus, c.Cache = n, n, n, n
		c.Logger = slog.New(slog.NewTextHandler(logs, nil))
		c.CPUDelayScale = 0
		if edit != nil {
			edit(c)
		}
	})
	return &instance{m: m, n: n, logs: logs}
}

// stop closes the instance's manager and its hub connection.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	closeManager(t, in.m)
	in.n.close()
}

// role asks a table whether it writes or replicates its game.
func role(t *testing.T, tb *Table) string {
	t.Helper()
	var r string
	if err := tb.call(context.Background(), func() error {
		r = "writer"
		if tb.replica != nil {
			r = "replica"
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return r
}

// playOn plays the humans' moves, each on its own table, until the game
// is over, and returns each human's last update.
func playOn(t *testing.T, seats map[*fakeClient]*Table) map[*fakeClient]*Update {
	t.Helper()
	r := rand.New(rand.NewPCG(3, 4))
	acted := map[*fakeClient]int64{}
	for range 100000 {
		synctest.Wait()
		moved, over := false, 0
		for h, tb := range seats {
			u := h.last()
			if u.View.Phase == game.PhaseGameOver {
				over++
				continue
			}
			if u.Seq <= acted[h] {
				continue
			}
			if moves := u.View.Moves(nil); len(moves) > 0 {
				acted[h] = u.Seq
				do(t, tb, h, u.Seq, Action{Op: OpGame, Cmd: moves[r.IntN(len(moves))]})
				moved = true
			}
		}
		if over == len(seats) {
			out := map[*fakeClient]*Update{}
			for h := range seats {
				out[h] = h.last()
			}
			return out
		}
		if !moved {
			time.Sleep(100 * time.Millisecond)
		}
	}
	t.Fatal("game did not end")
	return nil
}

// checkViews checks every update a client received against the log: its
// view is exactly the view of the state the log folds to at its sequence
// number, for the client's seat. No update shows what the seat may not see.
func checkViews(t *testing.T, who string, c *fakeClient, seat int, log []game.Event) {
	t.Helper()
	n := 0
	for _, m := range c.all() {
		u, ok := m.(*Update)
		if !ok {
			continue
		}
		if u.Seq > int64(len(log)) {
			t.Fatalf("%s: update at seq %d, beyond the log (%d)", who, u.Seq, len(log))
		}
		st, err := game.Fold(log[:u.Seq])
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(st.View(seat))
		got, _ := json.Marshal(u.View)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: view at seq %d differs from the log's\n got %s\nwant %s", who, u.Seq, got, want)
		}
		n++
	}
	if n == 0 {
		t.Fatalf("%s got no update", who)
	}
}

// acks counts a client's acknowledged command ids.
func acks(c *fakeClient) int {
	n := 0
	for _, m := range c.all() {
		if u, ok := m.(*Update); ok && u.Ack != 0 {
			n++
		}
	}
	return n
}

func TestTwoInstancesPlayOneGame(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		b := newInstance(t, st, h, "b", nil)
		defer b.stop(t)
		defer a.stop(t)
		ctx := context.Background()
		ann, bob, cal, eve := &fakeClient{}, &fakeClient{}, &fakeClient{}, &fakeClient{}
		ta, err := a.m.Create(ctx, ann, "Ann", settings(2, game.DefaultOptions()))
		if err != nil {
			t.Fatal(err)
		}
		tb, err := b.m.Lookup(ctx, strings.ToLower(ta.RoomCode()))
		if err != nil {
			t.Fatal(err)
		}
		if r := role(t, tb); r != "replica" {
			t.Fatalf("b's table is the %s", r)
		}
		// Bob and Cal join on b (forwarded to a), Eve watches there.
		for i, c := range []*fakeClient{bob, cal} {
			if err := tb.Join(ctx, c, []string{"Bob", "Cal"}[i]); err != nil {
				t.Fatalf("join on the replica: %v", err)
			}
		}
		if err := tb.Watch(ctx, eve); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if w := bob.welcome(); w == nil || w.Seat != 1 || w.Token == "" {
			t.Fatalf("Bob's welcome %+v", w)
		}
		// The host kicks Cal, who is on the other instance.
		do(t, ta, ann, 1, Action{Op: OpRemove, Player: cal.welcome().PlayerID})
		if msgs := cal.all(); msgs[len(msgs)-1].(*Bye).Reason != ByeKicked {
			t.Fatalf("Cal got %#v", msgs[len(msgs)-1])
		}
		if err := tb.Resume(ctx, &fakeClient{}, cal.welcome().Token); !errors.Is(err, ErrKicked) {
			t.Fatalf("kicked player resumed on the replica: %v", err)
		}
		do(t, ta, ann, 2, Action{Op: OpAddCPU})
		// Bob, not the host, cannot start; his rejection comes back from a.
		do(t, tb, bob, 3, gameCmd(game.CmdStartGame))
		if rj := bob.rejects(); len(rj) != 1 || rj[0].ID != 3 || game.CodeOf(rj[0].Err) != game.CodeNotHost {
			t.Fatalf("Bob's rejects %v", rj)
		}
		if u := ann.last(); !u.Room.Online[1] {
			t.Fatal("the writer does not see Bob online on the other instance")
		}
		if got := ta.Info().Spectators; got != 1 {
			t.Fatalf("the writer counts %d spectators, want Eve on b", got)
		}
		do(t, ta, ann, 4, gameCmd(game.CmdStartGame))
		sent := len(bob.rejects())
		finals := playOn(t, map[*fakeClient]*Table{ann: ta, bob: tb})
		if r := finals[bob].View.Result; r == nil || r.Reason != game.ReasonCompleted {
			t.Fatalf("game ended %+v", r)
		}
		log := st.events(ann.welcome().GameID)
		if finals[bob].Seq != int64(len(log)) || finals[ann].Seq != int64(len(log)) {
			t.Fatalf("final seqs %d and %d, log %d", finals[ann].Seq, finals[bob].Seq, len(log))
		}
		if len(bob.rejects()) != sent || len(ann.rejects()) != 0 {
			t.Fatalf("legal moves rejected: %v %v", bob.rejects(), ann.rejects())
		}
		if acks(bob) < 5 {
			t.Fatalf("Bob's forwarded moves got %d acks", acks(bob))
		}
		checkViews(t, "Bob on the replica", bob, 1, log)
		checkViews(t, "Eve on the replica", eve, game.Spectator, log)
		checkViews(t, "Ann on the writer", ann, 0, log)

		// Rematch: Bob, on b, follows to the new room and keeps his seat.
		do(t, ta, ann, 9, Action{Op: OpRematch})
		synctest.Wait()
		var mv *Moved
		for _, m := range bob.all() {
			if x, ok := m.(*Moved); ok {
				mv = x
			}
		}
		if mv == nil || mv.Token == "" {
			t.Fatalf("Bob was not moved: %+v", mv)
		}
		nb, err := b.m.Lookup(ctx, mv.Room)
		if err != nil {
			t.Fatal(err)
		}
		bob2 := &fakeClient{}
		if err := nb.Resume(ctx, bob2, mv.Token); err != nil {
			t.Fatalf("Bob's rematch token: %v", err)
		}
		synctest.Wait()
		if v := bob2.last().View; v.Phase != game.PhaseWaiting || len(v.Seats) != 3 || v.Seats[1].ID != bob.welcome().PlayerID {
			t.Fatalf("rematch lobby %+v", v)
		}
	})
}

func TestWriterKilledReplicaTakesOver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		b := newInstance(t, st, h, "b", func(c *Config) { c.Grace = time.Minute })
		defer b.stop(t)
		ctx := context.Background()
		ann, bob := &fakeClient{}, &fakeClient{}
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		ta, _ := a.m.Create(ctx, ann, "Ann", settings(1, opts))
		tb, _ := b.m.Lookup(ctx, ta.RoomCode())
		tb.Join(ctx, bob, "Bob")
		do(t, ta, ann, 1, Action{Op: OpAddCPU})
		do(t, ta, ann, 2, gameCmd(game.CmdStartGame))
		id := ann.welcome().GameID
		// A few moves, then a dies as kill -9 would leave it: its lease stays.
		for range 3 {
			u := bob.last()
			if moves := u.View.Moves(nil); len(moves) > 0 && u.View.Current == 1 {
				do(t, tb, bob, u.Seq, Action{Op: OpGame, Cmd: moves[0]})
			}
			u = ann.last()
			if moves := u.View.Moves(nil); len(moves) > 0 && u.View.Current == 0 {
				do(t, ta, ann, u.Seq, Action{Op: OpGame, Cmd: moves[0]})
			}
		}
		for range 10 {
			if u := bob.last(); u.View.Current == 1 {
				do(t, tb, bob, u.Seq, Action{Op: OpGame, Cmd: u.View.Moves(nil)[0]})
			}
		}
		// a's last change (Ann's move) never reaches b: it dies before
		// publishing it.
		h.drop = func(to *node, msg []byte) bool { return bytes.Contains(msg, []byte(`"k":"batch"`)) }
		u := ann.last()
		if u.View.Current != 0 {
			t.Fatalf("seat %d to play, want Ann", u.View.Current)
		}
		do(t, ta, ann, u.Seq, Action{Op: OpGame, Cmd: u.View.Moves(nil)[0]})
		seen := ann.last().Seq
		if bob.last().Seq >= seen {
			t.Fatal("the last change reached b")
		}
		before := len(st.events(id))
		a.n.kill()
		a.stop(t)
		h.drop = nil
		if h.holder(id) != "a" {
			t.Fatal("the dead writer's lease went away at once")
		}
		// Ann reconnects to b with her token; b cannot write yet.
		ann2 := &fakeClient{}
		if err := tb.Resume(ctx, ann2, ann.welcome().Token); err != nil {
			t.Fatalf("resume on the replica: %v", err)
		}
		synctest.Wait()
		if r := role(t, tb); r != "replica" {
			t.Fatalf("b is the %s before the lease expired", r)
		}
		// What Ann saw on a is in the store; b shows her nothing older.
		if got := ann2.last().Seq; got < seen {
			t.Fatalf("Ann saw seq %d on a, then %d on b", seen, got)
		}
		time.Sleep(testTTL)
		synctest.Wait()
		if h.holder(id) != "b" || role(t, tb) != "writer" {
			t.Fatalf("b did not take over: lease held by %q", h.holder(id))
		}
		if !strings.Contains(b.logs.String(), "took the game over") {
			t.Fatal("no takeover in b's log")
		}
		finals := playOn(t, map[*fakeClient]*Table{ann2: tb, bob: tb})
		if r := finals[bob].View.Result; r == nil || r.Reason != game.ReasonCompleted {
			t.Fatalf("game ended %+v", r)
		}
		log := st.events(id)
		if len(log) <= before {
			t.Fatal("nothing was played after the takeover")
		}
		if _, err := game.Fold(log); err != nil {
			t.Fatalf("the log does not fold: %v", err)
		}
		checkViews(t, "Bob", bob, 1, log)
		checkViews(t, "Ann after resuming", ann2, 0, log)
	})
}

func TestGracefulStopHandsOverAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		b := newInstance(t, st, h, "b", nil)
		defer b.stop(t)
		ctx := context.Background()
		ann, bob := &fakeClient{}, &fakeClient{}
		ta, _ := a.m.Create(ctx, ann, "Ann", settings(1, game.DefaultOptions()))
		tb, _ := b.m.Lookup(ctx, ta.RoomCode())
		tb.Join(ctx, bob, "Bob")
		synctest.Wait()
		id := ann.welcome().GameID
		start := time.Now()
		a.stop(t)
		synctest.Wait()
		if got := h.holder(id); got != "b" || !time.Now().Equal(start) {
			t.Fatalf("after a's graceful stop the lease is %q at +%v; want b at once", got, time.Since(start))
		}
		if msgs := ann.all(); msgs[len(msgs)-1].(*Bye).Reason != ByeClosed {
			t.Fatalf("Ann got %#v", msgs[len(msgs)-1])
		}
		// b writes now: Ann comes back there and seats a CPU.
		ann2 := &fakeClient{}
		if err := tb.Resume(ctx, ann2, ann.welcome().Token); err != nil {
			t.Fatal(err)
		}
		do(t, tb, ann2, 1, Action{Op: OpAddCPU})
		if u := bob.last(); len(u.View.Seats) != 3 || ann2.last().Ack != 1 {
			t.Fatalf("Ann's command on the new writer: ack %d, %d seats", ann2.last().Ack, len(u.View.Seats))
		}
	})
}

// twoHumansAcross starts a one-round game without initial flips that Ann
// created on a (its writer) and Bob joined through b.
func twoHumansAcross(t *testing.T, a, b *instance) (ta, tb *Table, ann, bob *fakeClient) {
	t.Helper()
	ctx := context.Background()
	ann, bob = &fakeClient{}, &fakeClient{}
	opts := game.DefaultOptions()
	opts.InitialFlips = 0
	ta, _ = a.m.Create(ctx, ann, "Ann", settings(1, opts))
	tb, _ = b.m.Lookup(ctx, ta.RoomCode())
	tb.Join(ctx, bob, "Bob")
	synctest.Wait()
	do(t, ta, ann, 1, gameCmd(game.CmdStartGame))
	return ta, tb, ann, bob
}

func TestLostBatchesAreRepairedFromTheStore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		b := newInstance(t, st, h, "b", nil)
		defer b.stop(t)
		defer a.stop(t)
		ta, tb, ann, bob := twoHumansAcross(t, a, b)
		id := ann.welcome().GameID
		// Lose every batch to b for a while: Bob draws (forwarded, applied).
		var mu sync.Mutex
		lose := true
		h.drop = func(to *node, msg []byte) bool {
			mu.Lock()
			defer mu.Unlock()
			return lose && to == b.n && bytes.Contains(msg, []byte(`"k":"batch"`))
		}
		seq := bob.last().Seq
		do(t, tb, bob, 2, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		// The writer's answer came without its events: b read them from
		// the store and acknowledged.
		if u := bob.last(); u.Seq != seq+1 || u.Ack != 2 || u.View.Held == nil {
			t.Fatalf("after a lost batch Bob has seq %d ack %d held %v", u.Seq, u.Ack, u.View.Held)
		}
		do(t, tb, bob, 3, Action{Op: OpGame, Cmd: game.SwapCmd("", 0)})
		// Now Ann moves: that batch is lost too and nothing follows it;
		// b's periodic probe finds the cache ahead and catches up.
		u := ann.last()
		do(t, ta, ann, 4, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		if bob.last().Seq != u.Seq {
			t.Fatal("the lost batch reached b")
		}
		time.Sleep(testTTL / 3)
		synctest.Wait()
		mu.Lock()
		lose = false
		mu.Unlock()
		if got, want := bob.last().Seq, int64(len(st.events(id))); got != want {
			t.Fatalf("b at seq %d after its probe, log %d", got, want)
		}
		// A batch after a gap: lose one, deliver the next.
		h.drop = func(to *node, msg []byte) bool {
			mu.Lock()
			defer mu.Unlock()
			drop := lose && to == b.n && bytes.Contains(msg, []byte(`"k":"batch"`))
			lose = lose || drop
			return drop
		}
		mu.Lock()
		lose = true
		mu.Unlock()
		do(t, ta, ann, 5, Action{Op: OpGame, Cmd: game.DiscardCmd("")})
		mu.Lock()
		lose = false
		mu.Unlock()
		do(t, tb, bob, 6, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		log := st.events(id)
		if got := bob.last(); got.Seq != int64(len(log)) || got.Ack != 6 {
			t.Fatalf("after a gap Bob is at seq %d (ack %d), log %d", got.Seq, got.Ack, len(log))
		}
		checkViews(t, "Bob", bob, 1, log)
		if !strings.Contains(b.logs.String(), "caught up with the log") {
			t.Fatal("b's log does not say it caught up")
		}
	})
}

// TestDemotedWriterAppendsNothing: a writer's append fails and it cannot
// read the log back (the events are in limbo); meanwhile another instance
// takes the lease and writes. The table's next command finds the foreign
// events, learns it lost the lease and becomes a replica on the way: that
// command must not be appended, though the old lease had not run out.
func TestDemotedWriterAppendsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		b := newInstance(t, st, h, "b", nil)
		defer b.stop(t)
		defer a.stop(t)
		ctx := context.Background()
		ta, tb, ann, bob := twoHumansAcross(t, a, b)
		id := ann.welcome().GameID
		do(t, tb, bob, 2, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		do(t, tb, bob, 3, Action{Op: OpGame, Cmd: game.SwapCmd("", 0)})
		if u := ann.last(); u.View.Current != 0 || u.Ack != 0 {
			t.Fatalf("seat %d to play, want Ann", u.View.Current)
		}
		st.mu.Lock()
		st.fail, st.failLoad = errors.New("connection reset"), errors.New("connection reset")
		st.mu.Unlock()
		do(t, ta, ann, 4, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		if rj := ann.rejects(); len(rj) != 1 || !errors.Is(rj[0].Err, ErrUnavailable) {
			t.Fatalf("after a failed append Ann got %v", rj)
		}
		// Another writer: it holds the lease and draws for Ann from the
		// discard pile.
		h.mu.Lock()
		h.leases[id] = hubLease{"b", time.Now().Add(testTTL)}
		h.mu.Unlock()
		log := st.events(id)
		state, err := game.Fold(log)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := game.Decide(state, game.DrawCmd(ann.welcome().PlayerID, game.SourceDiscard))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Append(ctx, id, int64(len(log)), evs); err != nil {
			t.Fatal(err)
		}
		n := len(st.events(id))
		do(t, ta, ann, 5, Action{Op: OpGame, Cmd: game.SwapCmd("", 1)})
		if got := len(st.events(id)); got != n {
			t.Fatalf("a appended %d events after it lost the lease", got-n)
		}
		if rj := ann.rejects(); len(rj) != 2 || rj[1].ID != 5 || !errors.Is(rj[1].Err, ErrUnavailable) {
			t.Fatalf("Ann's command on the demoted writer: %v", rj)
		}
		if r := role(t, ta); r != "replica" {
			t.Fatalf("a is the %s after losing the lease", r)
		}
	})
}

func TestForwardedCommandTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		b := newInstance(t, st, h, "b", func(c *Config) { c.ForwardTimeout = 2 * time.Second })
		defer b.stop(t)
		defer a.stop(t)
		_, tb, ann, bob := twoHumansAcross(t, a, b)
		id := ann.welcome().GameID
		n := len(st.events(id))
		h.mu.Lock()
		a.n.deaf = true // a hears nothing: the command is lost on the way
		h.mu.Unlock()
		do(t, tb, bob, 7, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		if rj := bob.rejects(); len(rj) != 0 {
			t.Fatalf("answered before the timeout: %v", rj)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if rj := bob.rejects(); len(rj) != 1 || rj[0].ID != 7 || !errors.Is(rj[0].Err, ErrUnavailable) {
			t.Fatalf("after the timeout Bob got %v, want unavailable for 7", rj)
		}
		if len(st.events(id)) != n {
			t.Fatal("the lost command was applied")
		}
		h.mu.Lock()
		a.n.deaf = false
		h.mu.Unlock()
		do(t, tb, bob, 8, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		if u := bob.last(); u.Ack != 8 || u.Seq != int64(n+1) {
			t.Fatalf("retry: ack %d seq %d", u.Ack, u.Seq)
		}
	})
}

func TestPresenceAcrossInstances(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", func(c *Config) { c.Grace = 30 * time.Second })
		b := newInstance(t, st, h, "b", nil)
		defer b.stop(t)
		defer a.stop(t)
		ctx := context.Background()
		ta, tb, ann, bob := twoHumansAcross(t, a, b)
		id := ann.welcome().GameID
		if cur := bob.last().View.Current; cur != 1 {
			t.Fatalf("seat %d plays first, want Bob", cur)
		}
		// Bob, connected on b, thinks for many report lifetimes: his
		// reports keep him online at a, so nobody plays for him.
		time.Sleep(10 * testTTL)
		synctest.Wait()
		if n := countEvents(st.events(id), "AutoplayChanged", ""); n != 0 {
			t.Fatal("the writer played for a player connected on another instance")
		}
		tb.Detach(bob)
		synctest.Wait()
		if ann.last().Room.Online[1] {
			t.Fatal("the writer still shows Bob online")
		}
		time.Sleep(30*time.Second - time.Millisecond)
		synctest.Wait()
		if n := countEvents(st.events(id), "AutoplayChanged", ""); n != 0 {
			t.Fatal("autoplay before the grace period ended")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if n := countEvents(st.events(id), "AutoplayChanged", ""); n != 1 {
			t.Fatalf("%d autoplay events after the grace period, want 1", n)
		}
		// b's replica, without clients, has closed meanwhile; Bob's
		// reconnection opens a new one.
		if err := tb.Resume(ctx, &fakeClient{}, bob.welcome().Token); !errors.Is(err, ErrRoomNotFound) {
			t.Fatalf("b's idle replica is still open: %v", err)
		}
		tb, err := b.m.Lookup(ctx, ta.RoomCode())
		if err != nil {
			t.Fatal(err)
		}
		back := &fakeClient{}
		if err := tb.Resume(ctx, back, bob.welcome().Token); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		evs := st.events(id)
		if e, ok := evs[len(evs)-1].(game.AutoplayChanged); !ok || e.On {
			t.Fatalf("last event %#v, want autoplay off after Bob resumed on b", evs[len(evs)-1])
		}
		// Resuming on a takes the seat from b's connection.
		again := &fakeClient{}
		if err := ta.Resume(ctx, again, bob.welcome().Token); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if msgs := back.all(); msgs[len(msgs)-1].(*Bye).Reason != ByeReplaced {
			t.Fatalf("b's connection got %#v, want replaced", msgs[len(msgs)-1])
		}
	})
}

// TestCacheIsAHint opens a game on a third instance from the cache: a
// fresh cache, a cache behind the log (its tail is folded in), and a cache
// that is not this game's history (the log wins).
func TestCacheIsAHint(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		defer a.stop(t)
		ctx := context.Background()
		ann := &fakeClient{}
		ta, _ := a.m.Create(ctx, ann, "Ann", settings(1, game.DefaultOptions()))
		do(t, ta, ann, 1, Action{Op: OpAddCPU})
		do(t, ta, ann, 2, gameCmd(game.CmdStartGame))
		id := ann.welcome().GameID
		h.mu.Lock()
		stale := h.cache[id]
		h.mu.Unlock()
		u := ann.last()
		do(t, ta, ann, 3, Action{Op: OpGame, Cmd: u.View.Moves(nil)[0]})
		tests := []struct {
			name  string
			cache func(hubState) hubState
			from  string
		}{
			{"fresh", func(s hubState) hubState { return s }, "from=cache"},
			{"behind", func(hubState) hubState { return stale }, "from=cache"},
			{"another history", func(s hubState) hubState {
				d := bytes.Replace(s.data, []byte(`"last":"`), []byte(`"last":"0`), 1)
				return hubState{s.seq, d}
			}, "from=store"},
			{"ahead of the log", func(s hubState) hubState { return hubState{s.seq + 5, s.data} }, "from=store"},
		}
		for i, tc := range tests {
			h.mu.Lock()
			saved := h.cache[id]
			h.cache[id] = tc.cache(saved)
			h.mu.Unlock()
			c := newInstance(t, st, h, fmt.Sprint("c", i), nil)
			tc2, err := c.m.Lookup(ctx, ta.RoomCode())
			if err != nil {
				t.Fatal(err)
			}
			w := &fakeClient{}
			tc2.Watch(ctx, w)
			synctest.Wait()
			log := st.events(id)
			checkViews(t, tc.name, w, game.Spectator, log)
			if w.last().Seq != int64(len(log)) {
				t.Errorf("%s: opened at seq %d, log %d", tc.name, w.last().Seq, len(log))
			}
			if !strings.Contains(c.logs.String(), tc.from) {
				t.Errorf("%s: want %s in the log:\n%s", tc.name, tc.from, c.logs)
			}
			c.stop(t)
			h.mu.Lock()
			h.cache[id] = saved
			h.mu.Unlock()
		}
	})
}
