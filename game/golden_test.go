package game

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with the file testdata/name, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./game -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed: the stored format is pinned; if the change is deliberate, version it and run with -update.\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// goldenEvents holds one representative instance of every event type,
// stored under testdata/events/<type>.json.
func goldenEvents() map[string]Event {
	qh, js, jk := Card{Queen, Hearts, 0}, Card{Jack, Spades, 1}, Card{Joker, NoSuit, 1}
	h := [6]Card{{Ace, Spades, 0}, {Five, Hearts, 0}, {King, Clubs, 0}, {Ace, Hearts, 1}, {Five, Diamonds, 0}, {Three, Clubs, 0}}
	seed := testSeed(42)
	set := Settings{Decks: 2, Rounds: 5, Options: opts(flipMode(FlipEndgame), jokers(JokersStandard), knockBonus)}
	return map[string]Event{
		"GameCreated":         GameCreated{RoomCode: "KDRT", HostID: "ann", Settings: set},
		"PlayerJoined":        PlayerJoined{PlayerID: "cpu-sofia", Name: "Sofia", CPU: true, Profile: "sofia", AddedBy: "ann"},
		"PlayerLeft":          PlayerLeft{PlayerID: "bob", Reason: ReasonTimedOut, HeldCard: qh, RemovedBy: Platform},
		"SettingsChanged":     SettingsChanged{PlayerID: "ann", Settings: DefaultSettings()},
		"GameStarted":         GameStarted{PlayerID: "ann", Players: []string{"ann", "bob", "cpu-sofia"}, Decks: 2, Rounds: 5, Options: set.Options},
		"RoundStarted":        RoundStarted{Round: 1, DealerID: "ann", FirstPlayerID: "bob", Seed: seed, Discard: js, DeckSize: 89},
		"InitialCardsFlipped": InitialCardsFlipped{PlayerID: "bob", Positions: []int{0, 3}, Cards: []Card{qh, jk}},
		"CardDrawn":           CardDrawn{PlayerID: "bob", Source: SourceDeck, Card: jk, Reshuffled: true},
		"DiscardReturned":     DiscardReturned{PlayerID: "bob", Card: js},
		"CardSwapped":         CardSwapped{PlayerID: "bob", Position: 4, NewCard: jk, OldCard: qh, OldWasFaceUp: true},
		"CardDiscarded":       CardDiscarded{PlayerID: "bob", Card: qh, Flip: FlipOptional},
		"CardFlipped":         CardFlipped{PlayerID: "bob", Position: 2, Card: js},
		"FlipSkipped":         FlipSkipped{PlayerID: "bob"},
		"FlipAsAction":        FlipAsAction{PlayerID: "bob", Position: 5, Card: qh},
		"Knocked":             Knocked{PlayerID: "bob", Positions: []int{1, 5}, Cards: []Card{jk, qh}},
		"AutoplayChanged":     AutoplayChanged{PlayerID: "bob", On: true},
		"RoundEnded": RoundEnded{
			Round: 5, Reason: ReasonWentOut, FinisherID: "bob",
			Players: []RoundPlayer{
				{PlayerID: "ann", Hand: h, HandScore: 3, Adjustments: []Adjustment{{"underdog_bonus", -3}}, RoundScore: 0, Total: 21, RoundsWon: 2},
				{PlayerID: "bob", Hand: h, HandScore: 12, Adjustments: []Adjustment{{"knock_penalty", 10}, {"knock_bonus", -5}}, RoundScore: 17, Total: 40, RoundsWon: 1},
			},
			Winners: []string{"ann"},
		},
		"GameEnded": GameEnded{
			Reason: ReasonCompleted,
			Players: []GamePlayer{
				{PlayerID: "ann", Total: 21, RoundsWon: 2},
				{PlayerID: "bob", Total: 40, RoundsWon: 1},
				{PlayerID: "cpu-sofia", Total: 14, RoundsWon: 2, Departed: true},
			},
			Winners: []string{"ann"},
		},
	}
}

