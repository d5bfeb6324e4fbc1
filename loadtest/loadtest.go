// Package loadtest plays WebSocket bot clients against a Golf server and
// measures what a move costs it: the engine of golf loadtest. Bots sit in
// rooms of a chosen shape (so many bots and so many of the server's CPU
// players), each playing a random legal move from its own state frame
// after a think time, rematch after rematch. Every move's round trip is
// measured from sending the command to receiving the state frame that
// acknowledges it. After a ramp, during which the bots connect, the test
// holds the load for a while: the report's figures are the held phase's,
// and with the server's process id they include its CPU time and memory
// over that phase, read from /proc.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Config is one load test; its fields are golf loadtest's flags.
type Config struct {
	URL      string        // the server, e.g. http://127.0.0.1:8000
	Players  int           // bot players (WebSocket clients), a positive multiple of Humans
	Humans   int           // bots per room; 0 means 4
	CPUs     int           // CPU players the host seats in each room (the server plays them)
	Think    time.Duration // mean think time before each move (uniform over 0.5–1.5×)
	Rounds   int           // rounds per game, 1–18
	Duration time.Duration // how long to hold the load after the ramp
	Ramp     time.Duration // time over which the players connect
	// ServerPID, if positive, is the server's process on this machine: its
	// CPU time and resident memory over the held phase are reported.
	ServerPID int
	// Addresses: each bot sends X-Forwarded-For with an address of its
	// own (10.x.y.z), as players behind a proxy the server trusts, so its
	// per-address limits see one player per address.
	Addresses bool
	// Flood, if positive, is how many connections from one address
	// (203.0.113.66, in X-Forwarded-For) create rooms as fast as they can
	// during the whole run: the honest players' figures show what that
	// costs them.
	Flood int
	// FloodRate caps the flood's attempts per second, all connections
	// together (0: as fast as the server answers).
	FloodRate float64
}

func (c Config) humans() int {
	if c.Humans == 0 {
		return 4
	}
	return c.Humans
}

// Check reports what makes c's figures unusable (the URL is Run's to try).
func (c Config) Check() error {
	h := c.humans()
	switch {
	case h < 1 || c.CPUs < 0 || h+c.CPUs < 2 || h+c.CPUs > 6:
		return errors.New("a room holds 2–6 players: -humans at least 1, -cpus at least 0")
	case c.Players < h || c.Players%h != 0:
		return fmt.Errorf("-players must be a positive multiple of -humans (%d)", h)
	case c.Rounds < 1 || c.Rounds > 18:
		return errors.New("-rounds must be 1–18")
	case c.Duration <= 0 || c.Ramp < 0:
		return errors.New("-duration must be positive and -ramp not negative")
	}
	return nil
}

type loadStats struct {
	held      atomic.Bool // the held phase is on: moves and frames count
	mu        sync.Mutex
	latencies []time.Duration
	connected atomic.Int64
	peak      atomic.Int64
	games     atomic.Int64
	moves     atomic.Int64
	frames    atomic.Int64
	bytes     atomic.Int64
	errors    atomic.Int64
	drops     atomic.Int64
	firstErr  atomic.Value

	floodCreated, floodRefused atomic.Int64 // rooms the flood made; creates or connections refused
}

func (s *loadStats) record(d time.Duration) {
	if !s.held.Load() {
		return
	}
	s.mu.Lock()
	s.latencies = append(s.latencies, d)
	s.mu.Unlock()
	s.moves.Add(1)
}

func (s *loadStats) fail(err string) {
	s.errors.Add(1)
	s.firstErr.CompareAndSwap(nil, err)
}

