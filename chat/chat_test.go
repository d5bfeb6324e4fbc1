package chat

import (
	"errors"
	"strings"
	"testing"
)

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		err            error
	}{
		{"plain", "nice swap!", "nice swap!", nil},
		{"trimmed", "  gg  ", "gg", nil},
		{"markup is text", "<script>alert(1)</script>", "<script>alert(1)</script>", nil},
		{"emoji with joiner", "👩‍👩‍👧 ¡olé!", "👩‍👩‍👧 ¡olé!", nil},
		{"max", strings.Repeat("é", MaxRunes), strings.Repeat("é", MaxRunes), nil},
		{"empty", "", "", ErrEmpty},
		{"spaces", " \u3000 ", "", ErrEmpty},
		{"too long", strings.Repeat("a", MaxRunes+1), "", ErrTooLong},
		{"newline", "a\nb", "", ErrControl},
		{"tab", "a\tb", "", ErrControl},
		{"escape", "a\x1b[31mb", "", ErrControl},
		{"nul", "a\x00b", "", ErrControl},
		{"bidi override", "abc\u202edcba", "", ErrControl},
		{"line separator", "a\u2028b", "", ErrControl},
		{"bad utf-8", "a\xffb", "", ErrEncoding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Line(tc.in)
			if !errors.Is(err, tc.err) || got != tc.want {
				t.Errorf("Line(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
			}
		})
	}
}

func TestReaction(t *testing.T) {
	for _, r := range Reactions {
		if err := Reaction(r); err != nil {
			t.Errorf("Reaction(%q): %v", r, err)
		}
	}
	for _, r := range []string{"", "👎", "<b>", "👍👍"} {
		if err := Reaction(r); !errors.Is(err, ErrReaction) {
			t.Errorf("Reaction(%q) = %v; want ErrReaction", r, err)
		}
	}
}

func FuzzLine(f *testing.F) {
	f.Add("gg")
	f.Add("a\u202eb")
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Line(s)
		if err != nil {
			return
		}
		if out == "" || len([]rune(out)) > MaxRunes || strings.ContainsAny(out, "\n\r\x00\x1b") {
			t.Errorf("Line(%q) accepted %q", s, out)
		}
	})
}
