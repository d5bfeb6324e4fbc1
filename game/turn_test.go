package game

import (
	"slices"
	"testing"
)

// Rules §15.6: turn flow. Each subtest is one vector; "(constructed)"
// vectors set up grids, piles and steps directly.
func TestTurnFlow(t *testing.T) {
	t.Run("the player left of the dealer starts", func(t *testing.T) { // F01
		s := lobby(t, 2, Settings{Rounds: 9, Options: opts(noFlips)})
		wantEvents(t, mustDo(t, s, StartGameCmd(pid(0), testSeed(1))), "GameStarted", "RoundStarted")
		if s.phase != PhasePlaying || s.dealer != 0 || s.Current() != 1 || s.step != StepTurnStart {
			t.Errorf("phase %v dealer %d current %d step %v; want playing, 0, 1, turn_start", s.phase, s.dealer, s.Current(), s.step)
		}
	})
	t.Run("a deck card may be discarded, not put back", func(t *testing.T) { // F02
		s := playing(t, 2)
		top := s.deck[0]
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if s.held != top || s.heldFrom != SourceDeck || s.step != StepHolding {
			t.Errorf("held %v from %v, step %v; want %v from deck, holding", s.held, s.heldFrom, s.step, top)
		}
		wantAccept(t, s, DiscardCmd(pid(1)))
		wantReject(t, s, PutBackCmd(pid(1)), CodeCannotPutBackDeckCard)
	})
	t.Run("a pile card must be swapped in", func(t *testing.T) { // F03
		s := playing(t, 2)
		x := discardTop(s)
		mustDo(t, s, DrawCmd(pid(1), SourceDiscard))
		if s.held != x || s.heldFrom != SourceDiscard || len(s.discard) != 0 {
			t.Errorf("held %v from %v, discard pile %v; want %v and an empty pile", s.held, s.heldFrom, s.discard, x)
		}
		wantReject(t, s, DiscardCmd(pid(1)), CodeCannotDiscardFromDiscard)
		old := s.players[1].hand[0]
		mustDo(t, s, SwapCmd(pid(1), 0))
		if s.players[1].hand[0] != x || !isUp(s, 1, 0) || discardTop(s) != old || s.Current() != 0 {
			t.Errorf("after Swap(0): position 0 %v (up %v), discard top %v, current %d; want %v, up, %v, 0",
				s.players[1].hand[0], isUp(s, 1, 0), discardTop(s), s.Current(), x, old)
		}
	})
	t.Run("a swap lays the held card face-up", func(t *testing.T) { // F04
		s := playing(t, 2)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		held, old := s.held, s.players[1].hand[0]
		if isUp(s, 1, 0) {
			t.Fatal("position 0 is face-up before the swap")
		}
		evs := mustDo(t, s, SwapCmd(pid(1), 0))
		if sw := evs[0].(CardSwapped); sw.OldWasFaceUp || sw.NewCard != held || sw.OldCard != old {
			t.Errorf("CardSwapped %+v", sw)
		}
		if s.players[1].hand[0] != held || !isUp(s, 1, 0) || discardTop(s) != old {
			t.Errorf("position 0 %v, discard top %v; want %v face-up and %v", s.players[1].hand[0], discardTop(s), held, old)
		}
	})
	t.Run("the dealer does not start; turns go round", func(t *testing.T) { // F05
		s := playing(t, 3)
		wantReject(t, s, DrawCmd(pid(0), SourceDeck), CodeNotYourTurn)
		for _, want := range []int{1, 2, 0, 1, 2, 0} {
			if s.Current() != want {
				t.Fatalf("current %d, want %d", s.Current(), want)
			}
			for other := range 3 {
				if other != want {
					wantReject(t, s, DrawCmd(pid(other), SourceDeck), CodeNotYourTurn)
				}
			}
			mustDo(t, s, DrawCmd(pid(want), SourceDeck))
			mustDo(t, s, DiscardCmd(pid(want)))
		}
	})
	t.Run("no second draw while holding", func(t *testing.T) { // F06
		s := playing(t, 2)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		wantReject(t, s, DrawCmd(pid(1), SourceDeck), CodeHoldingCard)
		wantReject(t, s, DrawCmd(pid(1), SourceDiscard), CodeHoldingCard)
	})
	t.Run("swap positions are 0 to 5", func(t *testing.T) { // F07
		s := playing(t, 2)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		wantReject(t, s, SwapCmd(pid(1), -1), CodeInvalidPosition)
		wantReject(t, s, SwapCmd(pid(1), 6), CodeInvalidPosition)
		mustDo(t, s, SwapCmd(pid(1), 3))
	})
	t.Run("no draw from an empty pile", func(t *testing.T) { // F08
		s := playing(t, 2)
		setDiscard(s)
		wantReject(t, s, DrawCmd(pid(1), SourceDiscard), CodeDiscardEmpty)
	})
	t.Run("unknown draw sources", func(t *testing.T) { // F09
		s := playing(t, 2)
		var stock Source
		if err := stock.UnmarshalText([]byte("stock")); err != nil {
			t.Fatal(err)
		}
		for _, src := range []Source{stock, SourceNone, Source(9)} {
			wantReject(t, s, DrawCmd(pid(1), src), CodeInvalidSource)
		}
	})
	t.Run("the last card face-up starts the final turns", func(t *testing.T) { // F10
		s := playing(t, 3)
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if s.finisher != -1 {
			t.Errorf("finisher %d before the swap", s.finisher)
		}
		mustDo(t, s, SwapCmd(pid(1), 5))
		if s.finisher != 1 || s.phase != PhaseFinalTurn || s.Current() != 2 {
			t.Errorf("finisher %d phase %v current %d; want 1, final_turn, 2", s.finisher, s.phase, s.Current())
		}
		if owed := owedSeats(s); !slices.Equal(owed, []int{0, 2}) {
			t.Errorf("owed final turns %v, want [0 2]", owed)
		}
	})
	t.Run("the final turns end the round", func(t *testing.T) { // F11
		s := playing(t, 2)
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, SwapCmd(pid(1), 5))
		if s.phase != PhaseFinalTurn || s.Current() != 0 {
			t.Fatalf("phase %v current %d; want final_turn, 0", s.phase, s.Current())
		}
		mustDo(t, s, DrawCmd(pid(0), SourceDeck))
		evs := mustDo(t, s, DiscardCmd(pid(0)))
		wantEvents(t, evs, "CardDiscarded", "RoundEnded")
		if re := evs[1].(RoundEnded); re.Reason != ReasonWentOut || re.FinisherID != OptionalID(pid(1)) {
			t.Errorf("RoundEnded reason %s finisher %q", re.Reason, re.FinisherID)
		}
		for i := range 2 {
			if s.players[i].up != allUp {
				t.Errorf("s%d's cards are not all face-up", i)
			}
		}
	})
	t.Run("the next round deals afresh", func(t *testing.T) { // F12
		for _, flips := range []int{2, 0} {
			s := started(t, 2, opts(initialFlips(flips)))
			s.phase, s.current = PhasePlaying, 1
			setDeck(s)
			setDiscard(s, card(t, "QH"))
			old := s.hands()
			wantEvents(t, mustDo(t, s, DrawCmd(pid(1), SourceDeck)), "RoundEnded")
			evs := mustDo(t, s, NextRoundCmd(pid(0), testSeed(2)))
			wantEvents(t, evs, "RoundStarted")
			wantPhase := PhaseInitialFlip
			if flips == 0 {
				wantPhase = PhasePlaying
			}
			if s.round != 2 || s.dealer != 1 || s.first != 0 || s.phase != wantPhase {
				t.Errorf("initial_flips=%d: round %d dealer %d first %d phase %v", flips, s.round, s.dealer, s.first, s.phase)
			}
			if s.hands() == old || s.players[0].up != 0 || s.players[1].up != 0 {
				t.Errorf("initial_flips=%d: hands not dealt anew face-down", flips)
			}
		}
	})
	t.Run("three rounds move the dealer, then the game ends", func(t *testing.T) { // F13
		set := DefaultSettings()
		set.Rounds = 3
		s := lobby(t, 3, set)
		var deals [][2]int
		var last []Event
		record := func(evs []Event) {
			last = evs
			for _, e := range evs {
				if rs, ok := e.(RoundStarted); ok {
					deals = append(deals, [2]int{s.Seat(rs.DealerID), s.Seat(rs.FirstPlayerID)})
				}
			}
		}
		record(mustDo(t, s, StartGameCmd(pid(0), testSeed(13))))
		for step := 0; s.phase != PhaseGameOver; step++ {
			if step > 1000 {
				t.Fatal("the game did not end")
			}
			switch s.phase {
			case PhaseInitialFlip:
				for i := range 3 {
					mustDo(t, s, FlipInitialCmd(pid(i), 0, 3))
				}
			case PhaseRoundOver:
				record(mustDo(t, s, NextRoundCmd(pid(0), testSeed(uint64(13+s.round)))))
			default:
				p := s.Current()
				mustDo(t, s, DrawCmd(pid(p), SourceDeck))
				pos := 0
				for pos < 5 && isUp(s, p, pos) {
					pos++
				}
				record(mustDo(t, s, SwapCmd(pid(p), pos)))
			}
		}
		if want := [][2]int{{0, 1}, {1, 2}, {2, 0}}; !slices.Equal(deals, want) {
			t.Errorf("(dealer, first) by round %v, want %v", deals, want)
		}
		if n := len(last); n < 2 || last[n-2].Type() != "RoundEnded" || last[n-1].Type() != "GameEnded" {
			t.Errorf("the last command gave %v, want … RoundEnded, GameEnded", typesOf(last))
		}
		wantReject(t, s, NextRoundCmd(pid(0), testSeed(99)), CodeWrongPhase)
	})
	t.Run("initial flips are seen by everyone", func(t *testing.T) { // F14
		s := started(t, 2, opts())
		wantReject(t, s, FlipInitialCmd(pid(0), 0), CodeInvalidPositions)
		mustDo(t, s, FlipInitialCmd(pid(0), 0, 3))
		for seat := Spectator; seat < 2; seat++ {
			v := s.View(seat)
			for _, pos := range []int{0, 3} {
				if sl := v.Seats[0].Cards[pos]; !sl.Up || sl.Card != s.players[0].hand[pos] {
					t.Errorf("seat %d sees s0's position %d as %+v", seat, pos, sl)
				}
			}
		}
	})
	t.Run("play starts when everyone has flipped", func(t *testing.T) { // F15
		s := started(t, 2, opts())
		mustDo(t, s, FlipInitialCmd(pid(0), 0, 3))
		if s.phase != PhaseInitialFlip {
			t.Errorf("phase %v after s0's flips", s.phase)
		}
		mustDo(t, s, FlipInitialCmd(pid(1), 1, 4))
		if s.phase != PhasePlaying || s.Current() != 1 || s.step != StepTurnStart {
			t.Errorf("phase %v current %d after both flips; want playing, 1", s.phase, s.Current())
		}
	})
	t.Run("initial flips only once", func(t *testing.T) { // F16
		s := started(t, 2, opts())
		mustDo(t, s, FlipInitialCmd(pid(0), 0, 3))
		wantReject(t, s, FlipInitialCmd(pid(0), 1, 2), CodeAlreadyFlipped)
	})
	t.Run("initial flips need distinct positions 0 to 5", func(t *testing.T) { // F17
		s := started(t, 2, opts())
		wantReject(t, s, FlipInitialCmd(pid(0), 1, 1), CodeInvalidPositions)
		wantReject(t, s, FlipInitialCmd(pid(0), 2, 9), CodeInvalidPositions)
		if isUp(s, 0, 2) {
			t.Error("card 2 turned up by a rejected list")
		}
		wantReject(t, s, FlipInitialCmd(pid(0), -1, 2), CodeInvalidPositions)
		mustDo(t, s, FlipInitialCmd(pid(0), 2, 3))
		if s.players[0].up != 1<<2|1<<3 {
			t.Errorf("face-up mask %06b", s.players[0].up)
		}
	})
	t.Run("initial flips need exactly the number set", func(t *testing.T) { // F18
		s := started(t, 2, opts(initialFlips(1)))
		wantReject(t, s, FlipInitialCmd(pid(0)), CodeInvalidPositions)
		wantReject(t, s, FlipInitialCmd(pid(0), 4, 5), CodeInvalidPositions)
		mustDo(t, s, FlipInitialCmd(pid(0), 4))
	})
	t.Run("no turn actions during the initial flip", func(t *testing.T) { // F19
		for _, o := range []Options{opts(), opts(knockEarly, flipAction)} {
			s := started(t, 2, o)
			for _, p := range []int{0, 1} {
				wantReject(t, s, DrawCmd(pid(p), SourceDeck), CodeWrongPhase)
				wantReject(t, s, KnockCmd(pid(p)), CodeWrongPhase)
				wantReject(t, s, FlipAsActionCmd(pid(p), 0), CodeWrongPhase)
			}
		}
	})
	t.Run("no knock unless knock_early is on", func(t *testing.T) { // F20
		s := playing(t, 2)
		down(s, 1, 4, 5)
		wantReject(t, s, KnockCmd(pid(1)), CodeRuleDisabled)
	})
	t.Run("a knock needs one or two face-down cards", func(t *testing.T) { // F21
		for _, tt := range []struct {
			down []int
			want Code
		}{
			{[]int{4, 5}, ""},
			{[]int{3, 4, 5}, CodeKnockNotAllowed},
			{[]int{5}, ""},
			{nil, CodeKnockNotAllowed}, // 0 face-down (constructed)
		} {
			s := playing(t, 2, knockEarly)
			down(s, 1, tt.down...)
			if tt.want != "" {
				wantReject(t, s, KnockCmd(pid(1)), tt.want)
			} else {
				mustDo(t, s, KnockCmd(pid(1)))
			}
		}
	})
	t.Run("a knock goes out; the others take final turns", func(t *testing.T) { // F22
		s := playing(t, 3, knockEarly)
		down(s, 1, 1, 4)
		h := s.players[1].hand
		evs := mustDo(t, s, KnockCmd(pid(1)))
		k := evs[0].(Knocked)
		if !slices.Equal(k.Positions, []int{1, 4}) || !slices.Equal(k.Cards, []Card{h[1], h[4]}) {
			t.Errorf("Knocked %+v, want positions [1 4] cards %v %v", k, h[1], h[4])
		}
		if s.finisher != 1 || s.phase != PhaseFinalTurn || s.Current() != 2 {
			t.Errorf("finisher %d phase %v current %d; want 1, final_turn, 2", s.finisher, s.phase, s.Current())
		}
		mustDo(t, s, DrawCmd(pid(2), SourceDeck))
		wantEvents(t, mustDo(t, s, DiscardCmd(pid(2))), "CardDiscarded")
		if s.Current() != 0 {
			t.Fatalf("current %d after s2's final turn, want 0", s.Current())
		}
		mustDo(t, s, DrawCmd(pid(0), SourceDeck))
		wantEvents(t, mustDo(t, s, DiscardCmd(pid(0))), "CardDiscarded", "RoundEnded")
	})
	t.Run("no knock while holding", func(t *testing.T) { // F23
		s := playing(t, 2, knockEarly)
		down(s, 1, 4, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		wantReject(t, s, KnockCmd(pid(1)), CodeHoldingCard)
	})
	t.Run("knock_early shows in the rule labels", func(t *testing.T) { // F24
		s := playing(t, 2, knockEarly)
		for seat := Spectator; seat < 2; seat++ {
			if v := s.View(seat); !slices.Contains(v.Labels, "Early Knock") {
				t.Errorf("seat %d labels %v", seat, v.Labels)
			}
		}
	})
	t.Run("an empty deck and a one-card pile end the round", func(t *testing.T) { // F25
		for _, rounds := range []int{9, 1} {
			s := playing(t, 2)
			s.settings.Rounds = rounds
			setDeck(s)
			setDiscard(s, card(t, "QH"))
			evs := mustDo(t, s, DrawCmd(pid(1), SourceDeck))
			want, phase := []string{"RoundEnded"}, PhaseRoundOver
			if rounds == 1 {
				want, phase = []string{"RoundEnded", "GameEnded"}, PhaseGameOver
			}
			wantEvents(t, evs, want...)
			if re := evs[0].(RoundEnded); re.Reason != ReasonDeckExhausted || re.FinisherID != "" {
				t.Errorf("RoundEnded reason %s finisher %q", re.Reason, re.FinisherID)
			}
			if s.phase != phase || !s.held.IsZero() || !slices.Equal(s.discard, cards(t, "QH")) {
				t.Errorf("rounds=%d: phase %v held %v discard %v", rounds, s.phase, s.held, s.discard)
			}
		}
	})
	t.Run("an empty deck is refilled from the pile under its top", func(t *testing.T) { // F26
		s := playing(t, 2)
		setDeck(s)
		setDiscard(s, cards(t, "5S 6S 7S")...)
		evs := mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		d := evs[0].(CardDrawn)
		if !d.Reshuffled || d.Source != SourceDeck {
			t.Errorf("CardDrawn %+v, want reshuffled from the deck", d)
		}
		five, six := card(t, "5S"), card(t, "6S")
		if !slices.Equal(s.discard, cards(t, "7S")) || len(s.deck) != 1 ||
			!((s.held == five && s.deck[0] == six) || (s.held == six && s.deck[0] == five)) {
			t.Errorf("discard %v, held %v, deck %v; want [7S], and 5S and 6S between hand and deck", s.discard, s.held, s.deck)
		}
		if s.reshuffles != 1 {
			t.Errorf("reshuffle count %d", s.reshuffles)
		}
	})
	t.Run("a pile card may be put back, and not taken again that turn", func(t *testing.T) { // F27
		s := playing(t, 2)
		x := discardTop(s)
		mustDo(t, s, DrawCmd(pid(1), SourceDiscard))
		evs := mustDo(t, s, PutBackCmd(pid(1)))
		if r := evs[0].(DiscardReturned); r.Card != x {
			t.Errorf("DiscardReturned %v, want %v", r.Card, x)
		}
		if discardTop(s) != x || s.Current() != 1 || s.step != StepTurnStart {
			t.Errorf("discard top %v current %d step %v", discardTop(s), s.Current(), s.step)
		}
		if v := s.View(1); !v.PutBack || slices.ContainsFunc(v.Moves(nil), func(c Command) bool { return c.Kind == CmdDraw && c.Source == SourceDiscard }) {
			t.Errorf("view after put back: put_back %v, moves %v; want the pile closed", v.PutBack, v.Moves(nil))
		}
		wantReject(t, s, DrawCmd(pid(1), SourceDiscard), CodeDiscardPutBack)
		wantAccept(t, s, DrawCmd(pid(1), SourceDeck))
		// The next turn may take from the pile again.
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		if s.Current() != 0 || s.View(0).PutBack {
			t.Fatalf("next turn: current %d, put_back %v", s.Current(), s.View(0).PutBack)
		}
		wantAccept(t, s, DrawCmd(pid(0), SourceDiscard))
	})
	t.Run("endgame flip: none while everyone has two face-down", func(t *testing.T) { // F28
		s := playing(t, 3, flipMode(FlipEndgame))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		evs := mustDo(t, s, DiscardCmd(pid(1)))
		if f := evs[0].(CardDiscarded).Flip; f != FlipNone || s.Current() != 2 {
			t.Errorf("flip %v current %d; want none, 2", f, s.Current())
		}
	})
	t.Run("endgame flip: optional once someone has one face-down", func(t *testing.T) { // F29
		s := playing(t, 3, flipMode(FlipEndgame))
		down(s, 2, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		evs := mustDo(t, s, DiscardCmd(pid(1)))
		if f := evs[0].(CardDiscarded).Flip; f != FlipOptional || s.step != StepFlipOwed || s.Current() != 1 {
			t.Fatalf("flip %v step %v current %d; want optional, flip_owed, 1", f, s.step, s.Current())
		}
		wantAccept(t, s, FlipCmd(pid(1), 0))
		wantEvents(t, mustDo(t, s, SkipFlipCmd(pid(1))), "FlipSkipped")
		if s.Current() != 2 || s.step != StepTurnStart {
			t.Errorf("current %d step %v after the skip", s.Current(), s.step)
		}
	})
	t.Run("endgame flip: optional when the discarder has one face-down", func(t *testing.T) { // F30
		s := playing(t, 3, flipMode(FlipEndgame))
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if f := mustDo(t, s, DiscardCmd(pid(1)))[0].(CardDiscarded).Flip; f != FlipOptional {
			t.Errorf("flip %v, want optional", f)
		}
	})
	t.Run("flip always: required and not skippable", func(t *testing.T) { // F31
		s := playing(t, 2, flipMode(FlipAlways))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if f := mustDo(t, s, DiscardCmd(pid(1)))[0].(CardDiscarded).Flip; f != FlipRequired {
			t.Errorf("flip %v, want required", f)
		}
		wantReject(t, s, SkipFlipCmd(pid(1)), CodeFlipMandatory)
	})
	t.Run("an owed flip comes before anything else", func(t *testing.T) { // F32
		s := playing(t, 3, flipMode(FlipAlways), flipAction, knockEarly)
		down(s, 1, 4, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		for _, c := range []Command{
			DrawCmd(pid(1), SourceDeck), DrawCmd(pid(1), SourceDiscard), FlipAsActionCmd(pid(1), 4),
			KnockCmd(pid(1)), SwapCmd(pid(1), 0),
		} {
			wantReject(t, s, c, CodeFlipPending)
		}
		wantReject(t, s, FlipCmd(pid(1), 0), CodeCardFaceUp)
		wantReject(t, s, FlipCmd(pid(1), 7), CodeInvalidPosition)
		wantEvents(t, mustDo(t, s, FlipCmd(pid(1), 4)), "CardFlipped")
		if s.Current() != 2 || !isUp(s, 1, 4) {
			t.Errorf("current %d after the flip", s.Current())
		}
	})
	t.Run("the others wait for an owed flip", func(t *testing.T) { // F33
		s := playing(t, 3, flipMode(FlipAlways))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		wantReject(t, s, DrawCmd(pid(2), SourceDeck), CodeNotYourTurn)
	})
	t.Run("no free flips without flip_as_action", func(t *testing.T) { // F34
		for _, m := range []FlipMode{FlipNever, FlipAlways, FlipEndgame} {
			s := playing(t, 2, flipMode(m))
			wantReject(t, s, FlipCmd(pid(1), 0), CodeNoFlipPending)
			wantReject(t, s, SkipFlipCmd(pid(1)), CodeNoFlipPending)
			mustDo(t, s, DrawCmd(pid(1), SourceDeck))
			wantReject(t, s, FlipCmd(pid(1), 0), CodeNoFlipPending)
		}
	})
	t.Run("skipping a flip is no way to pass", func(t *testing.T) { // F35
		s := playing(t, 3, flipMode(FlipEndgame))
		down(s, 2, 5)
		wantReject(t, s, SkipFlipCmd(pid(1)), CodeNoFlipPending)
	})
	t.Run("flip always: a swap owes no flip", func(t *testing.T) { // F36
		s := playing(t, 3, flipMode(FlipAlways))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		wantEvents(t, mustDo(t, s, SwapCmd(pid(1), 2)), "CardSwapped")
		if s.Current() != 2 || s.step != StepTurnStart || s.flip != FlipNone {
			t.Errorf("current %d step %v flip %v after the swap", s.Current(), s.step, s.flip)
		}
	})
	t.Run("flip always: flipping the last card goes out", func(t *testing.T) { // F37
		s := playing(t, 3, flipMode(FlipAlways))
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		mustDo(t, s, FlipCmd(pid(1), 5))
		if s.finisher != 1 || s.phase != PhaseFinalTurn || s.Current() != 2 {
			t.Fatalf("finisher %d phase %v current %d; want 1, final_turn, 2", s.finisher, s.phase, s.Current())
		}
		mustDo(t, s, DrawCmd(pid(2), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(2)))
		mustDo(t, s, FlipCmd(pid(2), 0))
		if s.players[2].up != allUp || s.Current() != 0 {
			t.Fatalf("s2's grid %06b, current %d; want all face-up, 0", s.players[2].up, s.Current())
		}
		mustDo(t, s, DrawCmd(pid(0), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(0)))
		wantEvents(t, mustDo(t, s, FlipCmd(pid(0), 0)), "CardFlipped", "RoundEnded")
	})
	t.Run("flip always: nothing to flip, nothing owed", func(t *testing.T) { // F38
		s := playing(t, 3, flipMode(FlipAlways))
		down(s, 1) // no face-down card (constructed)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if f := mustDo(t, s, DiscardCmd(pid(1)))[0].(CardDiscarded).Flip; f != FlipNone {
			t.Errorf("flip %v, want none", f)
		}
		if s.Current() != 2 || s.step != StepTurnStart {
			t.Errorf("current %d step %v: the turn did not end", s.Current(), s.step)
		}
	})
	t.Run("flip as action: face-down cards only", func(t *testing.T) { // F39
		s := playing(t, 2, flipAction)
		down(s, 1, 3, 4, 5)
		wantReject(t, s, FlipAsActionCmd(pid(1), 0), CodeCardFaceUp)
		wantEvents(t, mustDo(t, s, FlipAsActionCmd(pid(1), 3)), "FlipAsAction")
		if !isUp(s, 1, 3) || s.Current() != 0 {
			t.Errorf("position 3 up %v, current %d", isUp(s, 1, 3), s.Current())
		}
	})
	t.Run("no flip as action unless it is on", func(t *testing.T) { // F40
		s := playing(t, 2)
		wantReject(t, s, FlipAsActionCmd(pid(1), 0), CodeRuleDisabled)
	})
	t.Run("flip as action on the last card goes out", func(t *testing.T) { // F41
		s := playing(t, 2, flipAction)
		down(s, 1, 2)
		mustDo(t, s, FlipAsActionCmd(pid(1), 2))
		if s.finisher != 1 || s.phase != PhaseFinalTurn {
			t.Errorf("finisher %d phase %v", s.finisher, s.phase)
		}
	})
	t.Run("knocks and flips as actions through the final turns", func(t *testing.T) { // F42
		s := playing(t, 3, knockEarly, flipAction)
		down(s, 1, 0, 3)
		down(s, 0, 5)
		mustDo(t, s, KnockCmd(pid(1)))
		if s.phase != PhaseFinalTurn || s.finisher != 1 {
			t.Fatalf("phase %v finisher %d", s.phase, s.finisher)
		}
		mustDo(t, s, FlipAsActionCmd(pid(2), 0))
		if s.players[2].up != allUp {
			t.Errorf("s2's grid %06b after its final turn", s.players[2].up)
		}
		wantEvents(t, mustDo(t, s, KnockCmd(pid(0))), "Knocked", "RoundEnded")
	})
}

// owedSeats lists the seats still owed a final turn.
func owedSeats(s *State) []int {
	var out []int
	for i := range s.n {
		if s.players[i].owed {
			out = append(out, i)
		}
	}
	return out
}
