package ai

import (
	"fmt"

	"golf/game"
)

// GameAnalysis is the blunder analysis (docs/ai.md §5) of one game's log.
type GameAnalysis struct {
	Version int              // AnalysisVersion: the category set the counts come from
	Players []PlayerAnalysis // by seat
}

// PlayerAnalysis is one seat's graded turns.
type PlayerAnalysis struct {
	PlayerID string
	Turns    int                // graded turns
	Blunders int                // graded turns whose class is blunder
	Mistakes int                // graded turns whose class is mistake
	Counts   [NumCategories]int // matches per category; one turn may match several
	Flagged  []FlaggedTurn      // every graded turn that matched a category
}

// Count returns the number of matches of category c.
func (p *PlayerAnalysis) Count(c Category) int {
	if c < 1 || c > NumCategories {
		return 0
	}
	return p.Counts[c-1]
}

// FlaggedTurn is one graded turn that matched at least one category.
type FlaggedTurn struct {
	Round int   // from 1
	Turn  int   // the seat's own turn number in the round, from 1
	Flags Flags // every match, in detail
}

// turnCommand is the command that produced a turn event, and whether the
// event ends the turn; ok is false for events that are not turn actions.
func turnCommand(e game.Event) (c game.Command, ends, ok bool) {
	switch e := e.(type) {
	case game.CardDrawn:
		return game.DrawCmd(e.PlayerID, e.Source), false, true
	case game.DiscardReturned:
		return game.PutBackCmd(e.PlayerID), false, true
	case game.CardSwapped:
		return game.SwapCmd(e.PlayerID, e.Position), true, true
	case game.CardDiscarded:
		return game.DiscardCmd(e.PlayerID), e.Flip == game.FlipNone, true
	case game.CardFlipped:
		return game.FlipCmd(e.PlayerID, e.Position), true, true
	case game.FlipSkipped:
		return game.SkipFlipCmd(e.PlayerID), true, true
	case game.FlipAsAction:
		return game.FlipAsActionCmd(e.PlayerID, e.Position), true, true
	case game.Knocked:
		return game.KnockCmd(e.PlayerID), true, true
	}
	return game.Command{}, false, false
}

// AnalyzeLog grades every turn of a game from its event log (docs/ai.md §5): it
// folds the log, and before each turn action rebuilds the acting seat's
// view and grades the command against it. Initial flips are not graded,
// nor is a turn any of whose commands the platform played for an absent
// player (AutoplayChanged), nor a turn cut short by a departure or the end
// of the game. The log must fold without error; the result is the same
// every time, so a stats projection can recompute it when the category
// set's version changes.
func AnalyzeLog(events []game.Event) (*GameAnalysis, error) {
	var (
		s     game.State
		v     game.View
		gr    Grader
		out   = &GameAnalysis{Version: AnalysisVersion}
		flags [game.MaxPlayers]Flags
		auto  [game.MaxPlayers]bool // the turn in progress had an autoplayed command
		busy  [game.MaxPlayers]bool // a turn is in progress
		turns [game.MaxPlayers]int  // the seat's turns this round
	)
	reset := func(seat int) { flags[seat], auto[seat], busy[seat] = 0, false, false }
	for i, e := range events {
		c, ends, isTurn := turnCommand(e)
		seat := -1
		if isTurn {
			seat = s.Seat(c.By)
			if seat < 0 {
				return nil, fmt.Errorf("analyze: event %d (%s): %q has no seat", i, e.Type(), c.By)
			}
			s.ViewInto(&v, seat)
			flags[seat] |= gr.Grade(&v, c)
			auto[seat] = auto[seat] || s.Autoplay(seat)
			busy[seat] = true
		}
		if err := s.Apply(e); err != nil {
			return nil, fmt.Errorf("analyze: event %d (%s): %w", i, e.Type(), err)
		}
		switch e := e.(type) {
		case game.GameStarted:
			out.Players = make([]PlayerAnalysis, len(e.Players))
			for k, id := range e.Players {
				out.Players[k].PlayerID = id
			}
		case game.RoundStarted:
			for k := range game.MaxPlayers {
				reset(k)
				turns[k] = 0
			}
		case game.PlayerLeft:
			if k := s.Seat(e.PlayerID); k >= 0 {
				reset(k)
			}
		}
		if !ends {
			continue
		}
		turns[seat]++
		if !auto[seat] && seat < len(out.Players) {
			pa := &out.Players[seat]
			pa.Turns++
			f := flags[seat]
			switch f.Class() {
			case Blunder:
				pa.Blunders++
			case Mistake:
				pa.Mistakes++
			}
			if f&^severe != 0 {
				for cat := Category(1); cat <= NumCategories; cat++ {
					if f.Has(cat) {
						pa.Counts[cat-1]++
					}
				}
				pa.Flagged = append(pa.Flagged, FlaggedTurn{Round: s.Round(), Turn: turns[seat], Flags: f})
			}
		}
		reset(seat)
	}
	return out, nil
}
