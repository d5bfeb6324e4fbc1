package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// hostWithGuest opens a room as Ann (desktop) and seats Bob (phone) through
// the invite link; it returns the two tabs and the room code.
func hostWithGuest(t *testing.T, url string) (ann, bob *tab, code string) {
	t.Helper()
	root := browser(t)
	ann = newTab(t, root, "ann")
	ann.resize(desktop)
	bob = newTab(t, root, "bob")
	bob.resize(phone)
	bob.mobile = true
	for _, tb := range []*tab{ann, bob} {
		tb.addScript(watchWire)
		tb.addScript(`addEventListener('pageshow', (e) => { if (e.persisted) window.__restored = true; });`)
	}
	ann.do("create a room",
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)),
		chromedp.SendKeys(chromedp.CSS("#create-name"), "Ann"),
		chromedp.Click(chromedp.CSS(`[data-key="create"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-host="1"]`)))
	code = eval[string](ann, `document.querySelector('.code-big').dataset.room`)
	invite := eval[string](ann, `document.querySelector('#invite-link').textContent`)
	bob.do("join through the invite link",
		chromedp.Navigate(invite),
		chromedp.WaitVisible(chromedp.CSS(`#joinroom-name`)),
		chromedp.SendKeys(chromedp.CSS("#joinroom-name"), "Bob"),
		chromedp.Tap(chromedp.CSS(`[data-key="join-room"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-host="0"] .waiting-note`)))
	ann.do("see Bob", chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="2"]`)))
	return ann, bob, code
}

// TestKick: the host kicks a human from the waiting room. The kicked page
// says why on the lobby, forgets its seat, and the seat token it had no
// longer seats it: put back and tried, it is refused as kicked.
func TestKick(t *testing.T) {
	_, ts := newServer(t, nil)
	ann, bob, code := hostWithGuest(t, ts.URL)
	seatKey := "golf.seat." + code
	token := eval[string](bob, `localStorage.getItem('`+seatKey+`') ?? ''`)
	if !strings.Contains(token, `"token"`) {
		t.Fatalf("Bob's page keeps no seat token for %s: %q", code, token)
	}

	ann.do("kick Bob",
		chromedp.Click(chromedp.CSS(`.seat-row[data-seat="1"] [data-action="remove"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="1"]`)))
	bob.do("be told why", chromedp.WaitVisible(chromedp.CSS(`[data-screen="lobby"] .notice`)))
	want := "The host removed you from room " + code + "."
	if got := eval[string](bob, `document.querySelector('.notice').textContent`); got != want {
		t.Errorf("Bob's lobby says %q, want %q", got, want)
	}
	if got := eval[string](bob, `location.pathname`); got != "/" {
		t.Errorf("Bob's page is at %q after the kick, want the lobby", got)
	}
	if got := eval[bool](bob, `localStorage.getItem('`+seatKey+`') === null`); !got {
		t.Error("Bob's page still keeps the seat token it was kicked from")
	}
	bob.screenshot("kicked-phone")

	// The old token, put back, does not seat Bob again.
	bob.do("try the old token",
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem('`+seatKey+`', `+jsString(token)+`)`),
		chromedp.Navigate(ts.URL+"/r/"+code),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="lobby"] .notice`)))
	if got := eval[string](bob, `document.querySelector('.notice').textContent`); got != want {
		t.Errorf("resuming with the kicked token: Bob's lobby says %q, want %q", got, want)
	}
	if n := eval[int](ann, `document.querySelectorAll('.seat-row[data-seat]').length`); n != 1 {
		t.Errorf("Ann's room lists %d seats after Bob's retry, want only hers", n)
	}
	for _, tb := range []*tab{ann, bob} {
		tb.checkWire()
		tb.checkErrors()
	}
}

// TestAutoplay: Bob's connection goes while it is his turn; past the grace
// period the server plays for him, and Ann's page says so ("CPU playing for
// Bob"). When Bob comes back the marker goes.
func TestAutoplay(t *testing.T) {
	_, ts := newServer(t, func(c *setup) {
		c.Live.Grace = time.Second
		c.Live.RoundCountdown = 2 * time.Minute
	})
	ann, bob, code := hostWithGuest(t, ts.URL)
	ann.do("start", chromedp.Click(chromedp.CSS(`[data-key="start"]`)))

	// Both play until Bob's turn comes round.
	deadline := time.Now().Add(2 * time.Minute) // a bound, not a timing
	for {
		if time.Now().After(deadline) {
			t.Fatal("Bob's turn never came")
		}
		b := eval[seen](bob, readPage)
		if b.Screen == "table" && b.Phase == "playing" && b.MyTurn && b.Step == "turn_start" {
			break
		}
		ann.move(eval[seen](ann, readPage), false)
		bob.move(b, false)
		time.Sleep(120 * time.Millisecond)
	}
	bob.checkWire()

	// Bob's page goes away mid-turn (he opens another site).
	bob.do("leave the page", chromedp.Navigate("about:blank"))
	bobSeat := `.seat.opponent[data-seat="1"]`
	ann.do("see Bob played for",
		chromedp.WaitVisible(chromedp.CSS(bobSeat+` .badge.offline`)),
		chromedp.WaitVisible(chromedp.CSS(bobSeat+` .auto`)))
	if got := eval[string](ann, `document.querySelector('`+bobSeat+` .auto').textContent`); got != "CPU playing for Bob" {
		t.Errorf("Ann's page marks Bob's seat %q", got)
	}
	ann.screenshot("autoplay-desktop")

	// Bob comes back (the browser's back button: the page comes out of the
	// back/forward cache, or loads afresh): his seat, and nobody plays for
	// him any more.
	// The navigation is queued rather than run inside the evaluation: a
	// navigation that starts while the evaluation is still answering ends it
	// with "Inspected target navigated or closed".
	bob.do("come back", chromedp.Evaluate[chromedp.Void](`setTimeout(() => history.back(), 0)`))
	bob.waitJS("his seat again", `!!document.querySelector('.table .seat.mine')`)
	t.Logf("Bob's page came back %s", eval[string](bob, `window.__restored ? 'from the back/forward cache' : 'by loading afresh'`))
	if got := eval[string](bob, `location.pathname`); got != "/r/"+code {
		t.Errorf("Bob came back to %q, want /r/%s", got, code)
	}
	ann.do("see Bob back", chromedp.WaitNotPresent(chromedp.CSS(bobSeat+` .auto`)),
		chromedp.WaitNotPresent(chromedp.CSS(bobSeat+` .badge.offline`)))
	// Bob's page got his seat back before the server stopped playing for
	// him: the frame that says so follows.
	bob.waitJS("the CPU stops playing for him", `!document.querySelector('.seat .auto')`)
	for _, tb := range []*tab{ann, bob} {
		tb.checkWire()
		tb.checkErrors()
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
