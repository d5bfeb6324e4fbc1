package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golf/ai"
	"golf/game"
)

// maxRoundTurns is where a simulated round counts as stuck (ai.md §6.3).
const maxRoundTurns = 500

// simConfig is one simulation: what the flags of golf sim ask for.
type simConfig struct {
	games, players, rounds, decks, workers int
	seed                                   uint64
	rules                                  string // the preset or rule list, for the report
	options                                game.Options
	bots                                   []string // the seat list or the pool to draw from; nil: the personalities
	drawn                                  bool     // bots are a pool: draw players of them per game
	// with is a bot in a rotating seat against distinct personalities
	// rotated equally (--with, the ai.md §3.3 protocol), or "".
	with       string
	trace      io.Writer
	botTimeout time.Duration

	// record, when set, receives every game's decisions (command and
	// thinking delay) and events, in game order: the regression test pins
	// the simulation's behaviour with it.
	record io.Writer
}

func simCommand() command {
	return command{name: "sim", summary: "play CPU players against each other and report", run: runSim}
}

// simRequest is a parsed golf sim command line: the configuration shared
// by its runs, and the rule specs to run (several with --compare).
type simRequest struct {
	cfg           simConfig
	specs         []string
	compare, json bool
	trace         string // file for --trace, or ""
	cpuProfile    string // file for --cpuprofile, or ""
}

// errFlags is a command line the flag package has already complained about.
var errFlags = errors.New("bad flags")

// parseSim reads golf sim's flags.
func parseSim(args []string, stderr io.Writer) (*simRequest, error) {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	games := fs.Int("games", 1000, "games to play")
	players := fs.Int("players", 4, "players per game, 2–6")
	bots := fs.String("bots", "", "comma-separated bots: a seat list (rotated one seat per game) or, if longer than --players, a pool to draw each game's players from; cmd:PROGRAM seats an external bot (docs/bots.md). Default: the eight personalities, drawn")
	preset := fs.String("preset", "", "a preset of rules §9")
	rules := fs.String("rules", "", "a preset, or comma-separated options: name (on) or name=value")
	rounds := fs.Int("rounds", 1, "rounds per game, 1–18")
	decks := fs.Int("decks", 0, "decks, 1–3 (default: by the number of players)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same games")
	workers := fs.Int("workers", runtime.NumCPU(), "games played in parallel")
	with := fs.String("with", "", "one bot (e.g. expert) in a seat that rotates through every position, the other seats distinct personalities rotated so that each sits equally often (ai.md §3.3)")
	compare := fs.Bool("compare", false, "run every preset named in the arguments (or --rules) side by side")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the report")
	trace := fs.String("trace", "", "write every finished round to this file as JSON Lines")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the simulation to this file (cmd/golf/default.pgo is one)")
	if err := fs.Parse(args); err != nil {
		return nil, errFlags
	}
	req := &simRequest{compare: *compare, json: *asJSON, trace: *trace, cpuProfile: *cpuProfile}
	cfg := simConfig{games: *games, players: *players, rounds: *rounds, decks: *decks,
		workers: *workers, seed: *seed, botTimeout: 10 * time.Second}
	switch {
	case cfg.games < 1:
		return nil, errors.New("--games must be at least 1")
	case cfg.players < 2 || cfg.players > game.MaxPlayers:
		return nil, fmt.Errorf("--players must be from 2 to %d", game.MaxPlayers)
	case cfg.rounds < 1 || cfg.rounds > 18:
		return nil, errors.New("--rounds must be from 1 to 18")
	case cfg.decks < 0 || cfg.decks > 3:
		return nil, errors.New("--decks must be from 1 to 3")
	case cfg.workers < 1:
		return nil, errors.New("--workers must be at least 1")
	case *preset != "" && *rules != "":
		return nil, errors.New("give --preset or --rules, not both")
	case *with != "" && *bots != "":
		return nil, errors.New("give --with or --bots, not both")
	}
	if *with != "" {
		if strings.HasPrefix(*with, "cmd:") {
			return nil, errors.New("--with takes a built-in bot")
		}
		if _, err := ai.New(*with); err != nil {
			return nil, fmt.Errorf("--with: unknown bot %q", *with)
		}
		cfg.with = *with
		if others := len(cfg.botNames()) - 1; others < cfg.players-1 {
			return nil, fmt.Errorf("--with leaves %d personalities for %d other seats", others, cfg.players-1)
		}
	}
	if *bots != "" {
		cfg.bots = strings.Split(*bots, ",")
		if err := checkBots(cfg.bots, cfg.players); err != nil {
			return nil, err
		}
		cfg.drawn = len(cfg.bots) > cfg.players
	}
	spec := *rules
	if *preset != "" {
		if _, ok := game.Preset(*preset); !ok {
			return nil, fmt.Errorf("unknown preset %q (presets: %s)", *preset, strings.Join(game.PresetNames(), ", "))
		}
		spec = *preset
	}
	switch {
	case *compare:
		for _, a := range fs.Args() {
			req.specs = append(req.specs, strings.Split(a, ",")...)
		}
		if len(req.specs) == 0 && spec != "" {
			req.specs = strings.Split(spec, ",")
		}
		if len(req.specs) == 0 {
			return nil, errors.New("--compare needs presets, e.g. golf sim --compare standard jokers wolfpack")
		}
		for _, p := range req.specs {
			if _, ok := game.Preset(p); !ok {
				return nil, fmt.Errorf("unknown preset %q (presets: %s)", p, strings.Join(game.PresetNames(), ", "))
			}
		}
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected arguments %q (use --compare to compare presets)", fs.Args())
	default:
		req.specs = []string{spec}
	}
	for _, sp := range req.specs {
		if _, err := game.ParseRules(sp); err != nil {
			return nil, err
		}
	}
	req.cfg = cfg
	return req, nil
}

