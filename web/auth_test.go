package web

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golf/account"
	"golf/game"
)

func TestGuestThenRegister(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	if r := v.do("GET", "/api/me", nil); r.status != http.StatusOK || r.body["user"] != nil {
		t.Fatalf("GET /api/me with no session: %d %s", r.status, r.raw)
	}
	g := v.guest("Ann")
	if g.user()["guest"] != true || g.user()["display_name"] != "Ann" || g.body["token"] != nil {
		t.Fatalf("guest: %s", g.raw)
	}
	guestCookie := v.cookie()
	if guestCookie == "" {
		t.Fatal("no session cookie")
	}
	res := g.header.Values("Set-Cookie")
	if len(res) != 1 || !contains(res[0], "HttpOnly") || !contains(res[0], "SameSite=Lax") || contains(res[0], "Secure") {
		t.Errorf("cookie over plain HTTP: %q", res)
	}
	// Asking again answers the same guest (a new name renames it).
	again := v.do("POST", "/api/auth/guest", map[string]any{"name": "Annie"}).must(t, http.StatusOK)
	if again.userID() != g.userID() || again.user()["display_name"] != "Annie" {
		t.Fatalf("second guest call: %s", again.raw)
	}

	r := v.register("Ann_1", "correct horse").must(t, http.StatusCreated)
	if r.userID() != g.userID() || r.user()["username"] != "Ann_1" || r.user()["guest"] != false {
		t.Fatalf("register: %s", r.raw)
	}
	if v.cookie() == guestCookie {
		t.Error("registering kept the guest's token")
	}
	me := v.do("GET", "/api/me", nil).must(t, http.StatusOK)
	if me.userID() != g.userID() || me.user()["username"] != "Ann_1" {
		t.Errorf("me after register: %s", me.raw)
	}
	// The guest's token signs nobody in any more.
	old := newVisitor(t, ts)
	old.header.Set("Authorization", "Bearer "+guestCookie)
	if r := old.do("GET", "/api/me", nil); r.status != http.StatusUnauthorized {
		t.Errorf("guest token after register: %d %s", r.status, r.raw)
	}
	// Registering twice is refused.
	if r := v.register("Ann_2", "correct horse"); r.status != http.StatusConflict || r.code() != "already_registered" {
		t.Errorf("second register: %d %s", r.status, r.raw)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestRegisterWithoutGuestAndBearer(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	bot := newVisitor(t, ts)
	bot.jar = nil
	bot.http.Jar = nil
	r := bot.do("POST", "/api/auth/register", map[string]any{"username": "robot_7", "password": "beep boop beep", "bearer": true}).
		must(t, http.StatusCreated)
	tok, _ := r.body["token"].(string)
	if len(tok) != 43 {
		t.Fatalf("bearer token %q", tok)
	}
	bot.header.Set("Authorization", "Bearer "+tok)
	if me := bot.do("GET", "/api/me", nil).must(t, http.StatusOK); me.user()["username"] != "robot_7" {
		t.Errorf("me by bearer: %s", me.raw)
	}
	// A Bearer client sends no Origin: the cross-origin check lets it change things.
	bot.do("PATCH", "/api/me", map[string]any{"display_name": "Robot Seven"}).must(t, http.StatusOK)
}

func TestRegisterDuplicateIgnoringCase(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	newVisitor(t, ts).register("Zoe", "zoe's password").must(t, http.StatusCreated)
	for _, name := range []string{"zoe", "ZOE", "Zoe"} {
		v := newVisitor(t, ts)
		v.guest("someone")
		r := v.register(name, "another password")
		if r.status != http.StatusConflict || r.code() != "username_taken" || r.fields()["username"] != "username_taken" {
			t.Errorf("register %q: %d %s", name, r.status, r.raw)
		}
	}
}

func TestRegisterFieldErrors(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	tests := []struct {
		username, password, email string
		code                      string
		fields                    map[string]string
	}{
		{"ab", "long enough pw", "", "invalid_username", map[string]string{"username": "invalid_username"}},
		{"has space", "long enough pw", "", "invalid_username", map[string]string{"username": "invalid_username"}},
		{"Adm1n_2", "long enough pw", "", "username_reserved", map[string]string{"username": "username_reserved"}},
		{"carol", "short", "", "invalid_password", map[string]string{"password": "invalid_password"}},
		{"carol99", "carol99", "", "invalid_password", map[string]string{"password": "invalid_password"}},
		{"carol", "long enough pw", "not an email", "invalid_email", map[string]string{"email": "invalid_email"}},
		{"x", "y", "", "invalid_input", map[string]string{"username": "invalid_username", "password": "invalid_password"}},
	}
	for _, tc := range tests {
		for _, asGuest := range []bool{false, true} {
			v := newVisitor(t, ts)
			if asGuest {
				v.guest("Carol")
			}
			r := v.do("POST", "/api/auth/register", map[string]any{"username": tc.username, "password": tc.password, "email": tc.email})
			if r.status != http.StatusBadRequest || r.code() != tc.code {
				t.Errorf("register %q/%q (guest %v): %d %s, want 400 %s", tc.username, tc.password, asGuest, r.status, r.raw, tc.code)
				continue
			}
			got := map[string]string{}
			for k, v := range r.fields() {
				got[k], _ = v.(string)
			}
			if len(got) != len(tc.fields) {
				t.Errorf("register %q: fields %v, want %v", tc.username, got, tc.fields)
			}
			for k, want := range tc.fields {
				if got[k] != want {
					t.Errorf("register %q: fields %v, want %v", tc.username, got, tc.fields)
				}
			}
		}
	}
	// Nothing was registered, and the form's guest-less attempts left no user behind to sign in as.
	if r := newVisitor(t, ts).login("carol", "long enough pw"); r.status != http.StatusUnauthorized {
		t.Errorf("login after refused sign-ups: %d %s", r.status, r.raw)
	}
}

func TestLoginSameErrorUnknownOrWrong(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	newVisitor(t, ts).register("dave", "dave's password").must(t, http.StatusCreated)
	wrong := newVisitor(t, ts).login("dave", "not dave's password")
	unknown := newVisitor(t, ts).login("nobody_here", "not dave's password")
	if wrong.status != http.StatusUnauthorized || wrong.code() != "bad_credentials" {
		t.Fatalf("wrong password: %d %s", wrong.status, wrong.raw)
	}
	if unknown.status != wrong.status || string(unknown.raw) != string(wrong.raw) {
		t.Errorf("unknown user answers %d %s; wrong password %d %s", unknown.status, unknown.raw, wrong.status, wrong.raw)
	}
	ok := newVisitor(t, ts)
	if r := ok.login("DAVE", "dave's password").must(t, http.StatusOK); r.user()["username"] != "dave" {
		t.Errorf("login ignoring case: %s", r.raw)
	}
}

func TestLogoutKillsCookie(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	v.register("erin", "erin's password").must(t, http.StatusCreated)
	cookie := v.cookie()
	v.do("POST", "/api/auth/logout", nil).must(t, http.StatusNoContent)
	if v.cookie() != "" {
		t.Error("logout left the cookie in the browser")
	}
	replay := newVisitor(t, ts)
	replay.header.Set("Cookie", sessionCookie+"="+cookie)
	if r := replay.do("GET", "/api/me", nil); r.status != http.StatusUnauthorized || r.code() != "invalid_session" {
		t.Errorf("old cookie after logout: %d %s", r.status, r.raw)
	}
}

func TestLogoutEverywhereAndSessions(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	a := newVisitor(t, ts)
	a.register("fay", "fay's password").must(t, http.StatusCreated)
	b := newVisitor(t, ts)
	b.login("fay", "fay's password").must(t, http.StatusOK)
	c := newVisitor(t, ts)
	c.login("fay", "fay's password").must(t, http.StatusOK)

	list := a.do("GET", "/api/me/sessions", nil).must(t, http.StatusOK)
	ss, _ := list.body["sessions"].([]any)
	if len(ss) != 3 {
		t.Fatalf("sessions: %s", list.raw)
	}
	var current int
	var other string
	me := a.do("GET", "/api/me", nil).must(t, http.StatusOK)
	mine := me.body["session"].(map[string]any)["id"]
	for _, s := range ss {
		m := s.(map[string]any)
		if m["current"] == true {
			current++
			if m["id"] != mine {
				t.Errorf("current session %v, mine %v", m["id"], mine)
			}
		} else if other == "" {
			other, _ = m["id"].(string)
		}
	}
	if current != 1 {
		t.Errorf("%d sessions marked current", current)
	}
	// Revoke one of the others: exactly one of b and c is signed out.
	a.do("DELETE", "/api/me/sessions/"+other, nil).must(t, http.StatusNoContent)
	out := 0
	for _, v := range []*visitor{b, c} {
		if v.do("GET", "/api/me", nil).status == http.StatusUnauthorized {
			out++
		}
	}
	if out != 1 {
		t.Errorf("revoking one session signed out %d visitors", out)
	}
	if r := a.do("DELETE", "/api/me/sessions/"+other, nil); r.status != http.StatusNoContent {
		t.Errorf("revoking it again: %d %s", r.status, r.raw)
	}
	if r := a.do("DELETE", "/api/me/sessions/00000000-0000-4000-8000-000000000000", nil); r.status != http.StatusNotFound {
		t.Errorf("revoking an unknown session: %d %s", r.status, r.raw)
	}
	a.do("POST", "/api/auth/logout-all", nil).must(t, http.StatusOK)
	for i, v := range []*visitor{a, b, c} {
		if r := v.do("GET", "/api/me", nil); !signedOut(r) {
			t.Errorf("visitor %d after logout everywhere: %d %s", i, r.status, r.raw)
		}
	}
}

func TestSessionExpires(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	ts := newAccountServer(t, &accountSetup{clock: clock, accountsCfgEdit: func(c *account.Config) {
		c.SessionIdle = time.Hour
	}})
	v := newVisitor(t, ts)
	v.register("gus", "gus's password").must(t, http.StatusCreated)
	clock.Add(50 * time.Minute)
	v.do("GET", "/api/me", nil).must(t, http.StatusOK) // a use pushes the expiry ahead
	clock.Add(50 * time.Minute)
	v.do("GET", "/api/me", nil).must(t, http.StatusOK)
	clock.Add(61 * time.Minute)
	cookie := v.cookie()
	if r := v.do("GET", "/api/me", nil); r.status != http.StatusUnauthorized || r.code() != "session_expired" {
		t.Errorf("after the idle time: %d %s", r.status, r.raw)
	}
	if v.cookie() != "" {
		t.Error("the expired cookie was not cleared")
	}
	// The expired session cannot open a socket either.
	stale := newVisitor(t, ts)
	u, _ := url.Parse(ts.ts.URL)
	stale.jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: cookie}})
	if _, res, err := stale.dialErr(); err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("socket with an expired session: %v, %v", err, res)
	}
}

