package game

import (
	"fmt"
	"slices"
	"testing"
)

// Rules §15.1: card values.
func TestCardValues(t *testing.T) {
	tests := []struct {
		name  string
		cards string
		o     Options
		want  []int
	}{
		{"ace is 1", "AS", opts(), []int{1}},                                                                                          // V01
		{"two is -2", "2S", opts(), []int{-2}},                                                                                        // V02
		{"three to nine at face value", "3S 4H 5D 6C 7S 8H 9D", opts(), []int{3, 4, 5, 6, 7, 8, 9}},                                   // V03
		{"ten is 10", "TS", opts(), []int{10}},                                                                                        // V04
		{"jack is 10", "JS", opts(), []int{10}},                                                                                       // V05
		{"queen is 10", "QS", opts(), []int{10}},                                                                                      // V06
		{"king is 0", "KS", opts(), []int{0}},                                                                                         // V07
		{"suit makes no difference", "KH 2S", opts(), []int{0, -2}},                                                                   // V08
		{"standard joker is -2", "JK", opts(func(o *Options) { o.Jokers = JokersStandard }), []int{-2}},                               // V09
		{"lucky swing joker is -5", "JK", opts(func(o *Options) { o.Jokers = JokersLuckySwing }), []int{-5}},                          // V10
		{"eagle eye joker alone is +2", "JK", opts(func(o *Options) { o.Jokers = JokersEagleEye }), []int{2}},                         // V11
		{"super kings are -2", "KS KH KD KC", opts(func(o *Options) { o.SuperKings = true }), []int{-2, -2, -2, -2}},                  // V12
		{"ten penny tens are 1", "TS TH TD TC", opts(func(o *Options) { o.TenPenny = true }), []int{1, 1, 1, 1}},                      // V13
		{"one-eyed jacks are 0, the others 10", "JH JS JC JD", opts(func(o *Options) { o.OneEyedJacks = true }), []int{0, 0, 10, 10}}, // V14
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, c := range cards(t, tt.cards) {
				for deck := range uint8(3) {
					c.Deck = deck // the back never affects a rule (§1.2)
					if got := tt.o.Value(c); got != tt.want[i] {
						t.Errorf("value(%v of deck %d) = %d, want %d", c, deck, got, tt.want[i])
					}
				}
			}
		})
	}
}

// Options set by name, for the vector tables.
var (
	superKings   = func(o *Options) { o.SuperKings = true }
	tenPenny     = func(o *Options) { o.TenPenny = true }
	negPairs     = func(o *Options) { o.NegativePairsKeepValue = true }
	wolfpack     = func(o *Options) { o.Wolfpack = true }
	fourKind     = func(o *Options) { o.FourOfAKind = true }
	oneEyed      = func(o *Options) { o.OneEyedJacks = true }
	knockPenalty = func(o *Options) { o.KnockPenalty = true }
	knockBonus   = func(o *Options) { o.KnockBonus = true }
	underdog     = func(o *Options) { o.UnderdogBonus = true }
	tiedShame    = func(o *Options) { o.TiedShame = true }
	blackjack    = func(o *Options) { o.Blackjack = true }
	flipAction   = func(o *Options) { o.FlipAsAction = true }
	knockEarly   = func(o *Options) { o.KnockEarly = true }
	jokers       = func(j Jokers) func(*Options) { return func(o *Options) { o.Jokers = j } }
	flipMode     = func(m FlipMode) func(*Options) { return func(o *Options) { o.FlipMode = m } }
	initialFlips = func(n int) func(*Options) { return func(o *Options) { o.InitialFlips = n } }
)

