package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"golf/account"
	"golf/game"
	"golf/live"
)

// The admin API (docs/api.md): find users, ban and unban, promote and
// demote, list active games and end a stuck one, read the audit log.
// Every route checks the caller's role here and account.Service checks it
// again from the database, so a demotion takes effect on the next request.

func (s *Server) adminRoutes(handle func(string, http.HandlerFunc)) {
	handle("GET /api/admin/users", s.admin(s.apiFindUsers))
	handle("GET /api/admin/users/{id}", s.admin(s.apiAdminUser))
	handle("POST /api/admin/users/{id}/ban", s.admin(s.apiBan))
	handle("DELETE /api/admin/users/{id}/ban", s.admin(s.apiUnban))
	handle("PUT /api/admin/users/{id}/role", s.admin(s.apiSetRole))
	handle("GET /api/admin/games", s.admin(s.apiActiveGames))
	handle("POST /api/admin/games/{id}/end", s.admin(s.apiEndGame))
	handle("GET /api/admin/audit", s.admin(s.apiAudit))
}

// admin wraps a handler that only admins may call.
func (s *Server) admin(h func(http.ResponseWriter, *http.Request, *principal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.signedIn(w, r)
		if !ok {
			return
		}
		if !p.user.IsAdmin() {
			s.accountError(w, r, account.ErrForbidden)
			return
		}
		h(w, r, p)
	}
}

