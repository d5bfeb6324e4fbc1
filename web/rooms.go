package web

import (
	"net/http"

	"golf/live"
)

// apiRoom is GET /api/rooms/{code}: the room's summary (live.Summary),
// or the error code of live's answer (not_found, unavailable).
func (s *Server) apiRoom(w http.ResponseWriter, r *http.Request) {
	t, err := s.live.Lookup(r.Context(), r.PathValue("code"))
	if err != nil {
		code, _, msg := live.ErrorCode(err)
		status := http.StatusNotFound
		if code == string(live.CodeUnavailable) {
			status = http.StatusServiceUnavailable
		}
		writeError(w, status, code, msg)
		return
	}
	writeJSON(w, http.StatusOK, t.Info())
}
