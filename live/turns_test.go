package live

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"golf/game"
)

// playTurn plays c's whole turn: a draw from the deck, swapped into the
// first face-down place (so rounds end).
func playTurn(t *testing.T, tb *Table, c *fakeClient) {
	t.Helper()
	playTurnAs(t, tb, c, true)
}

// idleTurn plays c's whole turn without turning a card up: a draw from
// the deck, discarded (so c never ends the round).
func idleTurn(t *testing.T, tb *Table, c *fakeClient) {
	t.Helper()
	playTurnAs(t, tb, c, false)
}

func playTurnAs(t *testing.T, tb *Table, c *fakeClient, reveal bool) {
	t.Helper()
	for range 5 {
		u := c.last()
		if u.View.Current != u.View.Seat {
			return
		}
		moves := u.View.Moves(nil)
		if len(moves) == 0 {
			t.Fatalf("no moves on %s's turn", u.View.Seats[u.View.Seat].Name)
		}
		move := moves[0]
		for _, mv := range moves {
			if reveal && mv.Kind == game.CmdSwap && !u.View.Seats[u.View.Seat].Cards[mv.Pos].Up {
				move = mv // the round ends
				break
			}
			if !reveal && mv.Kind == game.CmdDiscard {
				move = mv
				break
			}
		}
		do(t, tb, c, u.Seq, Action{Op: OpGame, Cmd: move})
	}
	t.Fatal("the turn did not end")
}

// waitTurn lets the clock run until it is seat's turn (CPU and stand-in
// delays are 1 s in these tests), at most limit.
func waitTurn(t *testing.T, c *fakeClient, seat int, limit time.Duration) {
	t.Helper()
	for start := time.Now(); time.Since(start) < limit; {
		if c.last().View.Current == seat {
			return
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
	}
	t.Fatalf("not seat %d's turn after %v (current %d)", seat, limit, c.last().View.Current)
}

func TestTurnTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		// Two humans and the default setting: 60 s a turn. Bob plays first.
		tb, ann, bob := twoHumans(t, m, opts)
		w := bob.welcome()
		gameID, seat := w.GameID, w.Seat
		// Bob's turns played: each ends in one swap or discard (a draw may be
		// put back and another drawn).
		drawn := func() int {
			evs := st.events(gameID)
			return countEvents(evs, "CardSwapped", w.PlayerID) + countEvents(evs, "CardDiscarded", w.PlayerID)
		}
		u := ann.last()
		if u.Room.TurnLimit != 60 || u.View.TurnTimer != 0 {
			t.Fatalf("turn limit %d s (setting %d), want 60 by default", u.Room.TurnLimit, u.View.TurnTimer)
		}
		if got, want := u.Room.Deadlines[seat], time.Now().Add(time.Minute).UnixMilli(); got != want {
			t.Fatalf("Bob's deadline %d, want %d (a minute from now)", got, want)
		}
		if u.Room.Deadlines[1-seat] != 0 {
			t.Fatal("Ann has a deadline while it is not her turn")
		}

		// Bob, connected, says nothing. A minute, and not a moment before,
		// the stand-in plays his turn; he is not away yet.
		time.Sleep(time.Minute - time.Millisecond)
		synctest.Wait()
		if drawn() != 0 {
			t.Fatal("Bob was played for before his time ran out")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if d := ann.last().Room.Deadlines; d != nil && d[seat] != 0 {
			t.Fatal("the countdown still shows once Bob's time ran out")
		}
		waitTurn(t, ann, 1-seat, 10*time.Second)
		if drawn() != 1 || countEvents(st.events(gameID), "AutoplayChanged", "") != 0 {
			t.Fatalf("after one timeout: %d turns by Bob, autoplay events %d; want 1 and none", drawn(), countEvents(st.events(gameID), "AutoplayChanged", ""))
		}
		if a := ann.last().Room.Away; a != nil && a[seat] {
			t.Fatal("Bob is away after one timeout")
		}

		// Ann plays; Bob is silent again: twice in a row, he is away.
		idleTurn(t, tb, ann)
		at := time.Now()
		for _, c := range []*fakeClient{ann, bob} {
			if d := c.last().Room.Deadlines; d == nil || d[seat] != at.Add(time.Minute).UnixMilli() {
				t.Fatalf("Bob's second deadline %v, want a minute from his turn", d)
			}
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		for _, c := range []*fakeClient{ann, bob} {
			u := c.last()
			if a := u.Room.Away; a == nil || !a[seat] || !u.View.Seats[seat].Auto {
				t.Fatalf("after two timeouts %s sees away %v, auto %v; want both", u.View.Seats[u.View.Seat].Name, a, u.View.Seats[seat].Auto)
			}
		}
		// Away, he is played for at the stand-in's pace (1 s here), not the timer's.
		waitTurn(t, ann, 1-seat, 10*time.Second)
		idleTurn(t, tb, ann)
		before := drawn()
		waitTurn(t, ann, 1-seat, 10*time.Second)
		if drawn() != before+1 {
			t.Fatalf("Bob's away turn: %d turns, want %d", drawn(), before+1)
		}

		// He is back: the platform stops, his next turn is his, on the clock.
		do(t, tb, bob, 50, Action{Op: OpBack})
		u = ann.last()
		if (u.Room.Away != nil && u.Room.Away[seat]) || u.View.Seats[seat].Auto {
			t.Fatal("Bob still away after he said he is back")
		}
		idleTurn(t, tb, ann)
		if d := bob.last().Room.Deadlines; d == nil || d[seat] == 0 {
			t.Fatal("no deadline on Bob's turn after he came back")
		}
		idleTurn(t, tb, bob)
		// One more timeout is only one: acting broke the run.
		idleTurn(t, tb, ann)
		time.Sleep(time.Minute)
		synctest.Wait()
		waitTurn(t, ann, 1-seat, 10*time.Second)
		if a := ann.last().Room.Away; a != nil && a[seat] {
			t.Fatal("Bob away after one timeout following a move of his own")
		}
		if rj := bob.rejects(); len(rj) != 0 {
			t.Fatalf("Bob's moves rejected: %v", rj[0].Err)
		}
	})
}

