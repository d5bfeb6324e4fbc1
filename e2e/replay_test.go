package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"golf/live"
	"golf/replay"
	"golf/web"
)

// replayServer is the whole server with accounts and replays, as golf
// serve runs it.
func replayServer(t *testing.T) string {
	t.Helper()
	cfg := serverConfig(t, nil)
	tables, err := live.New(cfg.Live)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(cfg.Config, web.Deps{Live: tables, Accounts: testAccounts(t, cfg),
		Replays: replay.New(cfg.Live.Store.(replay.Store), nil)})
	if err != nil {
		t.Fatal(err)
	}
	return startHTTP(t, srv, func() { closeServer(t, srv) }).URL
}

// replayState is what the replay page shows.
const replayState = `(() => {
  const p = document.querySelector('.replay-page[data-step]');
  if (!p) return null;
  return {
    step: +p.dataset.step, phase: p.dataset.phase,
    playing: document.querySelector('[data-key="play"]').dataset.playing === '1',
    max: +document.querySelector('.replay-scrub').max,
    totals: Object.fromEntries([...document.querySelectorAll('.replay-totals li')].map((li) => [li.dataset.player, +li.dataset.total])),
    moves: [...document.querySelectorAll('.replay-moves li:not([hidden])')].map((li) => li.textContent),
    sheets: document.querySelectorAll('.replay-sheet:not([hidden])').length,
  };
})()`

type replaySeen struct {
	Step    int            `json:"step"`
	Phase   string         `json:"phase"`
	Playing bool           `json:"playing"`
	Max     int            `json:"max"`
	Totals  map[string]int `json:"totals"`
	Moves   []string       `json:"moves"`
	Sheets  int            `json:"sheets"`
}

