package ai

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"golf/game"
)

// presetViews collects the views of n decisions (initial flips left out)
// from four-player games of personalities under a preset.
func presetViews(b testing.TB, preset string, n int) []*game.View {
	o, ok := game.Preset(preset)
	if !ok {
		b.Fatalf("no preset %q", preset)
	}
	return gameViews(b, o, rand.New(rand.NewPCG(42, uint64(len(preset)))), n)
}

// BenchmarkExpertTail times every single expert decision over the views of
// real games and reports the distribution: p50, p99 and the maximum, in
// nanoseconds per decision (docs/ai.md §3.3: p99 under 5 ms on one core). Run it
// with -cpu 1. The standard rules are the common case; all_bonuses and
// everything switch on the evaluator's non-linear rules (bonuses,
// blackjack), the slowest path.
func BenchmarkExpertTail(b *testing.B) {
	for _, preset := range []string{"standard", "all_bonuses", "everything"} {
		b.Run(preset, func(b *testing.B) {
			views := presetViews(b, preset, 4096)
			pl, _ := New("expert")
			r := rand.New(rand.NewPCG(1, 2))
			ns := make([]int64, 0, 1<<16)
			for i := 0; b.Loop(); i++ {
				v := views[i%len(views)]
				t0 := time.Now()
				pl.Decide(v, r)
				ns = append(ns, time.Since(t0).Nanoseconds())
			}
			slices.Sort(ns)
			q := func(f float64) float64 { return float64(ns[min(len(ns)-1, int(f*float64(len(ns))))]) }
			b.ReportMetric(q(0.5), "p50-ns")
			b.ReportMetric(q(0.99), "p99-ns")
			b.ReportMetric(float64(ns[len(ns)-1]), "max-ns")
		})
	}
}
