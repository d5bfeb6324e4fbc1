package ai

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"golf/game"
)

// TestExpertPlaysLegally plays 1,000 random-rule games (2–6 players, random
// options including every preset, 1–3 decks and rounds) with the expert
// against distinct personalities. The match fails on any rejected command,
// any delay out of range and any round over 500 turns; the expert's §5
// flagged turns must stay close to 0 (docs/ai.md §6.2).
func TestExpertPlaysLegally(t *testing.T) {
	games := 1000
	if testing.Short() {
		games = 100
	}
	r := rand.New(rand.NewPCG(17, 29))
	rounds, decisions, flagged := 0, 0, 0
	for range games {
		set := randomSettings(r)
		names := lineup(r, 2+r.IntN(5), "marcus")
		names[r.IntN(len(names))] = "expert"
		m := newMatch(t, r, set, names...)
		m.onDecision = func(seat int, v *game.View, c game.Command) {
			if m.names[seat] != "expert" || c.Kind == game.CmdFlipInitial {
				return
			}
			decisions++
			if m.grader.Grade(v, c) != 0 {
				flagged++
			}
		}
		m.play()
		rounds += m.rounds
	}
	if decisions == 0 {
		t.Fatal("the expert made no decision")
	}
	// Flagged turns are exempt only by the §5 filter the expert applies to
	// its own choice; it may still have nothing unflagged (a forced take).
	if rate := float64(flagged) / float64(decisions); rate > 0.001 {
		t.Errorf("%d of %d expert decisions flagged (%.3f%%)", flagged, decisions, 100*rate)
	}
	t.Logf("%d games, %d rounds, %d expert decisions, %d flagged", games, rounds, decisions, flagged)
}

// TestExpertSameViewSameDecision checks that the expert decides from the
// view and the random source alone: a player that has decided all game and
// a fresh one decide the same, mid-round included, and so does one given
// the view after a trip through JSON while the view's card history adds
// nothing to what it shows (no reshuffle yet).
func TestExpertSameViewSameDecision(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	checked, wired := 0, 0
	for g := range 40 {
		set := randomSettings(r)
		names := lineup(r, 2+r.IntN(5), "river")
		names[0] = "expert"
		m := newMatch(t, r, set, names...)
		m.onDecision = func(seat int, v *game.View, c game.Command) {
			if seat != 0 {
				return
			}
			seed := uint64(g)<<32 | uint64(checked)
			warm := m.bots[seat].Decide(v, rand.New(rand.NewPCG(seed, 1)))
			fresh, _ := New("expert")
			cold := fresh.Decide(v, rand.New(rand.NewPCG(seed, 1)))
			if !sameDecision(warm, cold) {
				t.Fatalf("expert: %+v, fresh %+v", warm, cold)
			}
			checked++
			if v.Reshuffles > 0 {
				return
			}
			wire := overWire(t, v)
			fresh2, _ := New("expert")
			if cold2 := fresh2.Decide(wire, rand.New(rand.NewPCG(seed, 1))); !sameDecision(warm, cold2) {
				t.Fatalf("expert: %+v, from JSON %+v", warm, cold2)
			}
			wired++
		}
		m.play()
	}
	if checked == 0 || wired == 0 {
		t.Fatalf("%d decisions checked, %d through JSON", checked, wired)
	}
}

// TestExpertAnalyzeLog checks that AnalyzeLog, rebuilding every view from
// the log, grades the expert's turns as grading the live views does.
func TestExpertAnalyzeLog(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	turnsGraded := 0
	for range 40 {
		set := randomSettings(r)
		m := newMatch(t, r, set, "expert", "random", "maya")
		var gr Grader
		flags := make([]Flags, 3)
		want := make([]int, 3) // flagged turns by seat
		turns := make([]int, 3)
		m.onDecision = func(seat int, v *game.View, c game.Command) {
			if c.Kind != game.CmdFlipInitial {
				flags[seat] |= gr.Grade(v, c)
			}
		}
		m.onTurnEnd = func(seat int) {
			turns[seat]++
			if flags[seat] != 0 {
				want[seat]++
			}
			flags[seat] = 0
		}
		m.play()
		got, err := AnalyzeLog(m.log)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			p := got.Players[i]
			if p.Turns != turns[i] || len(p.Flagged) != want[i] {
				t.Fatalf("seat %d (%s): analysed %d turns, %d flagged; live %d turns, %d flagged",
					i, m.names[i], p.Turns, len(p.Flagged), turns[i], want[i])
			}
		}
		turnsGraded += turns[0]
	}
	if turnsGraded == 0 {
		t.Fatal("the expert played no graded turn")
	}
}