// TestReplayViewer: Ann makes her room public, plays a one-hole game with a
// CPU to the end, and the results offer the replay link. A second browser
// (another person) opens it, plays, pauses, steps by move and by turn with
// the keyboard, jumps to the hole's deal, scrubs to the end: the totals shown are
// the game's final totals. The recent games page lists the game. Desktop
// and 375 px screenshots.
func TestReplayViewer(t *testing.T) {
	url := replayServer(t)
	root := browser(t)
	ann := newTab(t, root, "ann")
	ann.resize(desktop)
	ann.do("create a room",
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)),
		chromedp.SendKeys(chromedp.CSS("#create-name"), "Ann"),
		chromedp.Click(chromedp.CSS(`[data-key="create"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-host="1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`select[data-key="visibility"]`)))
	eval[bool](ann, `(() => { const s = document.querySelector('select[data-key="visibility"]'); s.value = 'public'; return s.dispatchEvent(new Event('change', { bubbles: true })); })()`)
	ann.waitJS("the room is public", `document.querySelector('select[data-key="visibility"]').value === 'public' && !!document.querySelector('.toast, [role="status"]')`)
	ann.do("start a one-hole game with a CPU",
		chromedp.Click(chromedp.CSS(`input[data-key="rounds-1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hole-tag[data-rounds="1"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="add-cpu"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="2"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="start"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.table[data-round="1"]`)))
	deadline := time.Now().Add(6 * time.Minute) // a bound, not a timing
	for {
		a := eval[seen](ann, readPage)
		if a.Screen == "results" {
			break
		}
		if a.Screen == "scores" {
			eval[bool](ann, `(() => { const b = document.querySelector('[data-key="next-round"]'); if (b) b.click(); return true; })()`)
		}
		if time.Now().After(deadline) {
			ann.screenshot("timeout-replay")
			t.Fatalf("the game did not end within 6 minutes (page shows %q)", a.Screen)
		}
		ann.move(a, false)
		time.Sleep(120 * time.Millisecond)
	}
	ann.do("see the replay links on the results",
		chromedp.WaitVisible(chromedp.CSS(`[data-key="results-replay"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-key="results-copy"]`)))
	link := eval[string](ann, `document.querySelector('[data-key="results-copy"]').dataset.shareUrl`)
	final := eval[map[string]int](ann, `Object.fromEntries([...document.querySelectorAll('.rank-row')].map((r) => [r.dataset.player, +r.dataset.total]))`)
	if !strings.HasPrefix(link, url+"/replay/") || len(final) != 2 {
		t.Fatalf("replay link %q, final totals %v", link, final)
	}
	ann.screenshot("replay-results-desktop")

	// Another person, in another browser context.
	eve := newTab(t, root, "eve")
	eve.resize(desktop)
	eve.do("open the replay link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`.replay-page[data-step] .table`)))
	state := func() replaySeen {
		t.Helper()
		raw := eval[json.RawMessage](eve, replayState)
		var s replaySeen
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("replay state %s: %v", raw, err)
		}
		return s
	}
	s0 := state()
	if s0.Max < 20 || s0.Playing {
		t.Fatalf("replay opened at %+v", s0)
	}
	eve.do("play with the space bar", chromedp.KeyEvent(" "))
	eve.waitJS("playback moves on", `+document.querySelector('.replay-page').dataset.step > `+strconv.Itoa(s0.Step))
	eve.do("pause with the space bar", chromedp.KeyEvent(" "))
	s1 := state()
	if s1.Playing {
		t.Fatal("still playing after the second space")
	}
	time.Sleep(2 * time.Second) // a paused replay stays put: nothing to wait for but time
	if s := state(); s.Step != s1.Step {
		t.Errorf("paused at %d, then at %d", s1.Step, s.Step)
	}
	eve.do("step forward", chromedp.KeyEvent(kb.ArrowRight))
	if s := state(); s.Step != s1.Step+1 {
		t.Errorf("→ went from %d to %d", s1.Step, s.Step)
	}
	eve.do("step back", chromedp.KeyEvent(kb.ArrowLeft))
	if s := state(); s.Step != s1.Step {
		t.Errorf("← went to %d, want %d", s.Step, s1.Step)
	}
	eval[bool](eve, `window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true }))`)
	if s := state(); s.Step <= s1.Step {
		t.Errorf("shift+→ (a turn) went from %d to %d", s1.Step, s.Step)
	}
	eve.do("step forward by a turn with the button", chromedp.Click(chromedp.CSS(`[data-key="next-turn"]`)))
	eve.do("jump to hole 1's deal", chromedp.Click(chromedp.CSS(`[data-key="round-1"]`)))
	if s := state(); s.Sheets != 0 || s.Step != s0.Step {
		t.Errorf("at hole 1's deal (step %d, want %d): %d score sheets shown, want none yet", s.Step, s0.Step, s.Sheets)
	}
	eve.do("Home", chromedp.KeyEvent(kb.Home))
	if s := state(); s.Step != s0.Step {
		t.Errorf("Home went to %d, want the first deal (%d)", s.Step, s0.Step)
	}
	choose(eve, `[data-key="speed"]`, "4")
	eval[bool](eve, `(() => { const r = document.querySelector('.replay-scrub'); r.value = r.max; return r.dispatchEvent(new Event('input', { bubbles: true })); })()`)
	end := state()
	if end.Step != end.Max || end.Phase != "game_over" || end.Sheets != 1 {
		t.Fatalf("scrubbed to the end: %+v", end)
	}
	for id, total := range final {
		if end.Totals[id] != total {
			t.Errorf("replay's total for %s = %d, the game's %d (replay %v)", id, end.Totals[id], total, end.Totals)
		}
	}
	if joined := strings.Join(end.Moves, " "); !strings.Contains(joined, "Ann") {
		t.Errorf("the move list never names Ann: %.200s", joined)
	}
	eval[bool](eve, `(window.scrollTo(0, 0), true)`)
	eve.screenshot("replay-desktop")
	eve.resize(phone)
	eve.mobile = true
	eve.noOverflow("the replay on a phone")
	eval[bool](eve, `(window.scrollTo(0, 0), true)`)
	eve.screenshot("replay-phone")
	eve.do("step back on the phone", chromedp.Tap(chromedp.CSS(`[data-key="prev"]`)))
	if s := state(); s.Step != end.Max-1 {
		t.Errorf("the phone's back button went to %d", s.Step)
	}
	choose(eve, `[data-key="perspective"]`, "0")
	eve.do("see the seat's view", chromedp.WaitVisible(chromedp.CSS(`.replay-page[data-perspective="0"] .table.seated`)))
	eve.screenshot("replay-phone-seat")

	id := strings.TrimPrefix(link, url+"/replay/")
	eve.do("the recent games list it",
		chromedp.Navigate(url+"/games"),
		chromedp.WaitVisible(chromedp.CSS(`.recent-game[data-game="`+id+`"]`)))
	eve.noOverflow("recent games on a phone")
	eve.screenshot("replay-recent-phone")

	// Ann imports the game's file on the recent games page: a damaged copy
	// is refused with the move it breaks at, the file itself becomes her
	// private copy.
	res, err := http.Get(url + "/api/games/" + id + "/export")
	if err != nil {
		t.Fatal(err)
	}
	file, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var doc map[string]any
	if err := json.Unmarshal(file, &doc); err != nil {
		t.Fatalf("export: %v", err)
	}
	evs := doc["events"].([]any)
	doc["events"] = append(append([]any{}, evs[:9]...), evs[10:]...)
	damaged, _ := json.Marshal(doc)
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "game.json"), filepath.Join(dir, "damaged.json")
	os.WriteFile(good, file, 0o644)
	os.WriteFile(bad, damaged, 0o644)
	ann.do("import a damaged file",
		chromedp.Navigate(url+"/games"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-form="import"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{bad}),
		chromedp.Click(chromedp.CSS(`[data-key="import"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.import-status[data-code="import_gap"]`)))
	if msg := eval[string](ann, `document.querySelector('.import-status').textContent`); !strings.Contains(msg, "(move 10)") {
		t.Errorf("the refusal says %q, want the move it breaks at (10)", msg)
	}
	ann.do("import the file",
		chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{good}),
		chromedp.Click(chromedp.CSS(`[data-key="import"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.replay-page[data-step] .table`)))
	if copyID := eval[string](ann, `document.querySelector('.replay-page').dataset.replay`); copyID == id || copyID == "" {
		t.Errorf("the import opened %q, want a new game", copyID)
	}
	ann.do("see it is hers and private", chromedp.WaitVisible(chromedp.CSS(`select[data-key="visibility"]`)))
	if v := eval[string](ann, `document.querySelector('select[data-key="visibility"]').value`); v != "private" {
		t.Errorf("the imported copy is %q, want private", v)
	}
	// The damaged file's 400 is the test's own doing; nothing else is.
	ann.forgive("/api/games/import", "status of 400")
	eve.checkErrors()
	ann.checkErrors()
}

// choose picks value in a select as a person would: the change event fires.
func choose(tb *tab, sel, value string) {
	tb.t.Helper()
	eval[bool](tb, `(() => { const s = document.querySelector('`+sel+`'); s.value = '`+value+`'; return s.dispatchEvent(new Event('change', { bubbles: true })); })()`)
}
