package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golf/account"
	"golf/ai"
	"golf/client"
	"golf/game"
	"golf/live"
	"golf/replay"
	"golf/store"
	"golf/store/sqlite"
	"golf/web"
)

// bots seats quick players under the server's lineup of names and styles
// (ai.Lineup: the personalities, then the expert): the browser test is
// about the client, not about how well the CPUs play.
type bots struct{ delay time.Duration }

func (b bots) New(profile string) (ai.Player, error) {
	for _, p := range ai.Lineup() {
		if p.ID == profile {
			return quick{b.delay}, nil
		}
	}
	return nil, fmt.Errorf("no CPU profile %q", profile)
}

func (bots) Roster() []ai.Profile { return ai.Lineup() }

func (b bots) Standin() ai.Player { return quick{b.delay} }

// quick plays a legal move, preferring to swap into a face-down slot so a
// hole ends in a few turns; delay lets the page show "thinking…".
type quick struct{ delay time.Duration }

func (q quick) Decide(v *game.View, r *rand.Rand) ai.Decision {
	moves := v.Moves(nil)
	if len(moves) == 0 {
		return ai.Decision{}
	}
	me := v.Me()
	for _, m := range moves {
		if m.Kind == game.CmdSwap && !me.Cards[m.Pos].Up {
			return ai.Decision{Command: m, Delay: q.delay}
		}
	}
	return ai.Decision{Command: moves[r.IntN(len(moves))], Delay: q.delay}
}

// setup is what a test server is built from: the web front's limits and
// its tables' configuration.
type setup struct {
	web.Config
	Live live.Config
	// NoAccounts runs the server without accounts (as tests of the game
	// alone may); by default it has them, as golf serve does.
	NoAccounts bool
}

// serverConfig is the whole server's configuration on a fresh SQLite file
// (closed when the test ends), with the embedded client, edited by edit.
func serverConfig(t *testing.T, edit func(*setup)) setup {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "golf.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := setup{Config: web.DefaultConfig(), Live: live.DefaultConfig()}
	cfg.Client = client.FS
	cfg.Live.Store = st
	cfg.Live.Bots = bots{delay: 150 * time.Millisecond}
	cfg.Live.Secret = []byte("e2e-secret-e2e-secret-e2e-secret!")
	if edit != nil {
		edit(&cfg)
	}
	return cfg
}

// openServer builds a server and its tables from cfg; it is closed (and
// its tables with it) when the test ends (closing twice is harmless).
func openServer(t *testing.T, cfg setup) (*web.Server, *live.Manager) {
	t.Helper()
	tables, err := live.New(cfg.Live)
	if err != nil {
		t.Fatalf("new tables: %v", err)
	}
	deps := web.Deps{Live: tables}
	if !cfg.NoAccounts {
		deps.Accounts = testAccounts(t, cfg)
	}
	// Replays as golf serve has them: the table screen reads a game's
	// visibility (GET /api/games/{id}), and a 404 there is a console error.
	if rs, ok := cfg.Live.Store.(replay.Store); ok {
		deps.Replays = replay.New(rs, nil)
	}
	srv, err := web.New(cfg.Config, deps)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	t.Cleanup(func() { closeServer(t, srv) })
	return srv, tables
}

// testAccounts is the account service over the test's store, as golf serve
// runs it, with cheap hashes: the browser tests are about the client.
func testAccounts(t *testing.T, cfg setup) *account.Service {
	t.Helper()
	h, err := account.NewHasher(account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.New(cfg.Live.Store.(store.Accounts), account.Config{Hasher: h})
	if err != nil {
		t.Fatalf("accounts: %v", err)
	}
	return a
}

func closeServer(t *testing.T, srv *web.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Close(ctx); err != nil {
		t.Errorf("close server: %v", err)
	}
}

// newServer runs the whole server in-process (web over live over SQLite,
// with the embedded client), configured by edit.
func newServer(t *testing.T, edit func(*setup)) (*web.Server, *httptest.Server) {
	t.Helper()
	srv, _ := openServer(t, serverConfig(t, edit))
	return srv, startHTTP(t, srv, func() {})
}

// startHTTP serves h on a loopback port until the test ends, then runs stop.
func startHTTP(t *testing.T, h http.Handler, stop func()) *httptest.Server {
	ts := httptest.NewServer(h)
	t.Cleanup(func() {
		stop()
		ts.Close()
	})
	return ts
}
