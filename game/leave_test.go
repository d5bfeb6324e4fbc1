package game

import (
	"slices"
	"testing"
)

// Rules §15.9: leaving (§10).
func TestLeaving(t *testing.T) {
	t.Run("the last flipper leaving starts play", func(t *testing.T) { // L01
		s := started(t, 3, opts())
		mustDo(t, s, FlipInitialCmd(pid(0), 0, 3))
		mustDo(t, s, FlipInitialCmd(pid(1), 1, 4))
		wantEvents(t, mustDo(t, s, LeaveCmd(pid(2))), "PlayerLeft")
		if s.phase != PhasePlaying || s.Current() != 1 || s.step != StepTurnStart {
			t.Errorf("phase %v current %d; want playing, 1", s.phase, s.Current())
		}
	})
	t.Run("the first player leaving passes the start on", func(t *testing.T) { // L01
		// §10 step 4: the first player leaving passes the start to the next seat.
		s := started(t, 3, opts())
		mustDo(t, s, FlipInitialCmd(pid(0), 0, 3))
		mustDo(t, s, FlipInitialCmd(pid(2), 0, 3))
		mustDo(t, s, LeaveCmd(pid(1)))
		if s.phase != PhasePlaying || s.Current() != 2 {
			t.Errorf("phase %v current %d; want playing, 2", s.phase, s.Current())
		}
	})
	t.Run("a leaver's held card goes on the pile", func(t *testing.T) { // L02
		s := playing(t, 3)
		h8 := card(t, "8H")
		setDeck(s, h8, card(t, "2C"))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		evs := mustDo(t, s, LeaveCmd(pid(1)))
		wantEvents(t, evs, "PlayerLeft")
		if l := evs[0].(PlayerLeft); l.HeldCard != h8 || l.Reason != ReasonLeft {
			t.Errorf("PlayerLeft %+v, want held_card 8H", l)
		}
		if discardTop(s) != h8 || !s.held.IsZero() || s.Current() != 2 || s.step != StepTurnStart {
			t.Errorf("discard top %v held %v current %d step %v; want 8H, none, 2, turn_start",
				discardTop(s), s.held, s.Current(), s.step)
		}
		for _, seat := range []int{0, 2, Spectator} {
			if v := s.View(seat); v.DiscardTop() != h8 {
				t.Errorf("seat %d does not see 8H on the discard pile", seat)
			}
		}
	})
	t.Run("a leaver's owed flip is dropped", func(t *testing.T) { // L03
		s := playing(t, 3, flipMode(FlipAlways))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		if s.step != StepFlipOwed {
			t.Fatalf("step %v, want flip_owed", s.step)
		}
		evs := mustDo(t, s, RemovePlayerCmd(Platform, pid(1), ReasonTimedOut))
		if l := evs[0].(PlayerLeft); !l.HeldCard.IsZero() || l.Reason != ReasonTimedOut || l.RemovedBy != Platform {
			t.Errorf("PlayerLeft %+v", l)
		}
		if s.Current() != 2 || s.step != StepTurnStart || s.flip != FlipNone {
			t.Errorf("current %d step %v flip %v; want 2, turn_start, none", s.Current(), s.step, s.flip)
		}
	})
	t.Run("the finisher leaving: the others still take final turns", func(t *testing.T) { // L04
		s := playing(t, 3, knockPenalty, knockBonus)
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, SwapCmd(pid(1), 5))
		wantEvents(t, mustDo(t, s, LeaveCmd(pid(1))), "PlayerLeft")
		if s.phase != PhaseFinalTurn || s.Current() != 2 {
			t.Fatalf("phase %v current %d after the finisher left", s.phase, s.Current())
		}
		mustDo(t, s, DrawCmd(pid(2), SourceDeck))
		wantEvents(t, mustDo(t, s, DiscardCmd(pid(2))), "CardDiscarded")
		mustDo(t, s, DrawCmd(pid(0), SourceDeck))
		evs := mustDo(t, s, DiscardCmd(pid(0)))
		wantEvents(t, evs, "CardDiscarded", "RoundEnded")
		re := evs[1].(RoundEnded)
		if re.Reason != ReasonWentOut || re.FinisherID != "" || len(re.Players) != 2 ||
			re.Players[0].PlayerID != pid(0) || re.Players[1].PlayerID != pid(2) {
			t.Fatalf("RoundEnded %+v, want went_out, no finisher, s0 and s2 scored", re)
		}
		for _, r := range re.Players {
			if len(r.Adjustments) != 0 {
				t.Errorf("%s gets adjustments %v", r.PlayerID, r.Adjustments)
			}
		}
	})
	t.Run("the last player owed a final turn leaving ends the round", func(t *testing.T) { // L05
		s := playing(t, 3)
		down(s, 0, 5) // s0 goes out; s1 and then s2 are owed final turns
		s.current = 0
		mustDo(t, s, DrawCmd(pid(0), SourceDeck))
		mustDo(t, s, SwapCmd(pid(0), 5))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		if s.Current() != 2 || !slices.Equal(owedSeats(s), []int{2}) {
			t.Fatalf("current %d owed %v; want s2 last", s.Current(), owedSeats(s))
		}
		evs := mustDo(t, s, LeaveCmd(pid(2)))
		wantEvents(t, evs, "PlayerLeft", "RoundEnded")
		if re := evs[1].(RoundEnded); re.Reason != ReasonWentOut || len(re.Players) != 2 {
			t.Errorf("RoundEnded %+v", re)
		}
		if s.phase != PhaseRoundOver {
			t.Errorf("phase %v", s.phase)
		}
	})
	t.Run("dealer and first player skip a leaver", func(t *testing.T) { // L06
		set := DefaultSettings()
		set.Options = opts(noFlips)
		s := lobby(t, 4, set)
		mustDo(t, s, StartGameCmd(pid(0), testSeed(1)))
		mustDo(t, s, LeaveCmd(pid(1)))
		var got [][2]int
		for round := 2; round <= 3; round++ {
			setDeck(s)
			setDiscard(s, card(t, "QH"))
			mustDo(t, s, DrawCmd(pid(s.Current()), SourceDeck))
			rs := mustDo(t, s, NextRoundCmd(pid(0), testSeed(uint64(round))))[0].(RoundStarted)
			got = append(got, [2]int{s.Seat(rs.DealerID), s.Seat(rs.FirstPlayerID)})
		}
		if want := [][2]int{{2, 3}, {3, 0}}; !slices.Equal(got, want) {
			t.Errorf("(dealer, first) in rounds 2 and 3: %v, want %v", got, want)
		}
		if s.players[1].up != 0 || s.players[1].hand != ([6]Card{}) {
			t.Error("the leaver was dealt into a later round")
		}
	})
	t.Run("a player leaving mid-round abandons a two-player game", func(t *testing.T) { // L07
		// As G04: two players mid-round, one leaves, the game is abandoned.
		s := playing(t, 2)
		evs := mustDo(t, s, LeaveCmd(pid(1)))
		wantEvents(t, evs, "PlayerLeft", "GameEnded")
		if g := evs[1].(GameEnded); g.Reason != ReasonAbandoned || len(g.Winners) != 0 {
			t.Errorf("GameEnded %+v", g)
		}
	})
	t.Run("the host leaving passes the host to the next human", func(t *testing.T) { // L08
		s := lobby(t, 1, DefaultSettings())
		mustDo(t, s, AddCPUCmd(pid(0), "cpu1", "Sofia", "sofia"))
		mustDo(t, s, JoinCmd(pid(2), "P2"))
		mustDo(t, s, LeaveCmd(pid(0)))
		if s.host < 0 || s.players[s.host].id != pid(2) {
			t.Errorf("host is seat %d, want p2", s.host)
		}
		// The CPU is never host, and a host-only command now needs p2.
		wantReject(t, s, AddCPUCmd("cpu1", "cpu2", "Maya", "maya"), CodeNotHost)
		mustDo(t, s, AddCPUCmd(pid(2), "cpu2", "Maya", "maya"))
	})
	t.Run("the host leaving after the start", func(t *testing.T) { // L08
		s := lobby(t, 1, DefaultSettings())
		mustDo(t, s, AddCPUCmd(pid(0), "cpu1", "Sofia", "sofia"))
		mustDo(t, s, JoinCmd(pid(2), "P2"))
		mustDo(t, s, StartGameCmd(pid(0), testSeed(1)))
		mustDo(t, s, LeaveCmd(pid(0)))
		if s.host != 2 {
			t.Errorf("host is seat %d, want 2 (p2): the CPU at seat 1 is skipped", s.host)
		}
	})
}
