package account

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"golf/store"
)

// MaxBanReason is the longest ban reason, in characters.
const MaxBanReason = 500

// The audit log's actions.
const (
	ActionBan     = "ban"
	ActionUnban   = "unban"
	ActionSetRole = "set_role"
)

// requireAdmin returns ErrForbidden unless actorID is an active admin. The
// HTTP layer checks the role from the session already; this re-reads it,
// so a demotion takes effect on the next request, not at the next sign-in.
func (s *Service) requireAdmin(ctx context.Context, actorID string) error {
	u, err := s.st.User(ctx, actorID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return ErrForbidden
	}
	if err != nil {
		return internal("admin check", err)
	}
	if !userFrom(u).IsAdmin() {
		return ErrForbidden
	}
	return nil
}

// FindUsers lists registered users whose username starts with prefix,
// ignoring case, at most limit (1–100). Admins only.
func (s *Service) FindUsers(ctx context.Context, actorID, prefix string, limit int) ([]User, error) {
	if err := s.requireAdmin(ctx, actorID); err != nil {
		return nil, err
	}
	if limit < 1 || limit > 100 || len(prefix) > MaxUsername {
		return nil, &Error{Code: CodeBadRequest, Msg: "limit is 1–100 and a prefix at most 20 characters"}
	}
	rs, err := s.st.FindUsers(ctx, prefix, limit)
	if err != nil {
		return nil, internal("find users", err)
	}
	out := make([]User, len(rs))
	for i, r := range rs {
		out[i] = userFrom(r)
	}
	return out, nil
}

func auditDetail(v map[string]any) json.RawMessage {
	b, _ := json.Marshal(v) // strings and times only: cannot fail
	return b
}

// Ban bans userID for d (0: until lifted) with a reason the user is shown.
// The ban ends by itself when d has passed: nothing needs to run then. The
// user's sessions stay, refused while the ban lasts, good again after.
// Admins only; admins themselves cannot be banned (ErrTargetIsAdmin).
func (s *Service) Ban(ctx context.Context, actorID, userID, reason string, d time.Duration) (Ban, error) {
	if err := s.requireAdmin(ctx, actorID); err != nil {
		return Ban{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxBanReason || !utf8.ValidString(reason) {
		return Ban{}, &Error{Code: CodeBadRequest, Field: "reason", Msg: "a ban needs a reason of 1–500 characters"}
	}
	if d < 0 {
		return Ban{}, &Error{Code: CodeBadRequest, Field: "duration", Msg: "a ban's duration cannot be negative"}
	}
	now := s.now()
	b := store.Ban{UserID: userID, Reason: reason, CreatedBy: actorID, CreatedAt: now}
	detail := map[string]any{"reason": reason}
	if d > 0 {
		b.ExpiresAt = now.Add(d).Truncate(time.Millisecond) // the stores' precision
		detail["expires_at"] = b.ExpiresAt
	}
	b, err := s.st.AddBan(ctx, b, store.AuditEntry{At: now, ActorID: actorID, Action: ActionBan, TargetID: userID,
		Detail: auditDetail(detail)})
	switch {
	case errors.Is(err, store.ErrIsAdmin):
		return Ban{}, ErrTargetIsAdmin
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid):
		return Ban{}, ErrUserNotFound
	case err != nil:
		return Ban{}, internal("ban", err)
	}
	return banFrom(b), nil
}

// Unban lifts every ban of userID in force. ErrNotBanned if none is.
// Admins only.
func (s *Service) Unban(ctx context.Context, actorID, userID string) error {
	if err := s.requireAdmin(ctx, actorID); err != nil {
		return err
	}
	now := s.now()
	n, err := s.st.LiftBans(ctx, userID, actorID, now, store.AuditEntry{At: now, ActorID: actorID, Action: ActionUnban,
		TargetID: userID, Detail: json.RawMessage(`{}`)})
	switch {
	case errors.Is(err, store.ErrInvalid):
		return ErrUserNotFound
	case err != nil:
		return internal("unban", err)
	case n == 0:
		return ErrNotBanned
	}
	return nil
}

// Bans returns userID's bans, newest first, lifted and expired ones
// included. Admins only.
func (s *Service) Bans(ctx context.Context, actorID, userID string) ([]Ban, error) {
	if err := s.requireAdmin(ctx, actorID); err != nil {
		return nil, err
	}
	bs, err := s.st.Bans(ctx, userID)
	if errors.Is(err, store.ErrInvalid) {
		return nil, ErrUserNotFound
	}
	if err != nil {
		return nil, internal("bans", err)
	}
	out := make([]Ban, len(bs))
	for i, b := range bs {
		out[i] = banFrom(b)
	}
	return out, nil
}

// SetRole promotes or demotes userID. Admins only; never the last admin
// (ErrLastAdmin), an admin demoting themselves included.
func (s *Service) SetRole(ctx context.Context, actorID, userID string, role Role) error {
	if err := s.requireAdmin(ctx, actorID); err != nil {
		return err
	}
	return s.setRole(ctx, actorID, userID, role)
}

// SetRoleAsOperator is SetRole for the server's operator (the golf command
// run on the server, which needs no admin to exist: it makes the first
// one). The audit log records no actor. Never reachable over HTTP.
func (s *Service) SetRoleAsOperator(ctx context.Context, username string, role Role) error {
	u, err := s.st.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return ErrUserNotFound
	}
	if err != nil {
		return internal("set role", err)
	}
	return s.setRole(ctx, "", u.ID, role)
}

