package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"golf/account"
	"golf/store"
)

// me is what GET /api/me says in the page: the user's id, username
// ("" for a guest) and the status.
const me = `fetch('/api/me').then(async (r) => { const b = r.ok ? await r.json() : {}; return { status: r.status, id: b.user?.id ?? '', username: b.user?.username ?? '', guest: !!b.user?.guest }; })`

// clearInput empties a form field.
func clearInput(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(() => { document.querySelector('`+sel+`').value = ''; return true; })()`)(ctx, t)
		return err
	})
}

type meReply struct {
	Status   int    `json:"status"`
	ID       string `json:"id"`
	Username string `json:"username"`
	Guest    bool   `json:"guest"`
}

// TestAccounts: a guest plays a hole, registers from the lobby (the same
// user: same id), goes back to the room and reloads it and is still
// signed in and in their seat; the profile and admin pages; logs out; logs
// in from a second browser context. Screenshots of the sign-up form, the
// profile and the admin page at desktop and phone sizes.
func TestAccounts(t *testing.T) {
	root := browser(t)
	cfg := serverConfig(t, func(c *setup) {
		c.Live.RoundCountdown = 2 * time.Minute // the score sheet waits
		c.Live.Grace = time.Minute
	})
	srv, _ := openServer(t, cfg)
	ts := startHTTP(t, srv, func() {})
	ops, err := account.New(cfg.Live.Store.(store.Accounts), account.Config{})
	if err != nil {
		t.Fatal(err)
	}

	ann := newTab(t, root, "ann")
	ann.resize(desktop)
	ann.do("open the lobby", chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`.account-bar [data-key="nav-register"]`)))
	if got := eval[string](ann, `document.querySelector('.account-who').textContent`); !strings.Contains(got, "Not signed in") {
		t.Errorf("account bar before any room: %q", got)
	}

	// A guest at once: creating a room makes the visitor a user.
	ann.do("create a room",
		chromedp.SendKeys(chromedp.CSS("#create-name"), "Ann"),
		chromedp.Click(chromedp.CSS(`[data-key="create"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-host="1"]`)))
	guest := eval[meReply](ann, me)
	if guest.Status != 200 || !guest.Guest || guest.ID == "" {
		t.Fatalf("after creating a room: %+v", guest)
	}
	if seat := eval[string](ann, `JSON.parse(localStorage.getItem('golf.seat.' + document.querySelector('.code-big').dataset.room)).token`); seat == "" {
		t.Fatal("no seat token kept")
	}
	code := eval[string](ann, `document.querySelector('.code-big').dataset.room`)
	ann.do("add a CPU", chromedp.Click(chromedp.CSS(`[data-key="add-cpu"]`)), chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="2"]`)))
	ann.do("start", chromedp.Click(chromedp.CSS(`[data-key="start"]`)), chromedp.WaitVisible(chromedp.CSS(`.table[data-round="1"]`)))
	deadline := time.Now().Add(4 * time.Minute) // a bound, not a timing
	for {
		s := eval[seen](ann, readPage)
		if s.Screen == "scores" {
			break
		}
		if time.Now().After(deadline) {
			ann.screenshot("accounts-timeout")
			t.Fatal("the hole did not end")
		}
		ann.move(s, false)
		time.Sleep(150 * time.Millisecond)
	}

	// To the lobby (the seat stays: this is not leaving), and sign up.
	ann.do("back to the lobby", chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`.account-bar [data-key="nav-register"]`)))
	if got := eval[string](ann, `document.querySelector('.account-who').textContent`); got != "Playing as guest Ann — register to keep your stats" {
		t.Errorf("account bar of a guest: %q", got)
	}
	ann.screenshot("accounts-lobby-guest-desktop")
	ann.do("open sign-up", chromedp.Click(chromedp.CSS(`[data-key="nav-register"]`)), chromedp.WaitVisible(chromedp.CSS(`#register`)))
	if got := eval[string](ann, `location.pathname`); got != "/register" {
		t.Errorf("sign-up at %q", got)
	}
	ann.screenshot("accounts-signup-desktop")
	// The form checks as you type: a bad username and a short password are
	// marked before anything is sent.
	ann.do("type a bad username",
		chromedp.SendKeys(chromedp.CSS("#register-username"), "a b"),
		chromedp.SendKeys(chromedp.CSS("#register-password"), "short"),
		chromedp.SendKeys(chromedp.CSS("#register-email"), "x"))
	ann.do("submit it", chromedp.Click(chromedp.CSS(`[data-key="register-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#register-status`)))
	invalid := eval[[]string](ann, `[...document.querySelectorAll('#register [aria-invalid="true"]')].map((e) => e.name)`)
	if strings.Join(invalid, ",") != "username,password,email" {
		t.Errorf("fields marked invalid: %v", invalid)
	}
	if focused := eval[string](ann, `document.activeElement.id`); focused != "register-username" {
		t.Errorf("focus after a refused submit: %q", focused)
	}
	ann.screenshot("accounts-signup-errors-desktop")
	// The server's own refusal (a reserved name) shows beside the field.
	ann.do("a reserved name",
		clearInput("#register-username"), chromedp.SendKeys(chromedp.CSS("#register-username"), "Admin_1"),
		clearInput("#register-password"), chromedp.SendKeys(chromedp.CSS("#register-password"), "ann's password"),
		clearInput("#register-email"),
		chromedp.Click(chromedp.CSS(`[data-key="register-submit"]`)))
	ann.waitJS("the server's error", `document.querySelector('#register-username-err').textContent.includes('reserved')`)
	ann.do("a good name",
		clearInput("#register-username"), chromedp.SendKeys(chromedp.CSS("#register-username"), "ann_e2e"),
		chromedp.Click(chromedp.CSS(`[data-key="register-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.account-bar [data-key="nav-profile"]`)))
	registered := eval[meReply](ann, me)
	if registered.ID != guest.ID || registered.Username != "ann_e2e" || registered.Guest {
		t.Fatalf("after registering: %+v, guest was %s", registered, guest.ID)
	}

	// Back to the room, then a reload: signed in, and in the same seat.
	for _, step := range []string{"open the room", "reload"} {
		if step == "reload" {
			ann.do(step, chromedp.Reload())
		} else {
			ann.do(step, chromedp.Navigate(ts.URL+"/r/"+code))
		}
		ann.waitJS("in the seat", `!!document.querySelector('.table[data-seat="0"]')`)
		if again := eval[meReply](ann, me); again.ID != guest.ID || again.Username != "ann_e2e" {
			t.Errorf("%s: me %+v", step, again)
		}
	}

	// The profile page, and the admin page once ann is an admin.
	if err := ops.SetRoleAsOperator(context.Background(), "ann_e2e", account.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	for _, sz := range []size{desktop, phone} {
		ann.resize(sz)
		ann.mobile = sz.mobile
		ann.do("open the profile", chromedp.Navigate(ts.URL+"/profile"), chromedp.WaitVisible(chromedp.CSS(`.session`)))
		ann.noOverflow("profile " + sz.name)
		ann.screenshot("accounts-profile-" + sz.name)
		ann.do("open the admin page", chromedp.Navigate(ts.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`.admin-table`)))
		ann.do("find users", chromedp.Click(chromedp.CSS(`[data-key="admin-search"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-key="user-`+guest.ID+`"]`)))
		ann.do("open ann", chromedp.Click(chromedp.CSS(`[data-key="user-`+guest.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS(`.user-card`)))
		ann.noOverflow("admin " + sz.name)
		ann.screenshot("accounts-admin-" + sz.name)
		ann.do("open sign-up", chromedp.Navigate(ts.URL+"/register"), chromedp.WaitVisible(chromedp.CSS(`#register`)))
		ann.noOverflow("sign-up " + sz.name)
		if sz.mobile {
			ann.screenshot("accounts-signup-phone")
		}
	}
	if got := eval[string](ann, `document.querySelector('.admin-table, body').tagName`); got == "" {
		t.Error("no page")
	}

	// Log out from the lobby.
	ann.resize(desktop)
	ann.mobile = false
	ann.do("lobby", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-key="nav-logout"]`)))
	ann.do("log out", chromedp.Click(chromedp.CSS(`[data-key="nav-logout"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-key="nav-login"]`)))
	if out := eval[meReply](ann, me); out.Status != 200 || out.ID != "" {
		t.Errorf("after logging out: %+v", out)
	}

	// Another browser: logs in as ann.
	bob := newTab(t, root, "second-browser")
	bob.resize(phone)
	bob.mobile = true
	bob.do("open log in", chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(chromedp.CSS(`#login`)))
	bob.do("log in",
		chromedp.SendKeys(chromedp.CSS("#login-username"), "ANN_E2E"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), "wrong password"),
		chromedp.Tap(chromedp.CSS(`[data-key="login-submit"]`)))
	bob.waitJS("the refusal", `document.querySelector('#login-status').textContent === 'Unknown username or wrong password.'`)
	bob.screenshot("accounts-login-error-phone")
	bob.do("log in right",
		clearInput("#login-password"), chromedp.SendKeys(chromedp.CSS("#login-password"), "ann's password"),
		chromedp.Tap(chromedp.CSS(`[data-key="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.account-bar [data-key="nav-profile"]`)))
	if got := eval[meReply](bob, me); got.ID != guest.ID {
		t.Errorf("second browser signed in as %+v", got)
	}
	bob.noOverflow("lobby signed in")
	bob.screenshot("accounts-lobby-signed-in-phone")
	// A refused form is an HTTP 4xx the browser reports in its console; those
	// are the test's own doing. Anything else is not.
	ann.forgive("/api/auth/register", "status of 400")
	bob.forgive("/api/auth/login", "status of 401")
	ann.checkErrors()
	bob.checkErrors()
}

// forgive drops the console errors that mention every one of parts.
func (tb *tab) forgive(parts ...string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	kept := tb.errors[:0]
	for _, e := range tb.errors {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(e, p)
		}
		if !all {
			kept = append(kept, e)
		}
	}
	tb.errors = kept
}
