package account

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golf/store"
)

// Config sets a Service's clock, session lifetimes and hasher. Zero fields
// take the defaults.
type Config struct {
	// Clock is the time source: injected so tests step through session and
	// ban expiry without sleeping. Default time.Now.
	Clock func() time.Time
	// SessionIdle is how long a session lives unused; each use (recorded
	// at most every TouchEvery) pushes its expiry this far ahead. Default
	// 30 days.
	SessionIdle time.Duration
	// SessionMax is how long a session lives at most, used or not: a stolen
	// token is not good for ever. Default 365 days.
	SessionMax time.Duration
	// TouchEvery is how often a session's use is written (last use, sliding
	// expiry, the user's last_seen_at): at most once per session per
	// interval, so a busy client costs one write a minute, not one per
	// request. Default one minute.
	TouchEvery time.Duration
	// Hasher hashes passwords. Default NewHasher(DefaultParams, 0, -1).
	Hasher *Hasher
}

// Service is the accounts domain: every operation the HTTP layer offers.
// Its methods are safe for concurrent use.
type Service struct {
	st     store.Accounts
	clock  func() time.Time
	idle   time.Duration
	max    time.Duration
	touch  time.Duration
	hasher *Hasher
	dummy  func() (string, error) // a hash to check against when the user is unknown
}

// New returns a Service over st.
func New(st store.Accounts, cfg Config) (*Service, error) {
	s := &Service{st: st, clock: cfg.Clock, idle: cfg.SessionIdle, max: cfg.SessionMax, touch: cfg.TouchEvery, hasher: cfg.Hasher}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.idle <= 0 {
		s.idle = 30 * 24 * time.Hour
	}
	if s.max <= 0 {
		s.max = 365 * 24 * time.Hour
	}
	if s.touch <= 0 {
		s.touch = time.Minute
	}
	if s.hasher == nil {
		h, err := NewHasher(DefaultParams, 0, -1)
		if err != nil {
			return nil, err
		}
		s.hasher = h
	}
	// Made on first use, with the current parameters, so that checking a
	// password against it costs what checking a real one does.
	s.dummy = sync.OnceValues(func() (string, error) {
		var pw [16]byte
		rand.Read(pw[:])
		return s.hasher.Hash(context.Background(), hex.EncodeToString(pw[:]))
	})
	return s, nil
}

// now is the clock to the millisecond, the stores' precision, so what is
// written reads back equal.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// newSession makes a session for userID and its token.
func (s *Service) newSession(userID string, d Device) (store.Session, Token) {
	token, hash := newToken()
	now := s.now()
	return store.Session{ID: store.NewID(), UserID: userID, TokenHash: hash, CreatedAt: now,
		ExpiresAt: s.expiry(now, now), LastUsedAt: now, UserAgent: userAgent(d.UserAgent), IP: ip(d.IP)}, Token(token)
}

// expiry is a session's end if used at now: SessionIdle ahead, but never
// past SessionMax after it was made.
func (s *Service) expiry(created, now time.Time) time.Time {
	e := now.Add(s.idle)
	if limit := created.Add(s.max); e.After(limit) {
		e = limit
	}
	return e
}

func userAgent(ua string) string {
	if len(ua) > 512 {
		ua = ua[:512]
		for !utf8.ValidString(ua) {
			ua = ua[:len(ua)-1]
		}
	}
	return strings.ToValidUTF8(ua, "")
}

func ip(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return ""
	}
	return a.Unmap().String()
}

// internal wraps a store failure: not the client's fault, reported as a
// server error by the HTTP layer.
func internal(op string, err error) error { return fmt.Errorf("account: %s: %w", op, err) }

// NewGuest makes a guest: a real user, without username or password, and
// its first session. Every visitor gets one at once, so their first game
// already records a user id that registering will keep.
func (s *Service) NewGuest(ctx context.Context, displayName string, d Device) (Auth, error) {
	u, err := s.guestUser(displayName)
	if err != nil {
		return Auth{}, err
	}
	sess, token := s.newSession(u.ID, d)
	if err := s.st.CreateGuest(ctx, u, sess); err != nil {
		return Auth{}, internal("new guest", err)
	}
	return Auth{User: userFrom(u), Session: sessionFrom(sess), Token: token}, nil
}

