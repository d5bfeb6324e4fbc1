package ai

import (
	"math/rand/v2"
	"testing"
	"time"

	"golf/game"
)

// TestDelayTable checks docs/ai.md §4: each step's range by difficulty, the
// additions, the personality multipliers and the cap.
func TestDelayTable(t *testing.T) {
	ms := func(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }
	tests := []struct {
		name     string
		id       string
		st       delayStep
		margin   float64
		close    bool
		revealed bool
		final    bool
		lo, hi   float64 // before the multiplier
	}{
		{"easy draw", "marcus", stepTurnStart, 4, false, false, false, 600, 900},
		{"normal draw", "marcus", stepTurnStart, 2, false, false, false, 800, 1300},
		{"hard draw", "marcus", stepTurnStart, 0.5, false, false, false, 1200, 2000},
		{"knock decision", "marcus", stepTurnStart, 5, true, false, false, 1200, 2000},
		{"Sage's knock gives nothing away", "sage", stepTurnStart, 0.1, true, false, false, 600, 900},
		{"after a reveal", "marcus", stepTurnStart, 4, false, true, false, 1100, 1700},
		{"last chance", "marcus", stepTurnStart, 4, false, false, true, 900, 1500},
		{"both additions", "marcus", stepTurnStart, 0, false, true, true, 2000, 3400},
		{"deck placement, easy", "marcus", stepAfterDeck, 3, false, false, false, 1300, 1600},
		{"deck placement, hard", "marcus", stepAfterDeck, 1, false, false, false, 1800, 2600},
		{"discard placement", "marcus", stepAfterDiscard, 2, false, false, false, 700, 1000},
		{"put back", "marcus", stepPutBack, 0, false, false, false, 600, 900},
		{"flip", "marcus", stepFlip, 0, false, false, false, 400, 700},
		{"initial flip", "marcus", stepInitial, 0, false, false, false, 400, 1000},
		{"Sofia is slow", "sofia", stepAfterDeck, 2, false, false, false, 1500, 1900},
		{"Maya is quick", "maya", stepAfterDeck, 2, false, false, false, 1500, 1900},
	}
	r := rand.New(rand.NewPCG(1, 1))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := personalityNamed(tc.id)
			m := &mind{p: p, rnd: r, margin: tc.margin, close: tc.close}
			m.v = &game.View{Revealed: tc.revealed}
			m.final = tc.final
			mult := p.pace.mult
			lo, hi := ms(tc.lo*mult), min(ms(tc.hi*mult), maxDelay)
			seenLo, seenHi := maxDelay, time.Duration(0)
			for range 2000 {
				d := m.delay(tc.st)
				if d < lo || d > hi {
					t.Fatalf("delay %v outside %v–%v", d, lo, hi)
				}
				seenLo, seenHi = min(seenLo, d), max(seenHi, d)
			}
			// Uniform draws fill the range.
			if span := hi - lo; seenLo > lo+span/10 || seenHi < hi-span/10 {
				t.Errorf("delays %v–%v do not fill %v–%v", seenLo, seenHi, lo, hi)
			}
		})
	}
}

// TestDelayErraticAndCapped checks Diego's fresh multiplier per step and the
// 4,000 ms cap.
func TestDelayErraticAndCapped(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	diego := personalityNamed("diego")
	m := &mind{p: diego, rnd: r, margin: 0.5}
	m.v, m.final = &game.View{Revealed: true}, true
	capped := 0
	lo, hi := maxDelay, time.Duration(0)
	for range 5000 {
		d := m.delay(stepTurnStart) // 2000–3400 ms before the multiplier 0.6–1.4
		if d > maxDelay {
			t.Fatalf("delay %v over the cap", d)
		}
		if d == maxDelay {
			capped++
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if capped == 0 || lo > 1400*time.Millisecond {
		t.Errorf("erratic pace: %d capped, shortest %v", capped, lo)
	}
	// Slow Sofia's hardest deck turn is capped too: 2,600 × 1.25 > 4,000.
	m = &mind{p: personalityNamed("sofia"), rnd: r}
	m.v = &game.View{}
	for range 1000 {
		if d := m.delay(stepAfterDeck); d > maxDelay {
			t.Fatalf("delay %v over the cap", d)
		}
	}
}

// TestDelaysInPlay checks that every delay in real play is within the table.
func TestDelaysInPlay(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for range 30 {
		m := newMatch(t, r, randomSettings(r), lineup(r, 4, "diego")...)
		m.onDecision = func(seat int, v *game.View, c game.Command) {}
		m.play() // decide checks 0 ≤ delay ≤ 4 s
	}
	pl, _ := New("sage")
	sp := spot{opts: std(), hands: []string{"[? ? ? | ? ? ?]", "[? ? ? | ? ? ?]"}, discard: "5"}
	d := pl.Decide(sp.view(t), r)
	if d.Delay < 540*time.Millisecond || d.Delay > 1800*time.Millisecond {
		t.Errorf("Sage's first draw waits %v", d.Delay)
	}
}
