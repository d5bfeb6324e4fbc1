package game

import (
	"bytes"
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

// plainByte marks the bytes a string may hold on the fast path: printable
// ASCII but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads a string of printable ASCII without escapes.
func (s *scan) str() ([]byte, bool) {
	if !s.byte('"') {
		return nil, false
	}
	start, b := s.i, s.b
	i := start
	for i < len(b) && plainByte[b[i]] {
		i++
	}
	if i == len(b) || b[i] != '"' {
		return nil, false
	}
	s.i = i + 1
	return b[start:i], true
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

// scalar returns the bytes of a string without escapes or non-ASCII, an
// integer or a boolean, as the value's raw JSON.
func (s *scan) scalar() ([]byte, bool) {
	s.space()
	start := s.i
	var ok bool
	switch {
	case s.i >= len(s.b):
		return nil, false
	case s.b[s.i] == '"':
		_, ok = s.str()
	case s.b[s.i] == 't' || s.b[s.i] == 'f':
		_, ok = s.bool()
	default:
		_, ok = s.int()
	}
	return s.b[start:s.i], ok
}

// object reads an object's keys, calling field for each with the scanner
// at its value; a key given twice, or field's false, fails it.
func (s *scan) object(field func(k []byte) bool) bool {
	if !s.byte('{') {
		return false
	}
	var keys [24][]byte
	n := 0
	for first := true; ; first = false {
		k, done, ok := s.key(first)
		switch {
		case !ok:
			return false
		case done:
			return true
		case n == len(keys):
			return false
		}
		for _, seen := range keys[:n] {
			if string(seen) == string(k) {
				return false
			}
		}
		keys[n] = k
		n++
		if !field(k) {
			return false
		}
	}
}

// array reads an array, calling elem for each element with the scanner at
// it; null is refused.
func (s *scan) array(elem func() bool) bool {
	if !s.byte('[') {
		return false
	}
	if s.byte(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if s.byte(']') {
			return true
		}
		if !s.byte(',') {
			return false
		}
	}
}

func (s *scan) string() (string, bool) {
	b, ok := s.str()
	return string(b), ok
}

// strings reads a []string; null is nil, as in encoding/json.
func (s *scan) strings() ([]string, bool) {
	if s.null() {
		return nil, true
	}
	out := []string{}
	ok := s.array(func() bool {
		v, ok := s.string()
		out = append(out, v)
		return ok
	})
	return out, ok
}

func (s *scan) null() bool {
	s.space()
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// options reads options as Options.UnmarshalJSON does: the defaults, then
// each named option by the same setter.
func (s *scan) options() (Options, bool) {
	o := DefaultOptions()
	ok := s.object(func(k []byte) bool {
		raw, ok := s.scalar()
		return ok && o.set(string(k), raw) == nil
	})
	return o, ok
}

// settings reads settings as Settings.UnmarshalJSON does, and checks them
// as decoding an event does (checkSettings).
func (s *scan) settings() (Settings, bool) {
	out := DefaultSettings()
	ok := s.object(func(k []byte) bool {
		var err error
		switch string(k) {
		case "decks":
			raw, ok := s.scalar()
			if !ok {
				return false
			}
			out.Decks, err = jsonInt("decks", raw, 1, 3, "")
		case "rounds":
			raw, ok := s.scalar()
			if !ok {
				return false
			}
			out.Rounds, err = jsonInt("rounds", raw, 1, 18, "")
		case "options":
			var ok bool
			if out.Options, ok = s.options(); !ok {
				return false
			}
		case "turn_timer":
			raw, ok := s.scalar()
			if !ok {
				return false
			}
			out.TurnTimer, err = jsonTurnTimer(raw)
		default:
			return false
		}
		return err == nil
	})
	return out, ok && out.Validate() == nil
}

// roundEnded reads RoundEnded's data.
func (s *scan) roundEnded() (RoundEnded, bool) {
	var e RoundEnded
	ok := s.object(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "round":
			e.Round, ok = s.int()
		case "reason":
			var r string
			r, ok = s.string()
			e.Reason = RoundEndReason(r)
		case "finisher_id":
			if s.null() {
				return true
			}
			var id string
			id, ok = s.string()
			e.FinisherID = OptionalID(id)
		case "players":
			e.Players, ok = s.roundPlayers()
		case "winners":
			e.Winners, ok = s.strings()
		}
		return ok
	})
	return e, ok
}

func (s *scan) roundPlayers() ([]RoundPlayer, bool) {
	if s.null() {
		return nil, true
	}
	out := make([]RoundPlayer, 0, 6)
	ok := s.array(func() bool {
		var p RoundPlayer
		ok := s.object(func(k []byte) bool {
			var ok bool
			switch string(k) {
			case "player_id":
				p.PlayerID, ok = s.string()
			case "hand":
				n := 0
				ok = s.array(func() bool {
					if n == len(p.Hand) {
						return false
					}
					var ok bool
					p.Hand[n], ok = s.card()
					n++
					return ok
				}) && n == len(p.Hand)
			case "hand_score":
				p.HandScore, ok = s.int()
			case "adjustments":
				if s.null() {
					return true
				}
				p.Adjustments = []Adjustment{}
				ok = s.array(func() bool {
					var a Adjustment
					ok := s.object(func(k []byte) bool {
						var ok bool
						switch string(k) {
						case "rule":
							a.Rule, ok = s.string()
						case "points":
							a.Points, ok = s.int()
						}
						return ok
					})
					p.Adjustments = append(p.Adjustments, a)
					return ok
				})
			case "round_score":
				p.RoundScore, ok = s.int()
			case "total":
				p.Total, ok = s.int()
			case "rounds_won":
				p.RoundsWon, ok = s.int()
			}
			return ok
		})
		out = append(out, p)
		return ok
	})
	return out, ok
}

// gameEnded reads GameEnded's data.
func (s *scan) gameEnded() (GameEnded, bool) {
	var e GameEnded
	ok := s.object(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "player_id":
			e.PlayerID, ok = s.string()
		case "reason":
			var r string
			r, ok = s.string()
			e.Reason = GameEndReason(r)
		case "players":
			if s.null() {
				return true
			}
			e.Players = []GamePlayer{}
			ok = s.array(func() bool {
				var p GamePlayer
				ok := s.object(func(k []byte) bool {
					var ok bool
					switch string(k) {
					case "player_id":
						p.PlayerID, ok = s.string()
					case "total":
						p.Total, ok = s.int()
					case "rounds_won":
						p.RoundsWon, ok = s.int()
					case "departed":
						p.Departed, ok = s.bool()
					}
					return ok
				})
				e.Players = append(e.Players, p)
				return ok
			})
		case "winners":
			e.Winners, ok = s.strings()
		}
		return ok
	})
	return e, ok
}

