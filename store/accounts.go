package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors of the accounts storage. Package account turns them into its
// coded errors; they never reach a client as they are.
var (
	// ErrUsernameTaken: another user holds the username, ignoring case.
	ErrUsernameTaken = errors.New("store: username taken")
	// ErrEmailTaken: another user holds the email address.
	ErrEmailTaken = errors.New("store: email taken")
	// ErrNotGuest: the user is not a live guest (it has a password, was
	// deleted, or was linked into an account), so it cannot register.
	ErrNotGuest = errors.New("store: not a guest")
	// ErrLastAdmin: the change would leave no admin.
	ErrLastAdmin = errors.New("store: last admin")
	// ErrIsAdmin: admins cannot be banned; demote first.
	ErrIsAdmin = errors.New("store: user is an admin")
)

// Roles, as stored.
const (
	RolePlayer = "player"
	RoleAdmin  = "admin"
)

// User is one row of users. A guest is a user without a username or a
// password; registering fills them in on the same row, so the games the
// guest played keep their player id. A deleted account keeps its row (games
// name its id) with every personal field wiped.
type User struct {
	ID           string
	Username     string // "" for a guest or a deleted account; unique ignoring case
	Email        string // "" if none; unique (account stores it lower-cased)
	PasswordHash string // PHC string; "" for a guest
	DisplayName  string
	Role         string // RolePlayer or RoleAdmin
	CreatedAt    time.Time
	LastSeenAt   time.Time // zero if never
	IsActive     bool      // false once deleted or linked into an account
	Preferences  json.RawMessage
	DeletedAt    time.Time // zero unless deleted
}

// Session is one row of sessions. The token itself is never stored, only
// its SHA-256, so a copy of the database signs nobody in.
type Session struct {
	ID         string // public id (a UUID), for listing and revoking
	UserID     string
	TokenHash  []byte // SHA-256 of the token, 32 bytes
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time // zero unless revoked
	UserAgent  string
	IP         string
}

// Ban is one row of bans. A ban is in force from CreatedAt until it is
// lifted or ExpiresAt passes (never, if zero): it ends by itself, nothing
// has to run at its end.
type Ban struct {
	ID        int64
	UserID    string
	Reason    string
	CreatedBy string // the admin's user id; "" for the operator
	CreatedAt time.Time
	ExpiresAt time.Time // zero: until lifted
	LiftedAt  time.Time // zero unless lifted
	LiftedBy  string
}

// AuditEntry is one row of audit_log: an admin action, written in the same
// transaction as the action.
type AuditEntry struct {
	ID       int64
	At       time.Time
	ActorID  string // "" for the operator (the golf command)
	Action   string // e.g. "ban", "unban", "set_role"
	TargetID string
	Detail   json.RawMessage // a JSON object
}

// AuditQuery selects audit entries, newest first.
type AuditQuery struct {
	TargetID string // only entries about this user, if set
	Before   int64  // only entries with a smaller id, if > 0 (paging)
	Limit    int    // at most this many (1–1000)
}

// Profile is the part of a user its owner edits.
type Profile struct {
	DisplayName string
	Email       string
	Preferences json.RawMessage
}

