package ai

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"golf/game"
)

func personalityNamed(id string) *personality {
	for i := range personalities {
		if personalities[i].ID == id {
			return &personalities[i]
		}
	}
	return nil
}

// quiet returns personality id as a player without noise, for tests of the
// procedure itself.
func quiet(t *testing.T, id string) *player {
	t.Helper()
	for i := range personalities {
		if personalities[i].ID == id {
			p := personalities[i]
			p.U = 0
			return &player{p: &p}
		}
	}
	t.Fatalf("no personality %q", id)
	return nil
}

// TestGoingOutExample is the example of docs/ai.md §2.5: Maya holds
// [3 K 4 | A K ?] and draws a 5; the best opponent shows [6 2 ? | 6 7 4].
// Every personality whose need is at most 0 goes out with Swap(5); Marcus
// and Sofia discard the 5.
func TestGoingOutExample(t *testing.T) {
	// The discard pile keeps μ near ai.md's 5.5 (here 5.61).
	sp := spot{opts: std(), hands: []string{"[3 K 4 | A K ?]", "[6 2 ? | 6 7 4]"}, discard: "Q Q J J T 9 8 2", held: "5"}
	for _, prof := range Personalities() {
		v := sp.view(t)
		d := quiet(t, prof.ID).Decide(v, rand.New(rand.NewPCG(1, 2)))
		want := game.SwapCmd("s0", 5)
		if prof.ID == "marcus" || prof.ID == "sofia" {
			want = game.DiscardCmd("s0")
		}
		if d.Command.Kind != want.Kind || d.Command.Pos != want.Pos {
			t.Errorf("%s: %v %d, want %v %d", prof.ID, d.Command.Kind, d.Command.Pos, want.Kind, want.Pos)
		}
	}
}

// TestDerivedValues checks docs/ai.md §1.3 from the parameters: early in round 1
// of a standard game (μ = 71/13, f = 1, s = 0).
func TestDerivedValues(t *testing.T) {
	want := map[string]struct {
		blind           int
		need, perCard   float64
		credit, denial  float64
		window, qTarget float64
	}{
		"sofia":  {3, 0.9, 1.2, 1.4, 0.90, 1.16, 0.62},
		"maya":   {5, -1.05, 0.225, 2.7, 0.575, 1.8, 1.24},
		"priya":  {6, 0, 0.75, 2.0, 0.75, 1.4, 2.47},
		"marcus": {4, 0.3, 0.9, 1.8, 0.80, 1.24, 1.08},
		"kenji":  {7, -0.75, 0.375, 2.5, 0.625, 1.96, 2.16},
		"diego":  {5, -0.3, 0.6, 2.2, 0.70, 3.24, 1.55},
		"river":  {4, -0.15, 0.675, 2.1, 0.725, 1.64, 1.39},
		"sage":   {4, -1.2, 0.15, 2.8, 0.55, 2.2, 0.93},
	}
	// Every card face-down and nothing on the pile: the pool is the deck.
	sp := spot{opts: std(), hands: []string{"[? ? ? | ? ? ?]", "[? ? ? | ? ? ?]", "[? ? ? | ? ? ?]"}}
	for _, prof := range Personalities() {
		w := want[prof.ID]
		pl := quiet(t, prof.ID)
		v := sp.view(t)
		m := &pl.m
		pl.rules.set(&v.Options, v.Decks)
		m.p, m.v = pl.p, v
		m.load(&pl.rules, v)
		m.dials()
		if math.Abs(m.mu-71.0/13) > 1e-9 {
			t.Fatalf("μ = %v", m.mu)
		}
		blind := int(math.Ceil(m.muT)) - 1 // highest v with μ_T − v > 0
		if blind != w.blind {
			t.Errorf("%s: highest blind card %d, want %d", prof.ID, blind, w.blind)
		}
		near := func(what string, got, want, tol float64) {
			if math.Abs(got-want) > tol {
				t.Errorf("%s: %s %v, want %v", prof.ID, what, got, want)
			}
		}
		near("go-out need", m.need, w.need, 1e-9)
		near("extra need per card", 1.5*(1-m.aEff), w.perCard, 1e-9)
		near("finish credit", m.finishCredit(), w.credit, 1e-9)
		near("denial weight", 1-m.aEff/2, w.denial, 1e-9)
		near("noise window", 1+8*personalityNamed(prof.ID).U, w.window, 1e-9)
		// An open Q target with 3 Qs among 30 unseen cards.
		pr := min(1, 2*3.0/30)
		near("open Q target", m.p.H*pr*(10+m.mu), w.qTarget, 0.006)
	}
}

