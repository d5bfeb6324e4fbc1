package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// NewGameID returns a random (version 4) UUID in canonical form, the key of
// a game in the store.
func NewGameID() string {
	var b [16]byte
	rand.Read(b[:])         // never fails (crypto/rand panics instead)
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}

// CheckGameID returns an error wrapping ErrInvalid unless id is a UUID in
// canonical form (36 characters, lower-case hex, hyphens at 8-4-4-4-12).
// Requiring one spelling keeps the backends alike: PostgreSQL would accept
// other spellings of the same UUID, SQLite would store them as different
// games.
func CheckGameID(id string) error { return CheckID("game", id) }

// NewID returns a random UUID in canonical form: the key of a user or a
// session.
func NewID() string { return NewGameID() }

// CheckID is CheckGameID for the id of any kind of row (user, session…);
// kind names it in the error.
func CheckID(kind, id string) error {
	if len(id) != 36 {
		return fmt.Errorf("%w: %s id %.40q is not a UUID", ErrInvalid, kind, id)
	}
	for i := 0; i < 36; i++ {
		c := id[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return fmt.Errorf("%w: %s id %q is not a UUID", ErrInvalid, kind, id)
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return fmt.Errorf("%w: %s id %q is not a canonical lower-case UUID", ErrInvalid, kind, id)
			}
		}
	}
	return nil
}