func queryInt(r *http.Request, name string, def int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func (s *Server) apiFindUsers(w http.ResponseWriter, r *http.Request, p *principal) {
	n, ok := queryInt(r, "limit", 50)
	if !ok {
		writeError(w, http.StatusBadRequest, "bad_request", "limit must be a number")
		return
	}
	us, err := s.accounts.FindUsers(r.Context(), p.user.ID, r.URL.Query().Get("q"), n)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	out := make([]userJSON, len(us))
	for i, u := range us {
		out[i] = userOut(u, true)
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
}

type banJSON struct {
	ID        int64      `json:"id"`
	Reason    string     `json:"reason"`
	CreatedBy string     `json:"created_by,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	LiftedAt  *time.Time `json:"lifted_at,omitempty"`
	LiftedBy  string     `json:"lifted_by,omitempty"`
	Active    bool       `json:"active"`
}

func banOut(b account.Ban, now time.Time) banJSON {
	return banJSON{ID: b.ID, Reason: b.Reason, CreatedBy: b.CreatedBy, CreatedAt: b.CreatedAt,
		ExpiresAt: timePtr(b.ExpiresAt), LiftedAt: timePtr(b.LiftedAt), LiftedBy: b.LiftedBy,
		Active: b.LiftedAt.IsZero() && (b.ExpiresAt.IsZero() || now.Before(b.ExpiresAt))}
}

// apiAdminUser shows one user (guests too, by id) with their bans.
func (s *Server) apiAdminUser(w http.ResponseWriter, r *http.Request, p *principal) {
	id := r.PathValue("id")
	bans, err := s.accounts.Bans(r.Context(), p.user.ID, id)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	u, err := s.accounts.User(r.Context(), id)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	now := time.Now()
	out := make([]banJSON, len(bans))
	for i, b := range bans {
		out[i] = banOut(b, now)
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": userOut(u, true), "bans": out, "online": s.conns.count(id)})
}

type banRequest struct {
	Reason string `json:"reason"`
	// ExpiresIn is the ban's length in seconds; 0 or absent: until lifted.
	ExpiresIn int64 `json:"expires_in"`
}

// apiBan bans a user and closes their sockets at once: their seats go to
// the platform after the grace period, like any disconnection.
func (s *Server) apiBan(w http.ResponseWriter, r *http.Request, p *principal) {
	var req banRequest
	if !readJSON(w, r, &req) {
		return
	}
	if req.ExpiresIn < 0 || req.ExpiresIn > 100*365*24*3600 {
		writeJSON(w, http.StatusBadRequest, fieldErrorJSON{apiError: apiError{Code: "bad_request",
			Message: "expires_in is a number of seconds, 0 for until lifted"}, Fields: map[string]string{"expires_in": "bad_request"}})
		return
	}
	id := r.PathValue("id")
	b, err := s.accounts.Ban(r.Context(), p.user.ID, id, req.Reason, time.Duration(req.ExpiresIn)*time.Second)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	s.log.Info("user banned", "user", id, "by", p.user.ID, "expires", b.ExpiresAt)
	s.revoked(revocation{User: id, Reason: closeBanned, Message: "you are banned: " + b.Reason})
	writeJSON(w, http.StatusCreated, banOut(b, time.Now()))
}

func (s *Server) apiUnban(w http.ResponseWriter, r *http.Request, p *principal) {
	id := r.PathValue("id")
	if err := s.accounts.Unban(r.Context(), p.user.ID, id); err != nil {
		s.accountError(w, r, err)
		return
	}
	s.log.Info("user unbanned", "user", id, "by", p.user.ID)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiSetRole(w http.ResponseWriter, r *http.Request, p *principal) {
	var req struct {
		Role account.Role `json:"role"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	id := r.PathValue("id")
	if err := s.accounts.SetRole(r.Context(), p.user.ID, id, req.Role); err != nil {
		s.accountError(w, r, err)
		return
	}
	s.log.Info("role changed", "user", id, "role", req.Role, "by", p.user.ID)
	u, err := s.accounts.User(r.Context(), id)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": userOut(u, true)})
}

type gameJSON struct {
	ID        string             `json:"id"`
	Room      string             `json:"room"`
	CreatedAt time.Time          `json:"created_at"`
	PlayerIDs []string           `json:"player_ids"`
	Open      bool               `json:"open"`
	Phase     game.Phase         `json:"phase,omitempty"`
	Seats     []live.SeatSummary `json:"seats,omitempty"`
}

// maxGamesListed bounds the admin's list of active games.
const maxGamesListed = 500

func (s *Server) apiActiveGames(w http.ResponseWriter, r *http.Request, p *principal) {
	gs, err := s.live.ActiveGames(r.Context(), maxGamesListed)
	if err != nil {
		s.log.Error("cannot list active games", "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the game store cannot be read right now")
		return
	}
	out := make([]gameJSON, len(gs))
	for i, g := range gs {
		ids := g.PlayerIDs
		if ids == nil {
			ids = []string{}
		}
		out[i] = gameJSON{ID: g.GameID, Room: g.RoomCode, CreatedAt: g.CreatedAt, PlayerIDs: ids, Open: g.Open,
			Phase: g.Phase, Seats: g.Seats}
	}
	writeJSON(w, http.StatusOK, map[string]any{"games": out})
}

// apiEndGame ends a stuck game the way the platform ends an idle one: a
// GameEnded event appended to its log (abandoned), which everyone at the
// table sees. The audit log records who did it.
func (s *Server) apiEndGame(w http.ResponseWriter, r *http.Request, p *principal) {
	// The caller's role is re-read before anything is appended.
	if err := s.accounts.CheckAdmin(r.Context(), p.user.ID); err != nil {
		s.accountError(w, r, err)
		return
	}
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	err := s.live.EndGame(ctx, id)
	switch {
	case errors.Is(err, live.ErrRoomNotFound):
		writeError(w, http.StatusNotFound, "game_not_found", "no active game with that id")
		return
	case errors.Is(err, live.ErrGameOver):
		writeError(w, http.StatusConflict, string(live.CodeGameOver), "that game has ended already")
		return
	case err != nil:
		s.log.Warn("admin could not end a game", "game", id, "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the game could not be ended right now; try again")
		return
	}
	s.log.Info("game ended by an admin", "game", id, "by", p.user.ID)
	if err := s.accounts.RecordAction(context.WithoutCancel(r.Context()), p.user.ID, account.ActionEndGame,
		map[string]any{"game_id": id}); err != nil {
		s.accountError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type auditJSON struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	ActorID    string          `json:"actor_id,omitempty"`
	ActorName  string          `json:"actor,omitempty"`
	Action     string          `json:"action"`
	TargetID   string          `json:"target_id,omitempty"`
	TargetName string          `json:"target,omitempty"`
	Detail     json.RawMessage `json:"detail"`
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, p *principal) {
	n, ok1 := queryInt(r, "limit", 50)
	before, ok2 := queryInt(r, "before", 0)
	if !ok1 || !ok2 {
		writeError(w, http.StatusBadRequest, "bad_request", "limit and before must be numbers")
		return
	}
	es, err := s.accounts.AuditLog(r.Context(), p.user.ID, account.AuditQuery{TargetID: r.URL.Query().Get("target"),
		Before: int64(before), Limit: n})
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	names := map[string]string{}
	name := func(id string) string {
		if id == "" {
			return ""
		}
		if n, ok := names[id]; ok {
			return n
		}
		n := ""
		if u, err := s.accounts.User(r.Context(), id); err == nil {
			n = u.Username
			if n == "" {
				n = u.DisplayName
			}
		}
		names[id] = n
		return n
	}
	out := make([]auditJSON, len(es))
	for i, e := range es {
		out[i] = auditJSON{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorName: name(e.ActorID), Action: e.Action,
			TargetID: e.TargetID, TargetName: name(e.TargetID), Detail: e.Detail}
		if len(out[i].Detail) == 0 {
			out[i].Detail = json.RawMessage(`{}`)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out})
}
