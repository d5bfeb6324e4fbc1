package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"golf/game"
)

// fakeSocket replaces the page's WebSocket with one that answers the first
// frame with the canned frames of the scene named in the URL fragment.
const fakeSocket = `(() => {
  const m = location.hash.match(/scene=([\w-]+)/);
  if (!m) return;
  const scene = m[1];
  // A scene ending in "-drop" loses its connection after the frames and
  // never gets it back, to show the reconnecting state.
  const drop = scene.endsWith('-drop');
  let conns = 0;
  class FakeSocket {
    constructor() {
      this.readyState = 0;
      this.sent = [];
      (window.__sockets ??= []).push(this);
      if (drop && ++conns > 1) return;
      setTimeout(() => { this.readyState = 1; this.onopen && this.onopen({}); }, 5);
    }
    send(data) {
      this.sent.push(JSON.parse(data));
      if (this.sent.length > 1) return;
      fetch('/fixture/' + scene.replace(/-drop$/, '')).then((r) => r.json()).then((frames) => {
        for (const f of frames) this.onmessage && this.onmessage({ data: JSON.stringify(f) });
        if (drop) setTimeout(() => { this.readyState = 3; this.onclose && this.onclose({ code: 1006, reason: '' }); }, 50);
      });
    }
    close() { this.readyState = 3; }
  }
  FakeSocket.CONNECTING = 0; FakeSocket.OPEN = 1; FakeSocket.CLOSING = 2; FakeSocket.CLOSED = 3;
  window.WebSocket = FakeSocket;
})();`

// scenes builds the canned frames of every screen, each from a game the
// engine really played.
func scenes(t *testing.T) map[string][]any {
	settings := game.DefaultSettings()
	settings.Rounds = 2
	settings.Options.KnockBonus = true
	settings.Options.SuperKings = true
	online := []bool{true, false, true, true}
	out := map[string][]any{}

	tb := newGameTable(t, settings)
	out["waiting"] = tb.frames(0, online, 0)
	out["waiting-guest"] = tb.frames(1, []bool{true, true, true, true}, 0)

	tb.do(game.StartGameCmd("p_ann", fixedSeed))
	tb.moveFor(1)
	tb.moveFor(2)
	out["initial"] = tb.frames(0, online, 0)

	for i := range 4 {
		if tb.st.AwaitingFlip(i) {
			tb.moveFor(i)
		}
	}
	tb.until(func(s *game.State) bool { return s.Current() == 0 && s.Step() == game.StepTurnStart })
	out["turn-start"] = tb.frames(0, online, 0)
	// The turn timer: Ann's time runs (42 s left), and Bob is away (he
	// timed out twice).
	out["timer"] = withRoom(tb.frames(0, []bool{true, true, true, true}, 0), map[string]any{
		"turn_limit": 60, "deadlines": []int64{serverNow + 42_000, 0, 0, 0},
		"away": []bool{false, true, false, false}})
	// Ann herself timed out twice: the server plays for her until she is back.
	out["away"] = withRoom(tb.frames(0, []bool{true, true, true, true}, 0), map[string]any{
		"turn_limit": 60, "away": []bool{true, false, false, false}})
	tb.do(game.DrawCmd("p_ann", game.SourceDeck))
	out["turn"] = tb.frames(0, online, 0)
	tb.until(func(s *game.State) bool { return s.Current() == 2 })
	out["opponent"] = tb.frames(0, online, 0)
	out["spectator"] = tb.frames(-1, online, 0)
	tb.until(func(s *game.State) bool { return s.Phase() == game.PhaseFinalTurn })
	out["final"] = tb.frames(0, online, 0)
	tb.until(func(s *game.State) bool { return s.Phase() == game.PhaseRoundOver })
	// Between holes Bob has said he is ready, and someone held the sheet.
	out["scores"] = withRoom(tb.frames(0, online, 10*time.Minute), map[string]any{
		"ready": []bool{false, true, false, false}, "held": true})
	tb.until(func(s *game.State) bool { return s.Phase() == game.PhaseGameOver })
	// The results as a page that played the game sees them: it saw hole 1's
	// score sheet, then the end.
	out["results"] = append(out["scores"][:2:2], tb.frames(0, online, 0)[1])
	// A page that opens on the results alone has the whole scorecard too:
	// the server sends it (view.scores).
	out["results-fresh"] = tb.frames(0, online, 0)

	// A full table at its tallest: six players, two decks (blue and red
	// backs), the second hole (two-digit totals), the final turn (its
	// banner, a seat marked "went out"), Ann holding a card.
	crowd := newGameTable(t, settings)
	crowd.id = "g2" // another game: its scores are not the first one's
	crowd.do(game.AddCPUCmd("p_ann", "cpu_sofia", "Sofia", "sofia"))
	crowd.do(game.AddCPUCmd("p_ann", "cpu_diego", "Diego", "diego"))
	crowd.do(game.StartGameCmd("p_ann", fixedSeed))
	crowd.until(func(s *game.State) bool {
		return s.Round() == 2 && s.Phase() == game.PhaseFinalTurn && s.Current() == 0 && s.Step() == game.StepHolding
	})
	out["crowd"] = crowd.frames(0, []bool{true, true, true, true, true, true}, 0)
	return out
}

