package game

import (
	"math/rand/v2"
	"strings"
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
	alnum := false
	for _, r := range name {
		if !unicode.IsPrint(r) || strings.ContainsRune("[]［］【】〔〕〖〗〘〙〚〛⟦⟧⁅⁆⦋⦌﹇﹈", r) {
			return false
		}
		if (unicode.IsLetter(r) || unicode.IsNumber(r)) && !strings.ContainsRune("\u115f\u1160\u3164\uffa0\u17b4\u17b5", r) {
			alnum = true
		}
	}
	return alnum
}

// TestNamesMustShowALetterAndNoServerLabel: the names a probe got
// through (invisible ones, a server label) are refused; ordinary names
// of any script pass.
func TestNamesMustShowALetterAndNoServerLabel(t *testing.T) {
	for name, want := range map[string]bool{
		"\u3164": false, "\u2800\u2800": false, "\u3164\u3164 ": false, "\uffa0": false, "...": false, "~~": false,
		"[server] Host": false, "［server］": false, "【server】": false, "a]": false, " ": false,
		"Ann": true, "Zoë": true, "世界": true, "R2": true, "7": true, "Ann (2)": true, "<svg onload=x>": true,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestValidIDAndNameMatchTheirDefinitions(t *testing.T) {
	cases := []string{"", " ", "  ", "a", "Ann", " Ann ", "#p", "a b", "a\tb", "a\x7fb", "a\x00",
		"Zoë", "Zoë Ann", "\u00a0", "a\u00a0b", "\xff", "éééééééééééééééééééééééééé",
		"abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwxy", "s0", "cpu-maya"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune{'a', 'Z', '0', ' ', '#', '\t', '\n', 0x7f, 0x1f, '~', 'é', '\u00a0', '\u2028', '世', '[', ']', '\u3164', '【', '\u2800'}
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
