package client

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestFSLayout checks that index.html sits at the top of FS and that every
// module it loads, directly or through an import, is embedded.
func TestFSLayout(t *testing.T) {
	index, err := fs.ReadFile(FS, "index.html")
	if err != nil {
		t.Fatalf("read index.html: %v", err)
	}
	for _, want := range []string{`src="/js/main.js"`, `href="/style.css"`} {
		if !strings.Contains(string(index), want) {
			t.Errorf("index.html does not reference %s", want)
		}
	}
	importRE := regexp.MustCompile(`(?m)^\s*import\s+(?:[^'"]*?\s+from\s+)?['"](\./[^'"]+)['"]`)
	seen := map[string]bool{}
	var visit func(path string)
	visit = func(path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		src, err := fs.ReadFile(FS, path)
		if err != nil {
			t.Errorf("module %s is not embedded: %v", path, err)
			return
		}
		for _, m := range importRE.FindAllStringSubmatch(string(src), -1) {
			visit("js/" + strings.TrimPrefix(m[1], "./"))
		}
	}
	visit("js/main.js")
	if len(seen) < 5 {
		t.Errorf("main.js reaches only %d modules; the import scan is broken", len(seen))
	}
	mods, _ := fs.Glob(FS, "js/*.js")
	for _, m := range mods {
		if !seen[m] {
			t.Errorf("module %s is embedded but never imported", m)
		}
	}
}

// TestNoConsoleLogging enforces that production code never writes to the
// console: only js/log.js may, and only behind the ?debug=1 flag.
func TestNoConsoleLogging(t *testing.T) {
	consoleRE := regexp.MustCompile(`\bconsole\s*\.`)
	mods, err := fs.Glob(FS, "js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		if m == "js/log.js" {
			continue
		}
		src, _ := fs.ReadFile(FS, m)
		if loc := consoleRE.FindIndex(src); loc != nil {
			line := 1 + strings.Count(string(src[:loc[0]]), "\n")
			t.Errorf("%s:%d uses the console; use log.js debug() instead", m, line)
		}
	}
}
