package game

import "testing"

// TestErrorPrecedence checks rules §13: when several errors apply, the
// first of not_a_player → not_host → wrong_phase → not_your_turn →
// rule_disabled → step errors → argument errors → state errors is reported.
func TestErrorPrecedence(t *testing.T) {
	lobbyOf := func(t *testing.T) *State { return lobby(t, 2, DefaultSettings()) }
	initial := func(t *testing.T) *State { return started(t, 2, opts()) }
	turnStart := func(t *testing.T) *State { return playing(t, 2) }
	holding := func(t *testing.T) *State {
		s := playing(t, 2)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		return s
	}
	owing := func(t *testing.T) *State {
		s := playing(t, 2, flipMode(FlipAlways))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, DiscardCmd(pid(1)))
		return s
	}
	roundOver := func(t *testing.T) *State {
		s := playing(t, 2)
		setDeck(s)
		setDiscard(s, card(t, "QH"))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		return s
	}
	badSettings := DefaultSettings()
	badSettings.Rounds = 0
	tests := []struct {
		name  string
		state func(*testing.T) *State
		cmd   Command
		want  Code
	}{
		{"stranger's turn command in the lobby", lobbyOf, DrawCmd("stranger", Source(7)), CodeNotAPlayer},
		{"stranger starts", lobbyOf, StartGameCmd("stranger", testSeed(1)), CodeNotAPlayer},
		{"guest starts after the start", initial, StartGameCmd(pid(1), testSeed(1)), CodeNotHost},
		{"guest changes bad settings after the start", initial, ChangeSettingsCmd(pid(1), badSettings), CodeNotHost},
		{"host changes bad settings after the start", initial, ChangeSettingsCmd(pid(0), badSettings), CodeWrongPhase},
		{"guest adds a CPU after the start", initial, AddCPUCmd(pid(1), "c", "C", "sofia"), CodeNotHost},
		{"guest deals the next round mid-round", turnStart, NextRoundCmd(pid(1), testSeed(2)), CodeNotHost},
		{"join with a bad name after the start", initial, JoinCmd("new", ""), CodeWrongPhase},
		{"seated player joins again after the start", initial, JoinCmd(pid(1), "P1"), CodeWrongPhase},
		{"turn command in initial_flip, not your turn", initial, SwapCmd(pid(0), 9), CodeWrongPhase},
		{"flip_initial while playing", turnStart, FlipInitialCmd(pid(1), 9, 9), CodeWrongPhase},
		{"knock, not your turn, rule off", turnStart, KnockCmd(pid(0)), CodeNotYourTurn},
		{"knock, rule off, while holding", holding, KnockCmd(pid(1)), CodeRuleDisabled},
		{"flip_as_action, rule off, while owing", owing, FlipAsActionCmd(pid(1), 9), CodeRuleDisabled},
		{"draw from nowhere while holding", holding, DrawCmd(pid(1), Source(7)), CodeHoldingCard},
		{"swap at 9 at turn_start", turnStart, SwapCmd(pid(1), 9), CodeNotHolding},
		{"flip at 9 at turn_start", turnStart, FlipCmd(pid(1), 9), CodeNoFlipPending},
		{"swap at 9 while owing", owing, SwapCmd(pid(1), 9), CodeFlipPending},
		{"flip at 9 while owing", owing, FlipCmd(pid(1), 9), CodeInvalidPosition},
		{"bad initial list after flipping", func(t *testing.T) *State {
			s := initial(t)
			mustDo(t, s, FlipInitialCmd(pid(0), 0, 1))
			return s
		}, FlipInitialCmd(pid(0), 7), CodeInvalidPositions},
		{"next round by a stranger", roundOver, NextRoundCmd("stranger", testSeed(2)), CodeNotAPlayer},
		{"draw after the round", roundOver, DrawCmd(pid(1), SourceDeck), CodeWrongPhase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantReject(t, tt.state(t), tt.cmd, tt.want)
		})
	}
}
