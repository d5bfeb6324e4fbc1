package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRulesPage: /rules is a page of its own (served by the server, drawn
// by the client), reached from the lobby's "How to play", with the card
// values the server scores by and the words for the table's marks.
func TestRulesPage(t *testing.T) {
	root := browser(t)
	_, ts := newServer(t, nil)
	res, err := http.Get(ts.URL + "/rules")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /rules: %d %s, want the web client", res.StatusCode, res.Header.Get("Content-Type"))
	}
	words := translations(t)
	for _, sz := range []size{desktop, phone} {
		tb := newTab(t, root, "rules-"+sz.name)
		tb.resize(sz)
		tb.do("open the rules", chromedp.Navigate(ts.URL+"/rules"),
			chromedp.WaitVisible(chromedp.CSS(`[data-screen="rules"] .values-table`)))
		if n := eval[int](tb, `document.querySelectorAll('[data-screen="rules"] .values-table tbody tr').length`); n != 14 {
			t.Errorf("%s: the rules page's card-value table has %d rows, want 14 (A…K and the joker)", sz.name, n)
		}
		if got := eval[string](tb, `document.querySelector('[data-screen="rules"] h1').textContent`); got != words["en"]["rules.title"] {
			t.Errorf("%s: the rules page is titled %q", sz.name, got)
		}
		if n := eval[int](tb, `document.querySelectorAll('[data-screen="rules"] .rules-list dt').length`); n < 10 {
			t.Errorf("%s: the rules page lists %d house rules", sz.name, n)
		}
		tb.noOverflow("rules page")
		tb.screenshot("rules-page-" + sz.name)
		// From the lobby, "How to play" leads here, and back.
		tb.do("lobby", chromedp.Click(chromedp.CSS(`[data-key="rules-back"]`)),
			chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)),
			chromedp.Click(chromedp.CSS(`[data-key="lobby-rules"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-screen="rules"] .values-table`)))
		if got := eval[string](tb, `location.pathname`); got != "/rules" {
			t.Errorf("%s: How to play leads to %q", sz.name, got)
		}
		tb.checkErrors()
	}
}

// TestBadRoomCode: a room code that leads nowhere keeps what was typed, and
// says so beside the field, where nothing covers the Join button (a toast at
// the foot of a phone did).
func TestBadRoomCode(t *testing.T) {
	root := browser(t)
	_, ts := newServer(t, nil)
	words := translations(t)
	tb := newTab(t, root, "bob")
	tb.resize(phone)
	tb.mobile = true
	tb.do("open the lobby", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form[data-form="join"]`)))
	tb.do("join a room that is not there",
		chromedp.SendKeys(chromedp.CSS("#join-code"), "zzzz"),
		chromedp.SendKeys(chromedp.CSS("#join-name"), "Bob"),
		chromedp.Tap(chromedp.CSS(`[data-key="join"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#join-error`)))
	type form struct {
		Code, Name, Error, Path string
		Covered                 []string
	}
	f := eval[form](tb, `(() => {
		const join = document.querySelector('[data-key="join"]').getBoundingClientRect();
		const over = (r) => r.width && r.left < join.right && r.right > join.left && r.top < join.bottom && r.bottom > join.top;
		const covered = [...document.querySelectorAll('.toast, #join-error')].filter((el) => over(el.getBoundingClientRect())).map((el) => el.className || el.id);
		return { Code: document.querySelector('#join-code').value, Name: document.querySelector('#join-name').value,
			Error: document.querySelector('#join-error').textContent, Path: location.pathname, Covered: covered };
	})()`)
	if f.Code != "ZZZZ" || f.Name != "Bob" {
		t.Errorf("after a bad code the form holds code %q and name %q, want what was typed (ZZZZ, Bob)", f.Code, f.Name)
	}
	if f.Error != words["en"]["error.room_not_found"] {
		t.Errorf("the error beside the code says %q, want %q", f.Error, words["en"]["error.room_not_found"])
	}
	if f.Path != "/" {
		t.Errorf("after a bad code the page is at %q, want the lobby", f.Path)
	}
	if len(f.Covered) > 0 {
		t.Errorf("the Join button is covered by %v", f.Covered)
	}
	if got := eval[string](tb, `document.activeElement?.id ?? ''`); got != "join-code" {
		t.Errorf("the focus is on %q, want the code to correct", got)
	}
	tb.screenshot("bad-code-phone")
	tb.checkErrors()
}
