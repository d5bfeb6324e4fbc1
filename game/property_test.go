package game

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// randomGame plays one game of random legal moves, with departures, garbage
// commands and lobby changes mixed in, calling check after every accepted
// command. It is the engine's model of "anything a table might do".
type randomGame struct {
	t     testing.TB
	r     *rand.Rand
	live  *State
	seeds uint64
	moves []Command
	view  View
	// onEvents, if set, sees every accepted command's events.
	onEvents func(c Command, evs []Event)
	// onReject, if set, sees every rejected command.
	onReject func(c Command, before *State, err error)
	// garbage is the probability of a random (often illegal) command per step.
	garbage float64
	leaves  bool
}

func (g *randomGame) seed() Seed { g.seeds++; return testSeed(g.r.Uint64() ^ g.seeds) }

// do decides and applies c; it reports whether c was accepted.
func (g *randomGame) do(c Command) bool {
	var before *State
	if g.onReject != nil {
		before = clone(g.live)
	}
	evs, err := Decide(g.live, c)
	if err != nil {
		if evs != nil {
			g.t.Fatalf("%v rejected (%v) but returned %d events", c.Kind, err, len(evs))
		}
		if CodeOf(err) == "" {
			g.t.Fatalf("%v rejected without a code: %v", c.Kind, err)
		}
		if g.onReject != nil {
			g.onReject(c, before, err)
		}
		return false
	}
	if len(evs) == 0 {
		g.t.Fatalf("%v accepted with no events", c.Kind)
	}
	if g.onEvents != nil {
		g.onEvents(c, evs)
	}
	for _, e := range evs {
		if err := g.live.Apply(e); err != nil {
			g.t.Fatalf("apply %s after %v: %v", e.Type(), c.Kind, err)
		}
	}
	return true
}

// setup creates, fills and starts a random table.
func (g *randomGame) setup() {
	r := g.r
	n := 2 + r.IntN(5)
	set := Settings{Decks: r.IntN(4), Rounds: 1 + r.IntN(3), Options: randomOptions(r)}
	if r.IntN(10) == 0 {
		set.Rounds = 9
	}
	g.do(CreateGameCmd(pid(0), "P0", "WXYZ", DefaultSettings()))
	profiles := []string{"sofia", "maya", "priya", "marcus", "kenji"}
	for i := 1; i < n; i++ {
		if r.IntN(3) == 0 {
			g.do(AddCPUCmd(pid(0), pid(i), "CPU "+strconv.Itoa(i), profiles[i-1]))
		} else {
			g.do(JoinCmd(pid(i), "P"+strconv.Itoa(i)))
		}
	}
	if g.leaves && n > 2 && r.IntN(4) == 0 {
		// Someone leaves the lobby and comes back: the seat order changes.
		i := 1 + r.IntN(n-1)
		if g.do(LeaveCmd(pid(i))) {
			g.do(JoinCmd(pid(i), "Back"))
		}
	}
	g.do(ChangeSettingsCmd(pid(0), set))
	if !g.do(StartGameCmd(pid(0), g.seed())) {
		g.t.Fatalf("start refused")
	}
}

// actor picks who acts next: the current player, or anyone yet to flip.
func (g *randomGame) actor() int {
	s := g.live
	if s.phase == PhaseInitialFlip {
		var waiting []int
		for i := range s.n {
			if s.AwaitingFlip(i) {
				waiting = append(waiting, i)
			}
		}
		return waiting[g.r.IntN(len(waiting))]
	}
	return s.current
}

