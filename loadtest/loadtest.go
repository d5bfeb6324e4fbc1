// Package loadtest plays WebSocket bot clients against a Golf server and
// measures move latency: the engine of golf loadtest. Players sit four to
// a room, each playing a random legal move from its own view after a think
// time, rematch after rematch. Every move's round trip is measured from
// sending the command to receiving the state frame that acknowledges it.
package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"golf/game"
)

// Config is one load test; its fields are golf loadtest's flags.
type Config struct {
	URL      string        // the server, e.g. http://127.0.0.1:8000
	Players  int           // bot players, a positive multiple of 4
	Think    time.Duration // mean think time before each move (uniform over 0.5–1.5×)
	Rounds   int           // rounds per game, 1–18
	Duration time.Duration // how long to play after the ramp
	Ramp     time.Duration // time over which the players connect
}

// Check reports what makes c's figures unusable (the URL is Run's to try).
func (c Config) Check() error {
	if c.Players < 4 || c.Players%4 != 0 || c.Rounds < 1 || c.Rounds > 18 || c.Duration <= 0 {
		return errors.New("-players must be a positive multiple of 4, -rounds 1–18, -duration positive")
	}
	return nil
}

type loadStats struct {
	mu        sync.Mutex
	latencies []time.Duration
	connected atomic.Int64
	peak      atomic.Int64
	games     atomic.Int64
	moves     atomic.Int64
	errors    atomic.Int64
	drops     atomic.Int64
	firstErr  atomic.Value
}

func (s *loadStats) record(d time.Duration) {
	s.mu.Lock()
	s.latencies = append(s.latencies, d)
	s.mu.Unlock()
	s.moves.Add(1)
}

// Report is what a load test measured.
type Report struct {
	Players   int             // requested
	Peak      int64           // connected at once, at most
	Rooms     int             // of four players
	Moves     int64           // acknowledged
	Games     int64           // completed
	Errors    int64           // refused moves or failed rooms
	Drops     int64           // connections the server dropped
	FirstErr  string          // the first error, or ""
	Elapsed   time.Duration   // ramp and play
	Latencies []time.Duration // every acknowledged move's round trip, sorted
}

// Run plays c against its server until c.Ramp+c.Duration has passed (or
// ctx ends) and reports. A room that fails counts as an error; it does not
// stop the others.
func Run(ctx context.Context, c Config) (*Report, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	if c.URL == "" {
		return nil, errors.New("no server URL")
	}
	wsURL := "ws" + strings.TrimPrefix(strings.TrimSuffix(c.URL, "/"), "http") + "/ws"

	stats := &loadStats{}
	ctx, cancel := context.WithTimeout(ctx, c.Ramp+c.Duration)
	defer cancel()
	rooms := c.Players / 4
	var wg sync.WaitGroup
	start := time.Now()
	for i := range rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			delay := time.Duration(int64(c.Ramp) * int64(i) / int64(rooms))
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return
			}
			if err := playRoom(ctx, wsURL, c, stats, uint64(i)); err != nil && ctx.Err() == nil {
				stats.errors.Add(1)
				stats.firstErr.CompareAndSwap(nil, err.Error())
			}
		}()
	}
	wg.Wait()
	r := &Report{Players: c.Players, Peak: stats.peak.Load(), Rooms: rooms, Moves: stats.moves.Load(),
		Games: stats.games.Load(), Errors: stats.errors.Load(), Drops: stats.drops.Load(),
		Elapsed: time.Since(start), Latencies: stats.latencies}
	if e, ok := stats.firstErr.Load().(string); ok {
		r.FirstErr = e
	}
	slices.Sort(r.Latencies)
	return r, nil
}

// Percentile returns the round trip that p (0–1) of the moves beat.
func (r *Report) Percentile(p float64) time.Duration {
	l := r.Latencies
	if len(l) == 0 {
		return 0
	}
	return l[min(len(l)-1, int(p*float64(len(l))))]
}

// Print writes the report as golf loadtest shows it.
func (r *Report) Print(w io.Writer) {
	pct := r.Percentile
	elapsed := r.Elapsed
	fmt.Fprintf(w, "players: %d requested, %d connected at peak (%d rooms); GOMAXPROCS %d\n",
		r.Players, r.Peak, r.Rooms, runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "moves: %d acknowledged in %.0fs (%.0f/s); games completed: %d\n",
		r.Moves, elapsed.Seconds(), float64(r.Moves)/elapsed.Seconds(), r.Games)
	fmt.Fprintf(w, "move round trip: p50 %v  p90 %v  p99 %v  max %v\n",
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond),
		pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	fmt.Fprintf(w, "errors: %d refused moves or failed rooms; %d connections dropped\n", r.Errors, r.Drops)
	if r.FirstErr != "" {
		fmt.Fprintf(w, "first error: %v\n", r.FirstErr)
	}
}

// loadFrame is the part of a server frame a bot reads.
type loadFrame struct {
	Type  string          `json:"type"`
	ID    int64           `json:"id"`
	Code  string          `json:"code"`
	Room  json.RawMessage `json:"room"`
	Seq   int64           `json:"seq"`
	Ack   int64           `json:"ack"`
	View  *game.View      `json:"view"`
	Token string          `json:"token"`
}

// bot is one loadtest player.
type bot struct {
	conn     *websocket.Conn
	c        Config
	stats    *loadStats
	rng      *rand.Rand
	host     bool
	mu       sync.Mutex
	nextID   int64
	inFlight int64
	sentAt   time.Time
	timer    *time.Timer
}

