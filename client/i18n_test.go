package client

import (
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// serverTextPrefixes are the namespaces of translations of the server's own
// English words (option names and descriptions from /api/rules, CPU styles
// and characters from /api/profiles): English has none, the server's text
// is the English; e2e checks each translation covers all the server says.
var serverTextPrefixes = []string{"opt.", "profile."}

func serverText(key string) bool {
	return slices.ContainsFunc(serverTextPrefixes, func(p string) bool { return strings.HasPrefix(key, p) })
}

// words is one translation file: each key's text, or its plural forms.
type words map[string][]string

func loadWords(t *testing.T, file string) (words, map[string]bool) {
	t.Helper()
	raw, err := fs.ReadFile(FS, file)
	if err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s is not a JSON object: %v", file, err)
	}
	out := words{}
	plural := map[string]bool{}
	for k, v := range m {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[k] = []string{s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			t.Errorf("%s: %s is neither a string nor plural forms: %s", file, k, v)
			continue
		}
		if forms["other"] == "" {
			t.Errorf("%s: %s has plural forms but no \"other\"", file, k)
		}
		for form := range forms {
			if !slices.Contains([]string{"zero", "one", "two", "few", "many", "other"}, form) {
				t.Errorf("%s: %s has plural form %q, not one of Intl.PluralRules'", file, k, form)
			}
		}
		plural[k] = true
		out[k] = slices.Collect(maps.Values(forms))
	}
	return out, plural
}

var placeholderRE = regexp.MustCompile(`\{(\w+)\}`)

func placeholders(texts []string) map[string]bool {
	out := map[string]bool{}
	for _, s := range texts {
		for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
			out[m[1]] = true
		}
	}
	return out
}

// TestTranslationFiles checks that every translation has exactly English's
// keys (plus its translations of the server's words), in the same shape,
// with no placeholder English does not fill.
func TestTranslationFiles(t *testing.T) {
	files, err := fs.Glob(FS, "i18n/*.json")
	if err != nil || len(files) < 2 {
		t.Fatalf("translation files: %v %v, want English and at least one more", files, err)
	}
	en, enPlural := loadWords(t, "i18n/en.json")
	if len(en) < 100 {
		t.Fatalf("en.json has %d keys: the loader is broken", len(en))
	}
	for k := range en {
		if serverText(k) {
			t.Errorf("en.json: %s: English takes the server's own words, it has no %v keys", k, serverTextPrefixes)
		}
	}
	for _, file := range files {
		if file == "i18n/en.json" {
			continue
		}
		tr, trPlural := loadWords(t, file)
		for k := range en {
			if _, ok := tr[k]; !ok {
				t.Errorf("%s: no %s", file, k)
			}
		}
		for k, texts := range tr {
			if serverText(k) {
				continue
			}
			if _, ok := en[k]; !ok {
				t.Errorf("%s: %s is not an English key", file, k)
				continue
			}
			if trPlural[k] != enPlural[k] {
				t.Errorf("%s: %s: plural forms in one file and not the other", file, k)
			}
			want := placeholders(en[k])
			for p := range placeholders(texts) {
				if !want[p] {
					t.Errorf("%s: %s uses {%s}, which the English text never fills", file, k, p)
				}
			}
			for _, s := range texts {
				if strings.TrimSpace(s) == "" && strings.TrimSpace(strings.Join(en[k], "")) != "" {
					t.Errorf("%s: %s is empty", file, k)
				}
			}
		}
	}
}

var (
	// A call whose first argument is a key: t('a.b'), tx(…), has(…),
	// ordinal(…), and the narrator's say(…) and winnersLine(…), which also
	// read key.you (and key.many). A template literal gives a prefix.
	callRE = regexp.MustCompile("(?:^|[^.\\w$])(t|tx|has|ordinal|say|winnersLine)\\(\\s*(?:'([^']*)'|\"([^\"]*)\"|`([^`]*)`)")
	// Any string literal that looks like a key (namespace.rest), e.g. the
	// arms of t(cond ? 'a.b' : 'a.c').
	literalRE = regexp.MustCompile(`'([a-z]+\.[A-Za-z0-9_.\-]+)'`)
	attrRE    = regexp.MustCompile(`data-i18n(?:-label)?="([^"]+)"`)
)