// TestExpertSpots checks decisions whose answer follows from the rules.
func TestExpertSpots(t *testing.T) {
	cases := []struct {
		name string
		sp   spot
		want game.Command
	}{
		{"takes a matching Q off the pile", spot{opts: std(),
			hands:   []string{"[Q ? 4 | ? K 6]", "[5 ? ? | ? 7 ?]", "[? 3 ? | 8 ? ?]"},
			discard: "9 Q"}, game.DrawCmd("s0", game.SourceDiscard)},
		{"takes a 2 off the pile", spot{opts: std(),
			hands:   []string{"[9 ? 4 | ? K 6]", "[5 ? ? | ? 7 ?]", "[? 3 ? | 8 ? ?]"},
			discard: "T 2"}, game.DrawCmd("s0", game.SourceDiscard)},
		{"draws from the deck over a useless Q", spot{opts: std(),
			hands:   []string{"[9 ? 4 | ? K 6]", "[5 ? ? | ? 7 ?]", "[? 3 ? | 8 ? ?]"},
			discard: "T Q"}, game.DrawCmd("s0", game.SourceDeck)},
		{"pairs a drawn Q", spot{opts: std(),
			hands: []string{"[Q ? 4 | ? K 6]", "[5 ? ? | ? 7 ?]", "[? 3 ? | 8 ? ?]"},
			held:  "Q", discard: "9"}, game.SwapCmd("s0", 3)},
		{"replaces the 9 with a drawn 2", spot{opts: std(),
			hands: []string{"[9 A 4 | ? K 6]", "[5 ? ? | ? 7 ?]", "[? 3 ? | 8 ? ?]"},
			held:  "2", discard: "T"}, game.SwapCmd("s0", 0)},
		{"goes out low against a table of face-down cards", spot{opts: std(),
			hands: []string{"[A K 3 | 2 K ?]", "[5 ? ? | ? 7 ?]", "[? 9 ? | 8 ? ?]"},
			held:  "A", discard: "T"}, game.SwapCmd("s0", 5)},
		{"does not go out high while the table is low", spot{opts: std(),
			hands: []string{"[9 K 8 | 7 K ?]", "[A A 2 | A 2 ?]", "[K 2 K | A K 3]"},
			held:  "T", discard: "J"}, game.DiscardCmd("s0")},
		{"blackjack: a known 21 on the final turn", spot{opts: std(func(o *game.Options) { o.Blackjack = true }),
			phase: game.PhaseFinalTurn,
			hands: []string{"[9 K 8 | 4 K ?]", "[A A 2 | A 2 3]", "[K 2 K | A K 3]"},
			held:  "Q", discard: "J", owed: []int{2}}, game.DiscardCmd("s0")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.sp.view(t)
			p, _ := New("expert")
			d := p.Decide(v, rand.New(rand.NewPCG(1, 1)))
			got, want := d.Command, tc.want
			if got.Kind != want.Kind || got.Pos != want.Pos || got.Source != want.Source || got.By != want.By {
				t.Errorf("got %v pos %d source %v, want %v pos %d source %v",
					got.Kind, got.Pos, got.Source, want.Kind, want.Pos, want.Source)
			}
			if d.Delay <= 0 || d.Delay > maxDelay {
				t.Errorf("delay %v", d.Delay)
			}
		})
	}
}

// TestExpertRegistered checks that New knows the expert and gives each
// seat its own player.
func TestExpertRegistered(t *testing.T) {
	a, err := New("expert")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New("expert")
	if reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer() {
		t.Error("New(expert) returned the same player twice")
	}
	if p := ExpertProfile(); p.ID != "expert" || p.Name != "Expert" {
		t.Errorf("profile %+v", p)
	}
}
