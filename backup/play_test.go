package backup

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golf/game"
	"golf/store"
	"golf/store/audit"
	"golf/store/storetest"
)

// -backup.games=100000 runs TestBackupTiming with that many games.
var timingGames = flag.Int("backup.games", 0, "games TestBackupTiming generates (0: skip it)")

// templates are whole games played once with random legal moves; the
// writers store copies of them under new ids.
var templates = sync.OnceValues(func() ([][][]game.Event, error) {
	r := rand.New(rand.NewPCG(13, 13))
	var out [][][]game.Event
	for i := range 8 {
		g, err := storetest.Play(r, 2+i%3, 1+i%2, game.Options{})
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
})

func gameTemplates(t testing.TB) [][][]game.Event {
	t.Helper()
	g, err := templates()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// play appends games to st from several goroutines, command by command as
// a live server does, until stop is called; stop returns how many games
// were started. started counts games with at least one event.
func play(t *testing.T, st store.Store, workers int) (started *atomic.Int64, stop func()) {
	t.Helper()
	games := gameTemplates(t)
	ctx, cancel := context.WithCancel(context.Background())
	started = new(atomic.Int64)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ctx.Err() == nil; i += workers {
				id := store.NewGameID()
				var seq int64
				for j, group := range games[i%len(games)] {
					if err := st.Append(ctx, id, seq, group); err != nil {
						if ctx.Err() == nil {
							errs <- fmt.Errorf("append %s: %w", id, err)
						}
						return
					}
					if j == 0 {
						started.Add(1)
					}
					seq += int64(len(group))
				}
			}
		}()
	}
	return started, func() {
		cancel()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}

// waitFor waits until n games have been started.
func waitFor(t *testing.T, started *atomic.Int64, n int64) {
	t.Helper()
	for started.Load() < n {
		time.Sleep(5 * time.Millisecond)
	}
}

// generate stores n completed games, each in one Append, from 8 goroutines.
func generate(t testing.TB, st store.Store, n int) {
	t.Helper()
	generateFrom(t, st, n, gameTemplates(t))
}

func generateFrom(t testing.TB, st store.Store, n int, games [][][]game.Event) {
	t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || failed.Load() != nil {
					return
				}
				var evs []game.Event
				for _, g := range games[i%int64(len(games))] {
					evs = append(evs, g...)
				}
				if err := st.Append(context.Background(), store.NewGameID(), 0, evs); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		t.Fatal(err)
	}
}

// checkRestored audits the restored store, checks that it holds exactly
// what the backup counted, and that each of its games is a prefix of the
// same game in the source (the snapshot is one moment of every log).
func checkRestored(t *testing.T, restored, source store.Store, b Result) {
	t.Helper()
	ctx := context.Background()
	rep, err := audit.Run(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		t.Errorf("restored game %s: %s", f.GameID, f.Reason)
	}
	if int64(rep.Games) != b.Games || int64(rep.Events) != b.Events {
		t.Fatalf("restored %d games, %d events; the backup counted %d, %d", rep.Games, rep.Events, b.Games, b.Events)
	}
	ids, err := restored.GameIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	partial := 0
	for _, id := range ids {
		got, err := restored.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want, err := source.Load(ctx, id)
		if err != nil {
			t.Fatalf("game %s of the backup: %v", id, err)
		}
		if len(got) > len(want) {
			t.Fatalf("game %s: %d events restored, the source has %d", id, len(got), len(want))
		}
		if len(got) < len(want) {
			partial++
		}
		for i := range got {
			if !sameRecord(got[i], want[i]) {
				t.Fatalf("game %s event %d: restored %s, source %s", id, i+1, got[i].Data, want[i].Data)
			}
		}
	}
	t.Logf("backup: %d games (%d mid-play), %d events, %d bytes, %v", b.Games, partial, b.Events, b.Size, b.Took)
}

func sameRecord(a, b store.Record) bool {
	var x, y any
	if json.Unmarshal(a.Data, &x) != nil || json.Unmarshal(b.Data, &y) != nil {
		return false
	}
	return a.Seq == b.Seq && a.Type == b.Type && a.PlayerID == b.PlayerID &&
		a.At.Equal(b.At) && reflect.DeepEqual(x, y)
}

// checkMode checks a file is readable by its owner only.
func checkMode(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", path, st.Mode().Perm())
	}
}

func requireErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
}
