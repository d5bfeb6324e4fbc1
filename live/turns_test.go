package live

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"golf/game"
)

// playTurn plays c's whole turn with its first legal moves (draw from
// the deck, swap into the first place).
func playTurn(t *testing.T, tb *Table, c *fakeClient) {
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
		do(t, tb, c, u.Seq, Action{Op: OpGame, Cmd: moves[0]})
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
		drawn := func() int { return countEvents(st.events(gameID), "CardDrawn", w.PlayerID) }
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
			t.Fatalf("after one timeout: %d draws by Bob, autoplay events %d; want 1 and none", drawn(), countEvents(st.events(gameID), "AutoplayChanged", ""))
		}
		if a := ann.last().Room.Away; a != nil && a[seat] {
			t.Fatal("Bob is away after one timeout")
		}

		// Ann plays; Bob is silent again: twice in a row, he is away.
		playTurn(t, tb, ann)
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
		// Away, he is played for at the stand-in's pace, not the timer's.
		waitTurn(t, ann, 1-seat, 10*time.Second)
		playTurn(t, tb, ann)
		waitTurn(t, ann, 1-seat, 10*time.Second)
		if drawn() != 3 {
			t.Fatalf("%d draws by Bob, want 3 (the third by the platform)", drawn())
		}

		// He is back: the platform stops, his next turn is his, on the clock.
		do(t, tb, bob, 50, Action{Op: OpBack})
		u = ann.last()
		if (u.Room.Away != nil && u.Room.Away[seat]) || u.View.Seats[seat].Auto {
			t.Fatal("Bob still away after he said he is back")
		}
		playTurn(t, tb, ann)
		if d := bob.last().Room.Deadlines; d == nil || d[seat] == 0 {
			t.Fatal("no deadline on Bob's turn after he came back")
		}
		playTurn(t, tb, bob)
		// One more timeout is only one: acting broke the run.
		playTurn(t, tb, ann)
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
