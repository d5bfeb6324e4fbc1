package game

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// Rules §15.7 O01–O09: settings validation (§3.3).
func TestParseSettings(t *testing.T) {
	tests := []struct {
		name string
		json string
		code Code   // "" when accepted
		key  string // the key a rejection names
		want func(*Settings)
	}{
		{"empty settings are the defaults", `{}`, "", "", func(s *Settings) {}},                                                     // O01
		{"empty options are the defaults", `{"options":{}}`, "", "", func(s *Settings) {}},                                          // O01
		{"unknown flip mode", `{"options":{"flip_mode":"sometimes"}}`, CodeInvalidOptionValue, "flip_mode", nil},                    // O02
		{"lucky_swing is not an option", `{"options":{"lucky_swing":true}}`, CodeUnknownOption, "lucky_swing", nil},                 // O03
		{"use_jokers is not an option", `{"options":{"use_jokers":true}}`, CodeUnknownOption, "use_jokers", nil},                    // O03
		{"deck_colors is not an option", `{"options":{"deck_colors":["red","blue"]}}`, CodeUnknownOption, "deck_colors", nil},       // O03
		{"eagle_eye is not an option", `{"options":{"eagle_eye":true}}`, CodeUnknownOption, "eagle_eye", nil},                       // O03
		{"num_decks is not a setting", `{"num_decks":2}`, CodeUnknownOption, "num_decks", nil},                                      // O03
		{"num_rounds is not a setting", `{"num_rounds":2}`, CodeUnknownOption, "num_rounds", nil},                                   // O03
		{"deck_colors is not a setting", `{"deck_colors":["red"]}`, CodeUnknownOption, "deck_colors", nil},                          // O03
		{"three initial flips", `{"options":{"initial_flips":3}}`, CodeInvalidOptionValue, "initial_flips", nil},                    // O04
		{"negative initial flips", `{"options":{"initial_flips":-1}}`, CodeInvalidOptionValue, "initial_flips", nil},                // O04
		{"initial flips as a float", `{"options":{"initial_flips":1.0}}`, CodeInvalidOptionValue, "initial_flips", nil},             // O04
		{"initial flips as a string", `{"options":{"initial_flips":"1"}}`, CodeInvalidOptionValue, "initial_flips", nil},            // O04
		{"no initial flips", `{"options":{"initial_flips":0}}`, "", "", func(s *Settings) { s.Options.InitialFlips = 0 }},           // O04
		{"one initial flip", `{"options":{"initial_flips":1}}`, "", "", func(s *Settings) { s.Options.InitialFlips = 1 }},           // O04
		{"two initial flips", `{"options":{"initial_flips":2}}`, "", "", func(s *Settings) { s.Options.InitialFlips = 2 }},          // O04
		{"no decks", `{"decks":0}`, CodeInvalidOptionValue, "decks", nil},                                                           // O05
		{"four decks", `{"decks":4}`, CodeInvalidOptionValue, "decks", nil},                                                         // O05
		{"one deck", `{"decks":1}`, "", "", func(s *Settings) { s.Decks = 1 }},                                                      // O05
		{"two decks", `{"decks":2}`, "", "", func(s *Settings) { s.Decks = 2 }},                                                     // O05
		{"three decks", `{"decks":3}`, "", "", func(s *Settings) { s.Decks = 3 }},                                                   // O05
		{"no rounds", `{"rounds":0}`, CodeInvalidOptionValue, "rounds", nil},                                                        // O06
		{"nineteen rounds", `{"rounds":19}`, CodeInvalidOptionValue, "rounds", nil},                                                 // O06
		{"one round", `{"rounds":1}`, "", "", func(s *Settings) { s.Rounds = 1 }},                                                   // O06
		{"eighteen rounds", `{"rounds":18}`, "", "", func(s *Settings) { s.Rounds = 18 }},                                           // O06
		{"unknown jokers", `{"options":{"jokers":"both"}}`, CodeInvalidOptionValue, "jokers", nil},                                  // O07
		{"jokers value is case-sensitive", `{"options":{"jokers":"Standard"}}`, CodeInvalidOptionValue, "jokers", nil},              // O07
		{"eagle eye jokers", `{"options":{"jokers":"eagle_eye"}}`, "", "", func(s *Settings) { s.Options.Jokers = JokersEagleEye }}, // O07
		{"a boolean option as a string", `{"options":{"blackjack":"true"}}`, CodeInvalidOptionValue, "blackjack", nil},              // O08
		{"a boolean option as a number", `{"options":{"blackjack":1}}`, CodeInvalidOptionValue, "blackjack", nil},                   // O08
		{"a boolean option as null", `{"options":{"blackjack":null}}`, CodeInvalidOptionValue, "blackjack", nil},                    // O08
		{"a boolean option on", `{"options":{"blackjack":true}}`, "", "", func(s *Settings) { s.Options.Blackjack = true }},         // O08
		{"option names are case-sensitive", `{"options":{"Blackjack":true}}`, CodeUnknownOption, "Blackjack", nil},                  // O09
		{"duplicate", `{"rounds":3,"rounds":4}`, CodeInvalidOptionValue, "rounds", nil},
		{"not-an-object", `[]`, CodeInvalidOptionValue, "settings", nil},
		{"null", `null`, CodeInvalidOptionValue, "settings", nil},
		{"options-null", `{"options":null}`, CodeInvalidOptionValue, "options", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSettings([]byte(tt.json))
			if tt.code != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != tt.code || e.Key != tt.key {
					t.Fatalf("ParseSettings(%s) = %v, want %s naming %q", tt.json, err, tt.code, tt.key)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSettings(%s): %v", tt.json, err)
			}
			want := DefaultSettings()
			tt.want(&want)
			if got != want {
				t.Errorf("ParseSettings(%s) = %+v, want %+v", tt.json, got, want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("accepted settings do not validate: %v", err)
			}
		})
	}
}

