package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"golf/account"
	"golf/limit"
)

// Accounts over HTTP (docs/api.md). A visitor becomes a guest user the
// first time the client asks (POST /api/auth/guest), held by an HttpOnly
// session cookie; registering converts that same user, signing in links
// it into the account. API clients and bots send the same token as
// "Authorization: Bearer". Handlers decide nothing themselves: they read
// the request, call account.Service, and write its answer or its coded
// error.

// sessionCookie holds the session token. HttpOnly (no script reads it),
// SameSite=Lax (no cross-site request carries it but a top-level link),
// Secure when the client reached us over HTTPS.
const sessionCookie = "golf_session"

// maxBody bounds an account request's JSON body.
const maxBody = 8 << 10

// Default sign-in limits: per client address, and per username whatever
// the address (a password guesser spread over many addresses still gets
// five tries a minute per account).
var (
	DefaultAuthIPRule   = limit.PerMinute("auth_ip", 20, 20)
	DefaultAuthUserRule = limit.PerMinute("auth_user", 5, 5)
)

// principal is the authenticated caller of a request.
type principal struct {
	user    account.User
	session account.Session
	token   string
}

// presentedToken returns the session token a request carries: the
// Authorization Bearer header first (an API client means it), else the
// cookie; "" if neither.
func presentedToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// authenticate returns the request's principal, nil if it presents no
// token, or the account error that refuses its token.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	tok := presentedToken(r)
	if tok == "" {
		return nil, nil
	}
	u, sess, err := s.accounts.Authenticate(r.Context(), tok)
	if err != nil {
		return nil, err
	}
	return &principal{user: u, session: sess, token: tok}, nil
}

// signedIn answers 401 (or the refusal) and returns false unless the
// request is authenticated.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) (*principal, bool) {
	p, err := s.authenticate(r)
	if err != nil {
		s.accountError(w, r, err)
		return nil, false
	}
	if p == nil {
		writeError(w, http.StatusUnauthorized, string(account.CodeInvalidSession), "not signed in")
		return nil, false
	}
	return p, true
}

func device(r *http.Request) account.Device {
	return account.Device{UserAgent: r.UserAgent(), IP: clientIP(r)}
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secureRequest(r)})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secureRequest(r)})
}

// ---- JSON shapes ----------------------------------------------------------

type userJSON struct {
	ID          string          `json:"id"`
	Username    string          `json:"username,omitempty"`
	DisplayName string          `json:"display_name"`
	Email       string          `json:"email,omitempty"`
	Role        account.Role    `json:"role"`
	Guest       bool            `json:"guest"`
	Active      bool            `json:"active"`
	CreatedAt   time.Time       `json:"created_at"`
	LastSeenAt  *time.Time      `json:"last_seen_at,omitempty"`
	Preferences json.RawMessage `json:"preferences,omitempty"`
}

func userOut(u account.User, private bool) userJSON {
	j := userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Guest: u.Guest,
		Active: u.Active, CreatedAt: u.CreatedAt, LastSeenAt: timePtr(u.LastSeenAt)}
	if private {
		j.Email, j.Preferences = u.Email, u.Preferences
	}
	return j
}

type sessionJSON struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	UserAgent  string    `json:"user_agent"`
	IP         string    `json:"ip"`
	Current    bool      `json:"current"`
}

func sessionOut(s account.Session) sessionJSON {
	return sessionJSON{ID: s.ID, CreatedAt: s.CreatedAt, ExpiresAt: s.ExpiresAt, LastUsedAt: s.LastUsedAt,
		UserAgent: s.UserAgent, IP: s.IP, Current: s.Current}
}

// ownSessionOut is the session a sign-in just gave the caller: theirs, so
// current, as GET /api/me says of it.
func ownSessionOut(s account.Session) sessionJSON {
	out := sessionOut(s)
	out.Current = true
	return out
}