// Report is what a load test measured. Moves, games, frames and latencies
// are the held phase's; errors and drops the whole run's.
type Report struct {
	Players   int             // requested
	Humans    int             // bots per room
	CPUs      int             // CPU players per room
	Peak      int64           // connected at once, at most
	Rooms     int             // played in
	Moves     int64           // acknowledged in the held phase
	Games     int64           // completed in the held phase
	Frames    int64           // frames received in the held phase
	Bytes     int64           // their payload bytes
	Errors    int64           // refused moves or failed rooms
	Drops     int64           // connections the server dropped
	FirstErr  string          // the first error, or ""
	Elapsed   time.Duration   // ramp and held phase
	Held      time.Duration   // the held phase
	Latencies []time.Duration // every move acknowledged in the held phase, sorted
	LoadAvg   [2]float64      // the machine's one-minute load average as the held phase began and ended
	Client    time.Duration   // this process's CPU time over the held phase
	Server    *ServerUsage    // with Config.ServerPID
	// With Config.Flood: rooms the flooding address created, and its
	// creates and connections the server refused, over the whole run.
	FloodCreated, FloodRefused int64
}

// ServerUsage is the server process's use of the machine over the held
// phase, from /proc/PID/stat and /proc/PID/status.
type ServerUsage struct {
	PID    int
	CPU    time.Duration // user + system
	RSS    int64         // resident memory at the end, bytes
	RSSMax int64         // the most seen (sampled every second)
	Err    string        // why it could not be read, if it could not
}

// Run plays c against its server for c.Ramp+c.Duration (or until ctx
// ends) and reports. A room that fails counts as an error; it does not
// stop the others.
func Run(ctx context.Context, c Config) (*Report, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	if c.URL == "" {
		return nil, errors.New("no server URL")
	}
	c.Humans = c.humans()
	wsURL := "ws" + strings.TrimPrefix(strings.TrimSuffix(c.URL, "/"), "http") + "/ws"

	stats := &loadStats{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rooms := c.Players / c.Humans
	r := &Report{Players: c.Players, Humans: c.Humans, CPUs: c.CPUs, Rooms: rooms}
	measured := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(measured)
		defer cancel() // the held phase is over: the bots stop
		hold(ctx, c, stats, r, start)
	}()
	var wg sync.WaitGroup
	var pace <-chan time.Time
	if c.Flood > 0 && c.FloodRate > 0 {
		tk := time.NewTicker(time.Duration(float64(time.Second) / c.FloodRate))
		defer tk.Stop()
		pace = tk.C
	}
	for range c.Flood {
		wg.Go(func() { flood(ctx, wsURL, stats, pace) })
	}
	for i := range rooms {
		wg.Go(func() {
			delay := time.Duration(int64(c.Ramp) * int64(i) / int64(rooms))
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return
			}
			if err := playRoom(ctx, wsURL, c, stats, uint64(i)); err != nil && ctx.Err() == nil {
				stats.fail(err.Error())
			}
		})
	}
	<-measured
	wg.Wait()
	r.Peak, r.Moves, r.Games = stats.peak.Load(), stats.moves.Load(), stats.games.Load()
	r.Frames, r.Bytes = stats.frames.Load(), stats.bytes.Load()
	r.Errors, r.Drops = stats.errors.Load(), stats.drops.Load()
	r.FloodCreated, r.FloodRefused = stats.floodCreated.Load(), stats.floodRefused.Load()
	r.Elapsed, r.Latencies = time.Since(start), stats.latencies
	if e, ok := stats.firstErr.Load().(string); ok {
		r.FirstErr = e
	}
	slices.Sort(r.Latencies)
	return r, nil
}

