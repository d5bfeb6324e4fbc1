package live

import (
	"context"
	"testing"
	"testing/synctest"

	"golf/game"
)

// viewSummary is what a table's summary says, worked out from its
// spectator view (as publishInfo once did): the reference publishInfo's
// cheaper reading of the state is checked against.
func viewSummary(t *Table) Summary {
	s := Summary{RoomCode: t.roomCode, Phase: t.st.Phase(), Seats: []SeatSummary{}, Rematch: t.rematch, writer: t.replica == nil}
	for _, sv := range t.st.View(game.Spectator).Seats {
		if !sv.Left {
			s.Seats = append(s.Seats, SeatSummary{Name: sv.Name, CPU: sv.CPU})
		}
	}
	if r := t.replica; r != nil {
		s.Spectators = r.everyone
	} else {
		s.Spectators = t.spectators()
	}
	return s
}

func checkInfo(t *testing.T, tb *Table, when string) {
	t.Helper()
	synctest.Wait()
	var want Summary
	if err := tb.call(context.Background(), func() error { want = viewSummary(tb); return nil }); err != nil {
		t.Fatal(err)
	}
	got := tb.Info()
	same := got.RoomCode == want.RoomCode && got.Phase == want.Phase && got.Rematch == want.Rematch &&
		got.Spectators == want.Spectators && got.writer == want.writer && len(got.Seats) == len(want.Seats)
	for i := 0; same && i < len(got.Seats); i++ {
		same = got.Seats[i] == want.Seats[i]
	}
	if !same {
		t.Fatalf("%s: Info() = %+v, the view says %+v", when, got, want)
	}
}

// TestInfoFollowsTheState: the summary a table publishes (lobby lists,
// Census) is made anew only when it changes; at every step it is what
// the table's view says.
func TestInfoFollowsTheState(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, func(c *Config) { c.CPUDelayScale = 0 })
		defer closeManager(t, m)
		ctx := context.Background()
		ann, bob, cal, spec := &fakeClient{}, &fakeClient{}, &fakeClient{}, &fakeClient{}
		tb, err := m.Create(ctx, ann, "Ann", settings(1, game.DefaultOptions()))
		if err != nil {
			t.Fatal(err)
		}
		checkInfo(t, tb, "created")
		if err := tb.Join(ctx, bob, "Bob"); err != nil {
			t.Fatal(err)
		}
		checkInfo(t, tb, "Bob joined")
		if err := tb.Join(ctx, cal, "Cal"); err != nil {
			t.Fatal(err)
		}
		do(t, tb, ann, 1, Action{Op: OpAddCPU, Profile: "bot2"})
		checkInfo(t, tb, "a CPU seated")
		do(t, tb, ann, 2, Action{Op: OpRemove, Player: cal.welcome().PlayerID})
		checkInfo(t, tb, "Cal kicked")
		if err := tb.Watch(ctx, spec); err != nil {
			t.Fatal(err)
		}
		checkInfo(t, tb, "a spectator")
		if n := tb.Info().Spectators; n != 1 {
			t.Fatalf("%d spectators", n)
		}
		do(t, tb, ann, 3, gameCmd(game.CmdStartGame))
		checkInfo(t, tb, "started")
		tb.Detach(spec)
		checkInfo(t, tb, "the spectator gone")
		playUntilOver(t, tb, ann, bob)
		checkInfo(t, tb, "over")
		do(t, tb, ann, 4, Action{Op: OpRematch})
		checkInfo(t, tb, "rematch")
		if tb.Info().Rematch == "" {
			t.Fatal("no rematch in the summary")
		}
	})
}
