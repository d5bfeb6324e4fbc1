package ai

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"golf/game"
)

// seedFrom draws a round seed from a test's random source.
func seedFrom(r *rand.Rand) game.Seed {
	var s game.Seed
	for i := range 4 {
		binary.LittleEndian.PutUint64(s[8*i:], r.Uint64())
	}
	return s
}

// match is a game played by CPU players through the real engine, as the
// simulator plays it, for tests.
type match struct {
	t      testing.TB
	s      *game.State
	bots   []Player
	names  []string
	r      *rand.Rand
	view   game.View
	grader Grader

	// onDecision, if set, sees every decision with the view it was made from.
	onDecision func(seat int, v *game.View, c game.Command)
	// onTurnEnd, if set, sees the end of every turn.
	onTurnEnd func(seat int)
	log       []game.Event // every event of the game
	turns     int          // turns in the current round
	maxTurns  int          // the most turns any round took
	rounds    int
}

// newMatch seats the named bots (seat 0 is the host) under the settings.
func newMatch(t testing.TB, r *rand.Rand, set game.Settings, names ...string) *match {
	m := &match{t: t, s: new(game.State), r: r, names: names}
	m.do(game.CreateGameCmd("s0", "Host", "TEST", set))
	for i, n := range names {
		p, err := New(n)
		if err != nil {
			t.Fatal(err)
		}
		m.bots = append(m.bots, p)
		if i > 0 {
			m.do(game.AddCPUCmd("s0", "s"+strconv.Itoa(i), "CPU "+strconv.Itoa(i), n))
		}
	}
	m.do(game.StartGameCmd("s0", seedFrom(r)))
	return m
}

func (m *match) do(c game.Command) []game.Event {
	m.t.Helper()
	evs, err := game.Decide(m.s, c)
	if err != nil {
		m.t.Fatalf("%v by %s (pos %d, src %v, %v) rejected: %v", c.Kind, c.By, c.Pos, c.Source, c.Positions, err)
	}
	for _, e := range evs {
		if err := m.s.Apply(e); err != nil {
			m.t.Fatalf("apply %s: %v", e.Type(), err)
		}
	}
	m.log = append(m.log, evs...)
	return evs
}

// step lets the next CPU act; it reports false once the game is over.
func (m *match) step() bool {
	s := m.s
	switch s.Phase() {
	case game.PhaseGameOver:
		return false
	case game.PhaseRoundOver:
		m.do(game.NextRoundCmd(game.Platform, seedFrom(m.r)))
		return true
	case game.PhaseInitialFlip:
		for p := range s.NumSeats() {
			if s.AwaitingFlip(p) {
				m.decide(p)
				return true
			}
		}
		m.t.Fatal("initial_flip with nobody to flip")
	}
	m.decide(s.Current())
	return true
}

func (m *match) decide(p int) {
	m.t.Helper()
	m.s.ViewInto(&m.view, p)
	d := m.bots[p].Decide(&m.view, m.r)
	if d.Command.Kind == game.CmdNone {
		m.t.Fatalf("seat %d (%s) has no move in phase %v step %v", p, m.names[p], m.view.Phase, m.view.Step)
	}
	if d.Delay < 0 || d.Delay > maxDelay {
		m.t.Fatalf("delay %v out of range", d.Delay)
	}
	if m.onDecision != nil {
		m.onDecision(p, &m.view, d.Command)
	}
	round := m.s.Round()
	evs := m.do(d.Command)
	for _, e := range evs {
		_, ends, _ := turnCommand(e)
		if ends {
			m.turns++
			if m.onTurnEnd != nil {
				m.onTurnEnd(p)
			}
		}
		switch e.(type) {
		case game.RoundEnded:
			m.rounds++
			m.maxTurns = max(m.maxTurns, m.turns)
			m.turns = 0
		}
	}
	if m.turns > 500 {
		m.t.Fatalf("round %d exceeds 500 turns", round)
	}
}

