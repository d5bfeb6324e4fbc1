package game

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// rulesDoc is the rules document this package implements.
const rulesDoc = "../docs/rules.md"

// TestRulesDocMatchesPackage reads the tables of docs/rules.md marked
// "<!-- checked: NAME -->" and compares them with the package: settings,
// options (names, values, defaults, labels), deck sizes, card values,
// presets, rejection codes, events and commands. The document is written by
// hand, with prose columns the test ignores; when the package changes, the
// failure names the row and what the package says.
func TestRulesDocMatchesPackage(t *testing.T) {
	tables := checkedTables(t, rulesDoc)
	checks := map[string]func(*testing.T, *mdTable){
		"settings":      checkSettingsTable,
		"options":       checkOptionsTable,
		"bool-options":  checkBoolOptionsTable,
		"deck-sizes":    checkDeckSizesTable,
		"card-values":   checkCardValuesTable,
		"value-changes": checkValueChangesTable,
		"presets":       checkPresetsTable,
		"codes":         checkCodesTable,
		"events":        checkEventsTable,
		"commands":      checkCommandsTable,
	}
	for name := range tables {
		if checks[name] == nil {
			t.Errorf("%s:%d: no check for the table marked %q", rulesDoc, tables[name].line, name)
		}
	}
	for name, check := range checks {
		t.Run(name, func(t *testing.T) {
			tb := tables[name]
			if tb == nil {
				t.Fatalf("%s has no table marked <!-- checked: %s -->", rulesDoc, name)
			}
			check(t, tb)
		})
	}
	t.Run("labels-order", func(t *testing.T) { checkLabelOrder(t, tables["options"], tables["bool-options"]) })
}

// mdTable is one Markdown table: its header cells and rows, and the line
// of its marker for messages.
type mdTable struct {
	line   int
	header []string
	rows   [][]string
}

// col returns the index of the column whose header (backticks removed)
// starts with name.
func (tb *mdTable) col(t *testing.T, name string) int {
	t.Helper()
	for i, h := range tb.header {
		if strings.HasPrefix(plain(h), name) {
			return i
		}
	}
	t.Fatalf("table at line %d has no column %q (header %q)", tb.line, name, tb.header)
	return -1
}

// keyed returns the rows by their first cell (backticks removed), in order.
func (tb *mdTable) keyed(t *testing.T) ([]string, map[string][]string) {
	t.Helper()
	var keys []string
	m := map[string][]string{}
	for _, r := range tb.rows {
		k := plain(r[0])
		if m[k] != nil {
			t.Errorf("table at line %d lists %q twice", tb.line, k)
		}
		keys = append(keys, k)
		m[k] = r
	}
	return keys, m
}

var markerRE = regexp.MustCompile(`^<!--\s*checked:\s*([a-z0-9-]+)\s*-->\s*$`)

// checkedTables returns every table of the file that follows a
// "<!-- checked: NAME -->" line, by name.
func checkedTables(t *testing.T, path string) map[string]*mdTable {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	out := map[string]*mdTable{}
	for i := 0; i < len(lines); i++ {
		m := markerRE.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			continue
		}
		tb := &mdTable{line: i + 1}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		for ; j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "|"); j++ {
			cells := splitRow(lines[j])
			switch {
			case tb.header == nil:
				tb.header = cells
			case isSeparator(cells):
			default:
				if len(cells) != len(tb.header) {
					t.Errorf("%s:%d: %d cells, the header has %d", path, j+1, len(cells), len(tb.header))
					continue
				}
				tb.rows = append(tb.rows, cells)
			}
		}
		if tb.header == nil || len(tb.rows) == 0 {
			t.Errorf("%s:%d: marker %q is not followed by a table", path, i+1, m[1])
		}
		if out[m[1]] != nil {
			t.Errorf("%s:%d: a second table marked %q", path, i+1, m[1])
		}
		out[m[1]] = tb
		i = j - 1
	}
	return out
}

// splitRow splits "| a | b \| c |" into its trimmed cells; \| is a pipe
// inside a cell.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

func isSeparator(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" {
			return false
		}
	}
	return true
}

// plain is a cell without backticks and surrounding space.
func plain(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "`", "")) }

var (
	intRE   = regexp.MustCompile(`[+−-]?\d+`)
	rangeRE = regexp.MustCompile(`^(\d+)\s*(?:–|-|…)\s*(\d+)$`)
	codeRE  = regexp.MustCompile("`([^`]+)`")
)

// atoi reads an integer written with a Unicode minus or a plus sign.
func atoi(s string) (int, error) {
	s = strings.NewReplacer("−", "-", "+", "").Replace(strings.TrimSpace(s))
	return strconv.Atoi(s)
}

