package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/live"
	"golf/metrics"
	"golf/report"
	"golf/report/reporttest"
)

func withReporter(t *testing.T, m *metrics.Metrics) (func(*testSetup), *reporttest.Server) {
	t.Helper()
	fake := reporttest.New(t)
	rep, err := report.NewSentry(report.Options{DSN: fake.DSN})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close(5 * time.Second) })
	return func(s *testSetup) {
		withMetrics(m)(s)
		s.Deps.Reporter = rep
		s.Live.Reporter = rep
	}, fake
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	get := func(id string) string {
		req, _ := http.NewRequest("GET", ts.ts.URL+"/api/rules", nil)
		if id != "" {
			req.Header.Set("X-Request-ID", id)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("X-Request-ID")
	}
	if got := get("nginx-3f2a9c"); got != "nginx-3f2a9c" {
		t.Errorf("a proxy's request id came back as %q", got)
	}
	a, b := get(""), get("")
	if len(a) != 24 || a == b {
		t.Errorf("made-up request ids %q, %q: want distinct 24-character ones", a, b)
	}
	for _, bad := range []string{"has space", "<script>", "a;b", strings.Repeat("x", 65)} {
		if got := get(bad); got == bad || len(got) != 24 {
			t.Errorf("request id %q was kept as %q", bad, got)
		}
	}
}

// TestHandlerPanic: a handler's panic is a 500 JSON error naming the
// request id, is counted and reported with its route; the server goes on.
func TestHandlerPanic(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	edit, fake := withReporter(t, m)
	ts := newTestServer(t, edit)
	ts.srv.mux.HandleFunc("GET /test/explode/{n}", func(w http.ResponseWriter, r *http.Request) {
		panic("handler exploded")
	})
	req, _ := http.NewRequest("GET", ts.ts.URL+"/test/explode/7?name=Ann", nil)
	req.Header.Set("X-Request-ID", "req-42")
	req.Header.Set("Cookie", "session=secret-cookie")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var e apiError
	if resp.StatusCode != http.StatusInternalServerError || json.Unmarshal(body, &e) != nil || e.Code != "internal" || !strings.Contains(e.Message, "req-42") {
		t.Fatalf("answer %s %s", resp.Status, body)
	}
	getJSON(t, ts, "/api/rules", http.StatusOK, nil)

	ev := fake.Wait(t, 1)[0]
	if ev.Tags["where"] != "http" || ev.Tags["route"] != "GET /test/explode/{n}" || ev.Tags["request_id"] != "req-42" {
		t.Errorf("event tags %v", ev.Tags)
	}
	for _, leak := range []string{"secret-cookie", "Ann", "127.0.0.1", "explode/7"} {
		if strings.Contains(string(ev.Raw), leak) {
			t.Errorf("the event holds %q: %s", leak, ev.Raw)
		}
	}
	fams := scrape(t, ts)
	if got := sum(fams, "golf_panics_total", "where", "http"); got != 1 {
		t.Errorf("golf_panics_total{where=http} = %v", got)
	}
	if got := sum(fams, "golf_http_requests_total", "route", "GET /test/explode/{n}", "code", "500"); got != 1 {
		t.Errorf("the panicking request counted %v times as a 500", got)
	}
}

// TestSessionPanic: a panic in a session's writer closes that connection
// with 1011 and is reported with the room and game; the table and every
// other connection go on.
func TestSessionPanic(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	edit, fake := withReporter(t, m)
	ts := newTestServer(t, edit)
	ann := create(t, ts, "Ann", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, ts.url, &websocket.DialOptions{HTTPHeader: http.Header{"X-Request-Id": {"bob-socket"}}})
	if err != nil {
		t.Fatal(err)
	}
	bob := &client{t: t, conn: conn, frames: make(chan *frame, 4096), closed: make(chan struct{})}
	go bob.readLoop()
	t.Cleanup(func() { conn.CloseNow() })
	bob.send(map[string]any{"type": "join", "room": ann.welcome.room(), "name": "Bob"})
	bob.until(func(f *frame) bool { return f.View != nil && len(f.View.Seats) == 2 })

	// A nil update makes Bob's writer fail as a bug would.
	ts.srv.mu.Lock()
	var victim *session
	for s := range ts.srv.sessions {
		if s.rid == "bob-socket" {
			victim = s
		}
	}
	ts.srv.mu.Unlock()
	victim.Deliver((*live.Update)(nil))

	// Bob is cut off with 1011; Ann plays on.
	if got := bob.closedWith(); got != websocket.StatusInternalError {
		t.Errorf("closed with %v, want 1011", got)
	}
	ann.send(map[string]any{"type": "add_cpu"})
	ann.until(func(f *frame) bool { return f.View != nil && len(f.View.Seats) == 3 })

	ev := fake.Wait(t, 1)[0]
	if ev.Tags["where"] != "websocket" || ev.Tags["room"] != ann.welcome.room() || ev.Tags["game_id"] != ann.welcome.GameID ||
		ev.Tags["route"] != "GET /ws" || ev.Tags["loop"] != "write" || ev.Tags["request_id"] != "bob-socket" {
		t.Errorf("event tags %v", ev.Tags)
	}
	if strings.Contains(string(ev.Raw), "Ann") || strings.Contains(string(ev.Raw), "Bob") {
		t.Errorf("the event names a player: %s", ev.Raw)
	}
	if got := sum(scrape(t, ts), "golf_panics_total", "where", "websocket"); got != 1 {
		t.Errorf("golf_panics_total{where=websocket} = %v", got)
	}
}
