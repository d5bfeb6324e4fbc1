package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"golf/ai"
	"golf/game"
	"golf/live"
	"golf/store"
	"golf/store/sqlite"
	"golf/web"
)

// endings is a store that counts the games that end in it.
type endings struct {
	store.Store
	ended atomic.Int64
	next  chan struct{} // gets a value (if nobody waits, it is dropped) at every end
}

func (s *endings) Append(ctx context.Context, gameID string, expected int64, events []game.Event) error {
	err := s.Store.Append(ctx, gameID, expected, events)
	if err == nil && slices.ContainsFunc(events, func(e game.Event) bool { _, ok := e.(game.GameEnded); return ok }) {
		s.ended.Add(1)
		select {
		case s.next <- struct{}{}:
		default:
		}
	}
	return err
}

type bots struct{}

func (bots) New(profile string) (ai.Player, error) { return ai.New(profile) }
func (bots) Roster() []ai.Profile                  { return ai.Lineup() }
func (bots) Standin() ai.Player                    { return ai.Standin() }

// server runs a whole server in-process over st (CPUs without thinking
// delays) and returns its URL.
func server(t *testing.T, st store.Store) string {
	lc := live.DefaultConfig()
	lc.Store, lc.Bots = st, bots{}
	lc.Secret = []byte("loadtest-test-secret-loadtest-test-secret")
	lc.RoundCountdown = 10 * time.Millisecond
	lc.CPUDelayScale = 0
	tables, err := live.New(lc)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.DefaultConfig(), web.Deps{Live: tables})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.Close(context.Background())
		ts.Close()
	})
	return ts.URL
}

// TestRun plays rooms of each shape against a whole server in-process
// until two games have ended there, then stops: every move the bots sent
// was acknowledged and measured, nothing was refused or dropped, and the
// server's process (this one) was measured.
func TestRun(t *testing.T) {
	t.Parallel()
	for _, shape := range []struct{ players, humans, cpus, want int }{{8, 0, 0, 4}, {4, 2, 2, 2}} {
		t.Run(fmt.Sprintf("%d+%d", shape.humans, shape.cpus), func(t *testing.T) {
			t.Parallel()
			sq, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "golf.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer sq.Close()
			st := &endings{Store: sq, next: make(chan struct{}, 1)}
			url := server(t, st)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() {
				for st.ended.Load() < 2 {
					select {
					case <-st.next:
					case <-time.After(100 * time.Millisecond): // an end signalled before we waited
					case <-ctx.Done():
						return
					}
				}
				cancel()
			}()
			c := Config{URL: url, Players: shape.players, Humans: shape.humans, CPUs: shape.cpus,
				Think: time.Millisecond, Rounds: 1, Duration: time.Hour, ServerPID: os.Getpid()}
			r, err := Run(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if r.Errors != 0 || r.Drops != 0 || r.FirstErr != "" {
				t.Errorf("%d errors (first %q), %d drops", r.Errors, r.FirstErr, r.Drops)
			}
			humans := shape.want // 0 bots per room means 4
			if r.Peak != int64(shape.players) || r.Rooms != shape.players/humans || r.Humans != humans || r.CPUs != shape.cpus {
				t.Errorf("peak %d, %d rooms of %d+%d; want %d, %d of %d+%d", r.Peak, r.Rooms, r.Humans, r.CPUs,
					shape.players, shape.players/humans, humans, shape.cpus)
			}
			if r.Moves == 0 || int64(len(r.Latencies)) != r.Moves || !slices.IsSorted(r.Latencies) {
				t.Errorf("%d moves, %d latencies (sorted: %v)", r.Moves, len(r.Latencies), slices.IsSorted(r.Latencies))
			}
			if r.Percentile(0.5) <= 0 || r.Percentile(0.5) > r.Percentile(1) {
				t.Errorf("p50 %v, max %v", r.Percentile(0.5), r.Percentile(1))
			}
			if r.Frames < r.Moves || r.Bytes < 100*r.Frames {
				t.Errorf("%d frames of %d bytes for %d moves", r.Frames, r.Bytes, r.Moves)
			}
			if s := r.Server; s == nil || s.Err != "" || s.RSS <= 0 || s.RSSMax < s.RSS || s.CPU < 0 {
				t.Errorf("server usage %+v", s)
			}
			var out bytes.Buffer
			if err := r.JSON(&out, c); err != nil {
				t.Fatal(err)
			}
			var j jsonReport
			if err := json.Unmarshal(out.Bytes(), &j); err != nil {
				t.Fatalf("%v: %s", err, out.Bytes())
			}
			if j.Moves != r.Moves || j.Server == nil || j.Server.RSS != r.Server.RSS || j.Latency.Max < j.Latency.P50 || j.CPUs != shape.cpus {
				t.Errorf("JSON report %s does not match %+v", out.Bytes(), r)
			}
		})
	}
}

// TestConfigCheck: a load test that cannot seat its players refuses to start.
func TestConfigCheck(t *testing.T) {
	t.Parallel()
	good := Config{URL: "http://127.0.0.1:1", Players: 4, Rounds: 1, Duration: time.Second}
	if err := good.Check(); err != nil {
		t.Fatal(err)
	}
	for _, edit := range []func(*Config){
		func(c *Config) { c.Players = 6 },
		func(c *Config) { c.Players = 0 },
		func(c *Config) { c.Rounds = 19 },
		func(c *Config) { c.Duration = 0 },
		func(c *Config) { c.Humans, c.Players = 2, 5 },
		func(c *Config) { c.Humans, c.CPUs = 4, 3 },
		func(c *Config) { c.Humans, c.CPUs = 1, 0 },
		func(c *Config) { c.CPUs = -1 },
	} {
		c := good
		edit(&c)
		if _, err := Run(context.Background(), c); err == nil {
			t.Errorf("%+v was accepted", c)
		}
	}
	if _, err := Run(context.Background(), Config{Players: 4, Rounds: 1, Duration: time.Second}); err == nil {
		t.Error("a load test without a URL was accepted")
	}
}