// step plays one random action; it reports false once the game is over.
func (g *randomGame) step() bool {
	s, r := g.live, g.r
	switch {
	case s.phase == PhaseGameOver:
		return false
	case r.Float64() < g.garbage:
		g.do(g.randomCommand())
	case g.leaves && r.IntN(400) == 0:
		seats := g.seatedList()
		p := seats[r.IntN(len(seats))]
		if r.IntN(2) == 0 {
			g.do(LeaveCmd(s.players[p].id))
		} else {
			g.do(RemovePlayerCmd(Platform, s.players[p].id, ReasonTimedOut))
		}
	case g.leaves && r.IntN(3000) == 0:
		g.do(EndGameCmd(Platform))
	case g.leaves && r.IntN(150) == 0:
		// The platform starts or stops playing for an absent human.
		p := g.seatedList()[0]
		if !s.players[p].cpu {
			if r.IntN(4) == 0 {
				g.do(ReplaceCmd(s.players[p].id)) // the host removed them mid-game
			} else {
				g.do(AutoplayCmd(s.players[p].id, !s.players[p].auto))
			}
		}
	case s.phase == PhaseRoundOver:
		by := Platform
		if s.host >= 0 && r.IntN(2) == 0 {
			by = s.players[s.host].id
		}
		g.do(NextRoundCmd(by, g.seed()))
	default:
		p := g.actor()
		s.ViewInto(&g.view, p)
		g.moves = g.view.Moves(g.moves[:0])
		if len(g.moves) == 0 {
			g.t.Fatalf("seat %d has no move in phase %v step %v", p, s.phase, s.step)
		}
		c := g.moves[r.IntN(len(g.moves))]
		if !g.do(c) {
			g.t.Fatalf("legal move %v by %s rejected", c.Kind, c.By)
		}
	}
	return true
}

func (g *randomGame) seatedList() []int {
	var out []int
	for i := range g.live.n {
		if !g.live.players[i].left {
			out = append(out, i)
		}
	}
	return out
}

// randomCommand builds an arbitrary command: any kind, any actor (seated,
// departed, unknown, the platform), any arguments.
func (g *randomGame) randomCommand() Command {
	r := g.r
	by := []string{pid(r.IntN(7)), "stranger", Platform, ""}[r.IntN(4)]
	c := Command{Kind: Kind(r.IntN(int(numKinds) + 1)), By: by, Pos: r.IntN(9) - 2, Source: Source(r.IntN(4))}
	for range r.IntN(4) {
		c.Positions = append(c.Positions, r.IntN(8)-1)
	}
	c.Player = pid(r.IntN(7))
	c.Name = "X"
	c.Profile = "diego"
	c.Seed = g.seed()
	c.Settings = DefaultSettings()
	if c.Kind == CmdCreateGame || c.Kind == CmdJoin {
		c.Kind = CmdDraw // the lobby is over; keep garbage about the game
	}
	return c
}

func TestReplayEquivalence(t *testing.T) {
	games := 2500
	if testing.Short() {
		games = 250
	}
	var events, rejected int
	for gi := range games {
		r := rand.New(rand.NewPCG(uint64(gi), 0xfeed))
		rebuilt := new(State)
		g := &randomGame{t: t, r: r, live: new(State), garbage: 0.25, leaves: true}
		g.onEvents = func(c Command, evs []Event) {
			// Fold each event into a copy of the live state and, encoded and
			// decoded exactly as the store holds it, into the rebuilt state;
			// they must agree after every event, not only at the end.
			shadow := clone(g.live)
			for _, e := range evs {
				b, err := MarshalEvent(e)
				if err != nil {
					t.Fatal(err)
				}
				d, err := UnmarshalEvent(b)
				if err != nil {
					t.Fatalf("game %d: decode %s: %v", gi, b, err)
				}
				if err := rebuilt.Apply(d); err != nil {
					t.Fatalf("game %d: rebuild %s: %v", gi, e.Type(), err)
				}
				if err := shadow.Apply(e); err != nil {
					t.Fatalf("game %d: apply %s: %v", gi, e.Type(), err)
				}
				if !equalState(shadow, rebuilt) {
					t.Fatalf("game %d: state rebuilt from the log differs after %s", gi, e.Type())
				}
				events++
			}
		}
		g.onReject = func(c Command, before *State, err error) {
			rejected++
			if !equalState(before, g.live) {
				t.Fatalf("game %d: rejected %v changed the state", gi, c.Kind)
			}
		}
		g.setup()
		for step := 0; g.step(); step++ {
			if step > 20000 {
				t.Fatalf("game %d did not end", gi)
			}
			checkDecidePure(t, g)
		}
	}
	t.Logf("%d games, %d events, %d rejected commands", games, events, rejected)
}