// Rules §15.2: hand scores before round-end adjustments.
func TestHandScores(t *testing.T) {
	standard, lucky, eagle := jokers(JokersStandard), jokers(JokersLuckySwing), jokers(JokersEagleEye)
	tests := []struct {
		name string
		hand string
		o    []func(*Options)
		want int
	}{
		{"a king pair scores 0", "[K 5 7 | K 3 9]", nil, 24},                                                              // S01
		{"three pairs score 0", "[A 5 K | A 5 K]", nil, 0},                                                                // S02
		{"no pairs", "[A 3 5 | 7 9 K]", nil, 25},                                                                          // S03
		{"a pair of twos scores 0, not -4", "[2 5 5 | 2 5 5]", nil, 0},                                                    // S04
		{"two king pairs and a two over an ace", "[2 K K | A K K]", nil, -1},                                              // S05
		{"super kings: an unpaired king is -2", "[K A A | 3 A A]", fs(superKings), 1},                                     // S06
		{"ten penny: an unpaired ten is 1", "[T K K | A K K]", fs(tenPenny), 2},                                           // S07
		{"lucky swing: the joker is -5", "[JK K K | A K K]", fs(lucky), -4},                                               // S08
		{"21 is no blackjack before the round ends", "[J A 3 | 4 2 5]", nil, 21},                                          // S09
		{"high cards, no pairs: 45", "[T 9 8 | 7 6 5]", nil, 45},                                                          // S10
		{"low cards and a king, no pairs: 7", "[A 3 4 | 2 K A]", nil, 7},                                                  // S11
		{"standard: a joker pair scores 0", "[JK 5 6 | JK 7 8]", fs(standard), 26},                                        // S12
		{"eagle eye: a joker pair scores -4", "[JK 5 6 | JK 7 8]", fs(eagle), 22},                                         // S13
		{"eagle eye: an unpaired joker is +2", "[JK 5 6 | A 7 8]", fs(eagle), 29},                                         // S14
		{"eagle eye: jokers side by side are no pair", "[JK JK 5 | 3 4 6]", fs(eagle), 22},                                // S15
		{"standard jokers over twos", "[JK JK 3 | 2 2 3]", fs(standard), -8},                                              // S16
		{"eagle eye jokers over twos", "[JK JK 3 | 2 2 3]", fs(eagle), 0},                                                 // S17
		{"negative pairs keep value: a standard joker pair is -4", "[JK 5 6 | JK 7 8]", fs(standard, negPairs), 22},       // S18
		{"a pair of twos beside high cards", "[2 5 6 | 2 7 8]", nil, 26},                                                  // S19
		{"negative pairs keep value: a pair of twos is -4", "[2 5 6 | 2 7 8]", fs(negPairs), 22},                          // S20
		{"super kings: a king pair is still 0", "[K 5 6 | K 7 8]", fs(superKings), 26},                                    // S21
		{"super kings, negative pairs keep value: a king pair is -4", "[K 5 6 | K 7 8]", fs(superKings, negPairs), 22},    // S22
		{"eagle eye, negative pairs keep value: a joker pair is -4", "[JK 5 6 | JK 7 8]", fs(eagle, negPairs), 22},        // S23
		{"lucky swing, negative pairs keep value: a joker pair is -10", "[JK 5 6 | JK 7 8]", fs(lucky, negPairs), 16},     // S24
		{"two jack pairs score 0", "[JH JS 5 | JC JD 6]", nil, 11},                                                        // S25
		{"wolfpack: two jack pairs earn -20", "[JH JS 5 | JC JD 6]", fs(wolfpack), -9},                                    // S26
		{"four of a kind: two jack pairs earn -20", "[JH JS 5 | JC JD 6]", fs(fourKind), -9},                              // S27
		{"wolfpack and four of a kind both count", "[JH JS 5 | JC JD 6]", fs(wolfpack, fourKind), -29},                    // S28
		{"one-eyed jacks: jack pairs are still 0", "[JH JS 5 | JC JD 6]", fs(oneEyed), 11},                                // S29
		{"one-eyed jacks with wolfpack", "[JH JS 5 | JC JD 6]", fs(oneEyed, wolfpack), -9},                                // S30
		{"wolfpack needs two jack pairs", "[J 3 5 | J 4 6]", fs(wolfpack), 18},                                            // S31
		{"wolfpack: the outer columns", "[J 5 J | J 6 J]", fs(wolfpack), -9},                                              // S32
		{"three jack pairs earn each bonus once", "[J J J | J J J]", fs(wolfpack, fourKind), -40},                         // S33
		{"four of a kind: adjacent columns", "[7 7 5 | 7 7 6]", fs(fourKind), -9},                                         // S34
		{"four of a kind: the outer columns", "[7 5 7 | 7 6 7]", fs(fourKind), -9},                                        // S35
		{"four of a kind needs two paired columns", "[7 7 5 | 6 7 7]", fs(fourKind), 25},                                  // S36
		{"four of a kind: three columns count once", "[7 7 7 | 7 7 7]", fs(fourKind), -20},                                // S37
		{"four of a kind beside another pair", "[7 7 5 | 7 7 5]", fs(fourKind), -20},                                      // S38
		{"four of a kind of twos", "[2 2 5 | 2 2 6]", fs(fourKind), -9},                                                   // S39
		{"four of a kind of twos keeping their value", "[2 2 5 | 2 2 6]", fs(fourKind, negPairs), -17},                    // S40
		{"four of a kind of eagle eye jokers", "[JK JK 5 | JK JK 6]", fs(eagle, fourKind), -17},                           // S41
		{"four of a kind of super kings", "[K K 5 | K K 6]", fs(superKings, fourKind), -9},                                // S42
		{"four of a kind of super kings keeping their value", "[K K 5 | K K 6]", fs(superKings, fourKind, negPairs), -17}, // S43
		{"pairs of different ranks earn no bonus", "[K 2 5 | K 2 6]", fs(superKings, fourKind, negPairs), 3},              // S44
		{"six twos score 0", "[2 2 2 | 2 2 2]", nil, 0},                                                                   // S45
		{"six twos keeping their value", "[2 2 2 | 2 2 2]", fs(negPairs), -12},                                            // S46
		{"six twos keeping their value, four of a kind", "[2 2 2 | 2 2 2]", fs(negPairs, fourKind), -32},                  // S47
		{"six super kings score 0", "[K K K | K K K]", fs(superKings), 0},                                                 // S48
		{"super kings over low cards", "[K K K | A 2 3]", fs(superKings), -4},                                             // S49
		{"one-eyed jacks: a mixed-eye pair is still a pair", "[JH 5 6 | JC 7 8]", fs(oneEyed), 26},                        // S50
		{"one-eyed jacks: a 0 pair is not negative", "[JH 5 6 | JC 7 8]", fs(oneEyed, negPairs), 26},                      // S51
		{"one-eyed jacks unpaired", "[JH JS JC | 3 4 5]", fs(oneEyed), 22},                                                // S52
		{"one-eyed jacks: a pair and two unpaired", "[JD JS JC | JH 4 5]", fs(oneEyed), 19},                               // S53
		{"ten penny: a pair of tens and a single ten", "[T T 5 | T 3 6]", fs(tenPenny), 15},                               // S54
		{"ten penny: unpaired tens", "[T T A | 3 4 5]", fs(tenPenny), 15},                                                 // S55
		{"face cards, no pairs: 54", "[Q J T | 9 8 7]", nil, 54},                                                          // S56
		{"six queens score 0", "[Q Q Q | Q Q Q]", nil, 0},                                                                 // S57
		{"suit makes no difference to pairing", "[5H 3 4 | 5S 6 7]", nil, 20},                                             // S58
		{"a pair of eights", "[8 5 7 | 8 3 9]", nil, 24},                                                                  // S59
		{"two to seven, no pairs", "[2 3 4 | 5 6 7]", nil, 23},                                                            // S60
		{"aces and twos alternating: no pairs", "[A 2 A | 2 A 2]", nil, -3},                                               // S61
		{"six aces score 0", "[A A A | A A A]", nil, 0},                                                                   // S62
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts(tt.o...)
			h := hand(t, tt.hand)
			if got := o.HandScore(&h); got != tt.want {
				t.Errorf("hand_score(%v) = %d, want %d", h, got, tt.want)
			}
			// Face-up or face-down, and which deck a card comes from, make no
			// difference (§7.2, §1.2).
			for i := range h {
				h[i].Deck = uint8(i % 3)
			}
			if got := o.HandScore(&h); got != tt.want {
				t.Errorf("hand_score(%v) with mixed decks = %d, want %d", h, got, tt.want)
			}
		})
	}
}