// Rules §15.7 O01: empty settings mean standard rules, 9 rounds and the
// default deck count for the players seated at the start.
func TestDefaultSettingsAtStart(t *testing.T) {
	set, err := ParseSettings([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	for n, decks := range map[int]int{2: 1, 4: 1, 5: 2, 6: 2} {
		s := lobby(t, n, set)
		st := mustDo(t, s, StartGameCmd(pid(0), testSeed(1)))[0].(GameStarted)
		if st.Decks != decks || st.Rounds != 9 || st.Options != DefaultOptions() {
			t.Errorf("%d players: started with %+v", n, st)
		}
		if !s.settings.IsStandard(n) {
			t.Errorf("%d players: not standard rules", n)
		}
	}
}

// Rules §15.7 O10, O11: rejected StartGame commands change nothing.
func TestStartRejected(t *testing.T) {
	t.Run("a refused start changes nothing", func(t *testing.T) { // O10
		s := lobby(t, 2, DefaultSettings())
		wantReject(t, s, StartGameCmd(pid(1), testSeed(1)), CodeNotHost)
		wantReject(t, s, StartGameCmd("stranger", testSeed(1)), CodeNotAPlayer)
		wantReject(t, s, StartGameCmd(Platform, testSeed(1)), CodeNotAPlayer)
		one := lobby(t, 1, DefaultSettings())
		wantReject(t, one, StartGameCmd(pid(0), testSeed(1)), CodeNotEnoughPlayers)
		if s.phase != PhaseWaiting || one.phase != PhaseWaiting {
			t.Errorf("phase %v / %v after rejected starts", s.phase, one.phase)
		}
		// Settings invalid at the start (possible only in a forged lobby) are
		// validated again and start nothing (§3.3).
		s.settings.Options.InitialFlips = 3
		wantReject(t, s, StartGameCmd(pid(0), testSeed(1)), CodeInvalidOptionValue)
	})
	t.Run("no second start", func(t *testing.T) { // O11
		s := playing(t, 2)
		setDeck(s)
		setDiscard(s, card(t, "QH"))
		mustDo(t, s, DrawCmd(pid(1), SourceDeck)) // round 1 ends: totals and wins are set
		if s.players[0].total == 0 && s.players[1].total == 0 {
			t.Fatal("totals are zero; the vector would prove nothing")
		}
		wantReject(t, s, StartGameCmd(pid(0), testSeed(2)), CodeWrongPhase) // wantReject checks nothing changed
		mustDo(t, s, NextRoundCmd(pid(0), testSeed(3)))
		wantReject(t, s, StartGameCmd(pid(0), testSeed(2)), CodeWrongPhase)
	})
}

// TestLabels checks the order of active-rule labels (rules §3.2).
func TestLabels(t *testing.T) {
	all := Options{FlipMode: FlipEndgame, Jokers: JokersEagleEye, InitialFlips: 1}
	for _, b := range boolOptions {
		*b.field(&all) = true
	}
	want := []string{"Endgame Flip", "Eagle-Eye", "Knock Penalty", "Super Kings", "Ten Penny", "Knock Bonus",
		"Underdog", "Tied Shame", "Blackjack", "Wolfpack", "Flip as Action", "Four of a Kind",
		"Negative Pairs Keep Value", "One-Eyed Jacks", "Early Knock"}
	if got := all.Labels(); !slices.Equal(got, want) {
		t.Errorf("labels %v\nwant %v", got, want)
	}
	if got := DefaultOptions().Labels(); got == nil || len(got) != 0 {
		t.Errorf("standard rules have labels %#v, want an empty list", got)
	}
	if got := opts(flipMode(FlipAlways), jokers(JokersLuckySwing)).Labels(); !slices.Equal(got, []string{"Speed Golf", "Lucky Swing"}) {
		t.Errorf("labels %v", got)
	}
}

// TestPresets checks rules §9: each preset changes only its options.
func TestPresets(t *testing.T) {
	tests := map[string]Options{
		"standard":       opts(),
		"speed_golf":     opts(flipMode(FlipAlways)),
		"endgame_flip":   opts(flipMode(FlipEndgame)),
		"jokers":         opts(jokers(JokersStandard)),
		"lucky_swing":    opts(jokers(JokersLuckySwing)),
		"eagle_eye":      opts(jokers(JokersEagleEye)),
		"negative_pairs": opts(jokers(JokersStandard), negPairs),
		"four_kind":      opts(fourKind),
		"wolfpack":       opts(wolfpack),
		"competitive":    opts(knockPenalty, knockBonus),
		"penalties":      opts(knockPenalty, tiedShame),
		"generous":       opts(knockBonus, underdog),
		"all_bonuses":    opts(knockBonus, underdog, fourKind, wolfpack),
		"chaos":          opts(jokers(JokersLuckySwing), superKings, tenPenny),
		"classic_plus":   opts(flipMode(FlipAlways), jokers(JokersStandard)),
		"wild":           opts(jokers(JokersEagleEye), negPairs),
		"everything": opts(flipMode(FlipAlways), jokers(JokersEagleEye), knockPenalty, superKings, tenPenny,
			knockBonus, underdog, tiedShame, blackjack),
	}
	if len(tests) != len(PresetNames()) {
		t.Errorf("%d presets, rules §9 lists %d", len(PresetNames()), len(tests))
	}
	for name, want := range tests {
		got, ok := Preset(name)
		if !ok || got != want {
			t.Errorf("preset %s = %+v, want %+v", name, got, want)
		}
		if r, err := ParseRules(name); err != nil || r != want {
			t.Errorf("ParseRules(%s) = %+v, %v", name, r, err)
		}
	}
	if got, err := ParseRules("wolfpack,initial_flips=1,jokers=eagle_eye"); err != nil ||
		got != opts(wolfpack, initialFlips(1), jokers(JokersEagleEye)) {
		t.Errorf("ParseRules list = %+v, %v", got, err)
	}
	if _, err := ParseRules("lucky_swing,eagle_eye"); CodeOf(err) != CodeUnknownOption {
		t.Errorf("ParseRules(lucky_swing,eagle_eye): %v, want unknown_option", err)
	}
}

// TestSettingsRoundTrip checks that settings survive their JSON form.
func TestSettingsRoundTrip(t *testing.T) {
	for _, set := range []Settings{
		DefaultSettings(),
		{Decks: 3, Rounds: 18, Options: opts(flipMode(FlipEndgame), jokers(JokersLuckySwing), initialFlips(0), blackjack, knockEarly)},
	} {
		b, err := set.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseSettings(b)
		if err != nil || !reflect.DeepEqual(got, set) {
			t.Errorf("%s decodes to %+v, %v; want %+v", b, got, err, set)
		}
	}
}
