// Package sim plays CPU players (package ai) and external bots against
// each other through the rules engine, many games in parallel, and reports
// what they did (docs/ai.md §6, docs/bots.md): the engine of golf sim.
//
// A simulation is reproducible: game i draws everything from a source
// seeded by Config.Seed and i, and its figures are integer sums, so the
// same Config gives the same games and the same report (but for the
// timings), whatever the number of workers.
package sim

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golf/ai"
	"golf/game"
)

// maxRoundTurns is where a simulated round counts as stuck (docs/ai.md §6.3).
const maxRoundTurns = 500

// Config is one simulation. Its fields are golf sim's flags of the same
// names (docs/bots.md).
type Config struct {
	Games   int    // games to play, at least 1
	Players int    // players per game, 2–6
	Rounds  int    // rounds per game, 1–18
	Decks   int    // 1–3, or 0 for the default of the players seated (rules §2)
	Workers int    // games played at once, at least 1
	Seed    uint64 // the same seed gives the same games
	Rules   string // a preset or a rule list, as game.ParseRules reads it; "" is standard

	// Bots is the seat list (rotated one seat per game) or, if longer than
	// Players, the pool each game's players are drawn from. "cmd:PROGRAM"
	// seats an external bot (docs/bots.md). Nil: the eight personalities,
	// drawn.
	Bots []string
	// With is a built-in bot in a seat that rotates through every position
	// against distinct personalities rotated equally (docs/ai.md §3.3), or "".
	// It excludes Bots.
	With string

	// BotTimeout bounds an external bot's answer; 0 is 10s.
	BotTimeout time.Duration
	// Trace, if set, receives every finished round as a JSON line, in game
	// order.
	Trace io.Writer
	// Record, if set, receives every game's decisions (command and
	// thinking delay) and events, in game order: the regression test pins
	// the simulation's behaviour with it.
	Record io.Writer
}

// DefaultConfig is golf sim's defaults: 1,000 single-round games of four
// personalities under the standard rules, seed 1, one worker per CPU.
func DefaultConfig() Config {
	return Config{Games: 1000, Players: 4, Rounds: 1, Seed: 1, Workers: runtime.NumCPU()}
}

// A ConfigError is a Config field a simulation cannot run with.
type ConfigError struct {
	Field string // the field's name in lower case, as golf sim's flag: games, bots, …
	Msg   string // what is wrong, to follow the field's name
}

func (e *ConfigError) Error() string { return e.Field + " " + e.Msg }

// config is a checked Config, as the workers read it.
type config struct {
	games, players, rounds, decks, workers int
	seed                                   uint64
	rules                                  string // the preset or rule list, for the report
	options                                game.Options
	bots                                   []string // the seat list or the pool to draw from; nil: the personalities
	drawn                                  bool     // bots are a pool: draw players of them per game
	// with is a bot in a rotating seat against distinct personalities
	// rotated equally (--with, the docs/ai.md §3.3 protocol), or "".
	with       string
	trace      io.Writer
	botTimeout time.Duration
	record     io.Writer
}

// Check reports the first field of c a simulation cannot run with: a
// *ConfigError, or game.ParseRules's error for Rules.
func (c *Config) Check() error {
	_, err := c.check()
	return err
}

