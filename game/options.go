package game

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// FlipMode says whether discarding a deck card creates a flip obligation (rules §6.6).
type FlipMode uint8

const (
	FlipNever FlipMode = iota
	FlipAlways
	FlipEndgame
)

var flipModeNames = []string{"never", "always", "endgame"}

func (m FlipMode) String() string { return enumName(flipModeNames, int(m)) }

// MarshalText writes the option value as in rules.md.
func (m FlipMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText accepts exactly the names rules.md lists.
func (m *FlipMode) UnmarshalText(b []byte) error {
	i, err := enumParse("flip_mode", flipModeNames, string(b))
	*m = FlipMode(i)
	return err
}

// Jokers is the joker rule (rules §4.1, §7.1).
type Jokers uint8

const (
	JokersNone Jokers = iota
	JokersStandard
	JokersLuckySwing
	JokersEagleEye
)

var jokerNames = []string{"none", "standard", "lucky_swing", "eagle_eye"}

func (j Jokers) String() string { return enumName(jokerNames, int(j)) }

// MarshalText writes the option value as in rules.md.
func (j Jokers) MarshalText() ([]byte, error) { return []byte(j.String()), nil }

// UnmarshalText accepts exactly the names rules.md lists.
func (j *Jokers) UnmarshalText(b []byte) error {
	i, err := enumParse("jokers", jokerNames, string(b))
	*j = Jokers(i)
	return err
}

func enumName(names []string, i int) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return "invalid(" + strconv.Itoa(i) + ")"
}

func enumParse(key string, names []string, s string) (int, error) {
	for i, n := range names {
		if n == s {
			return i, nil
		}
	}
	return 0, &Error{Code: CodeInvalidOptionValue, Key: key, Msg: "must be one of " + strings.Join(names, ", ")}
}

// Options are the house rules of docs/rules.md §3.2. The zero Options is not the
// default (initial_flips defaults to 2): use DefaultOptions.
type Options struct {
	FlipMode               FlipMode
	InitialFlips           int
	KnockPenalty           bool
	SuperKings             bool
	TenPenny               bool
	KnockBonus             bool
	UnderdogBonus          bool
	TiedShame              bool
	Blackjack              bool
	Wolfpack               bool
	FlipAsAction           bool
	FourOfAKind            bool
	NegativePairsKeepValue bool
	OneEyedJacks           bool
	KnockEarly             bool
	Jokers                 Jokers
}

// DefaultOptions returns the standard rules (rules §3.4).
func DefaultOptions() Options { return Options{InitialFlips: 2} }

// boolOption describes one boolean option: its name, its label and its field.
type boolOption struct {
	name  string
	label string
	field func(*Options) *bool
}

// boolOptions lists the boolean options in the order of the table in rules
// §3.2, which is also the order of the active-rule labels.
var boolOptions = []boolOption{
	{"knock_penalty", "Knock Penalty", func(o *Options) *bool { return &o.KnockPenalty }},
	{"super_kings", "Super Kings", func(o *Options) *bool { return &o.SuperKings }},
	{"ten_penny", "Ten Penny", func(o *Options) *bool { return &o.TenPenny }},
	{"knock_bonus", "Knock Bonus", func(o *Options) *bool { return &o.KnockBonus }},
	{"underdog_bonus", "Underdog", func(o *Options) *bool { return &o.UnderdogBonus }},
	{"tied_shame", "Tied Shame", func(o *Options) *bool { return &o.TiedShame }},
	{"blackjack", "Blackjack", func(o *Options) *bool { return &o.Blackjack }},
	{"wolfpack", "Wolfpack", func(o *Options) *bool { return &o.Wolfpack }},
	{"flip_as_action", "Flip as Action", func(o *Options) *bool { return &o.FlipAsAction }},
	{"four_of_a_kind", "Four of a Kind", func(o *Options) *bool { return &o.FourOfAKind }},
	{"negative_pairs_keep_value", "Negative Pairs Keep Value", func(o *Options) *bool { return &o.NegativePairsKeepValue }},
	{"one_eyed_jacks", "One-Eyed Jacks", func(o *Options) *bool { return &o.OneEyedJacks }},
	{"knock_early", "Early Knock", func(o *Options) *bool { return &o.KnockEarly }},
}

