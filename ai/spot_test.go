package ai

import (
	"strings"
	"testing"

	"golf/game"
)

// spot describes a position as ai.md writes it, for building a seat's view
// directly: hands like "[9 ? 4 | ? K 6]" (seat 0 is the viewer), the discard
// pile bottom first, and the card the viewer holds.
type spot struct {
	opts    game.Options
	decks   int      // default 1
	hands   []string // by seat; "" for a seat that left
	discard string
	held    string      // the viewer's held card, if any
	from    game.Source // where it came from (default deck)
	phase   game.Phase  // default playing
	step    game.Step   // default: holding if held, else turn_start
	flip    game.FlipKind
	turns   int   // the viewer's finished turns this round
	owed    []int // seats still owed a final turn (phase final_turn)
	totals  []int // by seat
	round   int   // default 1
	rounds  int   // default 1
}

// cardsOf parses "Q ? 4" into cards; a rank without a suit gets a suit not
// yet used for that rank, so repeated ranks are distinct cards (a second
// deck after four).
func (u *suits) cardsOf(t testing.TB, s string) []game.Card {
	t.Helper()
	var out []game.Card
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '|' || r == '[' || r == ']' }) {
		if f == "?" {
			out = append(out, game.NoCard)
			continue
		}
		out = append(out, u.card(t, f))
	}
	return out
}

// suits hands out distinct physical cards for ranks written without a suit.
type suits map[string]int

func (u *suits) card(t testing.TB, f string) game.Card {
	t.Helper()
	if f == "JK" || len(f) == 2 {
		c, err := game.ParseCard(f)
		if err != nil {
			t.Fatal(err)
		}
		if *u == nil {
			*u = suits{}
		}
		k := (*u)[f]
		(*u)[f]++
		c.Deck = uint8(k)
		return c
	}
	if *u == nil {
		*u = suits{}
	}
	k := (*u)[f]
	(*u)[f]++
	c, err := game.ParseCard(f + string("SHDC"[k%4]))
	if err != nil {
		t.Fatal(err)
	}
	c.Deck = uint8(k / 4)
	return c
}

// view builds the viewer's (seat 0's) view of the spot.
func (sp spot) view(t testing.TB) *game.View {
	t.Helper()
	var u suits
	v := &game.View{
		Seat: 0, Phase: sp.phase, Step: sp.step, Round: max(sp.round, 1), Rounds: max(sp.rounds, 1),
		Decks: max(sp.decks, 1), Options: sp.opts, Host: 0, Dealer: len(sp.hands) - 1, First: 0,
		Current: 0, Finisher: -1, DeckBack: 0, Flip: sp.flip, DeckSize: 10,
	}
	if v.Phase == 0 {
		v.Phase = game.PhasePlaying
	}
	if sp.held != "" && sp.step == 0 {
		v.Step = game.StepHolding
	}
	for i, hs := range sp.hands {
		sv := game.SeatView{ID: "s" + string(rune('0'+i)), Name: "P", CPU: i > 0}
		if i < len(sp.totals) {
			sv.Total = sp.totals[i]
		}
		if hs == "" {
			sv.Left = true
			v.Seats = append(v.Seats, sv)
			continue
		}
		cs := u.cardsOf(t, hs)
		if len(cs) != 6 {
			t.Fatalf("hand %q: want 6 cards", hs)
		}
		for p, c := range cs {
			if c.IsZero() {
				sv.FaceDown++
				continue
			}
			sv.Cards[p] = game.Slot{Up: true, Card: c, Back: c.Deck}
		}
		if i == 0 {
			sv.Turns = sp.turns
		}
		v.Seats = append(v.Seats, sv)
	}
	if v.Phase == game.PhaseFinalTurn {
		v.Finisher = -1
		for _, o := range sp.owed {
			v.Seats[o].Owed = true
		}
		for i := range v.Seats {
			if i != 0 && !v.Seats[i].Owed && v.Finisher < 0 && v.Seats[i].FaceDown == 0 {
				v.Finisher = i
			}
		}
	}
	v.Discard = u.cardsOf(t, sp.discard)
	if sp.held != "" {
		from := sp.from
		if from == game.SourceNone {
			from = game.SourceDeck
		}
		c := u.card(t, sp.held)
		v.Held = &game.HeldView{Seat: 0, From: from, Card: c, Back: c.Deck}
	}
	return v
}

// std is the standard options with changes applied.
func std(change ...func(*game.Options)) game.Options {
	o := game.DefaultOptions()
	for _, c := range change {
		c(&o)
	}
	return o
}