// TestTranslationKeys finds every key the client uses, in its modules and in
// index.html, and checks English has it (so every translation does, by
// TestTranslationFiles); so do the error codes the server sends and every
// keyboard shortcut.
func TestTranslationKeys(t *testing.T) {
	en, _ := loadWords(t, "i18n/en.json")
	namespaces := map[string]bool{}
	for k := range en {
		namespaces[strings.SplitN(k, ".", 2)[0]] = true
	}
	need := func(where, key string) {
		t.Helper()
		if _, ok := en[key]; !ok {
			t.Errorf("%s uses %q, which en.json does not have", where, key)
		}
	}
	found := 0
	mods, _ := fs.Glob(FS, "js/*.js")
	for _, m := range mods {
		src, _ := fs.ReadFile(FS, m)
		for _, c := range callRE.FindAllStringSubmatch(string(src), -1) {
			key := c[2] + c[3] + c[4]
			if c[4] != "" || strings.Contains(c[0], "`") {
				// A template: some key must start with its fixed part.
				prefix, _, _ := strings.Cut(key, "${")
				if prefix != "" && !slices.ContainsFunc(slices.Collect(maps.Keys(en)), func(k string) bool { return strings.HasPrefix(k, prefix) }) {
					t.Errorf("%s: no key starts with %q (from `%s`)", m, prefix, key)
				}
				continue
			}
			found++
			need(m, key)
			switch c[1] {
			case "say":
				need(m, key+".you")
			case "winnersLine":
				need(m, key+".you")
				need(m, key+".many")
			}
		}
		for _, l := range literalRE.FindAllStringSubmatch(string(src), -1) {
			if ns, _, _ := strings.Cut(l[1], "."); namespaces[ns] && !strings.HasSuffix(l[1], ".js") {
				need(m, l[1])
			}
		}
	}
	if found < 200 {
		t.Errorf("found only %d keys in the modules: the scan is broken", found)
	}
	index, _ := fs.ReadFile(FS, "index.html")
	attrs := attrRE.FindAllStringSubmatch(string(index), -1)
	if len(attrs) < 2 {
		t.Errorf("index.html has %d data-i18n attributes: its words are not translated", len(attrs))
	}
	for _, a := range attrs {
		need("index.html", a[1])
	}

	// Every error code the server may send has words.
	codes := map[string]bool{}
	gameErrors, err := os.ReadFile(path.Join("..", "game", "errors.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`Code = "([a-z_]+)"`).FindAllStringSubmatch(string(gameErrors), -1) {
		codes[m[1]] = true
	}
	protocol, err := os.ReadFile(path.Join("..", "docs", "protocol.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, errSection, _ := strings.Cut(string(protocol), "### `error`")
	errSection, _, _ = strings.Cut(errSection, "###")
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllStringSubmatch(errSection, -1) {
		codes[m[1]] = true
	}
	if len(codes) < 30 {
		t.Errorf("found %d error codes in game/errors.go and docs/protocol.md: the scan is broken", len(codes))
	}
	for code := range codes {
		need("the server's error codes", "error."+code)
	}

	// Every keyboard shortcut is explained.
	keys, _ := fs.ReadFile(FS, "js/keys.js")
	actions := regexp.MustCompile(`action: '([a-z-]+)'`).FindAllStringSubmatch(string(keys), -1)
	if len(actions) < 10 {
		t.Errorf("found %d shortcuts in keys.js: the scan is broken", len(actions))
	}
	for _, a := range actions {
		need("keys.js", "keys."+a[1])
	}
}
