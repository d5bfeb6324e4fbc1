// Package queuetest is the conformance suite every matchmaking.Queue
// passes: the in-memory one and the Redis one run the same tests.
package queuetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"golf/matchmaking"
)

// Run runs the suite; open returns a new, empty queue for each test.
func Run(t *testing.T, open func(t *testing.T) matchmaking.Queue) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ticket := func(p string, size int, after time.Duration) matchmaking.Ticket {
		return matchmaking.Ticket{Player: p, Name: "n" + p, Size: size, Since: t0.Add(after)}
	}
	players := func(gs []matchmaking.Group) [][]string {
		var out [][]string
		for _, g := range gs {
			var ps []string
			for _, p := range g.Players {
				ps = append(ps, p.Player)
			}
			out = append(out, append([]string{fmt.Sprint(g.Size)}, ps...))
		}
		return out
	}
	const wait = 10 * time.Second

	t.Run("FullTablesFirstInFirstOut", func(t *testing.T) {
		q := open(t)
		for i, p := range []string{"a", "b", "c", "d", "e"} {
			mustJoin(t, q, ticket(p, 2, time.Duration(i)*time.Second))
		}
		gs, err := q.Take(ctx, t0.Add(5*time.Second), wait)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{{"2", "a", "b"}, {"2", "c", "d"}}
		if got := players(gs); !reflect.DeepEqual(got, want) {
			t.Errorf("groups %v; want %v", got, want)
		}
		if gs[0].Players[0].Name != "na" {
			t.Errorf("ticket name %q lost", gs[0].Players[0].Name)
		}
		st, err := q.Poll(ctx, []string{"a", "e"})
		if err != nil {
			t.Fatal(err)
		}
		if st["a"].Waiting || !st["e"].Waiting {
			t.Errorf("after take: a waiting %v (want false), e waiting %v (want true)", st["a"].Waiting, st["e"].Waiting)
		}
	})

	t.Run("WaitRunsOutThenTopUp", func(t *testing.T) {
		q := open(t)
		mustJoin(t, q, ticket("a", 4, 0))
		mustJoin(t, q, ticket("b", 4, 3*time.Second))
		mustJoin(t, q, ticket("c", 3, 5*time.Second))
		gs, err := q.Take(ctx, t0.Add(wait-time.Millisecond), wait)
		if err != nil || len(gs) != 0 {
			t.Fatalf("before the wait: groups %v, err %v; want none", players(gs), err)
		}
		gs, err = q.Take(ctx, t0.Add(wait), wait)
		if err != nil {
			t.Fatal(err)
		}
		// a waited long enough: a and b go, topped up; c (size 3) has not.
		if got := players(gs); !reflect.DeepEqual(got, [][]string{{"4", "a", "b"}}) {
			t.Errorf("groups %v; want %v", got, [][]string{{"4", "a", "b"}})
		}
		gs, _ = q.Take(ctx, t0.Add(5*time.Second+wait), wait)
		if got := players(gs); !reflect.DeepEqual(got, [][]string{{"3", "c"}}) {
			t.Errorf("groups %v; want %v", got, [][]string{{"3", "c"}})
		}
	})

	t.Run("LeaveAndRejoin", func(t *testing.T) {
		q := open(t)
		mustJoin(t, q, ticket("a", 2, 0))
		ok, err := q.Leave(ctx, "a")
		if err != nil || !ok {
			t.Fatalf("leave: %v, %v; want true", ok, err)
		}
		if ok, _ := q.Leave(ctx, "a"); ok {
			t.Error("second leave: true, want false")
		}
		if ok, _ := q.Leave(ctx, "nobody"); ok {
			t.Error("leave of a player never queued: true")
		}
		mustJoin(t, q, ticket("b", 2, 0))
		// Joining again with another size moves the ticket.
		mustJoin(t, q, ticket("b", 3, time.Second))
		mustJoin(t, q, ticket("c", 2, 2*time.Second))
		gs, _ := q.Take(ctx, t0.Add(3*time.Second), wait)
		if len(gs) != 0 {
			t.Errorf("groups %v; want none (b moved to size 3)", players(gs))
		}
		mustJoin(t, q, ticket("d", 3, 2*time.Second))
		mustJoin(t, q, ticket("e", 3, 2*time.Second))
		gs, _ = q.Take(ctx, t0.Add(3*time.Second), wait)
		if got := players(gs); !reflect.DeepEqual(got, [][]string{{"3", "b", "d", "e"}}) {
			t.Errorf("groups %v; want %v", got, [][]string{{"3", "b", "d", "e"}})
		}
	})

	t.Run("BadSize", func(t *testing.T) {
		q := open(t)
		for _, size := range []int{0, 1, 7} {
			if err := q.Join(ctx, ticket("a", size, 0)); err == nil {
				t.Errorf("join with size %d: no error", size)
			}
		}
	})

	t.Run("SeatAndPoll", func(t *testing.T) {
		q := open(t)
		mustJoin(t, q, ticket("a", 2, 0))
		if _, err := q.Take(ctx, t0.Add(wait), wait); err != nil {
			t.Fatal(err)
		}
		if err := q.Seat(ctx, "a", matchmaking.Seat{Room: "KDRT", Token: "tok"}, time.Minute); err != nil {
			t.Fatal(err)
		}
		st, err := q.Poll(ctx, []string{"a", "b"})
		if err != nil {
			t.Fatal(err)
		}
		if st["a"].Seat == nil || *st["a"].Seat != (matchmaking.Seat{Room: "KDRT", Token: "tok"}) || st["a"].Waiting {
			t.Errorf("a: %+v; want seated at KDRT", st["a"])
		}
		if st["b"].Seat != nil || st["b"].Waiting {
			t.Errorf("b: %+v; want nothing", st["b"])
		}
		// Queueing again forgets the old seat.
		mustJoin(t, q, ticket("a", 2, wait))
		st, _ = q.Poll(ctx, []string{"a"})
		if st["a"].Seat != nil || !st["a"].Waiting {
			t.Errorf("a queued again: %+v; want waiting, no seat", st["a"])
		}
	})

	t.Run("ConcurrentTakesShareNothing", func(t *testing.T) {
		q := open(t)
		const n = 60
		for i := range n {
			mustJoin(t, q, ticket(fmt.Sprintf("p%02d", i), 2+i%5, time.Duration(i)*time.Millisecond))
		}
		var mu sync.Mutex
		var all []string
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				gs, err := q.Take(ctx, t0.Add(time.Hour), wait)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for _, g := range gs {
					if len(g.Players) > g.Size {
						t.Errorf("group of %d for size %d", len(g.Players), g.Size)
					}
					for _, p := range g.Players {
						all = append(all, p.Player)
					}
				}
			})
		}
		wg.Wait()
		sort.Strings(all)
		if len(all) != n || len(slices.Compact(slices.Clone(all))) != n {
			t.Errorf("took %d tickets (%d distinct); want each of %d once", len(all), len(slices.Compact(all)), n)
		}
	})
}

func mustJoin(t *testing.T, q matchmaking.Queue, tk matchmaking.Ticket) {
	t.Helper()
	if err := q.Join(context.Background(), tk); err != nil {
		t.Fatalf("join %s: %v", tk.Player, err)
	}
}
