package sim

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

// conf is golf sim's defaults (DefaultConfig) edited by edit.
func conf(edit func(*Config)) Config {
	c := DefaultConfig()
	edit(&c)
	return c
}

// play runs c and returns its report: WriteJSON's if asJSON, else
// WriteReport's.
func play(t *testing.T, c Config, asJSON bool) string {
	t.Helper()
	res, err := Run(context.Background(), c)
	if err != nil {
		t.Fatalf("%+v: %v", c, err)
	}
	var out bytes.Buffer
	if asJSON {
		err = res.WriteJSON(&out)
	} else {
		err = res.WriteReport(&out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// untimed parses a JSON report and drops the wall-clock figures, the
// only ones a seed does not fix.
func untimed(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("WriteJSON: %v\n%s", err, out)
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
	base := func(c *Config) {
		c.Games, c.Seed, c.Rounds, c.Players, c.Rules = 120, 7, 2, 5, "jokers=standard,knock_early"
	}
	workers := func(n int) Config { return conf(func(c *Config) { base(c); c.Workers = n }) }
	var first map[string]any
	for _, w := range []int{1, 3, 1} {
		got := untimed(t, play(t, workers(w), true))
		if first == nil {
			first = got
			continue
		}
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(got)
		if !bytes.Equal(a, b) {
			t.Fatalf("Workers %d differs:\n%s\n%s", w, a, b)
		}
	}
	text1 := play(t, workers(1), false)
	text2 := play(t, workers(2), false)
	if speedLine.ReplaceAllString(text1, "") != speedLine.ReplaceAllString(text2, "") {
		t.Fatalf("text reports differ:\n%s\n%s", text1, text2)
	}
	other := play(t, conf(func(c *Config) { base(c); c.Seed = 8 }), true)
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(untimed(t, other))
	if bytes.Equal(a, b) {
		t.Fatal("seeds 7 and 8 gave the same games")
	}
}

// TestSimJSON checks the fields docs/ai.md §6.1 requires and their arithmetic.
func TestSimJSON(t *testing.T) {
	out := play(t, conf(func(c *Config) { c.Games, c.Players, c.Workers = 300, 4, 2 }), true)
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

// TestSimTrace checks the trace (--trace): one line per finished round, in
// game order, whatever the number of workers, with hand scores the engine
// agrees with.
func TestSimTrace(t *testing.T) {
	var traces [][]byte
	for _, w := range []int{1, 4} {
		var trace bytes.Buffer
		play(t, conf(func(c *Config) {
			c.Games, c.Rounds, c.Players, c.Workers = 40, 3, 3, w
			c.Rules, c.Trace = "knock_penalty,blackjack", &trace
		}), false)
		traces = append(traces, trace.Bytes())
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

// compare runs the presets and writes them side by side.
func compare(t *testing.T, games int, asJSON bool, presets ...string) string {
	t.Helper()
	var rs []*Result
	for _, p := range presets {
		r, err := Run(context.Background(), conf(func(c *Config) { c.Games, c.Rules = games, p }))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		rs = append(rs, r)
	}
	var out bytes.Buffer
	write := WriteCompare
	if asJSON {
		write = WriteCompareJSON
	}
	if err := write(&out, rs); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestSimCompare(t *testing.T) {
	out := compare(t, 60, false, "standard", "jokers", "wolfpack")
	for _, want := range []string{"standard", "jokers", "wolfpack", "sofia", "turns per round"} {
		if !strings.Contains(out, want) {
			t.Errorf("compare report lacks %q:\n%s", want, out)
		}
	}
	out = compare(t, 30, true, "speed_golf", "chaos")
	var c struct {
		Compare []resultJSON `json:"compare"`
	}
	if json.Unmarshal([]byte(out), &c) != nil || len(c.Compare) != 2 || c.Compare[1].Rules != "chaos" {
		t.Fatalf("WriteCompareJSON:\n%s", out)
	}
}

func TestSimReport(t *testing.T) {
	out := play(t, conf(func(c *Config) {
		c.Games, c.Rounds, c.Bots, c.Players = 50, 3, []string{"sofia", "kenji", "random"}, 3
	}), false)
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
	out := play(t, conf(func(c *Config) {
		c.Games, c.Players, c.Workers = 60, 3, 2
		c.Rules, c.Bots = "flip_mode=always,knock_early,flip_as_action,initial_flips=1", []string{"marcus", "maya", name}
	}), true)
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
			_, err := Run(context.Background(), conf(func(c *Config) {
				c.Games, c.Players, c.Bots = 3, 2, strings.Split(tc.bots, ",")
			}))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want one saying %q", err, tc.want)
			}
		})
	}
}

// TestSimWithLineup checks the --with seating (docs/ai.md §3.3): the bot in
// every game, in every seat equally often, and the other seats distinct
// personalities that each sit equally often and in every seat.
func TestSimWithLineup(t *testing.T) {
	for _, players := range []int{2, 3, 4, 6} {
		c := config{players: players, with: "expert"}
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
	out := play(t, conf(func(c *Config) { c.Games, c.With, c.Workers = 40, "expert", 2 }), true)
	var res resultJSON
	if json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("WriteJSON:\n%s", out)
	}
	if b, ok := res.Bots["expert"]; !ok || b.Rounds != 40 {
		t.Errorf("expert in %+v", res.Bots)
	}
}
