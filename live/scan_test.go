package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"testing/synctest"

	"golf/game"
	"golf/store"
	"golf/store/storetest"
)

// TestRecoverInBatches restarts a lone instance over more active games
// than one batch of logs holds: every game is reopened at its log's end
// with the state its log folds to, the logs are read a batch per query,
// and a batch whose reading fails is read again game by game.
func TestRecoverInBatches(t *testing.T) {
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch fails %v", fail), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				st := newMemStore()
				games := 2*recoverBatch + 17
				ctx := context.Background()
				var ids []string
				for i := range games {
					r := rand.New(rand.NewPCG(uint64(i), 3))
					groups, err := storetest.Play(r, 2+i%3, 3, game.DefaultOptions())
					if err != nil {
						t.Fatal(err)
					}
					var evs []game.Event
					for _, g := range groups[:len(groups)*(20+r.IntN(70))/100] {
						evs = append(evs, g...)
					}
					created := evs[0].(game.GameCreated)
					created.RoomCode = fmt.Sprintf("%c%c%c%c", roomCodeAlphabet[i/8000%20], roomCodeAlphabet[i/400%20], roomCodeAlphabet[i/20%20], roomCodeAlphabet[i%20])
					evs[0] = created
					id := store.NewGameID()
					if err := st.Append(ctx, id, 0, evs); err != nil {
						t.Fatal(err)
					}
					ids = append(ids, id)
				}
				if fail {
					st.failLogs = errors.New("connection reset")
				}
				m := newTestManager(t, st, nil)
				defer closeManager(t, m)
				n, err := m.Recover(ctx)
				if err != nil || n != games {
					t.Fatalf("recovered %d of %d games: %v", n, games, err)
				}
				batches := (games + recoverBatch - 1) / recoverBatch
				wantLoads := 0
				if fail {
					// The failed batch's games but the one it read.
					wantLoads = recoverBatch - 1
				}
				if st.logLoads != batches || st.loads != wantLoads {
					t.Errorf("%d LoadLogs and %d Load calls, want %d and %d", st.logLoads, st.loads, batches, wantLoads)
				}
				for _, id := range ids {
					tb := m.local(id)
					if tb == nil {
						t.Fatalf("game %s not reopened", id)
					}
					want, err := game.Fold(st.events(id))
					if err != nil {
						t.Fatal(err)
					}
					wantSnap, _ := want.Snapshot()
					var seq int64
					var snap []byte
					if err := tb.call(ctx, func() error {
						seq = tb.seq
						snap, err = tb.st.Snapshot()
						return err
					}); err != nil {
						t.Fatal(err)
					}
					if seq != int64(len(st.events(id))) || !bytes.Equal(snap, wantSnap) {
						t.Fatalf("game %s reopened at %d (%d events stored), state equal to the fold: %v", id, seq, len(st.events(id)), bytes.Equal(snap, wantSnap))
					}
				}
			})
		})
	}
}
