package live

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golf/ai"
	"golf/game"
)

// testBots seats random players with a fixed thinking delay, under the
// profiles bot1…bot8.
type testBots struct{ delay time.Duration }

func (b testBots) New(profile string) (ai.Player, error) {
	for _, p := range b.Roster() {
		if p.ID == profile {
			return delayed{b.delay}, nil
		}
	}
	return nil, fmt.Errorf("no profile %q", profile)
}

func (testBots) Roster() []ai.Profile {
	var out []ai.Profile
	for i := 1; i <= 8; i++ {
		out = append(out, ai.Profile{ID: fmt.Sprintf("bot%d", i), Name: fmt.Sprintf("Bot %d", i)})
	}
	return out
}

func (b testBots) Standin() ai.Player { return delayed{b.delay} }

// delayed plays random legal moves after a fixed delay.
type delayed struct{ d time.Duration }

func (p delayed) Decide(v *game.View, r *rand.Rand) ai.Decision {
	d := ai.Random{}.Decide(v, r)
	d.Delay = p.d
	return d
}

// fakeClient records what a table delivers.
type fakeClient struct {
	mu   sync.Mutex
	msgs []Message
}

func (c *fakeClient) Deliver(m Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, m)
}

func (c *fakeClient) all() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Message(nil), c.msgs...)
}

func (c *fakeClient) last() *Update {
	msgs := c.all()
	for i := len(msgs) - 1; i >= 0; i-- {
		if u, ok := msgs[i].(*Update); ok {
			return u
		}
	}
	return nil
}

func (c *fakeClient) welcome() *Welcome {
	for _, m := range c.all() {
		if w, ok := m.(*Welcome); ok {
			return w
		}
	}
	return nil
}

func (c *fakeClient) rejects() []*Reject {
	var out []*Reject
	for _, m := range c.all() {
		if r, ok := m.(*Reject); ok {
			out = append(out, r)
		}
	}
	return out
}

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func newTestManager(t *testing.T, st *memStore, edit func(*Config)) *Manager {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Store, cfg.Bots, cfg.Secret = st, testBots{delay: time.Second}, testSecret
	if edit != nil {
		edit(&cfg)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func closeManager(t *testing.T, m *Manager) {
	t.Helper()
	if err := m.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func settings(rounds int, opts game.Options) game.Settings {
	s := game.DefaultSettings()
	s.Rounds, s.Options = rounds, opts
	return s
}

func gameCmd(k game.Kind) Action { return Action{Op: OpGame, Cmd: game.Command{Kind: k}} }

// do sends an action and waits until the table is idle again.
func do(t *testing.T, tb *Table, c Client, id int64, a Action) {
	t.Helper()
	if err := tb.Do(context.Background(), c, id, a); err != nil {
		t.Fatal(err)
	}
	synctest.Wait()
}

// countEvents counts the stored events of a type, by player ("" for any).
func countEvents(evs []game.Event, typ, player string) int {
	n := 0
	for _, e := range evs {
		if e.Type() == typ && (player == "" || e.Actor() == player) {
			n++
		}
	}
	return n
}

// playUntilOver plays the humans' moves (random legal ones, from their
// views) while CPUs and timers do the rest, until the game is over.
func playUntilOver(t *testing.T, tb *Table, humans ...*fakeClient) *Update {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	acted := make([]int64, len(humans))
	for range 200000 {
		synctest.Wait()
		moved := false
		for i, h := range humans {
			u := h.last()
			if u.View.Phase == game.PhaseGameOver {
				return u
			}
			if u.Seq <= acted[i] {
				continue
			}
			if moves := u.View.Moves(nil); len(moves) > 0 {
				acted[i] = u.Seq
				do(t, tb, h, u.Seq, Action{Op: OpGame, Cmd: moves[r.IntN(len(moves))]})
				moved = true
			}
		}
		if !moved {
			time.Sleep(100 * time.Millisecond)
		}
	}
	t.Fatal("game did not end")
	return nil
}

func TestGameWithCPUsPlaysToTheEnd(t *testing.T) {
	for _, preset := range []string{"standard", "speed_golf", "endgame_flip", "everything"} {
		t.Run(preset, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				st := newMemStore()
				m := newTestManager(t, st, nil)
				defer closeManager(t, m)
				ctx := context.Background()
				host := &fakeClient{}
				opts, _ := game.Preset(preset)
				opts.FlipAsAction, opts.KnockEarly = true, true
				tb, err := m.Create(ctx, host, "Ann", settings(3, opts))
				if err != nil {
					t.Fatal(err)
				}
				for range 3 {
					do(t, tb, host, 0, Action{Op: OpAddCPU})
				}
				do(t, tb, host, 7, gameCmd(game.CmdStartGame))
				if n := len(host.last().View.Seats); n != 4 {
					t.Fatalf("%d seats, want 4", n)
				}
				final := playUntilOver(t, tb, host)
				if final.View.Result == nil || final.View.Result.Reason != game.ReasonCompleted {
					t.Fatalf("game ended %+v, want completed", final.View.Result)
				}
				// Replay equivalence: the stored log folds to the state the table showed.
				folded, err := game.Fold(st.events(host.welcome().GameID))
				if err != nil {
					t.Fatal(err)
				}
				if got := folded.View(0); fmt.Sprint(got.Result) != fmt.Sprint(final.View.Result) || int64(len(st.events(host.welcome().GameID))) != final.Seq {
					t.Errorf("folded log differs from the live table")
				}
				if rj := host.rejects(); len(rj) != 0 {
					t.Errorf("legal moves rejected: %v", rj[0].Err)
				}
			})
		})
	}
}

func TestCPUWaitsItsDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, func(c *Config) { c.Bots = testBots{delay: 1500 * time.Millisecond} })
		defer closeManager(t, m)
		host := &fakeClient{}
		tb, _ := m.Create(context.Background(), host, "Ann", settings(1, game.DefaultOptions()))
		do(t, tb, host, 0, Action{Op: OpAddCPU, Profile: "bot3"})
		do(t, tb, host, 0, gameCmd(game.CmdStartGame))
		id := host.welcome().GameID
		time.Sleep(1499 * time.Millisecond)
		synctest.Wait()
		if n := countEvents(st.events(id), "InitialCardsFlipped", "cpu_bot3"); n != 0 {
			t.Fatalf("CPU flipped before its delay")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if n := countEvents(st.events(id), "InitialCardsFlipped", "cpu_bot3"); n != 1 {
			t.Fatalf("CPU did not flip when its delay ran out")
		}
	})
}

// twoHumans starts a game of Ann (host, seat 0) and Bob (seat 1, who plays first).
func twoHumans(t *testing.T, m *Manager, opts game.Options) (tb *Table, ann, bob *fakeClient) {
	t.Helper()
	ctx := context.Background()
	ann, bob = &fakeClient{}, &fakeClient{}
	tb, err := m.Create(ctx, ann, "Ann", settings(2, opts))
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Join(ctx, bob, "Bob"); err != nil {
		t.Fatal(err)
	}
	do(t, tb, ann, 1, gameCmd(game.CmdStartGame))
	return tb, ann, bob
}

func TestGraceTakeoverAndHandBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, func(c *Config) { c.Grace = 30 * time.Second })
		defer closeManager(t, m)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, _, bob := twoHumans(t, m, opts)
		w := bob.welcome()
		if cur := bob.last().View.Current; cur != w.Seat {
			t.Fatalf("current %d, want Bob's seat %d", cur, w.Seat)
		}
		tb.Detach(bob)
		time.Sleep(30*time.Second - time.Millisecond)
		synctest.Wait()
		if n := countEvents(st.events(w.GameID), "AutoplayChanged", ""); n != 0 {
			t.Fatal("the platform took over before the grace period ended")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		evs := st.events(w.GameID)
		if n := countEvents(evs, "AutoplayChanged", ""); n != 1 {
			t.Fatalf("%d autoplay events when the grace period ended, want 1", n)
		}
		if e := evs[len(evs)-2].(game.AutoplayChanged); e.PlayerID != w.PlayerID || !e.On {
			t.Fatalf("autoplay event %#v, want on for Bob", e)
		}
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if n := countEvents(st.events(w.GameID), "CardDrawn", w.PlayerID); n == 0 {
			t.Fatal("the stand-in did not play Bob's turn")
		}
		// Bob comes back: same seat, and the platform hands it back at once.
		back := &fakeClient{}
		if err := tb.Resume(context.Background(), back, w.Token); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := back.welcome(); got.Seat != w.Seat || got.PlayerID != w.PlayerID {
			t.Fatalf("resumed as %+v, want seat %d", got, w.Seat)
		}
		evs = st.events(w.GameID)
		if e, ok := evs[len(evs)-1].(game.AutoplayChanged); !ok || e.On {
			t.Fatalf("last event %#v, want autoplay off", evs[len(evs)-1])
		}
		if back.last().View.Seats[w.Seat].Auto {
			t.Fatal("view still shows the seat on autoplay")
		}
	})
}

func TestResumeMidTurnKeepsHeldCard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, ann, bob := twoHumans(t, m, opts)
		do(t, tb, bob, 2, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		held := bob.last().View.Held
		if held == nil || held.Card.IsZero() {
			t.Fatalf("Bob holds %+v", held)
		}
		if other := ann.last().View.Held; other == nil || !other.Card.IsZero() {
			t.Fatalf("Ann sees Bob's deck draw: %+v", other)
		}
		tb.Detach(bob)
		time.Sleep(10 * time.Second)
		back := &fakeClient{}
		if err := tb.Resume(context.Background(), back, bob.welcome().Token); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := back.last().View.Held; got == nil || got.Card != held.Card {
			t.Fatalf("after resume Bob holds %+v, want %v", got, held.Card)
		}
		if err := tb.Resume(context.Background(), &fakeClient{}, "not-a-token"); !errors.Is(err, ErrBadToken) {
			t.Fatalf("bad token: %v", err)
		}
	})
}

func TestIllegalMovesChangeNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, ann, bob := twoHumans(t, m, opts)
		id := ann.welcome().GameID
		before := len(st.events(id))
		watcher := &fakeClient{}
		tb.Watch(context.Background(), watcher)
		tests := []struct {
			who  *fakeClient
			a    Action
			code string
		}{
			{ann, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)}, "not_your_turn"},
			{bob, gameCmd(game.CmdDiscard), "not_holding"},
			{bob, Action{Op: OpGame, Cmd: game.SwapCmd("", 9)}, "not_holding"},
			{bob, gameCmd(game.CmdKnock), "rule_disabled"},
			{ann, gameCmd(game.CmdStartGame), "wrong_phase"},
			{watcher, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)}, "not_a_player"},
			{bob, gameCmd(game.CmdAutoplay), "bad_request"},
			{bob, gameCmd(game.CmdNextRound), "not_host"},
			{ann, Action{Op: OpAddCPU}, "wrong_phase"},
			{bob, Action{Op: OpRemove, Player: ann.welcome().PlayerID}, "not_host"},
			{ann, Action{Op: OpRemove, Player: ann.welcome().PlayerID}, "bad_request"},
			{ann, Action{Op: OpReady}, "wrong_phase"},
			{bob, Action{Op: OpHold}, "wrong_phase"},
			{watcher, Action{Op: OpReady}, "not_a_player"},
			{watcher, Action{Op: OpBack}, "not_a_player"},
			{ann, Action{Op: OpRematch}, "wrong_phase"},
		}
		for i, tc := range tests {
			do(t, tb, tc.who, int64(100+i), tc.a)
			rj := tc.who.rejects()
			if len(rj) == 0 {
				t.Fatalf("%d: no rejection", i)
			}
			last := rj[len(rj)-1]
			if code, _, _ := ErrorCode(last.Err); code != tc.code || last.ID != int64(100+i) {
				t.Errorf("%d: got %s (id %d), want %s", i, code, last.ID, tc.code)
			}
		}
		if after := len(st.events(id)); after != before {
			t.Fatalf("rejected commands appended %d events", after-before)
		}
	})
}

