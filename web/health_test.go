package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golf/cluster"
	"golf/cluster/redistest"
)

type readyAnswer struct {
	Status string `json:"status"`
	Checks map[string]struct {
		Status    string   `json:"status"`
		Error     string   `json:"error"`
		LatencyMS *float64 `json:"latency_ms"`
	} `json:"checks"`
}

// TestReadyStore: /ready checks the store and answers 503 once it is
// closed; /health stays 200, for the process still serves.
func TestReadyStore(t *testing.T) {
	t.Parallel()
	var ts *testServer
	ts = newTestServer(t, func(s *testSetup) {
		s.Deps.Ready = []Check{{Name: "store", Ping: func(ctx context.Context) error { return ts.st.Ping(ctx) }}}
	})
	var r readyAnswer
	getJSON(t, ts, "/ready", http.StatusOK, &r)
	if c := r.Checks["store"]; r.Status != "ready" || c.Status != "ok" || c.LatencyMS == nil || *c.LatencyMS < 0 {
		t.Fatalf("ready answer %+v", r)
	}
	var h struct{ Status string }
	getJSON(t, ts, "/health", http.StatusOK, &h)
	if h.Status != "ok" {
		t.Fatalf("health %+v", h)
	}

	ts.st.Close()
	r = readyAnswer{}
	getJSON(t, ts, "/ready", http.StatusServiceUnavailable, &r)
	if c := r.Checks["store"]; r.Status != "not_ready" || c.Status != "error" || c.Error != "unavailable" {
		t.Fatalf("ready answer with the store closed %+v", r)
	}
	getJSON(t, ts, "/health", http.StatusOK, nil)
	getJSON(t, ts, "/healthz", http.StatusOK, nil)
}

// TestReadyTimeout: a dependency that does not answer makes /ready 503
// within its own deadline, not the probe's.
func TestReadyTimeout(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(s *testSetup) {
		s.Deps.Ready = []Check{
			{Name: "store", Ping: func(ctx context.Context) error { return nil }},
			{Name: "redis", Ping: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }},
		}
	})
	var r readyAnswer
	getJSON(t, ts, "/ready", http.StatusServiceUnavailable, &r)
	if r.Status != "not_ready" || r.Checks["redis"].Error != "timeout" || r.Checks["store"].Status != "ok" {
		t.Fatalf("ready answer %+v", r)
	}
}

// TestReadyDraining: from the moment the server starts closing, /ready
// and /healthz say 503 and /health still 200 (a restart now would cut
// the handover short).
func TestReadyDraining(t *testing.T) {
	t.Parallel()
	var ts *testServer
	ts = newTestServer(t, func(s *testSetup) {
		s.Deps.Ready = []Check{{Name: "store", Ping: func(ctx context.Context) error { return ts.st.Ping(ctx) }}}
	})
	getJSON(t, ts, "/ready", http.StatusOK, nil)
	if err := ts.srv.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	var r readyAnswer
	getJSON(t, ts, "/ready", http.StatusServiceUnavailable, &r)
	if r.Status != "draining" {
		t.Fatalf("ready answer while closing %+v", r)
	}
	getJSON(t, ts, "/healthz", http.StatusServiceUnavailable, nil)
	getJSON(t, ts, "/health", http.StatusOK, nil)
}

// TestReadyRedis: a real Redis behind a TCP proxy; cutting the proxy
// makes Redis unreachable and /ready 503, and healing it makes it ready.
func TestReadyRedis(t *testing.T) {
	t.Parallel()
	url, prefix := redistest.Prefix(t)
	p := newProxy(t, url)
	r, err := cluster.Open(context.Background(), cluster.Config{URL: p.url, Prefix: prefix, Instance: "ready-test",
		LeaseTTL: time.Second, CacheTTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ts := newTestServer(t, func(s *testSetup) {
		s.Deps.Ready = []Check{{Name: "redis", Ping: r.Ping}}
	})
	var a readyAnswer
	getJSON(t, ts, "/ready", http.StatusOK, &a)
	if a.Checks["redis"].Status != "ok" {
		t.Fatalf("ready answer %+v", a)
	}
	p.cut()
	a = readyAnswer{}
	getJSON(t, ts, "/ready", http.StatusServiceUnavailable, &a)
	if c := a.Checks["redis"]; a.Status != "not_ready" || c.Status != "error" {
		t.Fatalf("ready answer with Redis cut off %+v", a)
	}
	p.heal(t)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(ts.ts.URL + "/ready")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not ready again after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// proxy forwards TCP connections to a Redis URL's address until cut.
type proxy struct {
	target, url string
	ln          net.Listener
	mu          sync.Mutex
	conns       []net.Conn
}

func newProxy(t *testing.T, redisURL string) *proxy {
	t.Helper()
	target, rest, _ := strings.Cut(strings.TrimPrefix(redisURL, "redis://"), "/")
	p := &proxy{target: target}
	p.listen(t, "127.0.0.1:0")
	p.url = "redis://" + p.ln.Addr().String() + "/" + rest
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) listen(t *testing.T, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// cut closes the listener and every connection: Redis is unreachable.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// heal listens again on the same address.
func (p *proxy) heal(t *testing.T) {
	t.Helper()
	p.listen(t, p.ln.Addr().String())
}
