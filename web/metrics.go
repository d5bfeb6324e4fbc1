package web

import (
	"net/http"
	"sync"
	"time"

	"golf/live"
)

// What web tells package metrics: HTTP requests by route pattern (never
// the raw path), WebSocket connections, and each command's time from its
// frame arriving to its answer leaving. With Deps.Metrics nil none of this
// runs.

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote && code >= 200 || code == http.StatusSwitchingProtocols {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.code, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController (and the WebSocket upgrade) reach
// the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observeHTTP counts and times every request by the pattern that matched.
func (s *Server) observeHTTP(next http.Handler) http.Handler {
	if s.metrics == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			// A panic is answered by recoverHTTP, inside this: 500 here.
			code := sw.code
			if !sw.wrote {
				code = http.StatusOK
			}
			s.metrics.HTTPRequest(r.Pattern, code, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// metricsRoute serves GET /metrics here, unless cli serves it on an
// address of its own (Config.PrivateMetrics).
func (s *Server) metricsRoute(mux *http.ServeMux) {
	if s.metrics != nil && !s.cfg.PrivateMetrics {
		mux.Handle("GET /metrics", s.metrics.Handler())
	}
}

// commandClock times a session's commands, by id: the reader starts the
// clock when a frame arrives, the writer stops it when the answer (an
// acknowledgement or an error with the same id, or the welcome of a
// create, join, resume or watch) has been written.
type commandClock struct {
	mu      sync.Mutex
	pending map[int64]sentCommand
	attach  int64 // the create/join/resume/watch awaiting its welcome
}

type sentCommand struct {
	typ string
	at  time.Time
}

// maxPending bounds the clock: the rate limit keeps a client far below
// it; beyond it commands go unmeasured rather than grow the map.
const maxPending = 256

// commandIn starts the clock of a decoded frame (err: it did not decode).
// Frames without an id cannot be matched to an answer: they are not
// counted.
func (s *session) commandIn(r request, err error) {
	if s.srv.metrics == nil || r.ID == 0 {
		return
	}
	typ := r.Type
	if err != nil {
		typ = "invalid" // the type may be anything the client sent
	}
	c := &s.cmds
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		c.pending = make(map[int64]sentCommand)
	}
	if len(c.pending) >= maxPending {
		return
	}
	c.pending[r.ID] = sentCommand{typ, time.Now()}
	if err == nil && sessionTypes[typ] {
		c.attach = r.ID
	}
}

// commandOut stops the clock of the command m answers, once written.
func (s *session) commandOut(m any) {
	if s.srv.metrics == nil {
		return
	}
	var id int64
	outcome := "ok"
	switch m := m.(type) {
	case *live.Update:
		id = m.Ack
	case *live.Reject:
		id = m.ID
		outcome = "rejected"
		if code, _, _ := live.ErrorCode(m.Err); code == string(live.CodeUnavailable) {
			outcome = "unavailable"
		}
	case *live.Chat:
		id = m.Ack
	case *live.Welcome:
		id = -1
	}
	if id == 0 {
		return
	}
	c := &s.cmds
	c.mu.Lock()
	if id == -1 {
		id = c.attach
	}
	cmd, ok := c.pending[id]
	delete(c.pending, id)
	if id == c.attach {
		c.attach = 0
	}
	c.mu.Unlock()
	if ok {
		s.srv.metrics.Command(cmd.typ, outcome, time.Since(cmd.at))
	}
}
