package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"golf/store"
)

var _ store.Accounts = (*Store)(nil)

// adminLock is the advisory lock taken by every change that could leave the
// platform without an admin (demote, delete, ban), so two admins demoting
// each other at once cannot both succeed.
const adminLock = 0x676f6c6661 // "golfa"

func (s *Store) tx(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	if err := pgx.BeginFunc(ctx, s.pool, fn); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return nil
}

func checkIDs(ids ...string) error {
	for i := 0; i+1 < len(ids); i += 2 {
		if err := store.CheckID(ids[i], ids[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func utc(t time.Time) time.Time { return t.UTC() }

// nullTime is NULL for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func prefs(p json.RawMessage) string {
	if len(p) == 0 {
		return "{}"
	}
	return string(p)
}

// takenError maps a unique violation on users to the field it is about.
func takenError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" {
		return err
	}
	switch pe.ConstraintName {
	case "idx_users_username":
		return store.ErrUsernameTaken
	case "idx_users_email":
		return store.ErrEmailTaken
	}
	return err
}

func userColumns(p string) string {
	return strings.ReplaceAll(`$id::text, COALESCE($username, ''), COALESCE($email, ''),
	COALESCE($password_hash, ''), $display_name, $role, $created_at, $last_seen_at, $is_active, $preferences::text,
	$deleted_at`, "$", p)
}

func userDest(u *store.User) ([]any, func()) {
	var prefs string
	var seen, deleted *time.Time
	dest := []any{&u.ID, &u.Username, &u.Email, &u.PasswordHash, &u.DisplayName, &u.Role,
		&u.CreatedAt, &seen, &u.IsActive, &prefs, &deleted}
	return dest, func() {
		u.Preferences = json.RawMessage(prefs)
		u.CreatedAt = u.CreatedAt.UTC()
		u.LastSeenAt, u.DeletedAt = derefUTC(seen), derefUTC(deleted)
	}
}

func derefUTC(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func sessionColumns(p string) string {
	return strings.ReplaceAll(
		`$id::text, $user_id::text, $token_hash, $created_at, $expires_at, $last_used_at, $revoked_at, $user_agent, $ip`, "$", p)
}

func sessionDest(s *store.Session) ([]any, func()) {
	var revoked *time.Time
	dest := []any{&s.ID, &s.UserID, &s.TokenHash, &s.CreatedAt, &s.ExpiresAt, &s.LastUsedAt, &revoked, &s.UserAgent, &s.IP}
	return dest, func() {
		s.CreatedAt, s.ExpiresAt, s.LastUsedAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC(), s.LastUsedAt.UTC()
		s.RevokedAt = derefUTC(revoked)
	}
}

func insertSession(ctx context.Context, tx pgx.Tx, s store.Session) error {
	if err := checkIDs("session", s.ID, "user", s.UserID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at,
		last_used_at, user_agent, ip) VALUES ($1, $2, $3, $4, $5, $4, $6, $7)`, s.ID, s.TokenHash, s.UserID,
		utc(s.CreatedAt), utc(s.ExpiresAt), s.UserAgent, s.IP)
	return err
}

func revokeSessions(ctx context.Context, tx pgx.Tx, userID, except string, now time.Time) (int64, error) {
	tag, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = $3
		WHERE user_id = $1 AND id::text <> $2 AND revoked_at IS NULL AND expires_at > $3`, userID, except, utc(now))
	return tag.RowsAffected(), err
}

func insertAudit(ctx context.Context, tx pgx.Tx, a store.AuditEntry) error {
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (at, actor_id, action, target_id, detail) VALUES ($1, $2, $3, $4, $5::jsonb)`,
		utc(a.At), nullString(a.ActorID), a.Action, nullString(a.TargetID), prefs(a.Detail))
	return err
}

// AddAudit implements store.Accounts.
func (s *Store) AddAudit(ctx context.Context, a store.AuditEntry) error {
	ids := []string{"actor", a.ActorID}
	if a.TargetID != "" {
		ids = append(ids, "target", a.TargetID)
	}
	if err := checkIDs(ids...); err != nil {
		return err
	}
	return s.tx(ctx, "add audit entry", func(tx pgx.Tx) error { return insertAudit(ctx, tx, a) })
}

// CreateGuest implements store.Accounts.
func (s *Store) CreateGuest(ctx context.Context, u store.User, sess store.Session) error {
	if err := checkIDs("user", u.ID); err != nil {
		return err
	}
	return s.tx(ctx, "create guest", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO users (id, display_name, role, created_at, last_seen_at, preferences)
			VALUES ($1, $2, 'player', $3, $3, $4::jsonb)`, u.ID, u.DisplayName, utc(u.CreatedAt), prefs(u.Preferences))
		if err != nil {
			return err
		}
		if sess.ID == "" {
			return nil
		}
		return insertSession(ctx, tx, sess)
	})
}

