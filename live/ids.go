package live

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// roomCodeAlphabet has no vowels (so no words) and none of I, O, 0, 1: codes
// read aloud and typed from a phone are not misheard or mistyped.
const roomCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"

// RoomCodeLen is the length of a room code.
const RoomCodeLen = 4

// newRoomCode draws a room code from crypto/rand.
func newRoomCode() string {
	var b [RoomCodeLen]byte
	rand.Read(b[:])
	for i := range b {
		// 256 = 12·20 + 16: a small bias towards the first 16 letters; a
		// room code is an address, not a secret.
		b[i] = roomCodeAlphabet[int(b[i])%len(roomCodeAlphabet)]
	}
	return string(b[:])
}

// NormalizeRoomCode upper-cases a code typed by a person and reports whether it
// can be a room code at all.
func NormalizeRoomCode(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != RoomCodeLen {
		return "", false
	}
	for i := range len(s) {
		if strings.IndexByte(roomCodeAlphabet, s[i]) < 0 {
			return "", false
		}
	}
	return s, true
}

// newPlayerID returns a guest player id: "g_" and 16 random characters.
func newPlayerID() string {
	var b [12]byte
	rand.Read(b[:])
	return "g_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// seatToken is the secret that holds a seat: HMAC-SHA256 of the game and
// player ids under the server's secret. It needs no storage, so it survives
// a restart and works on every instance that shares the secret.
func seatToken(secret []byte, gameID, playerID string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("golf/seat/v1\x00"))
	m.Write([]byte(gameID))
	m.Write([]byte{0})
	m.Write([]byte(playerID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// tokenMatches compares a presented token with the one for a seat in
// constant time.
func tokenMatches(secret []byte, gameID, playerID, token string) bool {
	want := seatToken(secret, gameID, playerID)
	return hmac.Equal([]byte(want), []byte(token))
}
