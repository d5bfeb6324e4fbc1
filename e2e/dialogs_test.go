package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConfirmDialogs: leaving a game under way, and ending it for everyone,
// ask first — in the game's own dialog, never the browser's confirm(). The
// dialog is modal (aria-modal, focus inside it and kept there by Tab), Esc
// and the safe button answer no and change nothing, the other answer does
// what it says.
func TestConfirmDialogs(t *testing.T) {
	_, ts := newServer(t, func(c *setup) {
		c.Live.RoundCountdown = 2 * time.Minute
		c.Live.Grace = time.Minute
	})
	ann, bob, _ := hostWithGuest(t, ts.URL)
	for _, tb := range []*tab{ann, bob} {
		tb.watchNativeDialogs()
	}
	ann.do("add a CPU and start",
		chromedp.Click(chromedp.CSS(`[data-key="add-cpu"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="3"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="start"]`)))
	for _, tb := range []*tab{ann, bob} {
		tb.do("see the table", chromedp.WaitVisible(chromedp.CSS(`.table[data-round="1"]`)))
	}

	// Bob asks to leave, and thinks better of it: Esc.
	bob.do("ask to leave", chromedp.Tap(chromedp.CSS(`.tools [data-key="tool-leave"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog[open] [data-answer="yes"]`)))
	type modal struct {
		AriaModal string `json:"ariaModal"`
		Focus     string `json:"focus"`
		Title     string `json:"title"`
	}
	const readModal = `(() => { const d = document.querySelector('#confirm-dialog');
		const a = document.activeElement;
		return { ariaModal: d.getAttribute('aria-modal'), focus: a && d.contains(a) ? (a.dataset.answer || a.tagName) : 'outside',
			title: document.getElementById(d.getAttribute('aria-labelledby'))?.textContent ?? '' }; })()`
	m := eval[modal](bob, readModal)
	if m.AriaModal != "true" || m.Focus != "no" || m.Title == "" {
		t.Errorf("the leave dialog: %+v, want aria-modal true, focus on the safe answer, a title", m)
	}
	for i := range 3 {
		bob.do("tab", chromedp.KeyEvent("\t"))
		if f := eval[modal](bob, readModal).Focus; f == "outside" {
			t.Errorf("Tab %d took the focus out of the dialog", i+1)
		}
	}
	bob.do("Esc", chromedp.KeyEvent("\x1b"), chromedp.WaitNotPresent(chromedp.CSS(`#confirm-dialog[open]`)))
	if !eval[bool](bob, `!!document.querySelector('.table.seated .seat.mine')`) {
		t.Error("Esc on the leave dialog left the game")
	}

	// Now he means it.
	bob.do("leave for real", chromedp.Tap(chromedp.CSS(`.tools [data-key="tool-leave"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog[open] [data-answer="yes"]`)),
		chromedp.Tap(chromedp.CSS(`#confirm-dialog [data-answer="yes"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="lobby"]`)))
	ann.do("see Bob gone", chromedp.WaitVisible(chromedp.CSS(`.seat.opponent[data-seat="1"].gone`)))

	// Ann opens "End game for everyone" and keeps playing, then ends it.
	endGame := func() {
		ann.do("ask to end the game", chromedp.Click(chromedp.CSS(`[data-key="tool-menu"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#game-menu [data-action="end-game"]`)),
			chromedp.Click(chromedp.CSS(`#game-menu [data-action="end-game"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog[open] [data-answer="yes"]`)))
	}
	endGame()
	ann.screenshot("confirm-end-desktop")
	ann.do("keep playing", chromedp.Click(chromedp.CSS(`#confirm-dialog [data-answer="no"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#confirm-dialog[open]`)))
	if eval[bool](ann, `!!document.querySelector('[data-screen="results"]')`) {
		t.Error("answering no to ending the game ended it")
	}
	endGame()
	ann.do("end it", chromedp.Click(chromedp.CSS(`#confirm-dialog [data-answer="yes"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="results"]`)))

	for _, tb := range []*tab{ann, bob} {
		tb.checkNoNativeDialogs()
		tb.checkWire()
		tb.checkErrors()
	}
}