// checkDecidePure runs every legal move and a random command through Decide
// and checks that the state is unchanged afterwards.
func checkDecidePure(t *testing.T, g *randomGame) {
	s := g.live
	if s.phase == PhaseGameOver || s.phase == PhaseRoundOver {
		return
	}
	before := clone(s)
	p := g.actor()
	v := s.View(p)
	for _, c := range v.Moves(nil) {
		if _, err := Decide(s, c); err != nil {
			t.Fatalf("legal move %v rejected: %v", c.Kind, err)
		}
	}
	Decide(s, g.randomCommand())
	if !equalState(before, s) {
		t.Fatalf("Decide changed the state")
	}
}

// TestMovesMatchDecide checks that View.Moves lists exactly the game
// commands Decide accepts: random commands are accepted if and only if the
// sender's view lists them.
func TestMovesMatchDecide(t *testing.T) {
	games := 400
	if testing.Short() {
		games = 50
	}
	checked := 0
	for gi := range games {
		r := rand.New(rand.NewPCG(uint64(gi), 0xbeef))
		g := &randomGame{t: t, r: r, live: new(State), leaves: true}
		g.setup()
		for g.step() {
			s := g.live
			for range 4 {
				c := g.randomCommand()
				if c.Kind != CmdFlipInitial && (c.Kind < CmdDraw || c.Kind > CmdKnock) {
					continue
				}
				p := s.Seat(c.By)
				_, err := Decide(s, c)
				listed := false
				if p >= 0 {
					v := s.View(p)
					for _, m := range v.Moves(nil) {
						listed = listed || sameCommand(m, c)
					}
				}
				if listed != (err == nil) {
					t.Fatalf("game %d: %v by %s pos %d src %v %v: listed=%v, Decide: %v",
						gi, c.Kind, c.By, c.Pos, c.Source, c.Positions, listed, err)
				}
				checked++
			}
		}
	}
	t.Logf("%d random commands checked", checked)
}

func sameCommand(a, b Command) bool {
	if a.Kind != b.Kind || a.By != b.By {
		return false
	}
	switch a.Kind {
	case CmdSwap, CmdFlip, CmdFlipAsAction:
		return a.Pos == b.Pos
	case CmdDraw:
		return a.Source == b.Source
	case CmdFlipInitial:
		x, y := slices.Clone(a.Positions), slices.Clone(b.Positions)
		slices.Sort(x)
		slices.Sort(y)
		return slices.Equal(x, y)
	}
	return true
}

// TestViewsLeakNothing checks rules §12 at every step of random games, for
// every seat and a spectator: no view names a face-down card, a deck card,
// another player's deck draw or the seed; and every seat's view equals the
// spectator's except for the viewer's own deck draw (H09).
func TestViewsLeakNothing(t *testing.T) {
	games := 2500
	if testing.Short() {
		games = 250
	}
	views := 0
	var reused View // filled by ViewInto for every seat of every game
	for gi := range games {
		r := rand.New(rand.NewPCG(uint64(gi), 0x1eaf))
		g := &randomGame{t: t, r: r, live: new(State), leaves: true}
		g.onEvents = func(c Command, evs []Event) { checkFeed(t, g.live, evs) }
		g.setup()
		for step := 0; g.step(); step++ {
			views += checkViews(t, g.live, step%8 == 0, &reused)
		}
		views += checkViews(t, g.live, true, &reused)
	}
	t.Logf("%d views checked", views)
}

