package sim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var (
	update     = flag.Bool("update", false, "rewrite the golden files under testdata/")
	recordDir  = flag.String("record", "", "write each golden run's full record (every decision and event) into this directory, to diff two builds")
	goldenFile = filepath.Join("testdata", "sim_golden.txt")
)

// goldenRuns are the simulations the regression test pins: golf sim
// command lines, each run in-process with one worker. The first is the
// benchmark's workload; the others cover the option combinations and table
// sizes the personalities and the engine treat differently.
var goldenRuns = []string{
	"--games 2000 --players 4 --seed 1",
	"--games 300 --players 2 --preset jokers --seed 2",
	"--games 100 --players 3 --rounds 3 --rules flip_mode=always,knock_early --bots standin,maya,river --seed 3",
	"--games 150 --players 5 --rules flip_mode=endgame,flip_as_action,knock_early,knock_penalty --seed 4",
	"--games 100 --players 6 --decks 1 --preset eagle_eye --seed 5",
	"--games 150 --players 4 --rounds 2 --preset all_bonuses --seed 6",
	"--games 150 --players 4 --preset everything --seed 7",
	"--games 150 --players 3 --rules one_eyed_jacks,negative_pairs_keep_value,jokers=lucky_swing,initial_flips=1 --bots sofia,random,sage --seed 8",
	"--games 100 --players 6 --decks 2 --rules flip_as_action,initial_flips=0,super_kings,ten_penny --seed 9",
	"--games 30 --players 4 --rounds 9 --preset wild --seed 10",
	"--games 200 --players 4 --with expert --preset all_bonuses --seed 11",
}

// gamesPerDigest is how many games' records one digest line covers, so a
// failure says roughly where the first difference is.
const gamesPerDigest = 250

// TestSimGolden pins what the simulator computes: for every run in
// goldenRuns, its --json report without the timings, and digests of its
// --trace output and of every decision (command and thinking delay) and
// every event, in order. Any change to a personality's choices, its delays,
// the engine's events or the scoring shows up here. A deliberate change
// regenerates the file with -update, and its commit says why.
//
// The digests pin float64 arithmetic as amd64 does it: a platform that fuses
// multiply-adds (arm64, ppc64le, s390x) may round differently and break
// near-ties.
func TestSimGolden(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("the golden digests are of amd64 float arithmetic; GOARCH=%s may fuse multiply-adds", runtime.GOARCH)
	}
	if testing.Short() {
		t.Skip("plays about 4,000 rounds")
	}
	var got bytes.Buffer
	for i, args := range goldenRuns {
		cfg, err := goldenConfig(args)
		if err != nil {
			t.Fatalf("%s: %v", args, err)
		}
		var trace, record bytes.Buffer
		cfg.Trace, cfg.Record = &trace, &record
		res, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatalf("%s: %v", args, err)
		}
		if *recordDir != "" {
			if err := os.WriteFile(filepath.Join(*recordDir, fmt.Sprintf("run%d.txt", i)), record.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var report bytes.Buffer
		if err := res.WriteJSON(&report); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&got, "== golf sim %s --workers 1 --json\n", args)
		got.Write(untimedJSON(t, report.Bytes()))
		fmt.Fprintf(&got, "trace: %d lines, sha256 %x\n", bytes.Count(trace.Bytes(), []byte("\n")), sha256.Sum256(trace.Bytes()))
		writeDigests(&got, record.Bytes())
	}
	if *update {
		if err := os.WriteFile(goldenFile, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("the simulation changed; first difference:\n%s\n(rerun with -record DIR before and after the change and diff the records; -update only for a deliberate change)",
			firstDiff(string(want), got.String()))
	}
}

// goldenConfig reads a golden run's command line as golf sim reads its
// flags of the same names (cli/sim.go), with one worker.
func goldenConfig(args string) (Config, error) {
	c := DefaultConfig()
	c.Workers = 1
	fs := flag.NewFlagSet("golden", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&c.Games, "games", c.Games, "")
	fs.IntVar(&c.Players, "players", c.Players, "")
	fs.IntVar(&c.Rounds, "rounds", c.Rounds, "")
	fs.IntVar(&c.Decks, "decks", c.Decks, "")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "")
	fs.StringVar(&c.Rules, "rules", "", "")
	fs.StringVar(&c.Rules, "preset", "", "") // a preset is a rule spec
	fs.StringVar(&c.With, "with", "", "")
	bots := fs.String("bots", "", "")
	if err := fs.Parse(strings.Fields(args)); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *bots != "" {
		c.Bots = strings.Split(*bots, ",")
	}
	return c, c.Check()
}

// untimedJSON re-indents a --json report without its wall-clock figures.
func untimedJSON(t *testing.T, report []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(report, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"seconds", "rounds_per_second", "decisions_per_second"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("report has no %q", k)
		}
		delete(m, k)
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// writeDigests writes one digest of the record per gamesPerDigest games.
// A game's record starts with a line "game N".
func writeDigests(w io.Writer, record []byte) {
	games := 0
	h := sha256.New()
	flush := func() {
		fmt.Fprintf(w, "record of games %d–%d: sha256 %x\n", (games-1)/gamesPerDigest*gamesPerDigest, games-1, h.Sum(nil))
		h.Reset()
	}
	for line := range bytes.Lines(record) {
		if bytes.HasPrefix(line, []byte("game ")) {
			if games > 0 && games%gamesPerDigest == 0 {
				flush()
			}
			games++
		}
		h.Write(line)
	}
	flush()
}

// firstDiff shows the first line where two texts differ, with its neighbours.
func firstDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			lo := max(0, i-3)
			return fmt.Sprintf("line %d\nwant: %q\ngot:  %q\ncontext (want):\n%s", i+1, x, y, strings.Join(a[lo:min(len(a), i+1)], "\n"))
		}
	}
	return "(none)"
}