// liveGuest returns nil if id is a live guest, else ErrNotFound or
// ErrNotGuest. It locks the row: two registrations (or links) of one
// guest are serialized and the second sees the first.
func liveGuest(ctx context.Context, tx pgx.Tx, id string) error {
	var guest bool
	err := tx.QueryRow(ctx, `SELECT password_hash IS NULL AND username IS NULL AND is_active AND deleted_at IS NULL
		FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&guest)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("user %s: %w", id, store.ErrNotFound)
	case err != nil:
		return err
	case !guest:
		return store.ErrNotGuest
	}
	return nil
}

// RegisterGuest implements store.Accounts.
func (s *Store) RegisterGuest(ctx context.Context, id, username, email, hash string, sess store.Session) error {
	if err := checkIDs("user", id); err != nil {
		return err
	}
	return s.tx(ctx, "register", func(tx pgx.Tx) error {
		if err := liveGuest(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET username = $2, email = $3, password_hash = $4 WHERE id = $1`,
			id, username, nullString(email), hash); err != nil {
			return takenError(err)
		}
		if _, err := revokeSessions(ctx, tx, id, "", sess.CreatedAt); err != nil {
			return err
		}
		return insertSession(ctx, tx, sess)
	})
}

// StartSession implements store.Accounts.
func (s *Store) StartSession(ctx context.Context, sess store.Session, guestID string) (linked bool, err error) {
	if guestID != "" {
		if err := checkIDs("guest", guestID); err != nil {
			return false, err
		}
	}
	err = s.tx(ctx, "start session", func(tx pgx.Tx) error {
		linked = false
		if err := insertSession(ctx, tx, sess); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_seen_at = $2 WHERE id = $1`, sess.UserID, utc(sess.CreatedAt)); err != nil {
			return err
		}
		if guestID == "" || guestID == sess.UserID {
			return nil
		}
		switch err := liveGuest(ctx, tx, guestID); {
		case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrNotGuest):
			return nil // a stale guest cookie: nothing to link
		case err != nil:
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO guest_links (guest_id, user_id, linked_at) VALUES ($1, $2, $3)`,
			guestID, sess.UserID, utc(sess.CreatedAt)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET is_active = false WHERE id = $1`, guestID); err != nil {
			return err
		}
		_, err := revokeSessions(ctx, tx, guestID, "", sess.CreatedAt)
		linked = err == nil
		return err
	})
	return linked, err
}

// User implements store.Accounts.
func (s *Store) User(ctx context.Context, id string) (store.User, error) {
	if err := checkIDs("user", id); err != nil {
		return store.User{}, err
	}
	return s.user(ctx, `SELECT `+userColumns("")+` FROM users WHERE id = $1`, id)
}

// UserByUsername implements store.Accounts.
func (s *Store) UserByUsername(ctx context.Context, username string) (store.User, error) {
	return s.user(ctx, `SELECT `+userColumns("")+` FROM users WHERE lower(username) = lower($1)`, username)
}

func (s *Store) user(ctx context.Context, query, arg string) (store.User, error) {
	var u store.User
	dest, finish := userDest(&u)
	err := s.pool.QueryRow(ctx, query, arg).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.User{}, fmt.Errorf("user %.40q: %w", arg, store.ErrNotFound)
	}
	if err != nil {
		return store.User{}, fmt.Errorf("postgres: user: %w", err)
	}
	finish()
	return u, nil
}

// FindUsers implements store.Accounts.
func (s *Store) FindUsers(ctx context.Context, prefix string, limit int) ([]store.User, error) {
	if limit < 1 || limit > 1000 {
		return nil, fmt.Errorf("%w: limit %d is not 1–1000", store.ErrInvalid, limit)
	}
	// COLLATE "C": byte order, the same as SQLite's, whatever the
	// database's locale.
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns("")+` FROM users
		WHERE username IS NOT NULL AND lower(username) LIKE lower($1) ESCAPE '\'
		ORDER BY lower(username) COLLATE "C" LIMIT $2`, likePrefix(prefix), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: find users: %w", err)
	}
	var us []store.User
	var u store.User
	dest, finish := userDest(&u)
	if _, err := pgx.ForEachRow(rows, dest, func() error { finish(); us = append(us, u); return nil }); err != nil {
		return nil, fmt.Errorf("postgres: find users: %w", err)
	}
	return us, nil
}

// likePrefix escapes LIKE's wildcards (usernames may hold '_') and appends
// one.
func likePrefix(p string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(p) + "%"
}

// UpdateProfile implements store.Accounts.
func (s *Store) UpdateProfile(ctx context.Context, id string, p store.Profile) error {
	if err := checkIDs("user", id); err != nil {
		return err
	}
	return s.tx(ctx, "update profile", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET display_name = $2, email = $3, preferences = $4::jsonb WHERE id = $1`,
			id, p.DisplayName, nullString(p.Email), prefs(p.Preferences))
		if err != nil {
			return takenError(err)
		}
		return oneRow(tag, "user", id)
	})
}