// TestSameViewSameDecision checks that a decision depends on the view and
// the random source alone: a player that has decided before, a fresh one,
// and a fresh one given the view after a trip through JSON (which drops
// every field a client does not get) all decide the same.
func TestSameViewSameDecision(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	checked := 0
	for g := range 40 {
		set := randomSettings(r)
		m := newMatch(t, r, set, lineup(r, 2+r.IntN(5), "river")...)
		m.onDecision = func(seat int, v *game.View, c game.Command) {
			name := m.names[seat]
			seed := uint64(g)<<32 | uint64(checked)
			warm := m.bots[seat].Decide(v, rand.New(rand.NewPCG(seed, 1)))
			fresh, _ := New(name)
			cold := fresh.Decide(v, rand.New(rand.NewPCG(seed, 1)))
			wire := overWire(t, v)
			fresh2, _ := New(name)
			cold2 := fresh2.Decide(wire, rand.New(rand.NewPCG(seed, 1)))
			if !sameDecision(warm, cold) || !sameDecision(warm, cold2) {
				t.Fatalf("%s: %+v, fresh %+v, from JSON %+v", name, warm, cold, cold2)
			}
			checked++
		}
		m.play()
	}
	t.Logf("%d decisions checked", checked)
}

func sameDecision(a, b Decision) bool {
	return a.Delay == b.Delay && a.Command.Kind == b.Command.Kind && a.Command.By == b.Command.By &&
		a.Command.Pos == b.Command.Pos && a.Command.Source == b.Command.Source &&
		slices.Equal(a.Command.Positions, b.Command.Positions)
}

// TestNoFlagsUnderAnyPreset plays every preset with every personality at
// tables of 2–6 and fails on any flagged decision (docs/ai.md §2.8.1).
func TestNoFlagsUnderAnyPreset(t *testing.T) {
	games := 12
	if testing.Short() {
		games = 3
	}
	for _, preset := range game.PresetNames() {
		t.Run(preset, func(t *testing.T) {
			t.Parallel()
			o, _ := game.Preset(preset)
			r := rand.New(rand.NewPCG(uint64(len(preset)), 99))
			decisions := 0
			for _, prof := range Personalities() {
				for range games {
					set := game.Settings{Rounds: 2, Options: o, Decks: r.IntN(3)}
					m := newMatch(t, r, set, lineup(r, 2+r.IntN(5), prof.ID)...)
					m.onDecision = func(seat int, v *game.View, c game.Command) {
						decisions++
						if f := m.grader.Grade(v, c); f != 0 {
							t.Errorf("%s flagged %v for %v %d in %s", m.names[seat], f, c.Kind, c.Pos, describe(v))
						}
					}
					m.play()
				}
			}
			t.Logf("%d decisions", decisions)
		})
	}
}

// TestStandinIsQuietMarcus checks the platform's stand-in: Marcus's dials
// without noise.
func TestStandinIsQuietMarcus(t *testing.T) {
	s, ok := Standin().(*player)
	if !ok {
		t.Fatalf("Standin is %T", Standin())
	}
	m := quiet(t, "marcus")
	if s.p.params != m.p.params || s.p.tie != m.p.tie {
		t.Errorf("stand-in %+v, want %+v", s.p.params, m.p.params)
	}
	if p, err := New("standin"); err != nil || p == nil {
		t.Errorf("New(standin): %v", err)
	}
}