func (s *Service) setRole(ctx context.Context, actorID, userID string, role Role) error {
	if role != RolePlayer && role != RoleAdmin {
		return &Error{Code: CodeBadRequest, Field: "role", Msg: "a role is player or admin"}
	}
	u, err := s.st.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return ErrUserNotFound
	}
	if err != nil {
		return internal("set role", err)
	}
	now := s.now()
	if role == RoleAdmin {
		if pub := userFrom(u); pub.Guest || !pub.Active {
			return &Error{Code: CodeBadRequest, Field: "role", Msg: "only a registered, active user can be an admin"}
		}
		if err := s.checkBan(ctx, userID, now); err != nil {
			return err
		}
	}
	err = s.st.SetRole(ctx, userID, string(role), store.AuditEntry{At: now, ActorID: actorID, Action: ActionSetRole,
		TargetID: userID, Detail: auditDetail(map[string]any{"role": role, "was": u.Role})})
	switch {
	case errors.Is(err, store.ErrLastAdmin):
		return ErrLastAdmin
	case errors.Is(err, store.ErrNotFound):
		return ErrUserNotFound
	case err != nil:
		return internal("set role", err)
	}
	return nil
}

// AuditLog returns admin actions, newest first (q.Limit 1–1000, default
// 50). Admins only.
func (s *Service) AuditLog(ctx context.Context, actorID string, q AuditQuery) ([]AuditEntry, error) {
	if err := s.requireAdmin(ctx, actorID); err != nil {
		return nil, err
	}
	if q.Limit == 0 {
		q.Limit = 50
	}
	es, err := s.st.AuditLog(ctx, q)
	if errors.Is(err, store.ErrInvalid) {
		return nil, &Error{Code: CodeBadRequest, Msg: err.Error()}
	}
	if err != nil {
		return nil, internal("audit log", err)
	}
	out := make([]AuditEntry, len(es))
	for i, e := range es {
		out[i] = AuditEntry(e)
	}
	return out, nil
}

// ActionEndGame is the audit log's action for an admin ending a game.
const ActionEndGame = "end_game"

// RecordAction writes an admin action that changes no account (ending a
// stuck game: the game's own log holds the event) to the audit log.
// Admins only.
func (s *Service) RecordAction(ctx context.Context, actorID, action string, detail map[string]any) error {
	if err := s.requireAdmin(ctx, actorID); err != nil {
		return err
	}
	if err := s.st.AddAudit(ctx, store.AuditEntry{At: s.now(), ActorID: actorID, Action: action,
		Detail: auditDetail(detail)}); err != nil {
		return internal("record action", err)
	}
	return nil
}

// CheckAdmin returns ErrForbidden unless actorID is an active admin now,
// for admin actions outside this package (ending a game) to check first.
func (s *Service) CheckAdmin(ctx context.Context, actorID string) error {
	return s.requireAdmin(ctx, actorID)
}
