package game

import (
	"slices"
	"testing"
)

// Rules §15.6: turn flow. Each subtest is one vector; "(constructed)"
// vectors set up grids, piles and steps directly.
func TestTurnFlow(t *testing.T) {
	t.Run("F01", func(t *testing.T) {
		s := lobby(t, 2, Settings{Rounds: 9, Options: opts(noFlips)})
		wantEvents(t, mustDo(t, s, StartGameCmd(pid(0), testSeed(1))), "GameStarted", "RoundStarted")
		if s.phase != PhasePlaying || s.dealer != 0 || s.Current() != 1 || s.step != StepTurnStart {
			t.Errorf("phase %v dealer %d current %d step %v; want playing, 0, 1, turn_start", s.phase, s.dealer, s.Current(), s.step)
		}
	})
	t.Run("F02", func(t *testing.T) {
		s := playing(t, 2)
		top := s.deck[0]
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if s.held != top || s.heldFrom != SourceDeck || s.step != StepHolding {
			t.Errorf("held %v from %v, step %v; want %v from deck, holding", s.held, s.heldFrom, s.step, top)
		}
		wantAccept(t, s, DiscardCmd(pid(1)))
		wantReject(t, s, PutBackCmd(pid(1)), CodeCannotPutBackDeckCard)
	})
	t.Run("F03", func(t *testing.T) {
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
	t.Run("F04", func(t *testing.T) {
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
	t.Run("F05", func(t *testing.T) {
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
	t.Run("F06", func(t *testing.T) {
		s := playing(t, 2)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		wantReject(t, s, DrawCmd(pid(1), SourceDeck), CodeHoldingCard)
		wantReject(t, s, DrawCmd(pid(1), SourceDiscard), CodeHoldingCard)
	})
	t.Run("F07", func(t *testing.T) {
		s := playing(t, 2)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		wantReject(t, s, SwapCmd(pid(1), -1), CodeInvalidPosition)
		wantReject(t, s, SwapCmd(pid(1), 6), CodeInvalidPosition)
		mustDo(t, s, SwapCmd(pid(1), 3))
	})
	t.Run("F08", func(t *testing.T) {
		s := playing(t, 2)
		setDiscard(s)
		wantReject(t, s, DrawCmd(pid(1), SourceDiscard), CodeDiscardEmpty)
	})
	t.Run("F09", func(t *testing.T) {
		s := playing(t, 2)
		var stock Source
		if err := stock.UnmarshalText([]byte("stock")); err != nil {
			t.Fatal(err)
		}
		for _, src := range []Source{stock, SourceNone, Source(9)} {
			wantReject(t, s, DrawCmd(pid(1), src), CodeInvalidSource)
		}
	})
	t.Run("F10", func(t *testing.T) {
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
	t.Run("F11", func(t *testing.T) {
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
	t.Run("F12", func(t *testing.T) {
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
	t.Run("F13", func(t *testing.T) {
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
	t.Run("F14", func(t *testing.T) {
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
	t.Run("F15", func(t *testing.T) {
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
	t.Run("F16", func(t *testing.T) {
		s := started(t, 2, opts())
		mustDo(t, s, FlipInitialCmd(pid(0), 0, 3))
		wantReject(t, s, FlipInitialCmd(pid(0), 1, 2), CodeAlreadyFlipped)
	})
	t.Run("F17", func(t *testing.T) {
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
	t.Run("F18", func(t *testing.T) {
		s := started(t, 2, opts(initialFlips(1)))
		wantReject(t, s, FlipInitialCmd(pid(0)), CodeInvalidPositions)
		wantReject(t, s, FlipInitialCmd(pid(0), 4, 5), CodeInvalidPositions)
		mustDo(t, s, FlipInitialCmd(pid(0), 4))
	})
	t.Run("F19", func(t *testing.T) {
		for _, o := range []Options{opts(), opts(knockEarly, flipAction)} {
			s := started(t, 2, o)
			for _, p := range []int{0, 1} {
				wantReject(t, s, DrawCmd(pid(p), SourceDeck), CodeWrongPhase)
				wantReject(t, s, KnockCmd(pid(p)), CodeWrongPhase)
				wantReject(t, s, FlipAsActionCmd(pid(p), 0), CodeWrongPhase)
			}
		}
	})
	t.Run("F20", func(t *testing.T) {
		s := playing(t, 2)
		down(s, 1, 4, 5)
		wantReject(t, s, KnockCmd(pid(1)), CodeRuleDisabled)
	})
	t.Run("F21", func(t *testing.T) {
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
	t.Run("F22", func(t *testing.T) {
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
	t.Run("F23", func(t *testing.T) {
		s := playing(t, 2, knockEarly)
		down(s, 1, 4, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		wantReject(t, s, KnockCmd(pid(1)), CodeHoldingCard)
	})
	t.Run("F24", func(t *testing.T) {
		s := playing(t, 2, knockEarly)
		for seat := Spectator; seat < 2; seat++ {
			if v := s.View(seat); !slices.Contains(v.Labels, "Early Knock") {
				t.Errorf("seat %d labels %v", seat, v.Labels)
			}
		}
	})
	t.Run("F25", func(t *testing.T) {
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
	t.Run("F26", func(t *testing.T) {
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
	t.Run("F27", func(t *testing.T) {
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
		wantAccept(t, s, DrawCmd(pid(1), SourceDiscard))
		wantAccept(t, s, DrawCmd(pid(1), SourceDeck))
	})
	t.Run("F28", func(t *testing.T) {
		s := playing(t, 3, flipMode(FlipEndgame))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		evs := mustDo(t, s, DiscardCmd(pid(1)))
		if f := evs[0].(CardDiscarded).Flip; f != FlipNone || s.Current() != 2 {
			t.Errorf("flip %v current %d; want none, 2", f, s.Current())
		}
	})
	t.Run("F29", func(t *testing.T) {
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
	t.Run("F30", func(t *testing.T) {
		s := playing(t, 3, flipMode(FlipEndgame))
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if f := mustDo(t, s, DiscardCmd(pid(1)))[0].(CardDiscarded).Flip; f != FlipOptional {
			t.Errorf("flip %v, want optional", f)
		}
	})
	t.Run("F31", func(t *testing.T) {
		s := playing(t, 2, flipMode(FlipAlways))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		if f := mustDo(t, s, DiscardCmd(pid(1)))[0].(CardDiscarded).Flip; f != FlipRequired {
			t.Errorf("flip %v, want required", f)
		}
		wantReject(t, s, SkipFlipCmd(pid(1)), CodeFlipMandatory)
	})
	t.Run("F32", func(t *testing.T) {
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
	t.Run("F33", func(t *testing.T) {
		s := playing(t, 3, flipMode(FlipAlways))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		wantReject(t, s, DrawCmd(pid(2), SourceDeck), CodeNotYourTurn)
	})
	t.Run("F34", func(t *testing.T) {
		for _, m := range []FlipMode{FlipNever, FlipAlways, FlipEndgame} {
			s := playing(t, 2, flipMode(m))
			wantReject(t, s, FlipCmd(pid(1), 0), CodeNoFlipPending)
			wantReject(t, s, SkipFlipCmd(pid(1)), CodeNoFlipPending)
			mustDo(t, s, DrawCmd(pid(1), SourceDeck))
			wantReject(t, s, FlipCmd(pid(1), 0), CodeNoFlipPending)
		}
	})
	t.Run("F35", func(t *testing.T) {
		s := playing(t, 3, flipMode(FlipEndgame))
		down(s, 2, 5)
		wantReject(t, s, SkipFlipCmd(pid(1)), CodeNoFlipPending)
	})
	t.Run("F36", func(t *testing.T) {
		s := playing(t, 3, flipMode(FlipAlways))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		wantEvents(t, mustDo(t, s, SwapCmd(pid(1), 2)), "CardSwapped")
		if s.Current() != 2 || s.step != StepTurnStart || s.flip != FlipNone {
			t.Errorf("current %d step %v flip %v after the swap", s.Current(), s.step, s.flip)
		}
	})
	t.Run("F37", func(t *testing.T) {
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
	t.Run("F38", func(t *testing.T) {
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
	t.Run("F39", func(t *testing.T) {
		s := playing(t, 2, flipAction)
		down(s, 1, 3, 4, 5)
		wantReject(t, s, FlipAsActionCmd(pid(1), 0), CodeCardFaceUp)
		wantEvents(t, mustDo(t, s, FlipAsActionCmd(pid(1), 3)), "FlipAsAction")
		if !isUp(s, 1, 3) || s.Current() != 0 {
			t.Errorf("position 3 up %v, current %d", isUp(s, 1, 3), s.Current())
		}
	})
	t.Run("F40", func(t *testing.T) {
		s := playing(t, 2)
		wantReject(t, s, FlipAsActionCmd(pid(1), 0), CodeRuleDisabled)
	})
	t.Run("F41", func(t *testing.T) {
		s := playing(t, 2, flipAction)
		down(s, 1, 2)
		mustDo(t, s, FlipAsActionCmd(pid(1), 2))
		if s.finisher != 1 || s.phase != PhaseFinalTurn {
			t.Errorf("finisher %d phase %v", s.finisher, s.phase)
		}
	})
	t.Run("F42", func(t *testing.T) {
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
