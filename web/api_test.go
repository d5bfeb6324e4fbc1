package web

import (
	"encoding/json"
	"testing"
	"time"

	"golf/game"
)

// TestRulesDescriptions: GET /api/rules explains every setting and option in
// one line, and every value of a string option, in rules.md's words.
func TestRulesDescriptions(t *testing.T) {
	b, err := rulesJSON()
	if err != nil {
		t.Fatal(err)
	}
	type option struct {
		Name         string
		Type         string
		Values       []any
		Description  string
		Descriptions map[string]string
	}
	var doc struct {
		Settings []option
		Options  []option
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Options) != len(game.OptionNames()) {
		t.Fatalf("%d options, want %d", len(doc.Options), len(game.OptionNames()))
	}
	byName := map[string]option{}
	for _, o := range append(doc.Settings, doc.Options...) {
		byName[o.Name] = o
		if o.Description == "" {
			t.Errorf("%s has no description", o.Name)
		}
		if o.Type != "string" {
			if o.Descriptions != nil {
				t.Errorf("%s (%s) describes values: %v", o.Name, o.Type, o.Descriptions)
			}
			continue
		}
		if len(o.Descriptions) != len(o.Values) {
			t.Errorf("%s: %d value descriptions for %d values", o.Name, len(o.Descriptions), len(o.Values))
		}
		for _, v := range o.Values {
			if o.Descriptions[v.(string)] == "" {
				t.Errorf("%s=%v has no description", o.Name, v)
			}
		}
	}
	for _, tc := range []struct{ name, value, want string }{
		{"super_kings", "", "Kings are worth −2."},
		{"knock_bonus", "", "Whoever goes out gets −5."},
		{"jokers", "lucky_swing", "Exactly one joker in the whole deck, worth −5."},
		{"flip_mode", "always", "After discarding a card drawn from the deck you must turn up one of your face-down cards."},
	} {
		o := byName[tc.name]
		got := o.Description
		if tc.value != "" {
			got = o.Descriptions[tc.value]
		}
		if got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

// TestRulesNeedEveryDescription: an option without a description stops
// the server from building its rules document instead of reaching the
// settings screen unexplained.
func TestRulesNeedEveryDescription(t *testing.T) {
	o := ruleOption{Name: "jokers", Type: "string", Values: []any{"none", "sparkly"}}
	if err := describe(&o); err == nil {
		t.Error("a value without a description was accepted")
	}
	o = ruleOption{Name: "no_such_option", Type: "bool"}
	if err := describe(&o); err == nil {
		t.Error("an option without a description was accepted")
	}
}

// TestStateFrameCarriesServerTime: room.now is the server's clock as the
// frame goes out, so clients count down to next_round_at on it.
func TestStateFrameCarriesServerTime(t *testing.T) {
	ts := newTestServer(t, nil)
	before := time.Now().UnixMilli()
	ann := create(t, ts, "Ann", nil)
	f := ann.next("state")
	after := time.Now().UnixMilli()
	var room struct {
		Now         *int64 `json:"now"`
		NextRoundAt int64  `json:"next_round_at"`
	}
	if err := json.Unmarshal(f.RoomRaw, &room); err != nil {
		t.Fatal(err)
	}
	if room.Now == nil {
		t.Fatalf("room has no now: %s", f.RoomRaw)
	}
	if *room.Now < before || *room.Now > after {
		t.Errorf("room.now %d is outside the time the frame was made (%d..%d)", *room.Now, before, after)
	}
}
