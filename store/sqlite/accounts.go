package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"golf/store"
	"golf/store/internal/commit"
)

var _ store.Accounts = (*Store)(nil)

// Account writes go through the writer connection, like the group
// committer's batches: SQLite has one writer, and queueing for the one
// connection is cheaper than retrying on SQLITE_BUSY. Each is a short
// IMMEDIATE transaction, except a seat guest's row, which rides the group
// committer's next batch (CreateGuest).
func (s *Store) tx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return nil
}

func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTime is NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func parseTime(ns sql.NullString) (time.Time, error) {
	if !ns.Valid {
		return time.Time{}, nil
	}
	return time.Parse(timeFormat, ns.String)
}

func checkIDs(ids ...string) error {
	for i := 0; i+1 < len(ids); i += 2 {
		if err := store.CheckID(ids[i], ids[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// takenError maps a unique violation on users to the field it is about.
func takenError(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) || e.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE {
		return err
	}
	switch msg := e.Error(); {
	case strings.Contains(msg, "idx_users_username"):
		return store.ErrUsernameTaken
	case strings.Contains(msg, "users.email"), strings.Contains(msg, "idx_users_email"):
		return store.ErrEmailTaken
	}
	return err
}

func prefs(p json.RawMessage) string {
	if len(p) == 0 {
		return "{}"
	}
	return string(p)
}

// userColumns lists a user's columns, qualified by p ("" or "u.") so a
// join can read them; userDest scans them.
func userColumns(p string) string {
	return strings.ReplaceAll(`$id, COALESCE($username, ''), COALESCE($email, ''),
	COALESCE($password_hash, ''), $display_name, $role, $created_at, $last_seen_at, $is_active, $preferences,
	$deleted_at`, "$", p)
}

type scanner interface{ Scan(...any) error }

// userDest returns the destinations for userColumns and the function that
// finishes u once they are scanned.
func userDest(u *store.User) ([]any, func() error) {
	var created, prefs string
	var seen, deleted sql.NullString
	dest := []any{&u.ID, &u.Username, &u.Email, &u.PasswordHash, &u.DisplayName, &u.Role,
		&created, &seen, &u.IsActive, &prefs, &deleted}
	return dest, func() error {
		u.Preferences = json.RawMessage(prefs)
		var err error
		if u.CreatedAt, err = time.Parse(timeFormat, created); err != nil {
			return fmt.Errorf("user %s: created_at: %w", u.ID, err)
		}
		if u.LastSeenAt, err = parseTime(seen); err != nil {
			return fmt.Errorf("user %s: last_seen_at: %w", u.ID, err)
		}
		if u.DeletedAt, err = parseTime(deleted); err != nil {
			return fmt.Errorf("user %s: deleted_at: %w", u.ID, err)
		}
		return nil
	}
}

func scanUser(r scanner, u *store.User) error {
	dest, finish := userDest(u)
	if err := r.Scan(dest...); err != nil {
		return err
	}
	return finish()
}

func sessionColumns(p string) string {
	return strings.ReplaceAll(
		`$id, $user_id, $token_hash, $created_at, $expires_at, $last_used_at, $revoked_at, $user_agent, $ip`, "$", p)
}

func sessionDest(s *store.Session) ([]any, func() error) {
	var created, expires, used string
	var revoked sql.NullString
	dest := []any{&s.ID, &s.UserID, &s.TokenHash, &created, &expires, &used, &revoked, &s.UserAgent, &s.IP}
	return dest, func() error {
		var err error
		for _, f := range []struct {
			dst *time.Time
			src sql.NullString
		}{
			{&s.CreatedAt, sql.NullString{String: created, Valid: true}},
			{&s.ExpiresAt, sql.NullString{String: expires, Valid: true}},
			{&s.LastUsedAt, sql.NullString{String: used, Valid: true}},
			{&s.RevokedAt, revoked},
		} {
			if *f.dst, err = parseTime(f.src); err != nil {
				return fmt.Errorf("session %s: %w", s.ID, err)
			}
		}
		return nil
	}
}

func scanSession(r scanner, s *store.Session) error {
	dest, finish := sessionDest(s)
	if err := r.Scan(dest...); err != nil {
		return err
	}
	return finish()
}

func insertSession(ctx context.Context, tx *sql.Tx, s store.Session) error {
	if err := checkIDs("session", s.ID, "user", s.UserID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at,
		last_used_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, s.TokenHash, s.UserID,
		ts(s.CreatedAt), ts(s.ExpiresAt), ts(s.CreatedAt), s.UserAgent, s.IP)
	return err
}

func revokeSessions(ctx context.Context, tx *sql.Tx, userID, except string, now time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ?
		WHERE user_id = ? AND id <> ? AND revoked_at IS NULL AND expires_at > ?`, ts(now), userID, except, ts(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func insertAudit(ctx context.Context, tx *sql.Tx, a store.AuditEntry) error {
	detail := prefs(a.Detail)
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, action, target_id, detail) VALUES (?, ?, ?, ?, ?)`,
		ts(a.At), nullString(a.ActorID), a.Action, nullString(a.TargetID), detail)
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
	return s.tx(ctx, "add audit entry", func(tx *sql.Tx) error { return insertAudit(ctx, tx, a) })
}

// CreateGuest implements store.Accounts.
func (s *Store) CreateGuest(ctx context.Context, u store.User, sess store.Session) error {
	if err := checkIDs("user", u.ID); err != nil {
		return err
	}
	if sess.ID == "" {
		// A seat guest, one row: it rides the group committer's next
		// transaction with the moves instead of taking the writer for a
		// transaction and an fsync of its own.
		err := s.commit.Do(ctx, commit.NewJob(job(func(ctx context.Context, tx *sql.Tx) error {
			return insertGuest(ctx, tx, u)
		})))
		if err != nil {
			return fmt.Errorf("sqlite: create guest: %w", err)
		}
		return nil
	}
	return s.tx(ctx, "create guest", func(tx *sql.Tx) error {
		if err := insertGuest(ctx, tx, u); err != nil {
			return err
		}
		return insertSession(ctx, tx, sess)
	})
}

func insertGuest(ctx context.Context, tx *sql.Tx, u store.User) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO users (id, display_name, role, created_at, last_seen_at, preferences)
		VALUES (?, ?, 'player', ?, ?, ?)`, u.ID, u.DisplayName, ts(u.CreatedAt), ts(u.CreatedAt), prefs(u.Preferences))
	return err
}

// RegisterGuest implements store.Accounts.
func (s *Store) RegisterGuest(ctx context.Context, id, username, email, hash string, sess store.Session) error {
	if err := checkIDs("user", id); err != nil {
		return err
	}
	return s.tx(ctx, "register", func(tx *sql.Tx) error {
		if err := liveGuest(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET username = ?, email = ?, password_hash = ? WHERE id = ?`,
			username, nullString(email), hash, id)
		if err != nil {
			return takenError(err)
		}
		if _, err := revokeSessions(ctx, tx, id, "", sess.CreatedAt); err != nil {
			return err
		}
		return insertSession(ctx, tx, sess)
	})
}

