package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/account"
	"golf/ai"
	"golf/game"
	"golf/live"
	"golf/store/sqlite"
	"golf/web/webtest"
)

// testBots seats random players (no delay) under profiles bot1…bot8, then
// "ace", marked Expert like the server's expert.
type testBots struct{}

func (testBots) New(profile string) (ai.Player, error) {
	if strings.HasPrefix(profile, "bot") || profile == "ace" {
		return ai.Random{}, nil
	}
	return nil, fmt.Errorf("no profile %q", profile)
}

func (testBots) Roster() []ai.Profile {
	var out []ai.Profile
	for i := 1; i <= 8; i++ {
		out = append(out, ai.Profile{ID: fmt.Sprintf("bot%d", i), Name: fmt.Sprintf("Bot %d", i), Style: "Random"})
	}
	return append(out, ai.Profile{ID: "ace", Name: "Ace", Style: "Counter", Expert: true})
}

func (testBots) Standin() ai.Player { return ai.Random{} }

type testServer struct {
	srv      *Server
	live     *live.Manager
	ts       *httptest.Server
	st       *sqlite.Store
	url      string
	accounts *account.Service // nil unless testSetup.Accounts
}

// testSetup is what newTestServer builds a server from: the server's
// limits and its tables' configuration.
type testSetup struct {
	Config
	Live live.Config
	// Accounts, if set, turns accounts on over the test's store.
	Accounts *account.Config
	// Deps holds further services; Live and Accounts are filled in.
	Deps Deps
	// beforeServer, if set, may add to the Deps what needs the tables.
	beforeServer func(*live.Manager, *Deps)
}

// newTestServer runs the whole server in-process on a fresh SQLite file.
func newTestServer(t *testing.T, edit func(*testSetup)) *testServer {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testSetup{Config: DefaultConfig(), Live: live.DefaultConfig()}
	cfg.Live.Store, cfg.Live.Bots = st, testBots{}
	cfg.Live.Secret = []byte("test-secret-test-secret-test-secret")
	cfg.Live.CPUDelayScale = 0
	cfg.Live.RoundCountdown = 20 * time.Millisecond
	cfg.Rate, cfg.Burst = 1000, 1000 // bots play fast; the flood test sets its own
	if edit != nil {
		edit(&cfg)
	}
	tables, err := live.New(cfg.Live)
	if err != nil {
		t.Fatal(err)
	}
	deps := cfg.Deps
	deps.Live = tables
	if cfg.Accounts != nil {
		if deps.Accounts, err = account.New(st, *cfg.Accounts); err != nil {
			t.Fatal(err)
		}
	}
	if cfg.beforeServer != nil {
		cfg.beforeServer(tables, &deps)
	}
	srv, err := New(cfg.Config, deps)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Close(ctx); err != nil { // closes tables
			t.Error(err)
		}
		ts.Close()
		st.Close()
	})
	return &testServer{srv: srv, live: tables, ts: ts, st: st, url: "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws",
		accounts: deps.Accounts}
}

// frame is any server frame, decoded loosely. A state frame is decoded
// complete, its kept members copied from the previous one (webtest.Feed).
type frame struct {
	raw     []byte            // complete
	wire    []byte            // as sent
	Type    string            `json:"type"`
	ID      int64             `json:"id"`
	Code    string            `json:"code"`
	Key     string            `json:"key"`
	RoomRaw json.RawMessage   `json:"room"`
	GameID  string            `json:"game_id"`
	Seat    int               `json:"seat"`
	Player  string            `json:"player_id"`
	Token   string            `json:"token"`
	Invite  string            `json:"invite_url"`
	Seq     int64             `json:"seq"`
	Ack     int64             `json:"ack"`
	View    *game.View        `json:"view"`
	Moves   []json.RawMessage `json:"moves"`
	Events  []json.RawMessage
}

// Raw returns the frame as the server sent it, for webtest.
func (f *frame) Raw() []byte { return f.raw }

func (f *frame) room() string { return webtest.RoomCode(f.RoomRaw) }

// client is a test WebSocket client that records every frame it receives.
type client struct {
	t      *testing.T
	conn   *websocket.Conn
	frames chan *frame
	mu     sync.Mutex
	all    []*frame
	closed chan struct{}
	status websocket.StatusCode
	nextID int64
	feed   webtest.Feed
}

func dial(t *testing.T, ts *testServer) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, ts.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(1 << 20)
	c := &client{t: t, conn: conn, frames: make(chan *frame, 4096), closed: make(chan struct{})}
	go c.readLoop()
	t.Cleanup(func() { conn.CloseNow() })
	return c
}