// firstInt is the first integer in a cell ("+2 (unpaired)" is 2).
func firstInt(t *testing.T, cell string) int {
	t.Helper()
	n, err := atoi(intRE.FindString(cell))
	if err != nil {
		t.Fatalf("no number in %q", cell)
	}
	return n
}

// parseInts reads "1–3", "0, 1, 2" or "1 … 18" as a sorted set.
func parseInts(t *testing.T, cell string) []int {
	t.Helper()
	var out []int
	for _, part := range strings.Split(plain(cell), ",") {
		part = strings.TrimSpace(part)
		if m := rangeRE.FindStringSubmatch(part); m != nil {
			lo, _ := strconv.Atoi(m[1])
			hi, _ := strconv.Atoi(m[2])
			for n := lo; n <= hi; n++ {
				out = append(out, n)
			}
			continue
		}
		n, err := atoi(part)
		if err != nil {
			t.Fatalf("values %q: %q is not a number or a range", cell, part)
		}
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// setDiff describes how the names a table lists differ from the package's,
// or returns "" when they are the same set.
func setDiff(table, pkg []string) string {
	var missing, extra []string
	for _, w := range pkg {
		if !slices.Contains(table, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range table {
		if !slices.Contains(pkg, g) {
			extra = append(extra, g)
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, fmt.Sprintf("the table lacks %q", missing))
	}
	if len(extra) > 0 {
		parts = append(parts, fmt.Sprintf("the table lists %q, which the package does not have", extra))
	}
	return strings.Join(parts, "; ")
}

// backticked lists the `quoted` words of a cell.
func backticked(cell string) []string {
	var out []string
	for _, m := range codeRE.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

// accepted lists the integers in [lo, hi] that ParseSettings accepts for
// the JSON made by wrap.
func accepted(lo, hi int, wrap func(int) string) []int {
	var out []int
	for n := lo; n <= hi; n++ {
		if _, err := ParseSettings([]byte(wrap(n))); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// defaultsJSON is every option's default as JSON decodes it: bool,
// float64 or string, by name.
func defaultsJSON(t *testing.T) map[string]any {
	t.Helper()
	b, err := json.Marshal(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// enumValues are the values of each string option, in the order rules.md
// lists them.
var enumValues = map[string][]string{"flip_mode": flipModeNames, "jokers": jokerNames}

// optionValues lists the JSON literals an option accepts.
func optionValues(t *testing.T, name string, def any) []string {
	t.Helper()
	switch def.(type) {
	case bool:
		return []string{"false", "true"}
	case string:
		vals := enumValues[name]
		if vals == nil {
			t.Fatalf("string option %s: add its values to enumValues", name)
		}
		var out []string
		for _, v := range vals {
			out = append(out, strconv.Quote(v))
		}
		return out
	}
	var out []string
	for _, n := range accepted(-5, 30, func(n int) string { return fmt.Sprintf(`{"options":{%q:%d}}`, name, n) }) {
		out = append(out, strconv.Itoa(n))
	}
	return out
}

// with returns the default options with one option set to a JSON literal.
func with(t *testing.T, name, raw string) Options {
	t.Helper()
	o := DefaultOptions()
	if err := o.set(name, json.RawMessage(raw)); err != nil {
		t.Fatalf("%s=%s: %v", name, raw, err)
	}
	return o
}

// soleLabel is the label the options show, or "" for none.
func soleLabel(t *testing.T, o Options, what string) string {
	t.Helper()
	l := o.Labels()
	if len(l) > 1 {
		t.Errorf("%s: labels %q, want at most one", what, l)
	}
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

func checkSettingsTable(t *testing.T, tb *mdTable) {
	var keys map[string]json.RawMessage
	b, _ := json.Marshal(Settings{Decks: 1, Rounds: 1, Options: DefaultOptions(), TurnTimer: 30})
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	delete(keys, "options")
	names, rows := tb.keyed(t)
	var want []string
	for k := range keys {
		want = append(want, k)
	}
	sort.Strings(want)
	if d := setDiff(names, want); d != "" {
		t.Errorf("settings: %s", d)
	}
	values, def := tb.col(t, "Values"), tb.col(t, "Default")
	for _, name := range names {
		r := rows[name]
		ok := accepted(-5, 150, func(n int) string { return fmt.Sprintf(`{%q:%d}`, name, n) })
		if got := parseInts(t, r[values]); !slices.Equal(got, ok) {
			t.Errorf("%s: values %v, the package accepts %v", name, got, ok)
		}
		switch name {
		case "rounds":
			if got := firstInt(t, r[def]); got != DefaultSettings().Rounds {
				t.Errorf("rounds: default %d, the package's is %d", got, DefaultSettings().Rounds)
			}
		case "decks":
			checkDecksDefault(t, r[def])
		case "turn_timer":
			checkTurnTimerDefault(t, r[def])
		default:
			t.Errorf("setting %s: no check of its default; add one", name)
		}
	}
}

// checkTurnTimerDefault reads "2 or more → 60, 1 → off" and compares it
// with TurnSecondsFor.
func checkTurnTimerDefault(t *testing.T, cell string) {
	if DefaultSettings().TurnTimer != 0 {
		t.Errorf("turn_timer: the default settings fix %d; the table says it depends on the humans", DefaultSettings().TurnTimer)
	}
	m := regexp.MustCompile(`2 or more → (\d+), 1 → off`).FindStringSubmatch(plain(cell))
	if m == nil {
		t.Fatalf("turn_timer: default %q, want \"2 or more → N, 1 → off\"", cell)
	}
	want, _ := strconv.Atoi(m[1])
	for humans := 0; humans <= MaxPlayers; humans++ {
		got, exp := DefaultSettings().TurnSecondsFor(humans), 0
		if humans >= 2 {
			exp = want
		}
		if got != exp {
			t.Errorf("turn_timer: default for %d humans is %d s, the table says %d", humans, got, exp)
		}
	}
}

var byPlayersRE = regexp.MustCompile(`(\d+)(?:\s*–\s*(\d+))?\s*→\s*(\d+)`)

// checkDecksDefault reads "2–4 → 1, 5–6 → 2" and compares it with
// DecksFor for every table size.
func checkDecksDefault(t *testing.T, cell string) {
	if DefaultSettings().Decks != 0 {
		t.Errorf("decks: the default settings fix %d decks; the table says it depends on the players", DefaultSettings().Decks)
	}
	doc := map[int]int{}
	for _, m := range byPlayersRE.FindAllStringSubmatch(cell, -1) {
		lo, _ := strconv.Atoi(m[1])
		hi := lo
		if m[2] != "" {
			hi, _ = strconv.Atoi(m[2])
		}
		d, _ := strconv.Atoi(m[3])
		for n := lo; n <= hi; n++ {
			doc[n] = d
		}
	}
	for n := 2; n <= MaxPlayers; n++ {
		if got, want := doc[n], (Settings{}).DecksFor(n); got != want {
			t.Errorf("decks: default for %d players is %d in %q, the package's is %d", n, got, cell, want)
		}
	}
}

func checkOptionsTable(t *testing.T, tb *mdTable) {
	defs := defaultsJSON(t)
	names, rows := tb.keyed(t)
	values, def, label := tb.col(t, "Values"), tb.col(t, "Default"), tb.col(t, "Label")
	var want []string
	for name, d := range defs {
		if _, isBool := d.(bool); !isBool {
			want = append(want, name)
		}
	}
	sort.Strings(want)
	if d := setDiff(names, want); d != "" {
		t.Errorf("non-boolean options: %s", d)
	}
	for _, name := range names {
		d, ok := defs[name]
		if !ok {
			continue
		}
		r := rows[name]
		vals := optionValues(t, name, d)
		// The values, as the package writes them.
		var got []string
		if _, isString := d.(string); isString {
			for _, v := range backticked(r[values]) {
				got = append(got, strconv.Quote(v))
			}
		} else {
			for _, n := range parseInts(t, r[values]) {
				got = append(got, strconv.Itoa(n))
			}
		}
		if !slices.Equal(got, vals) {
			t.Errorf("%s: values %v, the package accepts %v", name, got, vals)
		}
		if got, want := plain(r[def]), fmt.Sprint(d); got != want {
			t.Errorf("%s: default %q, the package's is %q", name, got, want)
		}
		// Labels: "`always`: Speed Golf; `endgame`: Endgame Flip", or "–".
		doc := map[string]string{}
		if c := strings.TrimSpace(r[label]); c != "–" && c != "-" {
			for _, part := range strings.Split(c, ";") {
				k, v, ok := strings.Cut(part, ":")
				if !ok {
					t.Errorf("%s: label %q is not `value`: Label", name, part)
					continue
				}
				doc[plain(k)] = strings.TrimSpace(v)
			}
		}
		for _, raw := range vals {
			v := strings.Trim(raw, `"`)
			want := soleLabel(t, with(t, name, raw), name+"="+v)
			if doc[v] != want {
				t.Errorf("%s=%s: label %q, the package's is %q", name, v, doc[v], want)
			}
			delete(doc, v)
		}
		for v := range doc {
			t.Errorf("%s: a label for %q, which is no value of it", name, v)
		}
	}
}

func checkBoolOptionsTable(t *testing.T, tb *mdTable) {
	defs := defaultsJSON(t)
	names, rows := tb.keyed(t)
	if want := BoolOptionNames(); !slices.Equal(names, want) {
		t.Errorf("boolean options %q\nthe package's, in label order: %q", names, want)
	}
	label := tb.col(t, "Label")
	for _, name := range names {
		if d, ok := defs[name]; d != false || !ok {
			t.Errorf("%s: default %v, the table says every boolean defaults to false", name, d)
			continue
		}
		for _, raw := range []string{`"true"`, "1", "null"} {
			if _, err := ParseSettings([]byte(fmt.Sprintf(`{"options":{%q:%s}}`, name, raw))); CodeOf(err) != CodeInvalidOptionValue {
				t.Errorf("%s=%s: %v, want invalid_option_value (§3.3)", name, raw, err)
			}
		}
		if got, want := plain(rows[name][label]), soleLabel(t, with(t, name, "true"), name); got != want {
			t.Errorf("%s: label %q, the package's is %q", name, got, want)
		}
	}
}

// checkLabelOrder checks the order §3.2 states: flip_mode's label, then
// jokers', then the booleans' in table order.
func checkLabelOrder(t *testing.T, enums, bools *mdTable) {
	if enums == nil || bools == nil {
		t.Skip("the option tables are missing; reported above")
	}
	o := DefaultOptions()
	o.FlipMode, o.Jokers = FlipEndgame, JokersEagleEye
	want := []string{
		soleLabel(t, with(t, "flip_mode", `"endgame"`), "flip_mode"),
		soleLabel(t, with(t, "jokers", `"eagle_eye"`), "jokers"),
	}
	names, _ := bools.keyed(t)
	for _, name := range names {
		if err := o.set(name, json.RawMessage("true")); err != nil {
			t.Fatal(err)
		}
		want = append(want, soleLabel(t, with(t, name, "true"), name))
	}
	if got := o.Labels(); !slices.Equal(got, want) {
		t.Errorf("every rule on gives labels %q\nrules.md's order gives %q", got, want)
	}
}

var decksHeaderRE = regexp.MustCompile(`^(\d+) decks?$`)

func checkDeckSizesTable(t *testing.T, tb *mdTable) {
	names, rows := tb.keyed(t)
	if !slices.Equal(names, jokerNames) {
		t.Errorf("jokers values %q, the package's are %q", names, jokerNames)
	}
	cols := map[int]int{}
	for i, h := range tb.header {
		if m := decksHeaderRE.FindStringSubmatch(plain(h)); m != nil {
			d, _ := strconv.Atoi(m[1])
			cols[d] = i
		}
	}
	decks := accepted(-5, 50, func(n int) string { return fmt.Sprintf(`{"decks":%d}`, n) })
	for _, d := range decks {
		if _, ok := cols[d]; !ok {
			t.Errorf("no column for %d decks", d)
		}
	}
	for _, name := range names {
		var j Jokers
		if err := j.UnmarshalText([]byte(name)); err != nil {
			t.Errorf("jokers=%s: %v", name, err)
			continue
		}
		for d, i := range cols {
			got := firstInt(t, rows[name][i])
			if want := DeckSize(d, j); got != want || len(NewDeck(d, j)) != want {
				t.Errorf("jokers=%s, %d decks: %d cards, the package deals %d", name, d, got, want)
			}
		}
	}
}

func checkCardValuesTable(t *testing.T, tb *mdTable) {
	if len(tb.rows) != 1 {
		t.Fatalf("%d rows, want one row of points", len(tb.rows))
	}
	o := DefaultOptions()
	seen := map[Rank]bool{}
	for i, h := range tb.header[1:] {
		c, err := ParseCard(plain(h) + "S")
		if err != nil {
			t.Errorf("column %q: %v", h, err)
			continue
		}
		seen[c.Rank] = true
		got := firstInt(t, tb.rows[0][i+1])
		for s := Spades; s <= Clubs; s++ {
			c.Suit = s
			if want := o.Value(c); got != want {
				t.Errorf("%v: %d points, the package's value is %d", c, got, want)
			}
		}
	}
	for r := Ace; r <= King; r++ {
		if !seen[r] {
			t.Errorf("no column for rank %v", r)
		}
	}
}

// checkValueChangesTable compares the table with every option value that
// changes some card's value from the standard rules (and every joker rule,
// since jokers are in play only under one).
func checkValueChangesTable(t *testing.T, tb *mdTable) {
	type key struct {
		setting string
		card    Card
	}
	def := DefaultOptions()
	want := map[key]int{}
	for name, d := range defaultsJSON(t) {
		for _, raw := range optionValues(t, name, d) {
			o := with(t, name, raw)
			if o == def {
				continue
			}
			setting := name
			if raw != "true" {
				setting += "=" + strings.Trim(raw, `"`)
			}
			for k := range 52 {
				c := FaceCard(k)
				if v := o.Value(c); v != def.Value(c) {
					want[key{setting, c}] = v
				}
			}
			if o.Jokers != JokersNone {
				want[key{setting, Card{Rank: Joker}}] = o.Value(Card{Rank: Joker})
			}
		}
	}
	option, cardsCol, points := tb.col(t, "Option"), tb.col(t, "Cards"), tb.col(t, "Points")
	got := map[key]int{}
	for _, r := range tb.rows {
		setting, v := plain(r[option]), firstInt(t, r[points])
		for _, tok := range strings.Split(plain(r[cardsCol]), ",") {
			tok = strings.TrimSpace(tok)
			var cs []Card
			switch {
			case tok == "JK":
				cs = []Card{{Rank: Joker}}
			case len(tok) == 1:
				for s := Spades; s <= Clubs; s++ {
					c, err := ParseCard(tok + Suit(s).String())
					if err != nil {
						t.Fatalf("%s: card %q: %v", setting, tok, err)
					}
					cs = append(cs, c)
				}
			default:
				c, err := ParseCard(tok)
				if err != nil {
					t.Fatalf("%s: card %q: %v", setting, tok, err)
				}
				cs = []Card{c}
			}
			for _, c := range cs {
				got[key{setting, c}] = v
			}
		}
	}
	for k, v := range want {
		switch g, ok := got[k]; {
		case !ok:
			t.Errorf("%s: %v is worth %d; the table does not list it", k.setting, k.card, v)
		case g != v:
			t.Errorf("%s: %v is worth %d; the table says %d", k.setting, k.card, v, g)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: the table lists %v at %d, but the option does not change its value (%d)", k.setting, k.card, v, def.Value(k.card))
		}
	}
}

func checkPresetsTable(t *testing.T, tb *mdTable) {
	names, rows := tb.keyed(t)
	if !slices.Equal(names, PresetNames()) {
		t.Errorf("presets %q\nthe package's, in order: %q", names, PresetNames())
	}
	optsCol := tb.col(t, "Options")
	for _, name := range names {
		want, ok := Preset(name)
		if !ok {
			continue
		}
		got := DefaultOptions()
		if c := plain(rows[name][optsCol]); c != "–" && c != "-" {
			for _, item := range strings.Split(c, ",") {
				k, v, hasVal := strings.Cut(strings.TrimSpace(item), "=")
				raw := "true"
				if hasVal {
					raw = v
					if _, err := strconv.Atoi(v); err != nil {
						raw = strconv.Quote(v)
					}
				}
				if err := got.set(k, json.RawMessage(raw)); err != nil {
					t.Errorf("preset %s: %q: %v", name, item, err)
				}
			}
		}
		if got != want {
			t.Errorf("preset %s: the table gives %+v\nthe package's is %+v", name, got, want)
		}
	}
}

// checkCodesTable compares the table with every constant of type Code in
// the package's source.
func checkCodesTable(t *testing.T, tb *mdTable) {
	names, _ := tb.keyed(t)
	got := slices.Sorted(slices.Values(names))
	var want []string
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok {
						s, _ := strconv.Unquote(lit.Value)
						want = append(want, s)
					}
				}
			}
		}
	}
	sort.Strings(want)
	if len(want) == 0 {
		t.Fatal("found no Code constants in the package's source")
	}
	if d := setDiff(got, want); d != "" {
		t.Errorf("codes: %s", d)
	}
}

func checkEventsTable(t *testing.T, tb *mdTable) {
	names, _ := tb.keyed(t)
	got := slices.Sorted(slices.Values(names))
	want := slices.Sorted(slices.Values(EventTypeNames()))
	if d := setDiff(got, want); d != "" {
		t.Errorf("events: %s", d)
	}
}

func checkCommandsTable(t *testing.T, tb *mdTable) {
	var got []string
	for _, r := range tb.rows {
		if w := backticked(r[0]); len(w) > 0 {
			got = append(got, w[0])
		}
	}
	sort.Strings(got)
	var want []string
	for k := CmdCreateGame; k < numKinds; k++ {
		want = append(want, k.String())
	}
	sort.Strings(want)
	if d := setDiff(got, want); d != "" {
		t.Errorf("commands: %s", d)
	}
}
