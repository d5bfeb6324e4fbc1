package cli

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/game"
	"golf/store"
	"golf/web/webtest"
)

// A WebSocket client of the protocol (docs/protocol.md), for the process
// tests: it records every frame, and plays random legal moves from its
// views.

type frame struct {
	raw    []byte
	Type   string          `json:"type"`
	ID     int64           `json:"id"`
	Code   string          `json:"code"`
	Room   json.RawMessage `json:"room"`
	GameID string          `json:"game_id"`
	Seat   int             `json:"seat"`
	Player string          `json:"player_id"`
	Token  string          `json:"token"`
	Seq    int64           `json:"seq"`
	Ack    int64           `json:"ack"`
	View   *game.View      `json:"view"`
	Events []struct {
		Type string `json:"type"`
		Data struct {
			PlayerID string `json:"player_id"`
		} `json:"data"`
	} `json:"events"`
}

// Raw returns the frame complete (its kept members filled in), for webtest.
func (f *frame) Raw() []byte { return f.raw }

func (f *frame) roomCode() string { return webtest.RoomCode(f.Room) }

type wsClient struct {
	t      *testing.T
	name   string
	conn   *websocket.Conn
	frames chan *frame
	mu     sync.Mutex
	all    []*frame
	status websocket.StatusCode
	closed chan struct{}
	nextID int64
	feed   webtest.Feed
}

// dial connects to a server's /ws, or fails the test.
func dial(t *testing.T, name, url string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("%s: dial %s: %v", name, url, err)
	}
	conn.SetReadLimit(1 << 20)
	c := &wsClient{t: t, name: name, conn: conn, frames: make(chan *frame, 1<<14), closed: make(chan struct{})}
	go c.read()
	t.Cleanup(func() { conn.CloseNow() })
	return c
}

func (c *wsClient) read() {
	defer close(c.closed)
	defer close(c.frames)
	for {
		_, b, err := c.conn.Read(context.Background())
		if err != nil {
			c.mu.Lock()
			c.status = websocket.CloseStatus(err)
			c.mu.Unlock()
			return
		}
		full, err := c.feed.Complete(b)
		if err != nil {
			c.t.Errorf("%s: %v: %s", c.name, err, b)
			continue
		}
		f := &frame{raw: full}
		if err := json.Unmarshal(full, f); err != nil {
			c.t.Errorf("%s: bad JSON from the server: %s", c.name, b)
			continue
		}
		c.mu.Lock()
		c.all = append(c.all, f)
		c.mu.Unlock()
		c.frames <- f
	}
}

func (c *wsClient) closeStatus() websocket.StatusCode {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *wsClient) send(v map[string]any) int64 {
	c.nextID++
	v["v"], v["id"] = 1, c.nextID
	b, _ := json.Marshal(v)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.conn.Write(ctx, websocket.MessageText, b) // a dead server shows as a closed connection
	return c.nextID
}

// next returns the next frame of a type, or fails.
func (c *wsClient) next(typ string) *frame {
	c.t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case f, ok := <-c.frames:
			if !ok {
				c.t.Fatalf("%s: connection closed (%v) while waiting for %s", c.name, c.closeStatus(), typ)
			}
			if f.Type == "error" && typ != "error" {
				c.t.Fatalf("%s: error while waiting for %s: %s", c.name, typ, f.raw)
			}
			if f.Type == typ {
				return f
			}
		case <-timeout:
			c.t.Fatalf("%s: no %s frame", c.name, typ)
		}
	}
}

// until returns the first state frame that satisfies ok.
func (c *wsClient) until(ok func(*frame) bool) *frame {
	c.t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case f, open := <-c.frames:
			if !open {
				c.t.Fatalf("%s: connection closed (%v)", c.name, c.closeStatus())
			}
			if f.Type == "state" && ok(f) {
				return f
			}
		case <-timeout:
			c.t.Fatalf("%s: state never came", c.name)
		}
	}
}

func (c *wsClient) received() []*frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*frame(nil), c.all...)
}

// player is a seat, over however many connections it takes.
type player struct {
	t       *testing.T
	name    string
	c       *wsClient
	conns   []*wsClient
	welcome *frame
	rng     *rand.Rand

	mu    sync.Mutex
	acked []ackedMove
	seq   int64 // highest seq seen
}

// ackedMove is a command the server acknowledged: its state frame.
type ackedMove struct {
	seq   int64
	frame *frame
}

func newPlayer(t *testing.T, name string, c *wsClient, welcome *frame) *player {
	return &player{t: t, name: name, c: c, conns: []*wsClient{c}, welcome: welcome, rng: rand.New(rand.NewPCG(uint64(len(name)), 11))}
}