func fs(f ...func(*Options)) []func(*Options) { return f }

// Rules §15.3 names these hands; their scores with no options are in the name.
var namedHands = map[string]string{
	"H0":  "[A 5 K | A 5 K]",
	"H3":  "[A 5 K | A 5 3]",
	"H5":  "[A 5 K | A 5 5]",
	"H7":  "[A 3 4 | 2 K A]",
	"H10": "[A 5 K | A 5 Q]",
	"H11": "[A 5 Q | A 5 A]",
	"H12": "[A 5 3 | A 5 9]",
	"H20": "[A 5 T | A 5 Q]",
	"H21": "[J A 3 | 4 2 5]",
	"H24": "[K 5 7 | K 3 9]",
	"H45": "[T 9 8 | 7 6 5]",
	"HJ":  "[JH JS 5 | JC JD 6]",
}

func TestNamedHands(t *testing.T) {
	o := DefaultOptions()
	for name, h := range namedHands {
		if name == "HJ" {
			continue
		}
		want := 0
		fmt.Sscanf(name, "H%d", &want)
		hh := hand(t, h)
		if got := o.HandScore(&hh); got != want {
			t.Errorf("%s = %s scores %d", name, h, got)
		}
	}
}

// priorTotal and priorWins are what each seat has before the round in the
// round-end tests, so that the vectors' "previous total plus final score" is
// checked against something other than zero.
func priorTotal(seat int) int { return 100 + 10*seat }
func priorWins(seat int) int  { return seat }