// hold waits out the ramp, then measures the held phase: the server's and
// this process's CPU time from its start to its end, and the server's
// memory every second.
func hold(ctx context.Context, c Config, stats *loadStats, r *Report, start time.Time) {
	select {
	case <-time.After(time.Until(start.Add(c.Ramp))):
	case <-ctx.Done():
		return
	}
	var srv0 procSample
	if c.ServerPID > 0 {
		r.Server = &ServerUsage{PID: c.ServerPID}
		var err error
		if srv0, err = readProc(c.ServerPID); err != nil {
			r.Server.Err = err.Error()
		}
	}
	self0, _ := readProc(os.Getpid())
	r.LoadAvg[0] = loadAverage()
	stats.held.Store(true)
	heldAt := time.Now()
	end := time.NewTimer(c.Duration)
	defer end.Stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for running := true; running; {
		select {
		case <-end.C:
			running = false
		case <-ctx.Done():
			running = false
		case <-tick.C:
			if s := r.Server; s != nil && s.Err == "" {
				if p, err := readProc(c.ServerPID); err == nil {
					s.RSSMax = max(s.RSSMax, p.rss)
				}
			}
			continue
		}
	}
	stats.held.Store(false)
	r.Held = time.Since(heldAt)
	r.LoadAvg[1] = loadAverage()
	if self1, err := readProc(os.Getpid()); err == nil {
		r.Client = self1.cpu - self0.cpu
	}
	if s := r.Server; s != nil && s.Err == "" {
		p, err := readProc(c.ServerPID)
		if err != nil {
			s.Err = err.Error()
			return
		}
		s.CPU, s.RSS, s.RSSMax = p.cpu-srv0.cpu, p.rss, max(s.RSSMax, p.rss)
	}
}

// Percentile returns the round trip that p (0–1) of the moves beat.
func (r *Report) Percentile(p float64) time.Duration {
	l := r.Latencies
	if len(l) == 0 {
		return 0
	}
	return l[min(len(l)-1, int(p*float64(len(l))))]
}

// MovesPerSecond is the held phase's rate of acknowledged moves.
func (r *Report) MovesPerSecond() float64 {
	if r.Held <= 0 {
		return 0
	}
	return float64(r.Moves) / r.Held.Seconds()
}

// Print writes the report as golf loadtest shows it.
func (r *Report) Print(w io.Writer) {
	pct := r.Percentile
	fmt.Fprintf(w, "players: %d requested, %d connected at peak (%d rooms of %d bots and %d CPUs); GOMAXPROCS %d\n",
		r.Players, r.Peak, r.Rooms, r.Humans, r.CPUs, runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "held %.0fs (load average %.1f → %.1f): %d moves acknowledged (%.0f/s); games completed: %d\n",
		r.Held.Seconds(), r.LoadAvg[0], r.LoadAvg[1], r.Moves, r.MovesPerSecond(), r.Games)
	fmt.Fprintf(w, "move round trip: p50 %v  p90 %v  p99 %v  max %v\n",
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond),
		pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	if r.Frames > 0 {
		fmt.Fprintf(w, "frames received: %d, %d bytes each on average\n", r.Frames, r.Bytes/r.Frames)
	}
	if s := r.Server; s != nil {
		if s.Err != "" {
			fmt.Fprintf(w, "server (pid %d): not measured: %s\n", s.PID, s.Err)
		} else {
			fmt.Fprintf(w, "server (pid %d): CPU %.2fs over the held phase (%.2f cores), %.3f ms per move; RSS %d MB (max %d MB), %d KB per player\n",
				s.PID, s.CPU.Seconds(), s.CPU.Seconds()/r.Held.Seconds(), r.CPUPerMove().Seconds()*1e3,
				s.RSS>>20, s.RSSMax>>20, s.RSSMax/int64(max(1, r.Players))>>10)
		}
	}
	fmt.Fprintf(w, "client: CPU %.2fs over the held phase (%.2f cores)\n", r.Client.Seconds(), r.Client.Seconds()/max(1e-9, r.Held.Seconds()))
	fmt.Fprintf(w, "errors: %d refused moves or failed rooms; %d connections dropped\n", r.Errors, r.Drops)
	if r.FloodCreated+r.FloodRefused > 0 {
		fmt.Fprintf(w, "flood from one address: %d rooms created, %d creates or connections refused\n", r.FloodCreated, r.FloodRefused)
	}
	if r.FirstErr != "" {
		fmt.Fprintf(w, "first error: %v\n", r.FirstErr)
	}
}

