package account

import (
	"encoding/json"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golf/ai"
	"golf/game"
)

// Limits of what users type.
const (
	MinUsername    = 3
	MaxUsername    = 20
	MinPassword    = 8
	MaxPassword    = 128 // characters; argon2id's cost does not grow with it, but a cap keeps requests small
	MaxEmail       = 254 // RFC 5321's limit on a path
	MaxPreferences = 4096
)

// CheckUsername returns an error with CodeInvalidUsername or
// CodeUsernameReserved unless name can be registered (uniqueness is the
// store's to check).
func CheckUsername(name string) *Error {
	if len(name) < MinUsername || len(name) > MaxUsername {
		return fieldError(CodeInvalidUsername, "username", "a username has 3–20 characters")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return fieldError(CodeInvalidUsername, "username", "a username has only letters, digits, _ and -")
		}
	}
	if Reserved(name) || usernameOnly[fold(name)] {
		return fieldError(CodeUsernameReserved, "username", "that name is reserved")
	}
	return nil
}

// CheckPassword returns an error with CodeInvalidPassword unless password
// may be set for username. Only the length is required (NIST SP 800-63B:
// composition rules make passwords worse, length makes them better), and
// that it is not the username.
func CheckPassword(password, username string) *Error {
	if !utf8.ValidString(password) {
		return fieldError(CodeInvalidPassword, "password", "a password must be valid text")
	}
	if n := utf8.RuneCountInString(password); n < MinPassword || n > MaxPassword {
		return fieldError(CodeInvalidPassword, "password", "a password has 8–128 characters")
	}
	if username != "" && strings.EqualFold(password, username) {
		return fieldError(CodeInvalidPassword, "password", "a password must not be the username")
	}
	return nil
}

// CheckDisplayName returns the name as it will be kept (spaces trimmed) or
// an error with CodeInvalidDisplayName: 1–24 printable characters (the
// rules engine's limit for a seat's name), not a reserved name.
func CheckDisplayName(name string) (string, *Error) {
	name = strings.TrimSpace(name)
	if !game.ValidName(name) {
		return "", fieldError(CodeInvalidDisplayName, "display_name", "a name has 1–24 printable characters")
	}
	if Reserved(name) {
		return "", fieldError(CodeInvalidDisplayName, "display_name", "that name is reserved")
	}
	return name, nil
}

// CheckEmail returns the address as it will be kept (lower-cased, so one
// address is one account whatever its spelling) or an error with
// CodeInvalidEmail. "" is no address, which is allowed.
func CheckEmail(email string) (string, *Error) {
	if email == "" {
		return "", nil
	}
	bad := fieldError(CodeInvalidEmail, "email", "that is not an email address")
	if len(email) > MaxEmail {
		return "", bad
	}
	a, err := mail.ParseAddress(email)
	// Only a bare address: no display name, no comments, no angle brackets.
	if err != nil || a.Address != email || a.Name != "" || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		return "", bad
	}
	return strings.ToLower(email), nil
}

// CheckPreferences returns an error with CodeInvalidPreferences unless p is
// a JSON object of at most MaxPreferences bytes.
func CheckPreferences(p json.RawMessage) *Error {
	bad := fieldError(CodeInvalidPreferences, "preferences", "preferences are a JSON object of at most 4 KiB")
	if len(p) > MaxPreferences {
		return bad
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(p, &m); err != nil || m == nil {
		return bad
	}
	return nil
}

// reservedNames may not be taken as a username or a display name, in any
// case or spelling that folds to them (see fold): the CPU players' names,
// and names that would pass for the platform speaking.
var reservedNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"admin", "administrator", "root", "system", "server", "moderator", "mod", "golf", "support",
		"staff", "official", "owner", "operator", "sysop", "superuser", "security", "helpdesk",
		"webmaster", "postmaster", "hostmaster", "abuse", "noreply", "bot", "cpu", "standin",
	} {
		m[w] = true
	}
	for _, p := range ai.Lineup() {
		m[fold(p.ID)] = true
		m[fold(p.Name)] = true
	}
	return m
}()

// usernameOnly are refused as usernames, which are unique and name an
// account, but fine as a display name: a guest may well call itself Guest.
var usernameOnly = map[string]bool{
	"guest": true, "anonymous": true, "deleted": true, "nobody": true, "null": true, "undefined": true,
	"everyone": true, "help": true, "info": true, "team": true, "me": true, "player": true,
}

// reservedParts may not appear anywhere in a name: "the_admin",
// "golfmoderator". ("badminton" is collateral damage, accepted.)
var reservedParts = []string{"admin", "moderator", "sysop", "golfteam", "golfstaff", "golfsupport", "golfofficial"}

// Reserved reports whether a username or display name is reserved.
func Reserved(name string) bool {
	f := fold(name)
	if reservedNames[f] {
		return true
	}
	for _, p := range reservedParts {
		if strings.Contains(f, p) {
			return true
		}
	}
	return false
}

// fold reduces a name to what it looks like: lower case, letters and
// digits only, trailing digits dropped ("Admin_2" → "admin"), then common
// digit-for-letter swaps undone ("r00t" → "root", "4dm1n" → "admin").
func fold(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return unleet.Replace(strings.TrimRight(b.String(), "0123456789"))
}

// unleet undoes fold's digit-for-letter swaps. Built once: a Replacer
// built per call was 2% of the server's garbage at 10,000 players (every
// seat's name is checked).
var unleet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "8", "b")
