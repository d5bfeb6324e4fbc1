package game

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestLogMatchesDecide plays random games (garbage commands, departures and
// every option included) and checks, for every command, that DecideLog
// records exactly the events Decide returns and that folding them through
// the Log leaves the state Apply leaves, event by event; a rejected command
// gets the same error and leaves the log as it was.
func TestLogMatchesDecide(t *testing.T) {
	games := 600
	if testing.Short() {
		games = 100
	}
	var l Log
	kinds := map[string]int{}
	for gi := range games {
		r := rand.New(rand.NewPCG(uint64(gi), 0x10c))
		g := &randomGame{t: t, r: r, live: new(State), garbage: 0.25, leaves: true}
		l.Reset()
		g.onEvents = func(c Command, evs []Event) {
			n := l.Len()
			byLog := clone(g.live)
			if err := DecideLog(&l, byLog, &c); err != nil {
				t.Fatalf("game %d: %v accepted by Decide, rejected by DecideLog: %v", gi, c.Kind, err)
			}
			if got := l.Events(nil)[n:]; !reflect.DeepEqual(got, evs) {
				t.Fatalf("game %d: %v: DecideLog recorded %#v, Decide returned %#v", gi, c.Kind, got, evs)
			}
			byApply := clone(g.live)
			for i, e := range evs {
				if got := l.Type(n + i); got != e.Type() {
					t.Fatalf("game %d: Type is %q, want %q", gi, got, e.Type())
				}
				if !reflect.DeepEqual(l.Event(n+i), e) {
					t.Fatalf("game %d: Event(%d) differs from %s", gi, n+i, e.Type())
				}
				errA, errL := byApply.Apply(e), l.Apply(byLog, n+i)
				if (errA == nil) != (errL == nil) {
					t.Fatalf("game %d: %s: Apply %v, Log.Apply %v", gi, e.Type(), errA, errL)
				}
				if !equalState(byApply, byLog) {
					t.Fatalf("game %d: states differ after %s", gi, e.Type())
				}
				kinds[e.Type()]++
			}
		}
		g.onReject = func(c Command, before *State, err error) {
			n := l.Len()
			errL := DecideLog(&l, clone(before), &c)
			if errL == nil || errL.Error() != err.Error() || CodeOf(errL) != CodeOf(err) {
				t.Fatalf("game %d: %v rejected by Decide (%v), DecideLog says %v", gi, c.Kind, err, errL)
			}
			if l.Len() != n {
				t.Fatalf("game %d: rejected %v left %d events in the log", gi, c.Kind, l.Len()-n)
			}
		}
		g.setup()
		for step := 0; g.step(); step++ {
			if step > 20000 {
				t.Fatalf("game %d did not end", gi)
			}
		}
	}
	// Every event type a game can produce was compared.
	for _, k := range []string{"GameCreated", "PlayerJoined", "PlayerLeft", "SettingsChanged", "GameStarted",
		"RoundStarted", "InitialCardsFlipped", "CardDrawn", "DiscardReturned", "CardSwapped", "CardDiscarded",
		"CardFlipped", "FlipSkipped", "FlipAsAction", "Knocked", "RoundEnded", "GameEnded", "AutoplayChanged"} {
		if kinds[k] == 0 {
			t.Errorf("no %s event was compared", k)
		}
	}
}

// TestLogApplyRejectsForgery checks that a Log entry that does not fit the
// state is refused like the boxed event: Log.Apply is no back door.
func TestLogApplyRejectsForgery(t *testing.T) {
	s := playing(t, 3)
	var l Log
	c := DrawCmd(s.players[s.current].id, SourceDeck)
	if err := DecideLog(&l, s, &c); err != nil {
		t.Fatal(err)
	}
	forged := l
	forged.recs = []rec{l.recs[0]}
	forged.recs[0].cards[0] = Card{Rank: Joker, Suit: Spades, Deck: 3}
	if err := forged.Apply(clone(s), 0); err == nil {
		t.Fatal("a forged draw was applied")
	}
	if err := l.Apply(s, 0); err != nil {
		t.Fatalf("the real draw: %v", err)
	}
}

// TestLogDealOnlyForItsRound checks that Log.Apply hands a state the deal
// DecideLog worked out only when it is that round's deal: for another
// seed, deck count or joker rule it deals from the seed as Apply does, and
// either way the state is the one the boxed event gives.
func TestLogDealOnlyForItsRound(t *testing.T) {
	cases := []struct {
		name   string
		forge  func(d *wholeDeal)
		reused bool // the log's deal is the one applied
	}{
		{"its own deal", func(*wholeDeal) {}, true},
		// The forged deals are reversed too: used, they would deal another round.
		{"another seed", func(d *wholeDeal) { d.seed[0] ^= 1; slices.Reverse(d.cards) }, false},
		{"another deck count", func(d *wholeDeal) { d.decks++; slices.Reverse(d.cards) }, false},
		{"another joker rule", func(d *wholeDeal) { d.jokers = JokersLuckySwing; slices.Reverse(d.cards) }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := lobby(t, 3, DefaultSettings())
			var l Log
			c := StartGameCmd(pid(0), testSeed(7))
			if err := DecideLog(&l, s, &c); err != nil {
				t.Fatal(err)
			}
			if l.Len() != 2 || l.Type(1) != "RoundStarted" || l.dealAt != 2 {
				t.Fatalf("log %d entries, deal at %d", l.Len(), l.dealAt)
			}
			if err := l.Apply(s, 0); err != nil {
				t.Fatal(err)
			}
			if got := l.deal.of(dealing{decks: s.settings.Decks, jokers: s.settings.Options.Jokers}, testSeed(7)); !got {
				t.Fatal("the log holds no deal for its round")
			}
			tc.forge(&l.deal)
			d := dealing{decks: s.settings.Decks, jokers: s.settings.Options.Jokers}
			if got := l.deal.of(d, testSeed(7)); got != tc.reused {
				t.Fatalf("deal fits: %v, want %v", got, tc.reused)
			}
			byEvent := clone(s)
			if err := byEvent.Apply(l.Event(1)); err != nil {
				t.Fatal(err)
			}
			if err := l.Apply(s, 1); err != nil {
				t.Fatal(err)
			}
			if !equalState(s, byEvent) {
				t.Fatal("Log.Apply dealt another round than Apply")
			}
			// The state's deck is its own: the log's next deal cannot touch it.
			deck := slices.Clone(s.deck)
			clear(l.deal.cards)
			if !slices.Equal(deck, s.deck) {
				t.Fatal("the state's deck shares the log's buffer")
			}
		})
	}
}