func TestStoreFailureRepliesUnavailable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, _, bob := twoHumans(t, m, opts)
		seq := bob.last().Seq
		st.fail = errors.New("disk on fire")
		do(t, tb, bob, 5, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		if rj := bob.rejects(); len(rj) != 1 || !errors.Is(rj[0].Err, ErrUnavailable) {
			t.Fatalf("rejects %v, want unavailable", rj)
		}
		if u := bob.last(); u.Seq != seq || u.View.Held != nil {
			t.Fatal("a failed append changed the table")
		}
		do(t, tb, bob, 6, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		if u := bob.last(); u.Seq != seq+1 || u.Ack != 6 {
			t.Fatalf("retry: seq %d ack %d", u.Seq, u.Ack)
		}
		// A commit that reports failure but was stored is found and applied.
		st.failAfter = errors.New("connection lost during commit")
		do(t, tb, bob, 7, Action{Op: OpGame, Cmd: game.SwapCmd("", 0)})
		if u := bob.last(); u.Seq != seq+2 || u.Ack != 7 || len(bob.rejects()) != 1 {
			t.Fatalf("stored-after-all: seq %d ack %d, %d rejects", u.Seq, u.Ack, len(bob.rejects()))
		}
	})
}

func TestConflictFencesTheTable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, ann, bob := twoHumans(t, m, opts)
		id := ann.welcome().GameID
		st.steal(id)
		n := len(st.logs[id])
		do(t, tb, bob, 5, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		do(t, tb, bob, 6, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		// Nothing more is written, even by the table's own timers.
		time.Sleep(time.Hour)
		synctest.Wait()
		if len(st.logs[id]) != n {
			t.Fatal("a fenced table appended")
		}
		if rj := bob.rejects(); len(rj) != 2 || !errors.Is(rj[1].Err, ErrUnavailable) {
			t.Fatalf("rejects %v", rj)
		}
	})
}

func TestRoundCountdownAndIdleEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, func(c *Config) {
			c.RoundCountdown, c.IdleTimeout, c.RoomTTL = 8*time.Second, 2*time.Minute, 10*time.Minute
			c.Grace, c.CPUDelayScale = time.Second, 0.1
		})
		defer closeManager(t, m)
		ctx := context.Background()
		host := &fakeClient{}
		tb, _ := m.Create(ctx, host, "Ann", settings(18, game.DefaultOptions()))
		do(t, tb, host, 0, Action{Op: OpAddCPU})
		do(t, tb, host, 0, gameCmd(game.CmdStartGame))
		id := host.welcome().GameID
		// The host leaves; the stand-in plays for them until the game has been
		// without a connected human for IdleTimeout.
		tb.Detach(host)
		synctest.Wait()
		idleFrom := time.Now()
		var roundOver *Update
		watcher := &fakeClient{}
		tb.Watch(ctx, watcher)
		for range 1000 {
			time.Sleep(100 * time.Millisecond)
			synctest.Wait()
			if u := watcher.last(); u.View.Phase == game.PhaseRoundOver {
				roundOver = u
				break
			}
		}
		if roundOver == nil {
			t.Fatal("no round ended")
		}
		at := time.UnixMilli(roundOver.Room.NextRoundAt)
		time.Sleep(time.Until(at) - time.Millisecond)
		synctest.Wait()
		if watcher.last().View.Phase != game.PhaseRoundOver {
			t.Fatal("next round dealt before the countdown ended")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if p := watcher.last().View.Phase; p == game.PhaseRoundOver {
			t.Fatal("next round not dealt when the countdown ended")
		}
		time.Sleep(time.Until(idleFrom.Add(2*time.Minute)) - time.Millisecond)
		synctest.Wait()
		if watcher.last().View.Phase == game.PhaseGameOver {
			t.Fatal("game ended before the idle timeout")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		evs := st.events(id)
		if e, ok := evs[len(evs)-1].(game.GameEnded); !ok || e.Reason != game.ReasonAbandoned || e.PlayerID != game.Platform {
			t.Fatalf("last event %#v, want abandoned by the platform", evs[len(evs)-1])
		}
		tb.Detach(watcher)
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		if _, err := m.Lookup(context.Background(), tb.RoomCode()); !errors.Is(err, ErrRoomNotFound) {
			t.Fatalf("room still open after its TTL: %v", err)
		}
	})
}

func TestRecoverAfterRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, _, bob := twoHumans(t, m, opts)
		do(t, tb, bob, 2, Action{Op: OpGame, Cmd: game.DrawCmd("", game.SourceDeck)})
		held := bob.last().View.Held.Card
		code := tb.RoomCode()
		closeManager(t, m)

		m2 := newTestManager(t, st, nil)
		defer closeManager(t, m2)
		n, err := m2.Recover(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("recovered %d games: %v", n, err)
		}
		tb2, err := m2.Lookup(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		back := &fakeClient{}
		if err := tb2.Resume(context.Background(), back, bob.welcome().Token); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := back.last().View.Held; got == nil || got.Card != held {
			t.Fatalf("after restart Bob holds %+v, want %v", got, held)
		}
	})
}

func TestKickAndRematch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, func(c *Config) { c.CPUDelayScale = 0 })
		defer closeManager(t, m)
		ctx := context.Background()
		ann, bob, cal := &fakeClient{}, &fakeClient{}, &fakeClient{}
		tb, _ := m.Create(ctx, ann, "Ann", settings(1, game.DefaultOptions()))
		tb.Join(ctx, bob, "Bob")
		tb.Join(ctx, cal, "Cal")
		do(t, tb, ann, 0, Action{Op: OpAddCPU, Profile: "bot2"})
		// Only the host kicks; Cal is kicked and cannot come back.
		do(t, tb, bob, 3, Action{Op: OpRemove, Player: cal.welcome().PlayerID})
		if rj := bob.rejects(); len(rj) != 1 || game.CodeOf(rj[0].Err) != game.CodeNotHost {
			t.Fatalf("Bob kicked: %v", rj)
		}
		do(t, tb, ann, 4, Action{Op: OpRemove, Player: cal.welcome().PlayerID})
		if msgs := cal.all(); msgs[len(msgs)-1].(*Bye).Reason != ByeKicked {
			t.Fatalf("Cal got %#v", msgs[len(msgs)-1])
		}
		if err := tb.Resume(ctx, &fakeClient{}, cal.welcome().Token); !errors.Is(err, ErrKicked) {
			t.Fatalf("kicked player resumed: %v", err)
		}
		do(t, tb, ann, 5, gameCmd(game.CmdStartGame))
		playUntilOver(t, tb, ann, bob)
		do(t, tb, bob, 6, Action{Op: OpRematch})
		if rj := bob.rejects(); game.CodeOf(rj[len(rj)-1].Err) != game.CodeNotHost {
			t.Fatalf("Bob started a rematch: %v", rj[len(rj)-1].Err)
		}
		do(t, tb, ann, 7, Action{Op: OpRematch})
		var mv *Moved
		for _, msg := range bob.all() {
			if x, ok := msg.(*Moved); ok {
				mv = x
			}
		}
		if mv == nil || mv.Room == tb.RoomCode() || mv.Token == "" {
			t.Fatalf("Bob was not moved: %+v", mv)
		}
		nt, err := m.Lookup(ctx, mv.Room)
		if err != nil {
			t.Fatal(err)
		}
		bob2 := &fakeClient{}
		if err := nt.Resume(ctx, bob2, mv.Token); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		v := bob2.last().View
		if v.Phase != game.PhaseWaiting || len(v.Seats) != 3 || v.Seats[0].Name != "Ann" || !v.Seats[2].CPU || v.Rounds != 1 {
			t.Fatalf("rematch lobby %+v", v)
		}
		if tb.Info().Rematch != mv.Room {
			t.Fatalf("old room does not point to the rematch")
		}
	})
}