// Accounts is the storage of users, sessions, guest links, bans and the
// audit log. It sits beside Store: both backends implement both on one
// database and pass storetest.RunAccounts. Ids are canonical UUIDs
// (ErrInvalid otherwise); times are stored to the millisecond. Methods that
// change several rows do it in one transaction.
type Accounts interface {
	// CreateGuest inserts a guest user u and its first session s. A zero
	// s (no ID) inserts the user alone: a seat guest, whose connection
	// holds no account and so no token to present again.
	CreateGuest(ctx context.Context, u User, s Session) error
	// RegisterGuest gives the live guest id a username, email (may be "")
	// and password hash, revokes its sessions and inserts s, its new one.
	// ErrNotGuest, ErrUsernameTaken, ErrEmailTaken, ErrNotFound.
	RegisterGuest(ctx context.Context, id, username, email, passwordHash string, s Session) error
	// StartSession inserts s and sets its user's last_seen_at. If guestID
	// is a live guest other than s.UserID, it is linked into s.UserID in
	// the same transaction (see LinkedGuests), deactivated, and its
	// sessions revoked; linked says whether that happened.
	StartSession(ctx context.Context, s Session, guestID string) (linked bool, err error)

	// User returns a user by id, or ErrNotFound.
	User(ctx context.Context, id string) (User, error)
	// UserByUsername returns the user holding username, ignoring case, or
	// ErrNotFound.
	UserByUsername(ctx context.Context, username string) (User, error)
	// FindUsers returns registered users whose username starts with
	// prefix, ignoring case, ordered by it; at most limit (1–1000).
	FindUsers(ctx context.Context, prefix string, limit int) ([]User, error)
	// UpdateProfile replaces a user's display name, email and preferences.
	// ErrEmailTaken, ErrNotFound.
	UpdateProfile(ctx context.Context, id string, p Profile) error
	// ReplacePasswordHash sets a new hash only if the stored one is still
	// old (a rehash after a parameter change must not undo a concurrent
	// password change); it reports whether it did.
	ReplacePasswordHash(ctx context.Context, id, old, new string) (bool, error)
	// ChangePassword sets the hash and revokes every session of the user
	// but keepSession.
	ChangePassword(ctx context.Context, id, hash, keepSession string, now time.Time) error
	// DeleteUser wipes a user's personal fields (username, email, password,
	// preferences), renames it displayName, deactivates it and revokes its
	// sessions; the row stays for the games that name it. ErrLastAdmin if
	// it is the last admin; ErrNotFound.
	DeleteUser(ctx context.Context, id, displayName string, now time.Time) error
	// SetRole sets a user's role and writes a, atomically. ErrLastAdmin if
	// it would leave no active admin; ErrNotFound.
	SetRole(ctx context.Context, id, role string, a AuditEntry) error

	// Session returns the session whose token hashes to tokenHash, revoked
	// or expired ones included, and its user; ErrNotFound.
	Session(ctx context.Context, tokenHash []byte) (Session, User, error)
	// TouchSession records a use of a live session: last_used_at = now,
	// expires_at = expires, and the user's last_seen_at.
	TouchSession(ctx context.Context, id string, now, expires time.Time) error
	// Sessions returns the user's sessions neither revoked nor expired at
	// now, newest first.
	Sessions(ctx context.Context, userID string, now time.Time) ([]Session, error)
	// RevokeSession revokes one of the user's sessions; revoking a revoked
	// one changes nothing. ErrNotFound if the user has no such session.
	RevokeSession(ctx context.Context, userID, sessionID string, now time.Time) error
	// RevokeSessions revokes every live session of the user but except
	// ("" for none) and returns how many.
	RevokeSessions(ctx context.Context, userID, except string, now time.Time) (int64, error)
	// PurgeSessions deletes sessions that expired or were revoked before
	// before, and returns how many.
	PurgeSessions(ctx context.Context, before time.Time) (int64, error)

	// CanonicalUserID returns the account a guest id was linked into, or id
	// itself. Every reader of player ids (stats, profiles) goes through it:
	// the events keep the guest's id for ever.
	CanonicalUserID(ctx context.Context, id string) (string, error)
	// LinkedGuests returns the guest ids linked into userID, sorted.
	LinkedGuests(ctx context.Context, userID string) ([]string, error)

	// AddBan inserts b (its ID is assigned and returned) and writes a.
	// ErrIsAdmin, ErrNotFound.
	AddBan(ctx context.Context, b Ban, a AuditEntry) (Ban, error)
	// LiftBans lifts every ban of userID in force at now, and writes a if
	// there was one; it returns how many.
	LiftBans(ctx context.Context, userID, by string, now time.Time, a AuditEntry) (int64, error)
	// ActiveBan returns the ban of userID in force at now that lasts
	// longest, or ErrNotFound.
	ActiveBan(ctx context.Context, userID string, now time.Time) (Ban, error)
	// Bans returns every ban of userID, newest first.
	Bans(ctx context.Context, userID string) ([]Ban, error)
	// AuditLog returns audit entries, newest first.
	AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
	// AddAudit writes an admin action that changes no account (ending a
	// game): a.TargetID may be "" and a.Detail names what it was about.
	AddAudit(ctx context.Context, a AuditEntry) error
}
