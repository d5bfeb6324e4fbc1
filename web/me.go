package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"golf/account"
)

// The signed-in user's own account: GET/PATCH/DELETE /api/me, the
// sessions, the password (docs/api.md).

type meJSON struct {
	User    userJSON    `json:"user"`
	Session sessionJSON `json:"session"`
}

// apiMe says who the caller is: {"user": null} for a visitor who
// presents no session (not an error: a page asks before it knows), 401 for
// a session that is over. It also renews the cookie's expiry to the
// session's (which each use pushes ahead), so a browser that keeps
// playing keeps its cookie.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	if presentedToken(r) == "" {
		writeJSON(w, http.StatusOK, map[string]any{"user": nil, "session": nil})
		return
	}
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value == p.token {
		setSessionCookie(w, r, p.token, p.session.ExpiresAt)
	}
	writeJSON(w, http.StatusOK, meJSON{User: userOut(p.user, true), Session: sessionOut(p.session)})
}

type updateMeRequest struct {
	DisplayName *string         `json:"display_name"`
	Email       *string         `json:"email"`
	Preferences json.RawMessage `json:"preferences"`
}

func (s *Server) apiUpdateMe(w http.ResponseWriter, r *http.Request) {
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var req updateMeRequest
	if !readJSON(w, r, &req) {
		return
	}
	c := account.ProfileChange{DisplayName: req.DisplayName, Email: req.Email}
	if len(req.Preferences) > 0 && string(req.Preferences) != "null" {
		c.Preferences = req.Preferences
	}
	u, err := s.accounts.UpdateProfile(r.Context(), p.user.ID, c)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, meJSON{User: userOut(u, true), Session: sessionOut(p.session)})
}

type passwordRequest struct {
	Password string `json:"password"` // the current one
	New      string `json:"new_password"`
}

// apiDeleteMe closes the caller's account (a registered user confirms
// with their password) and every socket it has open.
func (s *Server) apiDeleteMe(w http.ResponseWriter, r *http.Request) {
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var req passwordRequest
	if !readJSON(w, r, &req) {
		return
	}
	if !p.user.Guest && !s.allowAuth(w, r, p.user.Username) {
		return
	}
	if err := s.accounts.DeleteAccount(r.Context(), p.user.ID, req.Password); err != nil {
		s.accountError(w, r, err)
		return
	}
	s.log.Info("account deleted", "user", p.user.ID)
	s.revoked(revocation{User: p.user.ID, Reason: closeSignedOut})
	clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiSessions(w http.ResponseWriter, r *http.Request) {
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	ss, err := s.accounts.Sessions(r.Context(), p.user.ID, p.session.ID)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	out := make([]sessionJSON, len(ss))
	for i, x := range ss {
		out[i] = sessionOut(x)
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": out})
}

// apiRevokeSession signs one of the caller's sessions out, and closes its
// sockets.
func (s *Server) apiRevokeSession(w http.ResponseWriter, r *http.Request) {
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	if err := s.accounts.RevokeSession(r.Context(), p.user.ID, id); err != nil {
		s.accountError(w, r, err)
		return
	}
	s.revoked(revocation{User: p.user.ID, Session: id, Reason: closeSignedOut})
	if id == p.session.ID {
		clearSessionCookie(w, r)
	}
	w.WriteHeader(http.StatusNoContent)
}

// apiChangePassword replaces the password and signs out every other
// session (their sockets close); this one stays.
func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) {
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var req passwordRequest
	if !readJSON(w, r, &req) {
		return
	}
	if !s.allowAuth(w, r, p.user.Username) {
		return
	}
	if err := s.accounts.ChangePassword(r.Context(), p.user.ID, p.session.ID, req.Password, req.New); err != nil {
		if ae := (*account.Error)(nil); errors.As(err, &ae) && ae.Code == account.CodeInvalidPassword {
			// The new password is the one the form got wrong.
			writeJSON(w, http.StatusBadRequest, fieldErrorJSON{apiError: apiError{Code: string(ae.Code), Message: ae.Msg},
				Fields: map[string]string{"new_password": string(ae.Code)}})
			return
		}
		s.accountError(w, r, err)
		return
	}
	s.log.Info("password changed", "user", p.user.ID)
	s.revoked(revocation{User: p.user.ID, Except: p.session.ID, Reason: closeSignedOut})
	w.WriteHeader(http.StatusNoContent)
}
