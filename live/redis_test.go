package live

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"golf/cluster"
	"golf/cluster/redistest"
	"golf/game"
	"golf/store/postgres"
	"golf/store/postgres/pgtest"
)

// Two instances on a real Redis and a real PostgreSQL (each with its own
// connections, as two processes would have).

type realInstance struct {
	m    *Manager
	r    *cluster.Redis
	st   *postgres.Store
	logs *logBuffer
}

func newRealInstance(t *testing.T, dbURL, redisURL, prefix, id string, ttl time.Duration, edit func(*Config)) *realInstance {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	r, err := cluster.Open(ctx, cluster.Config{URL: redisURL, Prefix: prefix, Instance: id, LeaseTTL: ttl, CacheTTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	cfg := DefaultConfig()
	cfg.Store, cfg.Bots, cfg.Secret = st, testBots{}, testSecret
	cfg.Directory, cfg.Leases, cfg.Bus, cfg.Cache, cfg.Listing = r, r, r, r, r
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	cfg.CPUDelayScale = 0
	if edit != nil {
		edit(&cfg)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	in := &realInstance{m: m, r: r, st: st, logs: logs}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		m.Close(ctx)
		r.Close()
		st.Close()
		if t.Failed() {
			t.Logf("--- log of %s ---\n%s", id, logs)
		}
	})
	return in
}

// waitFor polls cond until it holds, failing the test once a generous
// deadline has passed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 30s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lastUpdate waits for c's update that satisfies ok.
func lastUpdate(t *testing.T, c *fakeClient, what string, ok func(*Update) bool) *Update {
	t.Helper()
	var u *Update
	waitFor(t, what, func() bool { u = c.last(); return u != nil && ok(u) })
	return u
}

// TestSplitBrain gives a game two writers: instance a, which still
// believes its lease valid, and b, which took the lease after it was lost
// (as after a pause longer than the TTL). Each appends on the same
// history: one append fails on the store's fence, the history does not
// fork, and the loser stops writing — it is a replica of b from then on.
func TestSplitBrain(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	db := pgtest.URL(t)
	ctx := context.Background()
	a := newRealInstance(t, db, url, prefix, "a", 30*time.Second, nil)
	b := newRealInstance(t, db, url, prefix, "b", 30*time.Second, nil)
	ann, bob := &fakeClient{}, &fakeClient{}
	opts := game.DefaultOptions()
	opts.InitialFlips = 0
	ta, err := a.m.Create(ctx, ann, "Ann", settings(1, opts))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.m.Lookup(ctx, ta.RoomCode())
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Join(ctx, bob, "Bob"); err != nil {
		t.Fatal(err)
	}
	if err := ta.Do(ctx, ann, 1, gameCmd(game.CmdStartGame)); err != nil {
		t.Fatal(err)
	}
	start := lastUpdate(t, bob, "start on b", func(u *Update) bool { return u.View.Phase == game.PhasePlaying })
	id := ann.welcome().GameID
	if start.View.Current != 1 {
		t.Fatalf("seat %d plays first, want Bob", start.View.Current)
	}

	// a loses its lease without knowing it, and hears nothing of b's.
	if err := a.r.Client().Del(ctx, prefix+"lease:"+id).Err(); err != nil {
		t.Fatal(err)
	}
	if err := a.r.Unsubscribe(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := a.r.Publish(ctx, id, []byte(`{"k":"released","g":"`+id+`","i":"test"}`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b takes the lease", func() bool { return role(t, tb) == "writer" })
	if role(t, ta) != "writer" {
		t.Fatal("a knows already")
	}

	// b writes: Bob draws there.
	if err := tb.Do(ctx, bob, 2, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)}); err != nil {
		t.Fatal(err)
	}
	drawn := lastUpdate(t, bob, "Bob's draw on b", func(u *Update) bool { return u.Ack == 2 })
	// Bob takes his seat on a, which has not seen the draw, and draws
	// again: a appends on the history it knows and hits the fence.
	bob2 := &fakeClient{}
	if err := ta.Resume(ctx, bob2, bob.welcome().Token); err != nil {
		t.Fatal(err)
	}
	if u := lastUpdate(t, bob2, "Bob's view on a", func(*Update) bool { return true }); u.Seq != start.Seq || u.View.Held != nil {
		t.Fatalf("a is not behind: seq %d, held %v", u.Seq, u.View.Held)
	}
	if err := ta.Do(ctx, bob2, 3, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a's append refused", func() bool { return len(bob2.rejects()) == 1 })
	if rj := bob2.rejects()[0]; rj.ID != 3 || !errors.Is(rj.Err, ErrUnavailable) {
		t.Fatalf("a answered %v", rj.Err)
	}
	waitFor(t, "a demoted", func() bool { return role(t, ta) == "replica" })
	for _, want := range []string{"append refused: another instance wrote this game", "lost the lease: now a replica"} {
		if !strings.Contains(a.logs.String(), want) {
			t.Fatalf("a's log lacks %q", want)
		}
	}
	// a caught up: Bob, on a, sees the card he drew on b.
	if u := bob2.last(); u.Seq != drawn.Seq || u.View.Held == nil || u.View.Held.Card != drawn.View.Held.Card {
		t.Fatalf("a after the conflict: seq %d held %v; b: seq %d held %v", u.Seq, u.View.Held, drawn.Seq, drawn.View.Held)
	}
	// From now on a forwards: Bob's swap on a is b's to write.
	if err := a.r.Subscribe(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := ta.Do(ctx, bob2, 4, Action{Op: OpGame, Cmd: game.SwapCmd("", 0)}); err != nil {
		t.Fatal(err)
	}
	lastUpdate(t, bob2, "Bob's swap through a", func(u *Update) bool { return u.Ack == 4 })
	recs, err := a.st.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := storeRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if r.Seq != int64(i+1) {
			t.Fatalf("record %d has sequence number %d", i+1, r.Seq)
		}
	}
	if _, err := game.Fold(evs); err != nil {
		t.Fatalf("the log forked: %v", err)
	}
	if n := countEvents(evs, "CardDrawn", bob.welcome().PlayerID); n != 1 {
		t.Fatalf("%d draws by Bob in the log, want 1 (b's)", n)
	}
	if n := strings.Count(a.logs.String(), "append refused"); n != 1 {
		t.Fatalf("a tried to write %d more times after losing", n-1)
	}
}

// TestForwardingOverRedis forwards a command to the writer and relays its
// answer; when the writer is gone without a word (its Redis connection
// cut), the command is answered unavailable after ForwardTimeout and the
// store is untouched.
func TestForwardingOverRedis(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	db := pgtest.URL(t)
	ctx := context.Background()
	a := newRealInstance(t, db, url, prefix, "a", 30*time.Second, nil)
	b := newRealInstance(t, db, url, prefix, "b", 30*time.Second, func(c *Config) { c.ForwardTimeout = 300 * time.Millisecond })
	ann, bob := &fakeClient{}, &fakeClient{}
	opts := game.DefaultOptions()
	opts.InitialFlips = 0
	ta, _ := a.m.Create(ctx, ann, "Ann", settings(1, opts))
	tb, _ := b.m.Lookup(ctx, ta.RoomCode())
	if err := tb.Join(ctx, bob, "Bob"); err != nil {
		t.Fatal(err)
	}
	// A command the rules refuse comes back as the writer's typed error.
	tb.Do(ctx, bob, 1, gameCmd(game.CmdStartGame))
	waitFor(t, "Bob's rejection", func() bool { return len(bob.rejects()) == 1 })
	if rj := bob.rejects()[0]; rj.ID != 1 || game.CodeOf(rj.Err) != game.CodeNotHost {
		t.Fatalf("Bob got %v", rj.Err)
	}
	ta.Do(ctx, ann, 1, gameCmd(game.CmdStartGame))
	lastUpdate(t, bob, "start", func(u *Update) bool { return u.View.Phase == game.PhasePlaying })
	tb.Do(ctx, bob, 2, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
	u := lastUpdate(t, bob, "Bob's draw", func(u *Update) bool { return u.Ack == 2 })
	id := ann.welcome().GameID
	// a's Redis connection goes: it hears nothing more.
	a.r.Close()
	tb.Do(ctx, bob, 3, Action{Op: OpGame, Cmd: game.DiscardCmd("")})
	waitFor(t, "the timeout", func() bool { return len(bob.rejects()) == 2 })
	if rj := bob.rejects()[1]; rj.ID != 3 || !errors.Is(rj.Err, ErrUnavailable) {
		t.Fatalf("Bob got %v, want unavailable", rj.Err)
	}
	recs, err := b.st.LoadAfter(ctx, id, 0)
	if err != nil || int64(len(recs)) != u.Seq {
		t.Fatalf("log has %d events (%v), want %d: the unanswered command changed it", len(recs), err, u.Seq)
	}
}

// TestGapRepairOverRedis loses a batch on its way to a replica (its
// subscription is dropped meanwhile): the next batch shows the gap and the
// replica reads the missing events from the store.
func TestGapRepairOverRedis(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	db := pgtest.URL(t)
	ctx := context.Background()
	a := newRealInstance(t, db, url, prefix, "a", 30*time.Second, nil)
	b := newRealInstance(t, db, url, prefix, "b", 30*time.Second, nil)
	ann, bob := &fakeClient{}, &fakeClient{}
	opts := game.DefaultOptions()
	opts.InitialFlips = 0
	ta, _ := a.m.Create(ctx, ann, "Ann", settings(1, opts))
	tb, _ := b.m.Lookup(ctx, ta.RoomCode())
	if err := tb.Join(ctx, bob, "Bob"); err != nil {
		t.Fatal(err)
	}
	ta.Do(ctx, ann, 1, gameCmd(game.CmdStartGame))
	start := lastUpdate(t, bob, "start", func(u *Update) bool { return u.View.Phase == game.PhasePlaying })
	id := ann.welcome().GameID
	// Bob plays first: his draw and swap, forwarded; then Ann's turn.
	tb.Do(ctx, bob, 2, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
	lastUpdate(t, bob, "draw", func(u *Update) bool { return u.Ack == 2 })
	if err := b.r.Unsubscribe(ctx, id); err != nil {
		t.Fatal(err)
	}
	tb.Do(ctx, bob, 3, Action{Op: OpGame, Cmd: game.SwapCmd("", 0)})
	// The answer came, its batch did not: b reads the store to acknowledge.
	lastUpdate(t, bob, "swap acknowledged without its batch", func(u *Update) bool { return u.Ack == 3 })
	// Ann draws while b hears nothing of it.
	ta.Do(ctx, ann, 2, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
	held := lastUpdate(t, ann, "Ann's draw", func(u *Update) bool { return u.Ack == 2 })
	if err := b.r.Subscribe(ctx, id); err != nil {
		t.Fatal(err)
	}
	if bob.last().Seq == held.Seq {
		t.Fatal("b received a batch it was not subscribed to")
	}
	// Ann's discard is the first batch b hears: it starts past b's state.
	ta.Do(ctx, ann, 3, Action{Op: OpGame, Cmd: game.DiscardCmd("")})
	after := lastUpdate(t, ann, "Ann's discard", func(u *Update) bool { return u.Ack == 3 })
	u := lastUpdate(t, bob, "b repaired", func(u *Update) bool { return u.Seq == after.Seq })
	if u.Seq <= start.Seq+2 || u.View.Current != 1 {
		t.Fatalf("b at seq %d, current %d", u.Seq, u.View.Current)
	}
	if !strings.Contains(b.logs.String(), "caught up with the log") {
		t.Fatal("b's log does not say it read the store")
	}
	recs, err := b.st.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := storeRecords(recs)
	checkViews(t, "Bob on b", bob, 1, evs)
}