// NewSeatGuest creates a guest with no session, for a seat taken over a
// connection that holds no account (a bot over the wire, an old client):
// nobody holds a token to come back with, so none is made. One write,
// where NewGuest and a Logout were two.
func (s *Service) NewSeatGuest(ctx context.Context, displayName string) (User, error) {
	u, err := s.guestUser(displayName)
	if err != nil {
		return User{}, err
	}
	if err := s.st.CreateGuest(ctx, u, store.Session{}); err != nil {
		return User{}, internal("new seat guest", err)
	}
	return userFrom(u), nil
}

// guestUser is a new guest's row, named displayName if that name is
// allowed.
func (s *Service) guestUser(displayName string) (store.User, error) {
	name, ferr := CheckDisplayName(displayName)
	if ferr != nil {
		return store.User{}, ferr
	}
	now := s.now()
	return store.User{ID: store.NewID(), DisplayName: name, Role: store.RolePlayer, CreatedAt: now, LastSeenAt: now,
		IsActive: true, Preferences: json.RawMessage(`{}`)}, nil
}

// Authenticate returns the user and session a token belongs to, if the
// session is live (neither revoked nor expired) and the user may play
// (active, not banned). It records the use at most every TouchEvery.
// Errors: ErrInvalidSession, ErrSessionExpired, ErrAccountDisabled,
// ErrBanned (with Until).
func (s *Service) Authenticate(ctx context.Context, token string) (User, Session, error) {
	hash, ok := parseToken(token)
	if !ok {
		return User{}, Session{}, ErrInvalidSession
	}
	rs, ru, err := s.st.Session(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, Session{}, ErrInvalidSession
	}
	if err != nil {
		return User{}, Session{}, internal("authenticate", err)
	}
	now := s.now()
	switch {
	case !rs.RevokedAt.IsZero():
		return User{}, Session{}, ErrInvalidSession
	case !now.Before(rs.ExpiresAt):
		return User{}, Session{}, ErrSessionExpired
	case !ru.IsActive || !ru.DeletedAt.IsZero():
		return User{}, Session{}, ErrAccountDisabled
	}
	if err := s.checkBan(ctx, ru.ID, now); err != nil {
		return User{}, Session{}, err
	}
	if now.Sub(rs.LastUsedAt) >= s.touch {
		rs.LastUsedAt, rs.ExpiresAt = now, s.expiry(rs.CreatedAt, now)
		if err := s.st.TouchSession(ctx, rs.ID, now, rs.ExpiresAt); err != nil {
			return User{}, Session{}, internal("authenticate", err)
		}
		ru.LastSeenAt = now
	}
	sess := sessionFrom(rs)
	sess.Current = true
	return userFrom(ru), sess, nil
}

// checkBan returns an ErrBanned error if a ban of userID is in force.
func (s *Service) checkBan(ctx context.Context, userID string, now time.Time) error {
	b, err := s.st.ActiveBan(ctx, userID, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return internal("ban check", err)
	}
	msg := "banned: " + b.Reason
	if !b.ExpiresAt.IsZero() {
		msg = "banned until " + b.ExpiresAt.Format(time.RFC3339) + ": " + b.Reason
	}
	return &Error{Code: CodeBanned, Msg: msg, Until: b.ExpiresAt}
}