// authJSON answers every request that signs in: the user and the
// session; the token only for a client that asked for it ("bearer":
// true), since a browser holds it in the HttpOnly cookie instead.
type authJSON struct {
	User    userJSON    `json:"user"`
	Session sessionJSON `json:"session"`
	Token   string      `json:"token,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// fieldErrorJSON is an error answer with the fields a form got wrong
// (docs/api.md).
type fieldErrorJSON struct {
	apiError
	Fields map[string]string `json:"fields,omitempty"`
	Until  *time.Time        `json:"until,omitempty"`
}

// accountError answers an account.Service error: its code with the
// matching status; anything else is the server's (logged, 500).
func (s *Server) accountError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *account.Error
	if !errors.As(err, &ae) {
		if errors.Is(err, context.Canceled) {
			return // the client went away
		}
		s.log.Error("account request failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "the server could not do that; try again")
		return
	}
	status := http.StatusBadRequest
	switch ae.Code {
	case account.CodeBadCredentials, account.CodeInvalidSession, account.CodeSessionExpired:
		status = http.StatusUnauthorized
	case account.CodeBanned, account.CodeAccountDisabled, account.CodeForbidden:
		status = http.StatusForbidden
	case account.CodeUserNotFound, account.CodeSessionNotFound:
		status = http.StatusNotFound
	case account.CodeUsernameTaken, account.CodeEmailTaken, account.CodeAlreadyRegistered, account.CodeNotBanned,
		account.CodeLastAdmin, account.CodeTargetIsAdmin:
		status = http.StatusConflict
	case account.CodeBusy:
		w.Header().Set("Retry-After", "1")
		status = http.StatusServiceUnavailable
	}
	body := fieldErrorJSON{apiError: apiError{Code: string(ae.Code), Message: ae.Msg}, Until: timePtr(ae.Until)}
	if body.Message == "" {
		body.Message = string(ae.Code)
	}
	for _, f := range append([]*account.Error{ae}, ae.Fields...) {
		if f.Field != "" {
			if body.Fields == nil {
				body.Fields = map[string]string{}
			}
			body.Fields[f.Field] = string(f.Code)
		}
	}
	if status == http.StatusUnauthorized && ae.Code != account.CodeBadCredentials {
		clearSessionCookie(w, r) // a dead cookie is no use to keep sending
	}
	writeJSON(w, status, body)
}

// readJSON decodes a request body into v, or answers 400 and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err == nil && len(body) == 0 {
		body = []byte("{}")
	}
	if err == nil {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "the body must be a JSON object of at most 8 KiB")
		return false
	}
	return true
}

// ---- rate limits ----------------------------------------------------------

// allowAuth takes one sign-in (or sign-up) attempt from the client's
// address and for username, or answers 429 with Retry-After. A limiter
// that cannot decide (its shared store is down) lets the attempt through:
// the password checks are bounded anyway (account.Hasher).
func (s *Server) allowAuth(w http.ResponseWriter, r *http.Request, username string) bool {
	username = strings.ToLower(strings.TrimSpace(username))
	if len(username) > 4*account.MaxUsername {
		username = username[:4*account.MaxUsername]
	}
	checks := []struct {
		lim       limit.Limiter
		name, key string
	}{{s.authIP, DefaultAuthIPRule.Name, clientIP(r)}, {s.authUser, DefaultAuthUserRule.Name, username}}
	for _, c := range checks {
		if c.key == "" {
			continue
		}
		if ok, wait := s.take(r.Context(), c.lim, c.name, c.key); !ok {
			tooMany(w, wait)
			return false
		}
	}
	return true
}

// ---- handlers -------------------------------------------------------------

func (s *Server) authRoutes(mux *http.ServeMux) {
	if s.accounts == nil {
		return
	}
	// Every route that changes state refuses cross-origin browser requests
	// (Sec-Fetch-Site, or Origin against Host); API clients send neither
	// header and pass.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "cross_origin", "cross-origin requests may not change anything")
	}))
	handle := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, csrf.Handler(h)) }

	handle("POST /api/auth/guest", s.apiGuest)
	handle("POST /api/auth/register", s.apiRegister)
	handle("POST /api/auth/login", s.apiLogin)
	handle("POST /api/auth/logout", s.apiLogout)
	handle("POST /api/auth/logout-all", s.apiLogoutAll)
	handle("GET /api/me", s.apiMe)
	handle("PATCH /api/me", s.apiUpdateMe)
	handle("DELETE /api/me", s.apiDeleteMe)
	handle("GET /api/me/sessions", s.apiSessions)
	handle("DELETE /api/me/sessions/{id}", s.apiRevokeSession)
	handle("POST /api/me/password", s.apiChangePassword)
	s.adminRoutes(handle)
}

type guestRequest struct {
	Name   string `json:"name"`
	Bearer bool   `json:"bearer"`
}

// apiGuest makes the visitor a guest user, unless they are signed in
// already (then it answers who they are; a guest's display name becomes
// name). The client calls it before its first create or join, so the
// WebSocket upgrade that follows carries the cookie.
func (s *Server) apiGuest(w http.ResponseWriter, r *http.Request) {
	var req guestRequest
	if !readJSON(w, r, &req) {
		return
	}
	if p, err := s.authenticate(r); err == nil && p != nil {
		u := p.user
		if u.Guest && req.Name != "" && req.Name != u.DisplayName {
			var err error
			if u, err = s.accounts.UpdateProfile(r.Context(), u.ID, account.ProfileChange{DisplayName: &req.Name}); err != nil {
				s.accountError(w, r, err)
				return
			}
		}
		setSessionCookie(w, r, p.token, p.session.ExpiresAt)
		writeJSON(w, http.StatusOK, authJSON{User: userOut(u, true), Session: sessionOut(p.session), Token: bearer(req.Bearer, p.token)})
		return
	}
	a, err := s.accounts.NewGuest(r.Context(), req.Name, device(r))
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	s.log.Info("guest created", "user", a.User.ID)
	setSessionCookie(w, r, string(a.Token), a.Session.ExpiresAt)
	writeJSON(w, http.StatusCreated, authJSON{User: userOut(a.User, true), Session: ownSessionOut(a.Session), Token: bearer(req.Bearer, string(a.Token))})
}

func bearer(want bool, token string) string {
	if want {
		return token
	}
	return ""
}

type registerRequest struct {
	Username    string `json:"username"`
	Password    string `json:"password"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Bearer      bool   `json:"bearer"`
}