// lobbyEvent reads the data of the events that set up a game.
func (s *scan) lobbyEvent(typ []byte) (Event, bool) {
	switch string(typ) {
	case "GameCreated":
		var e GameCreated
		ok := s.object(func(k []byte) bool {
			var ok bool
			switch string(k) {
			case "room_code":
				e.RoomCode, ok = s.string()
			case "host_id":
				e.HostID, ok = s.string()
			case "settings":
				e.Settings, ok = s.settings()
			}
			return ok
		})
		// No settings at all is the zero Settings, which checkSettings refuses.
		return e, ok && e.Settings.Rounds != 0
	case "SettingsChanged":
		var e SettingsChanged
		ok := s.object(func(k []byte) bool {
			var ok bool
			switch string(k) {
			case "player_id":
				e.PlayerID, ok = s.string()
			case "settings":
				e.Settings, ok = s.settings()
			}
			return ok
		})
		return e, ok && e.Settings.Rounds != 0
	case "GameStarted":
		var e GameStarted
		ok := s.object(func(k []byte) bool {
			var ok bool
			switch string(k) {
			case "player_id":
				e.PlayerID, ok = s.string()
			case "players":
				e.Players, ok = s.strings()
			case "decks":
				e.Decks, ok = s.int()
			case "rounds":
				e.Rounds, ok = s.int()
			case "options":
				e.Options, ok = s.options()
			}
			return ok
		})
		return e, ok
	case "PlayerJoined":
		var e PlayerJoined
		ok := s.object(func(k []byte) bool {
			var ok bool
			switch string(k) {
			case "player_id":
				e.PlayerID, ok = s.string()
			case "name":
				e.Name, ok = s.string()
			case "cpu":
				e.CPU, ok = s.bool()
			case "cpu_profile":
				e.Profile, ok = s.string()
			case "added_by":
				e.AddedBy, ok = s.string()
			}
			return ok
		})
		return e, ok
	case "PlayerLeft":
		var e PlayerLeft
		ok := s.object(func(k []byte) bool {
			var ok bool
			switch string(k) {
			case "player_id":
				e.PlayerID, ok = s.string()
			case "reason":
				var r string
				r, ok = s.string()
				e.Reason = LeaveReason(r)
			case "held_card":
				e.HeldCard, ok = s.card()
			case "removed_by":
				e.RemovedBy, ok = s.string()
			}
			return ok
		})
		return e, ok
	case "RoundEnded":
		return s.roundEnded()
	case "GameEnded":
		return s.gameEnded()
	}
	return nil, false
}