func (c *client) readLoop() {
	defer close(c.closed)
	for {
		_, b, err := c.conn.Read(context.Background())
		if err != nil {
			c.status = websocket.CloseStatus(err)
			close(c.frames)
			return
		}
		full, err := c.feed.Complete(b)
		if err != nil {
			c.t.Errorf("server sent %s: %v", b, err)
			full = b
		}
		f := &frame{raw: full, wire: b}
		if err := json.Unmarshal(full, f); err != nil {
			c.t.Errorf("server sent bad JSON %s: %v", b, err)
		}
		c.mu.Lock()
		c.all = append(c.all, f)
		c.mu.Unlock()
		c.frames <- f
	}
}

func (c *client) send(v map[string]any) int64 {
	c.t.Helper()
	c.nextID++
	if _, ok := v["v"]; !ok {
		v["v"] = 1
	}
	if _, ok := v["id"]; !ok {
		v["id"] = c.nextID
	}
	b, _ := json.Marshal(v)
	c.sendRaw(b)
	return c.nextID
}

func (c *client) sendRaw(b []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Logf("write: %v", err)
	}
}

// next returns the next frame of a type, skipping others, or fails.
func (c *client) next(typ string) *frame {
	c.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case f, ok := <-c.frames:
			if !ok {
				c.t.Fatalf("connection closed (%v) while waiting for %s", c.status, typ)
			}
			if f.Type == typ {
				return f
			}
		case <-timeout:
			c.t.Fatalf("no %s frame", typ)
		}
	}
}

// until returns the first state frame that satisfies ok.
func (c *client) until(ok func(*frame) bool) *frame {
	c.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case f, open := <-c.frames:
			if !open {
				c.t.Fatalf("connection closed (%v)", c.status)
			}
			if f.Type == "state" && ok(f) {
				return f
			}
		case <-timeout:
			c.t.Fatal("state never came")
		}
	}
}

// closedWith waits for the server to close the connection.
func (c *client) closedWith() websocket.StatusCode {
	c.t.Helper()
	for {
		select {
		case _, ok := <-c.frames:
			if !ok {
				return c.status
			}
		case <-time.After(10 * time.Second):
			c.t.Fatal("connection not closed")
		}
	}
}

func (c *client) received() []*frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*frame(nil), c.all...)
}

// player is a connected seat that plays random legal moves from its view.
type player struct {
	*client
	welcome *frame
	rng     *rand.Rand
}

func create(t *testing.T, ts *testServer, name string, settings any) *player {
	c := dial(t, ts)
	msg := map[string]any{"type": "create", "name": name}
	if settings != nil {
		msg["settings"] = settings
	}
	c.send(msg)
	return &player{client: c, welcome: c.next("welcome"), rng: rand.New(rand.NewPCG(uint64(len(name)), 7))}
}

func join(t *testing.T, ts *testServer, room, name string) *player {
	c := dial(t, ts)
	c.send(map[string]any{"type": "join", "room": room, "name": name})
	return &player{client: c, welcome: c.next("welcome"), rng: rand.New(rand.NewPCG(uint64(len(name)), 9))}
}

// moveFrame writes a legal command as the frame that sends it.
// wireMove turns one entry of a state frame's moves into a frame to send.
func wireMove(t testing.TB, raw json.RawMessage) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("move %s: %v", raw, err)
	}
	return m
}

// play makes random legal moves until the game is over, and returns the
// last state. It keeps one command in flight at a time: the next waits for
// the ack (or error) of the last.
func (p *player) play() *frame {
	p.t.Helper()
	var inFlight int64
	for {
		select {
		case f, ok := <-p.frames:
			if !ok {
				p.t.Errorf("connection closed (%v) mid-game", p.status)
				return nil
			}
			if f.Type == "error" {
				p.t.Errorf("legal move refused: %s", f.raw)
				if f.ID == inFlight {
					inFlight = 0
				}
				continue
			}
			if f.Type != "state" || f.View == nil {
				continue
			}
			if f.Ack != 0 && f.Ack == inFlight {
				inFlight = 0
			}
			if f.View.Phase == game.PhaseGameOver {
				return f
			}
			if inFlight != 0 {
				continue
			}
			// The frame lists exactly the moves the engine allows this seat,
			// and any of them, sent back as it is, is accepted.
			want, _ := json.Marshal(f.View.Moves([]game.Command{}))
			if got, _ := json.Marshal(f.Moves); string(got) != string(want) {
				p.t.Errorf("state frame lists moves %s, the view allows %s", got, want)
			}
			if len(f.Moves) > 0 {
				inFlight = p.send(wireMove(p.t, f.Moves[p.rng.IntN(len(f.Moves))]))
			}
		case <-time.After(30 * time.Second):
			p.t.Error("game stalled")
			return nil
		}
	}
}
