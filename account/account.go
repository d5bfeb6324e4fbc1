// Package account owns users, sessions and roles: guest-first sign-up,
// registration in place, sign-in with argon2id, sessions stored only as
// hashes of their tokens, and the admin's bans, roles and audit log
// (docs/accounts.md). It decides; store.Accounts keeps. It knows nothing of
// HTTP: package web calls its Service and turns its *Error into JSON.
package account

import (
	"encoding/json"
	"log/slog"
	"time"

	"golf/store"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	RolePlayer Role = store.RolePlayer
	RoleAdmin  Role = store.RoleAdmin
)

// User is a user as the rest of the server sees it: never its password
// hash.
type User struct {
	ID          string // a UUID; the player id its seats record
	Username    string // "" for a guest or a deleted account
	DisplayName string
	Email       string // "" if none
	Role        Role
	Guest       bool // no username or password yet (and not deleted)
	Active      bool // false once deleted, or once a guest was merged into an account
	CreatedAt   time.Time
	LastSeenAt  time.Time
	DeletedAt   time.Time // zero unless deleted
	Preferences json.RawMessage
}

// IsAdmin reports whether u may use the admin operations.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin && u.Active }

func userFrom(r store.User) User {
	return User{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Email: r.Email, Role: Role(r.Role),
		Guest: r.PasswordHash == "" && r.Username == "" && r.DeletedAt.IsZero(), Active: r.IsActive && r.DeletedAt.IsZero(),
		CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt, DeletedAt: r.DeletedAt, Preferences: r.Preferences}
}

// Session is one signed-in device. Its token is not here: only Auth
// carries a token, once, when it is made.
type Session struct {
	ID         string // public id, for listing and revoking
	UserID     string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time // to within Config.TouchEvery
	UserAgent  string
	IP         string
	Current    bool // the session that asked (Sessions)
}

func sessionFrom(r store.Session) Session {
	return Session{ID: r.ID, UserID: r.UserID, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
		LastUsedAt: r.LastUsedAt, UserAgent: r.UserAgent, IP: r.IP}
}

// Device describes where a session was opened, for the user's list of
// sessions. The HTTP layer fills it from the request.
type Device struct {
	UserAgent string // truncated to 512 bytes
	IP        string // canonicalized; "" if not an IP address
}

// Token is a session token: 32 random bytes, base64url. It is the only
// secret a client holds; the store keeps only its SHA-256. Printing or
// logging a Token shows "[token]"; string(t) is the value to send.
type Token string

func (Token) String() string                 { return "[token]" }
func (Token) GoString() string               { return "[token]" }
func (Token) LogValue() slog.Value           { return slog.StringValue("[token]") }
func (t Token) MarshalText() ([]byte, error) { return []byte("[token]"), nil }

// Auth is the result of opening a session: the user, the session, and its
// token, which exists nowhere else.
type Auth struct {
	User    User
	Session Session
	Token   Token
}

// Ban keeps a user from signing in and from using their sessions until it
// is lifted or expires.
type Ban struct {
	ID        int64
	UserID    string
	Reason    string
	CreatedBy string // the admin's id; "" for the operator
	CreatedAt time.Time
	ExpiresAt time.Time // zero: until lifted
	LiftedAt  time.Time
	LiftedBy  string
}

func banFrom(b store.Ban) Ban { return Ban(b) }

// AuditEntry is one admin action.
type AuditEntry struct {
	ID       int64
	At       time.Time
	ActorID  string // "" for the operator (the golf command)
	Action   string // ban, unban, set_role
	TargetID string
	Detail   json.RawMessage
}

// AuditQuery selects audit entries, newest first.
type AuditQuery = store.AuditQuery

// ProfileChange is what UpdateProfile changes: nil fields stay as they are.
type ProfileChange struct {
	DisplayName *string
	Email       *string // "" removes it
	Preferences json.RawMessage
}
