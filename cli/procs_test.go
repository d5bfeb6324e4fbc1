package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golf/cluster/redistest"
	"golf/store/postgres/pgtest"
)

// Tests that run golf serve as a separate process, on PostgreSQL and
// Redis, to kill it for real.

// The golf binary, built once per test run (TestMain removes it).
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildGolf builds the golf binary (once per test run) into a temporary
// directory.
func buildGolf(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "golf-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "golf")
		cmd := exec.Command("go", "build", "-o", binPath, "golf/cmd/golf")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// services returns the environment of a cluster of golf servers sharing a
// fresh PostgreSQL schema and a fresh Redis key prefix (both dropped after
// the test), with short timings for tests.
func services(t *testing.T) map[string]string {
	t.Helper()
	db := pgtest.URL(t)
	url, prefix := redistest.Prefix(t)
	return map[string]string{
		"DATABASE_URL":         db,
		"REDIS_URL":            url,
		"GOLF_REDIS_PREFIX":    prefix,
		"GOLF_SECRET":          "cluster-test-secret-0123456789abcdef",
		"GOLF_ADDR":            "127.0.0.1:0",
		"GOLF_LEASE_TTL":       "1s",
		"GOLF_CPU_DELAY_SCALE": "0.02",
		"GOLF_ROUND_COUNTDOWN": "200ms",
		"GOLF_GRACE":           "2m",
		"GOLF_LOG_LEVEL":       "debug",
	}
}

// server is one golf serve process.
type server struct {
	t      *testing.T
	name   string
	cmd    *exec.Cmd
	url    string // http://127.0.0.1:port
	logs   *syncBuffer
	exited chan struct{}
	err    error // the process's exit, once exited is closed
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startServer runs golf serve with env (and nothing else from ours) and
// waits until it listens. The test's end kills it if it still runs.
func startServer(t *testing.T, bin, name string, env map[string]string) *server {
	t.Helper()
	s := &server{t: t, name: name, logs: &syncBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GOLF_DATA_DIR=" + t.TempDir()}
	for k, v := range env {
		s.cmd.Env = append(s.cmd.Env, k+"="+v)
	}
	s.cmd.Stderr = s.logs
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.exited
		if t.Failed() {
			t.Logf("--- log of %s ---\n%s", s.name, s.logs)
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		i := strings.Index(line, "http://")
		if i < 0 {
			t.Fatalf("%s: no URL in %q", name, line)
		}
		s.url = strings.Fields(line[i:])[0]
	case <-s.exited:
		t.Fatalf("%s exited at start: %v\n%s", name, s.err, s.logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not start\n%s", name, s.logs)
	}
	return s
}

// ws is the server's WebSocket URL.
func (s *server) ws() string { return "ws" + strings.TrimPrefix(s.url, "http") + "/ws" }

// kill9 kills the process as a crash would.
func (s *server) kill9() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// terminate sends SIGTERM and waits for the exit; it fails the test if
// the server does not stop cleanly in time.
func (s *server) terminate() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.t.Fatalf("%s did not stop after SIGTERM", s.name)
	}
	if s.err != nil {
		s.t.Fatalf("%s exited with %v", s.name, s.err)
	}
}

// waitLog waits until the server's log has a line containing all of
// parts.
func (s *server) waitLog(parts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(s.logs.String(), "\n") {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok {
				return line
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("%s never logged %q", s.name, parts)
	return ""
}

// logged reports whether the server's log has a line containing all parts.
func (s *server) logged(parts ...string) bool {
	for _, line := range strings.Split(s.logs.String(), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// withCtx is a bounded context for one step of a test.
func withCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