// pairsIn counts the cards of revealed hands that make column pairs: what
// the score sheet's little hands must mark.
func pairsIn(lr *game.RoundEnded) int {
	n := 0
	for _, p := range lr.Players {
		for c := range 3 {
			if p.Hand[c].Rank == p.Hand[c+3].Rank {
				n += 2
			}
		}
	}
	return n
}

// fixtureServer serves the real server (static client, /api/rules,
// /api/profiles) plus the scenes' frames under /fixture/.
func fixtureServer(t *testing.T, sc map[string][]any) *httptest.Server {
	srv, _ := newServer(t, nil)
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	// The scenes' games are not in the store: answer the page's question
	// about who may see their replay as the server would for a game of its own.
	mux.HandleFunc("GET /api/games/{id}", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"id": r.PathValue("id"), "visibility": "unlisted"})
	})
	mux.HandleFunc("GET /fixture/{scene}", func(w http.ResponseWriter, r *http.Request) {
		frames, ok := sc[r.PathValue("scene")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(frames)
	})
	return startHTTP(t, mux, func() {})
}

// TestLayout renders every screen from canned views at desktop and phone
// sizes: no console error, nothing wider than the screen, the controls the
// screen promises are there. Screenshots land in the artifacts folder.
func TestLayout(t *testing.T) {
	t.Parallel()
	root := browser(t)
	sc := scenes(t)
	srv := fixtureServer(t, sc)
	scoresRound := sc["scores"][1].(map[string]any)["view"].(game.View).LastRound
	tb := newTab(t, root, "layout")
	tb.addScript(fakeSocket)

	checks := map[string]string{
		"waiting":       `.room [data-action="start"]:not([disabled])`,
		"waiting-guest": `.room .waiting-note`,
		"initial":       `.table[data-grid="initial"] .slot-button.pickable`,
		"turn-start":    `.table[data-step="turn_start"] #deck.live`,
		"timer":         `.seat.mine .turn-timer [data-countdown]`,
		"away":          `.away-banner [data-key="back"]`,
		"turn":          `.table[data-step="holding"] .held-zone.holding .card.face`,
		"opponent":      `.seat.is-thinking .thinking`,
		"final":         `.final-banner`,
		"scores":        `.overlay [data-countdown]`,
		"results":       `.overlay .ranking .rank-row.winner`,
		"results-fresh": `.overlay .ranking .rank-row.winner`,
		"crowd":         `.table[data-step="holding"] .held-zone.holding .card.face`,
		"spectator":     `.table.watching .spectator-note`,
		"turn-drop":     `#conn-status:not([hidden])`,
	}
	// What some scenes must show beyond their control, at either size.
	extra := map[string]func(size){
		"waiting": func(sz size) {
			// However many house rules, Start is on the screen.
			if r := eval[[]float64](tb, `(() => { scrollTo(0, 0); const r = document.querySelector('[data-key="start"]').getBoundingClientRect();
				return [r.top, r.bottom, document.documentElement.clientHeight, document.querySelectorAll('.house-rules .rule').length]; })()`); r[0] < 0 || r[1] > r[2] || r[3] < 10 {
				t.Errorf("%s: Start spans %.0f..%.0f px of a %.0f px screen (%.0f house rules shown), want it in sight", sz.name, r[0], r[1], r[2], r[3])
			}
			// The room code at the end of a link never breaks across lines.
			if n := eval[[]int](tb, `[...document.querySelectorAll('.link-code')].map((c) => c.getClientRects().length)`); len(n) != 2 || n[0] != 1 || n[1] != 1 {
				t.Errorf("%s: the links' room codes take %v lines, want 1 each", sz.name, n)
			}
			// The room link is shown whole (wrapped if need be), and copies.
			link := eval[struct {
				Text    string `json:"text"`
				Clipped bool   `json:"clipped"`
			}](tb, `(() => { const l = document.querySelector('#invite-link');
				return { text: l.textContent, clipped: l.scrollWidth > l.clientWidth || l.getBoundingClientRect().right > document.documentElement.clientWidth }; })()`)
			if link.Text != "http://golf.example/r/KDRT" || link.Clipped {
				t.Errorf("%s: invite link %+v: want it whole and unclipped", sz.name, link)
			}
			tb.do("copy the link", chromedp.Click(chromedp.CSS(`[data-key="invite-link-copy"]`)),
				chromedp.WaitVisible(chromedp.CSS(`.toast`)))
			if got := eval[string](tb, `document.querySelector('.toast').textContent`); got != "Invite link copied" {
				t.Errorf("%s: after copying the link the page says %q", sz.name, got)
			}
		},
		"turn": func(sz size) {
			// The host's ways out are in a menu (the top bar stays one line).
			tb.do("open the game menu", chromedp.Click(chromedp.CSS(`[data-key="tool-menu"]`)),
				chromedp.WaitVisible(chromedp.CSS(`#game-menu [data-action="end-game"]`)))
			tb.noOverflow("game menu")
			tb.screenshot("layout-menu-" + sz.name)
			tb.do("close the game menu", chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(chromedp.CSS(`#game-menu`)))
		},
		"spectator": func(sz size) {
			top := eval[int](tb, `document.querySelectorAll('.opponents-top .seat.opponent').length`)
			bottom := eval[int](tb, `document.querySelectorAll('.opponents-bottom .seat.opponent').length`)
			if top != 2 || bottom != 2 {
				t.Errorf("%s: spectator sees %d seats above the piles and %d below, want 2 and 2", sz.name, top, bottom)
			}
		},
		"timer": func(sz size) {
			// The countdown is on the seat whose time runs, from the server's clock.
			if n := eval[int](tb, `+document.querySelector('.seat.mine .turn-timer [data-countdown]').textContent`); n < 30 || n > 42 {
				t.Errorf("%s: the turn timer shows %d s, want about 42", sz.name, n)
			}
			if n := eval[int](tb, `document.querySelectorAll('.turn-timer').length`); n != 1 {
				t.Errorf("%s: %d turn timers, want only the current seat's", sz.name, n)
			}
			if !eval[bool](tb, `!!document.querySelector('.seat.opponent[data-seat="1"] .badge.away')`) {
				t.Errorf("%s: Bob's seat is not marked away", sz.name)
			}
			// The host may hand the one human opponent still playing to a CPU.
			if got := eval[[]string](tb, `[...document.querySelectorAll('[data-action="replace"]')].map((b) => b.dataset.player)`); len(got) != 1 || got[0] != "p_bob" {
				t.Errorf("%s: replace buttons for %v, want Bob's", sz.name, got)
			}
		},
		"away": func(sz size) {
			tb.do("say I'm back", chromedp.Click(chromedp.CSS(`[data-key="back"]`)))
			tb.waitJS("the back frame", `(window.__sockets ?? []).some((s) => s.sent.some((f) => f.type === 'back'))`)
		},
		"crowd": func(sz size) {
			// Two decks: the table says why the backs differ, and who deals.
			if got := eval[string](tb, `document.querySelector('.legend [data-decks]')?.dataset.decks ?? ''`); got != "2" {
				t.Errorf("%s: six players, two decks: the legend says %q decks", sz.name, got)
			}
			if !eval[bool](tb, `!!document.querySelector('.legend .badge.dealer')`) {
				t.Errorf("%s: the dealer's badge is not explained on the table", sz.name)
			}
		},
		"results-fresh": func(sz size) {
			if n := eval[int](tb, `document.querySelectorAll('.scorecard tbody td[data-score=""]').length`); n != 0 || !eval[bool](tb, `document.querySelectorAll('.scorecard tbody tr').length === 2`) {
				t.Errorf("%s: a page that saw only the end misses %d scores of the scorecard", sz.name, n)
			}
		},
		"results": func(sz size) {
			// The whole scorecard: a row per hole, a column per player, each player's best hole marked.
			card := eval[struct {
				Rows, Cols, Best, Marked int
			}](tb, `(() => { const c = document.querySelector('.scorecard'); if (!c) return {};
				const players = [...c.querySelectorAll('thead th[data-player]')].map((th) => th.dataset.player);
				return { Rows: c.querySelectorAll('tbody tr').length, Cols: players.length,
					Best: c.querySelectorAll('td.best').length,
					Marked: players.filter((p) => c.querySelector('td.best[data-player="' + p + '"]')).length }; })()`)
			if card.Rows != 2 || card.Cols != 4 || card.Marked != 4 {
				t.Errorf("%s: scorecard %+v: want 2 holes × 4 players, every player's best hole marked", sz.name, card)
			}
		},
		"scores": func(sz size) {
			// The little hands mark their column pairs, as the table does.
			if got, want := eval[int](tb, `document.querySelectorAll('.sheet .hand .slot.paired').length`), pairsIn(scoresRound); got != want {
				t.Errorf("%s: the score sheet marks %d paired cards, want %d", sz.name, got, want)
			}
			// A row without adjustments shows no stray dash on a phone.
			if sz.mobile {
				if n := eval[int](tb, `[...document.querySelectorAll('.sheet-row:not(.sheet-head) .adjust')].filter((el) => el.getBoundingClientRect().height > 0 && el.textContent.trim() === '—').length`); n > 0 {
					t.Errorf("%s: %d score-sheet rows show a lone dash", sz.name, n)
				}
			}
			// The server's clock is decades off the browser's: the countdown
			// still starts from the 10 minutes the server said.
			if n := eval[int](tb, `+document.querySelector('[data-countdown]').textContent`); n < 500 || n > 600 {
				t.Errorf("%s: countdown shows %d s, want about 600 (the server's clock is not the browser's)", sz.name, n)
			}
			// Everyone says when they are ready, or keeps the sheet up: the
			// ready ones are marked, and so is a hold.
			if n := eval[int](tb, `document.querySelectorAll('.sheet-row.is-ready').length`); n != 1 {
				t.Errorf("%s: %d rows marked ready, want Bob's", sz.name, n)
			}
			if !eval[bool](tb, `!!document.querySelector('[data-key="ready"]') && !!document.querySelector('[data-key="hold"]') && !!document.querySelector('[data-key="held-note"]')`) {
				t.Errorf("%s: the score sheet has no ready or hold button, or no word of the hold", sz.name)
			}
			tb.do("say ready", chromedp.Click(chromedp.CSS(`[data-key="ready"]`)))
			tb.waitJS("the ready frame", `(window.__sockets ?? []).some((s) => s.sent.some((f) => f.type === 'ready'))`)
		},
	}
	for _, size := range []size{desktop, phone} {
		tb.resize(size)
		tb.do("lobby", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)))
		tb.noOverflow("lobby")
		tb.screenshot("layout-lobby-" + size.name)
		for _, name := range []string{"waiting", "waiting-guest", "initial", "turn-start", "timer", "away", "turn", "opponent", "spectator", "final", "scores", "results", "results-fresh", "turn-drop", "crowd"} {
			url := fmt.Sprintf("%s/r/KDRT?watch=1&scene=%s#scene=%s", srv.URL, name, name)
			tb.do(name, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(checks[name])))
			tb.noOverflow(name)
			// At the table a player sees the whole of their hand, phone included
			// (but for the moment the connection is down, when a banner pushes it).
			if name != "turn-drop" && eval[bool](tb, `!!document.querySelector('.table.seated') && !document.querySelector('.overlay')`) {
				tb.gridInView(name + " " + size.name)
			}
			// A touch screen has no shortcut keys to explain.
			if size.mobile && eval[bool](tb, `[...document.querySelectorAll('[data-action="help"]')].some((b) => b.getBoundingClientRect().width > 0)`) {
				t.Errorf("%s %s: the keyboard-shortcuts button shows on a phone", name, size.name)
			}
			tb.screenshot(fmt.Sprintf("layout-%s-%s", name, size.name))
			// The top bar's tools stay on the line of the hole counter, the
			// host's (who has a menu more) and a spectator's included.
			if d := eval[float64](tb, `(() => { const a = document.querySelector('.tools'), b = document.querySelector('.hole-tag');
				return a && b ? Math.abs(a.getBoundingClientRect().top - b.getBoundingClientRect().top) : 0; })()`); d > 8 {
				t.Errorf("%s %s: the top bar wraps: its tools are %.0f px below the hole counter", name, size.name, d)
			}
			if f := extra[name]; f != nil {
				f(size)
			}
		}
		// The rules page and the shortcut help open over the table.
		tb.do("rules", chromedp.Navigate(srv.URL+"/r/KDRT?watch=1#scene=turn"), chromedp.WaitVisible(chromedp.CSS(`.table`)),
			chromedp.Click(chromedp.CSS(`[data-key="tool-rules"]`)), chromedp.WaitVisible(chromedp.CSS(`#rules-dialog .values-table`)))
		if n := eval[int](tb, `document.querySelectorAll('#rules-dialog .values-table tbody tr').length`); n != 14 {
			t.Errorf("card-value table has %d rows, want 14 (A…K and the joker)", n)
		}
		tb.screenshot("layout-rules-" + size.name)
		tb.do("help", chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(chromedp.CSS(`#rules-dialog`)),
			chromedp.KeyEvent("?"), chromedp.WaitVisible(chromedp.CSS(`#help-dialog .keys-table`)))
		tb.screenshot("layout-help-" + size.name)
	}

	tb.checkErrors()
	if t.Failed() {
		t.Logf("screenshots in %s", artifacts(t))
	}
}