// endRound ends round 1 of a constructed game on the given hands through
// the engine's own commands, scoring and fold, and returns the RoundEnded
// and the state after it. With a finisher fin ≥ 0, the round is in
// final_turn and the last player owed a final turn (the seat before fin)
// discards a deck card; with fin < 0 the current player draws from an empty
// deck and the round ends deck_exhausted, with no finisher.
func endRound(t *testing.T, hands []string, fin int, rounds int, o ...func(*Options)) (RoundEnded, *State) {
	t.Helper()
	n := len(hands)
	set := DefaultSettings()
	set.Rounds = rounds
	set.Options = opts(append(fs(noFlips), o...)...)
	s := lobby(t, n, set)
	mustDo(t, s, StartGameCmd(pid(0), testSeed(1)))
	for i, h := range hands {
		setHand(s, i, hand(t, namedHands[h]))
		s.players[i].total, s.players[i].roundsWon = priorTotal(i), priorWins(i)
	}
	var last int
	var evs []Event
	if fin >= 0 {
		last = (fin + n - 1) % n
		down(s, fin)
		s.phase, s.finisher, s.current = PhaseFinalTurn, fin, last
		for i := range n {
			s.players[i].owed = i == last
		}
		mustDo(t, s, DrawCmd(pid(last), SourceDeck))
		evs = mustDo(t, s, DiscardCmd(pid(last)))
		if evs[0].(CardDiscarded).Flip != FlipNone {
			t.Fatalf("discard owes a flip")
		}
		evs = evs[1:]
	} else {
		last = s.current
		setDeck(s)
		setDiscard(s, card(t, "QH"))
		evs = mustDo(t, s, DrawCmd(pid(last), SourceDeck))
	}
	if len(evs) == 0 {
		t.Fatalf("the round did not end")
	}
	re, ok := evs[0].(RoundEnded)
	if !ok {
		t.Fatalf("events %v, want RoundEnded first", typesOf(evs))
	}
	return re, s
}