// play runs the match to its end.
func (m *match) play() {
	for steps := 0; m.step(); steps++ {
		if steps > 200000 {
			m.t.Fatal("game does not end")
		}
	}
}

// randomSettings draws any valid options, including every preset now and
// then, and 1–3 rounds.
func randomSettings(r *rand.Rand) game.Settings {
	set := game.Settings{Decks: r.IntN(4), Rounds: 1 + r.IntN(3)}
	if r.IntN(3) == 0 {
		names := game.PresetNames()
		set.Options, _ = game.Preset(names[r.IntN(len(names))])
		return set
	}
	o := game.Options{
		FlipMode:     game.FlipMode(r.IntN(3)),
		InitialFlips: r.IntN(3),
		Jokers:       game.Jokers(r.IntN(4)),
	}
	b := []*bool{&o.KnockPenalty, &o.SuperKings, &o.TenPenny, &o.KnockBonus, &o.UnderdogBonus,
		&o.TiedShame, &o.Blackjack, &o.Wolfpack, &o.FlipAsAction, &o.FourOfAKind,
		&o.NegativePairsKeepValue, &o.OneEyedJacks, &o.KnockEarly}
	for _, x := range b {
		*x = r.IntN(3) == 0
	}
	set.Options = o
	return set
}

// lineup draws n distinct personalities with the given one among them.
func lineup(r *rand.Rand, n int, with string) []string {
	var others []string
	for _, p := range Personalities() {
		if p.ID != with {
			others = append(others, p.ID)
		}
	}
	r.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	out := append([]string{with}, others[:n-1]...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// TestPersonalitiesPlayLegally plays 1,000 random-rule games per
// personality (2–6 players, random options including every preset) and
// fails on any rejected command, any flagged turn, and any round that does
// not end within 500 turns (docs/ai.md §2.9).
func TestPersonalitiesPlayLegally(t *testing.T) {
	games := 1000
	if testing.Short() {
		games = 100
	}
	for _, prof := range Personalities() {
		t.Run(prof.ID, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(7, uint64(len(prof.ID))*977+uint64(prof.ID[0])))
			rounds, flagged, decisions := 0, 0, 0
			for g := range games {
				set := randomSettings(r)
				m := newMatch(t, r, set, lineup(r, 2+r.IntN(5), prof.ID)...)
				m.onDecision = func(seat int, v *game.View, c game.Command) {
					decisions++
					if f := m.grader.Grade(v, c); f != 0 {
						flagged++
						t.Errorf("game %d: %s flagged %v for %v (pos %d) in %s", g, m.names[seat], f, c.Kind, c.Pos, describe(v))
					}
				}
				m.play()
				rounds += m.rounds
			}
			t.Logf("%d games, %d rounds, %d decisions, %d flagged", games, rounds, decisions, flagged)
		})
	}
}

// describe writes a view's essentials for a failure message.
func describe(v *game.View) string {
	s := fmt.Sprintf("phase %v step %v options %s top %v", v.Phase, v.Step, mustJSON(v.Options), v.DiscardTop())
	if v.Held != nil {
		s += fmt.Sprintf(" held %v from %v", v.Held.Card, v.Held.From)
	}
	for i, sv := range v.Seats {
		s += fmt.Sprintf("\n  s%d %s:", i, sv.Profile)
		for p, sl := range sv.Cards {
			if p == 3 {
				s += " |"
			}
			if sl.Up {
				s += " " + sl.Card.String()
			} else {
				s += " ?"
			}
		}
	}
	return s
}

func mustJSON(o game.Options) string {
	b, _ := o.MarshalJSON()
	return string(b)
}

// overWire returns v after a trip through JSON: what a client or an
// external bot receives.
func overWire(t testing.TB, v *game.View) *game.View {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	wire := new(game.View)
	if err := json.Unmarshal(b, wire); err != nil {
		t.Fatal(err)
	}
	return wire
}