func (c *Config) check() (*config, error) {
	bad := func(field, format string, args ...any) (*config, error) {
		return nil, &ConfigError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case c.Games < 1:
		return bad("games", "must be at least 1")
	case c.Players < 2 || c.Players > game.MaxPlayers:
		return bad("players", "must be from 2 to %d", game.MaxPlayers)
	case c.Rounds < 1 || c.Rounds > 18:
		return bad("rounds", "must be from 1 to 18")
	case c.Decks < 0 || c.Decks > 3:
		return bad("decks", "must be from 1 to 3")
	case c.Workers < 1:
		return bad("workers", "must be at least 1")
	case c.With != "" && c.Bots != nil:
		return bad("with", "excludes bots")
	}
	cfg := &config{games: c.Games, players: c.Players, rounds: c.Rounds, decks: c.Decks, workers: c.Workers,
		seed: c.Seed, rules: c.Rules, trace: c.Trace, record: c.Record, botTimeout: c.BotTimeout}
	if cfg.rules == "" {
		cfg.rules = "standard"
	}
	if cfg.botTimeout <= 0 {
		cfg.botTimeout = 10 * time.Second
	}
	var err error
	if cfg.options, err = game.ParseRules(c.Rules); err != nil {
		return nil, err
	}
	if c.With != "" {
		if strings.HasPrefix(c.With, "cmd:") {
			return bad("with", "takes a built-in bot")
		}
		if _, err := ai.New(c.With); err != nil {
			return bad("with", "names an unknown bot %q", c.With)
		}
		cfg.with = c.With
		if others := len(cfg.botNames()) - 1; others < c.Players-1 {
			return bad("with", "leaves %d personalities for %d other seats", others, c.Players-1)
		}
	}
	if c.Bots != nil {
		if err := checkBots(c.Bots, c.Players); err != nil {
			return nil, err
		}
		cfg.bots = c.Bots
		cfg.drawn = len(c.Bots) > c.Players
	}
	return cfg, nil
}

// checkBots validates a bot list: known names, no repeats (each profile
// sits at most once in a game, docs/ai.md §1.1), enough of them.
func checkBots(bots []string, players int) error {
	bad := func(format string, args ...any) error {
		return &ConfigError{Field: "bots", Msg: fmt.Sprintf(format, args...)}
	}
	seen := map[string]bool{}
	for _, b := range bots {
		if b == "" {
			return bad("has an empty name")
		}
		if seen[b] {
			return bad("names %q twice: each bot sits at most once in a game", b)
		}
		seen[b] = true
		if prog, ok := strings.CutPrefix(b, "cmd:"); ok {
			if strings.TrimSpace(prog) == "" {
				return bad("entry %q names no program", b)
			}
			continue
		}
		if _, err := ai.New(b); err != nil {
			return bad("names an unknown bot %q", b)
		}
	}
	if len(bots) < players {
		return bad("names %d bots for %d players", len(bots), players)
	}
	return nil
}

// Run plays c.Games games on c.Workers goroutines and returns their
// figures. A bot that fails (an external program that dies, answers
// nonsense or an illegal move, or a round that never ends) stops the
// simulation with an error naming the game.
func Run(ctx context.Context, c Config) (*Result, error) {
	cfg, err := c.check()
	if err != nil {
		return nil, err
	}
	return simulate(ctx, cfg)
}

// botNames is the list of bots a simulation seats, in report order.
func (c *config) botNames() []string {
	if c.bots != nil {
		return c.bots
	}
	var out []string
	if c.with != "" {
		out = append(out, c.with)
	}
	for _, p := range ai.Personalities() {
		if p.ID != c.with {
			out = append(out, p.ID)
		}
	}
	return out
}

// lineup returns game i's bots by seat, as indexes into the pool of bot
// names: drawn at random from the pool, or the seat list rotated by i.
func (c *config) lineup(i int, r *rand.Rand, pool int, dst []int) []int {
	dst = dst[:0]
	if c.with != "" {
		// The bot (name 0) sits at seat i mod players; each block of
		// players games shares one set of opponents, the next players-1 of
		// the roster read as a cycle, so the blocks tile the roster and
		// every personality sits equally often, and in every seat.
		n, others := c.players, pool-1
		at := i % n
		base := (i / n) * (n - 1)
		dst = slices.Grow(dst, n)[:n]
		dst[at] = 0
		for k := range n - 1 {
			dst[(at+1+k)%n] = 1 + (base+k)%others
		}
		return dst
	}
	if c.bots == nil || c.drawn {
		for _, k := range r.Perm(pool)[:c.players] {
			dst = append(dst, k)
		}
		return dst
	}
	for s := range c.players {
		dst = append(dst, (s+i)%c.players)
	}
	return dst
}

