package game

import (
	"math/rand/v2"
	"testing"
)

// TestShowing checks the running sum of face-up cards views carry
// (SeatView.Showing, rules §12.2): face-up pairs score as pairs do, face-down
// cards count nothing, and round-end bonuses are left out.
func TestShowing(t *testing.T) {
	for _, tt := range []struct {
		name string
		hand string
		up   []int
		o    Options
		want int
	}{
		{"nothing up", "[K 5 7 | K 3 9]", nil, opts(), 0},
		{"two up, no pair", "[K 5 7 | K 3 9]", []int{1, 2}, opts(), 12},
		{"a face-up K pair", "[K 5 7 | K 3 9]", []int{0, 3, 1}, opts(), 5},
		{"half a pair counts its card", "[Q 5 7 | Q 3 9]", []int{0}, opts(), 10},
		{"2s pair to 0", "[2 5 7 | 2 3 9]", []int{0, 3}, opts(), 0},
		{"negative pairs keep value", "[2 5 7 | 2 3 9]", []int{0, 3}, opts(func(o *Options) { o.NegativePairsKeepValue = true }), -4},
		{"eagle-eye joker pair", "[JK 5 7 | JK 3 9]", []int{0, 3}, opts(func(o *Options) { o.Jokers = JokersEagleEye }), -4},
		{"super kings unpaired", "[K 5 7 | A 3 9]", []int{0}, opts(func(o *Options) { o.SuperKings = true }), -2},
		{"no wolfpack bonus while running", "[J J 5 | J J 6]", []int{0, 1, 3, 4}, opts(func(o *Options) { o.Wolfpack = true }), 0},
		{"all up equals the hand score", "[A 3 4 | 2 K A]", []int{0, 1, 2, 3, 4, 5}, opts(), 7},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := hand(t, tt.hand)
			var up uint8
			for _, p := range tt.up {
				up |= 1 << p
			}
			if got := tt.o.showing(&h, up); got != tt.want {
				t.Errorf("showing = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestShowingInViews checks that every view's Showing is the sum its own
// face-up slots give, through random games, and equals the hand score once
// the round is over and no hand bonus applies.
func TestShowingInViews(t *testing.T) {
	for gi := range 100 {
		g := &randomGame{t: t, r: rand.New(rand.NewPCG(uint64(gi), 21)), live: new(State), leaves: true}
		g.setup()
		for g.step() {
			s := g.live
			v := s.View(Spectator)
			for i, sv := range v.Seats {
				if sv.Left || s.round == 0 {
					continue
				}
				pl := &s.players[i]
				if want := s.settings.Options.showing(&pl.hand, pl.up); sv.Showing != want {
					t.Fatalf("game %d seat %d shows %d, its face-up cards sum to %d", gi, i, sv.Showing, want)
				}
				o := s.settings.Options
				if s.phase == PhaseRoundOver && !o.Wolfpack && !o.FourOfAKind && sv.Showing != o.HandScore(&pl.hand) {
					t.Fatalf("game %d seat %d: all up, shows %d, hand score %d", gi, i, sv.Showing, o.HandScore(&pl.hand))
				}
			}
		}
	}
}
