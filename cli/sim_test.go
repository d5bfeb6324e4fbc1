package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// golfSim runs golf sim in-process.
func golfSim(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), append([]string{"sim"}, args...), &out, &errb)
	return out.String(), errb.String(), code
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
		_, errs, code := golfSim(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// TestSimCommand: golf sim hands its flags to package sim and writes what
// they ask for where they ask; a bot that fails is exit status 1.
func TestSimCommand(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "trace.jsonl")
	out, errs, code := golfSim(t, "--games", "20", "--rounds", "2", "--players", "3", "--preset", "jokers",
		"--workers", "2", "--trace", trace, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Rules         string
		Games, Rounds int64
		Players       int
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Rules != "jokers" || r.Games != 20 || r.Rounds != 40 || r.Players != 3 {
		t.Fatalf("--json: %+v, %v\n%s", r, err, out)
	}
	b, err := os.ReadFile(trace)
	if err != nil || bytes.Count(b, []byte("\n")) != 40 {
		t.Fatalf("--trace: %d lines, %v", bytes.Count(b, []byte("\n")), err)
	}
	out, errs, code = golfSim(t, "--games", "10", "--compare", "standard", "wolfpack")
	if code != 0 || !strings.Contains(out, "wolfpack") {
		t.Fatalf("--compare: exit %d: %s\n%s", code, errs, out)
	}
	missing := filepath.Join(t.TempDir(), "no-such-bot")
	_, errs, code = golfSim(t, "--games", "2", "--players", "2", "--bots", "marcus,cmd:"+missing)
	if code != 1 || !strings.Contains(errs, "no-such-bot") {
		t.Fatalf("a bot that cannot start: exit %d, stderr %q; want 1", code, errs)
	}
}
