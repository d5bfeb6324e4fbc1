// Package chat holds what a room's chat accepts: the lines players may
// say and the reactions they may show. It checks, it does not escape:
// clients render chat as text, never as markup.
package chat

import (
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRunes is the longest chat line, in characters.
const MaxRunes = 200

// Reactions are the quick reactions a player may show by their seat.
var Reactions = []string{"👍", "👏", "😂", "😮", "😬", "🎉"}

// The ways a chat line or reaction is refused; errors.Is tells them apart.
var (
	ErrEmpty    = errors.New("a chat line needs some text")
	ErrTooLong  = errors.New("a chat line has at most 200 characters")
	ErrControl  = errors.New("a chat line cannot hold control characters")
	ErrEncoding = errors.New("a chat line must be valid UTF-8")
	ErrReaction = errors.New("not one of the reactions")
)

// Line checks a chat line and returns it with the spaces around it
// trimmed. Control characters (line breaks, tabs, escapes) and invisible
// format characters that reorder or hide text (bidirectional overrides)
// are refused; the zero-width joiner inside emoji sequences is allowed.
func Line(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrEncoding
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrEmpty
	}
	if utf8.RuneCountInString(s) > MaxRunes {
		return "", ErrTooLong
	}
	for _, r := range s {
		if unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200d') || r == '\u2028' || r == '\u2029' {
			return "", ErrControl
		}
	}
	return s, nil
}

// Reaction checks a reaction.
func Reaction(s string) error {
	if !slices.Contains(Reactions, s) {
		return ErrReaction
	}
	return nil
}
