package live

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"golf/game"
)

func TestJoinAsOneSeatPerUser(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newTestManager(t, newMemStore(), nil)
		defer closeManager(t, m)
		ctx := context.Background()
		const ann, bob = "0b7e6a9e-1111-4d2c-9f00-000000000001", "0b7e6a9e-1111-4d2c-9f00-000000000002"
		host, tab2, other := &fakeClient{}, &fakeClient{}, &fakeClient{}
		tb, err := m.CreateAs(ctx, host, ann, "Ann", settings(1, game.DefaultOptions()))
		if err != nil {
			t.Fatal(err)
		}
		if err := tb.JoinAs(ctx, other, bob, "Bob"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if w := other.welcome(); w.PlayerID != bob || w.Seat != 1 {
			t.Fatalf("bob's welcome %+v", w)
		}
		// Ann again, from a second tab: her seat, not a new one.
		if err := tb.JoinAs(ctx, tab2, ann, "Ann again"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if w := tab2.welcome(); w.PlayerID != ann || w.Seat != 0 {
			t.Fatalf("second tab's welcome %+v", w)
		}
		if u := tab2.last(); len(u.View.Seats) != 2 {
			t.Errorf("%d seats after a second join, want 2", len(u.View.Seats))
		}
		if holder, err := tb.SeatHolder(ctx, tab2.welcome().Token); err != nil || holder != ann {
			t.Errorf("SeatHolder: %q, %v", holder, err)
		}
		if _, err := tb.SeatHolder(ctx, "not a token"); !errors.Is(err, ErrBadToken) {
			t.Errorf("SeatHolder of a bad token: %v", err)
		}
		// Kicked: gone for good, by id.
		do(t, tb, tab2, 1, Action{Op: OpRemove, Player: bob})
		synctest.Wait()
		if err := tb.JoinAs(ctx, &fakeClient{}, bob, "Bob"); !errors.Is(err, ErrKicked) {
			t.Errorf("kicked user joins again: %v", err)
		}
	})
}

func TestEndGameThroughAReplica(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		h := newHub(testTTL)
		a := newInstance(t, st, h, "a", nil)
		b := newInstance(t, st, h, "b", nil)
		defer b.stop(t)
		defer a.stop(t)
		_, _, ann, bob := twoHumansAcross(t, a, b)
		id := ann.welcome().GameID
		ctx := context.Background()
		// b does not write the game: it asks the writer, as the platform.
		if err := b.m.EndGame(ctx, id); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		evs := st.events(id)
		end, ok := evs[len(evs)-1].(game.GameEnded)
		if !ok || end.Reason != game.ReasonAbandoned {
			t.Fatalf("last event %#v", evs[len(evs)-1])
		}
		for _, c := range []*fakeClient{ann, bob} {
			if u := c.last(); u.View.Phase != game.PhaseGameOver {
				t.Errorf("a client sees %s", u.View.Phase)
			}
		}
		if err := a.m.EndGame(ctx, id); !errors.Is(err, ErrGameOver) {
			t.Errorf("ending it again: %v", err)
		}
	})
}