// lineupBots is testBots with a lineup like the server's: two
// personalities, then a profile marked Expert.
type lineupBots struct{ testBots }

func (lineupBots) Roster() []ai.Profile {
	return []ai.Profile{
		{ID: "bot1", Name: "Bot 1"},
		{ID: "bot2", Name: "Bot 2"},
		{ID: "ace", Name: "Ace", Expert: true},
	}
}

func (b lineupBots) New(profile string) (ai.Player, error) {
	for _, p := range b.Roster() {
		if p.ID == profile {
			return delayed{b.delay}, nil
		}
	}
	return nil, fmt.Errorf("no profile %q", profile)
}

// TestAddCPUSeatsTheExpertOnlyByName: the host seats a profile marked
// Expert by naming it; a random pick deals personalities only, and once
// they are all seated it is refused as if the roster were used up, even
// with the expert free.
func TestAddCPUSeatsTheExpertOnlyByName(t *testing.T) {
	type step struct {
		profile string
		seated  []string // the CPU profiles seated afterwards, in seat order ("?" for any personality)
		code    string   // the rejection, if any
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"named", []step{
			{"ace", []string{"ace"}, ""},
			{"bot2", []string{"ace", "bot2"}, ""},
		}},
		{"random skips the expert", []step{
			{"", []string{"?"}, ""},
			{"", []string{"?", "?"}, ""},
			{"", []string{"?", "?"}, "already_seated"},
			{"ace", []string{"?", "?", "ace"}, ""},
		}},
		{"named expert seated: a free personality", []step{
			{"ace", []string{"ace"}, ""},
			{"ace", []string{"ace", "?"}, ""},
			{"ace", []string{"ace", "?", "?"}, ""},
			{"ace", []string{"ace", "?", "?"}, "already_seated"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newTestManager(t, newMemStore(), func(c *Config) { c.Bots = lineupBots{} })
				defer closeManager(t, m)
				host := &fakeClient{}
				tb, err := m.Create(context.Background(), host, "Ann", settings(1, game.DefaultOptions()))
				if err != nil {
					t.Fatal(err)
				}
				for i, s := range tc.steps {
					before := len(host.rejects())
					do(t, tb, host, int64(i+1), Action{Op: OpAddCPU, Profile: s.profile})
					code := ""
					if rj := host.rejects(); len(rj) > before {
						code, _, _ = ErrorCode(rj[len(rj)-1].Err)
					}
					if code != s.code {
						t.Fatalf("step %d (%q): rejection %q, want %q", i, s.profile, code, s.code)
					}
					var got []string
					for _, sv := range host.last().View.Seats[1:] {
						got = append(got, sv.Profile)
					}
					ok := len(got) == len(s.seated)
					for j := 0; ok && j < len(got); j++ {
						ok = got[j] == s.seated[j] || s.seated[j] == "?" && (got[j] == "bot1" || got[j] == "bot2")
						ok = ok && !slices.Contains(got[:j], got[j])
					}
					if !ok {
						t.Fatalf("step %d (%q): seated %v, want %v", i, s.profile, got, s.seated)
					}
				}
			})
		})
	}
}
