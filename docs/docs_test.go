// Package docs holds the project's documentation. Its test checks that every
// section of docs/rules.md and docs/ai.md that the code and the documents
// cite ("rules §7.3", "docs/ai.md §2.5") exists there as a numbered heading.
package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// specs are the documents citations point into, by the name a citation
// uses for them.
var specs = map[string]string{"rules.md": "rules.md", "ai.md": "ai.md"}

// A citation names a document, then "§", then a section; more sections may
// follow as a list ("§3.1, §3.2 and §8") or a range ("§2.4–2.7"). In Go and
// JavaScript comments a citation may run over a line break, so "//" and "*"
// count as spaces between its parts.
const (
	gap     = `(?:\s+|//|\*)+`
	num     = `\d+(?:\.\d+)*`
	prefix  = `(?i:\b(?:docs/)?(rules(?:\.md)?|ai\.md))`
	more    = `(?:(?:\s|//|\*)*(?:,|\band\b|\bor\b)(?:\s|//|\*)*§\s*` + num + `|\s*[–-]\s*` + num + `)`
	citePat = `(?:` + prefix + gap + `)?§\s*(` + num + `)((?:` + more + `)*)`
)

var (
	citeRE    = regexp.MustCompile(citePat)
	numRE     = regexp.MustCompile(num)
	headingRE = regexp.MustCompile(`(?m)^#{1,6}\s+(` + num + `)\.?\s`)
)

// citation is one cited section of a document.
type citation struct {
	doc     string // "rules.md" or "ai.md"
	section string // "7.3"
	offset  int    // in the text it was found in
}

// citations finds the sections text cites. A bare "§N" is a citation of
// self (the document the text is), or nothing when self is "".
func citations(text, self string) []citation {
	var out []citation
	for _, m := range citeRE.FindAllStringSubmatchIndex(text, -1) {
		doc := self
		if m[2] >= 0 {
			doc = strings.ToLower(text[m[2]:m[3]])
			if doc == "rules" {
				doc = "rules.md"
			}
		}
		if doc == "" {
			continue
		}
		out = append(out, citation{doc, text[m[4]:m[5]], m[0]})
		for _, n := range numRE.FindAllStringIndex(text[m[6]:m[7]], -1) {
			out = append(out, citation{doc, text[m[6]+n[0] : m[6]+n[1]], m[0]})
		}
	}
	return out
}

// headings returns the numbered sections of a document; a number used
// twice is an error.
func headings(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range headingRE.FindAllStringSubmatch(string(b), -1) {
		if out[m[1]] {
			t.Errorf("%s: two headings numbered %s", path, m[1])
		}
		out[m[1]] = true
	}
	if len(out) == 0 {
		t.Fatalf("%s has no numbered headings", path)
	}
	return out
}

// TestCitedSectionsExist walks the repository's Go, Markdown and
// JavaScript files and checks that every section they cite of rules.md or
// ai.md is a heading there. Within the two documents a bare "§N" cites the
// document itself.
func TestCitedSectionsExist(t *testing.T) {
	sections := map[string]map[string]bool{}
	for name, file := range specs {
		sections[name] = headings(t, file)
	}
	root := ".."
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !slices.Contains([]string{".go", ".md", ".js"}, filepath.Ext(name)) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if rel == filepath.Join("docs", "docs_test.go") {
			return nil // its examples are not citations
		}
		self := ""
		if dir := filepath.Dir(rel); dir == "docs" {
			if _, ok := specs[name]; ok {
				self = name
			}
		}
		text := string(b)
		for _, c := range citations(text, self) {
			found++
			if !sections[c.doc][c.section] {
				line := 1 + strings.Count(text[:c.offset], "\n")
				t.Errorf("%s:%d cites %s §%s, which docs/%s has no heading for", rel, line, c.doc, c.section, c.doc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("found no citations at all: the walk or the pattern is broken")
	}
	t.Logf("%d citations checked", found)
}

// TestCitationForms pins what counts as a citation.
func TestCitationForms(t *testing.T) {
	tests := []struct {
		text, self string
		want       []string // doc §section
	}{
		{"the order of rules §13: …", "", []string{"rules.md §13"}},
		{"Rules §15.6: turn flow", "", []string{"rules.md §15.6"}},
		{"see docs/rules.md §7.3 and", "", []string{"rules.md §7.3"}},
		{"in the words of rules.md §3.1, §3.2 and §8 (addressed", "", []string{"rules.md §3.1", "rules.md §3.2", "rules.md §8"}},
		{"(rules §7.4, §10)", "", []string{"rules.md §7.4", "rules.md §10"}},
		{"in the order of the table in rules\n// §3.2, which is", "", []string{"rules.md §3.2"}},
		{"// choose takes the lowest (ai.md\n// §6.2: the expert", "", []string{"ai.md §6.2"}},
		{"(ai.md §4–5: such turns)", "", []string{"ai.md §4", "ai.md §5"}},
		{"the turn procedure of docs/ai.md §2.4–2.7;", "", []string{"ai.md §2.4", "ai.md §2.7"}},
		{"est(o) of ai.md §2.2 and §5: seat o's", "", []string{"ai.md §2.2", "ai.md §5"}},
		{"(rules §7.2 rules (a)–(c))", "", []string{"rules.md §7.2"}},
		{"applies rules §7.3 steps 2–9 to", "", []string{"rules.md §7.3"}},
		{"ai.md §2.4 rule 5", "", []string{"ai.md §2.4"}},
		{"a bare §5 in code cites nothing", "", nil},
		{"a bare §5 in ai.md cites ai.md, rules §12 the rules", "ai.md", []string{"ai.md §5", "rules.md §12"}},
		{"the 2.8.1 of ai.md §2.8.1.", "", []string{"ai.md §2.8.1"}},
		{"the players (ai §3) are not a citation", "", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range citations(tt.text, tt.self) {
			got = append(got, c.doc+" §"+c.section)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("citations(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