func (b *bot) send(ctx context.Context, m map[string]any) (int64, error) {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	b.mu.Unlock()
	m["v"], m["id"] = 1, id
	data, _ := json.Marshal(m)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return id, b.conn.Write(wctx, websocket.MessageText, data)
}

func dialBot(ctx context.Context, url string, c Config, stats *loadStats, seed uint64) (*bot, error) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, url, nil)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 20)
	n := stats.connected.Add(1)
	for p := stats.peak.Load(); n > p && !stats.peak.CompareAndSwap(p, n); p = stats.peak.Load() {
	}
	return &bot{conn: conn, c: c, stats: stats, rng: rand.New(rand.NewPCG(seed, 99))}, nil
}

func (b *bot) read(ctx context.Context) (*loadFrame, error) {
	_, data, err := b.conn.Read(ctx)
	if err != nil {
		return nil, err
	}
	f := new(loadFrame)
	return f, json.Unmarshal(data, f)
}

func (b *bot) roomCode(f *loadFrame) string {
	var s string
	json.Unmarshal(f.Room, &s)
	return s
}

// playRoom runs one room of four bots: the host creates it, three join,
// and they play games (rematch after rematch) until ctx ends.
func playRoom(ctx context.Context, url string, c Config, stats *loadStats, seed uint64) error {
	settings := map[string]any{"rounds": c.Rounds}
	bots := make([]*bot, 4)
	defer func() {
		for _, b := range bots {
			if b != nil {
				b.conn.Close(websocket.StatusNormalClosure, "")
				stats.connected.Add(-1)
			}
		}
	}()
	host, err := dialBot(ctx, url, c, stats, seed*4)
	if err != nil {
		return err
	}
	host.host = true
	bots[0] = host
	host.send(ctx, map[string]any{"type": "create", "name": "Host", "settings": settings})
	var code string
	for code == "" {
		f, err := host.read(ctx)
		if err != nil {
			return err
		}
		if f.Type == "welcome" {
			code = host.roomCode(f)
		} else if f.Type == "error" {
			return fmt.Errorf("create: %s", f.Code)
		}
	}
	for i := 1; i < 4; i++ {
		b, err := dialBot(ctx, url, c, stats, seed*4+uint64(i))
		if err != nil {
			return err
		}
		bots[i] = b
		b.send(ctx, map[string]any{"type": "join", "room": code, "name": fmt.Sprintf("Player %d", i)})
	}
	errs := make(chan error, 4)
	for _, b := range bots {
		go func() { errs <- b.loop(ctx) }()
	}
	var first error
	for range bots {
		if err := <-errs; err != nil && first == nil && ctx.Err() == nil {
			first = err
		}
	}
	return first
}

// loop reads frames and plays until ctx ends.
func (b *bot) loop(ctx context.Context) error {
	defer func() {
		b.mu.Lock()
		if b.timer != nil {
			b.timer.Stop()
		}
		b.mu.Unlock()
	}()
	for {
		f, err := b.read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			b.stats.drops.Add(1)
			return err
		}
		switch f.Type {
		case "error":
			b.stats.errors.Add(1)
			b.stats.firstErr.CompareAndSwap(nil, "refused: "+f.Code)
			b.mu.Lock()
			if f.ID == b.inFlight {
				b.inFlight = 0
			}
			b.mu.Unlock()
		case "welcome":
			// Moved to a rematch: the rematch command is answered by the new room.
			b.mu.Lock()
			b.inFlight = 0
			b.mu.Unlock()
		case "state":
			b.onState(ctx, f)
		}
	}
}

func (b *bot) onState(ctx context.Context, f *loadFrame) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if f.Ack != 0 && f.Ack == b.inFlight {
		b.stats.record(time.Since(b.sentAt))
		b.inFlight = 0
	}
	if b.inFlight != 0 || b.timer != nil || f.View == nil {
		return
	}
	v := f.View
	var msg map[string]any
	switch {
	case b.host && v.Phase == game.PhaseWaiting && len(v.Seats) == 4:
		msg = map[string]any{"type": "start"}
	case b.host && v.Phase == game.PhaseGameOver:
		b.stats.games.Add(1)
		msg = map[string]any{"type": "rematch"}
	default:
		moves := v.Moves(nil)
		if len(moves) == 0 {
			return
		}
		msg = loadMove(moves[b.rng.IntN(len(moves))])
	}
	think := time.Duration(float64(b.c.Think) * (0.5 + b.rng.Float64()))
	b.timer = time.AfterFunc(think, func() {
		b.mu.Lock()
		b.timer = nil
		b.nextID++
		id := b.nextID
		b.inFlight, b.sentAt = id, time.Now()
		b.mu.Unlock()
		msg["v"], msg["id"] = 1, id
		data, _ := json.Marshal(msg)
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		b.conn.Write(wctx, websocket.MessageText, data)
	})
}

func loadMove(cmd game.Command) map[string]any {
	m := map[string]any{"type": cmd.Kind.String()}
	switch cmd.Kind {
	case game.CmdDraw:
		m["source"] = cmd.Source.String()
	case game.CmdSwap, game.CmdFlip, game.CmdFlipAsAction:
		m["pos"] = cmd.Pos
	case game.CmdFlipInitial:
		m["positions"] = cmd.Positions
	}
	return m
}
