package live

import (
	"strings"
	"unicode"

	"golf/game"
)

// Names are unique within a room: two players both called "Ann" make the
// seat list, the prompts ("Waiting for Ann…") and the score sheet
// ambiguous. The rules engine takes any name; the platform refuses a
// joiner whose name a seated player already has (name_taken), compared as
// a reader would: ignoring case, full-width forms and spacing.

// nameKey is what two names that read the same have in common.
func nameKey(name string) string {
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case r == 0x3000: // ideographic space
			r = ' '
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII forms
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(unicode.ToUpper(r)))
	}
	return b.String()
}

// nameTaken reports whether a seated player other than id is called name.
func (t *Table) nameTaken(id, name string) bool {
	k := nameKey(name)
	for i := range t.st.NumSeats() {
		if !t.st.Seated(i) || t.st.PlayerID(i) == id {
			continue
		}
		if nameKey(t.st.Name(i)) == k {
			return true
		}
	}
	return false
}

// join seats a new human (the writer's side of JoinAs).
func (t *Table) join(id, name string, from *member) error {
	if t.st.Phase() == game.PhaseWaiting && t.nameTaken(id, name) {
		return ErrNameTaken
	}
	return t.exec(game.JoinCmd(id, name), from, 0)
}