func TestTurnTimerSetting(t *testing.T) {
	for _, tc := range []struct {
		setting, humans, want int
	}{
		{0, 1, 0}, {0, 2, 60}, {game.TurnTimerOff, 2, 0}, {30, 2, 30}, {120, 1, 120},
	} {
		synctest.Test(t, func(t *testing.T) {
			m := newTestManager(t, newMemStore(), nil)
			defer closeManager(t, m)
			ctx := context.Background()
			ann := &fakeClient{}
			s := settings(1, game.DefaultOptions())
			s.TurnTimer = tc.setting
			tb, err := m.Create(ctx, ann, "Ann", s)
			if err != nil {
				t.Fatal(err)
			}
			if tc.humans == 2 {
				if err := tb.Join(ctx, &fakeClient{}, "Bob"); err != nil {
					t.Fatal(err)
				}
			} else {
				do(t, tb, ann, 0, Action{Op: OpAddCPU})
			}
			do(t, tb, ann, 1, gameCmd(game.CmdStartGame))
			u := ann.last()
			if u.Room.TurnLimit != tc.want {
				t.Errorf("setting %d with %d humans: limit %d s, want %d", tc.setting, tc.humans, u.Room.TurnLimit, tc.want)
			}
			// The initial flips are on the clock too (or not).
			has := u.Room.Deadlines != nil && u.Room.Deadlines[0] != 0
			if has != (tc.want != 0) {
				t.Errorf("setting %d with %d humans: deadline on the initial flip %v", tc.setting, tc.humans, u.Room.Deadlines)
			}
			// Without a timer a silent player waits for ever (an hour here).
			if tc.want == 0 {
				time.Sleep(time.Hour)
				synctest.Wait()
				if !ann.last().View.Seats[0].Flipped && ann.last().View.Seats[0].Auto {
					t.Error("played for without a timer")
				}
			}
		})
	}
}

// playRound plays both humans' turns until the round is over.
func playRound(t *testing.T, tb *Table, cs ...*fakeClient) {
	t.Helper()
	for range 500 {
		if p := cs[0].last().View.Phase; p == game.PhaseRoundOver || p == game.PhaseGameOver {
			return
		}
		for _, c := range cs {
			playTurn(t, tb, c)
		}
	}
	t.Fatal("the round did not end")
}

func TestReadyAndHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newTestManager(t, newMemStore(), func(c *Config) { c.RoundCountdown = 8 * time.Second })
		defer closeManager(t, m)
		ctx := context.Background()
		ann, bob := &fakeClient{}, &fakeClient{}
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, err := m.Create(ctx, ann, "Ann", settings(3, opts))
		if err != nil {
			t.Fatal(err)
		}
		if err := tb.Join(ctx, bob, "Bob"); err != nil {
			t.Fatal(err)
		}
		do(t, tb, ann, 1, gameCmd(game.CmdStartGame))
		a, b := ann.welcome().Seat, bob.welcome().Seat

		// Hole 1: both say ready, and the next hole is dealt at once.
		playRound(t, tb, bob, ann)
		u := ann.last()
		if u.View.Phase != game.PhaseRoundOver || u.Room.NextRoundAt != time.Now().Add(8*time.Second).UnixMilli() {
			t.Fatalf("phase %s, next round at %d", u.View.Phase, u.Room.NextRoundAt)
		}
		do(t, tb, ann, 2, Action{Op: OpReady})
		if u := bob.last(); u.View.Phase != game.PhaseRoundOver || !u.Room.Ready[a] || u.Room.Ready[b] {
			t.Fatalf("after Ann's ready: phase %s, ready %v", u.View.Phase, u.Room.Ready)
		}
		do(t, tb, bob, 3, Action{Op: OpReady})
		if u := bob.last(); u.View.Phase == game.PhaseRoundOver || u.View.Round != 2 {
			t.Fatalf("both ready: phase %s round %d, want hole 2 dealt", u.View.Phase, u.View.Round)
		}

		// Hole 2: Bob holds the sheet; the countdown does not deal it.
		playRound(t, tb, bob, ann)
		end := time.Now()
		do(t, tb, bob, 4, Action{Op: OpHold})
		if u := ann.last(); !u.Room.Held || u.Room.NextRoundAt != end.Add(30*time.Second).UnixMilli() {
			t.Fatalf("after a hold: held %v, next at %+d ms", u.Room.Held, u.Room.NextRoundAt-end.UnixMilli())
		}
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if ann.last().View.Phase != game.PhaseRoundOver {
			t.Fatal("dealt at the countdown despite the hold")
		}
		// Holding again and again never keeps it past two minutes.
		for range 20 {
			do(t, tb, bob, 5, Action{Op: OpHold})
			if ann.last().View.Phase != game.PhaseRoundOver {
				break
			}
			time.Sleep(10 * time.Second)
			synctest.Wait()
		}
		if u := ann.last(); u.View.Round != 3 || u.View.Phase == game.PhaseRoundOver {
			t.Fatalf("round %d phase %s: holds kept the table waiting", u.View.Round, u.View.Phase)
		}
		if since := time.Since(end); since > holdMax+10*time.Second || since < holdMax {
			t.Fatalf("dealt %v after the hole, want about %v", since, holdMax)
		}
	})
}

func TestHostReplacesAPlayerMidGame(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, ann, bob := twoHumans(t, m, opts)
		w := bob.welcome()
		do(t, tb, ann, 9, Action{Op: OpRemove, Player: w.PlayerID})
		if rj := ann.rejects(); len(rj) != 0 {
			t.Fatalf("the host's remove refused: %v", rj[0].Err)
		}
		var bye *Bye
		for _, msg := range bob.all() {
			if b, ok := msg.(*Bye); ok {
				bye = b
			}
		}
		if bye == nil || bye.Reason != ByeKicked {
			t.Fatalf("Bob got %+v, want a kicked bye", bye)
		}
		u := ann.last()
		if !u.View.Seats[w.Seat].Auto || u.Room.Replaced == nil || !u.Room.Replaced[w.Seat] || u.View.Seats[w.Seat].Left {
			t.Fatalf("Bob's seat: auto %v, replaced %v, left %v; want a CPU playing it", u.View.Seats[w.Seat].Auto, u.Room.Replaced, u.View.Seats[w.Seat].Left)
		}
		if u.Room.TurnLimit != 0 {
			t.Errorf("Ann alone with the CPU on Bob's seat has a %d s turn timer, want none (the default)", u.Room.TurnLimit)
		}
		// The CPU plays his turns; he cannot come back.
		waitTurn(t, ann, ann.welcome().Seat, 10*time.Second)
		if countEvents(st.events(w.GameID), "CardDrawn", w.PlayerID) == 0 {
			t.Fatal("nobody played Bob's turn")
		}
		if err := tb.Resume(context.Background(), &fakeClient{}, w.Token); err != ErrKicked {
			t.Fatalf("resume of a replaced seat: %v, want kicked", err)
		}
		// The game goes on to its end.
		final := playUntilOver(t, tb, ann)
		if final.View.Result == nil || final.View.Result.Reason != game.ReasonCompleted {
			t.Fatalf("game ended %+v", final.View.Result)
		}
	})
}

