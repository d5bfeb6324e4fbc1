package web

import "net/http"

// health is GET /healthz: 200 while the server takes games, 503 from the
// moment it starts closing, so a load balancer stops sending it clients.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if s.closing.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "closing"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "rooms": s.live.Rooms()})
}