// seatBot is anything that can play a seat: a CPU player or an external
// program.
type seatBot interface {
	// decide fills d; a Decision is large, so it is not passed around by value.
	decide(v *game.View, r *rand.Rand, d *ai.Decision) error
}

// cpuBot adapts an ai.Player; a CPU that has no move when it should is a bug.
type cpuBot struct {
	name string
	p    ai.Player
}

func (b *cpuBot) decide(v *game.View, r *rand.Rand, d *ai.Decision) error {
	ai.DecideInto(b.p, v, r, d)
	if d.Command.Kind == game.CmdNone {
		return fmt.Errorf("%s returned no command in phase %v, step %v", b.name, v.Phase, v.Step)
	}
	return nil
}

// simulate plays cfg.games games on cfg.workers goroutines. Game i gets
// its own random source, derived from the seed and i, and results are sums
// of integers, so the outcome does not depend on the number of workers;
// trace lines are written in game order.
func simulate(ctx context.Context, cfg *config) (*Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	names := cfg.botNames()
	workers := min(cfg.workers, cfg.games)
	var next atomic.Int64
	accs := make([]*tally, workers)
	var tr, rec *orderedWriter
	if cfg.trace != nil {
		tr = newOrderedWriter(cfg.trace)
	}
	if cfg.record != nil {
		rec = newOrderedWriter(cfg.record)
	}
	var (
		mu       sync.Mutex
		firstErr error
		errGame  = -1
	)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		acc := newTally(len(names))
		accs[w] = acc
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := newWorker(cfg, names, acc)
			defer wk.close()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= cfg.games {
					return
				}
				err := wk.play(i)
				if tr != nil {
					tr.put(i, wk.trace.Bytes())
				}
				if rec != nil {
					rec.put(i, wk.rec.Bytes())
				}
				if err != nil {
					mu.Lock()
					if errGame < 0 || i < errGame {
						firstErr, errGame = err, i
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return nil, fmt.Errorf("game %d: %w", errGame, firstErr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if tr != nil {
		if err := tr.err; err != nil {
			return nil, fmt.Errorf("trace: %w", err)
		}
	}
	if rec != nil {
		if err := rec.err; err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
	}
	total := newTally(len(names))
	for _, a := range accs {
		total.add(a)
	}
	return &Result{cfg: cfg, names: names, t: total, elapsed: elapsed}, nil
}

// worker plays games one after another, reusing everything it can.
type worker struct {
	cfg      *config
	names    []string
	acc      *tally
	s        game.State
	view     game.View
	held     game.HeldView
	log      game.Log // every event of the current game, as a store would hold it
	grader   ai.Grader
	cpus     map[string]seatBot
	seats    []int // bot index by seat
	bots     [game.MaxPlayers]seatBot
	ids      [game.MaxPlayers]string
	cpuNames [game.MaxPlayers]string // "CPU 1", …: the seats' display names
	trace    bytes.Buffer
	rec      bytes.Buffer // the game's record, when cfg.record is set
	dec      ai.Decision  // the decision being played
	pcg      rand.PCG     // the game's random source, through rnd
	rnd      *rand.Rand
	game     int // the game being played
	acting   int // the seat whose command is being played

	// the current round, per seat
	flags      [game.MaxPlayers]ai.Flags // of the turn in progress
	roundTurns int
	first      int // the round's first player
	reshuffles int
}

func newWorker(cfg *config, names []string, acc *tally) *worker {
	w := &worker{cfg: cfg, names: names, acc: acc, cpus: map[string]seatBot{}}
	w.rnd = rand.New(&w.pcg)
	for i := range w.ids {
		w.ids[i] = "s" + strconv.Itoa(i)
		w.cpuNames[i] = "CPU " + strconv.Itoa(i)
	}
	return w
}

// bot returns the worker's player for a bot name, starting it if needed.
// Within a game every seat has a different bot, so seats never share one.
func (w *worker) bot(name string) (seatBot, error) {
	if b, ok := w.cpus[name]; ok {
		return b, nil
	}
	var b seatBot
	if prog, ok := strings.CutPrefix(name, "cmd:"); ok {
		x, err := startExtBot(prog, w.cfg.botTimeout)
		if err != nil {
			return nil, err
		}
		b = x
	} else {
		p, err := ai.New(name)
		if err != nil {
			return nil, err
		}
		b = &cpuBot{name: name, p: p}
	}
	w.cpus[name] = b
	return b, nil
}

func (w *worker) close() {
	for _, b := range w.cpus {
		if x, ok := b.(*extBot); ok {
			x.close()
		}
	}
}

// seedFrom draws a round seed from the game's source. The simulator is
// reproducible from --seed by design: its seeds are not secret.
func seedFrom(r *rand.Rand) game.Seed {
	var s game.Seed
	for i := range 4 {
		binary.LittleEndian.PutUint64(s[8*i:], r.Uint64())
	}
	return s
}

// do decides and applies one command through the engine, recording its events.
func (w *worker) do(c *game.Command) error {
	l := &w.log
	n := l.Len()
	if err := game.DecideLog(l, &w.s, c); err != nil {
		return fmt.Errorf("engine rejected %v by %s: %w", c.Kind, c.By, err)
	}
	for i := n; i < l.Len(); i++ {
		reshuffles := w.s.Reshuffles()
		if err := l.Apply(&w.s, i); err != nil {
			return fmt.Errorf("apply %s: %w", l.Type(i), err)
		}
		w.observe(i, reshuffles)
		if w.cfg.record != nil {
			b, err := game.MarshalEvent(l.Event(i))
			if err != nil {
				return err
			}
			w.rec.Write(b)
			w.rec.WriteByte('\n')
		}
	}
	return nil
}

// play plays game i to its end.
func (w *worker) play(i int) error {
	cfg := w.cfg
	w.pcg.Seed(cfg.seed, uint64(i))
	r := w.rnd
	w.game = i
	w.s = game.State{}
	w.log.Reset()
	w.trace.Reset()
	w.rec.Reset()
	if cfg.record != nil {
		fmt.Fprintf(&w.rec, "game %d\n", i)
	}
	w.seats = cfg.lineup(i, r, len(w.names), w.seats)
	for s, k := range w.seats {
		b, err := w.bot(w.names[k])
		if err != nil {
			return err
		}
		w.bots[s] = b
	}
	set := game.Settings{Decks: cfg.decks, Rounds: cfg.rounds, Options: cfg.options}
	create := game.CreateGameCmd(w.ids[0], "Host", "SIM", set)
	if err := w.do(&create); err != nil {
		return err
	}
	for s := 1; s < cfg.players; s++ {
		name := w.names[w.seats[s]]
		var c game.Command
		if strings.HasPrefix(name, "cmd:") {
			c = game.JoinCmd(w.ids[s], "Bot "+strconv.Itoa(s))
		} else {
			c = game.AddCPUCmd(w.ids[0], w.ids[s], w.cpuNames[s], name)
		}
		if err := w.do(&c); err != nil {
			return err
		}
	}
	start := game.StartGameCmd(w.ids[0], seedFrom(r))
	if err := w.do(&start); err != nil {
		return err
	}
	w.startRound()
	commands := 0
	for {
		var seat int
		switch w.s.Phase() {
		case game.PhaseGameOver:
			w.acc.games++
			return nil
		case game.PhaseRoundOver:
			next := game.NextRoundCmd(game.Platform, seedFrom(r))
			if err := w.do(&next); err != nil {
				return err
			}
			w.startRound()
			continue
		case game.PhaseInitialFlip:
			seat = -1
			for p := range cfg.players {
				if w.s.AwaitingFlip(p) {
					seat = p
					break
				}
			}
		default:
			seat = w.s.Current()
		}
		if seat < 0 {
			return fmt.Errorf("round %d: nobody can act in phase %v", w.s.Round(), w.s.Phase())
		}
		if err := w.turn(seat, r); err != nil {
			return fmt.Errorf("round %d, %s at seat %d: %w", w.s.Round(), w.names[w.seats[seat]], seat, err)
		}
		if w.roundTurns > maxRoundTurns {
			return fmt.Errorf("round %d has gone on for more than %d turns", w.s.Round(), maxRoundTurns)
		}
		// A bot may put a card back and take it again for ever without
		// ending a turn.
		if commands++; commands > 40*maxRoundTurns*cfg.rounds {
			return fmt.Errorf("round %d does not end: %d commands", w.s.Round(), commands)
		}
	}
}

func (w *worker) startRound() {
	w.roundTurns, w.reshuffles, w.flags = 0, 0, [game.MaxPlayers]ai.Flags{}
	w.first = -1
}

// turn asks seat's bot for one command, grades it against the view it was
// decided from (docs/ai.md §5) and plays it.
func (w *worker) turn(seat int, r *rand.Rand) error {
	v := &w.view
	// Lend the view a held-card buffer: ViewInto reuses v.Held, and a view
	// without a held card gives its buffer up.
	if v.Held == nil {
		v.Held = &w.held
	}
	w.s.ViewInto(v, seat)
	if w.first < 0 && v.Phase != game.PhaseInitialFlip {
		w.first = v.First
	}
	d := &w.dec
	if err := w.bots[seat].decide(v, r, d); err != nil {
		return err
	}
	c := &d.Command
	if w.cfg.record != nil {
		fmt.Fprintf(&w.rec, "> seat %d: %s pos %d source %v positions %v delay %d\n",
			seat, c.Kind, c.Pos, c.Source, c.Positions, d.Delay)
	}
	k := w.seats[seat]
	bs := &w.acc.bots[k]
	bs.decisions++
	if c.Kind != game.CmdFlipInitial {
		w.flags[seat] |= w.grader.GradeCommand(v, c)
		bs.mix(v, c)
	}
	w.acting = seat
	return w.do(c)
}

// observe updates the statistics with event i of the log, just applied;
// reshuffles is the state's count before it. The turn events are told
// apart by type and the state they left, without boxing them.
func (w *worker) observe(i, reshuffles int) {
	switch w.log.Type(i) {
	case "CardDrawn":
		if w.s.Reshuffles() > reshuffles {
			w.reshuffles++
		}
	case "CardSwapped", "CardFlipped", "FlipSkipped", "FlipAsAction", "Knocked":
		w.endTurn()
	case "CardDiscarded":
		if w.s.Step() != game.StepFlipOwed { // the discard owes no flip
			w.endTurn()
		}
	case "RoundEnded":
		e := w.log.Event(i).(game.RoundEnded)
		w.roundEnded(&e)
	case "GameEnded":
		e := w.log.Event(i).(game.GameEnded)
		if w.cfg.rounds > 1 && e.Reason == game.ReasonCompleted {
			for _, id := range e.Winners {
				w.acc.bots[w.seats[w.s.Seat(id)]].gameWins++
			}
			for _, p := range e.Players {
				bs := &w.acc.bots[w.seats[w.s.Seat(p.PlayerID)]]
				bs.games++
				bs.totalSum += int64(p.Total)
			}
		}
	}
}

// endTurn closes the turn of the seat acting now: one graded turn (docs/ai.md §5).
func (w *worker) endTurn() {
	seat := w.acting
	w.roundTurns++
	bs := &w.acc.bots[w.seats[seat]]
	bs.turns++
	f := w.flags[seat]
	w.flags[seat] = 0
	if f == 0 {
		return
	}
	switch f.Class() {
	case ai.Blunder:
		bs.blunders++
	case ai.Mistake:
		bs.mistakes++
	}
	for c := ai.Category(1); c <= ai.NumCategories; c++ {
		if f.Has(c) {
			bs.cats[c-1]++
		}
	}
}

// roundEnded scores a round into the tally and the trace.
func (w *worker) roundEnded(e *game.RoundEnded) {
	t := w.acc
	t.rounds++
	t.turns += int64(w.roundTurns)
	t.reshuffles += int64(w.reshuffles)
	if e.Reason == game.ReasonDeckExhausted {
		t.exhausted++
	}
	t.maxTurns = max(t.maxTurns, w.roundTurns)
	fin := -1
	if e.FinisherID != "" {
		fin = w.s.Seat(string(e.FinisherID))
	}
	low := e.Players[0].RoundScore
	for _, p := range e.Players {
		low = min(low, p.RoundScore)
	}
	for _, p := range e.Players {
		seat := w.s.Seat(p.PlayerID)
		bs := &t.bots[w.seats[seat]]
		sc := int64(p.RoundScore)
		bs.rounds++
		bs.scoreSum += sc
		bs.scoreSq += sc * sc
		bs.pairs += int64(columnPairs(&p.Hand))
		won := p.RoundScore == low
		if won {
			bs.wins++
		}
		switch {
		case seat == fin:
			bs.finishes++
			bs.finScore += sc
			if won {
				bs.finLowest++
			}
		default:
			bs.otherScore += sc
		}
		if seat == w.first && won {
			t.firstWins++
		}
	}
	if w.cfg.trace != nil {
		w.traceRound(e, fin)
	}
}

func columnPairs(h *[6]game.Card) int {
	n := 0
	for c := range 3 {
		if h[c].Rank == h[c+3].Rank {
			n++
		}
	}
	return n
}

// traceRound appends one JSON line for a finished round to the game's trace.
func (w *worker) traceRound(e *game.RoundEnded, fin int) {
	type tracePlayer struct {
		Bot       string   `json:"bot"`
		Cards     []string `json:"cards"`
		HandScore int      `json:"hand_score"`
		Score     int      `json:"score"`
	}
	line := struct {
		Game     int           `json:"game"`
		Round    int           `json:"round"`
		Options  game.Options  `json:"options"`
		Finisher *int          `json:"finisher"`
		Players  []tracePlayer `json:"players"`
	}{Game: w.game, Round: e.Round, Options: w.cfg.options}
	if fin >= 0 {
		line.Finisher = &fin
	}
	for _, p := range e.Players {
		tp := tracePlayer{Bot: w.names[w.seats[w.s.Seat(p.PlayerID)]], HandScore: p.HandScore, Score: p.RoundScore}
		for _, c := range p.Hand {
			tp.Cards = append(tp.Cards, c.String())
		}
		line.Players = append(line.Players, tp)
	}
	b, _ := json.Marshal(line)
	w.trace.Write(b)
	w.trace.WriteByte('\n')
}

// orderedWriter writes each game's lines (its trace or its record) in game
// order, whatever order the workers finish in.
type orderedWriter struct {
	mu      sync.Mutex
	w       io.Writer
	next    int
	pending map[int][]byte
	err     error
}

func newOrderedWriter(w io.Writer) *orderedWriter {
	return &orderedWriter{w: w, pending: map[int][]byte{}}
}

func (t *orderedWriter) put(i int, b []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending[i] = slices.Clone(b)
	for {
		b, ok := t.pending[t.next]
		if !ok {
			return
		}
		delete(t.pending, t.next)
		t.next++
		if t.err == nil {
			_, t.err = t.w.Write(b)
		}
	}
}