// Rules §15.3: round-end results (7.3).
func TestRoundEnd(t *testing.T) {
	tests := []struct {
		name    string
		hands   []string
		fin     int // -1: no finisher (deck exhausted)
		o       []func(*Options)
		want    []int
		winners []int
	}{
		{"knock penalty: a finisher not lowest pays 10", []string{"H45", "H7"}, 0, fs(knockPenalty), []int{55, 7}, []int{1}},                                 // R01
		{"knock bonus: the finisher gets -5", []string{"H7", "H45"}, 0, fs(knockBonus), []int{2, 45}, []int{0}},                                              // R02
		{"knock penalty: a lowest finisher pays nothing", []string{"H7", "H45"}, 0, fs(knockPenalty), []int{7, 45}, []int{0}},                                // R03
		{"knock penalty: a finisher tied for lowest pays nothing", []string{"H7", "H7"}, 0, fs(knockPenalty), []int{7, 7}, []int{0, 1}},                      // R04
		{"knock penalty and bonus on a finisher not lowest", []string{"H45", "H7"}, 0, fs(knockPenalty, knockBonus), []int{50, 7}, []int{1}},                 // R05
		{"deck exhausted: no finisher adjustments", []string{"H45", "H7"}, -1, fs(knockPenalty, knockBonus), []int{45, 7}, []int{1}},                         // R06
		{"blackjack: 21 scores 0", []string{"H21", "H7"}, -1, fs(blackjack), []int{0, 7}, []int{0}},                                                          // R07
		{"without blackjack 21 stays 21", []string{"H21", "H7"}, -1, nil, []int{21, 7}, []int{1}},                                                            // R08
		{"blackjack: a finisher at 0 pays no penalty", []string{"H21", "H7"}, 0, fs(blackjack, knockPenalty), []int{0, 7}, []int{0}},                         // R09
		{"knock penalty: the second seat finishes lowest", []string{"H21", "H7"}, 1, fs(knockPenalty), []int{21, 7}, []int{1}},                               // R10
		{"underdog bonus: tied lowest each get -3", []string{"H7", "H45", "H7"}, -1, fs(underdog), []int{4, 45, 4}, []int{0, 2}},                             // R11
		{"underdog bonus: the lowest gets -3", []string{"H7", "H45", "H24"}, -1, fs(underdog), []int{4, 45, 24}, []int{0}},                                   // R12
		{"tied shame: tied seats each pay 5", []string{"H7", "H45", "H7"}, -1, fs(tiedShame), []int{12, 45, 12}, []int{0, 2}},                                // R13
		{"underdog bonus, then tied shame", []string{"H7", "H45", "H7"}, -1, fs(underdog, tiedShame), []int{9, 45, 9}, []int{0, 2}},                          // R14
		{"underdog bonus below zero, no tie", []string{"H0", "H3", "H45"}, -1, fs(underdog, tiedShame), []int{-3, 3, 45}, []int{0}},                          // R15
		{"blackjack 0 ties a 0: tied shame", []string{"H21", "H0"}, -1, fs(blackjack, tiedShame), []int{5, 5}, []int{0, 1}},                                  // R16
		{"blackjack 0 and a 0 share the underdog bonus", []string{"H21", "H0"}, -1, fs(blackjack, underdog), []int{-3, -3}, []int{0, 1}},                     // R17
		{"every scoring rule on a finisher not lowest", []string{"H45", "H7"}, 0, fs(knockPenalty, knockBonus, underdog, tiedShame), []int{50, 4}, []int{1}}, // R18
		{"knock bonus, then underdog bonus", []string{"H7", "H45"}, 0, fs(knockBonus, underdog), []int{-1, 45}, []int{0}},                                    // R19
		{"knock bonus makes a tie for tied shame", []string{"H12", "H7"}, 0, fs(knockBonus, tiedShame), []int{12, 12}, []int{0, 1}},                          // R20
		{"knock penalty among three", []string{"H10", "H5", "H20"}, 0, fs(knockPenalty), []int{20, 5, 20}, []int{1}},                                         // R21
		{"knock penalty makes a tie for tied shame", []string{"H10", "H5", "H20"}, 0, fs(knockPenalty, tiedShame), []int{25, 5, 25}, []int{1}},               // R22
		{"three-way tie: underdog bonus and tied shame", []string{"H7", "H7", "H7"}, -1, fs(underdog, tiedShame), []int{9, 9, 9}, []int{0, 1, 2}},            // R23
		{"jack bonuses, then underdog bonus", []string{"HJ", "H7"}, -1, fs(wolfpack, fourKind, underdog), []int{-32, 7}, []int{0}},                           // R24
		{"tied lowest both win the round", []string{"H7", "H7", "H45"}, -1, nil, []int{7, 7, 45}, []int{0, 1}},                                               // R25
		{"blackjack is checked before the knock penalty", []string{"H11", "H5"}, 0, fs(blackjack, knockPenalty), []int{21, 5}, []int{1}},                     // R26
		{"tied shame only for the tie it found", []string{"H7", "H7", "H12"}, -1, fs(tiedShame), []int{12, 12, 12}, []int{0, 1, 2}},                          // R27
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re, s := endRound(t, tt.hands, tt.fin, 9, tt.o...)
			wantReason, wantFin := ReasonDeckExhausted, OptionalID("")
			if tt.fin >= 0 {
				wantReason, wantFin = ReasonWentOut, OptionalID(pid(tt.fin))
			}
			if re.Reason != wantReason || re.FinisherID != wantFin || re.Round != 1 {
				t.Errorf("round %d reason %s finisher %q, want 1 %s %q", re.Round, re.Reason, re.FinisherID, wantReason, wantFin)
			}
			if len(re.Players) != len(tt.hands) {
				t.Fatalf("%d players scored, want %d", len(re.Players), len(tt.hands))
			}
			got := make([]int, len(re.Players))
			for i, r := range re.Players {
				got[i] = r.RoundScore
				sum := r.HandScore
				for _, a := range r.Adjustments {
					sum += a.Points
				}
				if r.PlayerID != pid(i) || sum != r.RoundScore {
					t.Errorf("row %d: %+v: hand score plus adjustments is %d", i, r, sum)
				}
				won := priorWins(i)
				if slices.Contains(tt.winners, i) {
					won++
				}
				// The fold agrees with the event: totals are the previous
				// total plus the final round score.
				pl := &s.players[i]
				if r.Total != priorTotal(i)+r.RoundScore || pl.total != r.Total || pl.roundScore != r.RoundScore ||
					r.RoundsWon != won || pl.roundsWon != won {
					t.Errorf("s%d: total %d/%d rounds won %d/%d, want %d and %d",
						i, r.Total, pl.total, r.RoundsWon, pl.roundsWon, priorTotal(i)+r.RoundScore, won)
				}
				if pl.up != allUp {
					t.Errorf("s%d's hand is not all face-up after the round", i)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("final round scores %v, want %v (rows %+v)", got, tt.want, re.Players)
			}
			var winners []string
			for _, w := range tt.winners {
				winners = append(winners, pid(w))
			}
			if !slices.Equal(re.Winners, winners) {
				t.Errorf("round winners %v, want %v", re.Winners, winners)
			}
			if s.phase != PhaseRoundOver {
				t.Errorf("phase %v after the round, want round_over", s.phase)
			}
		})
	}
}