// BoolOptionNames lists the boolean option names in rules.md order.
func BoolOptionNames() []string {
	names := make([]string, len(boolOptions))
	for i, b := range boolOptions {
		names[i] = b.name
	}
	return names
}

// Labels returns the labels of the active house rules in the order rules
// §3.2 prescribes: flip mode, jokers, then every boolean option that is on.
func (o Options) Labels() []string { return o.appendLabels(nil) }

// Validate reports the first out-of-range value as an invalid_option_value error.
func (o Options) Validate() error {
	if o.FlipMode > FlipEndgame {
		return invalidValue("flip_mode", "never, always, endgame")
	}
	if o.InitialFlips < 0 || o.InitialFlips > 2 {
		return invalidValue("initial_flips", "0, 1, 2")
	}
	if o.Jokers > JokersEagleEye {
		return invalidValue("jokers", "none, standard, lucky_swing, eagle_eye")
	}
	return nil
}

func invalidValue(key, allowed string) *Error {
	return &Error{Code: CodeInvalidOptionValue, Key: key, Msg: key + " must be one of " + allowed}
}

// MarshalJSON writes every option by its rules.md name, defaults included.
func (o Options) MarshalJSON() ([]byte, error) { return o.appendJSON(make([]byte, 0, 400)), nil }

// UnmarshalJSON reads an options map strictly (rules §3.3): unknown names are
// unknown_option, wrong types and out-of-range values invalid_option_value,
// and missing names keep their defaults.
func (o *Options) UnmarshalJSON(data []byte) error {
	fields, err := objectFields(data, "options")
	if err != nil {
		return err
	}
	opts := DefaultOptions()
	for _, f := range fields {
		if err := opts.set(f.key, f.raw); err != nil {
			return err
		}
	}
	*o = opts
	return nil
}

// set assigns one named option from its raw JSON value.
func (o *Options) set(key string, raw json.RawMessage) error {
	switch key {
	case "flip_mode":
		s, err := jsonString(key, raw, flipModeNames)
		if err != nil {
			return err
		}
		return o.FlipMode.UnmarshalText([]byte(s))
	case "jokers":
		s, err := jsonString(key, raw, jokerNames)
		if err != nil {
			return err
		}
		return o.Jokers.UnmarshalText([]byte(s))
	case "initial_flips":
		n, err := jsonInt(key, raw, 0, 2, "0, 1, 2")
		o.InitialFlips = n
		return err
	}
	for _, b := range boolOptions {
		if b.name != key {
			continue
		}
		switch string(raw) {
		case "true":
			*b.field(o) = true
		case "false":
			*b.field(o) = false
		default:
			return &Error{Code: CodeInvalidOptionValue, Key: key, Msg: key + " must be a JSON boolean: true or false"}
		}
		return nil
	}
	return &Error{Code: CodeUnknownOption, Key: key, Msg: "unknown option " + strconv.Quote(key)}
}

// Settings are everything the host chooses (rules §3.1): the deck count, the
// number of rounds and the options.
type Settings struct {
	// Decks is 1–3, or 0 for "the default for the players seated at the start".
	Decks   int
	Rounds  int
	Options Options
	// TurnTimer is the platform's limit on a turn, in seconds: 30, 60 or
	// 120; TurnTimerOff for none; 0 for the default (TurnSecondsFor). The
	// rules never read it: the server keeps the time (docs/protocol.md).
	TurnTimer int
}

// TurnTimerOff is the TurnTimer value of a game without a turn timer.
const TurnTimerOff = -1

// turnTimers are the TurnTimer values a host may pick besides the default.
var turnTimers = []int{TurnTimerOff, 30, 60, 120}

// TurnSecondsFor is the turn limit, in seconds (0: none), of a game with
// this many humans seated: the setting, or by default 60 with two or more
// humans and none otherwise (a player alone with CPUs keeps their own pace).
func (s Settings) TurnSecondsFor(humans int) int {
	switch {
	case s.TurnTimer > 0:
		return s.TurnTimer
	case s.TurnTimer == 0 && humans >= 2:
		return 60
	}
	return 0
}

// DefaultSettings returns standard rules, 9 rounds and the default deck count.
func DefaultSettings() Settings {
	return Settings{Rounds: 9, Options: DefaultOptions()}
}