// checkViews checks every view of s: each seat's view equals the
// spectator's except the viewer's own deck draw (H09), and the spectator's
// and the drawer's views name no card they may not know. Each view is a
// value, so what holds for the spectator's holds for every seat but the
// drawer's. With encode, the views' JSON is searched as well (see
// checkViewCards). It also checks that a view refilled by ViewInto, as a
// simulator refills one, equals a fresh one, and that every seat's public
// grid, which Apply keeps, matches its cards.
func checkViews(t *testing.T, s *State, encode bool, reused *View) int {
	t.Helper()
	for i := range s.n {
		if pl := &s.players[i]; pl.slots != pl.publicSlots() {
			t.Fatalf("seat %d's public grid %v does not match its cards %v (up %06b)", i, pl.slots, pl.hand, pl.up)
		}
	}
	if want := revealedCards(s); s.seen != want {
		t.Fatalf("seen %+v, want %+v (the cards now in sight or in the reshuffle pool)", s.seen, want)
	}
	spec := s.View(Spectator)
	drawer := Spectator
	for seat := range s.n {
		v := s.View(seat)
		s.ViewInto(reused, seat)
		if !equalView(reused, &v) {
			t.Fatalf("seat %d: a refilled view differs from a fresh one:\n%+v\n%+v", seat, *reused, v)
		}
		v.Seat = Spectator
		if v.Held != nil && v.Held.From == SourceDeck && seat == s.current {
			drawer = seat
			h := *v.Held
			h.Card = NoCard
			v.Held = &h
		}
		if !equalView(&v, &spec) {
			t.Fatalf("view of seat %d differs from the spectator's:\n%+v\n%+v", seat, v, spec)
		}
	}
	checkViewCards(t, s, spec, encode)
	if drawer != Spectator {
		checkViewCards(t, s, s.View(drawer), encode)
	}
	return s.n + 1
}

// checkViewCards checks that v names no card its viewer may not know: a
// face-down card, a departed hand, the deck, or a card another player drew
// from the deck. It walks the view's card fields; with encode it also
// searches the view's JSON for the seed and checks that the JSON names
// exactly the cards the walk found, so that a card field added to View
// without updating the walk is caught.
// revealedCards works out, from where the cards are now, what everyone has
// seen this round: a card once revealed stays in sight (face-up in a grid,
// on the pile, or held off the pile) until a reshuffle takes it into the
// pool, where it stays until it is revealed again. Each physical card is in
// one place, so two jokers of a deck count as two only when there are two.
func revealedCards(s *State) CardSet {
	var seen CardSet
	if s.phase == PhaseNew || s.phase == PhaseWaiting {
		return CardSet{}
	}
	for i := range s.n {
		pl := &s.players[i]
		for pos := range 6 {
			if pl.up&(1<<pos) != 0 {
				seen.Add(pl.hand[pos])
			}
		}
	}
	for _, c := range s.discard {
		seen.Add(c)
	}
	if s.heldFrom == SourceDiscard {
		seen.Add(s.held)
	}
	for w, word := range s.pool.bits {
		seen.bits[w] |= word
	}
	for d, n := range s.pool.joker {
		seen.joker[d] = min(2, seen.joker[d]+n)
	}
	return seen
}

