package game

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestScorecardMatchesRounds: over random games (departures included) every
// view's scorecard is, by seat, exactly the round scores the RoundEnded
// events gave that player, in order; a snapshot keeps it.
func TestScorecardMatchesRounds(t *testing.T) {
	rounds := 0
	for gi := range 200 {
		r := rand.New(rand.NewPCG(uint64(gi), 0x5c0e))
		g := &randomGame{t: t, r: r, live: new(State), leaves: true}
		want := map[string][]int{}
		g.onEvents = func(_ Command, evs []Event) {
			for _, e := range evs {
				if re, ok := e.(RoundEnded); ok {
					for _, p := range re.Players {
						want[p.PlayerID] = append(want[p.PlayerID], p.RoundScore)
						rounds++
					}
				}
			}
		}
		g.setup()
		for g.step() {
		}
		s := g.live
		for seat := Spectator; seat < s.n; seat++ {
			v := s.View(seat)
			if len(v.Scores) != s.n {
				t.Fatalf("game %d: %d scorecard rows for %d seats", gi, len(v.Scores), s.n)
			}
			for i, row := range v.Scores {
				if w := want[s.players[i].id]; !slices.Equal(row, w) && !(len(w) == 0 && len(row) == 0) {
					t.Fatalf("game %d, seat %d: scorecard %v, the rounds gave %v", gi, i, row, w)
				}
			}
		}
		snap, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Restore(snap)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := s.View(0), back.View(0); !slices.EqualFunc(a.Scores, b.Scores, slices.Equal) {
			t.Fatalf("game %d: scorecard %v after a snapshot, %v before", gi, b.Scores, a.Scores)
		}
	}
	if rounds < 400 {
		t.Fatalf("only %d player-rounds scored in 200 games: the test checks too little", rounds)
	}
}
