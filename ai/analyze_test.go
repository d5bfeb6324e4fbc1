package ai

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"golf/game"
)

// TestAnalyzeLog plays games with random players (who err often) at human
// seats that the platform now and then plays for, and checks that
// AnalyzeLog, rebuilding every view from the log, grades exactly the turns
// and finds exactly the matches that grading the live views finds, and
// leaves the autoplayed turns out.
func TestAnalyzeLog(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	flagged, autoplayed := 0, 0
	for range 60 {
		set := randomSettings(r)
		m := newMatch(t, r, set, "random", "marcus", "random", "maya")
		n := len(m.names)
		want := make([]PlayerAnalysis, n)
		flags := make([]Flags, n)
		auto := make([]bool, n)
		turns := make([]int, n)
		var gr Grader
		m.onDecision = func(seat int, v *game.View, c game.Command) {
			if c.Kind == game.CmdFlipInitial {
				return
			}
			flags[seat] |= gr.Grade(v, c)
			auto[seat] = auto[seat] || m.s.Autoplay(seat)
		}
		round := 0
		m.onTurnEnd = func(seat int) {
			if m.s.Round() != round {
				round = m.s.Round()
				clear(turns)
			}
			turns[seat]++
			if auto[seat] {
				autoplayed++
			} else {
				w := &want[seat]
				w.Turns++
				f := flags[seat]
				switch f.Class() {
				case Blunder:
					w.Blunders++
				case Mistake:
					w.Mistakes++
				}
				if f != 0 {
					for _, c := range f.Categories() {
						w.Counts[c-1]++
					}
					w.Flagged = append(w.Flagged, FlaggedTurn{Round: m.s.Round(), Turn: turns[seat], Flags: f})
				}
			}
			flags[seat], auto[seat] = 0, false
		}
		for steps := 0; m.step(); steps++ {
			if ph := m.s.Phase(); ph != game.PhaseGameOver && r.IntN(20) == 0 {
				m.do(game.AutoplayCmd("s0", !m.s.Autoplay(0)))
			}
			if steps > 100000 {
				t.Fatal("game does not end")
			}
		}
		got, err := AnalyzeLog(m.log)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != AnalysisVersion || len(got.Players) != n {
			t.Fatalf("version %d, %d players", got.Version, len(got.Players))
		}
		for i := range want {
			want[i].PlayerID = m.s.PlayerID(i)
			if !reflect.DeepEqual(got.Players[i], want[i]) {
				t.Fatalf("seat %d:\n got %+v\nwant %+v", i, got.Players[i], want[i])
			}
			flagged += len(got.Players[i].Flagged)
		}
	}
	if flagged == 0 || autoplayed == 0 {
		t.Fatalf("%d flagged turns, %d autoplayed turns: the test exercises nothing", flagged, autoplayed)
	}
	t.Logf("%d flagged turns, %d autoplayed turns left out", flagged, autoplayed)
}

func TestAnalyzeLogRejectsABrokenLog(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	m := newMatch(t, r, game.DefaultSettings(), "marcus", "maya")
	for range 30 {
		m.step()
	}
	log := append([]game.Event(nil), m.log...)
	log = append(log, game.CardSwapped{PlayerID: "nobody", Position: 9})
	if _, err := AnalyzeLog(log); err == nil {
		t.Fatal("a log with a forged event analysed without error")
	}
}