// CPUPerMove is the server's CPU time per acknowledged move, or 0 unmeasured.
func (r *Report) CPUPerMove() time.Duration {
	if r.Server == nil || r.Server.Err != "" || r.Moves == 0 {
		return 0
	}
	return r.Server.CPU / time.Duration(r.Moves)
}

// jsonReport is golf loadtest -json's output: times in milliseconds,
// memory in bytes.
type jsonReport struct {
	Players       int        `json:"players"`
	Humans        int        `json:"humans_per_room"`
	CPUs          int        `json:"cpus_per_room"`
	Rooms         int        `json:"rooms"`
	Peak          int64      `json:"connected_peak"`
	HeldSeconds   float64    `json:"held_seconds"`
	Moves         int64      `json:"moves"`
	MovesPerSec   float64    `json:"moves_per_second"`
	Games         int64      `json:"games"`
	Latency       latencyMS  `json:"round_trip_ms"`
	Frames        int64      `json:"frames"`
	FrameBytes    float64    `json:"frame_bytes_mean"`
	Errors        int64      `json:"errors"`
	Disconnects   int64      `json:"disconnects"`
	FirstError    string     `json:"first_error,omitempty"`
	LoadAvg       [2]float64 `json:"load_average"`
	ClientCPU     float64    `json:"client_cpu_seconds"`
	Server        *jsonUsage `json:"server,omitempty"`
	GOMAXPROCS    int        `json:"gomaxprocs"`
	ThinkMS       float64    `json:"think_ms"`
	Rounds        int        `json:"rounds"`
	RampSeconds   float64    `json:"ramp_seconds"`
	ElapsedSecond float64    `json:"elapsed_seconds"`
	FloodCreated  int64      `json:"flood_created,omitempty"`
	FloodRefused  int64      `json:"flood_refused,omitempty"`
}

type latencyMS struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

type jsonUsage struct {
	PID           int     `json:"pid"`
	CPUSeconds    float64 `json:"cpu_seconds,omitempty"`
	Cores         float64 `json:"cores,omitempty"`
	CPUMSPerMove  float64 `json:"cpu_ms_per_move,omitempty"`
	CPUSecPer1000 float64 `json:"cpu_seconds_per_1000_moves,omitempty"`
	RSS           int64   `json:"rss_bytes,omitempty"`
	RSSMax        int64   `json:"rss_max_bytes,omitempty"`
	RSSPerPlayer  int64   `json:"rss_bytes_per_player,omitempty"`
	Error         string  `json:"error,omitempty"`
}