// liveGuest returns nil if id is a live guest, else ErrNotFound or ErrNotGuest.
func liveGuest(ctx context.Context, tx *sql.Tx, id string) error {
	var guest bool
	err := tx.QueryRowContext(ctx, `SELECT password_hash IS NULL AND username IS NULL AND is_active = 1
		AND deleted_at IS NULL FROM users WHERE id = ?`, id).Scan(&guest)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrNotFound
	case err != nil:
		return err
	case !guest:
		return store.ErrNotGuest
	}
	return nil
}

// StartSession implements store.Accounts.
func (s *Store) StartSession(ctx context.Context, sess store.Session, guestID string) (linked bool, err error) {
	if guestID != "" {
		if err := checkIDs("guest", guestID); err != nil {
			return false, err
		}
	}
	err = s.tx(ctx, "start session", func(tx *sql.Tx) error {
		linked = false
		if err := insertSession(ctx, tx, sess); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_seen_at = ? WHERE id = ?`, ts(sess.CreatedAt), sess.UserID); err != nil {
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
		if _, err := tx.ExecContext(ctx, `INSERT INTO guest_links (guest_id, user_id, linked_at) VALUES (?, ?, ?)`,
			guestID, sess.UserID, ts(sess.CreatedAt)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET is_active = 0 WHERE id = ?`, guestID); err != nil {
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
	return s.user(ctx, `SELECT `+userColumns("")+` FROM users WHERE id = ?`, id)
}

// UserByUsername implements store.Accounts.
func (s *Store) UserByUsername(ctx context.Context, username string) (store.User, error) {
	return s.user(ctx, `SELECT `+userColumns("")+` FROM users WHERE lower(username) = lower(?)`, username)
}

func (s *Store) user(ctx context.Context, query string, arg string) (store.User, error) {
	var u store.User
	err := scanUser(s.r.QueryRowContext(ctx, query, arg), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %.40q: %w", arg, store.ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("sqlite: user: %w", err)
	}
	return u, nil
}

// FindUsers implements store.Accounts.
func (s *Store) FindUsers(ctx context.Context, prefix string, limit int) ([]store.User, error) {
	if limit < 1 || limit > 1000 {
		return nil, fmt.Errorf("%w: limit %d is not 1–1000", store.ErrInvalid, limit)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns("")+` FROM users
		WHERE username IS NOT NULL AND lower(username) LIKE lower(?) ESCAPE '\'
		ORDER BY lower(username) LIMIT ?`, likePrefix(prefix), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: find users: %w", err)
	}
	defer rows.Close()
	var us []store.User
	for rows.Next() {
		var u store.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("sqlite: find users: %w", err)
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: find users: %w", err)
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
	return s.tx(ctx, "update profile", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET display_name = ?, email = ?, preferences = ? WHERE id = ?`,
			p.DisplayName, nullString(p.Email), prefs(p.Preferences), id)
		if err != nil {
			return takenError(err)
		}
		return oneRow(res, "user", id)
	})
}

func oneRow(res sql.Result, kind, id string) error {
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = fmt.Errorf("%s %s: %w", kind, id, store.ErrNotFound)
	}
	return err
}

// ReplacePasswordHash implements store.Accounts.
func (s *Store) ReplacePasswordHash(ctx context.Context, id, old, new string) (bool, error) {
	if err := checkIDs("user", id); err != nil {
		return false, err
	}
	var n int64
	err := s.tx(ctx, "replace password hash", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, new, id, old)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n == 1, err
}

// ChangePassword implements store.Accounts.
func (s *Store) ChangePassword(ctx context.Context, id, hash, keep string, now time.Time) error {
	if err := checkIDs("user", id); err != nil {
		return err
	}
	return s.tx(ctx, "change password", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND username IS NOT NULL`, hash, id)
		if err != nil {
			return err
		}
		if err := oneRow(res, "user", id); err != nil {
			return err
		}
		_, err = revokeSessions(ctx, tx, id, keep, now)
		return err
	})
}

// activeAdmins counts the admins who can still act.
func activeAdmins(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND is_active = 1`).Scan(&n)
	return n, err
}

// actingAdmin reports whether id is an admin who counts towards the
// admins that must remain.
func actingAdmin(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	var admin bool
	err := tx.QueryRowContext(ctx, `SELECT role = 'admin' AND is_active = 1 FROM users WHERE id = ?`, id).Scan(&admin)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("user %s: %w", id, store.ErrNotFound)
	}
	return admin, err
}

// keepAnAdmin returns ErrLastAdmin if id is the only acting admin. Writes
// are serialized (one writer, IMMEDIATE transactions), so the count holds
// until commit.
func keepAnAdmin(ctx context.Context, tx *sql.Tx, id string) error {
	admin, err := actingAdmin(ctx, tx, id)
	if err != nil || !admin {
		return err
	}
	n, err := activeAdmins(ctx, tx)
	if err == nil && n <= 1 {
		err = store.ErrLastAdmin
	}
	return err
}

// DeleteUser implements store.Accounts.
func (s *Store) DeleteUser(ctx context.Context, id, name string, now time.Time) error {
	if err := checkIDs("user", id); err != nil {
		return err
	}
	return s.tx(ctx, "delete user", func(tx *sql.Tx) error {
		if err := keepAnAdmin(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET username = NULL, email = NULL, password_hash = NULL,
			display_name = ?, role = 'player', is_active = 0, preferences = '{}', deleted_at = COALESCE(deleted_at, ?)
			WHERE id = ?`, name, ts(now), id); err != nil {
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
	return s.tx(ctx, "set role", func(tx *sql.Tx) error {
		if role != store.RoleAdmin {
			if err := keepAnAdmin(ctx, tx, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, role, id)
		if err != nil {
			return err
		}
		if err := oneRow(res, "user", id); err != nil {
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
	err := s.r.QueryRowContext(ctx, `SELECT `+sessionColumns("s.")+`, `+userColumns("u.")+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash).Scan(append(sd, ud...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, u, fmt.Errorf("session: %w", store.ErrNotFound)
	}
	if err == nil {
		err = errors.Join(sessDone(), userDone())
	}
	if err != nil {
		return sess, u, fmt.Errorf("sqlite: session: %w", err)
	}
	return sess, u, nil
}

// TouchSession implements store.Accounts.
func (s *Store) TouchSession(ctx context.Context, id string, now, expires time.Time) error {
	if err := checkIDs("session", id); err != nil {
		return err
	}
	return s.tx(ctx, "touch session", func(tx *sql.Tx) error {
		var user string
		err := tx.QueryRowContext(ctx, `UPDATE sessions SET last_used_at = ?, expires_at = ?
			WHERE id = ? AND revoked_at IS NULL RETURNING user_id`, ts(now), ts(expires), id).Scan(&user)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // revoked meanwhile: nothing to record
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET last_seen_at = ? WHERE id = ?`, ts(now), user)
		return err
	})
}

// Sessions implements store.Accounts.
func (s *Store) Sessions(ctx context.Context, userID string, now time.Time) ([]store.Session, error) {
	if err := checkIDs("user", userID); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+sessionColumns("")+` FROM sessions
		WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id`, userID, ts(now))
	if err != nil {
		return nil, fmt.Errorf("sqlite: sessions: %w", err)
	}
	defer rows.Close()
	var out []store.Session
	for rows.Next() {
		var sess store.Session
		if err := scanSession(rows, &sess); err != nil {
			return nil, fmt.Errorf("sqlite: sessions: %w", err)
		}
		out = append(out, sess)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: sessions: %w", err)
	}
	return out, nil
}

// RevokeSession implements store.Accounts.
func (s *Store) RevokeSession(ctx context.Context, userID, id string, now time.Time) error {
	if err := checkIDs("user", userID, "session", id); err != nil {
		return err
	}
	return s.tx(ctx, "revoke session", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?)
			WHERE id = ? AND user_id = ?`, ts(now), id, userID)
		if err != nil {
			return err
		}
		return oneRow(res, "session", id)
	})
}

// RevokeSessions implements store.Accounts.
func (s *Store) RevokeSessions(ctx context.Context, userID, except string, now time.Time) (int64, error) {
	if err := checkIDs("user", userID); err != nil {
		return 0, err
	}
	var n int64
	err := s.tx(ctx, "revoke sessions", func(tx *sql.Tx) (err error) {
		n, err = revokeSessions(ctx, tx, userID, except, now)
		return err
	})
	return n, err
}

// PurgeSessions implements store.Accounts.
func (s *Store) PurgeSessions(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, "purge sessions", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?`, ts(before), ts(before))
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// CanonicalUserID implements store.Accounts. An id that is no UUID (a CPU
// seat's, a pre-accounts guest's) cannot be linked: it is its own.
func (s *Store) CanonicalUserID(ctx context.Context, id string) (string, error) {
	if store.CheckID("user", id) != nil {
		return id, nil
	}
	var to string
	err := s.r.QueryRowContext(ctx, `SELECT user_id FROM guest_links WHERE guest_id = ?`, id).Scan(&to)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return id, nil
	case err != nil:
		return "", fmt.Errorf("sqlite: canonical user id: %w", err)
	}
	return to, nil
}

// LinkedGuests implements store.Accounts.
func (s *Store) LinkedGuests(ctx context.Context, userID string) ([]string, error) {
	if err := checkIDs("user", userID); err != nil {
		return nil, err
	}
	ids, err := s.strings(ctx, `SELECT guest_id FROM guest_links WHERE user_id = ? ORDER BY guest_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: linked guests: %w", err)
	}
	return ids, nil
}

func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
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
	err := s.tx(ctx, "ban", func(tx *sql.Tx) error {
		var role string
		err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE id = ?`, b.UserID).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %s: %w", b.UserID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if role == store.RoleAdmin {
			return store.ErrIsAdmin
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO bans (user_id, reason, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, b.UserID, b.Reason, nullString(b.CreatedBy), ts(b.CreatedAt),
			nullTime(b.ExpiresAt)).Scan(&b.ID); err != nil {
			return err
		}
		a.Detail, err = withBanID(a.Detail, b.ID)
		if err != nil {
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
	err := s.tx(ctx, "lift bans", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE bans SET lifted_at = ?, lifted_by = ?
			WHERE user_id = ? AND lifted_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
			ts(now), nullString(by), userID, ts(now))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return insertAudit(ctx, tx, a)
	})
	return n, err
}

const banColumns = `id, user_id, reason, COALESCE(created_by, ''), created_at, expires_at, lifted_at, COALESCE(lifted_by, '')`

func scanBan(r scanner) (store.Ban, error) {
	var b store.Ban
	var created string
	var expires, lifted sql.NullString
	if err := r.Scan(&b.ID, &b.UserID, &b.Reason, &b.CreatedBy, &created, &expires, &lifted, &b.LiftedBy); err != nil {
		return b, err
	}
	var err error
	if b.CreatedAt, err = time.Parse(timeFormat, created); err == nil {
		if b.ExpiresAt, err = parseTime(expires); err == nil {
			b.LiftedAt, err = parseTime(lifted)
		}
	}
	return b, err
}

// ActiveBan implements store.Accounts.
func (s *Store) ActiveBan(ctx context.Context, userID string, now time.Time) (store.Ban, error) {
	if err := checkIDs("user", userID); err != nil {
		return store.Ban{}, err
	}
	// NULL (forever) sorts first in ascending order in SQLite: hence
	// "IS NOT NULL", false (0) for a permanent ban.
	b, err := scanBan(s.r.QueryRowContext(ctx, `SELECT `+banColumns+` FROM bans
		WHERE user_id = ? AND lifted_at IS NULL AND created_at <= ? AND (expires_at IS NULL OR expires_at > ?)
		ORDER BY expires_at IS NOT NULL, expires_at DESC, id DESC LIMIT 1`, userID, ts(now), ts(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("ban of %s: %w", userID, store.ErrNotFound)
	}
	if err != nil {
		return b, fmt.Errorf("sqlite: active ban: %w", err)
	}
	return b, nil
}

// Bans implements store.Accounts.
func (s *Store) Bans(ctx context.Context, userID string) ([]store.Ban, error) {
	if err := checkIDs("user", userID); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+banColumns+` FROM bans WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: bans: %w", err)
	}
	defer rows.Close()
	var out []store.Ban
	for rows.Next() {
		b, err := scanBan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: bans: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: bans: %w", err)
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
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, ''), action, COALESCE(target_id, ''), detail
		FROM audit_log WHERE id < ? AND (? = '' OR target_id = ?) ORDER BY id DESC LIMIT ?`,
		before, q.TargetID, q.TargetID, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit log: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var a store.AuditEntry
		var at, detail string
		if err := rows.Scan(&a.ID, &at, &a.ActorID, &a.Action, &a.TargetID, &detail); err != nil {
			return nil, fmt.Errorf("sqlite: audit log: %w", err)
		}
		if a.At, err = time.Parse(timeFormat, at); err != nil {
			return nil, fmt.Errorf("sqlite: audit log: %w", err)
		}
		a.Detail = json.RawMessage(detail)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: audit log: %w", err)
	}
	return out, nil
}
