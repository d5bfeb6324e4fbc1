package ai

import (
	"math"
	"math/rand/v2"
	"time"
)

// delayStep is the kind of command a thinking delay comes before (docs/ai.md §4).
type delayStep uint8

const (
	stepInitial      delayStep = iota // FlipInitial
	stepTurnStart                     // Draw, Knock, FlipAsAction
	stepAfterDeck                     // Swap or Discard after Draw(deck)
	stepAfterDiscard                  // Swap after Draw(discard)
	stepPutBack                       // PutBack
	stepFlip                          // Flip or SkipFlip
)

// difficulty is how hard a decision was by the AI's own evaluation.
type difficulty uint8

const (
	easy difficulty = iota
	normal
	hard
)

// span is a range of milliseconds a delay is drawn from uniformly.
type span struct{ lo, hi float64 }

// delays is the table of docs/ai.md §4: per step, per difficulty.
var delays = [...][3]span{
	stepInitial:      {{400, 1000}, {400, 1000}, {400, 1000}},
	stepTurnStart:    {{600, 900}, {800, 1300}, {1200, 2000}},
	stepAfterDeck:    {{1300, 1600}, {1500, 1900}, {1800, 2600}},
	stepAfterDiscard: {{500, 800}, {700, 1000}, {900, 1400}},
	stepPutBack:      {{600, 900}, {600, 900}, {600, 900}},
	stepFlip:         {{400, 700}, {400, 700}, {400, 700}},
}

var (
	revealPause = span{500, 800} // the last event turned up a face-down card
	lastChance  = span{300, 600} // the first command of a final turn
)

// maxDelay caps every delay (docs/ai.md §4).
const maxDelay = 4000 * time.Millisecond

func draw(rnd *rand.Rand, s span) float64 { return s.lo + rnd.Float64()*(s.hi-s.lo) }

// thinkingMillis is the milliseconds of docs/ai.md §4 before a pace multiplies
// them: the step's time for the decision's difficulty, plus a pause after a
// reveal and the last-chance time at the start of a final turn.
func thinkingMillis(rnd *rand.Rand, st delayStep, cls difficulty, revealed, final bool) float64 {
	ms := draw(rnd, delays[st][cls])
	if st == stepTurnStart {
		if revealed {
			ms += draw(rnd, revealPause)
		}
		if final {
			ms += draw(rnd, lastChance)
		}
	}
	return ms
}

// class is the difficulty of the decision just made: easy when the chosen
// move beats the next best by 3 points or more, hard within 1 point or when
// the decision was whether to finish or knock, normal otherwise. Sage gives
// nothing away: his finishing and knocking decisions are easy.
func (m *mind) class() difficulty {
	if m.close {
		if m.p.pace.noTell {
			return easy
		}
		return hard
	}
	switch {
	case m.margin >= 3 || math.IsNaN(m.margin):
		return easy
	case m.margin <= 1:
		return hard
	}
	return normal
}

// delay is how long a person would think before the command just chosen
// (docs/ai.md §4), drawn from the decision's random source only.
func (m *mind) delay(st delayStep) time.Duration {
	ms := thinkingMillis(m.rnd, st, m.class(), m.v.Revealed, m.final)
	pc := m.p.pace
	mult := pc.mult
	if pc.erratic {
		mult = draw(m.rnd, span{pc.minM, pc.maxM})
	}
	return min(time.Duration(ms*mult*float64(time.Millisecond)), maxDelay)
}