// TestRoundEndAdjustmentOrder pins the adjustments' order and names in
// RoundEnded (rules §14.2: in the order of 7.3, named by option).
func TestRoundEndAdjustmentOrder(t *testing.T) {
	re, _ := endRound(t, []string{"H45", "H7"}, 0, 9, knockPenalty, knockBonus, underdog, tiedShame)
	want := []Adjustment{{"knock_penalty", 10}, {"knock_bonus", -5}}
	if got := re.Players[0].Adjustments; !slices.Equal(got, want) {
		t.Errorf("finisher's adjustments %v, want %v", got, want)
	}
	if got := re.Players[1].Adjustments; !slices.Equal(got, []Adjustment{{"underdog_bonus", -3}}) {
		t.Errorf("s1's adjustments %v", got)
	}
	re, _ = endRound(t, []string{"H21", "H0"}, -1, 9, blackjack, tiedShame)
	if got := re.Players[0].Adjustments; !slices.Equal(got, []Adjustment{{"blackjack", -21}, {"tied_shame", 5}}) {
		t.Errorf("s0's adjustments %v", got)
	}
}

// Rules §15.4: game end.
func TestGameEnd(t *testing.T) {
	t.Run("two rounds: totals, winner and round wins", func(t *testing.T) { // G01
		set := DefaultSettings()
		set.Rounds = 2
		set.Options = opts(noFlips)
		s := lobby(t, 2, set)
		mustDo(t, s, StartGameCmd(pid(0), testSeed(1)))
		exhaust := func(h0, h1 string) []Event {
			setHand(s, 0, hand(t, namedHands[h0]))
			setHand(s, 1, hand(t, namedHands[h1]))
			setDeck(s)
			setDiscard(s, card(t, "QH"))
			return mustDo(t, s, DrawCmd(pid(s.current), SourceDeck))
		}
		wantEvents(t, exhaust("H5", "H7"), "RoundEnded")
		mustDo(t, s, NextRoundCmd(pid(0), testSeed(2)))
		evs := exhaust("H10", "H3")
		wantEvents(t, evs, "RoundEnded", "GameEnded")
		g := evs[1].(GameEnded)
		want := []GamePlayer{{pid(0), 15, 1, false}, {pid(1), 10, 1, false}}
		if g.Reason != ReasonCompleted || !slices.Equal(g.Players, want) || !slices.Equal(g.Winners, []string{pid(1)}) {
			t.Errorf("GameEnded %+v, want totals and wins %+v, winners [p1]", g, want)
		}
		if s.phase != PhaseGameOver || s.Result() == nil {
			t.Errorf("phase %v after the last round", s.phase)
		}
	})
	t.Run("tied totals share the win", func(t *testing.T) { // G02
		s := fresh3(t, "H12", "H12", "H20")
		g := s.Result()
		want := []GamePlayer{{pid(0), 12, 1, false}, {pid(1), 12, 1, false}, {pid(2), 20, 0, false}}
		if !slices.Equal(g.Players, want) || !slices.Equal(g.Winners, []string{pid(0), pid(1)}) {
			t.Errorf("GameEnded %+v, want %+v and winners [p0 p1]: the win is shared", g, want)
		}
	})
	t.Run("the last round ends the game at once", func(t *testing.T) { // G03
		// The last round ends with the last final turn: RoundEnded and
		// GameEnded come from the same command, with no host action.
		s := started(t, 2, opts(noFlips))
		s.settings.Rounds = 1
		down(s, 1, 5)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		mustDo(t, s, SwapCmd(pid(1), 5))
		mustDo(t, s, DrawCmd(pid(0), SourceDeck))
		evs := mustDo(t, s, DiscardCmd(pid(0)))
		wantEvents(t, evs, "CardDiscarded", "RoundEnded", "GameEnded")
		if g := evs[2].(GameEnded); g.Reason != ReasonCompleted || len(g.Winners) == 0 {
			t.Errorf("GameEnded %+v", g)
		}
		if s.phase != PhaseGameOver {
			t.Errorf("phase %v, want game_over", s.phase)
		}
		wantReject(t, s, NextRoundCmd(pid(0), testSeed(2)), CodeWrongPhase)
		wantReject(t, s, NextRoundCmd(Platform, testSeed(2)), CodeWrongPhase)
	})
	t.Run("a player leaving mid-round abandons a two-player game", func(t *testing.T) { // G04
		s := playing(t, 2)
		mustDo(t, s, DrawCmd(pid(1), SourceDeck))
		s.players[0].total, s.players[1].total = 30, 40 // as after earlier rounds
		evs := mustDo(t, s, LeaveCmd(pid(0)))
		wantEvents(t, evs, "PlayerLeft", "GameEnded")
		g := evs[1].(GameEnded)
		want := []GamePlayer{{pid(0), 30, 0, true}, {pid(1), 40, 0, false}}
		if g.Reason != ReasonAbandoned || g.Winners == nil || len(g.Winners) != 0 || !slices.Equal(g.Players, want) {
			t.Errorf("GameEnded %+v, want abandoned, no winners, totals unscored %+v", g, want)
		}
		if s.phase != PhaseGameOver || s.lastRound != nil {
			t.Errorf("phase %v, last round %v: the round must not be scored", s.phase, s.lastRound)
		}
	})
}

// fresh3 plays a one-round, three-player game from zero totals that ends
// by deck exhaustion on the given named hands.
func fresh3(t *testing.T, h0, h1, h2 string) *State {
	t.Helper()
	set := DefaultSettings()
	set.Rounds = 1
	set.Options = opts(noFlips)
	s := lobby(t, 3, set)
	mustDo(t, s, StartGameCmd(pid(0), testSeed(1)))
	for i, h := range []string{h0, h1, h2} {
		setHand(s, i, hand(t, namedHands[h]))
	}
	setDeck(s)
	setDiscard(s, card(t, "QH"))
	wantEvents(t, mustDo(t, s, DrawCmd(pid(1), SourceDeck)), "RoundEnded", "GameEnded")
	return s
}