// JSON writes the report as one JSON object (golf loadtest -json).
func (r *Report) JSON(w io.Writer, c Config) error {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
	j := jsonReport{Players: r.Players, Humans: r.Humans, CPUs: r.CPUs, Rooms: r.Rooms, Peak: r.Peak,
		HeldSeconds: r.Held.Seconds(), Moves: r.Moves, MovesPerSec: r.MovesPerSecond(), Games: r.Games,
		Latency: latencyMS{ms(r.Percentile(0.5)), ms(r.Percentile(0.9)), ms(r.Percentile(0.99)), ms(r.Percentile(1))},
		Frames:  r.Frames, Errors: r.Errors, Disconnects: r.Drops, FirstError: r.FirstErr, LoadAvg: r.LoadAvg,
		ClientCPU: r.Client.Seconds(), GOMAXPROCS: runtime.GOMAXPROCS(0), ThinkMS: ms(c.Think), Rounds: c.Rounds,
		RampSeconds: c.Ramp.Seconds(), ElapsedSecond: r.Elapsed.Seconds(), FloodCreated: r.FloodCreated, FloodRefused: r.FloodRefused}
	if r.Frames > 0 {
		j.FrameBytes = float64(r.Bytes) / float64(r.Frames)
	}
	if s := r.Server; s != nil {
		u := &jsonUsage{PID: s.PID, Error: s.Err}
		if s.Err == "" {
			u.CPUSeconds, u.RSS, u.RSSMax = s.CPU.Seconds(), s.RSS, s.RSSMax
			u.Cores = s.CPU.Seconds() / max(1e-9, r.Held.Seconds())
			u.CPUMSPerMove = ms(r.CPUPerMove())
			u.CPUSecPer1000 = r.CPUPerMove().Seconds() * 1000
			u.RSSPerPlayer = s.RSSMax / int64(max(1, r.Players))
		}
		j.Server = u
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(j)
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
	seats    int // in the room, as the last state frame with seats said

	// Reader's own, reused from frame to frame.
	buf   bytes.Buffer
	frame loadFrame
}

// send writes a command frame: raw is its JSON object without v and id.
func (b *bot) send(ctx context.Context, raw string) (int64, error) {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	b.mu.Unlock()
	return id, b.write(ctx, id, raw)
}

func (b *bot) write(ctx context.Context, id int64, raw string) error {
	data := make([]byte, 0, len(raw)+24)
	data = append(data, `{"v":1,"id":`...)
	data = strconv.AppendInt(data, id, 10)
	data = append(data, ',')
	data = append(data, raw[1:]...)
	if ctx.Done() == nil {
		return b.conn.Write(ctx, websocket.MessageText, data)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return b.conn.Write(wctx, websocket.MessageText, data)
}

// flood opens connections from one address and sends create on each, as
// fast as the server answers (or pace ticks), until ctx ends; the rooms are abandoned at
// once (the connection closes), as the attack of issue 14 did.
func flood(ctx context.Context, url string, stats *loadStats, pace <-chan time.Time) {
	opts := &websocket.DialOptions{HTTPHeader: http.Header{"X-Forwarded-For": {"203.0.113.66"}}}
	for ctx.Err() == nil {
		if pace != nil {
			select {
			case <-pace:
			case <-ctx.Done():
				return
			}
		}
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		conn, _, err := websocket.Dial(dctx, url, opts)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				stats.floodRefused.Add(1)
			}
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if conn.Write(wctx, websocket.MessageText, []byte(`{"v":1,"id":1,"type":"create","name":"Spam"}`)) == nil {
			if _, data, err := conn.Read(wctx); err == nil {
				switch {
				case strings.Contains(string(data), `"type":"welcome"`):
					stats.floodCreated.Add(1)
				case strings.Contains(string(data), `"rate_limited"`):
					stats.floodRefused.Add(1)
				}
			}
		}
		cancel()
		conn.CloseNow()
	}
}

func dialBot(ctx context.Context, url string, c Config, stats *loadStats, seed uint64) (*bot, error) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var opts *websocket.DialOptions
	if c.Addresses {
		opts = &websocket.DialOptions{HTTPHeader: http.Header{"X-Forwarded-For": {
			fmt.Sprintf("10.%d.%d.%d", seed>>16&0xff, seed>>8&0xff, seed&0xff)}}}
	}
	conn, _, err := websocket.Dial(dctx, url, opts)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 20)
	n := stats.connected.Add(1)
	for p := stats.peak.Load(); n > p && !stats.peak.CompareAndSwap(p, n); p = stats.peak.Load() {
	}
	return &bot{conn: conn, c: c, stats: stats, rng: rand.New(rand.NewPCG(seed, 99))}, nil
}

// read returns the next frame, valid until the next read: the frame's
// bytes and its decoding are the bot's, reused (conn.Read would allocate
// every frame anew).
func (b *bot) read(ctx context.Context) (*loadFrame, error) {
	_, r, err := b.conn.Reader(ctx)
	if err != nil {
		return nil, err
	}
	b.buf.Reset()
	if _, err := b.buf.ReadFrom(r); err != nil {
		return nil, err
	}
	data := b.buf.Bytes()
	if b.stats.held.Load() {
		b.stats.frames.Add(1)
		b.stats.bytes.Add(int64(len(data)))
	}
	if err := scanFrame(data, &b.frame); err != nil {
		return nil, fmt.Errorf("frame %.80q: %w", data, err)
	}
	return &b.frame, nil
}

