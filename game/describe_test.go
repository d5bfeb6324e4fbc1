package game

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestRulesDescriptions: the rules document (GET /api/rules) explains every
// setting and option in one line, and every value of a string option, in
// rules.md's words.
func TestRulesDescriptions(t *testing.T) {
	d, err := DescribeRules()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
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
	if len(doc.Options) != len(OptionNames()) {
		t.Fatalf("%d options, want %d", len(doc.Options), len(OptionNames()))
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
// the rules document from being built instead of reaching the settings
// screen unexplained.
func TestRulesNeedEveryDescription(t *testing.T) {
	o := OptionDoc{Name: "jokers", Type: "string", Values: []any{"none", "sparkly"}}
	if err := describe(&o); err == nil {
		t.Error("a value without a description was accepted")
	}
	o = OptionDoc{Name: "no_such_option", Type: "bool"}
	if err := describe(&o); err == nil {
		t.Error("an option without a description was accepted")
	}
}

func ExampleDescription() {
	d, _ := Description("jokers", "lucky_swing")
	fmt.Println(d)
	d, _ = Description("knock_bonus", "")
	fmt.Println(d)
	// Output:
	// Exactly one joker in the whole deck, worth −5.
	// Whoever goes out gets −5.
}