// Register turns the guest userID into a registered user in place: same
// id, so its games stay its own. It revokes the guest's sessions and opens
// a new one (a session's privileges never change under the same token).
// Errors: field errors (CodeInvalidUsername, CodeUsernameReserved,
// CodeInvalidPassword, CodeInvalidEmail, or CodeInvalidInput for
// several), ErrUsernameTaken, ErrEmailTaken, ErrAlreadyRegistered,
// ErrAccountDisabled, ErrUserNotFound, ErrBusy.
func (s *Service) Register(ctx context.Context, userID, username, password, email string, d Device) (Auth, error) {
	u, err := s.st.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return Auth{}, ErrUserNotFound
	}
	if err != nil {
		return Auth{}, internal("register", err)
	}
	if !u.IsActive {
		return Auth{}, ErrAccountDisabled
	}
	if !userFrom(u).Guest {
		return Auth{}, ErrAlreadyRegistered
	}
	email, eerr := CheckEmail(email)
	if err := joinFields(CheckUsername(username), CheckPassword(password, username), eerr); err != nil {
		return Auth{}, err
	}
	// Refuse a taken name before paying for a hash; the store's unique
	// index still decides a race.
	if _, err := s.st.UserByUsername(ctx, username); err == nil {
		return Auth{}, usernameTaken()
	} else if !errors.Is(err, store.ErrNotFound) {
		return Auth{}, internal("register", err)
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return Auth{}, err
	}
	sess, token := s.newSession(userID, d)
	switch err := s.st.RegisterGuest(ctx, userID, username, email, hash, sess); {
	case errors.Is(err, store.ErrUsernameTaken):
		return Auth{}, usernameTaken()
	case errors.Is(err, store.ErrEmailTaken):
		return Auth{}, emailTaken()
	case errors.Is(err, store.ErrNotGuest):
		return Auth{}, ErrAlreadyRegistered
	case err != nil:
		return Auth{}, internal("register", err)
	}
	u.Username, u.Email, u.PasswordHash, u.LastSeenAt = username, email, hash, sess.CreatedAt
	return Auth{User: userFrom(u), Session: sessionFrom(sess), Token: token}, nil
}

func usernameTaken() *Error {
	return fieldError(CodeUsernameTaken, "username", "that username is taken")
}

func emailTaken() *Error {
	return fieldError(CodeEmailTaken, "email", "that email address belongs to another account")
}

// Login checks a username and password and opens a session. An unknown
// username and a wrong password give the same ErrBadCredentials after the
// same work: a password check against a dummy hash stands in for the
// missing user. guestID is the guest the visitor was until now — taken
// from their authenticated guest session, never from the request — and
// is linked into the account: its games count as the account's from then
// on (CanonicalUserID), and the guest is retired. Errors:
// ErrBadCredentials, ErrAccountDisabled, ErrBanned, ErrBusy.
func (s *Service) Login(ctx context.Context, username, password string, d Device, guestID string) (Auth, error) {
	var u store.User
	var err error
	if len(username) <= 4*MaxUsername && len(password) <= 4*MaxPassword {
		u, err = s.st.UserByUsername(ctx, username)
	} else {
		err = store.ErrNotFound // cannot exist; still pay for a check below
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Auth{}, internal("login", err)
	}
	if err != nil || u.PasswordHash == "" {
		dummy, err := s.dummy()
		if err != nil {
			return Auth{}, internal("login", err)
		}
		if _, err := s.hasher.Verify(ctx, dummy, password); err != nil {
			return Auth{}, err
		}
		return Auth{}, ErrBadCredentials
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, password)
	if errors.Is(err, errBadHash) {
		return Auth{}, internal("login", fmt.Errorf("user %s: %w", u.ID, err))
	}
	if err != nil {
		return Auth{}, err
	}
	if !ok {
		return Auth{}, ErrBadCredentials
	}
	// The password was right: only now say why the account cannot sign in.
	if !u.IsActive {
		return Auth{}, ErrAccountDisabled
	}
	now := s.now()
	if err := s.checkBan(ctx, u.ID, now); err != nil {
		return Auth{}, err
	}
	if s.hasher.NeedsRehash(u.PasswordHash) {
		// Best effort: a failure leaves the old hash, which still works.
		if h, err := s.hasher.Hash(ctx, password); err == nil {
			if _, err := s.st.ReplacePasswordHash(ctx, u.ID, u.PasswordHash, h); err == nil {
				u.PasswordHash = h
			}
		}
	}
	if store.CheckID("guest", guestID) != nil {
		guestID = ""
	}
	sess, token := s.newSession(u.ID, d)
	if _, err := s.st.StartSession(ctx, sess, guestID); err != nil {
		return Auth{}, internal("login", err)
	}
	u.LastSeenAt = sess.CreatedAt
	return Auth{User: userFrom(u), Session: sessionFrom(sess), Token: token}, nil
}

