package sim

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"golf/ai"
	"golf/game"
)

// An external bot is a program that plays a seat over JSON Lines on its
// stdin and stdout (docs/bots.md). For every decision it gets one request
// line, {"v":1,"type":"decide","view":{…},"moves":[…]}, and answers with
// one of the moves, e.g. {"type":"swap","pos":4}.

// wireCommand is a bot's answer: a game command as docs/protocol.md writes
// it (game.Command's JSON form).
type wireCommand struct {
	Type      string `json:"type"`
	Source    string `json:"source,omitempty"`
	Pos       *int   `json:"pos,omitempty"`
	Positions []int  `json:"positions,omitempty"`
}

// matches reports whether the bot's answer names move c.
func (w *wireCommand) matches(c game.Command) bool {
	if w.Type != c.Kind.String() {
		return false
	}
	switch c.Kind {
	case game.CmdDraw:
		return w.Source == c.Source.String()
	case game.CmdSwap, game.CmdFlip, game.CmdFlipAsAction:
		return w.Pos != nil && *w.Pos == c.Pos
	case game.CmdFlipInitial:
		a, b := slices.Clone(w.Positions), slices.Clone(c.Positions)
		slices.Sort(a)
		slices.Sort(b)
		return slices.Equal(a, b)
	}
	return true
}

type botRequest struct {
	V     int            `json:"v"`
	Type  string         `json:"type"`
	View  *game.View     `json:"view"`
	Moves []game.Command `json:"moves"`
}

// maxBotLine bounds an answer; a move is a few dozen bytes.
const maxBotLine = 64 << 10

// extBot runs one external program for one seat of one worker.
type extBot struct {
	name    string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	in      *bufio.Writer
	lines   chan string
	stderr  *tailBuffer
	timeout time.Duration
	moves   []game.Command
	done    chan struct{} // closed when the program has exited
	waitErr error
}

func startExtBot(prog string, timeout time.Duration) (*extBot, error) {
	argv := strings.Fields(prog)
	name := "cmd:" + prog
	if len(argv) == 0 {
		return nil, fmt.Errorf("bot %q: no program", name)
	}
	b := &extBot{name: name, timeout: timeout, lines: make(chan string, 1), stderr: &tailBuffer{max: 2048}, done: make(chan struct{})}
	b.cmd = exec.Command(argv[0], argv[1:]...)
	b.cmd.Stderr = b.stderr
	var err error
	if b.stdin, err = b.cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("bot %q: %w", name, err)
	}
	stdout, err := b.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("bot %q: %w", name, err)
	}
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("bot %q: start: %w", name, err)
	}
	b.in = bufio.NewWriter(b.stdin)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 4096), maxBotLine)
		for sc.Scan() {
			b.lines <- sc.Text()
		}
		close(b.lines)
		b.waitErr = b.cmd.Wait()
		close(b.done)
	}()
	return b, nil
}

// decide asks the bot for its command; an external bot's thinking time is
// its own, so the decision carries no delay.
func (b *extBot) decide(v *game.View, _ *rand.Rand, d *ai.Decision) error {
	c, err := b.command(v)
	*d = ai.Decision{Command: c}
	return err
}

// command sends the seat's view and legal moves and reads one answer.
func (b *extBot) command(v *game.View) (game.Command, error) {
	b.moves = v.Moves(b.moves[:0])
	if len(b.moves) == 0 {
		return game.Command{}, fmt.Errorf("bot %q asked to act with no legal move", b.name)
	}
	req, err := json.Marshal(botRequest{V: 1, Type: "decide", View: v, Moves: b.moves})
	if err != nil {
		return game.Command{}, fmt.Errorf("bot %q: encode request: %w", b.name, err)
	}
	b.in.Write(req)
	b.in.WriteByte('\n')
	if err := b.in.Flush(); err != nil {
		return game.Command{}, b.died(fmt.Errorf("write request: %w", err))
	}
	timer := time.NewTimer(b.timeout)
	defer timer.Stop()
	var line string
	select {
	case l, ok := <-b.lines:
		if !ok {
			return game.Command{}, b.died(errors.New("it closed its output"))
		}
		line = l
	case <-timer.C:
		return game.Command{}, fmt.Errorf("bot %q did not answer within %v", b.name, b.timeout)
	}
	var ans wireCommand
	if err := json.Unmarshal([]byte(line), &ans); err != nil {
		return game.Command{}, fmt.Errorf("bot %q answered %s: not a JSON command: %v", b.name, quoteLine(line), err)
	}
	for _, m := range b.moves {
		if ans.matches(m) {
			return m, nil
		}
	}
	return game.Command{}, fmt.Errorf("bot %q answered %s, which is not one of its legal moves", b.name, quoteLine(line))
}

// died describes a bot that stopped talking, with the end of its stderr.
func (b *extBot) died(cause error) error {
	select {
	case <-b.done:
		cause = fmt.Errorf("%v; it exited (%v)", cause, b.waitErr)
	case <-time.After(time.Second):
	}
	if tail := strings.TrimSpace(b.stderr.String()); tail != "" {
		return fmt.Errorf("bot %q stopped: %v; its stderr ends: %s", b.name, cause, tail)
	}
	return fmt.Errorf("bot %q stopped: %v", b.name, cause)
}

// close ends the program: its stdin closes, and it is killed if it does
// not exit within a second.
func (b *extBot) close() {
	b.stdin.Close()
	go func() {
		for range b.lines { // unblock the reader if the bot talks on
		}
	}()
	select {
	case <-b.done:
	case <-time.After(time.Second):
		b.cmd.Process.Kill()
		<-b.done
	}
}

func quoteLine(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