// apiRegister turns the caller's guest into a registered user in place
// (same id: every game it played stays its own). A caller with no session
// becomes a guest first.
func (s *Server) apiRegister(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if !readJSON(w, r, &req) {
		return
	}
	if !s.allowAuth(w, r, req.Username) {
		return
	}
	ctx := r.Context()
	p, err := s.authenticate(r)
	if err != nil && !isSessionGone(err) {
		s.accountError(w, r, err)
		return
	}
	var guestID, oldSession string
	if p != nil {
		guestID, oldSession = p.user.ID, p.session.ID
	} else {
		// Validate before making a guest, so a bad form leaves nothing behind.
		ferrs := []error{}
		if e := account.CheckUsername(req.Username); e != nil {
			ferrs = append(ferrs, e)
		}
		if e := account.CheckPassword(req.Password, req.Username); e != nil {
			ferrs = append(ferrs, e)
		}
		if len(ferrs) > 0 {
			s.accountError(w, r, fieldErrors(ferrs))
			return
		}
		name := req.DisplayName
		if name == "" {
			name = req.Username
		}
		g, err := s.accounts.NewGuest(ctx, name, device(r))
		if err != nil {
			s.accountError(w, r, err)
			return
		}
		guestID = g.User.ID
	}
	a, err := s.accounts.Register(ctx, guestID, req.Username, req.Password, req.Email, device(r))
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	if req.DisplayName != "" && req.DisplayName != a.User.DisplayName {
		if u, err := s.accounts.UpdateProfile(ctx, a.User.ID, account.ProfileChange{DisplayName: &req.DisplayName}); err == nil {
			a.User = u
		}
	}
	s.conns.rekey(oldSession, a.User.ID, a.Session.ID)
	s.log.Info("user registered", "user", a.User.ID)
	setSessionCookie(w, r, string(a.Token), a.Session.ExpiresAt)
	writeJSON(w, http.StatusCreated, authJSON{User: userOut(a.User, true), Session: ownSessionOut(a.Session), Token: bearer(req.Bearer, string(a.Token))})
}

