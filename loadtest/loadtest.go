package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"golf/game"
	"golf/live"
	"golf/store/sqlite"
	"golf/web"
)

// golf loadtest: N WebSocket bot players, four to a room, each playing
// random legal moves from its own view after a think time, against one
// server. It measures the round trip of every move: from sending the
// command to receiving the state frame that acknowledges it.

type loadConfig struct {
	url        string
	players    int
	think      time.Duration
	rounds     int
	duration   time.Duration
	ramp       time.Duration
	cpuProfile string
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

func runLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c loadConfig
	fs.StringVar(&c.url, "url", "", "server to test, e.g. http://127.0.0.1:8000 (default: an in-process server on loopback with a temporary SQLite store)")
	fs.IntVar(&c.players, "players", 400, "bot players (a multiple of 4)")
	fs.DurationVar(&c.think, "think", time.Second, "mean think time before each move (uniform over 0.5–1.5×)")
	fs.IntVar(&c.rounds, "rounds", 1, "rounds per game")
	fs.DurationVar(&c.duration, "duration", 60*time.Second, "how long to play after the ramp")
	fs.DurationVar(&c.ramp, "ramp", 10*time.Second, "time over which the players connect")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if c.players < 4 || c.players%4 != 0 || c.rounds < 1 || c.rounds > 18 || c.duration <= 0 {
		fmt.Fprintln(stderr, "golf loadtest: -players must be a positive multiple of 4, -rounds 1–18, -duration positive")
		return 2
	}
	if err := loadtest(ctx, c, stdout); err != nil {
		fmt.Fprintf(stderr, "golf loadtest: %v\n", err)
		return 1
	}
	return 0
}

func loadtest(ctx context.Context, c loadConfig, stdout io.Writer) error {
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	base := c.url
	if base == "" {
		url, stop, err := inProcessServer(ctx)
		if err != nil {
			return err
		}
		defer stop()
		base = url
	}
	wsURL := "ws" + strings.TrimPrefix(strings.TrimSuffix(base, "/"), "http") + "/ws"

	stats := &loadStats{}
	ctx, cancel := context.WithTimeout(ctx, c.ramp+c.duration)
	defer cancel()
	rooms := c.players / 4
	var wg sync.WaitGroup
	start := time.Now()
	for i := range rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			delay := time.Duration(int64(c.ramp) * int64(i) / int64(rooms))
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
	elapsed := time.Since(start)

	l := stats.latencies
	slices.Sort(l)
	pct := func(p float64) time.Duration {
		if len(l) == 0 {
			return 0
		}
		return l[min(len(l)-1, int(p*float64(len(l))))]
	}
	fmt.Fprintf(stdout, "players: %d requested, %d connected at peak (%d rooms); GOMAXPROCS %d\n",
		c.players, stats.peak.Load(), rooms, runtime.GOMAXPROCS(0))
	fmt.Fprintf(stdout, "moves: %d acknowledged in %.0fs (%.0f/s); games completed: %d\n",
		stats.moves.Load(), elapsed.Seconds(), float64(stats.moves.Load())/elapsed.Seconds(), stats.games.Load())
	fmt.Fprintf(stdout, "move round trip: p50 %v  p90 %v  p99 %v  max %v\n",
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond),
		pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	fmt.Fprintf(stdout, "errors: %d refused moves or failed rooms; %d connections dropped\n", stats.errors.Load(), stats.drops.Load())
	if e := stats.firstErr.Load(); e != nil {
		fmt.Fprintf(stdout, "first error: %v\n", e)
	}
	return nil
}

// inProcessServer runs golf serve's handler on a loopback port with a
// temporary store and fast round changes.
func inProcessServer(ctx context.Context) (string, func(), error) {
	dir, err := os.MkdirTemp("", "golf-loadtest-")
	if err != nil {
		return "", nil, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "golf.db"))
	if err != nil {
		return "", nil, err
	}
	lc := live.DefaultConfig()
	lc.Secret = []byte("loadtest-secret-loadtest-secret-loadtest")
	lc.RoundCountdown = time.Second
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, _, err := newServer(web.DefaultConfig(), lc, st, log)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Close(sctx)
		hs.Shutdown(sctx)
		st.Close()
		os.RemoveAll(dir)
	}
	return "http://" + ln.Addr().String(), stop, nil
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
	c        loadConfig
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

func dialBot(ctx context.Context, url string, c loadConfig, stats *loadStats, seed uint64) (*bot, error) {
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
func playRoom(ctx context.Context, url string, c loadConfig, stats *loadStats, seed uint64) error {
	settings := map[string]any{"rounds": c.rounds}
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
		b.send(ctx, map[string]any{"type": "join", "room": code, "name": fmt.Sprintf("Bot%d", i)})
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
	think := time.Duration(float64(b.c.think) * (0.5 + b.rng.Float64()))
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