// decodeFast decodes an event envelope, or reports false for anything it
// leaves to the strict decoder.
func decodeFast(b []byte) (Event, bool) {
	s := &scan{b: b}
	if !s.byte('{') {
		return nil, false
	}
	var typ, guess []byte
	var e Event
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
			if seen&1 != 0 {
				// The type came first (MarshalEvent's order): read the
				// data where it is.
				e, ok = s.data(typ)
				break
			}
			if guess = trailingType(b); guess != nil {
				// PostgreSQL's JSONB writes the type last: read the data
				// as the event the last member names, and check below
				// that it is the type member.
				e, ok = s.data(guess)
				break
			}
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
	if guess != nil && !bytes.Equal(guess, typ) {
		return nil, false
	}
	if e != nil {
		return e, true
	}
	d := &scan{b: b[dataAt:dataEnd]}
	e, ok := d.data(typ)
	if d.space(); !ok || d.i != len(d.b) {
		return nil, false
	}
	return e, true
}

// trailingType returns the value of an envelope's last member if it is
// `"type": "..."` (plain bytes only), else nil: a guess that decodeFast
// checks against the member it reads.
func trailingType(b []byte) []byte {
	i := len(b) - 1
	back := func() {
		for i >= 0 && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
			i--
		}
	}
	back()
	if i < 0 || b[i] != '}' {
		return nil
	}
	i--
	back()
	if i < 0 || b[i] != '"' {
		return nil
	}
	end := i
	i--
	for i >= 0 && plainByte[b[i]] {
		i--
	}
	if i < 0 || b[i] != '"' {
		return nil
	}
	start := i + 1
	i--
	back()
	if i < 0 || b[i] != ':' {
		return nil
	}
	i--
	back()
	if i < 5 || string(b[i-5:i+1]) != `"type"` {
		return nil
	}
	return b[start:end]
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
	fRemoved
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
		allowed = fPlayer | fOn | fRemoved
	case "RoundStarted":
		allowed = fRound | fDealer | fFirst | fSeed | fDiscard | fDeckSize
	default:
		return s.lobbyEvent(typ)
	}
	var (
		player, dealer, first    string
		source                   Source
		card, newCard, old       Card
		discard                  Card
		resh, oldUp, on, removed bool
		pos, round, deckSize     int
		flip                     FlipKind
		positions                []int
		cards                    []Card
		seed                     Seed
		seen                     int
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
		case "removed":
			bit = fRemoved
			removed, ok = s.bool()
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
		return AutoplayChanged{PlayerID: player, On: on, Removed: removed}, true
	case "RoundStarted":
		return RoundStarted{Round: round, DealerID: dealer, FirstPlayerID: first, Seed: seed, Discard: discard, DeckSize: deckSize}, true
	}
	return nil, false
}
