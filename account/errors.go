package account

import (
	"strings"
	"time"
)

// Code names the kind of a refused account operation. Codes are part of
// the HTTP API (docs/accounts.md), in the WebSocket protocol's style: a
// client may switch on them, so they never change meaning.
type Code string

// The account error codes.
const (
	CodeInvalidUsername    Code = "invalid_username"     // not 3–20 of letters, digits, _ and -
	CodeUsernameReserved   Code = "username_reserved"    // a CPU's or an admin-like name
	CodeUsernameTaken      Code = "username_taken"       // someone has it, ignoring case
	CodeInvalidPassword    Code = "invalid_password"     // not 8–128 characters, or the username
	CodeInvalidEmail       Code = "invalid_email"        // not one plain address
	CodeEmailTaken         Code = "email_taken"          // another account has it
	CodeInvalidDisplayName Code = "invalid_display_name" // not 1–24 printable characters, or reserved
	CodeInvalidPreferences Code = "invalid_preferences"  // not a JSON object of at most 4 KiB
	CodeInvalidInput       Code = "invalid_input"        // several fields are invalid: see Fields
	CodeBadRequest         Code = "bad_request"          // a malformed id, role, reason or duration
	CodeBadCredentials     Code = "bad_credentials"      // unknown username or wrong password: never which
	CodeInvalidSession     Code = "invalid_session"      // no such session token, or it was revoked
	CodeSessionExpired     Code = "session_expired"      // the session's time is up: sign in again
	CodeBanned             Code = "banned"               // Until and the reason in the message
	CodeAccountDisabled    Code = "account_disabled"     // deleted, or a guest merged into an account
	CodeAlreadyRegistered  Code = "already_registered"   // Register by a user who is not a guest
	CodeUserNotFound       Code = "user_not_found"       // admin operations on an unknown user
	CodeSessionNotFound    Code = "session_not_found"    // revoking a session the user does not have
	CodeNotBanned          Code = "not_banned"           // Unban of a user with no ban in force
	CodeForbidden          Code = "forbidden"            // an admin operation by a non-admin
	CodeLastAdmin          Code = "last_admin"           // the change would leave no admin
	CodeTargetIsAdmin      Code = "target_is_admin"      // admins are not banned: demote first
	CodeBusy               Code = "busy"                 // too many password checks queued: retry shortly
)

// Error is a refused account operation: a stable code, the field it is
// about (for validation), a message for people, and, for CodeInvalidInput,
// every invalid field.
type Error struct {
	Code   Code
	Field  string // "username", "password", "email", "display_name", "preferences", or ""
	Msg    string
	Fields []*Error  // CodeInvalidInput: one error per invalid field
	Until  time.Time // CodeBanned: when the ban ends; zero for never
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	for _, f := range e.Fields {
		b.WriteString("; ")
		b.WriteString(f.Error())
	}
	return b.String()
}

// Is makes errors.Is(err, account.ErrUsernameTaken) match any *Error with
// that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is; each matches every error with its code.
var (
	ErrInvalidUsername    = &Error{Code: CodeInvalidUsername}
	ErrUsernameReserved   = &Error{Code: CodeUsernameReserved}
	ErrUsernameTaken      = &Error{Code: CodeUsernameTaken}
	ErrInvalidPassword    = &Error{Code: CodeInvalidPassword}
	ErrInvalidEmail       = &Error{Code: CodeInvalidEmail}
	ErrEmailTaken         = &Error{Code: CodeEmailTaken}
	ErrInvalidDisplayName = &Error{Code: CodeInvalidDisplayName}
	ErrInvalidPreferences = &Error{Code: CodeInvalidPreferences}
	ErrInvalidInput       = &Error{Code: CodeInvalidInput}
	ErrBadRequest         = &Error{Code: CodeBadRequest}
	ErrBadCredentials     = &Error{Code: CodeBadCredentials, Msg: "unknown username or wrong password"}
	ErrInvalidSession     = &Error{Code: CodeInvalidSession, Msg: "not signed in"}
	ErrSessionExpired     = &Error{Code: CodeSessionExpired, Msg: "the session has expired; sign in again"}
	ErrBanned             = &Error{Code: CodeBanned}
	ErrAccountDisabled    = &Error{Code: CodeAccountDisabled, Msg: "this account is closed"}
	ErrAlreadyRegistered  = &Error{Code: CodeAlreadyRegistered, Msg: "this account is already registered"}
	ErrUserNotFound       = &Error{Code: CodeUserNotFound, Msg: "no such user"}
	ErrSessionNotFound    = &Error{Code: CodeSessionNotFound, Msg: "no such session"}
	ErrNotBanned          = &Error{Code: CodeNotBanned, Msg: "this user has no ban in force"}
	ErrForbidden          = &Error{Code: CodeForbidden, Msg: "admins only"}
	ErrLastAdmin          = &Error{Code: CodeLastAdmin, Msg: "the platform must keep at least one admin"}
	ErrTargetIsAdmin      = &Error{Code: CodeTargetIsAdmin, Msg: "admins cannot be banned; demote first"}
	ErrBusy               = &Error{Code: CodeBusy, Msg: "too many sign-ins at once; try again in a moment"}
)

func fieldError(code Code, field, msg string) *Error {
	return &Error{Code: code, Field: field, Msg: msg}
}

// joinFields returns nil for no errors, the error itself for one, and a
// CodeInvalidInput error listing them for several.
func joinFields(errs ...*Error) error {
	var fs []*Error
	for _, e := range errs {
		if e != nil {
			fs = append(fs, e)
		}
	}
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return &Error{Code: CodeInvalidInput, Msg: "several fields are invalid", Fields: fs}
}
