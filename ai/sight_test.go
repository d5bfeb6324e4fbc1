package ai

import (
	"math/rand/v2"
	"testing"

	"golf/game"
)

// TestDrawnViewDecidesAsAFreshOne plays random games in which every seat
// keeps its player, so that a placement after the seat's own draw updates
// the table of its turn start (sight), and checks every decision against a
// fresh player given the same view and the same random stream.
func TestDrawnViewDecidesAsAFreshOne(t *testing.T) {
	games := 150
	if testing.Short() {
		games = 30
	}
	r := rand.New(rand.NewPCG(41, 42))
	decisions, followed, fromPile := 0, 0, 0
	for range games {
		set := randomSettings(r)
		m := newMatch(t, r, set, lineup(r, 2+r.IntN(5), "sage")...)
		for steps := 0; m.s.Phase() != game.PhaseGameOver; steps++ {
			if steps > 20000 {
				t.Fatal("game did not end")
			}
			p := m.s.Current()
			switch m.s.Phase() {
			case game.PhaseRoundOver:
				m.do(game.NextRoundCmd(game.Platform, seedFrom(r)))
				continue
			case game.PhaseInitialFlip:
				for p = range m.s.NumSeats() {
					if m.s.AwaitingFlip(p) {
						break
					}
				}
			}
			m.s.ViewInto(&m.view, p)
			v := &m.view
			pl := m.bots[p].(*player)
			if pl.saw.follows(v) {
				followed++
				if v.Held.From == game.SourceDiscard {
					fromPile++
				}
			}
			seed := r.Uint64()
			warm := pl.Decide(v, rand.New(rand.NewPCG(seed, 7)))
			fresh, _ := New(m.names[p])
			cold := fresh.Decide(v, rand.New(rand.NewPCG(seed, 7)))
			if !sameDecision(warm, cold) {
				t.Fatalf("%s: %+v, fresh %+v in %s", m.names[p], warm, cold, describe(v))
			}
			decisions++
			m.do(warm.Command)
		}
	}
	t.Logf("%d decisions, %d after the seat's own draw (%d from the pile)", decisions, followed, fromPile)
	if followed < decisions/5 || fromPile < followed/10 {
		t.Fatalf("only %d of %d decisions followed a draw (%d from the pile)", followed, decisions, fromPile)
	}
}
