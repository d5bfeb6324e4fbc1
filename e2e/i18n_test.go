package e2e

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"golf/client"
)

// translations reads the client's translation files: language → key → text
// (a plural key gives its "other" form).
func translations(t *testing.T) map[string]map[string]string {
	t.Helper()
	files, err := fs.Glob(client.FS, "i18n/*.json")
	if err != nil || len(files) < 2 {
		t.Fatalf("translation files: %v %v", files, err)
	}
	out := map[string]map[string]string{}
	for _, f := range files {
		raw, _ := fs.ReadFile(client.FS, f)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		words := map[string]string{}
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) != nil {
				var forms map[string]string
				json.Unmarshal(v, &forms)
				s = forms["other"]
			}
			words[k] = s
		}
		out[strings.TrimSuffix(strings.TrimPrefix(f, "i18n/"), ".json")] = words
	}
	return out
}

// TestServerWordsTranslated: the client shows the server's option names and
// descriptions (/api/rules) and CPU styles and characters (/api/profiles),
// in English, in the player's language. Every translation has words for
// every one the server sends, and none for one it does not.
func TestServerWordsTranslated(t *testing.T) {
	t.Parallel()
	_, ts := newServer(t, nil)
	res, err := http.Get(ts.URL + "/api/rules")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var rules struct {
		Settings []struct {
			Name string `json:"name"`
		} `json:"settings"`
		Options []struct {
			Name         string            `json:"name"`
			Type         string            `json:"type"`
			Values       []any             `json:"values"`
			Descriptions map[string]string `json:"descriptions"`
		} `json:"options"`
	}
	if err := json.NewDecoder(res.Body).Decode(&rules); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, s := range rules.Settings {
		want["opt."+s.Name+".help"] = true
	}
	for _, o := range rules.Options {
		name := "opt." + o.Name + ".title"
		if o.Type == "bool" {
			name = "opt." + o.Name + ".label"
		}
		want[name] = true
		want["opt."+o.Name+".help"] = true
		if o.Type == "string" {
			for _, v := range o.Values {
				want[fmt.Sprintf("opt.%s.%v.label", o.Name, v)] = true
				if o.Descriptions[fmt.Sprint(v)] != "" {
					want[fmt.Sprintf("opt.%s.%v.help", o.Name, v)] = true
				}
			}
		}
	}
	if len(want) < 30 {
		t.Fatalf("/api/rules describes only %d things: the reading is broken", len(want))
	}
	res, err = http.Get(ts.URL + "/api/profiles")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var profiles []struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(res.Body).Decode(&profiles); err != nil || len(profiles) < 2 {
		t.Fatalf("/api/profiles: %v (%d profiles)", err, len(profiles))
	}
	for _, p := range profiles {
		want["profile."+p.ID+".style"] = true
		want["profile."+p.ID+".character"] = true
	}
	for lang, words := range translations(t) {
		if lang == "en" {
			continue // English shows the server's own words
		}
		for k := range want {
			if strings.TrimSpace(words[k]) == "" {
				t.Errorf("%s.json: no %s (the server describes it)", lang, k)
			}
		}
		for k := range words {
			if (strings.HasPrefix(k, "opt.") || strings.HasPrefix(k, "profile.")) && !want[k] {
				t.Errorf("%s.json: %s translates something the server does not describe", lang, k)
			}
		}
	}
}

// TestLanguage: the page speaks the first of the browser's languages it has
// a translation for, the picker changes it (keeping what was typed) and the
// choice is remembered over the browser's.
func TestLanguage(t *testing.T) {
	root := browser(t)
	_, ts := newServer(t, nil)
	words := translations(t)
	tb := newTab(t, root, "lang")
	tb.resize(phone)
	// A browser set to German first, then Mexican Spanish: there is no German.
	tb.addScript(`Object.defineProperty(navigator, 'languages', { get: () => ['de-DE', 'es-MX', 'en'] });`)
	tb.do("open the lobby", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)))
	type page struct {
		Lang   string `json:"lang"`
		Create string `json:"create"`
		Title  string `json:"title"`
		Picked string `json:"picked"`
		Name   string `json:"name"`
	}
	const read = `({ lang: document.documentElement.lang, create: document.querySelector('[data-key="create"]').textContent,
		title: document.title, picked: document.querySelector('#lang').value, name: document.querySelector('#create-name').value })`
	p := eval[page](tb, read)
	if p.Lang != "es" || p.Create != words["es"]["lobby.create"] || p.Title != words["es"]["title.lobby"] || p.Picked != "es" {
		t.Errorf("with the browser asking for de-DE then es-MX the lobby is %+v, want Spanish", p)
	}
	tb.screenshot("lang-lobby-es-phone")

	// Pick English, having typed a name: the name stays.
	tb.do("type a name", chromedp.SendKeys(chromedp.CSS("#create-name"), "Ana"))
	eval[bool](tb, `(() => { const s = document.querySelector('#lang'); s.value = 'en'; return s.dispatchEvent(new Event('change', { bubbles: true })); })()`)
	tb.waitJS("English", `document.documentElement.lang === 'en'`)
	p = eval[page](tb, read)
	if p.Create != words["en"]["lobby.create"] || p.Title != words["en"]["title.lobby"] || p.Name != "Ana" {
		t.Errorf("after picking English the lobby is %+v, want English with the name kept", p)
	}
	if got := eval[string](tb, `localStorage.getItem('golf.lang')`); got != `"en"` {
		t.Errorf("the language picked is stored as %s", got)
	}
	// The choice beats the browser's languages after a reload.
	tb.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)))
	if p = eval[page](tb, read); p.Lang != "en" || p.Create != words["en"]["lobby.create"] {
		t.Errorf("after a reload the lobby is %+v, want the English picked", p)
	}
	tb.checkErrors()
}
