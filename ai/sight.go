package ai

import "golf/game"

// sight is what a player's table was read from at the start of its turn:
// every part of the view that load and dials read. The view of the same
// turn after the player's own draw differs from it only by the draw, so
// follows can recognise it and the table is updated for the drawn card
// instead of read again (docs/ai.md §2.1 counts the same cards either way).
// Nothing is assumed: every field compared here is one the table was
// built from, so a view that differs anywhere else is read afresh.
type sight struct {
	discard               []game.Card // first: its only pointer (see player)
	ok                    bool
	seat, n, round, turns int
	rounds                int
	phase                 game.Phase
	cards                 [game.MaxPlayers][6]game.Slot
	left, owed            [game.MaxPlayers]bool
	totals                [game.MaxPlayers]int
}

// save remembers what a turn-start table was read from.
func (s *sight) save(v *game.View) {
	s.ok = true
	s.seat, s.n, s.round, s.rounds, s.phase = v.Seat, len(v.Seats), v.Round, v.Rounds, v.Phase
	s.turns = v.Seats[v.Seat].Turns
	for i := range v.Seats {
		sv := &v.Seats[i]
		s.cards[i], s.left[i], s.owed[i], s.totals[i] = sv.Cards, sv.Left, sv.Owed, sv.Total
	}
	s.discard = append(s.discard[:0], v.Discard...)
}

// follows reports whether v is the view s was saved from after the seat's
// own draw: the same table in every part a table is read from, but for the
// card now held, which came from the deck or off the top of the pile.
func (s *sight) follows(v *game.View) bool {
	if !s.ok || v.Seat != s.seat || len(v.Seats) != s.n || v.Round != s.round || v.Rounds != s.rounds ||
		v.Phase != s.phase || v.Step != game.StepHolding || v.Held == nil || v.Held.Seat != v.Seat ||
		v.Held.Card.IsZero() || v.Seats[v.Seat].Turns != s.turns {
		return false
	}
	for i := range v.Seats {
		sv := &v.Seats[i]
		if sv.Cards != s.cards[i] || sv.Left != s.left[i] || sv.Owed != s.owed[i] || sv.Total != s.totals[i] {
			return false
		}
	}
	switch v.Held.From {
	case game.SourceDeck:
		return sameCards(v.Discard, s.discard)
	case game.SourceDiscard:
		n := len(s.discard) - 1
		return n == len(v.Discard) && v.Held.Card == s.discard[n] && sameCards(v.Discard, s.discard[:n])
	}
	return false
}

// sameCards is slices.Equal for cards, eight at a time: compared as arrays,
// a block is one memory comparison.
func sameCards(a, b []game.Card) bool {
	if len(a) != len(b) {
		return false
	}
	for len(a) >= 8 {
		if [8]game.Card(a[:8]) != [8]game.Card(b[:8]) {
			return false
		}
		a, b = a[8:], b[8:]
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