func create(t *testing.T, url, name string, settings map[string]any) *player {
	c := dial(t, name, url)
	c.send(map[string]any{"type": "create", "name": name, "settings": settings})
	return newPlayer(t, name, c, c.next("welcome"))
}

func joinRoom(t *testing.T, url, room, name string) *player {
	c := dial(t, name, url)
	c.send(map[string]any{"type": "join", "room": room, "name": name})
	return newPlayer(t, name, c, c.next("welcome"))
}

// resume reconnects the player to url with its seat token; it retries
// while the server answers unavailable or has not opened the room yet.
func (p *player) resume(url string) {
	p.t.Helper()
	for try := 0; ; try++ {
		c := dial(p.t, p.name, url)
		c.send(map[string]any{"type": "resume", "room": p.welcome.roomCode(), "token": p.welcome.Token})
		f := <-c.frames
		if f != nil && f.Type == "welcome" {
			if f.Seat != p.welcome.Seat || f.Player != p.welcome.Player {
				p.t.Fatalf("%s resumed as seat %d %s, want %d %s", p.name, f.Seat, f.Player, p.welcome.Seat, p.welcome.Player)
			}
			p.mu.Lock()
			p.c = c
			p.conns = append(p.conns, c)
			p.mu.Unlock()
			return
		}
		c.conn.CloseNow()
		if try == 100 {
			p.t.Fatalf("%s cannot resume: %+v", p.name, f)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func moveFrame(cmd game.Command) map[string]any {
	b, _ := json.Marshal(cmd) // the wire form of a game command
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

// play makes random legal moves, one in flight at a time, until the game
// is over (it returns the last state) or the connection closes (nil).
// Every acknowledged move is recorded.
func (p *player) play() *frame {
	p.mu.Lock()
	c := p.c
	p.mu.Unlock()
	var inFlight int64
	for {
		select {
		case f, ok := <-c.frames:
			if !ok {
				return nil
			}
			if f.Type == "error" {
				// Retried moves after a failover may be refused (the
				// first try was applied); unavailable is for retrying.
				if f.ID == inFlight {
					inFlight = 0
				}
				continue
			}
			if f.Type != "state" || f.View == nil {
				continue
			}
			p.mu.Lock()
			p.seq = max(p.seq, f.Seq)
			if f.Ack != 0 {
				p.acked = append(p.acked, ackedMove{seq: f.Seq, frame: f})
			}
			p.mu.Unlock()
			if f.Ack != 0 && f.Ack == inFlight {
				inFlight = 0
			}
			if f.View.Phase == game.PhaseGameOver {
				return f
			}
			if inFlight != 0 {
				continue
			}
			if moves := f.View.Moves(nil); len(moves) > 0 {
				inFlight = c.send(moveFrame(moves[p.rng.IntN(len(moves))]))
			}
		case <-time.After(60 * time.Second):
			p.t.Errorf("%s: game stalled", p.name)
			return nil
		}
	}
}

// frames returns every frame the player received, over all its connections.
func (p *player) frames() []*frame {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*frame
	for _, c := range p.conns {
		out = append(out, c.received()...)
	}
	return out
}

func (p *player) seen() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seq
}

// checkAcked checks that every move acknowledged to the player is in the
// log, where the acknowledgement said: the state frame's events (its own
// move, which it may see whole) are the log's last events at its seq.
func checkAcked(t *testing.T, p *player, recs []store.Record) int {
	t.Helper()
	n := 0
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range p.acked {
		evs := a.frame.Events
		if a.seq > int64(len(recs)) || int64(len(evs)) > a.seq {
			t.Fatalf("%s: move acknowledged at seq %d is not in the log (%d events)", p.name, a.seq, len(recs))
		}
		for i, e := range evs {
			r := recs[int(a.seq)-len(evs)+i]
			if r.Type != e.Type || r.PlayerID != e.Data.PlayerID {
				t.Fatalf("%s: acknowledged event %d at seq %d is %s by %s; the log has %s by %s",
					p.name, i, a.seq, e.Type, e.Data.PlayerID, r.Type, r.PlayerID)
			}
		}
		n++
	}
	return n
}

// loadLog reads a game's log from the store and checks it runs 1…n
// without gap or repeat and folds.
func loadLog(t *testing.T, st store.Store, gameID string) ([]store.Record, []game.Event) {
	t.Helper()
	recs, err := st.Load(context.Background(), gameID)
	if err != nil {
		t.Fatal(err)
	}
	evs := make([]game.Event, len(recs))
	for i, r := range recs {
		if r.Seq != int64(i+1) {
			t.Fatalf("log: record %d has sequence number %d", i+1, r.Seq)
		}
		if evs[i], err = r.Event(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := game.Fold(evs); err != nil {
		t.Fatalf("log does not fold: %v", err)
	}
	return recs, evs
}
