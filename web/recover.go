package web

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/coder/websocket"
)

// Reporter sends a recovered panic to an error tracker (package report);
// tags say where it happened (route, request id, game, room), never who.
type Reporter interface {
	Panic(ctx context.Context, v any, tags map[string]string)
}

// reportPanic logs, counts and reports a recovered panic. Call it from the
// deferred function that recovered, so the stack is the panic's.
func (s *Server) reportPanic(ctx context.Context, where string, v any, tags map[string]string) {
	s.log.Error("panic recovered", "where", where, "panic", fmt.Sprint(v), "request_id", tags["request_id"], "stack", string(debug.Stack()))
	s.metrics.Panic(where)
	if s.reporter != nil {
		tags["where"] = where
		s.reporter.Panic(ctx, v, tags)
	}
}

// recoverHTTP answers a handler's panic with a 500 (if nothing was sent
// yet) instead of net/http's dropped connection, and reports it. Only
// http.ErrAbortHandler, a handler's way to abort on purpose, goes on.
func (s *Server) recoverHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			id := requestID(r.Context())
			s.reportPanic(r.Context(), "http", v, map[string]string{"request_id": id, "route": routeOf(r)})
			if !sw.wrote {
				writeError(sw, http.StatusInternalServerError, "internal", "internal error (request "+id+")")
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// routeOf is the pattern that matched r, or "unmatched".
func routeOf(r *http.Request) string {
	if r.Pattern == "" {
		return "unmatched"
	}
	return r.Pattern
}

// recoverSession ends a WebSocket session whose reader or writer panicked
// with 1011 (the client resumes), and reports it; the server and the
// session's table go on. Defer it directly in the goroutine it guards.
func (s *session) recoverSession(loop string) {
	v := recover()
	if v == nil {
		return
	}
	tags := map[string]string{"request_id": s.rid, "route": "GET /ws", "loop": loop}
	if t := s.table.Load(); t != nil {
		tags["game_id"], tags["room"] = t.GameID(), t.RoomCode()
	}
	s.srv.reportPanic(context.Background(), "websocket", v, tags)
	s.end(websocket.StatusInternalError, "internal error")
	if loop == "write" {
		// The writer closes the connection; it is gone, so do it here.
		s.conn.Close(websocket.StatusInternalError, "internal error")
	}
}
