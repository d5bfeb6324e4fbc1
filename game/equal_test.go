package game

import (
	"reflect"
	"slices"
	"testing"
)

// The property tests compare whole states after every event and views
// after every step, millions of times. reflect.DeepEqual made them too slow
// under the race detector; these typed comparisons do the same job, and
// TestEqualityCoversEveryField keeps them complete.

// equalState reports whether two states are the same game state.
func equalState(a, b *State) bool {
	return a.roomCode == b.roomCode && a.host == b.host && a.settings == b.settings && a.phase == b.phase &&
		a.players == b.players && a.n == b.n &&
		a.round == b.round && a.dealer == b.dealer && a.first == b.first && a.current == b.current &&
		a.step == b.step && a.held == b.held && a.heldFrom == b.heldFrom && a.flip == b.flip && a.finisher == b.finisher &&
		a.revealed == b.revealed && a.returned == b.returned && a.seed == b.seed && a.reshuffles == b.reshuffles &&
		slices.Equal(a.deck, b.deck) && slices.Equal(a.discard, b.discard) &&
		a.seen == b.seen && a.pool == b.pool &&
		equalPtr(a.lastRound, b.lastRound, sameRound) && equalPtr(a.result, b.result, sameGame) &&
		slices.EqualFunc(a.scores[:], b.scores[:], slices.Equal)
}

// equalView reports whether two views show the same.
func equalView(a, b *View) bool {
	return a.Seat == b.Seat && a.Phase == b.Phase && a.Step == b.Step && a.RoomCode == b.RoomCode &&
		a.Round == b.Round && a.Rounds == b.Rounds && a.Decks == b.Decks && a.Options == b.Options &&
		slices.Equal(a.Labels, b.Labels) && a.TurnTimer == b.TurnTimer &&
		a.Host == b.Host && a.Dealer == b.Dealer && a.First == b.First && a.Current == b.Current && a.Finisher == b.Finisher &&
		slices.Equal(a.Seats, b.Seats) && a.DeckSize == b.DeckSize && a.DeckBack == b.DeckBack &&
		slices.Equal(a.Discard, b.Discard) &&
		equalPtr(a.Held, b.Held, func(x, y *HeldView) bool { return *x == *y }) &&
		a.Flip == b.Flip && a.Reshuffles == b.Reshuffles && a.Revealed == b.Revealed && a.PutBack == b.PutBack &&
		equalPtr(a.LastRound, b.LastRound, sameRound) && equalPtr(a.Result, b.Result, sameGame) &&
		a.Seen == b.Seen && a.Pool == b.Pool && slices.EqualFunc(a.Scores, b.Scores, slices.Equal)
}

func equalPtr[T any](a, b *T, eq func(a, b *T) bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a == b || eq(a, b)
}

func sameGame(a, b *GameEnded) bool {
	return a.PlayerID == b.PlayerID && a.Reason == b.Reason && slices.Equal(a.Players, b.Players) && slices.Equal(a.Winners, b.Winners)
}

// TestEqualityCoversEveryField fails when State, View or an event compared
// by sameRound and sameGame gains a field, until the comparison above (or
// sameRound in apply.go) covers it.
func TestEqualityCoversEveryField(t *testing.T) {
	for _, tt := range []struct {
		v      any
		fields int
	}{
		{State{}, 26}, {View{}, 29}, {player{}, 16}, {SeatView{}, 15}, {HeldView{}, 4},
		{RoundEnded{}, 5}, {RoundPlayer{}, 7}, {GameEnded{}, 4},
	} {
		if n := reflect.TypeOf(tt.v).NumField(); n != tt.fields {
			t.Errorf("%T has %d fields, the comparisons know %d: compare the new ones and update this test", tt.v, n, tt.fields)
		}
	}
	// And the comparisons see a difference in each kind of field.
	s := playing(t, 3)
	for _, change := range []func(*State){
		func(s *State) { s.players[2].hand[5].Deck++; s.players[2].refreshSlots(&s.settings.Options) },
		func(s *State) { s.deck = s.deck[1:] },
		func(s *State) { s.discard = append(slices.Clip(s.discard), NoCard) },
		func(s *State) { s.seen.Add(Card{Ace, Spades, 1}) },
		func(s *State) { s.lastRound = &RoundEnded{} },
		func(s *State) { s.settings.Options.Wolfpack = true },
		func(s *State) { s.seed[31]++ },
		func(s *State) { s.revealed = !s.revealed },
		func(s *State) { s.returned = !s.returned },
		func(s *State) { s.players[1].turns++ },
	} {
		c := clone(s)
		change(c)
		if equalState(s, c) || !equalState(s, clone(s)) {
			t.Error("equalState misses a change")
		}
		v, w := s.View(0), c.View(0)
		if c.lastRound == nil && c.seed == s.seed && equalView(&v, &w) {
			t.Error("equalView misses a change")
		}
	}
}
