package deploy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/cluster/redistest"
	"golf/game"
	"golf/store/audit"
	"golf/store/postgres"
	"golf/store/postgres/pgtest"
	"golf/web/webtest"
)

// TestTwoServersBehindNginx is Option A on one machine: two golf
// processes sharing PostgreSQL and Redis behind the shipped nginx
// configuration. A player reaches the game only through nginx (TLS,
// WebSocket upgrade); the instance writing the game is stopped mid-game;
// the player's socket closes with 1012, it reconnects through nginx, lands
// on the other instance, resumes its seat and finishes the game.
func TestTwoServersBehindNginx(t *testing.T) {
	t.Parallel()
	nginx := requireNginx(t)
	db := pgtest.URL(t)
	redisURL, prefix := redistest.Prefix(t)
	bin := buildGolf(t)
	env := map[string]string{
		"DATABASE_URL":         db,
		"REDIS_URL":            redisURL,
		"GOLF_REDIS_PREFIX":    prefix,
		"GOLF_SECRET":          "deploy-test-secret-0123456789abcdef",
		"GOLF_ADDR":            "127.0.0.1:0",
		"GOLF_LEASE_TTL":       "2m", // a handover must come from the stop, not from expiry
		"GOLF_CPU_DELAY_SCALE": "0.02",
		"GOLF_ROUND_COUNTDOWN": "200ms",
	}
	a := startServer(t, bin, "a", env)
	b := startServer(t, bin, "b", env)

	// Each instance is ready (PostgreSQL and Redis answer) before it goes
	// behind nginx, as a readiness probe would see it; golf health (the
	// container health check) asks /ready here.
	for _, s := range []*server{a, b} {
		ready(t, s)
		out, err := exec.Command(bin, "health", "--url", "http://"+s.addr+"/ready").CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "ok" {
			t.Fatalf("golf health of %s: %v %s", s.name, err, out)
		}
	}

	site := newSite(t, [2]string{a.addr, b.addr})
	client := site.start(t, nginx)
	base := "https://" + site.https

	// HTTP redirects to HTTPS; /metrics is not public; the API answers.
	resp, err := client.Get("http://" + site.http + "/r/ABCD")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(loc, "https://") {
		t.Errorf("plain HTTP: %s, Location %q; want 301 to https", resp.Status, loc)
	}
	for path, want := range map[string]int{"/metrics": 404, "/ready": 200, "/health": 200, "/api/rules": 200, "/": 200} {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s through nginx: %s, want %d", path, resp.Status, want)
		}
		if path == "/" && resp.Header.Get("Strict-Transport-Security") == "" {
			t.Error("no HSTS header over TLS")
		}
		// nginx's $request_id reaches the server, which answers with it.
		if id := resp.Header.Get("X-Request-ID"); path != "/metrics" && len(id) != 32 {
			t.Errorf("GET %s through nginx: X-Request-ID %q, want nginx's 32 hex digits", path, id)
		}
	}

	ws := "wss://" + site.https + "/ws"
	dialer := &websocket.DialOptions{HTTPClient: client, HTTPHeader: http.Header{"Origin": {base}}}
	ann := dialWS(t, ws, dialer)
	ann.send(map[string]any{"type": "create", "name": "Ann", "settings": map[string]any{"rounds": 2}})
	welcome := ann.next(t, "welcome")
	ann.send(map[string]any{"type": "add_cpu"})
	ann.until(t, func(f *frame) bool { return f.View != nil && len(f.View.Seats) == 2 })
	ann.send(map[string]any{"type": "start"})

	rng := rand.New(rand.NewPCG(1, 2))
	if final := ann.play(t, rng, 8); final != nil {
		t.Fatal("the game ended before the stop")
	}
	// The writer is the instance Ann's room was created on: the one whose
	// health says it holds a room.
	writer, other := a, b
	if rooms(t, b) > 0 {
		writer, other = b, a
	}
	if rooms(t, writer) == 0 {
		t.Fatal("neither instance holds the room")
	}
	writer.terminate(t)
	ready(t, other)
	<-ann.closed
	if got := ann.closeStatus(); got != websocket.StatusServiceRestart {
		t.Fatalf("Ann's socket closed with %v, want 1012 (service restart)", got)
	}

	// Reconnect through nginx, which now finds only the other instance.
	var resumed *wsClient
	for try := 0; resumed == nil; try++ {
		c := dialWS(t, ws, dialer)
		c.send(map[string]any{"type": "resume", "room": welcome.roomCode(), "token": welcome.Token})
		if f := <-c.frames; f != nil && f.Type == "welcome" && f.Seat == welcome.Seat {
			resumed = c
			break
		}
		c.conn.CloseNow()
		if try == 100 {
			t.Fatal("Ann cannot resume through nginx")
		}
		time.Sleep(100 * time.Millisecond)
	}
	final := resumed.play(t, rng, 0)
	if final == nil || final.View.Result == nil || final.View.Result.Reason != game.ReasonCompleted {
		t.Fatalf("the game did not end: %+v", final)
	}
	other.waitLog(t, "game opened", welcome.GameID, "as=writer") // it had no replica: it opens the game

	st, err := postgres.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	g, err := st.Game(context.Background(), welcome.GameID)
	if err != nil || g.Status != "completed" {
		t.Fatalf("games row %+v, %v: want completed", g, err)
	}
	if n, problems := audit.Game(context.Background(), st, welcome.GameID); len(problems) > 0 || int64(n) != final.Seq {
		t.Fatalf("audit: %d events (last state at %d), %q", n, final.Seq, problems)
	}
}