// Logout revokes the session of token, whatever its state (expired, its
// user banned): signing out always works. An unknown token is not an
// error: there is nothing left to sign out of.
func (s *Service) Logout(ctx context.Context, token string) error {
	hash, ok := parseToken(token)
	if !ok {
		return nil
	}
	rs, _, err := s.st.Session(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err == nil {
		err = s.st.RevokeSession(ctx, rs.UserID, rs.ID, s.now())
	}
	if err != nil {
		return internal("logout", err)
	}
	return nil
}

// LogoutAll revokes every session of userID ("sign out everywhere"), the
// caller's included, and returns how many were live.
func (s *Service) LogoutAll(ctx context.Context, userID string) (int64, error) {
	n, err := s.st.RevokeSessions(ctx, userID, "", s.now())
	if errors.Is(err, store.ErrInvalid) {
		return 0, ErrUserNotFound
	}
	if err != nil {
		return 0, internal("logout everywhere", err)
	}
	return n, nil
}

// Sessions lists userID's live sessions, newest first; current (the
// caller's session id) is marked.
func (s *Service) Sessions(ctx context.Context, userID, current string) ([]Session, error) {
	rs, err := s.st.Sessions(ctx, userID, s.now())
	if errors.Is(err, store.ErrInvalid) {
		return nil, ErrUserNotFound
	}
	if err != nil {
		return nil, internal("sessions", err)
	}
	out := make([]Session, len(rs))
	for i, r := range rs {
		out[i] = sessionFrom(r)
		out[i].Current = r.ID == current
	}
	return out, nil
}

// RevokeSession signs one of userID's sessions out. ErrSessionNotFound if
// userID has no such session.
func (s *Service) RevokeSession(ctx context.Context, userID, sessionID string) error {
	err := s.st.RevokeSession(ctx, userID, sessionID, s.now())
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return ErrSessionNotFound
	}
	if err != nil {
		return internal("revoke session", err)
	}
	return nil
}

// ChangePassword replaces a registered user's password after checking the
// current one, and signs out every other session (keep is the caller's).
// Errors: ErrBadCredentials (wrong current password, or a guest),
// CodeInvalidPassword, ErrBusy.
func (s *Service) ChangePassword(ctx context.Context, userID, keep, current, next string) error {
	u, err := s.verified(ctx, userID, current)
	if err != nil {
		return err
	}
	if ferr := CheckPassword(next, u.Username); ferr != nil {
		return ferr
	}
	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	if err := s.st.ChangePassword(ctx, userID, hash, keep, s.now()); err != nil {
		return internal("change password", err)
	}
	return nil
}

// verified loads a registered, active user and checks their password.
func (s *Service) verified(ctx context.Context, userID, password string) (store.User, error) {
	u, err := s.st.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return u, ErrUserNotFound
	}
	if err != nil {
		return u, internal("check password", err)
	}
	if u.PasswordHash == "" || !u.IsActive {
		return u, ErrBadCredentials
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, password)
	if errors.Is(err, errBadHash) {
		return u, internal("check password", fmt.Errorf("user %s: %w", u.ID, err))
	}
	if err != nil {
		return u, err
	}
	if !ok {
		return u, ErrBadCredentials
	}
	return u, nil
}

// DeleteAccount closes userID's account: username, email, password and
// preferences are wiped (the username is free again), every session is
// revoked, and the user shows as an anonymous "Player xxxxxx" wherever its
// id appears. Its games stay: their events are history. A registered user
// must give their password; a guest gives "". ErrBadCredentials,
// ErrLastAdmin.
func (s *Service) DeleteAccount(ctx context.Context, userID, password string) error {
	u, err := s.st.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return ErrUserNotFound
	}
	if err != nil {
		return internal("delete account", err)
	}
	if u.PasswordHash != "" {
		if _, err := s.verified(ctx, userID, password); err != nil {
			return err
		}
	}
	switch err := s.st.DeleteUser(ctx, userID, AnonymousName(userID), s.now()); {
	case errors.Is(err, store.ErrLastAdmin):
		return ErrLastAdmin
	case err != nil:
		return internal("delete account", err)
	}
	return nil
}