// TestGoldenEvents pins the stored encoding of every event type.
func TestGoldenEvents(t *testing.T) {
	evs := goldenEvents()
	names := EventTypeNames()
	slices.Sort(names)
	if len(names) != len(evs) {
		t.Errorf("%d event types, %d golden instances", len(names), len(evs))
	}
	for _, name := range names {
		e, ok := evs[name]
		if !ok {
			t.Errorf("no golden instance of %s", name)
			continue
		}
		if e.Type() != name {
			t.Errorf("instance for %s has type %s", name, e.Type())
		}
		b, err := MarshalEvent(e)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		golden(t, filepath.Join("events", name+".json"), append(b, '\n'))
		// The file decodes to the event: reading is pinned as well as writing.
		stored, err := os.ReadFile(filepath.Join("testdata", "events", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		d, err := UnmarshalEvent(bytes.TrimSpace(stored))
		if err != nil || !reflect.DeepEqual(d, e) {
			t.Errorf("%s: golden file decodes to %+v, %v; want %+v", name, d, err, e)
		}
	}
}

// goldenGame plays a fixed two-player, one-round game of Speed Golf with a
// fixed seed and a simple deterministic policy (not View.Moves, so that the
// log changes only when the rules, the shuffle or the encoding do). It
// returns the log and a view of a seat mid-turn, holding a deck card.
func goldenGame(t *testing.T) ([]Event, View) {
	t.Helper()
	set := Settings{Rounds: 1, Options: opts(flipMode(FlipAlways))}
	var log []Event
	s := new(State)
	do := func(c Command) {
		t.Helper()
		log = append(log, mustDo(t, s, c)...)
	}
	do(CreateGameCmd("ann", "Ann", "GOLF", set))
	do(JoinCmd("bob", "Bob"))
	do(StartGameCmd("ann", testSeed(2026)))
	do(FlipInitialCmd("bob", 1, 4))
	do(FlipInitialCmd("ann", 0, 5))
	o := &s.settings.Options
	var mid View
	captured := false
	for s.phase == PhasePlaying || s.phase == PhaseFinalTurn {
		p := s.current
		id := s.players[p].id
		pl := &s.players[p]
		firstDown := func() int {
			for pos := range 6 {
				if pl.up&(1<<pos) == 0 {
					return pos
				}
			}
			return -1
		}
		// The face-up card of highest value, to replace.
		worst := func() int {
			w := -1
			for pos := range 6 {
				if pl.up&(1<<pos) != 0 && (w < 0 || o.Value(pl.hand[pos]) > o.Value(pl.hand[w])) {
					w = pos
				}
			}
			return w
		}
		target := func(c Card) int {
			if w := worst(); w >= 0 && o.Value(pl.hand[w]) > o.Value(c) {
				return w
			}
			return firstDown()
		}
		if top := discardTop(s); o.Value(top) <= 3 && target(top) >= 0 {
			do(DrawCmd(id, SourceDiscard))
			do(SwapCmd(id, target(top)))
			continue
		}
		do(DrawCmd(id, SourceDeck))
		if !captured && p == 1 {
			mid, captured = s.View(p), true
		}
		if o.Value(s.held) <= 5 && target(s.held) >= 0 {
			do(SwapCmd(id, target(s.held)))
			continue
		}
		do(DiscardCmd(id))
		if s.step == StepFlipOwed {
			do(FlipCmd(id, firstDown()))
		}
	}
	if s.phase != PhaseGameOver {
		t.Fatalf("golden game stopped in phase %v", s.phase)
	}
	return log, mid
}

// TestGoldenGameLog pins a whole game's stored log. Folding the file must
// give the same result: a change to the shuffle generator, the deal, the
// scoring or the encoding breaks it.
func TestGoldenGameLog(t *testing.T) {
	const name = "game_2p_1round.jsonl"
	log, _ := goldenGame(t)
	var buf bytes.Buffer
	for _, e := range log {
		b, err := MarshalEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	golden(t, name, buf.Bytes())

	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := new(State)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		e, err := UnmarshalEvent(sc.Bytes())
		if err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if err := s.Apply(e); err != nil {
			t.Fatalf("line %d (%s): %v", n+1, e.Type(), err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	// The game's result, fixed when the file was first written. It is in
	// the test, not in testdata/, so that -update cannot change it.
	const wantEvents = 40
	want := GameEnded{
		Reason: ReasonCompleted,
		Players: []GamePlayer{
			{PlayerID: "ann", Total: 9, RoundsWon: 1},
			{PlayerID: "bob", Total: 18, RoundsWon: 0},
		},
		Winners: []string{"ann"},
	}
	if got := s.Result(); got == nil || !reflect.DeepEqual(*got, want) || n != wantEvents {
		t.Errorf("the golden log (%d events) folds to %+v, want %d events and %+v", n, got, wantEvents, want)
	}
}

// TestGoldenView pins the wire form of a seat's view mid-turn: the seat
// holds a card drawn from the deck.
func TestGoldenView(t *testing.T) {
	_, v := goldenGame(t)
	if v.Held == nil || v.Held.From != SourceDeck || v.Held.Card.IsZero() || v.Seat != v.Current {
		t.Fatalf("view is not mid-turn with a deck card: %+v", v.Held)
	}
	b, err := json.MarshalIndent(&v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "view_seat_holding.json", append(b, '\n'))
}
