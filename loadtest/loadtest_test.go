package loadtest

import (
	"context"
	"net/http/httptest"
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

// TestRun plays two rooms against a whole server in-process until two
// games have ended there, then stops: every move the bots sent was
// acknowledged and measured, and nothing was refused or dropped.
func TestRun(t *testing.T) {
	t.Parallel()
	sq, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	st := &endings{Store: sq, next: make(chan struct{}, 1)}
	lc := live.DefaultConfig()
	lc.Store, lc.Bots = st, bots{}
	lc.Secret = []byte("loadtest-test-secret-loadtest-test-secret")
	lc.RoundCountdown = 10 * time.Millisecond
	tables, err := live.New(lc)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.DefaultConfig(), web.Deps{Live: tables})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close(context.Background())

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
	r, err := Run(ctx, Config{URL: ts.URL, Players: 8, Think: time.Millisecond, Rounds: 1, Duration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != 0 || r.Drops != 0 || r.FirstErr != "" {
		t.Errorf("%d errors (first %q), %d drops", r.Errors, r.FirstErr, r.Drops)
	}
	if r.Peak != 8 || r.Rooms != 2 {
		t.Errorf("peak %d, rooms %d; want 8 and 2", r.Peak, r.Rooms)
	}
	if r.Moves == 0 || int64(len(r.Latencies)) != r.Moves || !slices.IsSorted(r.Latencies) {
		t.Errorf("%d moves, %d latencies (sorted: %v)", r.Moves, len(r.Latencies), slices.IsSorted(r.Latencies))
	}
	if r.Percentile(0.5) <= 0 || r.Percentile(0.5) > r.Percentile(1) {
		t.Errorf("p50 %v, max %v", r.Percentile(0.5), r.Percentile(1))
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