// ready waits until a server's /ready says its store and Redis answer.
func ready(t *testing.T, s *server) {
	t.Helper()
	var last string
	for try := 0; try < 300; try++ {
		resp, err := http.Get("http://" + s.addr + "/ready")
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Status string                    `json:"status"`
			Checks map[string]map[string]any `json:"checks"`
		}
		err = json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if err == nil && resp.StatusCode == http.StatusOK && r.Status == "ready" &&
			r.Checks["store"]["status"] == "ok" && r.Checks["redis"]["status"] == "ok" {
			return
		}
		last = fmt.Sprintf("%s %+v %v", resp.Status, r, err)
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never ready: %s", s.name, last)
}

// rooms asks a server directly how many tables it holds.
func rooms(t *testing.T, s *server) int {
	t.Helper()
	resp, err := http.Get("http://" + s.addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Rooms int `json:"rooms"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return h.Rooms
}

// The golf binary, built once per test run.
var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func buildGolf(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "golf-deploy-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "golf")
		cmd := exec.Command("go", "build", "-o", binPath, "golf/cmd/golf")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = err
			t.Logf("go build: %s", out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
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

// server is one golf serve process.
type server struct {
	name   string
	cmd    *exec.Cmd
	addr   string // 127.0.0.1:port
	logs   *syncBuffer
	exited chan struct{}
	err    error
}

func startServer(t *testing.T, bin, name string, env map[string]string) *server {
	t.Helper()
	s := &server{name: name, logs: &syncBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GOLF_DATA_DIR=" + t.TempDir(),
		"GOLF_INSTANCE_ID=" + name}
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
	go func() { s.err = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.exited
		if t.Failed() {
			t.Logf("--- log of %s ---\n%s", s.name, s.logs)
		}
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		i := strings.Index(l, "http://")
		if i < 0 {
			t.Fatalf("%s: no URL in %q", name, l)
		}
		s.addr = strings.TrimPrefix(strings.Fields(l[i:])[0], "http://")
		s.addr = strings.Replace(s.addr, "localhost", "127.0.0.1", 1)
	case <-s.exited:
		t.Fatalf("%s exited at start: %v\n%s", name, s.err, s.logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not start\n%s", name, s.logs)
	}
	return s
}

func (s *server) terminate(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not stop after SIGTERM", s.name)
	}
	if s.err != nil {
		t.Fatalf("%s exited with %v", s.name, s.err)
	}
}

func (s *server) waitLog(t *testing.T, parts ...string) {
	t.Helper()
	for try := 0; try < 1500; try++ {
		for _, line := range strings.Split(s.logs.String(), "\n") {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never logged %q", s.name, parts)
}

// A small client of the WebSocket protocol (docs/protocol.md).

type frame struct {
	Type   string          `json:"type"`
	ID     int64           `json:"id"`
	Room   json.RawMessage `json:"room"`
	GameID string          `json:"game_id"`
	Seat   int             `json:"seat"`
	Token  string          `json:"token"`
	Seq    int64           `json:"seq"`
	Ack    int64           `json:"ack"`
	View   *game.View      `json:"view"`
}

// roomCode reads the room field: a code, or a room object with one.
func (f *frame) roomCode() string {
	var s string
	if json.Unmarshal(f.Room, &s) == nil {
		return s
	}
	var r struct {
		Code string `json:"code"`
	}
	json.Unmarshal(f.Room, &r)
	return r.Code
}

type wsClient struct {
	conn   *websocket.Conn
	frames chan *frame
	closed chan struct{}
	mu     sync.Mutex
	status websocket.StatusCode
	nextID int64
}

func dialWS(t *testing.T, url string, opts *websocket.DialOptions) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, url, opts)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	conn.SetReadLimit(1 << 20)
	c := &wsClient{conn: conn, frames: make(chan *frame, 1<<12), closed: make(chan struct{})}
	go func() {
		defer close(c.closed)
		defer close(c.frames)
		var feed webtest.Feed // state frames keep what the last one had
		for {
			_, b, err := conn.Read(context.Background())
			if err != nil {
				c.mu.Lock()
				c.status = websocket.CloseStatus(err)
				c.mu.Unlock()
				return
			}
			full, err := feed.Complete(b)
			if err != nil {
				t.Errorf("%v: %s", err, b)
				continue
			}
			f := new(frame)
			if json.Unmarshal(full, f) == nil {
				c.frames <- f
			}
		}
	}()
	t.Cleanup(func() { conn.CloseNow() })
	return c
}

func (c *wsClient) closeStatus() websocket.StatusCode {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *wsClient) send(v map[string]any) int64 {
	c.nextID++
	v["v"], v["id"] = 1, c.nextID
	b, _ := json.Marshal(v)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.conn.Write(ctx, websocket.MessageText, b)
	return c.nextID
}

func (c *wsClient) next(t *testing.T, typ string) *frame {
	t.Helper()
	return c.wait(t, func(f *frame) bool { return f.Type == typ })
}

func (c *wsClient) until(t *testing.T, ok func(*frame) bool) *frame {
	t.Helper()
	return c.wait(t, func(f *frame) bool { return f.Type == "state" && ok(f) })
}

func (c *wsClient) wait(t *testing.T, ok func(*frame) bool) *frame {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case f, open := <-c.frames:
			if !open {
				t.Fatalf("connection closed (%v)", c.closeStatus())
			}
			if ok(f) {
				return f
			}
		case <-timeout:
			t.Fatal("the frame never came")
		}
	}
}

// play makes random legal moves, one at a time, and returns the final
// state when the game ends, or nil once stop moves were acknowledged
// (stop 0: play to the end) or the connection closed.
func (c *wsClient) play(t *testing.T, rng *rand.Rand, stop int) *frame {
	t.Helper()
	var inFlight int64
	acked := 0
	for {
		select {
		case f, open := <-c.frames:
			if !open {
				return nil
			}
			if f.Type == "error" && f.ID == inFlight {
				inFlight = 0 // refused (a move retried after the failover): choose again
			}
			if f.Type != "state" || f.View == nil {
				continue
			}
			if f.Ack != 0 && f.Ack == inFlight {
				inFlight = 0
				if acked++; stop > 0 && acked >= stop {
					return nil
				}
			}
			if f.View.Phase == game.PhaseGameOver {
				return f
			}
			if inFlight != 0 {
				continue
			}
			if moves := f.View.Moves(nil); len(moves) > 0 {
				b, _ := json.Marshal(moves[rng.IntN(len(moves))])
				var m map[string]any
				json.Unmarshal(b, &m)
				inFlight = c.send(m)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("the game stalled")
		}
	}
}
