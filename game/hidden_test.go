package game

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// viewers are every seat of an n-player game and a spectator.
func viewers(n int) []int {
	out := []int{Spectator}
	for i := range n {
		out = append(out, i)
	}
	return out
}

// viewJSON encodes seat's view of s.
func viewJSON(t *testing.T, s *State, seat int) []byte {
	t.Helper()
	v := s.View(seat)
	b, err := json.Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cardJSON is a card's wire encoding, to search views for it.
func cardBytes(c Card) []byte { b, _ := c.MarshalJSON(); return b }

// Rules §15.8: hidden information.
func TestHiddenInformation(t *testing.T) {
	t.Run("own face-down card shows only its back", func(t *testing.T) { // H01
		s := playing(t, 3)
		c := s.players[1].hand[0]
		sl := s.View(1).Seats[1].Cards[0]
		if sl.Up || !sl.Card.IsZero() || sl.Back != c.Deck {
			t.Errorf("s1 sees its own face-down card as %+v", sl)
		}
		b, _ := json.Marshal(sl)
		if bytes.Contains(b, []byte("rank")) || bytes.Contains(b, []byte("suit")) {
			t.Errorf("face-down slot encodes as %s", b)
		}
	})
	t.Run("others see only the back of a face-down card", func(t *testing.T) { // H02
		s := playing(t, 3)
		for _, seat := range []int{0, Spectator} {
			if sl := s.View(seat).Seats[1].Cards[0]; sl.Up || !sl.Card.IsZero() {
				t.Errorf("seat %d sees s1's face-down card as %+v", seat, sl)
			}
		}
	})
	t.Run("a deck draw is shown to the drawer alone", func(t *testing.T) { // H03
		s := playing(t, 3)
		h8 := card(t, "8H")
		setDeck(s, h8, card(t, "2C"))
		setDiscard(s, card(t, "QC"))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if h := s.View(1).Held; h == nil || h.Card != h8 || h.From != SourceDeck {
			t.Errorf("the drawer sees the held card as %+v", h)
		}
		for _, seat := range []int{0, 2, Spectator} {
			h := s.View(seat).Held
			if h == nil || !h.Card.IsZero() || h.From != SourceDeck || h.Seat != 1 || h.Back != h8.Deck {
				t.Errorf("seat %d sees the held card as %+v, want only that s1 holds a deck card", seat, h)
			}
			if bytes.Contains(viewJSON(t, s, seat), cardBytes(h8)) {
				t.Errorf("seat %d's view names 8H", seat)
			}
		}
	})
	t.Run("a pile draw is shown to everyone", func(t *testing.T) { // H04
		s := playing(t, 3)
		qs := card(t, "QS")
		setDiscard(s, qs)
		mustDo(t, s, DrawCmd(pid(1), SourceDiscard))
		for _, seat := range viewers(3) {
			if h := s.View(seat).Held; h == nil || h.Card != qs || h.From != SourceDiscard {
				t.Errorf("seat %d sees the held card as %+v, want QS", seat, h)
			}
		}
	})
	t.Run("a swap shows both cards to everyone", func(t *testing.T) { // H05
		s := playing(t, 3)
		h8, c4 := card(t, "8H"), card(t, "4C")
		setDeck(s, h8, card(t, "2C"))
		s.players[1].hand[2] = c4
		s.players[1].refreshSlots(&s.settings.Options)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, SwapCmd(pid(1), 2))
		for _, seat := range viewers(3) {
			v := s.View(seat)
			if sl := v.Seats[1].Cards[2]; !sl.Up || sl.Card != h8 || v.DiscardTop() != c4 {
				t.Errorf("seat %d sees s1/2 as %+v and discard top %v; want 8H and 4C", seat, sl, v.DiscardTop())
			}
		}
	})
	t.Run("a discard shows the card to everyone", func(t *testing.T) { // H06
		s := playing(t, 3)
		h8 := card(t, "8H")
		setDeck(s, h8, card(t, "2C"))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		for _, seat := range viewers(3) {
			if v := s.View(seat); v.DiscardTop() != h8 || v.Held != nil {
				t.Errorf("seat %d sees discard top %v held %+v", seat, v.DiscardTop(), v.Held)
			}
		}
	})
	t.Run("the last final turn shows the whole hand", func(t *testing.T) { // H07
		s := playing(t, 3)
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, SwapCmd(pid(1), 5))
		mustDo(t, s, DrawCmd(pid(2), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(2)))
		for _, seat := range viewers(3) {
			sv := s.View(seat).Seats[2]
			for pos, sl := range sv.Cards {
				if !sl.Up || sl.Card != s.players[2].hand[pos] {
					t.Errorf("seat %d sees s2/%d as %+v after s2's final turn", seat, pos, sl)
				}
			}
		}
		// s0 is still owed its final turn: its cards stay hidden.
		if s.View(1).Seats[0].Cards[0].Up {
			t.Error("s0's cards are revealed before its final turn")
		}
	})
	t.Run("round end shows every hand but not the deck", func(t *testing.T) { // H08
		s := playing(t, 3)
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, SwapCmd(pid(1), 5))
		for _, p := range []int{2, 0} {
			mustDo(t, s, DrawCmd(pid(p), SourceDeck))
			mustDo(t, s, DiscardCmd(pid(p)))
		}
		if s.phase != PhaseRoundOver || len(s.deck) == 0 {
			t.Fatalf("phase %v, deck %d", s.phase, len(s.deck))
		}
		for _, seat := range viewers(3) {
			v := s.View(seat)
			for p, sv := range v.Seats {
				for pos, sl := range sv.Cards {
					if !sl.Up || sl.Card != s.players[p].hand[pos] {
						t.Errorf("seat %d sees s%d/%d as %+v after the round", seat, p, pos, sl)
					}
				}
			}
			b := viewJSON(t, s, seat)
			for _, c := range s.deck { // one deck: no deck card is anywhere else
				if bytes.Contains(b, cardBytes(c)) {
					t.Fatalf("seat %d's view names undrawn deck card %v", seat, c)
				}
			}
		}
	})
	t.Run("a spectator sees what a player sees", func(t *testing.T) { // H09
		// checkViews compares every seat's view with the spectator's at
		// every step, allowing only the viewer's own deck draw to differ.
		for gi := range 20 {
			g := &randomGame{t: t, r: rand.New(rand.NewPCG(uint64(gi), 9)), live: new(State), leaves: true}
			g.setup()
			for g.step() {
				checkViews(t, g.live, true, new(View))
			}
		}
	})
	t.Run("no seed, deck order or unrevealed card anywhere", func(t *testing.T) { // H10
		// Views (checkViews), feed events (checkFeed) and rejections name no
		// secret: no seed, no deck card, no face-down card.
		for gi := range 20 {
			g := &randomGame{t: t, r: rand.New(rand.NewPCG(uint64(gi), 10)), live: new(State), leaves: true, garbage: 0.3}
			g.onEvents = func(c Command, evs []Event) { checkFeed(t, g.live, evs) }
			g.onReject = func(c Command, s *State, err error) { checkReply(t, s, err) }
			g.setup()
			for g.step() {
				checkViews(t, g.live, true, new(View))
			}
		}
	})
}

// checkReply checks that a rejection names no card and not the seed.
func checkReply(t *testing.T, s *State, err error) {
	t.Helper()
	msg := err.Error()
	seedHex, _ := s.seed.MarshalText()
	if strings.Contains(msg, string(seedHex)) || strings.Contains(msg, "rank") {
		t.Fatalf("rejection %q names a secret", msg)
	}
	for i := range s.n {
		for _, c := range s.players[i].hand {
			if !c.IsZero() && strings.Contains(msg, " "+c.String()) {
				t.Fatalf("rejection %q names card %v", msg, c)
			}
		}
	}
}
