package e2e

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDuplicateNameRefused: joining a room as "ann" while Ann is seated
// is refused with a clear word under the name field (as typed, in the
// page's language); another name joins.
func TestDuplicateNameRefused(t *testing.T) {
	_, ts := newServer(t, nil)
	root := browser(t)
	ann := newTab(t, root, "ann")
	ann.resize(desktop)
	ann.do("create a room",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)),
		chromedp.SendKeys(chromedp.CSS("#create-name"), "Ann"),
		chromedp.Click(chromedp.CSS(`[data-key="create"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-host="1"]`)))
	invite := eval[string](ann, `document.querySelector('#invite-link').textContent`)
	words := translations(t)
	for _, size := range []size{desktop, phone} {
		bob := newTab(t, root, "bob-"+size.name)
		bob.resize(size)
		bob.mobile = size.mobile
		bob.do("join as ann",
			chromedp.Navigate(invite),
			chromedp.WaitVisible(chromedp.CSS(`.room-peek`)), chromedp.WaitVisible(chromedp.CSS(`#joinroom-name`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#joinroom-name').value = ''`),
			chromedp.SendKeys(chromedp.CSS("#joinroom-name"), "ann"),
			chromedp.Click(chromedp.CSS(`[data-key="join-room"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#joinroom-error:not([hidden])`)))
		got := eval[struct {
			Error, Name, Invalid string
		}](bob, `({ Error: document.querySelector('#joinroom-error').textContent, Name: document.querySelector('#joinroom-name').value,
			Invalid: document.querySelector('#joinroom-name').getAttribute('aria-invalid') ?? '' })`)
		if got.Error != words["en"]["error.name_taken"] || got.Name != "ann" || got.Invalid != "true" {
			t.Errorf("%s: after a taken name the page shows %+v, want the name_taken words under the name as typed", size.name, got)
		}
		bob.noOverflow("name taken")
		bob.screenshot("name-taken-" + size.name)
		if n := eval[int](ann, `document.querySelectorAll('.seat-row[data-seat]').length`); n != 1 {
			t.Errorf("the room has %d seats after a refused join, want 1", n)
		}
		if size.mobile {
			bob.do("join as Bob",
				chromedp.Evaluate[chromedp.Void](`document.querySelector('#joinroom-name').value = ''`),
				chromedp.SendKeys(chromedp.CSS("#joinroom-name"), "Bob"),
				chromedp.Click(chromedp.CSS(`[data-key="join-room"]`)),
				chromedp.WaitVisible(chromedp.CSS(`.room[data-host="0"] .waiting-note`)))
		}
		bob.checkErrors()
	}
	ann.do("see Bob", chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="2"]`)))
}

// TestTurnTimerCountdown: with two humans the turn timer is on by default
// (60 s, "Auto" in the settings); at the table the current player's seat
// shows a countdown, on both pages, and it counts down.
func TestTurnTimerCountdown(t *testing.T) {
	_, ts := newServer(t, func(c *setup) { c.Live.RoundCountdown = 2 * time.Minute })
	ann, bob, _ := hostWithGuest(t, ts.URL)
	if !eval[bool](ann, `!!document.querySelector('input[data-setting="turn_timer"][value="0"]:checked')`) {
		t.Error("the turn timer setting is not on Auto by default")
	}
	ann.screenshot("turn-timer-setting-desktop")
	ann.do("start", chromedp.Click(chromedp.CSS(`[data-key="start"]`)))
	// The initial flips are on the clock: every seat that owes them has one.
	for _, tb := range []*tab{ann, bob} {
		tb.do("see the countdown", chromedp.WaitVisible(chromedp.CSS(`.seat.mine .turn-timer [data-countdown]`)))
		if n := eval[int](tb, `+document.querySelector('.seat.mine .turn-timer [data-countdown]').textContent`); n < 40 || n > 60 {
			t.Errorf("%s: the countdown starts at %d s, want about 60", tb.name, n)
		}
	}
	first := eval[int](ann, `+document.querySelector('.seat.mine .turn-timer [data-countdown]').textContent`)
	ann.waitJS("the countdown to go down", `+document.querySelector('.seat.mine .turn-timer [data-countdown]').textContent < `+strconv.Itoa(first))
	// Ann flips; Bob has not: Ann sees Bob's clock run on his seat.
	ann.do("flip two", chromedp.Click(chromedp.CSS(`[data-key="grid-0"]`)), chromedp.Click(chromedp.CSS(`[data-key="grid-4"]`)))
	ann.do("see Bob's clock", chromedp.WaitVisible(chromedp.CSS(`.seat.opponent[data-seat="1"] .turn-timer [data-countdown]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`.seat.mine .turn-timer`)))
	ann.screenshot("turn-timer-desktop")
	bob.screenshot("turn-timer-phone")
	for _, tb := range []*tab{ann, bob} {
		tb.noOverflow("turn timer")
		tb.gridInView("turn timer " + tb.name)
		tb.checkErrors()
	}
}

// TestHostReplacesPlayer: mid-game the host removes Bob, asked first in
// the game's own dialog (never the browser's): Bob's page is told, his
// seat goes on under a CPU, marked on Ann's page.
func TestHostReplacesPlayer(t *testing.T) {
	_, ts := newServer(t, func(c *setup) { c.Live.RoundCountdown = 2 * time.Minute })
	ann, bob, _ := hostWithGuest(t, ts.URL)
	ann.watchNativeDialogs()
	ann.do("start", chromedp.Click(chromedp.CSS(`[data-key="start"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.table[data-round="1"]`)))
	bobSeat := `.seat.opponent[data-seat="1"]`
	ann.do("ask to remove Bob", chromedp.Click(chromedp.CSS(bobSeat+` [data-action="replace"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog[open] [data-answer="yes"]`)))
	ann.screenshot("replace-dialog-desktop")
	ann.do("no", chromedp.Click(chromedp.CSS(`#confirm-dialog[open] [data-answer="no"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#confirm-dialog[open]`)))
	if eval[bool](ann, `!!document.querySelector('`+bobSeat+` .badge.replaced')`) {
		t.Fatal("Bob was removed though Ann said no")
	}
	ann.do("remove Bob", chromedp.Click(chromedp.CSS(bobSeat+` [data-action="replace"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog[open] [data-answer="yes"]`)),
		chromedp.Click(chromedp.CSS(`#confirm-dialog[open] [data-answer="yes"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#confirm-dialog[open]`)))
	ann.do("see Bob replaced", chromedp.WaitVisible(chromedp.CSS(bobSeat+` .badge.replaced`)))
	bob.do("be told", chromedp.WaitVisible(chromedp.CSS(`[data-screen="lobby"] .notice`)))
	// The CPU plays Bob's initial flips.
	ann.waitJS("Bob's cards turned by the CPU", `document.querySelectorAll('`+bobSeat+` .slot[data-up="1"]').length >= 2`)
	ann.screenshot("replaced-desktop")
	ann.checkNoNativeDialogs()
	ann.checkErrors()
}