// playRoom runs one room: the host creates it and seats the CPUs, the
// other bots join, and they play games (rematch after rematch) until ctx
// ends.
func playRoom(ctx context.Context, url string, c Config, stats *loadStats, seed uint64) error {
	bots := make([]*bot, c.Humans)
	defer func() {
		for _, b := range bots {
			if b != nil {
				b.conn.Close(websocket.StatusNormalClosure, "")
				stats.connected.Add(-1)
			}
		}
	}()
	host, err := dialBot(ctx, url, c, stats, seed*8)
	if err != nil {
		return err
	}
	host.host = true
	bots[0] = host
	host.send(ctx, fmt.Sprintf(`{"type":"create","name":"Host","settings":{"rounds":%d}}`, c.Rounds))
	var code string
	for code == "" {
		f, err := host.read(ctx)
		if err != nil {
			return err
		}
		if f.Type == "welcome" {
			code = f.Room
		} else if f.Type == "error" {
			return fmt.Errorf("create: %s", f.Code)
		}
	}
	for range c.CPUs {
		host.send(ctx, `{"type":"add_cpu"}`)
	}
	for i := 1; i < c.Humans; i++ {
		b, err := dialBot(ctx, url, c, stats, seed*8+uint64(i))
		if err != nil {
			return err
		}
		bots[i] = b
		b.send(ctx, fmt.Sprintf(`{"type":"join","room":%q,"name":"Player %d"}`, code, i))
	}
	errs := make(chan error, len(bots))
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
//
// Its reads and moves go without a context: the connection is closed when
// ctx ends instead. A context with a Done channel costs coder/websocket a
// context.AfterFunc on every read and write, registered on and removed
// from ctx, which all the bots share.
func (b *bot) loop(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { b.conn.CloseNow() })
	defer stop()
	defer func() {
		b.mu.Lock()
		if b.timer != nil {
			b.timer.Stop()
		}
		b.mu.Unlock()
	}()
	for {
		f, err := b.read(context.Background())
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			b.stats.drops.Add(1)
			return err
		}
		switch f.Type {
		case "error":
			b.stats.fail("refused: " + f.Code)
			b.mu.Lock()
			if f.ID == b.inFlight {
				b.inFlight = 0
			}
			b.mu.Unlock()
		case "welcome":
			// Moved to a rematch: the rematch command is answered by the new room.
			b.mu.Lock()
			b.inFlight, b.seats = 0, 0
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
	if f.View && f.HasSeats {
		b.seats = f.Seats
	}
	if b.inFlight != 0 || b.timer != nil || !f.View {
		return
	}
	var msg string
	switch {
	case b.host && f.Phase == "waiting" && b.seats == b.c.Humans+b.c.CPUs:
		msg = `{"type":"start"}`
	case b.host && f.Phase == "game_over":
		if b.stats.held.Load() {
			b.stats.games.Add(1)
		}
		msg = `{"type":"rematch"}`
	default:
		if len(f.Moves) == 0 {
			return
		}
		m := f.Moves[b.rng.IntN(len(f.Moves))]
		if len(m) < 2 || m[0] != '{' {
			return
		}
		msg = string(m)
	}
	think := time.Duration(float64(b.c.Think) * (0.5 + b.rng.Float64()))
	b.timer = time.AfterFunc(think, func() {
		b.mu.Lock()
		b.timer = nil
		b.nextID++
		id := b.nextID
		b.inFlight, b.sentAt = id, time.Now()
		b.mu.Unlock()
		b.write(context.Background(), id, msg)
	})
}
