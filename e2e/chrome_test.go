package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromium returns the browser to drive, or skips the test when there is
// none (failing instead when GOLF_REQUIRE_SERVICES=1).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("GOLF_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("GOLF_REQUIRE_SERVICES") == "1" {
		t.Fatal("Chromium not found (GOLF_REQUIRE_SERVICES=1): apt-get install -y chromium")
	}
	t.Skip("Chromium not found: install it with apt-get install -y chromium (set GOLF_REQUIRE_SERVICES=1 to fail instead)")
	return ""
}

// browser starts a headless Chromium with a fresh profile and returns a
// context holding it; tabs are made from it with newTab. It is shut down
// when the test ends.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 800),
	)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelRoot()
		cancelAlloc()
	})
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return root
}

// tab is one page in its own browser context (its own storage, like a
// separate person's browser), recording console errors and exceptions.
type tab struct {
	t      *testing.T
	ctx    context.Context
	name   string
	mobile bool // taps instead of clicks

	mu      sync.Mutex
	errors  []string
	dialogs []string // native dialogs seen (watchNativeDialogs)
}

// newTab opens a page in a new browser context of root.
func newTab(t *testing.T, root context.Context, name string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, name: name}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			switch {
			case m.IsException(), m.Type == chromedp.ConsoleError:
				tb.fail("%s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line)
			case m.Source == "" && (m.Type == chromedp.ConsoleLog || m.Type == chromedp.ConsoleWarning):
				// Production code never logs (client_test.go checks the
				// source); a message here means something slipped through.
				tb.fail("console.%s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line)
			}
		}
	}()
	return tb
}

func (tb *tab) fail(format string, a ...any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.errors = append(tb.errors, fmt.Sprintf(format, a...))
}

// checkErrors fails the test for every console error or exception seen.
func (tb *tab) checkErrors() {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errors {
		tb.t.Errorf("%s: %s", tb.name, e)
	}
	tb.errors = nil
}

// do runs steps with a deadline, failing the test on error.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.checkErrors()
		tb.checkNoNativeDialogs() // a browser dialog would explain a page that stopped answering
		if buf, serr := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot()); serr == nil {
			os.WriteFile(filepath.Join(artifacts(tb.t), "failed-"+tb.name+".png"), buf, 0o644)
		}
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

// eval evaluates a JavaScript expression (awaiting it, if it is a promise)
// and decodes its value into T.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.checkErrors()
		if len(expr) > 80 {
			expr = expr[:80] + "…"
		}
		tb.t.Fatalf("%s: evaluate %q: %v", tb.name, expr, err)
	}
	return v
}

// waitJS waits until the JavaScript expression cond is true. Unlike
// chromedp's element waits it also works on a page restored from the
// back/forward cache, whose new document chromedp's DOM tracking misses.
// An evaluation that fails because the page is navigating is tried again:
// the condition is asked of whichever document ends up loaded.
func (tb *tab) waitJS(what, cond string) {
	tb.t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a bound, not a timing
	for {
		ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.checkErrors()
			if err != nil {
				tb.t.Fatalf("%s: %s: %s: %v", tb.name, what, cond, err)
			}
			tb.t.Fatalf("%s: %s: %s never held", tb.name, what, cond)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// addScript runs src in every page the tab opens, before the page's own scripts.
func (tb *tab) addScript(src string) {
	tb.t.Helper()
	tb.do("add script", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	}))
}

// size is a viewport the screenshots are taken at.
type size struct {
	name   string
	w, h   int64
	mobile bool
}

var (
	desktop = size{"desktop", 1280, 800, false}
	phone   = size{"phone", 375, 812, true}
)

// resize sets the page size; a phone gets touch and mobile emulation.
func (tb *tab) resize(s size) {
	tb.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if s.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	} else {
		opts = []chromedp.EmulateViewportOption{chromedp.EmulateLandscape}
	}
	tb.do("resize to "+s.name, chromedp.EmulateViewport(s.w, s.h, opts...))
}