// Validate checks every value's range.
func (s Settings) Validate() error {
	if s.Decks < 0 || s.Decks > 3 {
		return invalidValue("decks", "1, 2, 3")
	}
	if s.Rounds < 1 || s.Rounds > 18 {
		return &Error{Code: CodeInvalidOptionValue, Key: "rounds", Msg: "rounds must be an integer from 1 to 18"}
	}
	if s.TurnTimer != 0 && !slices.Contains(turnTimers, s.TurnTimer) {
		return invalidValue("turn_timer", "-1 (off), 30, 60, 120")
	}
	return s.Options.Validate()
}

// DecksFor is the deck count a game with n players starts with.
func (s Settings) DecksFor(n int) int {
	if s.Decks != 0 {
		return s.Decks
	}
	if n >= 5 {
		return 2
	}
	return 1
}

// IsStandard reports whether a game with n players at the start plays under
// standard rules (rules §3.4): default options and the default deck count.
func (s Settings) IsStandard(n int) bool {
	def := Settings{}.DecksFor(n)
	return s.Options == DefaultOptions() && s.DecksFor(n) == def
}

type settingsJSON struct {
	Decks     int     `json:"decks,omitempty"`
	Rounds    int     `json:"rounds"`
	Options   Options `json:"options"`
	TurnTimer int     `json:"turn_timer,omitempty"`
}

// MarshalJSON writes {"decks":N,"rounds":R,"options":{…},"turn_timer":T};
// decks and turn_timer are left out while they are the default.
func (s Settings) MarshalJSON() ([]byte, error) {
	return json.Marshal(settingsJSON{s.Decks, s.Rounds, s.Options, s.TurnTimer})
}

// UnmarshalJSON reads settings strictly (rules §3.3). An empty object means
// standard rules, 9 rounds and the default deck count.
func (s *Settings) UnmarshalJSON(data []byte) error {
	fields, err := objectFields(data, "settings")
	if err != nil {
		return err
	}
	out := DefaultSettings()
	for _, f := range fields {
		switch f.key {
		case "decks":
			out.Decks, err = jsonInt("decks", f.raw, 1, 3, "1, 2, 3")
		case "rounds":
			out.Rounds, err = jsonInt("rounds", f.raw, 1, 18, "an integer from 1 to 18")
		case "options":
			err = out.Options.UnmarshalJSON(f.raw)
		case "turn_timer":
			out.TurnTimer, err = jsonTurnTimer(f.raw)
		default:
			err = &Error{Code: CodeUnknownOption, Key: f.key, Msg: "unknown setting " + strconv.Quote(f.key)}
		}
		if err != nil {
			return err
		}
	}
	*s = out
	return nil
}

// ParseSettings decodes settings JSON as rules §3.3 describes and returns a
// typed *Error for unknown names and bad values.
func ParseSettings(data []byte) (Settings, error) {
	var s Settings
	err := s.UnmarshalJSON(data)
	return s, err
}

type field struct {
	key string
	raw json.RawMessage
}

// objectFields splits a JSON object into its fields, in order, rejecting
// duplicate keys so that no value is silently dropped.
func objectFields(data []byte, what string) ([]field, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, &Error{Code: CodeInvalidOptionValue, Key: what, Msg: what + " must be a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.Token() // {
	var out []field
	seen := map[string]bool{}
	for dec.More() {
		t, _ := dec.Token()
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &Error{Code: CodeInvalidOptionValue, Key: what, Msg: what + " must be a JSON object"}
		}
		if seen[key] {
			return nil, &Error{Code: CodeInvalidOptionValue, Key: key, Msg: key + " is given twice"}
		}
		seen[key] = true
		out = append(out, field{key, raw})
	}
	return out, nil
}

func jsonString(key string, raw json.RawMessage, allowed []string) (string, error) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", &Error{Code: CodeInvalidOptionValue, Key: key, Msg: key + " must be one of " + strings.Join(allowed, ", ")}
	}
	return s, nil
}