// TestTurnTimerSurvivesAWriterChange: the timer runs on whichever
// instance writes the game; a replica's clients see the countdown, and the
// count of timeouts in a row goes over to the new writer.
func TestTurnTimerSurvivesAWriterChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		b := newInstance(t, st, h, "b", nil)
		defer b.stop(t)
		ta, tb, ann, bob := twoHumansAcross(t, a, b)
		seat := bob.welcome().Seat
		if d := bob.last().Room.Deadlines; d == nil || d[seat] != time.Now().Add(time.Minute).UnixMilli() {
			t.Fatalf("Bob, on the replica, sees deadlines %v", d)
		}
		// Bob is silent: a, the writer, plays for him.
		time.Sleep(time.Minute)
		synctest.Wait()
		waitTurn(t, ann, 1-seat, 10*time.Second)
		playTurn(t, ta, ann)
		if u := bob.last(); u.View.Current != seat || u.Room.timeouts == nil || u.Room.timeouts[seat] != 1 {
			t.Fatalf("current %d, timeouts %v", u.View.Current, u.Room.timeouts)
		}
		// a stops; b writes now, and keeps the time.
		a.stop(t)
		synctest.Wait()
		if role(t, tb) != "writer" {
			t.Fatal("b did not take over")
		}
		if d := bob.last().Room.Deadlines; d == nil || d[seat] != time.Now().Add(time.Minute).UnixMilli() {
			t.Fatalf("after the takeover Bob's deadline is %v, want a minute from now", d)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if u := bob.last(); u.Room.Away == nil || !u.Room.Away[seat] || !u.View.Seats[seat].Auto {
			t.Fatalf("Bob's second timeout in a row, on the new writer: away %v auto %v", u.Room.Away, u.View.Seats[seat].Auto)
		}
	})
}

// TestReplacedSurvivesARestart: the removal is in the log, so a table
// rebuilt from the store keeps the player out and the CPU on the seat.
func TestReplacedSurvivesARestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, ann, bob := twoHumans(t, m, opts)
		w := bob.welcome()
		do(t, tb, ann, 9, Action{Op: OpRemove, Player: w.PlayerID})
		code := tb.RoomCode()
		closeManager(t, m)

		m2 := newTestManager(t, st, nil)
		defer closeManager(t, m2)
		if n, err := m2.Recover(context.Background()); err != nil || n != 1 {
			t.Fatalf("recovered %d games: %v", n, err)
		}
		tb2, err := m2.Lookup(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		if err := tb2.Resume(context.Background(), &fakeClient{}, w.Token); err != ErrKicked {
			t.Fatalf("the removed player resumes after a restart: %v, want kicked", err)
		}
		back := &fakeClient{}
		if err := tb2.Resume(context.Background(), back, ann.welcome().Token); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if u := back.last(); u.Room.Replaced == nil || !u.Room.Replaced[w.Seat] || !u.View.Seats[w.Seat].Auto {
			t.Fatalf("after a restart Bob's seat: replaced %v, auto %v", u.Room.Replaced, u.View.Seats[w.Seat].Auto)
		}
	})
}

// TestTurnTimerAfterAReconnect: a player whose connection dropped during
// their turn has, back, the limit from when they went.
func TestTurnTimerAfterAReconnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newTestManager(t, newMemStore(), nil)
		defer closeManager(t, m)
		opts := game.DefaultOptions()
		opts.InitialFlips = 0
		tb, ann, bob := twoHumans(t, m, opts)
		seat := bob.welcome().Seat
		time.Sleep(50 * time.Second)
		tb.Detach(bob)
		synctest.Wait()
		gone := time.Now()
		time.Sleep(5 * time.Second)
		back := &fakeClient{}
		if err := tb.Resume(context.Background(), back, bob.welcome().Token); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if d := ann.last().Room.Deadlines; d == nil || d[seat] != gone.Add(time.Minute).UnixMilli() {
			t.Fatalf("Bob's deadline after coming back: %v, want a minute from when he went (%d)", d, gone.Add(time.Minute).UnixMilli())
		}
	})
}