// artifacts is the folder screenshots go to.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GOLF_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "testartifacts")
	}
	dir = filepath.Join(dir, "e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts folder: %v", err)
	}
	return dir
}

// screenshot saves the viewport as <name>.png in the artifacts folder,
// once running animations have settled.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Sleep(500*time.Millisecond)); err != nil {
		tb.t.Fatalf("%s: wait: %v", tb.name, err)
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("%s: screenshot %s: %v", tb.name, name, err)
	}
	path := filepath.Join(artifacts(tb.t), name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.t.Fatalf("save %s: %v", path, err)
	}
}

// noOverflow fails when anything sticks out sideways: the page must fit a
// 375 px phone without scrolling left and right.
func (tb *tab) noOverflow(where string) {
	tb.t.Helper()
	over := eval[[]string](tb, `(() => {
		const w = document.documentElement.clientWidth;
		const out = [];
		if (document.documentElement.scrollWidth > w + 1) out.push('page is ' + document.documentElement.scrollWidth + 'px wide in a ' + w + 'px viewport');
		for (const el of document.querySelectorAll('#app *')) {
			const r = el.getBoundingClientRect();
			if (!r.width || el.closest('.sr-only')) continue;
			// Inside a box made to scroll sideways only (the rule chips on a
			// phone) is not outside the page.
			let scroller = false;
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				const st = getComputedStyle(p);
				if (['auto', 'scroll'].includes(st.overflowX) && st.overflowY === 'hidden' && p.getBoundingClientRect().right <= w + 1) { scroller = true; break; }
			}
			if (scroller) continue;
			if (r.right > w + 1 || r.left < -1) {
				out.push((typeof el.className === 'string' && el.className ? el.className : el.tagName) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right));
				if (out.length > 5) break;
			}
		}
		return out;
	})()`)
	for _, o := range over {
		tb.t.Errorf("%s: %s: %s", tb.name, where, o)
	}
}

// gridInView fails unless every card of the player's own grid is wholly on
// the screen, the page scrolled to its top: on a phone the player must see
// their whole hand without scrolling.
func (tb *tab) gridInView(where string) {
	tb.t.Helper()
	out := eval[[]string](tb, `(() => {
		scrollTo(0, 0);
		const h = document.documentElement.clientHeight, w = document.documentElement.clientWidth, out = [];
		const cards = document.querySelectorAll('.grid-big .slot-button');
		if (cards.length !== 6) out.push(cards.length + ' cards in the grid');
		for (const b of cards) {
			const r = b.getBoundingClientRect();
			if (r.top < 0 || r.bottom > h + 0.5 || r.left < 0 || r.right > w + 0.5)
				out.push('card ' + (+b.dataset.pos + 1) + ' spans ' + Math.round(r.top) + '..' + Math.round(r.bottom) + ' px of a ' + h + ' px screen');
		}
		return out;
	})()`)
	for _, o := range out {
		tb.t.Errorf("%s: %s: %s", tb.name, where, o)
	}
}

// watchNativeDialogs records every alert, confirm or prompt the browser
// opens (accepting it, so the page goes on): the game asks its questions
// in its own dialogs. nativeDialogs returns what was seen.
func (tb *tab) watchNativeDialogs() {
	tb.t.Helper()
	seen := make(chan string, 16)
	if err := chromedp.Listen(tb.ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			select {
			case seen <- string(d.Type) + ": " + d.Message:
			default:
			}
		}
	}); err != nil {
		tb.t.Fatalf("%s: listen: %v", tb.name, err)
	}
	go func() {
		for {
			var msg string
			select {
			case msg = <-seen:
			case <-tb.ctx.Done():
				return
			}
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, msg)
			tb.mu.Unlock()
			ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			cancel()
		}
	}()
}

// checkNoNativeDialogs fails the test for every native dialog the page opened.
func (tb *tab) checkNoNativeDialogs() {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, d := range tb.dialogs {
		tb.t.Errorf("%s: the browser's own dialog opened (%s): the game must ask in its own", tb.name, d)
	}
}
