package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"sync"
	"time"
)

// Check is a dependency GET /ready asks after: the store, Redis. Ping
// must be cheap; it is called on every probe (every few seconds).
type Check struct {
	Name string
	Ping func(ctx context.Context) error
}

// readyTimeout bounds each check: under the probes' own timeouts
// (deploy/k8s: 3 s), so a hung dependency answers 503, not nothing.
const readyTimeout = 2 * time.Second

// health is GET /healthz: 200 while the server takes games, 503 from the
// moment it starts closing, so a load balancer stops sending it clients.
// It touches neither the store nor Redis; /health and /ready are the
// probes' endpoints.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if s.closing.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "closing"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "rooms": s.live.Rooms()})
}

// liveness is GET /health: 200 as long as the process serves HTTP, even
// while it drains (restarting a draining server would cut its handover
// short). It checks nothing else: a store that is down is a reason to
// stop sending clients (/ready), not to restart the process.
func (s *Server) liveness(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyBody is GET /ready's answer.
type readyBody struct {
	Status string                `json:"status"` // ready, not_ready or draining
	Checks map[string]checkState `json:"checks"`
}

type checkState struct {
	Status    string  `json:"status"`          // ok or error
	Error     string  `json:"error,omitempty"` // timeout or unavailable
	LatencyMS float64 `json:"latency_ms"`
}

// readiness is GET /ready: 200 when this instance can play games (every
// dependency answers, and it is not draining), else 503. Each check's
// status and latency are in the body; the errors themselves are logged,
// not shown (they name hosts and users of the private network).
func (s *Server) readiness(w http.ResponseWriter, r *http.Request) {
	body := readyBody{Status: "ready", Checks: make(map[string]checkState, len(s.ready))}
	if s.closing.Load() {
		body.Status = "draining"
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range s.ready {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
			defer cancel()
			start := time.Now()
			err := c.Ping(ctx)
			st := checkState{Status: "ok", LatencyMS: math.Round(float64(time.Since(start).Microseconds())) / 1000}
			if err != nil {
				st.Status, st.Error = "error", "unavailable"
				if errors.Is(err, context.DeadlineExceeded) {
					st.Error = "timeout"
				}
				s.log.Warn("not ready", "check", c.Name, "err", err)
			}
			mu.Lock()
			body.Checks[c.Name] = st
			mu.Unlock()
		})
	}
	wg.Wait()
	code := http.StatusOK
	for _, c := range body.Checks {
		if c.Status != "ok" {
			body.Status, code = "not_ready", http.StatusServiceUnavailable
		}
	}
	if s.closing.Load() {
		body.Status, code = "draining", http.StatusServiceUnavailable
	}
	writeJSON(w, code, body)
}
