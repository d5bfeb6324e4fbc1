package ai

import (
	"math"
	"testing"

	"golf/game"
)

// enumMean is E[round score] of a grid whose face-down slots are filled
// from pool without replacement in every possible way, scored by the
// engine (HandScore, then blackjack's 21 → 0).
func enumMean(o *game.Options, grid [6]game.Card, pool []game.Card) float64 {
	var slots []int
	for p, c := range grid {
		if c.IsZero() {
			slots = append(slots, p)
		}
	}
	used := make([]bool, len(pool))
	sum, count := 0.0, 0
	var rec func(i int)
	rec = func(i int) {
		if i == len(slots) {
			s := o.HandScore(&grid)
			if o.Blackjack && s == 21 {
				s = 0
			}
			sum += float64(s)
			count++
			return
		}
		for j, c := range pool {
			if used[j] {
				continue
			}
			used[j] = true
			grid[slots[i]] = c
			rec(i + 1)
			used[j] = false
		}
		grid[slots[i]] = game.NoCard
	}
	rec(0)
	return sum / float64(count)
}

func mustCards(t *testing.T, names ...string) []game.Card {
	t.Helper()
	out := make([]game.Card, len(names))
	for i, s := range names {
		if s == "?" {
			continue
		}
		c, err := game.ParseCard(s)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = c
	}
	return out
}

// TestExpertMeanMatchesEngine enumerates small pools and compares the
// evaluator's E[hand score | H] with the engine's scorer. Where the
// evaluator is exact (the column sum, whatever the pool; every rule when one
// column holds all the face-down cards) it must agree to rounding; where it
// treats columns as independent it must stay close.
func TestExpertMeanMatchesEngine(t *testing.T) {
	opts := func(f func(*game.Options)) game.Options {
		o := game.DefaultOptions()
		if f != nil {
			f(&o)
		}
		return o
	}
	cases := []struct {
		name  string
		o     game.Options
		grid  []string // top row then bottom row, ? face-down
		pool  []string
		exact bool
		tol   float64
	}{
		{"one down", opts(nil), []string{"5S", "KD", "9H", "?", "KC", "2D"},
			[]string{"5D", "QS", "2C", "7H", "AS"}, true, 0},
		{"column sum, many down", opts(nil), []string{"5S", "?", "9H", "?", "?", "2D"},
			[]string{"5D", "QS", "2C", "7H", "AS", "9C", "KH"}, true, 0},
		{"all down", opts(func(o *game.Options) { o.Jokers = game.JokersStandard }),
			[]string{"?", "?", "?", "?", "?", "?"},
			[]string{"5D", "5S", "JK", "7H", "JK", "9C", "KH", "7C"}, true, 0},
		{"negative pairs keep value", opts(func(o *game.Options) {
			o.NegativePairsKeepValue, o.SuperKings, o.Jokers = true, true, game.JokersStandard
		}), []string{"2S", "?", "KH", "?", "?", "QD"},
			[]string{"2D", "KS", "JK", "3H", "KC", "QC"}, true, 0},
		{"eagle eye", opts(func(o *game.Options) { o.Jokers = game.JokersEagleEye }),
			[]string{"JK", "4S", "9H", "?", "?", "9D"},
			[]string{"JK", "4D", "JK", "3H", "5C"}, true, 0},
		{"one-eyed jacks", opts(func(o *game.Options) { o.OneEyedJacks, o.TenPenny = true, true }),
			[]string{"JH", "TS", "9H", "?", "?", "9D"},
			[]string{"JC", "JS", "TD", "3H", "5C"}, true, 0},
		{"blackjack, one column", opts(func(o *game.Options) { o.Blackjack = true }),
			[]string{"9S", "?", "QH", "8D", "?", "AD"},
			[]string{"2D", "3S", "KC", "QS", "AH", "9H", "8C"}, true, 0},
		{"wolfpack, one column", opts(func(o *game.Options) { o.Wolfpack = true }),
			[]string{"JS", "?", "4H", "JD", "JC", "7D"},
			[]string{"JH", "3S", "KC", "QS"}, true, 0},
		{"four of a kind, one column", opts(func(o *game.Options) { o.FourOfAKind = true }),
			[]string{"5S", "?", "?", "5D", "8C", "7D"},
			[]string{"5H", "5C", "8S", "QS", "7C", "AH"}, true, 0},
		{"four of a kind, two columns", opts(func(o *game.Options) { o.FourOfAKind = true }),
			[]string{"5S", "5H", "?", "?", "?", "7D"},
			[]string{"5C", "5D", "8S", "QS", "7C", "AH", "3D", "4D", "6H", "9S", "TS", "2C"}, false, 0.4},
		{"blackjack, three columns", opts(func(o *game.Options) { o.Blackjack = true }),
			[]string{"9S", "?", "4H", "?", "6D", "?"},
			[]string{"2D", "3S", "KC", "QS", "AH", "9H", "8C", "5S", "5H", "7D", "JD"}, false, 0.6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var tables expertRules
			tables.set(&tc.o, 1)
			cards := mustCards(t, tc.grid...)
			unseen := mustCards(t, tc.pool...)
			var grid [6]game.Card
			var h hand
			for p := range 6 {
				grid[p] = cards[p]
				h[p] = down
				if !cards[p].IsZero() {
					h[p] = tables.group(cards[p])
				}
			}
			var counts [nGroups]int
			for _, c := range unseen {
				counts[tables.group(c)]++
			}
			var pool cardPool
			pool.fill(&tables, &counts)
			want := enumMean(&tc.o, grid, unseen)
			got := pool.mean(&h)
			tol := tc.tol
			if tc.exact {
				tol = 1e-9
			}
			if math.Abs(got-want) > tol {
				t.Errorf("E[score] = %.6f, the engine over every deal gives %.6f (tolerance %g)", got, want, tol)
			}
		})
	}
}

// TestExpertMeanKnownHands checks that the evaluator scores fully known
// hands exactly as the engine does, bonuses and blackjack included.
func TestExpertMeanKnownHands(t *testing.T) {
	o := game.DefaultOptions()
	o.Wolfpack, o.FourOfAKind, o.Blackjack, o.Jokers = true, true, true, game.JokersEagleEye
	hands := [][]string{
		{"JS", "JH", "9H", "JD", "JC", "9D"},
		{"5S", "5H", "2C", "5D", "5C", "3D"},
		{"QS", "AH", "TC", "KD", "QH", "TD"},
		{"QS", "9H", "2C", "KD", "QH", "KS"},
		{"JK", "JK", "4C", "JK", "JK", "4D"},
	}
	var tables expertRules
	tables.set(&o, 2)
	var pool cardPool
	var counts [nGroups]int
	counts[3] = 4
	pool.fill(&tables, &counts)
	for _, names := range hands {
		cards := mustCards(t, names...)
		var grid [6]game.Card
		var h hand
		for p := range 6 {
			grid[p], h[p] = cards[p], tables.group(cards[p])
		}
		want := o.HandScore(&grid)
		if want == 21 {
			want = 0
		}
		if got := pool.mean(&h); got != float64(want) {
			t.Errorf("%v: %v, engine %d", names, got, want)
		}
	}
}