func oneRow(tag pgconn.CommandTag, kind, id string) error {
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s %s: %w", kind, id, store.ErrNotFound)
	}
	return nil
}

// ReplacePasswordHash implements store.Accounts.
func (s *Store) ReplacePasswordHash(ctx context.Context, id, old, new string) (bool, error) {
	if err := checkIDs("user", id); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, id, old, new)
	if err != nil {
		return false, fmt.Errorf("postgres: replace password hash: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ChangePassword implements store.Accounts.
func (s *Store) ChangePassword(ctx context.Context, id, hash, keep string, now time.Time) error {
	if err := checkIDs("user", id); err != nil {
		return err
	}
	return s.tx(ctx, "change password", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1 AND username IS NOT NULL`, id, hash)
		if err != nil {
			return err
		}
		if err := oneRow(tag, "user", id); err != nil {
			return err
		}
		_, err = revokeSessions(ctx, tx, id, keep, now)
		return err
	})
}

// lockAdmins takes the admin lock until the transaction ends.
func lockAdmins(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(adminLock))
	return err
}

// keepAnAdmin takes the admin lock and returns ErrLastAdmin if id is the
// only acting admin; the count holds until commit.
func keepAnAdmin(ctx context.Context, tx pgx.Tx, id string) error {
	if err := lockAdmins(ctx, tx); err != nil {
		return err
	}
	var admin bool
	err := tx.QueryRow(ctx, `SELECT role = 'admin' AND is_active FROM users WHERE id = $1`, id).Scan(&admin)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("user %s: %w", id, store.ErrNotFound)
	}
	if err != nil || !admin {
		return err
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND is_active`).Scan(&n); err != nil {
		return err
	}
	if n <= 1 {
		return store.ErrLastAdmin
	}
	return nil
}

// DeleteUser implements store.Accounts.
func (s *Store) DeleteUser(ctx context.Context, id, name string, now time.Time) error {
	if err := checkIDs("user", id); err != nil {
		return err
	}
	return s.tx(ctx, "delete user", func(tx pgx.Tx) error {
		if err := keepAnAdmin(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET username = NULL, email = NULL, password_hash = NULL,
			display_name = $2, role = 'player', is_active = false, preferences = '{}', deleted_at = COALESCE(deleted_at, $3)
			WHERE id = $1`, id, name, utc(now)); err != nil {
			return err
		}
		_, err := revokeSessions(ctx, tx, id, "", now)
		return err
	})
}

// SetRole implements store.Accounts.
func (s *Store) SetRole(ctx context.Context, id, role string, a store.AuditEntry) error {
	if err := checkIDs("user", id); err != nil {
		return err
	}
	return s.tx(ctx, "set role", func(tx pgx.Tx) error {
		check := keepAnAdmin
		if role == store.RoleAdmin {
			check = func(ctx context.Context, tx pgx.Tx, _ string) error { return lockAdmins(ctx, tx) }
		}
		if err := check(ctx, tx, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE users SET role = $2 WHERE id = $1`, id, role)
		if err != nil {
			return err
		}
		if err := oneRow(tag, "user", id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, a)
	})
}

// Session implements store.Accounts.
func (s *Store) Session(ctx context.Context, tokenHash []byte) (store.Session, store.User, error) {
	var sess store.Session
	var u store.User
	sd, sessDone := sessionDest(&sess)
	ud, userDone := userDest(&u)
	err := s.pool.QueryRow(ctx, `SELECT `+sessionColumns("s.")+`, `+userColumns("u.")+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, tokenHash).Scan(append(sd, ud...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Session{}, store.User{}, fmt.Errorf("session: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Session{}, store.User{}, fmt.Errorf("postgres: session: %w", err)
	}
	sessDone()
	userDone()
	return sess, u, nil
}

// TouchSession implements store.Accounts.
func (s *Store) TouchSession(ctx context.Context, id string, now, expires time.Time) error {
	if err := checkIDs("session", id); err != nil {
		return err
	}
	// One statement: the session, then its user, only if it is live.
	_, err := s.pool.Exec(ctx, `WITH t AS (
		UPDATE sessions SET last_used_at = $2, expires_at = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING user_id
	) UPDATE users SET last_seen_at = $2 WHERE id = (SELECT user_id FROM t)`, id, utc(now), utc(expires))
	if err != nil {
		return fmt.Errorf("postgres: touch session: %w", err)
	}
	return nil
}

// Sessions implements store.Accounts.
func (s *Store) Sessions(ctx context.Context, userID string, now time.Time) ([]store.Session, error) {
	if err := checkIDs("user", userID); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+sessionColumns("")+` FROM sessions
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, id`, userID, utc(now))
	if err != nil {
		return nil, fmt.Errorf("postgres: sessions: %w", err)
	}
	var out []store.Session
	var sess store.Session
	dest, finish := sessionDest(&sess)
	if _, err := pgx.ForEachRow(rows, dest, func() error { finish(); out = append(out, sess); return nil }); err != nil {
		return nil, fmt.Errorf("postgres: sessions: %w", err)
	}
	return out, nil
}

// RevokeSession implements store.Accounts.
func (s *Store) RevokeSession(ctx context.Context, userID, id string, now time.Time) error {
	if err := checkIDs("user", userID, "session", id); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE sessions SET revoked_at = COALESCE(revoked_at, $3)
		WHERE id = $1 AND user_id = $2`, id, userID, utc(now))
	if err != nil {
		return fmt.Errorf("postgres: revoke session: %w", err)
	}
	return oneRow(tag, "session", id)
}

// RevokeSessions implements store.Accounts.
func (s *Store) RevokeSessions(ctx context.Context, userID, except string, now time.Time) (int64, error) {
	if err := checkIDs("user", userID); err != nil {
		return 0, err
	}
	var n int64
	err := s.tx(ctx, "revoke sessions", func(tx pgx.Tx) (err error) {
		n, err = revokeSessions(ctx, tx, userID, except, now)
		return err
	})
	return n, err
}

// PurgeSessions implements store.Accounts.
func (s *Store) PurgeSessions(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1`, utc(before))
	if err != nil {
		return 0, fmt.Errorf("postgres: purge sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// CanonicalUserID implements store.Accounts. An id that is no UUID (a CPU
// seat's, a pre-accounts guest's) cannot be linked: it is its own.
func (s *Store) CanonicalUserID(ctx context.Context, id string) (string, error) {
	if store.CheckID("user", id) != nil {
		return id, nil
	}
	var to string
	err := s.pool.QueryRow(ctx, `SELECT user_id::text FROM guest_links WHERE guest_id = $1`, id).Scan(&to)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return id, nil
	case err != nil:
		return "", fmt.Errorf("postgres: canonical user id: %w", err)
	}
	return to, nil
}

// LinkedGuests implements store.Accounts.
func (s *Store) LinkedGuests(ctx context.Context, userID string) ([]string, error) {
	if err := checkIDs("user", userID); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT guest_id::text FROM guest_links WHERE user_id = $1 ORDER BY guest_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: linked guests: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: linked guests: %w", err)
	}
	return ids, nil
}

// AddBan implements store.Accounts.
func (s *Store) AddBan(ctx context.Context, b store.Ban, a store.AuditEntry) (store.Ban, error) {
	if err := checkIDs("user", b.UserID); err != nil {
		return b, err
	}
	if b.CreatedBy != "" {
		if err := checkIDs("user", b.CreatedBy); err != nil {
			return b, err
		}
	}
	err := s.tx(ctx, "ban", func(tx pgx.Tx) error {
		if err := lockAdmins(ctx, tx); err != nil {
			return err
		}
		var role string
		err := tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1`, b.UserID).Scan(&role)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %s: %w", b.UserID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if role == store.RoleAdmin {
			return store.ErrIsAdmin
		}
		if err := tx.QueryRow(ctx, `INSERT INTO bans (user_id, reason, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, b.UserID, b.Reason, nullString(b.CreatedBy), utc(b.CreatedAt),
			nullTime(b.ExpiresAt)).Scan(&b.ID); err != nil {
			return err
		}
		if a.Detail, err = withBanID(a.Detail, b.ID); err != nil {
			return err
		}
		return insertAudit(ctx, tx, a)
	})
	return b, err
}

// withBanID adds "ban_id" to an audit entry's detail object.
func withBanID(detail json.RawMessage, id int64) (json.RawMessage, error) {
	m := map[string]any{}
	if len(detail) > 0 {
		if err := json.Unmarshal(detail, &m); err != nil {
			return nil, fmt.Errorf("%w: audit detail: %v", store.ErrInvalid, err)
		}
	}
	m["ban_id"] = id
	return json.Marshal(m)
}

// LiftBans implements store.Accounts.
func (s *Store) LiftBans(ctx context.Context, userID, by string, now time.Time, a store.AuditEntry) (int64, error) {
	if err := checkIDs("user", userID); err != nil {
		return 0, err
	}
	var n int64
	err := s.tx(ctx, "lift bans", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE bans SET lifted_at = $3, lifted_by = $2
			WHERE user_id = $1 AND lifted_at IS NULL AND (expires_at IS NULL OR expires_at > $3)`,
			userID, nullString(by), utc(now))
		if err != nil {
			return err
		}
		if n = tag.RowsAffected(); n == 0 {
			return nil
		}
		return insertAudit(ctx, tx, a)
	})
	return n, err
}

const banColumns = `id, user_id::text, reason, COALESCE(created_by::text, ''), created_at, expires_at, lifted_at,
	COALESCE(lifted_by::text, '')`

func banDest(b *store.Ban) ([]any, func()) {
	var expires, lifted *time.Time
	return []any{&b.ID, &b.UserID, &b.Reason, &b.CreatedBy, &b.CreatedAt, &expires, &lifted, &b.LiftedBy}, func() {
		b.CreatedAt = b.CreatedAt.UTC()
		b.ExpiresAt, b.LiftedAt = derefUTC(expires), derefUTC(lifted)
	}
}

// ActiveBan implements store.Accounts.
func (s *Store) ActiveBan(ctx context.Context, userID string, now time.Time) (store.Ban, error) {
	if err := checkIDs("user", userID); err != nil {
		return store.Ban{}, err
	}
	var b store.Ban
	dest, finish := banDest(&b)
	err := s.pool.QueryRow(ctx, `SELECT `+banColumns+` FROM bans
		WHERE user_id = $1 AND lifted_at IS NULL AND created_at <= $2 AND (expires_at IS NULL OR expires_at > $2)
		ORDER BY expires_at DESC NULLS FIRST, id DESC LIMIT 1`, userID, utc(now)).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Ban{}, fmt.Errorf("ban of %s: %w", userID, store.ErrNotFound)
	}
	if err != nil {
		return store.Ban{}, fmt.Errorf("postgres: active ban: %w", err)
	}
	finish()
	return b, nil
}

// Bans implements store.Accounts.
func (s *Store) Bans(ctx context.Context, userID string) ([]store.Ban, error) {
	if err := checkIDs("user", userID); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+banColumns+` FROM bans WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: bans: %w", err)
	}
	var out []store.Ban
	var b store.Ban
	dest, finish := banDest(&b)
	if _, err := pgx.ForEachRow(rows, dest, func() error { finish(); out = append(out, b); return nil }); err != nil {
		return nil, fmt.Errorf("postgres: bans: %w", err)
	}
	return out, nil
}

// AuditLog implements store.Accounts.
func (s *Store) AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	if q.Limit < 1 || q.Limit > 1000 {
		return nil, fmt.Errorf("%w: limit %d is not 1–1000", store.ErrInvalid, q.Limit)
	}
	if q.TargetID != "" {
		if err := checkIDs("user", q.TargetID); err != nil {
			return nil, err
		}
	}
	before := q.Before
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.pool.Query(ctx, `SELECT id, at, COALESCE(actor_id::text, ''), action, COALESCE(target_id::text, ''),
		detail::text FROM audit_log WHERE id < $1 AND ($2 = '' OR target_id = NULLIF($2, '')::uuid) ORDER BY id DESC LIMIT $3`,
		before, q.TargetID, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit log: %w", err)
	}
	var out []store.AuditEntry
	var a store.AuditEntry
	var detail string
	if _, err := pgx.ForEachRow(rows, []any{&a.ID, &a.At, &a.ActorID, &a.Action, &a.TargetID, &detail}, func() error {
		a.At, a.Detail = a.At.UTC(), json.RawMessage(detail)
		out = append(out, a)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: audit log: %w", err)
	}
	return out, nil
}