// jsonInt accepts only an integer literal within [lo, hi]: no strings, no
// fractions, no exponents, nothing clamped.
// jsonTurnTimer reads a turn_timer value: one of turnTimers.
func jsonTurnTimer(raw json.RawMessage) (int, error) {
	n, err := strconv.Atoi(string(raw))
	if err != nil || !slices.Contains(turnTimers, n) {
		return 0, invalidValue("turn_timer", "-1 (off), 30, 60, 120")
	}
	return n, nil
}

func jsonInt(key string, raw json.RawMessage, lo, hi int, allowed string) (int, error) {
	n, err := strconv.Atoi(string(raw))
	if err != nil || n < lo || n > hi {
		return 0, &Error{Code: CodeInvalidOptionValue, Key: key, Msg: key + " must be " + allowed}
	}
	return n, nil
}

// presets are the named option sets of rules §9, in table order.
var presets = []struct {
	name  string
	apply func(*Options)
}{
	{"standard", func(*Options) {}},
	{"speed_golf", func(o *Options) { o.FlipMode = FlipAlways }},
	{"endgame_flip", func(o *Options) { o.FlipMode = FlipEndgame }},
	{"jokers", func(o *Options) { o.Jokers = JokersStandard }},
	{"lucky_swing", func(o *Options) { o.Jokers = JokersLuckySwing }},
	{"eagle_eye", func(o *Options) { o.Jokers = JokersEagleEye }},
	{"negative_pairs", func(o *Options) { o.Jokers = JokersStandard; o.NegativePairsKeepValue = true }},
	{"four_kind", func(o *Options) { o.FourOfAKind = true }},
	{"wolfpack", func(o *Options) { o.Wolfpack = true }},
	{"competitive", func(o *Options) { o.KnockPenalty = true; o.KnockBonus = true }},
	{"penalties", func(o *Options) { o.KnockPenalty = true; o.TiedShame = true }},
	{"generous", func(o *Options) { o.KnockBonus = true; o.UnderdogBonus = true }},
	{"all_bonuses", func(o *Options) {
		o.KnockBonus, o.UnderdogBonus, o.FourOfAKind, o.Wolfpack = true, true, true, true
	}},
	{"chaos", func(o *Options) { o.Jokers = JokersLuckySwing; o.SuperKings = true; o.TenPenny = true }},
	{"classic_plus", func(o *Options) { o.FlipMode = FlipAlways; o.Jokers = JokersStandard }},
	{"wild", func(o *Options) { o.Jokers = JokersEagleEye; o.NegativePairsKeepValue = true }},
	{"everything", func(o *Options) {
		o.FlipMode = FlipAlways
		o.Jokers = JokersEagleEye
		o.KnockPenalty, o.SuperKings, o.TenPenny, o.KnockBonus = true, true, true, true
		o.UnderdogBonus, o.TiedShame, o.Blackjack = true, true, true
	}},
}

// PresetNames lists the presets of rules §9 in order.
func PresetNames() []string {
	names := make([]string, len(presets))
	for i, p := range presets {
		names[i] = p.name
	}
	return names
}

// Preset returns the options of a named preset (rules §9).
func Preset(name string) (Options, bool) {
	for _, p := range presets {
		if p.name == name {
			o := DefaultOptions()
			p.apply(&o)
			return o, true
		}
	}
	return Options{}, false
}

// ParseRules reads the simulator's rule list (rules §9): a preset name, or
// comma-separated boolean option names each meaning "on", or name=value
// pairs such as initial_flips=1 or jokers=eagle_eye.
func ParseRules(spec string) (Options, error) {
	o := DefaultOptions()
	if spec == "" {
		return o, nil
	}
	if p, ok := Preset(spec); ok {
		return p, nil
	}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		key, val, hasVal := strings.Cut(item, "=")
		raw := "true"
		if hasVal {
			raw = val
			if _, err := strconv.Atoi(val); err != nil && val != "true" && val != "false" {
				raw = strconv.Quote(val)
			}
		}
		if err := o.set(key, json.RawMessage(raw)); err != nil {
			return o, fmt.Errorf("rules %q: %w", spec, err)
		}
	}
	return o, o.Validate()
}

// OptionNames lists every option name, sorted, for error messages and docs.
func OptionNames() []string {
	names := append([]string{"flip_mode", "initial_flips", "jokers"}, BoolOptionNames()...)
	sort.Strings(names)
	return names
}