// fieldErrors joins validation errors as account.Service does: one, or
// invalid_input listing them.
func fieldErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	all := &account.Error{Code: account.CodeInvalidInput, Msg: "several fields are invalid"}
	for _, e := range errs {
		var ae *account.Error
		if errors.As(e, &ae) {
			all.Fields = append(all.Fields, ae)
		}
	}
	return all
}

// isSessionGone reports an error that only says the presented session is
// over: the request goes on as from someone not signed in.
func isSessionGone(err error) bool {
	return errors.Is(err, account.ErrInvalidSession) || errors.Is(err, account.ErrSessionExpired) ||
		errors.Is(err, account.ErrAccountDisabled)
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Bearer   bool   `json:"bearer"`
}

// apiLogin signs in. A caller who is a guest brings the guest's games
// along: the guest is linked into the account (docs/accounts.md).
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if !readJSON(w, r, &req) {
		return
	}
	if !s.allowAuth(w, r, req.Username) {
		return
	}
	var guestID, oldSession string
	if p, err := s.authenticate(r); err == nil && p != nil {
		oldSession = p.session.ID
		if p.user.Guest {
			guestID = p.user.ID
		}
	}
	a, err := s.accounts.Login(r.Context(), req.Username, req.Password, device(r), guestID)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	if oldSession != "" {
		s.conns.rekey(oldSession, a.User.ID, a.Session.ID)
	}
	if guestID != "" {
		s.relinkStats(r.Context(), guestID, a.User.ID)
	}
	s.log.Info("signed in", "user", a.User.ID, "guest_linked", guestID != "")
	setSessionCookie(w, r, string(a.Token), a.Session.ExpiresAt)
	writeJSON(w, http.StatusOK, authJSON{User: userOut(a.User, true), Session: ownSessionOut(a.Session), Token: bearer(req.Bearer, string(a.Token))})
}

// relinkStats moves the games a guest played into the account it was just
// linked into, so the account's profile and the boards count them at once
// (docs/stats.md, "Identity"). Only a link the sign-in really made is
// followed. A failure is logged, not the caller's: the projector's relink
// pass finds the guest's lines and moves them.
func (s *Server) relinkStats(ctx context.Context, guestID, userID string) {
	if s.stats == nil {
		return
	}
	if to, err := s.accounts.CanonicalUserID(ctx, guestID); err != nil || to != userID {
		return
	}
	if n, err := s.stats.Relink(ctx, guestID, userID); err != nil {
		s.log.Warn("stats: relink after sign-in failed; the projector will retry", "guest", guestID, "user", userID, "err", err)
	} else if n > 0 {
		s.metrics.StatsRelinked(n)
		s.log.Info("stats: guest's games moved into their account", "guest", guestID, "user", userID, "games", n)
	}
}

// apiLogout revokes the caller's session, whatever its state, and closes
// the sockets it opened.
func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	if tok := presentedToken(r); tok != "" {
		p, _ := s.authenticate(r)
		if err := s.accounts.Logout(r.Context(), tok); err != nil {
			s.accountError(w, r, err)
			return
		}
		if p != nil {
			s.revoked(revocation{User: p.user.ID, Session: p.session.ID, Reason: closeSignedOut})
		}
	}
	clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
}

// apiLogoutAll signs the caller out everywhere, this session included.
func (s *Server) apiLogoutAll(w http.ResponseWriter, r *http.Request) {
	p, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	n, err := s.accounts.LogoutAll(r.Context(), p.user.ID)
	if err != nil {
		s.accountError(w, r, err)
		return
	}
	s.revoked(revocation{User: p.user.ID, Reason: closeSignedOut})
	clearSessionCookie(w, r)
	writeJSON(w, http.StatusOK, map[string]int64{"revoked": n})
}
