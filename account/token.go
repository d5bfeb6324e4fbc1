package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// tokenBytes is a session token's entropy: 256 bits, beyond guessing.
const tokenBytes = 32

// tokenLen is the length of a token as text (unpadded base64url).
var tokenLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

// newToken returns a fresh session token and the hash the store keeps.
func newToken() (token string, hash []byte) {
	var b [tokenBytes]byte
	rand.Read(b[:])
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashToken(b[:])
}

// hashToken is SHA-256 of the token's bytes. A fast hash is enough: the
// token is 256 random bits, not a password, so there is nothing to search.
func hashToken(raw []byte) []byte {
	h := sha256.Sum256(raw)
	return h[:]
}

// parseToken returns the hash of a presented token, or false if it cannot
// be one of ours (wrong length or alphabet), which then costs no lookup.
func parseToken(token string) ([]byte, bool) {
	if len(token) != tokenLen {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != tokenBytes {
		return nil, false
	}
	return hashToken(raw), true
}