// config is the simulation of one rule spec of the request.
func (req *simRequest) config(spec string) simConfig {
	c := req.cfg
	c.options, _ = game.ParseRules(spec) // parseSim checked it
	c.rules = spec
	if c.rules == "" {
		c.rules = "standard"
	}
	return c
}

// runSim is golf sim (ai.md §6).
func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	req, err := parseSim(args, stderr)
	if err != nil {
		if !errors.Is(err, errFlags) {
			fmt.Fprintf(stderr, "golf sim: %v\n", err)
		}
		return 2
	}
	var trace io.Writer
	if req.trace != "" {
		f, err := os.Create(req.trace)
		if err != nil {
			fmt.Fprintf(stderr, "golf sim: %v\n", err)
			return 2
		}
		defer f.Close()
		trace = f
	}
	if req.cpuProfile != "" {
		f, err := os.Create(req.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "golf sim: %v\n", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "golf sim: %v\n", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	if os.Getenv("GOGC") == "" {
		// A simulation allocates a few short-lived events per command and
		// keeps almost nothing alive, so the default target would collect
		// every few megabytes; a higher one trades some memory (tens of MB)
		// for a tenth less CPU (docs/BENCHMARKS.md).
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	var results []*simResult
	for _, sp := range req.specs {
		c := req.config(sp)
		c.trace = trace
		res, err := simulate(ctx, &c)
		if err != nil {
			fmt.Fprintf(stderr, "golf sim: %v\n", err)
			return 1
		}
		results = append(results, res)
	}
	switch {
	case req.compare && req.json:
		err = writeCompareJSON(stdout, results)
	case req.compare:
		err = writeCompare(stdout, results)
	case req.json:
		err = writeJSON(stdout, results[0])
	default:
		err = writeReport(stdout, results[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "golf sim: %v\n", err)
		return 1
	}
	return 0
}

// checkBots validates a --bots list: known names, no repeats (each profile
// sits at most once in a game, ai.md §1.1), enough of them.
func checkBots(bots []string, players int) error {
	seen := map[string]bool{}
	for _, b := range bots {
		if b == "" {
			return errors.New("--bots has an empty name")
		}
		if seen[b] {
			return fmt.Errorf("--bots names %q twice: each bot sits at most once in a game", b)
		}
		seen[b] = true
		if prog, ok := strings.CutPrefix(b, "cmd:"); ok {
			if strings.TrimSpace(prog) == "" {
				return fmt.Errorf("--bots: %q names no program", b)
			}
			continue
		}
		if _, err := ai.New(b); err != nil {
			return fmt.Errorf("--bots: unknown bot %q", b)
		}
	}
	if len(bots) < players {
		return fmt.Errorf("--bots names %d bots for %d players", len(bots), players)
	}
	return nil
}

// botNames is the list of bots a simulation seats, in report order.
func (c *simConfig) botNames() []string {
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
func (c *simConfig) lineup(i int, r *rand.Rand, pool int, dst []int) []int {
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
func simulate(ctx context.Context, cfg *simConfig) (*simResult, error) {
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
			wk := newSimWorker(cfg, names, acc)
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
	return &simResult{cfg: cfg, names: names, t: total, elapsed: elapsed}, nil
}

// simWorker plays games one after another, reusing everything it can.
type simWorker struct {
	cfg      *simConfig
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

func newSimWorker(cfg *simConfig, names []string, acc *tally) *simWorker {
	w := &simWorker{cfg: cfg, names: names, acc: acc, cpus: map[string]seatBot{}}
	w.rnd = rand.New(&w.pcg)
	for i := range w.ids {
		w.ids[i] = "s" + strconv.Itoa(i)
		w.cpuNames[i] = "CPU " + strconv.Itoa(i)
	}
	return w
}

// bot returns the worker's player for a bot name, starting it if needed.
// Within a game every seat has a different bot, so seats never share one.
func (w *simWorker) bot(name string) (seatBot, error) {
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

func (w *simWorker) close() {
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
func (w *simWorker) do(c *game.Command) error {
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
func (w *simWorker) play(i int) error {
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

func (w *simWorker) startRound() {
	w.roundTurns, w.reshuffles, w.flags = 0, 0, [game.MaxPlayers]ai.Flags{}
	w.first = -1
}

// turn asks seat's bot for one command, grades it against the view it was
// decided from (ai.md §5) and plays it.
func (w *simWorker) turn(seat int, r *rand.Rand) error {
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
func (w *simWorker) observe(i, reshuffles int) {
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

// endTurn closes the turn of the seat acting now: one graded turn (ai.md §5).
func (w *simWorker) endTurn() {
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
func (w *simWorker) roundEnded(e *game.RoundEnded) {
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
func (w *simWorker) traceRound(e *game.RoundEnded, fin int) {
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
