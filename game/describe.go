package game

import (
	"encoding/json"
	"fmt"
)

// RulesDoc describes, from the engine itself, everything a table can be
// set up with: the settings and options with their values, defaults,
// labels and one-line descriptions (rules §3.1, §3.2), the presets (§9),
// the card values and what each option changes of them (§8), and the
// limits. GET /api/rules serves it as JSON, so the client's settings
// screen and the documentation read the same source as the engine.
type RulesDoc struct {
	Settings   []OptionDoc    `json:"settings"` // decks, rounds
	Options    []OptionDoc    `json:"options"`  // in the order of rules §3.2
	Presets    []PresetDoc    `json:"presets"`  // in the order of rules §9
	CardValues map[string]int `json:"card_values"`
	ValueRules []ValueRule    `json:"value_rules"`
	Defaults   Settings       `json:"defaults"`
	Limits     map[string]any `json:"limits"` // min_players, max_players, max_name_length
}

// OptionDoc describes one setting or option for a settings screen.
type OptionDoc struct {
	Name         string            `json:"name"` // as in Options' JSON and ParseRules
	Type         string            `json:"type"` // bool, integer, string
	Values       []any             `json:"values,omitempty"`
	Min          *int              `json:"min,omitempty"`
	Max          *int              `json:"max,omitempty"`
	Default      any               `json:"default"`                // nil: decided at the start (decks)
	Label        string            `json:"label,omitempty"`        // a bool option's label when on
	Labels       map[string]string `json:"labels,omitempty"`       // a string option's label per value
	Description  string            `json:"description"`            // one line: what it does
	Descriptions map[string]string `json:"descriptions,omitempty"` // a string option's, per value
}

// PresetDoc is one preset of rules §9: its options and their labels.
type PresetDoc struct {
	Name    string   `json:"name"`
	Options Options  `json:"options"`
	Labels  []string `json:"labels"`
}

// ValueRule is how one option value changes card values: the cards whose
// value differs from the standard rules', with their new value.
type ValueRule struct {
	Option string         `json:"option"`
	Value  any            `json:"value"`
	Cards  map[string]int `json:"cards"`
}

// descriptions explain every setting, option and string option value in one
// line, in the words of docs/rules.md §3.1, §3.2 and §8 (addressed to a player:
// "the finisher" is "whoever goes out"). DescribeRules refuses to build
// without one for each, so a new option cannot reach the settings screen
// unexplained.
var descriptions = map[string]string{
	"decks":      "How many 52-card decks are shuffled together: by default 1 for 2–4 players, 2 for 5–6.",
	"rounds":     "How many rounds (holes) the game lasts.",
	"turn_timer": "Seconds a player has for each turn before the server plays it for them: by default 60 with two or more people at the table, none otherwise.",

	"flip_mode":                 "Whether discarding a card drawn from the deck makes you turn up one of your face-down cards.",
	"flip_mode=never":           "Discarding never makes you flip.",
	"flip_mode=always":          "After discarding a card drawn from the deck you must turn up one of your face-down cards.",
	"flip_mode=endgame":         "Once any player has at most one face-down card, discarding a card drawn from the deck lets you turn one up (optional).",
	"initial_flips":             "Cards each player turns face up before the first turn of each round.",
	"knock_penalty":             "Whoever goes out gets +10 if their score is not the lowest (a tie for lowest is not penalised).",
	"super_kings":               "Kings are worth −2.",
	"ten_penny":                 "Tens are worth 1.",
	"knock_bonus":               "Whoever goes out gets −5.",
	"underdog_bonus":            "Every player with the lowest round score gets −3.",
	"tied_shame":                "Every player whose round score equals another player's gets +5.",
	"blackjack":                 "A hand score of exactly 21 becomes 0.",
	"wolfpack":                  "Two or more columns that are Jack pairs: −20 (once).",
	"flip_as_action":            "Instead of drawing, you may turn up one of your face-down cards as your whole turn.",
	"four_of_a_kind":            "Two or more columns that are pairs of the same rank: −20 (once).",
	"negative_pairs_keep_value": "A column pair of negative cards (2s, jokers, Super Kings) scores their sum instead of 0.",
	"one_eyed_jacks":            "The Jacks of hearts and spades are worth 0.",
	"knock_early":               "With 1 or 2 face-down cards left you may turn them all up as your whole turn.",
	"jokers":                    "Which jokers are in the deck and what they are worth.",
	"jokers=none":               "No jokers in the deck.",
	"jokers=standard":           "2 jokers per deck, −2 each.",
	"jokers=lucky_swing":        "Exactly one joker in the whole deck, worth −5.",
	"jokers=eagle_eye":          "2 jokers per deck: +2 each unpaired, but a joker column pair scores −4.",
}

