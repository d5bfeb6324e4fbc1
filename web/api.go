package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing/fstest"

	"golf/game"
	"golf/live"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if s.closing.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "closing"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "rooms": s.live.Rooms()})
}

func (s *Server) apiRoom(w http.ResponseWriter, r *http.Request) {
	t, err := s.live.Lookup(r.Context(), r.PathValue("code"))
	if err != nil {
		code, _, msg := live.ErrorCode(err)
		status := http.StatusNotFound
		if code == string(live.CodeUnavailable) {
			status = http.StatusServiceUnavailable
		}
		writeJSON(w, status, map[string]string{"code": code, "message": msg})
		return
	}
	writeJSON(w, http.StatusOK, t.Info())
}

func (s *Server) apiProfiles(w http.ResponseWriter, r *http.Request) {
	type profile struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		Style     string `json:"style"`
		Character string `json:"character"`
		Expert    bool   `json:"expert"` // seated only when the host names it
	}
	out := []profile{}
	for _, p := range s.cfg.Live.Bots.Roster() {
		out = append(out, profile{p.ID, p.Name, p.Style, p.Character, p.Expert})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiRules(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(s.rules)
}

// ruleOption describes one setting or option for a settings screen.
type ruleOption struct {
	Name         string            `json:"name"`
	Type         string            `json:"type"` // bool, integer, string
	Values       []any             `json:"values,omitempty"`
	Min          *int              `json:"min,omitempty"`
	Max          *int              `json:"max,omitempty"`
	Default      any               `json:"default"`
	Label        string            `json:"label,omitempty"`        // a bool option's label when on
	Labels       map[string]string `json:"labels,omitempty"`       // a string option's label per value
	Description  string            `json:"description"`            // one line: what it does
	Descriptions map[string]string `json:"descriptions,omitempty"` // a string option's, per value
}

// descriptions explain every setting, option and string option value in one
// line, in the words of rules.md §3.1, §3.2 and §8 (addressed to a player:
// "the finisher" is "whoever goes out"). rulesJSON refuses to build without
// one for each, so a new option cannot reach the settings screen unexplained.
var descriptions = map[string]string{
	"decks":  "How many 52-card decks are shuffled together: by default 1 for 2–4 players, 2 for 5–6.",
	"rounds": "How many rounds (holes) the game lasts.",

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

// describe fills in the descriptions of o and of its string values.
func describe(o *ruleOption) error {
	d, ok := descriptions[o.Name]
	if !ok {
		return fmt.Errorf("rules: no description of %s", o.Name)
	}
	o.Description = d
	if o.Type != "string" {
		return nil
	}
	o.Descriptions = map[string]string{}
	for _, v := range o.Values {
		key := fmt.Sprintf("%s=%v", o.Name, v)
		d, ok := descriptions[key]
		if !ok {
			return fmt.Errorf("rules: no description of %s", key)
		}
		o.Descriptions[fmt.Sprint(v)] = d
	}
	return nil
}

type rulesDoc struct {
	Settings   []ruleOption   `json:"settings"`
	Options    []ruleOption   `json:"options"`
	Presets    []presetDoc    `json:"presets"`
	CardValues map[string]int `json:"card_values"`
	ValueRules []valueRuleDoc `json:"value_rules"`
	Defaults   game.Settings  `json:"defaults"`
	Limits     map[string]any `json:"limits"`
}

type presetDoc struct {
	Name    string       `json:"name"`
	Options game.Options `json:"options"`
	Labels  []string     `json:"labels"`
}

// valueRuleDoc is how an option value changes card values.
type valueRuleDoc struct {
	Option string         `json:"option"`
	Value  any            `json:"value"`
	Cards  map[string]int `json:"cards"`
}

// rulesJSON works out GET /api/rules from the game package itself, so the
// client's settings screen can never disagree with the engine.
func rulesJSON() ([]byte, error) {
	def := game.DefaultOptions()
	var defaults map[string]any
	b, err := json.Marshal(def)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &defaults); err != nil {
		return nil, err
	}
	one, eighteen, zero, two := 1, 18, 0, 2
	doc := rulesDoc{
		Settings: []ruleOption{
			{Name: "decks", Type: "integer", Values: []any{1, 2, 3}, Default: nil},
			{Name: "rounds", Type: "integer", Min: &one, Max: &eighteen, Values: []any{1, 3, 9, 18}, Default: 9},
		},
		Defaults: game.DefaultSettings(),
		Limits:   map[string]any{"min_players": 2, "max_players": game.MaxPlayers, "max_name_length": game.MaxNameLen},
	}
	// The option list in the order of rules §3.2.
	labelOf := func(o game.Options) string {
		l := o.Labels()
		if len(l) == 0 {
			return ""
		}
		return l[0]
	}
	withOption := func(name string, value any) (game.Options, error) {
		raw, _ := json.Marshal(map[string]any{name: value})
		var o game.Options
		err := json.Unmarshal(raw, &o)
		return o, err
	}
	enum := func(name string, values []string) (ruleOption, error) {
		opt := ruleOption{Name: name, Type: "string", Default: defaults[name], Labels: map[string]string{}}
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
	flip, err := enum("flip_mode", []string{game.FlipNever.String(), game.FlipAlways.String(), game.FlipEndgame.String()})
	if err != nil {
		return nil, err
	}
	doc.Options = append(doc.Options, flip,
		ruleOption{Name: "initial_flips", Type: "integer", Min: &zero, Max: &two, Values: []any{0, 1, 2}, Default: defaults["initial_flips"]})
	for _, name := range game.BoolOptionNames() {
		o, err := withOption(name, true)
		if err != nil {
			return nil, err
		}
		doc.Options = append(doc.Options, ruleOption{Name: name, Type: "bool", Default: defaults[name], Label: labelOf(o)})
	}
	jokerValues := []string{game.JokersNone.String(), game.JokersStandard.String(), game.JokersLuckySwing.String(), game.JokersEagleEye.String()}
	jokers, err := enum("jokers", jokerValues)
	if err != nil {
		return nil, err
	}
	doc.Options = append(doc.Options, jokers)
	for _, list := range [][]ruleOption{doc.Settings, doc.Options} {
		for i := range list {
			if err := describe(&list[i]); err != nil {
				return nil, err
			}
		}
	}

	for _, name := range game.PresetNames() {
		o, _ := game.Preset(name)
		doc.Presets = append(doc.Presets, presetDoc{Name: name, Options: o, Labels: o.Labels()})
	}

	// Card values under the standard rules, then what each option changes.
	values := func(o game.Options) map[string]int {
		m := map[string]int{}
		for k := range game.Faces {
			c := game.FaceCard(k)
			m[c.String()] = o.Value(c)
		}
		return m
	}
	base := values(def)
	doc.CardValues = base
	diff := func(option string, value any, o game.Options) {
		cards := map[string]int{}
		for c, v := range values(o) {
			if v != base[c] {
				cards[c] = v
			}
		}
		if len(cards) > 0 {
			doc.ValueRules = append(doc.ValueRules, valueRuleDoc{Option: option, Value: value, Cards: cards})
		}
	}
	for _, name := range game.BoolOptionNames() {
		o, _ := withOption(name, true)
		diff(name, true, o)
	}
	for _, v := range jokerValues[1:] {
		o, _ := withOption("jokers", v)
		diff("jokers", v, o)
	}
	return json.Marshal(doc)
}

// placeholder stands in for the browser client until one is built in.
var placeholder = fstest.MapFS{
	"index.html": &fstest.MapFile{Data: []byte(`<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Golf</title>
<body><h1>Golf</h1><p>The game server is running; this build has no browser client.
The WebSocket protocol is at <code>/ws</code> (docs/protocol.md).</p></body></html>
`)},
}
