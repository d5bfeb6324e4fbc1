package web

import (
	"errors"
	"net/http"
	"strconv"

	"golf/stats"
)

// The statistics API (docs/protocol.md, "Statistics"): leaderboards,
// profiles and game histories, read from package stats' projection, and
// the client's pages that show them.

func (s *Server) statsRoutes(mux *http.ServeMux) {
	client := s.cfg.Client
	if client == nil {
		client = placeholder
	}
	page := func(w http.ResponseWriter, r *http.Request) { http.ServeFileFS(w, r, client, "index.html") }
	mux.HandleFunc("GET /leaderboard", page)
	mux.HandleFunc("GET /u/{name}", page)
	mux.HandleFunc("GET /api/leaderboard", s.apiLeaderboard)
	mux.HandleFunc("GET /api/users/{name}", s.apiUser)
	mux.HandleFunc("GET /api/users/{name}/games", s.apiUserGames)
}

// statsOff answers when the server keeps no statistics.
func (s *Server) statsOff(w http.ResponseWriter) bool {
	if s.stats == nil {
		writeError(w, http.StatusNotFound, "stats_off", "this server keeps no statistics")
		return true
	}
	return false
}

// viewer is the signed-in player's id (Deps.Viewer's answer, else the
// request's session), or "" for a visitor.
func (s *Server) viewer(r *http.Request) string {
	if s.me != nil {
		return s.me(r)
	}
	if s.accounts == nil {
		return ""
	}
	p, err := s.authenticate(r)
	if err != nil || p == nil {
		return ""
	}
	return p.user.ID
}

// apiLeaderboard is GET /api/leaderboard?by=&period=&vs=&rules=&page=.
func (s *Server) apiLeaderboard(w http.ResponseWriter, r *http.Request) {
	if s.statsOff(w) {
		return
	}
	q := r.URL.Query()
	bq := stats.BoardQuery{By: orDefault(q.Get("by"), "wins"), Period: orDefault(q.Get("period"), "all")}
	switch v := orDefault(q.Get("vs"), "all"); v {
	case "all":
	case "humans":
		bq.Humans = true
	default:
		writeStatsError(w, &stats.QueryError{Field: "vs", Msg: "want all or humans"})
		return
	}
	switch v := orDefault(q.Get("rules"), "all"); v {
	case "all":
	case "standard":
		bq.Standard = true
	default:
		writeStatsError(w, &stats.QueryError{Field: "rules", Msg: "want all or standard"})
		return
	}
	var ok bool
	if bq.Page, ok = pageParam(w, r); !ok {
		return
	}
	b, err := s.stats.Leaderboard(r.Context(), bq, s.viewer(r))
	if err != nil {
		writeStatsError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// apiUser is GET /api/users/{name}: a player's statistics.
func (s *Server) apiUser(w http.ResponseWriter, r *http.Request) {
	if s.statsOff(w) {
		return
	}
	p, err := s.stats.Profile(r.Context(), r.PathValue("name"))
	if err != nil {
		writeStatsError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// apiUserGames is GET /api/users/{name}/games?page=: a player's finished
// games, newest first.
func (s *Server) apiUserGames(w http.ResponseWriter, r *http.Request) {
	if s.statsOff(w) {
		return
	}
	page, ok := pageParam(w, r)
	if !ok {
		return
	}
	h, err := s.stats.History(r.Context(), r.PathValue("name"), page)
	if err != nil {
		writeStatsError(w, err)
		return
	}
	if s.replays != nil {
		// A private game answers a stranger as a missing one
		// (docs/replay.md), so it is left out of their copy of the list
		// (the player's totals still count it).
		v := s.replayViewer(r)
		kept := h.Games[:0]
		for _, g := range h.Games {
			ok, err := s.replays.Visible(r.Context(), g.GameID, v)
			if err != nil {
				writeStatsError(w, err)
				return
			}
			if ok {
				kept = append(kept, g)
			}
		}
		h.Games = kept
	}
	writeJSON(w, http.StatusOK, h)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// pageParam reads ?page= (default 1); a malformed one is answered here.
func pageParam(w http.ResponseWriter, r *http.Request) (int, bool) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		writeStatsError(w, &stats.QueryError{Field: "page", Msg: "want a page number from 1"})
		return 0, false
	}
	return n, true
}

func writeStatsError(w http.ResponseWriter, err error) {
	var qe *stats.QueryError
	switch {
	case errors.As(err, &qe):
		writeJSON(w, http.StatusBadRequest, apiFieldError{Code: "invalid_query", Message: qe.Msg,
			Fields: map[string]string{qe.Field: "invalid_value"}})
	case errors.Is(err, stats.ErrUnknownPlayer):
		writeError(w, http.StatusNotFound, "unknown_player", "no statistics for this player")
	default:
		writeError(w, http.StatusInternalServerError, "internal", "statistics unavailable")
	}
}

// apiFieldError is an error that names the request's fields at fault
// (docs/protocol.md).
type apiFieldError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}
