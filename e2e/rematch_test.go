package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestRematch plays a one-hole game to the final results and asks for a
// rematch: the page follows the server to the new room (a new welcome)
// and shows its waiting room, with the CPU seated again.
func TestRematch(t *testing.T) {
	root := browser(t)
	_, ts := newServer(t, nil)
	ann := newTab(t, root, "ann")
	ann.resize(desktop)
	ann.addScript(watchWire)
	ann.do("create a one-hole game",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)),
		chromedp.SendKeys(chromedp.CSS("#create-name"), "Ann"),
		chromedp.Click(chromedp.CSS(`[data-key="create"]`)),
		chromedp.Click(chromedp.CSS(`input[data-key="rounds-1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hole-tag[data-rounds="1"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="add-cpu"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="2"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="start"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.table[data-round="1"]`)))
	first := eval[string](ann, `document.querySelector('[data-room]').dataset.room`)

	deadline := time.Now().Add(6 * time.Minute) // a bound, not a timing
	for {
		s := eval[seen](ann, readPage)
		if s.Screen == "results" {
			break
		}
		if time.Now().After(deadline) {
			ann.screenshot("timeout-rematch")
			t.Fatalf("the game did not end within 6 minutes (page shows %q)", s.Screen)
		}
		ann.move(s, false)
		time.Sleep(120 * time.Millisecond)
	}
	if n := eval[int](ann, `document.querySelectorAll('.ranking .rank-row').length`); n != 2 {
		t.Errorf("final ranking lists %d players, want 2", n)
	}
	if n := eval[int](ann, `document.querySelectorAll('.ranking .rank-row.winner').length`); n < 1 {
		t.Error("the final ranking marks no winner")
	}
	if n := eval[int](ann, `document.querySelectorAll('.scorecard tbody tr').length`); n != 1 {
		t.Errorf("the scorecard of a one-hole game has %d rows", n)
	}
	if n := eval[int](ann, `document.querySelectorAll('.scorecard td.best').length`); n != 2 {
		t.Errorf("the scorecard marks %d best holes, want each player's one", n)
	}
	ann.screenshot("results-desktop")
	if n := ann.checkWire(); n < 3 {
		t.Errorf("Ann sent %d game commands in a whole game", n)
	}

	ann.do("rematch",
		chromedp.Click(chromedp.CSS(`[data-key="rematch"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-host="1"][data-seated="2"]`)))
	second := eval[string](ann, `document.querySelector('.code-big').dataset.room`)
	if second == first || len(second) != 4 {
		t.Errorf("rematch room %q, first room %q: want a new code", second, first)
	}
	if got := eval[string](ann, `location.pathname`); got != "/r/"+second {
		t.Errorf("address after the rematch: %q, want /r/%s", got, second)
	}
	ann.checkErrors()
}
