package web

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golf/replay"
	"golf/store"
)

// This file serves replays, exports, imports, visibility and the recent
// games list (docs/api.md, docs/replay.md) from package replay.

func (s *Server) replayRoutes(mux *http.ServeMux) {
	if s.replays == nil {
		return
	}
	mux.HandleFunc("GET /api/games/recent", s.apiRecentGames)
	mux.HandleFunc("GET /api/games/{id}", s.apiGameInfo)
	mux.HandleFunc("GET /api/games/{id}/export", s.apiExport)
	mux.HandleFunc("GET /api/games/{id}/replay", s.apiReplay)
	mux.HandleFunc("PUT /api/games/{id}/visibility", s.apiSetVisibility)
	mux.HandleFunc("POST /api/games/import", s.apiImport)
}

// replayViewer is who asks, as package replay judges access: nobody,
// or a signed-in user with the guest ids linked into them, and whether an
// admin. A dead session reads as nobody: a public replay still opens.
func (s *Server) replayViewer(r *http.Request) replay.Viewer {
	if s.accounts == nil {
		return replay.Viewer{}
	}
	p, err := s.authenticate(r)
	if err != nil || p == nil {
		return replay.Viewer{}
	}
	v := replay.Viewer{ID: p.user.ID, Admin: p.user.IsAdmin()}
	if !p.user.Guest {
		v.Linked, _ = s.accounts.LinkedGuests(r.Context(), p.user.ID)
	}
	return v
}

// replayError answers an error of package replay. A private game and a
// missing one get the same 404, word for word.
func (s *Server) replayError(w http.ResponseWriter, r *http.Request, err error) {
	var ie *replay.ImportError
	switch {
	case errors.As(err, &ie):
		status := http.StatusBadRequest
		if ie.Code == replay.CodeTooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		writeJSON(w, status, importErrorJSON{apiError: apiError{Code: ie.Code, Message: ie.Error()}, Seq: ie.Seq})
	case errors.Is(err, replay.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", "no such game")
	case errors.Is(err, replay.ErrUnfinished):
		writeError(w, http.StatusConflict, "game_in_progress", "the game has not ended")
	case errors.Is(err, replay.ErrArchived):
		writeError(w, http.StatusGone, "archived", "the game's moves were archived")
	case errors.Is(err, replay.ErrForbidden):
		writeError(w, http.StatusForbidden, "forbidden", "only the host, the game's players or an admin may change that")
	case errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusBadRequest, "invalid_visibility", "visibility is public, unlisted or private")
	case errors.Is(err, context.Canceled):
	default:
		s.log.Error("replay request failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "the server could not do that; try again")
	}
}

// importErrorJSON is a refused import: the code, the words, and the first
// bad event's number (0 when the fault is not one event's).
type importErrorJSON struct {
	apiError
	Seq int64 `json:"seq"`
}

// apiGameInfo is GET /api/games/{id}: the game's summary.
func (s *Server) apiGameInfo(w http.ResponseWriter, r *http.Request) {
	inf, err := s.replays.Info(r.Context(), r.PathValue("id"), s.replayViewer(r))
	if err != nil {
		s.replayError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, inf)
}

// apiExport is GET /api/games/{id}/export: the export file, as a download.
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) {
	doc, err := s.replays.Export(r.Context(), r.PathValue("id"), s.replayViewer(r))
	if err != nil {
		s.replayError(w, r, err)
		return
	}
	b, err := replay.Encode(doc)
	if err != nil {
		s.replayError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+replay.FileName(doc)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// apiReplay is GET /api/games/{id}/replay?seat=N: the views step by step,
// every card face up without seat (or seat=all), else as seat N saw them.
// It is large (a view per event), so it is gzipped when the client takes it.
func (s *Server) apiReplay(w http.ResponseWriter, r *http.Request) {
	perspective := replay.Open
	if q := r.URL.Query().Get("seat"); q != "" && q != "all" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "bad_request", "seat is a seat number from 0, or all")
			return
		}
		perspective = n
	}
	rep, err := s.replays.Replay(r.Context(), r.PathValue("id"), perspective, s.replayViewer(r))
	if err != nil {
		s.replayError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Accept-Encoding")
	var out io.Writer = w
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		// Default compression: 5.4 MB of views become 77 KB (BestSpeed: 390 KB),
		// which a phone on a slow network feels more than the server the time.
		gz := gzip.NewWriter(w)
		defer gz.Close()
		out = gz
	}
	w.WriteHeader(http.StatusOK)
	if err := rep.WriteJSON(out); err != nil {
		s.log.Info("replay not sent", "game", rep.Game.ID, "err", err)
	}
}

// apiSetVisibility is PUT /api/games/{id}/visibility {"visibility": …}.
func (s *Server) apiSetVisibility(w http.ResponseWriter, r *http.Request) {
	if s.accounts == nil {
		writeError(w, http.StatusNotFound, "not_found", "no such game")
		return
	}
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var req struct {
		Visibility store.Visibility `json:"visibility"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	v := s.replayViewer(r)
	v.ID, v.Admin = p.user.ID, p.user.IsAdmin()
	id := r.PathValue("id")
	if err := s.replays.SetVisibility(r.Context(), id, req.Visibility, v); err != nil {
		s.replayError(w, r, err)
		return
	}
	inf, err := s.replays.Info(r.Context(), id, v)
	if err != nil {
		s.replayError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, inf)
}

// apiImport is POST /api/games/import: the body is an export file. Only a
// signed-in user imports; the copy is theirs and private.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	if s.accounts == nil {
		writeError(w, http.StatusNotFound, "not_found", "this server has no accounts")
		return
	}
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, replay.MaxSize+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(body) > replay.MaxSize {
		s.replayError(w, r, &replay.ImportError{Code: replay.CodeTooLarge,
			Msg: "the file is larger than " + strconv.Itoa(replay.MaxSize) + " bytes"})
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "could not read the file")
		return
	}
	c, err := replay.Decode(body)
	if err != nil {
		s.replayError(w, r, err)
		return
	}
	inf, err := s.replays.Import(r.Context(), c, replay.Viewer{ID: p.user.ID, Admin: p.user.IsAdmin()})
	if err != nil {
		s.replayError(w, r, err)
		return
	}
	s.log.Info("game imported", "game", inf.ID, "user", p.user.ID, "events", len(c.Events))
	writeJSON(w, http.StatusCreated, inf)
}

// apiRecentGames is GET /api/games/recent?before=<completed_at>&before_id=:
// public finished games, newest first, 20 a page; next is the cursor of
// the following page, absent on the last.
func (s *Server) apiRecentGames(w http.ResponseWriter, r *http.Request) {
	q := store.PublicQuery{Limit: 20}
	if b := r.URL.Query().Get("before"); b != "" {
		t, err := time.Parse(time.RFC3339Nano, b)
		id := r.URL.Query().Get("before_id")
		if err != nil || store.CheckGameID(id) != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "before is an RFC 3339 time and before_id a game id")
			return
		}
		q.Before, q.BeforeID = t, id
	}
	games, more, err := s.replays.Recent(r.Context(), q)
	if err != nil {
		s.replayError(w, r, err)
		return
	}
	out := map[string]any{"games": games}
	if more && len(games) > 0 {
		last := games[len(games)-1]
		out["next"] = map[string]string{"before": last.CompletedAt.Format(time.RFC3339Nano), "before_id": last.ID}
	}
	writeJSON(w, http.StatusOK, out)
}
