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
		id   string
		json string
		code Code   // "" when accepted
		key  string // the key a rejection names
		want func(*Settings)
	}{
		{"O01", `{}`, "", "", func(s *Settings) {}},
		{"O01/empty-options", `{"options":{}}`, "", "", func(s *Settings) {}},
		{"O02", `{"options":{"flip_mode":"sometimes"}}`, CodeInvalidOptionValue, "flip_mode", nil},
		{"O03/lucky_swing", `{"options":{"lucky_swing":true}}`, CodeUnknownOption, "lucky_swing", nil},
		{"O03/use_jokers", `{"options":{"use_jokers":true}}`, CodeUnknownOption, "use_jokers", nil},
		{"O03/deck_colors", `{"options":{"deck_colors":["red","blue"]}}`, CodeUnknownOption, "deck_colors", nil},
		{"O03/eagle_eye", `{"options":{"eagle_eye":true}}`, CodeUnknownOption, "eagle_eye", nil},
		{"O03/num_decks", `{"num_decks":2}`, CodeUnknownOption, "num_decks", nil},
		{"O03/num_rounds", `{"num_rounds":2}`, CodeUnknownOption, "num_rounds", nil},
		{"O03/deck_colors-top", `{"deck_colors":["red"]}`, CodeUnknownOption, "deck_colors", nil},
		{"O04/3", `{"options":{"initial_flips":3}}`, CodeInvalidOptionValue, "initial_flips", nil},
		{"O04/-1", `{"options":{"initial_flips":-1}}`, CodeInvalidOptionValue, "initial_flips", nil},
		{"O04/1.0", `{"options":{"initial_flips":1.0}}`, CodeInvalidOptionValue, "initial_flips", nil},
		{"O04/string", `{"options":{"initial_flips":"1"}}`, CodeInvalidOptionValue, "initial_flips", nil},
		{"O04/0", `{"options":{"initial_flips":0}}`, "", "", func(s *Settings) { s.Options.InitialFlips = 0 }},
		{"O04/1", `{"options":{"initial_flips":1}}`, "", "", func(s *Settings) { s.Options.InitialFlips = 1 }},
		{"O04/2", `{"options":{"initial_flips":2}}`, "", "", func(s *Settings) { s.Options.InitialFlips = 2 }},
		{"O05/0", `{"decks":0}`, CodeInvalidOptionValue, "decks", nil},
		{"O05/4", `{"decks":4}`, CodeInvalidOptionValue, "decks", nil},
		{"O05/1", `{"decks":1}`, "", "", func(s *Settings) { s.Decks = 1 }},
		{"O05/2", `{"decks":2}`, "", "", func(s *Settings) { s.Decks = 2 }},
		{"O05/3", `{"decks":3}`, "", "", func(s *Settings) { s.Decks = 3 }},
		{"O06/0", `{"rounds":0}`, CodeInvalidOptionValue, "rounds", nil},
		{"O06/19", `{"rounds":19}`, CodeInvalidOptionValue, "rounds", nil},
		{"O06/1", `{"rounds":1}`, "", "", func(s *Settings) { s.Rounds = 1 }},
		{"O06/18", `{"rounds":18}`, "", "", func(s *Settings) { s.Rounds = 18 }},
		{"O07", `{"options":{"jokers":"both"}}`, CodeInvalidOptionValue, "jokers", nil},
		{"O07/case", `{"options":{"jokers":"Standard"}}`, CodeInvalidOptionValue, "jokers", nil},
		{"O07/eagle_eye", `{"options":{"jokers":"eagle_eye"}}`, "", "", func(s *Settings) { s.Options.Jokers = JokersEagleEye }},
		{"O08/string", `{"options":{"blackjack":"true"}}`, CodeInvalidOptionValue, "blackjack", nil},
		{"O08/number", `{"options":{"blackjack":1}}`, CodeInvalidOptionValue, "blackjack", nil},
		{"O08/null", `{"options":{"blackjack":null}}`, CodeInvalidOptionValue, "blackjack", nil},
		{"O08/true", `{"options":{"blackjack":true}}`, "", "", func(s *Settings) { s.Options.Blackjack = true }},
		{"O09", `{"options":{"Blackjack":true}}`, CodeUnknownOption, "Blackjack", nil},
		{"duplicate", `{"rounds":3,"rounds":4}`, CodeInvalidOptionValue, "rounds", nil},
		{"not-an-object", `[]`, CodeInvalidOptionValue, "settings", nil},
		{"null", `null`, CodeInvalidOptionValue, "settings", nil},
		{"options-null", `{"options":null}`, CodeInvalidOptionValue, "options", nil},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
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
			t.Errorf("O01: %d players: started with %+v", n, st)
		}
		if !s.settings.IsStandard(n) {
			t.Errorf("O01: %d players: not standard rules", n)
		}
	}
}

// Rules §15.7 O10, O11: rejected StartGame commands change nothing.
func TestStartRejected(t *testing.T) {
	t.Run("O10", func(t *testing.T) {
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
	t.Run("O11", func(t *testing.T) {
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
