package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"golf/game"
	"golf/store"
)

// TwoWriters races two stores open on the same database (two server
// processes, as during a lease hand-over) for the same games: for every
// sequence number exactly one Append wins, and neither log forks or has a
// gap. Each round also writes unrelated games, so a conflict shares its
// transaction with Appends that must still succeed.
func TwoWriters(t *testing.T, a, b store.Store) {
	ctx := context.Background()
	const games, rounds = 4, 15
	ids := make([]string, games)
	for i := range ids {
		ids[i] = store.NewGameID()
	}
	stores := []store.Store{a, b}
	for r := range rounds {
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([][2]error, games)
		for g := range games {
			for w := range 2 {
				wg.Go(func() {
					<-start
					// Different lengths, so the loser's insert can overlap
					// the winner's rows only partly.
					evs := []game.Event{joined(fmt.Sprintf("w%d-r%d", w, r))}
					if w == 1 {
						evs = append(evs, joined(fmt.Sprintf("w%d-r%d-b", w, r)), joined(fmt.Sprintf("w%d-r%d-c", w, r)))
					}
					n, err := length(ctx, stores[w], ids[g])
					if err == nil {
						err = stores[w].Append(ctx, ids[g], n, evs)
					}
					errs[g][w] = err
				})
			}
			wg.Go(func() {
				<-start
				if err := stores[g%2].Append(ctx, store.NewGameID(), 0, []game.Event{joined("bystander")}); err != nil {
					t.Errorf("bystander append: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		for g := range games {
			wins := 0
			for w, err := range errs[g] {
				switch {
				case err == nil:
					wins++
				case !errors.Is(err, store.ErrConflict):
					t.Fatalf("round %d, game %d, writer %d: %v", r, g, w, err)
				}
			}
			if wins == 0 {
				t.Fatalf("round %d, game %d: both writers lost", r, g)
			}
		}
	}
	for g, id := range ids {
		recs, err := a.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			if r.Seq != int64(i+1) {
				t.Fatalf("game %d: record %d has sequence number %d", g, i+1, r.Seq)
			}
		}
		// Each Append is whole: writer 1's three events are never split.
		for i := 0; i < len(recs); {
			e, err := recs[i].Event()
			if err != nil {
				t.Fatal(err)
			}
			p := e.(game.PlayerJoined).PlayerID
			if p[1] == '1' {
				if i+2 >= len(recs) {
					t.Fatalf("game %d: writer 1's append at %d is cut short", g, i+1)
				}
				for k, suffix := range []string{"-b", "-c"} {
					e2, _ := recs[i+1+k].Event()
					if got := e2.(game.PlayerJoined).PlayerID; got != p+suffix {
						t.Fatalf("game %d: event %d is %s, want %s: appends interleaved", g, i+2+k, got, p+suffix)
					}
				}
				i += 3
			} else {
				i++
			}
		}
	}
}

func length(ctx context.Context, s store.Store, id string) (int64, error) {
	recs, err := s.Load(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return int64(len(recs)), err
}
