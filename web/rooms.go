package web

import (
	"net/http"

	"golf/game"
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
	info := t.Info()
	writeJSON(w, http.StatusOK, roomPeek{Code: info.RoomCode, Phase: info.Phase, Seats: info.Seats, Rematch: info.Rematch})
}

// roomPeek is what a stranger holding a room code learns: what the join
// screen needs (is it open, is it full, who is there, where the rematch
// is), which watching the room would show anyway. Nothing that acts for
// anyone (ids, tokens) and nothing more (how many watch). Enumerating
// codes is bounded by the lookup limit (Limits.Strict).
type roomPeek struct {
	Code    string             `json:"code"`
	Phase   game.Phase         `json:"phase"`
	Seats   []live.SeatSummary `json:"seats"`
	Rematch string             `json:"rematch,omitempty"`
}