// TestLayoutSpanish renders the main screens again in Spanish, picked in the
// lobby (and remembered), at both sizes: the words are Spanish, nothing
// sticks out, the hand stays on the screen. The tests on canned frames run
// beside each other; those with a live server, whose bots keep time, alone.
func TestLayoutSpanish(t *testing.T) {
	t.Parallel()
	root := browser(t)
	sc := scenes(t)
	srv := fixtureServer(t, sc)
	tb := newTab(t, root, "layout-es")
	tb.addScript(fakeSocket)
	checks := map[string]string{
		"waiting": `.room [data-action="start"]:not([disabled])`,
		"turn":    `.table[data-step="holding"] .held-zone.holding .card.face`,
		"scores":  `.overlay [data-countdown]`,
		"results": `.overlay .ranking .rank-row.winner`,
		"crowd":   `.table[data-step="holding"] .held-zone.holding .card.face`,
		"timer":   `.seat.mine .turn-timer [data-countdown]`,
	}
	words := translations(t)
	for _, size := range []size{desktop, phone} {
		tb.resize(size)
		tb.do("lobby", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#lang`)))
		eval[bool](tb, `(() => { const s = document.querySelector('#lang'); s.value = 'es'; return s.dispatchEvent(new Event('change', { bubbles: true })); })()`)
		tb.waitJS("Spanish", `document.documentElement.lang === 'es'`)
		tb.noOverflow("lobby es")
		tb.screenshot("layout-es-lobby-" + size.name)
		for name, want := range map[string]string{
			"waiting": `[data-key="start"]`, "turn": `.pile-caption`, "scores": `[data-key="next-round"]`,
			"results": `[data-key="rematch"]`, "crowd": `.pile-caption`, "timer": `.badge.away`,
		} {
			url := fmt.Sprintf("%s/r/KDRT?watch=1&scene=%s#scene=%s", srv.URL, name, name)
			tb.do(name+" es", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(checks[name])))
			key := map[string]string{"waiting": "room.start", "turn": "pile.deck", "scores": "sheet.deal_next", "results": "results.rematch", "crowd": "pile.deck", "timer": "badge.away"}[name]
			if got := eval[string](tb, `document.querySelector('`+want+`').firstChild.textContent`); got != words["es"][key] {
				t.Errorf("%s %s in Spanish: %s says %q, want %q", name, size.name, want, got, words["es"][key])
			}
			tb.noOverflow(name + " es")
			if eval[bool](tb, `!!document.querySelector('.table.seated') && !document.querySelector('.overlay')`) {
				tb.gridInView(name + " es " + size.name)
			}
			tb.screenshot(fmt.Sprintf("layout-es-%s-%s", name, size.name))
		}
		tb.do("rules es", chromedp.Navigate(srv.URL+"/rules"), chromedp.WaitVisible(chromedp.CSS(`[data-screen="rules"] .values-table`)))
		if got := eval[string](tb, `document.querySelector('[data-screen="rules"] dt').textContent`); got != words["es"]["opt.flip_mode.title"] {
			t.Errorf("rules page in Spanish: the first house rule is %q, want the Spanish %q", got, words["es"]["opt.flip_mode.title"])
		}
		tb.screenshot("layout-es-rules-" + size.name)
	}
	tb.checkErrors()
	if t.Failed() {
		t.Logf("screenshots in %s", artifacts(t))
	}
}