func checkViewCards(t *testing.T, s *State, v View, encode bool) {
	t.Helper()
	// Cards nobody may know: face-down cards (and departed hands) and the deck.
	var secret, allowed, named cardMarks
	for i := range s.n {
		pl := &s.players[i]
		for pos := range 6 {
			if pl.up&(1<<pos) == 0 || pl.left {
				secret.markCard(pl.hand[pos])
			}
		}
	}
	for _, c := range s.deck {
		secret.markCard(c)
	}
	if s.step == StepHolding && s.heldFrom == SourceDeck && v.Seat != s.current {
		secret.markCard(s.held)
	}
	// What the viewer may know comes from the state, never from the view
	// under test: face-up grid cards, the discard pile, and the held card if
	// it came from the discard pile or the viewer drew it.
	for i := range s.n {
		if pl := &s.players[i]; !pl.left {
			for pos := range 6 {
				if pl.up&(1<<pos) != 0 {
					allowed.markCard(pl.hand[pos])
				}
			}
		}
	}
	for _, c := range s.discard {
		allowed.markCard(c)
	}
	if s.step == StepHolding && (s.heldFrom == SourceDiscard || v.Seat == s.current) {
		allowed.markCard(s.held)
	}
	// The cards the view names (the results of finished rounds are public:
	// every hand is revealed).
	for i, sv := range v.Seats {
		for pos, sl := range sv.Cards {
			if !sl.Up && !sl.Card.IsZero() {
				t.Fatalf("seat %d sees a face-down card at %d/%d", v.Seat, i, pos)
			}
			named.markCard(sl.Card)
		}
	}
	for _, c := range v.Discard {
		named.markCard(c)
	}
	if v.Held != nil {
		named.markCard(v.Held.Card)
	}
	for i := range named {
		if named[i] && secret[i] && !allowed[i] {
			t.Fatalf("view of seat %d (phase %v) leaks %v", v.Seat, s.phase, FaceCard(i%54))
		}
	}
	if !encode {
		return
	}
	v.LastRound, v.Result = nil, nil
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if seedHex, _ := s.seed.MarshalText(); bytes.Contains(b, seedHex) {
		t.Fatalf("view of seat %d contains the seed", v.Seat)
	}
	var encoded cardMarks
	encoded.scan(t, b)
	if encoded != named {
		t.Fatalf("view of seat %d names cards in JSON that checkViewCards does not walk: %s", v.Seat, b)
	}
}

// checkFeed checks that the live feed of every event, as each seat and a
// spectator receive it, names no card that seat may not know: a deck draw
// reaches only the drawer, and RoundStarted (the seed) reaches nobody.
func checkFeed(t *testing.T, s *State, evs []Event) {
	t.Helper()
	for _, e := range evs {
		for seat := Spectator; seat < s.n; seat++ {
			r, ok := Redact(e, seat, s)
			switch e.(type) {
			case RoundStarted, GameStarted:
				if ok {
					t.Fatalf("%s sent to seat %d", e.Type(), seat)
				}
				continue
			}
			d, isDraw := e.(CardDrawn)
			if isDraw && d.Source == SourceDeck && (seat < 0 || s.players[seat].id != d.PlayerID) {
				// Every other event is sent as it is, public (§14.2).
				b, err := MarshalEvent(r)
				if err != nil {
					t.Fatal(err)
				}
				enc, _ := d.Card.MarshalJSON()
				if bytes.Contains(b, enc) || bytes.Contains(b, []byte(`"card"`)) {
					t.Fatalf("deck draw %v shown to seat %d: %s", d.Card, seat, b)
				}
			}
		}
	}
}

// cardMarks records card identities (rank, suit, deck).
type cardMarks [4 * 54]bool

func (m *cardMarks) mark(c Card) { m[int(c.Deck)*54+c.Face()] = true }
func (m *cardMarks) markCard(c Card) {
	if !c.IsZero() {
		m.mark(c)
	}
}
func (m *cardMarks) has(c Card) bool { return m[int(c.Deck)*54+c.Face()] }

// scan marks every card encoded anywhere in a JSON document.
func (m *cardMarks) scan(t *testing.T, b []byte) {
	pat := []byte(`{"rank":"`)
	for {
		i := bytes.Index(b, pat)
		if i < 0 {
			return
		}
		j := bytes.IndexByte(b[i:], '}')
		var c Card
		if err := c.UnmarshalJSON(b[i : i+j+1]); err != nil {
			t.Fatalf("card in view: %v", err)
		}
		m.mark(c)
		b = b[i+j+1:]
	}
}

func ExampleDecide() {
	s := new(State)
	for _, c := range []Command{
		CreateGameCmd("ann", "Ann", "GOLF", DefaultSettings()),
		JoinCmd("bob", "Bob"),
		StartGameCmd("ann", testSeed(7)),
	} {
		evs, err := Decide(s, c)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, e := range evs {
			s.Apply(e)
		}
	}
	_, err := Decide(s, DrawCmd("bob", SourceDeck))
	fmt.Println(err)
	// Output: wrong_phase: not allowed while the game is initial_flip
}