// Description returns the one-line description of a setting or option
// (value "") or of one value of a string option (flip_mode, jokers), as
// the settings screen shows it.
func Description(name, value string) (string, bool) {
	key := name
	if value != "" {
		key += "=" + value
	}
	d, ok := descriptions[key]
	return d, ok
}

// describe fills in the descriptions of o and of its string values.
func describe(o *OptionDoc) error {
	d, ok := Description(o.Name, "")
	if !ok {
		return fmt.Errorf("rules: no description of %s", o.Name)
	}
	o.Description = d
	if o.Type != "string" {
		return nil
	}
	o.Descriptions = map[string]string{}
	for _, v := range o.Values {
		d, ok := Description(o.Name, fmt.Sprint(v))
		if !ok {
			return fmt.Errorf("rules: no description of %s=%v", o.Name, v)
		}
		o.Descriptions[fmt.Sprint(v)] = d
	}
	return nil
}

// withOption returns the default options with one option set, as the JSON
// value v would set it.
func withOption(name string, v any) (Options, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return Options{}, err
	}
	o := DefaultOptions()
	return o, o.set(name, raw)
}

// DescribeRules works out the RulesDoc. It fails only if the engine has an
// option, or a value of one, without a description.
func DescribeRules() (*RulesDoc, error) {
	def := DefaultOptions()
	// The defaults as the JSON of Options writes them, by option name.
	var defaults map[string]any
	b, err := json.Marshal(def)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &defaults); err != nil {
		return nil, err
	}
	one, eighteen, zero, two := 1, 18, 0, 2
	doc := &RulesDoc{
		Settings: []OptionDoc{
			{Name: "decks", Type: "integer", Values: []any{1, 2, 3}, Default: nil},
			{Name: "rounds", Type: "integer", Min: &one, Max: &eighteen, Values: []any{1, 3, 9, 18}, Default: 9},
			{Name: "turn_timer", Type: "integer", Values: []any{TurnTimerOff, 30, 60, 120}, Default: nil},
		},
		Defaults: DefaultSettings(),
		Limits:   map[string]any{"min_players": 2, "max_players": MaxPlayers, "max_name_length": MaxNameLen},
	}
	// The option list in the order of rules §3.2.
	labelOf := func(o Options) string {
		l := o.Labels()
		if len(l) == 0 {
			return ""
		}
		return l[0]
	}
	enum := func(name string, values []string) (OptionDoc, error) {
		opt := OptionDoc{Name: name, Type: "string", Default: defaults[name], Labels: map[string]string{}}
		for _, v := range values {
			o, err := withOption(name, v)
			if err != nil {
				return opt, err
			}
			opt.Values = append(opt.Values, v)
			if l := labelOf(o); l != "" {
				opt.Labels[v] = l
			}
		}
		return opt, nil
	}
	flip, err := enum("flip_mode", []string{FlipNever.String(), FlipAlways.String(), FlipEndgame.String()})
	if err != nil {
		return nil, err
	}
	doc.Options = append(doc.Options, flip,
		OptionDoc{Name: "initial_flips", Type: "integer", Min: &zero, Max: &two, Values: []any{0, 1, 2}, Default: defaults["initial_flips"]})
	for _, name := range BoolOptionNames() {
		o, err := withOption(name, true)
		if err != nil {
			return nil, err
		}
		doc.Options = append(doc.Options, OptionDoc{Name: name, Type: "bool", Default: defaults[name], Label: labelOf(o)})
	}
	jokerValues := []string{JokersNone.String(), JokersStandard.String(), JokersLuckySwing.String(), JokersEagleEye.String()}
	jokers, err := enum("jokers", jokerValues)
	if err != nil {
		return nil, err
	}
	doc.Options = append(doc.Options, jokers)
	for _, list := range [][]OptionDoc{doc.Settings, doc.Options} {
		for i := range list {
			if err := describe(&list[i]); err != nil {
				return nil, err
			}
		}
	}

	for _, name := range PresetNames() {
		o, _ := Preset(name)
		doc.Presets = append(doc.Presets, PresetDoc{Name: name, Options: o, Labels: o.Labels()})
	}

	// Card values under the standard rules, then what each option changes.
	values := func(o Options) map[string]int {
		m := map[string]int{}
		for k := range Faces {
			c := FaceCard(k)
			m[c.String()] = o.Value(c)
		}
		return m
	}
	base := values(def)
	doc.CardValues = base
	diff := func(option string, value any, o Options) {
		cards := map[string]int{}
		for c, v := range values(o) {
			if v != base[c] {
				cards[c] = v
			}
		}
		if len(cards) > 0 {
			doc.ValueRules = append(doc.ValueRules, ValueRule{Option: option, Value: value, Cards: cards})
		}
	}
	for _, name := range BoolOptionNames() {
		o, _ := withOption(name, true)
		diff(name, true, o)
	}
	for _, v := range jokerValues[1:] {
		o, _ := withOption("jokers", v)
		diff("jokers", v, o)
	}
	return doc, nil
}
