package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"golf/game"
	"golf/sim"
)

func simCommand() command {
	return command{name: "sim", summary: "play CPU players against each other and report", run: runSim}
}

// simRequest is a parsed golf sim command line: one simulation per rule
// spec (several with --compare), and where the results go.
type simRequest struct {
	runs          []sim.Config
	compare, json bool
	trace         string // file for --trace, or ""
	cpuProfile    string // file for --cpuprofile, or ""
}

// errFlags is a command line the flag package has already complained about.
var errFlags = errors.New("bad flags")

// parseSim reads golf sim's flags; package sim checks what they ask for.
func parseSim(args []string, stderr io.Writer) (*simRequest, error) {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := sim.DefaultConfig()
	fs.IntVar(&cfg.Games, "games", cfg.Games, "games to play")
	fs.IntVar(&cfg.Players, "players", cfg.Players, "players per game, 2–6")
	bots := fs.String("bots", "", "comma-separated bots: a seat list (rotated one seat per game) or, if longer than --players, a pool to draw each game's players from; cmd:PROGRAM seats an external bot (docs/bots.md). Default: the eight personalities, drawn")
	preset := fs.String("preset", "", "a preset of rules §9")
	rules := fs.String("rules", "", "a preset, or comma-separated options: name (on) or name=value")
	fs.IntVar(&cfg.Rounds, "rounds", cfg.Rounds, "rounds per game, 1–18")
	fs.IntVar(&cfg.Decks, "decks", cfg.Decks, "decks, 1–3 (default: by the number of players)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed: the same seed gives the same games")
	fs.IntVar(&cfg.Workers, "workers", cfg.Workers, "games played in parallel")
	fs.StringVar(&cfg.With, "with", "", "one bot (e.g. expert) in a seat that rotates through every position, the other seats distinct personalities rotated so that each sits equally often (docs/ai.md §3.3)")
	compare := fs.Bool("compare", false, "run every preset named in the arguments (or --rules) side by side")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the report")
	trace := fs.String("trace", "", "write every finished round to this file as JSON Lines")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the simulation to this file (cmd/golf/default.pgo is one)")
	if err := fs.Parse(args); err != nil {
		return nil, errFlags
	}
	req := &simRequest{compare: *compare, json: *asJSON, trace: *trace, cpuProfile: *cpuProfile}
	switch {
	case *preset != "" && *rules != "":
		return nil, errors.New("give --preset or --rules, not both")
	case cfg.With != "" && *bots != "":
		return nil, errors.New("give --with or --bots, not both")
	}
	if *bots != "" {
		cfg.Bots = strings.Split(*bots, ",")
	}
	spec := *rules
	if *preset != "" {
		if _, ok := game.Preset(*preset); !ok {
			return nil, fmt.Errorf("unknown preset %q (presets: %s)", *preset, strings.Join(game.PresetNames(), ", "))
		}
		spec = *preset
	}
	var specs []string
	switch {
	case *compare:
		for _, a := range fs.Args() {
			specs = append(specs, strings.Split(a, ",")...)
		}
		if len(specs) == 0 && spec != "" {
			specs = strings.Split(spec, ",")
		}
		if len(specs) == 0 {
			return nil, errors.New("--compare needs presets, e.g. golf sim --compare standard jokers wolfpack")
		}
		for _, p := range specs {
			if _, ok := game.Preset(p); !ok {
				return nil, fmt.Errorf("unknown preset %q (presets: %s)", p, strings.Join(game.PresetNames(), ", "))
			}
		}
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected arguments %q (use --compare to compare presets)", fs.Args())
	default:
		specs = []string{spec}
	}
	for _, sp := range specs {
		c := cfg
		c.Rules = sp
		if err := c.Check(); err != nil {
			var ce *sim.ConfigError
			if errors.As(err, &ce) {
				return nil, fmt.Errorf("--%s %s", ce.Field, ce.Msg)
			}
			return nil, err
		}
		req.runs = append(req.runs, c)
	}
	return req, nil
}

// runSim is golf sim (docs/ai.md §6).
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
	var results []*sim.Result
	for _, c := range req.runs {
		c.Trace = trace
		res, err := sim.Run(ctx, c)
		if err != nil {
			fmt.Fprintf(stderr, "golf sim: %v\n", err)
			return 1
		}
		results = append(results, res)
	}
	switch {
	case req.compare && req.json:
		err = sim.WriteCompareJSON(stdout, results)
	case req.compare:
		err = sim.WriteCompare(stdout, results)
	case req.json:
		err = results[0].WriteJSON(stdout)
	default:
		err = results[0].WriteReport(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "golf sim: %v\n", err)
		return 1
	}
	return 0
}