func TestRosterAndNew(t *testing.T) {
	ids := []string{"sofia", "maya", "priya", "marcus", "kenji", "diego", "river", "sage"}
	var got []string
	for _, p := range Roster() {
		got = append(got, p.ID)
		if p.Name == "" || p.Style == "" || p.Character == "" {
			t.Errorf("%s: incomplete profile %+v", p.ID, p)
		}
		a, err := New(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := New(p.ID)
		if a == b {
			t.Errorf("New(%s) returned the same player twice", p.ID)
		}
	}
	if !slices.Equal(got, ids) {
		t.Errorf("roster %v, want %v", got, ids)
	}
	// The lineup is the roster then the expert, and only the expert is
	// marked: a random "Add CPU" must never deal it.
	got = got[:0]
	for _, p := range Lineup() {
		got = append(got, p.ID)
		if want := p.ID == "expert"; p.Expert != want {
			t.Errorf("%s: Expert = %v, want %v", p.ID, p.Expert, want)
		}
		if _, err := New(p.ID); err != nil {
			t.Error(err)
		}
	}
	if want := append(ids, "expert"); !slices.Equal(got, want) {
		t.Errorf("lineup %v, want %v", got, want)
	}
	if ExpertProfile() != Lineup()[len(ids)] {
		t.Errorf("ExpertProfile %+v is not the lineup's last", ExpertProfile())
	}
	if _, err := New("nobody"); err == nil {
		t.Error("New(nobody) succeeded")
	}
	if _, err := New("random"); err != nil {
		t.Error(err)
	}
}

// TestInitialFlips checks rule 1: exactly initial_flips positions in
// different columns, every choice possible.
func TestInitialFlips(t *testing.T) {
	for k := 1; k <= 2; k++ {
		o := std(func(o *game.Options) { o.InitialFlips = k })
		sp := spot{opts: o, phase: game.PhaseInitialFlip, hands: []string{"[? ? ? | ? ? ?]", "[? ? ? | ? ? ?]"}}
		seen := map[[2]int]bool{}
		r := rand.New(rand.NewPCG(1, uint64(k)))
		pl, _ := New("maya")
		for range 500 {
			v := sp.view(t)
			d := pl.Decide(v, r)
			ps := d.Command.Positions
			if d.Command.Kind != game.CmdFlipInitial || len(ps) != k {
				t.Fatalf("%v %v", d.Command.Kind, ps)
			}
			key := [2]int{ps[0], -1}
			if k == 2 {
				if ps[0]%3 == ps[1]%3 {
					t.Fatalf("positions %v share a column", ps)
				}
				key[1] = ps[1]
				if ps[0] > ps[1] {
					key = [2]int{ps[1], ps[0]}
				}
			}
			seen[key] = true
			if d.Delay < 320*time.Millisecond || d.Delay > 800*time.Millisecond { // Maya: × 0.8
				t.Fatalf("initial flip delay %v", d.Delay)
			}
		}
		if want := map[int]int{1: 6, 2: 12}[k]; len(seen) != want {
			t.Errorf("initial_flips=%d: %d distinct choices, want %d", k, len(seen), want)
		}
	}
}

// TestFinalWorthMatches checks that the final turn's direct G_deck term
// equals the general evaluation wherever it applies.
func TestFinalWorthMatches(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	checked := 0
	for range 200 {
		set := randomSettings(r)
		m := newMatch(t, r, set, lineup(r, 2+r.IntN(4), "priya")...)
		m.onDecision = func(seat int, v *game.View, c game.Command) {
			if v.Phase != game.PhaseFinalTurn || v.Step != game.StepTurnStart {
				return
			}
			pl := quiet(t, m.names[seat])
			pl.rules.set(&v.Options, v.Decks)
			mm := &pl.m
			mm.p, mm.rnd, mm.v, mm.final = pl.p, rand.New(rand.NewPCG(1, 1)), v, true
			mm.load(&pl.rules, v)
			mm.dials()
			for g := range int8(nGroups) {
				if mm.count[g] <= 0 {
					continue
				}
				fast, ok := mm.finalWorth(g)
				if !ok {
					continue
				}
				if slow := mm.worth(g, game.SourceDeck); fast != slow {
					t.Fatalf("group %d: finalWorth %v, worth %v in %s", g, fast, slow, describe(v))
				}
				checked++
			}
		}
		m.play()
	}
	if checked < 1000 {
		t.Fatalf("only %d comparisons", checked)
	}
}

// TestPrefilterNeverHides checks that Grade's cheap prefilter never hides
// a match: over random positions, every legal command grades the same with
// and without it.
func TestPrefilterNeverHides(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	var gr Grader
	flagged := 0
	for range 500 {
		set := randomSettings(r)
		m := newMatch(t, r, set, "random", "random", "kenji")
		m.onDecision = func(seat int, v *game.View, _ game.Command) {
			for _, c := range v.Moves(nil) {
				got := gr.Grade(v, c)
				var tb table
				var rs rules
				rs.set(&v.Options, v.Decks)
				tb.load(&rs, v)
				if want := tb.grade(&c); got != want {
					t.Fatalf("%v %d: Grade %v, without prefilter %v in %s", c.Kind, c.Pos, got, want, describe(v))
				}
				if got != 0 {
					flagged++
				}
			}
		}
		m.play()
	}
	t.Logf("%d flagged moves seen", flagged)
}
