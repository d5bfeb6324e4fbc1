package game

import (
	"math/rand/v2"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The reference definitions of ids and names: validID and ValidName take
// a shortcut for ASCII, which must agree with them.
func refValidID(id string) bool {
	if id == "" || len(id) > 50 || id[0] == '#' || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func refValidName(name string) bool {
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameLen {
		return false
	}
	visible := false
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return false
		}
		if !unicode.IsSpace(r) {
			visible = true
		}
	}
	return visible
}

func TestValidIDAndNameMatchTheirDefinitions(t *testing.T) {
	cases := []string{"", " ", "  ", "a", "Ann", " Ann ", "#p", "a b", "a\tb", "a\x7fb", "a\x00",
		"Zoë", "Zoë Ann", "\u00a0", "a\u00a0b", "\xff", "éééééééééééééééééééééééééé",
		"abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwxy", "s0", "cpu-maya"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune{'a', 'Z', '0', ' ', '#', '\t', '\n', 0x7f, 0x1f, '~', 'é', '\u00a0', '\u2028', '世'}
	for range 20000 {
		b := make([]rune, r.IntN(60))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if got, want := validID(s), refValidID(s); got != want {
			t.Errorf("validID(%q) = %v, want %v", s, got, want)
		}
		if got, want := ValidName(s), refValidName(s); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", s, got, want)
		}
	}
}