func TestCrossOriginRefused(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	v.register("hal", "hal's password").must(t, http.StatusCreated)

	evil := newVisitor(t, ts)
	evil.jar, evil.http.Jar = v.jar, v.jar // the victim's browser, the attacker's page
	evil.header.Set("Origin", "https://evil.example")
	evil.header.Set("Sec-Fetch-Site", "cross-site")
	for _, tc := range []struct{ method, path string }{
		{"POST", "/api/auth/logout-all"}, {"POST", "/api/me/password"}, {"PATCH", "/api/me"},
		{"DELETE", "/api/me"}, {"POST", "/api/auth/login"}, {"POST", "/api/auth/register"},
	} {
		r := evil.do(tc.method, tc.path, map[string]any{"display_name": "pwned", "password": "hal's password"})
		if r.status != http.StatusForbidden || r.code() != "cross_origin" {
			t.Errorf("cross-origin %s %s: %d %s", tc.method, tc.path, r.status, r.raw)
		}
	}
	// Reading is not changing: a cross-origin GET is answered (the
	// browser keeps its body from the page, CORS being off).
	evil.do("GET", "/api/me", nil).must(t, http.StatusOK)
	// Still signed in, name unchanged.
	if me := v.do("GET", "/api/me", nil).must(t, http.StatusOK); me.user()["display_name"] != "hal" {
		t.Errorf("after the cross-origin attempts: %s", me.raw)
	}
	// The same requests from the site itself go through.
	v.header.Set("Origin", ts.ts.URL)
	v.header.Set("Sec-Fetch-Site", "same-origin")
	v.do("PATCH", "/api/me", map[string]any{"display_name": "Hal"}).must(t, http.StatusOK)
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	ts := newAccountServer(t, &accountSetup{clock: clock})
	newVisitor(t, ts).register("ivy", "ivy's password").must(t, http.StatusCreated)
	// Per username: five tries a minute, whatever the address; signing up
	// was the first.
	rule := DefaultAuthUserRule
	for i := range rule.Burst - 1 {
		v := newVisitor(t, ts)
		if r := v.login("ivy", "guess "+strconv.Itoa(i)); r.status != http.StatusUnauthorized {
			t.Fatalf("try %d: %d %s", i, r.status, r.raw)
		}
	}
	v := newVisitor(t, ts)
	r := v.login("ivy", "ivy's password")
	if r.status != http.StatusTooManyRequests || r.code() != "rate_limited" {
		t.Fatalf("try over the limit: %d %s", r.status, r.raw)
	}
	after, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || after < 1 || after > 60 {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// Another name is not limited by ivy's tries.
	if r := v.login("someone_else", "whatever pw"); r.status != http.StatusUnauthorized {
		t.Errorf("another username: %d %s", r.status, r.raw)
	}
	clock.Add(time.Duration(after) * time.Second)
	v.login("ivy", "ivy's password").must(t, http.StatusOK)

	// Per address: a flood of names from one address is cut off too.
	ipRule := DefaultAuthIPRule
	limited := false
	for i := range ipRule.Burst + 1 {
		if r := v.login("name"+strconv.Itoa(i), "whatever pw"); r.status == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("one address tried more names than its burst")
	}
}

func TestBusyHasherAnswers503(t *testing.T) {
	t.Parallel()
	// One hash at a time and nobody waiting: a held slot makes the next sign-in busy.
	ts := newAccountServer(t, nil)
	// The bound itself is account's (its hasher tests); here: busy is 503 with Retry-After.
	rec := httptest.NewRecorder()
	ts.srv.accountError(rec, httptest.NewRequest("POST", "/api/auth/login", nil), account.ErrBusy)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" || !strings.Contains(rec.Body.String(), `"code":"busy"`) {
		t.Errorf("busy: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}

func TestGuestGameKeptAfterRegister(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	guestID := v.guest("Jan").userID()
	c := v.dial()
	c.send(map[string]any{"type": "create", "name": "Jan", "settings": map[string]any{"rounds": 1}})
	w := c.next("welcome")
	if w.Player != guestID {
		t.Fatalf("seat player id %q, guest %q", w.Player, guestID)
	}
	p := &player{client: c, welcome: w, rng: rand.New(rand.NewPCG(3, 3))}
	c.send(map[string]any{"type": "add_cpu"})
	c.send(map[string]any{"type": "add_cpu"})
	c.until(func(f *frame) bool { return len(f.View.Seats) == 3 })
	c.send(map[string]any{"type": "start"})
	final := p.play()
	if final == nil || final.View.Result == nil || final.View.Result.Reason != game.ReasonCompleted {
		t.Fatal("the game did not complete")
	}
	before := gamePlayers(t, ts, w.GameID)
	if !slices.Contains(before, guestID) || len(before) != 3 {
		t.Fatalf("games.player_ids %v, guest %s", before, guestID)
	}
	cpus := 0
	for _, s := range final.View.Seats {
		if s.CPU {
			cpus++
			if slices.Contains(before, s.ID) && s.ID == guestID {
				t.Error("a CPU seat has the guest's id")
			}
		}
	}
	if cpus != 2 {
		t.Errorf("%d CPU seats marked", cpus)
	}

	r := v.register("jan_k", "jan's password").must(t, http.StatusCreated)
	if r.userID() != guestID {
		t.Fatalf("registered as %s, was guest %s", r.userID(), guestID)
	}
	after := gamePlayers(t, ts, w.GameID)
	if !slices.Equal(before, after) {
		t.Errorf("player_ids changed: %v → %v", before, after)
	}
	// And the account holds the game under its own id: nothing to link.
	if id, err := ts.accounts.CanonicalUserID(context.Background(), guestID); err != nil || id != guestID {
		t.Errorf("canonical id %q, %v", id, err)
	}
}

func TestGuestLoginBringsGames(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	owner := newVisitor(t, ts)
	account := owner.register("kim", "kim's password").must(t, http.StatusCreated).userID()

	v := newVisitor(t, ts)
	guestID := v.guest("Kim on a phone").userID()
	c := v.dial()
	c.send(map[string]any{"type": "create", "name": "Kim", "settings": map[string]any{"rounds": 1}})
	w := c.next("welcome")
	c.send(map[string]any{"type": "add_cpu"})
	c.until(func(f *frame) bool { return len(f.View.Seats) == 2 })
	c.send(map[string]any{"type": "start"})
	(&player{client: c, welcome: w, rng: rand.New(rand.NewPCG(4, 4))}).play()
	if ids := gamePlayers(t, ts, w.GameID); !slices.Contains(ids, guestID) {
		t.Fatalf("player_ids %v lack the guest %s", ids, guestID)
	}

	r := v.login("kim", "kim's password").must(t, http.StatusOK)
	if r.userID() != account {
		t.Fatalf("signed in as %s, want %s", r.userID(), account)
	}
	ctx := context.Background()
	if id, err := ts.accounts.CanonicalUserID(ctx, guestID); err != nil || id != account {
		t.Errorf("the guest's games count for %q (%v), want the account %s", id, err, account)
	}
	// The events still name the guest: nothing was rewritten.
	if ids := gamePlayers(t, ts, w.GameID); !slices.Contains(ids, guestID) {
		t.Errorf("player_ids rewritten: %v", ids)
	}
	// The visitor is the account now.
	if me := v.do("GET", "/api/me", nil).must(t, http.StatusOK); me.userID() != account {
		t.Errorf("me: %s", me.raw)
	}
}

// signedOut reports an answer to GET /api/me that names nobody: 401 for a
// session presented and over, or no user when the cookie was cleared.
func signedOut(r reply) bool {
	return r.status == http.StatusUnauthorized || r.status == http.StatusOK && r.body["user"] == nil
}

func gamePlayers(t *testing.T, ts *testServer, gameID string) []string {
	t.Helper()
	g, err := ts.st.Game(context.Background(), gameID)
	if err != nil {
		t.Fatal(err)
	}
	return g.PlayerIDs
}

func TestProfileAndPassword(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	ts := newAccountServer(t, &accountSetup{clock: clock})
	a := newVisitor(t, ts)
	a.register("lea", "lea's password").must(t, http.StatusCreated)
	b := newVisitor(t, ts)
	b.login("lea", "lea's password").must(t, http.StatusOK)

	r := a.do("PATCH", "/api/me", map[string]any{"display_name": "Léa", "email": "Lea@Example.org", "preferences": map[string]any{"sound": false}}).
		must(t, http.StatusOK)
	if u := r.user(); u["display_name"] != "Léa" || u["email"] != "lea@example.org" {
		t.Errorf("profile: %s", r.raw)
	}
	if r := a.do("PATCH", "/api/me", map[string]any{"display_name": ""}); r.status != http.StatusBadRequest || r.fields()["display_name"] != "invalid_display_name" {
		t.Errorf("empty display name: %d %s", r.status, r.raw)
	}
	// Wrong current password; too short a new one.
	if r := a.do("POST", "/api/me/password", map[string]any{"password": "nope nope", "new_password": "a new password"}); r.status != http.StatusUnauthorized {
		t.Errorf("wrong current password: %d %s", r.status, r.raw)
	}
	if r := a.do("POST", "/api/me/password", map[string]any{"password": "lea's password", "new_password": "short"}); r.status != http.StatusBadRequest || r.fields()["new_password"] != "invalid_password" {
		t.Errorf("short new password: %d %s", r.status, r.raw)
	}
	a.do("POST", "/api/me/password", map[string]any{"password": "lea's password", "new_password": "a new password"}).must(t, http.StatusNoContent)
	a.do("GET", "/api/me", nil).must(t, http.StatusOK) // this session stays
	if r := b.do("GET", "/api/me", nil); r.status != http.StatusUnauthorized {
		t.Errorf("other session after a password change: %d", r.status)
	}
	clock.Add(time.Minute) // password checks count against the username's sign-in limit
	newVisitor(t, ts).login("lea", "a new password").must(t, http.StatusOK)

	// Delete: the password is asked for; then the name is free again.
	if r := a.do("DELETE", "/api/me", map[string]any{"password": "wrong one"}); r.status != http.StatusUnauthorized {
		t.Errorf("delete with a wrong password: %d %s", r.status, r.raw)
	}
	a.do("DELETE", "/api/me", map[string]any{"password": "a new password"}).must(t, http.StatusNoContent)
	if r := a.do("GET", "/api/me", nil); !signedOut(r) {
		t.Errorf("me after delete: %d %s", r.status, r.raw)
	}
	newVisitor(t, ts).register("lea", "someone else's").must(t, http.StatusCreated)
}

func TestBadBodies(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	for _, body := range []string{"not json", `["a"]`, `{"username": 7}`, string(make([]byte, maxBody+1))} {
		req, _ := http.NewRequest("POST", ts.ts.URL+"/api/auth/login", strings.NewReader(body))
		res, err := v.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("body %.20q: %d", body, res.StatusCode)
		}
	}
}

// TestSignInSessionIsCurrent: the session a sign-in answers with is the
// caller's own, so it says "current": true, as GET /api/me and
// /api/me/sessions say of it (docs/api.md, "session").
func TestSignInSessionIsCurrent(t *testing.T) {
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	current := func(what string, r reply) {
		t.Helper()
		if s, _ := r.body["session"].(map[string]any); s["current"] != true {
			t.Errorf("%s: session %v, want current", what, r.body["session"])
		}
	}
	current("guest", v.guest("Ann"))
	current("guest again", v.do("POST", "/api/auth/guest", map[string]any{"name": "Ann"}).must(t, http.StatusOK))
	current("register", v.register("ann", "ann's password").must(t, http.StatusCreated))
	current("login", newVisitor(t, ts).login("ann", "ann's password").must(t, http.StatusOK))
	current("me", v.do("GET", "/api/me", nil).must(t, http.StatusOK))
}

// A socket with no account that takes a seat gets a guest of its own, with
// no session: nobody holds a token for it, so none is made to linger.
func TestSeatGuestWithoutAccount(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	c := dial(t, ts)
	c.send(map[string]any{"type": "create", "name": "Wire Bot"})
	w := c.next("welcome")
	ctx := context.Background()
	u, err := ts.st.User(ctx, w.Player)
	if err != nil {
		t.Fatalf("the seat's player %q is no user: %v", w.Player, err)
	}
	if u.DisplayName != "Wire Bot" || u.Username != "" || !u.IsActive {
		t.Errorf("seat guest %+v", u)
	}
	ss, err := ts.st.Sessions(ctx, u.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 0 {
		t.Errorf("the seat guest has %d sessions, want none", len(ss))
	}
	// None at all, not even a revoked one: the only user here is the
	// seat guest, so any session the purge finds was made for it.
	if n, err := ts.st.PurgeSessions(ctx, time.Now().Add(48*time.Hour)); err != nil || n != 0 {
		t.Errorf("purged %d sessions (%v), want none ever made", n, err)
	}
}
