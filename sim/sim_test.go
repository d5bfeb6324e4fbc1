package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golf/game"
)

// sim runs golf sim in-process.
func sim(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), append([]string{"sim"}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

// untimed parses sim --json output and drops the wall-clock figures, the
// only ones a seed does not fix.
func untimed(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("sim --json: %v\n%s", err, out)
	}
	for _, k := range []string{"seconds", "rounds_per_second", "decisions_per_second"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("sim --json has no %q", k)
		}
		delete(m, k)
	}
	return m
}

var speedLine = regexp.MustCompile(`(?m)^Speed\n.*\n`)

// TestSimSeedReproducible runs the same seed with one worker and with
// several: the reports are identical but for the timings.
func TestSimSeedReproducible(t *testing.T) {
	args := []string{"--games", "120", "--seed", "7", "--rounds", "2", "--players", "5", "--rules", "jokers=standard,knock_early"}
	var first map[string]any
	for _, w := range []string{"1", "3", "1"} {
		out, errs, code := sim(t, append(args, "--workers", w, "--json")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		got := untimed(t, out)
		if first == nil {
			first = got
			continue
		}
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(got)
		if !bytes.Equal(a, b) {
			t.Fatalf("--workers %s differs:\n%s\n%s", w, a, b)
		}
	}
	text1, _, _ := sim(t, append(args, "--workers", "1")...)
	text2, _, _ := sim(t, append(args, "--workers", "2")...)
	if speedLine.ReplaceAllString(text1, "") != speedLine.ReplaceAllString(text2, "") {
		t.Fatalf("text reports differ:\n%s\n%s", text1, text2)
	}
	other, _, _ := sim(t, "--games", "120", "--seed", "8", "--rounds", "2", "--players", "5", "--rules", "jokers=standard,knock_early", "--json")
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(untimed(t, other))
	if bytes.Equal(a, b) {
		t.Fatal("seeds 7 and 8 gave the same games")
	}
}

// TestSimJSON checks the fields ai.md §6.1 requires and their arithmetic.
func TestSimJSON(t *testing.T) {
	out, errs, code := sim(t, "--games", "300", "--players", "4", "--workers", "2", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r resultJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Games != 300 || r.Rounds != 300 || r.Turns <= 0 || r.Seconds <= 0 || r.RoundsPerSecond <= 0 {
		t.Fatalf("games %d rounds %d turns %d seconds %v rps %v", r.Games, r.Rounds, r.Turns, r.Seconds, r.RoundsPerSecond)
	}
	if len(r.Bots) != 8 {
		t.Fatalf("%d bots, want the eight personalities", len(r.Bots))
	}
	var appearances, wins int64
	for name, b := range r.Bots {
		appearances += b.Rounds
		wins += b.Wins
		if b.Blunders != 0 || b.Mistakes != 0 {
			t.Errorf("%s: %d blunders, %d mistakes", name, b.Blunders, b.Mistakes)
		}
		if b.CI95[0] > b.AvgScore || b.CI95[1] < b.AvgScore {
			t.Errorf("%s: CI %v around %v", name, b.CI95, b.AvgScore)
		}
	}
	if appearances != 4*300 {
		t.Errorf("%d appearances, want 1200", appearances)
	}
	if wins < 300 || wins > 400 { // a tie counts for every tied bot
		t.Errorf("%d wins in 300 rounds", wins)
	}
	if r.Table.TurnsPerRound != float64(int64(r.Table.TurnsPerRound*1e4))/1e4 || r.Table.TurnsPerRound < 10 {
		t.Errorf("turns per round %v", r.Table.TurnsPerRound)
	}
}

// TestSimTrace checks --trace: one line per finished round, in game order,
// whatever the number of workers, with hand scores the engine agrees with.
func TestSimTrace(t *testing.T) {
	dir := t.TempDir()
	var traces [][]byte
	for _, w := range []string{"1", "4"} {
		path := filepath.Join(dir, "trace"+w+".jsonl")
		_, errs, code := sim(t, "--games", "40", "--rounds", "3", "--players", "3", "--workers", w,
			"--rules", "knock_penalty,blackjack", "--trace", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		traces = append(traces, b)
	}
	if !bytes.Equal(traces[0], traces[1]) {
		t.Fatal("traces differ between 1 and 4 workers")
	}
	opts, _ := game.ParseRules("knock_penalty,blackjack")
	sc := bufio.NewScanner(bytes.NewReader(traces[0]))
	lines := 0
	for sc.Scan() {
		var line struct {
			Game     int            `json:"game"`
			Round    int            `json:"round"`
			Options  map[string]any `json:"options"`
			Finisher *int           `json:"finisher"`
			Players  []struct {
				Bot       string   `json:"bot"`
				Cards     []string `json:"cards"`
				HandScore int      `json:"hand_score"`
				Score     int      `json:"score"`
			} `json:"players"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if line.Game != lines/3 || line.Round != lines%3+1 {
			t.Fatalf("line %d is game %d round %d", lines, line.Game, line.Round)
		}
		if line.Options["knock_penalty"] != true || line.Options["flip_mode"] != "never" {
			t.Fatalf("options %v", line.Options)
		}
		if line.Finisher != nil && (*line.Finisher < 0 || *line.Finisher > 2) {
			t.Fatalf("finisher %d", *line.Finisher)
		}
		if len(line.Players) != 3 {
			t.Fatalf("%d players", len(line.Players))
		}
		for _, p := range line.Players {
			var h [6]game.Card
			if len(p.Cards) != 6 {
				t.Fatalf("cards %v", p.Cards)
			}
			for i, code := range p.Cards {
				c, err := game.ParseCard(code)
				if err != nil {
					t.Fatal(err)
				}
				h[i] = c
			}
			if hs := opts.HandScore(&h); hs != p.HandScore {
				t.Fatalf("%v: hand_score %d, engine says %d", p.Cards, p.HandScore, hs)
			}
		}
		lines++
	}
	if lines != 40*3 {
		t.Fatalf("%d lines, want 120", lines)
	}
}

func TestSimCompare(t *testing.T) {
	out, errs, code := sim(t, "--games", "60", "--compare", "standard", "jokers", "wolfpack")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"standard", "jokers", "wolfpack", "sofia", "turns per round"} {
		if !strings.Contains(out, want) {
			t.Errorf("compare report lacks %q:\n%s", want, out)
		}
	}
	out, _, code = sim(t, "--games", "30", "--compare", "--json", "speed_golf,chaos")
	var c struct {
		Compare []resultJSON `json:"compare"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &c) != nil || len(c.Compare) != 2 || c.Compare[1].Rules != "chaos" {
		t.Fatalf("compare --json: exit %d\n%s", code, out)
	}
}

func TestSimReport(t *testing.T) {
	out, errs, code := sim(t, "--games", "50", "--rounds", "3", "--bots", "sofia,kenji,random", "--players", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Wins and scores", "game wins", "Going out", "Decision mix", "Analysis", "Table", "Speed", "random"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// The random bot errs; the analysis names its categories.
	if !regexp.MustCompile(`random\s+\d+\s+[1-9]\d*\s+`).MatchString(out) {
		t.Errorf("random bot without blunders:\n%s", out)
	}
}

func TestSimFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--games", "0"}, "--games"},
		{[]string{"--players", "7"}, "--players"},
		{[]string{"--bots", "marcus,nobody"}, `unknown bot "nobody"`},
		{[]string{"--bots", "marcus,marcus"}, "twice"},
		{[]string{"--bots", "marcus,maya", "--players", "3"}, "2 bots for 3 players"},
		{[]string{"--bots", "marcus,cmd:"}, "names no program"},
		{[]string{"--preset", "nope"}, "unknown preset"},
		{[]string{"--rules", "nope"}, "unknown option"},
		{[]string{"--preset", "jokers", "--rules", "wolfpack"}, "not both"},
		{[]string{"--compare"}, "--compare needs presets"},
		{[]string{"stray"}, "unexpected arguments"},
		{[]string{"--with", "expert", "--bots", "marcus,maya,sofia,sage"}, "--with or --bots"},
		{[]string{"--with", "nobody"}, `unknown bot "nobody"`},
		{[]string{"--with", "cmd:x"}, "built-in bot"},
	}
	for _, tc := range tests {
		_, errs, code := sim(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// buildLowbot builds the example bot once per test binary.
func buildLowbot(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("building examples/lowbot needs the go tool: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "lowbot")
	cmd := exec.Command(gobin, "build", "-o", bin, "golf/examples/lowbot")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSimExternalBot plays the example bot over the JSON Lines protocol.
func TestSimExternalBot(t *testing.T) {
	bin := buildLowbot(t)
	name := "cmd:" + bin
	out, errs, code := sim(t, "--games", "60", "--players", "3", "--workers", "2",
		"--rules", "flip_mode=always,knock_early,flip_as_action,initial_flips=1", "--bots", "marcus,maya,"+name, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r resultJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if b := r.Bots[name]; b.Rounds != 60 || b.Decisions == 0 {
		t.Fatalf("lowbot: %+v", b)
	}
	if r.Bots[name].AvgScore <= r.Bots["marcus"].AvgScore {
		t.Logf("lowbot (%.2f) beat marcus (%.2f)", r.Bots[name].AvgScore, r.Bots["marcus"].AvgScore)
	}
}

// TestSimBrokenBots checks that a bot that crashes, talks nonsense, plays
// an illegal move or never ends a round stops the simulation with a clear
// error.
func TestSimBrokenBots(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
		return "cmd:" + p
	}
	// first answers with the first move it is offered: it never turns up a
	// second card, so a table of two of them never ends a round.
	first := `exec sed -u -n 's/.*"moves":\[\({[^}]*}\).*/\1/p'` + "\n"
	tests := []struct {
		name string
		bots string
		want string
	}{
		{"crash", script("crash", "echo 'out of cheese' >&2\nexit 3\n") + ",marcus", "out of cheese"},
		{"garbage", script("garbage", "while read -r line; do echo hello; done\n") + ",marcus", `answered "hello": not a JSON command`},
		{"illegal", script("illegal", `while read -r line; do echo '{"type":"knock"}'; done`+"\n") + ",marcus", "not one of its legal moves"},
		{"silent exit", script("quiet", "exit 0\n") + ",marcus", "stopped"},
		{"endless", script("first1", first) + "," + script("first2", first), "more than 500 turns"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := sim(t, "--games", "3", "--players", "2", "--bots", tc.bots)
			if code != 1 || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, errs, tc.want)
			}
		})
	}
}

// TestSimWithLineup checks the --with seating (ai.md §3.3): the bot in
// every game, in every seat equally often, and the other seats distinct
// personalities that each sit equally often and in every seat.
func TestSimWithLineup(t *testing.T) {
	for _, players := range []int{2, 3, 4, 6} {
		c := simConfig{players: players, with: "expert"}
		names := c.botNames()
		if names[0] != "expert" || len(names) != 9 {
			t.Fatalf("names %v", names)
		}
		games := players * (len(names) - 1) * (players - 1) // a whole number of rotations
		seatCount := make([][]int, len(names))
		for k := range seatCount {
			seatCount[k] = make([]int, players)
		}
		var dst []int
		for i := range games {
			dst = c.lineup(i, nil, len(names), dst)
			seen := map[int]bool{}
			for s, k := range dst {
				if seen[k] {
					t.Fatalf("game %d seats %s twice: %v", i, names[k], dst)
				}
				seen[k] = true
				seatCount[k][s]++
			}
			if !seen[0] {
				t.Fatalf("game %d without the expert: %v", i, dst)
			}
		}
		for k, row := range seatCount {
			for s, n := range row {
				want := games / players
				if k > 0 {
					want = games * (players - 1) / (len(names) - 1) / players
				}
				if n != want {
					t.Errorf("%d players: %s sat at seat %d %d times, want %d", players, names[k], s, n, want)
				}
			}
		}
	}
	out, errs, code := sim(t, "--games", "40", "--with", "expert", "--json", "--workers", "2")
	var res resultJSON
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	if b, ok := res.Bots["expert"]; !ok || b.Rounds != 40 {
		t.Errorf("expert in %+v", res.Bots)
	}
}