// AnonymousName is the name a deleted account shows under: distinct per
// user (two deleted players in one replay stay apart) and derived from
// the id alone, which the games hold anyway.
func AnonymousName(userID string) string {
	id := strings.ReplaceAll(userID, "-", "")
	if len(id) > 6 {
		id = id[:6]
	}
	return "Player " + id
}

// UpdateProfile changes a user's display name, email or preferences.
// Field errors as for Register; ErrEmailTaken; ErrAccountDisabled.
func (s *Service) UpdateProfile(ctx context.Context, userID string, c ProfileChange) (User, error) {
	u, err := s.st.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return User{}, ErrUserNotFound
	}
	if err != nil {
		return User{}, internal("update profile", err)
	}
	if !u.IsActive {
		return User{}, ErrAccountDisabled
	}
	var errs []*Error
	if c.DisplayName != nil {
		name, ferr := CheckDisplayName(*c.DisplayName)
		errs = append(errs, ferr)
		u.DisplayName = name
	}
	if c.Email != nil {
		email, ferr := CheckEmail(*c.Email)
		errs = append(errs, ferr)
		u.Email = email
	}
	if c.Preferences != nil {
		errs = append(errs, CheckPreferences(c.Preferences))
		u.Preferences = c.Preferences
	}
	if err := joinFields(errs...); err != nil {
		return User{}, err
	}
	switch err := s.st.UpdateProfile(ctx, userID, store.Profile{DisplayName: u.DisplayName, Email: u.Email,
		Preferences: u.Preferences}); {
	case errors.Is(err, store.ErrEmailTaken):
		return User{}, emailTaken()
	case err != nil:
		return User{}, internal("update profile", err)
	}
	return userFrom(u), nil
}

// User returns a user by id, for profiles and names. ErrUserNotFound.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	u, err := s.st.User(ctx, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return User{}, ErrUserNotFound
	}
	if err != nil {
		return User{}, internal("user", err)
	}
	return userFrom(u), nil
}

// CanonicalUserID returns the account a player id counts for: the account
// a guest was linked into, else the id itself (store.Accounts).
func (s *Service) CanonicalUserID(ctx context.Context, id string) (string, error) {
	c, err := s.st.CanonicalUserID(ctx, id)
	if err != nil {
		return "", internal("canonical user id", err)
	}
	return c, nil
}

// LinkedGuests returns the guest ids linked into the account id: the games
// they played are the account's (a replay's private link opens for them).
func (s *Service) LinkedGuests(ctx context.Context, id string) ([]string, error) {
	ids, err := s.st.LinkedGuests(ctx, id)
	if err != nil {
		return nil, internal("linked guests", err)
	}
	return ids, nil
}

// PurgeSessions deletes sessions that expired or were revoked more than
// keep ago; they sign nobody in and only fill the table. A periodic job
// calls it.
func (s *Service) PurgeSessions(ctx context.Context, keep time.Duration) (int64, error) {
	n, err := s.st.PurgeSessions(ctx, s.now().Add(-keep))
	if err != nil {
		return 0, internal("purge sessions", err)
	}
	return n, nil
}

// Standing reports whether the user id may play now: nil, or
// ErrAccountDisabled (deleted, merged into an account) or a CodeBanned
// error. A connection that presents a seat token, not a session, is
// checked against the seat's owner with it. A guest linked into an account
// stands as that account does: its seats are the account's.
func (s *Service) Standing(ctx context.Context, userID string) error {
	c, err := s.st.CanonicalUserID(ctx, userID)
	if err != nil && !errors.Is(err, store.ErrInvalid) {
		return internal("standing", err)
	}
	if err == nil {
		userID = c
	}
	u, err := s.st.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return ErrUserNotFound
	}
	if err != nil {
		return internal("standing", err)
	}
	if !u.IsActive || !u.DeletedAt.IsZero() {
		return ErrAccountDisabled
	}
	return s.checkBan(ctx, userID, s.now())
}
