package game

import (
	"encoding/hex"
)

// A fast path for UnmarshalEvent. Loading a game decodes every event it
// ever had (recovery decodes hundreds of thousands), and every Append
// decodes its events back once, so the reflective strict decoder was most
// of what both cost. decodeFast reads the turn events without reflection,
// in any key order and spacing (PostgreSQL's JSONB writes keys sorted by
// length, with spaces; SQLite keeps MarshalEvent's bytes). It accepts only
// input whose meaning is plain: known keys, spelled exactly, each once;
// strings without escapes or non-ASCII bytes; integers as JSON writes
// them; no nulls. Anything else (or any other event type) is left to the
// strict decoder, so every input decodes exactly as before: the fast path
// is only ever a shortcut to the same value (TestDecodeFastMatchesStrict,
// FuzzDecodeFast).

// scan reads JSON from b.
type scan struct {
	b []byte
	i int
}

func (s *scan) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// byte consumes c (after any space).
func (s *scan) byte(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str reads a string of printable ASCII without escapes.
func (s *scan) str() ([]byte, bool) {
	if !s.byte('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], true
		case c < 0x20 || c >= 0x80 || c == '\\':
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// int reads an integer as JSON writes one: -?(0|[1-9][0-9]*), no
// fraction or exponent, within ±10^18 (so it fits any int).
func (s *scan) int() (int, bool) {
	s.space()
	neg := false
	if s.i < len(s.b) && s.b[s.i] == '-' {
		neg = true
		s.i++
	}
	start, n := s.i, 0
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		if s.i-start == 18 {
			return 0, false
		}
		n = n*10 + int(s.b[s.i]-'0')
		s.i++
	}
	switch {
	case s.i == start, s.b[start] == '0' && s.i-start > 1:
		return 0, false
	case s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E'):
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func (s *scan) bool() (bool, bool) {
	s.space()
	switch {
	case len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "true":
		s.i += 4
		return true, true
	case len(s.b)-s.i >= 5 && string(s.b[s.i:s.i+5]) == "false":
		s.i += 5
		return false, true
	}
	return false, false
}

// key reads the next key of an object and its colon; first says whether
// it is the object's first. done reports the object's end.
func (s *scan) key(first bool) (k []byte, done, ok bool) {
	if s.byte('}') {
		return nil, true, true
	}
	if !first && !s.byte(',') {
		return nil, false, false
	}
	k, ok = s.str()
	if !ok || !s.byte(':') {
		return nil, false, false
	}
	return k, false, true
}

// skipObject passes over an object, checking only that its brackets and
// strings close; its contents are read later by their own reader.
func (s *scan) skipObject() bool {
	if !s.byte('{') {
		return false
	}
	for depth := 1; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '"':
			for s.i++; s.i < len(s.b) && s.b[s.i] != '"'; s.i++ {
				if s.b[s.i] == '\\' {
					s.i++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				s.i++
				return true
			}
		}
	}
	return false
}

// card reads a card object: rank, suit (not for a joker) and deck.
func (s *scan) card() (Card, bool) {
	if !s.byte('{') {
		return NoCard, false
	}
	var rank, suit []byte
	deck, seen := -1, 0
	for first := true; ; first = false {
		k, done, ok := s.key(first)
		if !ok {
			return NoCard, false
		}
		if done {
			break
		}
		var bit int
		switch string(k) {
		case "rank":
			bit = 1
			rank, ok = s.str()
		case "suit":
			bit = 2
			suit, ok = s.str()
		case "deck":
			bit = 4
			deck, ok = s.int()
		}
		if bit == 0 || seen&bit != 0 || !ok {
			return NoCard, false
		}
		seen |= bit
	}
	if deck < 0 || deck > 255 {
		return NoCard, false
	}
	if string(rank) == "JK" {
		if seen&2 != 0 {
			return NoCard, false
		}
		return Card{Rank: Joker, Deck: uint8(deck)}, true
	}
	if len(rank) != 1 || len(suit) != 1 {
		return NoCard, false
	}
	c, err := ParseCard(string(rank) + string(suit))
	if err != nil {
		return NoCard, false
	}
	c.Deck = uint8(deck)
	return c, true
}

func (s *scan) ints() ([]int, bool) {
	if !s.byte('[') {
		return nil, false
	}
	out := make([]int, 0, 2)
	if s.byte(']') {
		return out, true
	}
	for {
		n, ok := s.int()
		if !ok {
			return nil, false
		}
		out = append(out, n)
		if s.byte(']') {
			return out, true
		}
		if !s.byte(',') {
			return nil, false
		}
	}
}

func (s *scan) cards() ([]Card, bool) {
	if !s.byte('[') {
		return nil, false
	}
	out := make([]Card, 0, 2)
	if s.byte(']') {
		return out, true
	}
	for {
		c, ok := s.card()
		if !ok {
			return nil, false
		}
		out = append(out, c)
		if s.byte(']') {
			return out, true
		}
		if !s.byte(',') {
			return nil, false
		}
	}
}

func (s *scan) source() (Source, bool) {
	b, ok := s.str()
	switch {
	case !ok:
		return SourceNone, false
	case string(b) == "deck":
		return SourceDeck, true
	case string(b) == "discard":
		return SourceDiscard, true
	}
	return SourceNone, false
}

func (s *scan) flipKind() (FlipKind, bool) {
	b, ok := s.str()
	if !ok {
		return FlipNone, false
	}
	for i, n := range flipKindNames {
		if n == string(b) {
			return FlipKind(i), true
		}
	}
	return FlipNone, false
}

// decodeFast decodes an event envelope, or reports false for anything it
// leaves to the strict decoder.
func decodeFast(b []byte) (Event, bool) {
	s := &scan{b: b}
	if !s.byte('{') {
		return nil, false
	}
	var typ []byte
	v, seen, dataAt, dataEnd := 0, 0, -1, -1
	for first := true; ; first = false {
		k, done, ok := s.key(first)
		if !ok {
			return nil, false
		}
		if done {
			break
		}
		var bit int
		switch string(k) {
		case "type":
			bit = 1
			typ, ok = s.str()
		case "v":
			bit = 2
			v, ok = s.int()
		case "data":
			bit = 4
			s.space()
			dataAt = s.i
			ok = s.skipObject()
			dataEnd = s.i
		}
		if bit == 0 || seen&bit != 0 || !ok {
			return nil, false
		}
		seen |= bit
	}
	if s.space(); s.i != len(s.b) || seen != 7 || v != EventVersion {
		return nil, false
	}
	d := &scan{b: b[dataAt:dataEnd]}
	e, ok := d.data(typ)
	if d.space(); !ok || d.i != len(d.b) {
		return nil, false
	}
	return e, true
}

// Field bits of the turn events' data.
const (
	fPlayer = 1 << iota
	fSource
	fCard
	fReshuffled
	fPosition
	fNewCard
	fOldCard
	fOldUp
	fFlip
	fPositions
	fCards
	fOn
	fRound
	fDealer
	fFirst
	fSeed
	fDiscard
	fDeckSize
)

// data reads the data object of an event of type typ.
func (s *scan) data(typ []byte) (Event, bool) {
	var allowed int
	switch string(typ) {
	case "CardDrawn":
		allowed = fPlayer | fSource | fCard | fReshuffled
	case "CardSwapped":
		allowed = fPlayer | fPosition | fNewCard | fOldCard | fOldUp
	case "CardDiscarded":
		allowed = fPlayer | fCard | fFlip
	case "DiscardReturned":
		allowed = fPlayer | fCard
	case "CardFlipped", "FlipAsAction":
		allowed = fPlayer | fPosition | fCard
	case "FlipSkipped":
		allowed = fPlayer
	case "InitialCardsFlipped", "Knocked":
		allowed = fPlayer | fPositions | fCards
	case "AutoplayChanged":
		allowed = fPlayer | fOn
	case "RoundStarted":
		allowed = fRound | fDealer | fFirst | fSeed | fDiscard | fDeckSize
	default:
		return nil, false
	}
	var (
		player, dealer, first string
		source                Source
		card, newCard, old    Card
		discard               Card
		resh, oldUp, on       bool
		pos, round, deckSize  int
		flip                  FlipKind
		positions             []int
		cards                 []Card
		seed                  Seed
		seen                  int
	)
	if !s.byte('{') {
		return nil, false
	}
	for firstKey := true; ; firstKey = false {
		k, done, ok := s.key(firstKey)
		if !ok {
			return nil, false
		}
		if done {
			break
		}
		var bit int
		var str []byte
		switch string(k) {
		case "player_id":
			bit = fPlayer
			if str, ok = s.str(); ok {
				player = string(str)
			}
		case "source":
			bit = fSource
			source, ok = s.source()
		case "card":
			bit = fCard
			card, ok = s.card()
		case "reshuffled":
			bit = fReshuffled
			resh, ok = s.bool()
		case "position":
			bit = fPosition
			pos, ok = s.int()
		case "new_card":
			bit = fNewCard
			newCard, ok = s.card()
		case "old_card":
			bit = fOldCard
			old, ok = s.card()
		case "old_was_face_up":
			bit = fOldUp
			oldUp, ok = s.bool()
		case "flip":
			bit = fFlip
			flip, ok = s.flipKind()
		case "positions":
			bit = fPositions
			positions, ok = s.ints()
		case "cards":
			bit = fCards
			cards, ok = s.cards()
		case "on":
			bit = fOn
			on, ok = s.bool()
		case "round":
			bit = fRound
			round, ok = s.int()
		case "dealer_id":
			bit = fDealer
			if str, ok = s.str(); ok {
				dealer = string(str)
			}
		case "first_player_id":
			bit = fFirst
			if str, ok = s.str(); ok {
				first = string(str)
			}
		case "seed":
			bit = fSeed
			if str, ok = s.str(); ok {
				ok = len(str) == hex.EncodedLen(len(seed))
				if ok {
					_, err := hex.Decode(seed[:], str)
					ok = err == nil
				}
			}
		case "discard":
			bit = fDiscard
			discard, ok = s.card()
		case "deck_size":
			bit = fDeckSize
			deckSize, ok = s.int()
		}
		if bit&allowed == 0 || seen&bit != 0 || !ok {
			return nil, false
		}
		seen |= bit
	}
	switch string(typ) {
	case "CardDrawn":
		return CardDrawn{PlayerID: player, Source: source, Card: card, Reshuffled: resh}, true
	case "CardSwapped":
		return CardSwapped{PlayerID: player, Position: pos, NewCard: newCard, OldCard: old, OldWasFaceUp: oldUp}, true
	case "CardDiscarded":
		return CardDiscarded{PlayerID: player, Card: card, Flip: flip}, true
	case "DiscardReturned":
		return DiscardReturned{PlayerID: player, Card: card}, true
	case "CardFlipped":
		return CardFlipped{PlayerID: player, Position: pos, Card: card}, true
	case "FlipAsAction":
		return FlipAsAction{PlayerID: player, Position: pos, Card: card}, true
	case "FlipSkipped":
		return FlipSkipped{PlayerID: player}, true
	case "InitialCardsFlipped":
		return InitialCardsFlipped{PlayerID: player, Positions: positions, Cards: cards}, true
	case "Knocked":
		return Knocked{PlayerID: player, Positions: positions, Cards: cards}, true
	case "AutoplayChanged":
		return AutoplayChanged{PlayerID: player, On: on}, true
	case "RoundStarted":
		return RoundStarted{Round: round, DealerID: dealer, FirstPlayerID: first, Seed: seed, Discard: discard, DeckSize: deckSize}, true
	}
	return nil, false
}
