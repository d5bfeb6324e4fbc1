package game

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// testSeed derives a deterministic round seed for tests.
func testSeed(n uint64) Seed {
	var s Seed
	binary.LittleEndian.PutUint64(s[:], n)
	binary.LittleEndian.PutUint64(s[8:], n*0x9e3779b97f4a7c15)
	return s
}

// pid is the id of the test player at seat i.
func pid(i int) string { return "p" + strconv.Itoa(i) }

// mustDo decides and applies a command, failing the test if it is rejected.
func mustDo(t testing.TB, s *State, c Command) []Event {
	t.Helper()
	evs, err := Decide(s, c)
	if err != nil {
		t.Fatalf("%v by %s: %v", c.Kind, c.By, err)
	}
	for _, e := range evs {
		if err := s.Apply(e); err != nil {
			t.Fatalf("apply %s: %v", e.Type(), err)
		}
	}
	return evs
}

// wantReject decides c and checks it is rejected with code, with no events
// and no change to the state (rules §13).
func wantReject(t testing.TB, s *State, c Command, code Code) {
	t.Helper()
	before := clone(s)
	evs, err := Decide(s, c)
	if CodeOf(err) != code || evs != nil {
		t.Fatalf("%v by %s: got %v (%d events), want %s", c.Kind, c.By, err, len(evs), code)
	}
	if !equalState(before, s) {
		t.Fatalf("rejected %v by %s changed the state", c.Kind, c.By)
	}
}

// wantAccept decides c and checks it is accepted, without applying it.
func wantAccept(t testing.TB, s *State, c Command) []Event {
	t.Helper()
	evs, err := Decide(s, c)
	if err != nil {
		t.Fatalf("%v by %s: rejected: %v", c.Kind, c.By, err)
	}
	return evs
}

// typesOf lists the type names of events, for readable failures.
func typesOf(evs []Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type()
	}
	return out
}

// wantEvents checks the types of the events a command produced, in order.
func wantEvents(t testing.TB, evs []Event, types ...string) {
	t.Helper()
	if got := typesOf(evs); !slices.Equal(got, types) {
		t.Fatalf("events %v, want %v", got, types)
	}
}

// lobby creates a game with n human players p0…p(n-1) and the settings.
func lobby(t testing.TB, n int, set Settings) *State {
	t.Helper()
	s := new(State)
	mustDo(t, s, CreateGameCmd(pid(0), "P0", "ABCD", set))
	for i := 1; i < n; i++ {
		mustDo(t, s, JoinCmd(pid(i), "P"+strconv.Itoa(i)))
	}
	return s
}

// started returns a game of n players with the options, started with a fixed seed.
func started(t testing.TB, n int, o Options) *State {
	t.Helper()
	set := DefaultSettings()
	set.Options = o
	s := lobby(t, n, set)
	mustDo(t, s, StartGameCmd(pid(0), testSeed(1)))
	return s
}

// opts builds options from the defaults with changes applied.
func opts(change ...func(*Options)) Options {
	o := DefaultOptions()
	for _, c := range change {
		c(&o)
	}
	return o
}

func noFlips(o *Options) { o.InitialFlips = 0 }

// cards parses "QH 5S JK" into cards of deck 0.
func cards(t testing.TB, s string) []Card {
	t.Helper()
	var out []Card
	for _, f := range splitFields(s) {
		c, err := ParseCard(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func splitFields(s string) []string {
	var out []string
	cur := ""
	for _, r := range s {
		if r == ' ' || r == '|' || r == '[' || r == ']' {
			if cur != "" {
				out = append(out, cur)
			}
			cur = ""
			continue
		}
		cur += string(r)
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// hand parses "[A 5 K | A 5 K]"; ranks without suits get distinct suits so
// that a hand written with repeated ranks is still six real cards.
func hand(t testing.TB, s string) [6]Card {
	t.Helper()
	f := splitFields(s)
	if len(f) != 6 {
		t.Fatalf("hand %q: want 6 cards", s)
	}
	var h [6]Card
	suits := "SHDC"
	used := map[string]int{}
	for i, x := range f {
		if len(x) == 1 {
			k := used[x]
			used[x]++
			x += string(suits[k%4])
		}
		c, err := ParseCard(x)
		if err != nil {
			t.Fatal(err)
		}
		h[i] = c
	}
	return h
}

// setHand puts cards into seat p's grid, face-down except the positions in up.
// It constructs states real play might not reach ("(constructed)" in rules §15).
func setHand(s *State, p int, h [6]Card, up ...int) {
	s.players[p].hand = h
	s.players[p].up = 0
	for _, pos := range up {
		s.players[p].up |= 1 << pos
	}
	s.players[p].refreshSlots(&s.settings.Options)
}

// playing starts an n-player game with initial_flips=0 and the other
// options, so round 1 is dealt and s1 (the first player) is at turn_start.
func playing(t testing.TB, n int, change ...func(*Options)) *State {
	t.Helper()
	s := started(t, n, opts(append([]func(*Options){noFlips}, change...)...))
	if s.phase != PhasePlaying || s.current != 1 || s.step != StepTurnStart {
		t.Fatalf("started game is in %v/%v with current %d", s.phase, s.step, s.current)
	}
	return s
}

// down makes seat p's dealt cards face-up except at the given positions
// ("(constructed)": real play reaches these grids only over many turns).
func down(s *State, p int, positions ...int) {
	s.players[p].up = allUp
	for _, pos := range positions {
		s.players[p].up &^= 1 << pos
	}
	s.players[p].refreshSlots(&s.settings.Options)
}

// setDeck replaces the deck, top card first.
func setDeck(s *State, cs ...Card) { s.deck = slices.Clone(cs) }

// setDiscard replaces the discard pile, bottom card first.
func setDiscard(s *State, cs ...Card) { s.discard = slices.Clone(cs) }

// card parses one card of deck 0 ("8H", "JK").
func card(t testing.TB, s string) Card {
	t.Helper()
	c, err := ParseCard(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// isUp reports whether seat p's card at pos is face-up.
func isUp(s *State, p, pos int) bool { return s.players[p].up&(1<<pos) != 0 }

// discardTop returns the top of the discard pile, or NoCard.
func discardTop(s *State) Card {
	if len(s.discard) == 0 {
		return NoCard
	}
	return s.discard[len(s.discard)-1]
}

// clone deep-copies a state so tests can check that Decide changes nothing.
func clone(s *State) *State {
	c := *s
	c.deck = slices.Clone(s.deck)
	c.discard = slices.Clone(s.discard)
	return &c
}

// randomOptions draws any valid option set.
func randomOptions(r *rand.Rand) Options {
	o := Options{
		FlipMode:     FlipMode(r.IntN(3)),
		InitialFlips: r.IntN(3),
		Jokers:       Jokers(r.IntN(4)),
	}
	for _, b := range boolOptions {
		*b.field(&o) = r.IntN(3) == 0
	}
	return o
}
