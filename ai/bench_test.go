package ai

import (
	"math/rand/v2"
	"slices"
	"testing"

	"golf/game"
)

// cloneView deep-copies a view so it outlives the match that filled it.
func cloneView(v *game.View) *game.View {
	c := *v
	c.Seats = slices.Clone(v.Seats)
	c.Discard = slices.Clone(v.Discard)
	c.Labels = slices.Clone(v.Labels)
	if v.Held != nil {
		h := *v.Held
		c.Held = &h
	}
	return &c
}

// decisionViews collects the views of n decisions (initial flips left out)
// from four-player games of personalities under standard rules.
func decisionViews(b testing.TB, n int) []*game.View {
	return gameViews(b, game.DefaultOptions(), rand.New(rand.NewPCG(42, 42)), n)
}

// gameViews collects the views of n decisions (initial flips left out) from
// one-round four-player games of personalities under options o.
func gameViews(b testing.TB, o game.Options, r *rand.Rand, n int) []*game.View {
	var views []*game.View
	for len(views) < n {
		set := game.Settings{Rounds: 1, Options: o}
		m := newMatch(b, r, set, lineup(r, 4, "marcus")...)
		m.onDecision = func(_ int, v *game.View, c game.Command) {
			if c.Kind != game.CmdFlipInitial && len(views) < n {
				views = append(views, cloneView(v))
			}
		}
		m.play()
	}
	return views
}

// BenchmarkDecide measures one decision of each personality over the
// decisions of real games (every seat's view, so every step of a turn).
func BenchmarkDecide(b *testing.B) {
	views := decisionViews(b, 4096)
	for _, p := range append(Personalities(), ExpertProfile()) {
		b.Run(p.ID, func(b *testing.B) {
			pl, _ := New(p.ID)
			r := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				v := views[i%len(views)]
				// Decide only for the seat to act; the views are theirs.
				pl.Decide(v, r)
			}
		})
	}
}

// BenchmarkGrade measures the §5 grading of one command, as the simulator
// grades every command.
func BenchmarkGrade(b *testing.B) {
	views := decisionViews(b, 4096)
	cmds := make([]game.Command, len(views))
	pl, _ := New("marcus")
	r := rand.New(rand.NewPCG(3, 4))
	for i, v := range views {
		cmds[i] = pl.Decide(v, r).Command
	}
	var gr Grader
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		gr.Grade(views[i%len(views)], cmds[i%len(cmds)])
	}
}
