package web

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/game"
)

func TestRevokedSessionCannotConnect(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	v.register("mia", "mia's password").must(t, http.StatusCreated)
	cookie := v.cookie()
	c := v.dial() // a live socket of the session
	c.send(map[string]any{"type": "create", "name": "Mia"})
	c.next("welcome")

	v.do("POST", "/api/auth/logout", nil).must(t, http.StatusNoContent)
	// The live socket of the revoked session is closed…
	if code := c.closedWith(); code != websocket.StatusPolicyViolation {
		t.Errorf("socket of a revoked session closed with %v", code)
	}
	if f := lastError(c); f == nil || f.Code != "signed_out" {
		t.Errorf("no signed_out error before the close: %v", f)
	}
	// …and the session cannot open another.
	stale := newVisitor(t, ts)
	stale.jar.SetCookies(mustURL(ts), []*http.Cookie{{Name: sessionCookie, Value: cookie}})
	_, res, err := stale.dialErr()
	if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("dial with a revoked session: %v, %v", err, res)
	}
}

func lastError(c *client) *frame {
	var last *frame
	for _, f := range c.received() {
		if f.Type == "error" {
			last = f
		}
	}
	return last
}

func TestBanClosesSocketAndSeatGoesToCPU(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, &accountSetup{edit: func(c *testSetup) {
		c.Live.Grace = 50 * time.Millisecond
	}})
	admin := makeAdmin(t, ts, "boss", "boss's password")

	host := newVisitor(t, ts)
	host.guest("Host")
	hc := host.dial()
	hc.send(map[string]any{"type": "create", "name": "Host", "settings": map[string]any{"rounds": 1}})
	hw := hc.next("welcome")
	code := hw.room()

	troll := newVisitor(t, ts)
	trollID := troll.guest("Troll").userID()
	tc := troll.dial()
	tc.send(map[string]any{"type": "join", "room": code, "name": "Troll"})
	tw := tc.next("welcome")
	if tw.Player != trollID {
		t.Fatalf("seat %q, user %q", tw.Player, trollID)
	}
	hc.until(func(f *frame) bool { return len(f.View.Seats) == 2 })
	hc.send(map[string]any{"type": "start"})
	hc.until(func(f *frame) bool { return f.View.Phase != game.PhaseWaiting })

	start := time.Now()
	b := admin.do("POST", "/api/admin/users/"+trollID+"/ban", map[string]any{"reason": "spamming the table", "expires_in": 3600}).
		must(t, http.StatusCreated)
	// The close was queued before the ban was answered: nothing here waits on a timer.
	if n := ts.srv.conns.count(trollID); n != 0 {
		t.Errorf("%d sockets of the banned user still indexed after the ban answered", n)
	}
	if code := tc.closedWith(); code != websocket.StatusPolicyViolation {
		t.Errorf("banned user's socket closed with %v", code)
	}
	t.Logf("socket closed %v after the ban was sent", time.Since(start))
	if f := lastError(tc); f == nil || f.Code != "banned" {
		t.Errorf("no banned error before the close: %v", f)
	}
	if b.body["active"] != true || b.body["expires_at"] == nil {
		t.Errorf("ban: %s", b.raw)
	}
	// Like any disconnection: after the grace period the platform plays the seat.
	hc.until(func(f *frame) bool {
		s := f.View.Seats[tw.Seat]
		return f.View.Phase == game.PhaseGameOver || s.Auto
	})
	// The seat token does not bring them back, cookie or not.
	for _, withCookie := range []bool{false, true} {
		v := newVisitor(t, ts)
		if withCookie {
			v = troll
		}
		c, res, err := v.dialErr()
		if withCookie {
			if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
				t.Errorf("banned session opened a socket: %v %v", err, res)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		c.send(map[string]any{"type": "resume", "room": code, "token": tw.Token})
		if f := c.next("error"); f.Code != "banned" {
			t.Errorf("resume by a banned user's token: %s", f.raw)
		}
	}
	// Unbanned, they are back in with the same session.
	admin.do("DELETE", "/api/admin/users/"+trollID+"/ban", nil).must(t, http.StatusNoContent)
	troll.do("GET", "/api/me", nil).must(t, http.StatusOK)
}

func TestBanExpiresByItself(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	ts := newAccountServer(t, &accountSetup{clock: clock})
	admin := makeAdmin(t, ts, "boss", "boss's password")
	v := newVisitor(t, ts)
	id := v.register("nia", "nia's password").must(t, http.StatusCreated).userID()
	admin.do("POST", "/api/admin/users/"+id+"/ban", map[string]any{"reason": "cool off", "expires_in": 600}).must(t, http.StatusCreated)
	r := v.do("GET", "/api/me", nil)
	if r.status != http.StatusForbidden || r.code() != "banned" || r.body["until"] == nil {
		t.Fatalf("banned me: %d %s", r.status, r.raw)
	}
	if r := newVisitor(t, ts).login("nia", "nia's password"); r.status != http.StatusForbidden || r.code() != "banned" {
		t.Errorf("banned login: %d %s", r.status, r.raw)
	}
	clock.Add(601 * time.Second)
	v.do("GET", "/api/me", nil).must(t, http.StatusOK)
}

func TestAdminRolesAndAudit(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	admin := makeAdmin(t, ts, "root_user", "root's password")
	adminID := admin.do("GET", "/api/me", nil).must(t, http.StatusOK).userID()
	p := newVisitor(t, ts)
	pid := p.register("olga", "olga's password").must(t, http.StatusCreated).userID()

	// Players are refused every admin route.
	for _, tc := range []struct{ method, path string }{
		{"GET", "/api/admin/users"}, {"GET", "/api/admin/games"}, {"GET", "/api/admin/audit"},
		{"POST", "/api/admin/users/" + adminID + "/ban"}, {"PUT", "/api/admin/users/" + pid + "/role"},
	} {
		if r := p.do(tc.method, tc.path, map[string]any{"role": "admin", "reason": "x"}); r.status != http.StatusForbidden || r.code() != "forbidden" {
			t.Errorf("player %s %s: %d %s", tc.method, tc.path, r.status, r.raw)
		}
	}
	if r := newVisitor(t, ts).do("GET", "/api/admin/users", nil); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous admin call: %d", r.status)
	}
	found := admin.do("GET", "/api/admin/users?q=OL", nil).must(t, http.StatusOK)
	if us, _ := found.body["users"].([]any); len(us) != 1 || us[0].(map[string]any)["id"] != pid {
		t.Errorf("find: %s", found.raw)
	}
	// The last admin cannot demote themselves.
	if r := admin.do("PUT", "/api/admin/users/"+adminID+"/role", map[string]any{"role": "player"}); r.status != http.StatusConflict || r.code() != "last_admin" {
		t.Errorf("demote the last admin: %d %s", r.status, r.raw)
	}
	admin.do("PUT", "/api/admin/users/"+pid+"/role", map[string]any{"role": "admin"}).must(t, http.StatusOK)
	// Admins are not banned.
	if r := admin.do("POST", "/api/admin/users/"+pid+"/ban", map[string]any{"reason": "x"}); r.status != http.StatusConflict || r.code() != "target_is_admin" {
		t.Errorf("ban an admin: %d %s", r.status, r.raw)
	}
	// The new admin demotes the first; now the first is refused at once.
	p.do("PUT", "/api/admin/users/"+adminID+"/role", map[string]any{"role": "player"}).must(t, http.StatusOK)
	if r := admin.do("GET", "/api/admin/audit", nil); r.status != http.StatusForbidden {
		t.Errorf("demoted admin: %d", r.status)
	}
	if r := p.do("PUT", "/api/admin/users/"+pid+"/role", map[string]any{"role": "emperor"}); r.status != http.StatusBadRequest {
		t.Errorf("bad role: %d %s", r.status, r.raw)
	}
	audit := p.do("GET", "/api/admin/audit?limit=10", nil).must(t, http.StatusOK)
	es, _ := audit.body["entries"].([]any)
	var actions []string
	for _, e := range es {
		m := e.(map[string]any)
		actions = append(actions, m["action"].(string)+":"+str(m["actor"])+"→"+str(m["target"]))
	}
	want := []string{"set_role:olga→root_user", "set_role:root_user→olga", "set_role:→root_user"}
	if strings.Join(actions, " ") != strings.Join(want, " ") {
		t.Errorf("audit log %v, want %v", actions, want)
	}
}

func str(v any) string { s, _ := v.(string); return s }

func TestAdminEndsStuckGame(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	admin := makeAdmin(t, ts, "boss", "boss's password")
	v := newVisitor(t, ts)
	v.guest("Pat")
	c := v.dial()
	c.send(map[string]any{"type": "create", "name": "Pat"})
	w := c.next("welcome")
	c.send(map[string]any{"type": "add_cpu"})
	c.until(func(f *frame) bool { return len(f.View.Seats) == 2 })
	c.send(map[string]any{"type": "start"})
	c.until(func(f *frame) bool { return f.View.Phase != game.PhaseWaiting })

	list := admin.do("GET", "/api/admin/games", nil).must(t, http.StatusOK)
	gs, _ := list.body["games"].([]any)
	if len(gs) != 1 || gs[0].(map[string]any)["id"] != w.GameID || gs[0].(map[string]any)["open"] != true {
		t.Fatalf("active games: %s", list.raw)
	}
	admin.do("POST", "/api/admin/games/"+w.GameID+"/end", nil).must(t, http.StatusNoContent)
	f := c.until(func(f *frame) bool { return f.View.Phase == game.PhaseGameOver })
	if f.View.Result == nil || f.View.Result.Reason != game.ReasonAbandoned {
		t.Errorf("result %+v", f.View.Result)
	}
	evs := storedEvents(t, ts, w.GameID)
	if end, ok := evs[len(evs)-1].(game.GameEnded); !ok || end.Reason != game.ReasonAbandoned {
		t.Errorf("last event %#v", evs[len(evs)-1])
	}
	if r := admin.do("POST", "/api/admin/games/"+w.GameID+"/end", nil); r.status != http.StatusConflict || r.code() != "game_over" {
		t.Errorf("ending it again: %d %s", r.status, r.raw)
	}
	if r := admin.do("POST", "/api/admin/games/00000000-0000-4000-8000-000000000000/end", nil); r.status != http.StatusNotFound {
		t.Errorf("ending an unknown game: %d %s", r.status, r.raw)
	}
	audit := admin.do("GET", "/api/admin/audit?limit=1", nil).must(t, http.StatusOK)
	e := audit.body["entries"].([]any)[0].(map[string]any)
	if e["action"] != "end_game" || e["detail"].(map[string]any)["game_id"] != w.GameID || e["actor"] != "boss" {
		t.Errorf("audit: %s", audit.raw)
	}
}

func TestOneSeatPerUser(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	v.register("quinn", "quinn's password").must(t, http.StatusCreated)
	c1 := v.dial()
	c1.send(map[string]any{"type": "create", "name": "Quinn"})
	w1 := c1.next("welcome")
	// A second tab (or a second browser signed in as quinn) joining the
	// same room takes the same seat over; the first is let go.
	other := newVisitor(t, ts)
	other.login("quinn", "quinn's password").must(t, http.StatusOK)
	c2 := other.dial()
	c2.send(map[string]any{"type": "join", "room": w1.room(), "name": "Quinn again"})
	w2 := c2.next("welcome")
	if w2.Seat != w1.Seat || w2.Player != w1.Player || w2.Token != w1.Token {
		t.Errorf("second join: seat %d %s, first %d %s", w2.Seat, w2.Player, w1.Seat, w1.Player)
	}
	if f := c1.next("error"); f.Code != "replaced" {
		t.Errorf("first tab: %s", f.raw)
	}
	st := c2.until(func(f *frame) bool { return true })
	if len(st.View.Seats) != 1 {
		t.Errorf("%d seats, want 1", len(st.View.Seats))
	}
}

// TestNoSecretsInLogs runs a whole session of sign-up, sign-in, play and
// sign-out with the log at debug level and looks for every password and
// token in it.
func TestNoSecretsInLogs(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := newAccountServer(t, &accountSetup{edit: func(c *testSetup) {
		c.Logger = log
		c.Live.Logger = log
	}})
	secrets := []string{"rosa's secret pw", "an even newer pw", "wrong guess pw"}
	v := newVisitor(t, ts)
	v.guest("Rosa")
	secrets = append(secrets, v.cookie())
	c := v.dial()
	c.send(map[string]any{"type": "create", "name": "Rosa", "settings": map[string]any{"rounds": 1}})
	w := c.next("welcome")
	secrets = append(secrets, w.Token)
	c.send(map[string]any{"type": "add_cpu"})
	c.until(func(f *frame) bool { return len(f.View.Seats) == 2 })
	c.send(map[string]any{"type": "start"})
	(&player{client: c, welcome: w, rng: rand.New(rand.NewPCG(5, 5))}).play()

	r := v.do("POST", "/api/auth/register", map[string]any{"username": "rosa", "password": secrets[0], "bearer": true}).must(t, http.StatusCreated)
	secrets = append(secrets, r.body["token"].(string))
	newVisitor(t, ts).login("rosa", secrets[2])
	b := newVisitor(t, ts)
	b.login("rosa", secrets[0]).must(t, http.StatusOK)
	secrets = append(secrets, b.cookie())
	v.do("POST", "/api/me/password", map[string]any{"password": secrets[0], "new_password": secrets[1]}).must(t, http.StatusNoContent)
	// A bad token on a socket is logged as refused, not shown.
	bad := newVisitor(t, ts)
	bad.jar.SetCookies(mustURL(ts), []*http.Cookie{{Name: sessionCookie, Value: strings.Repeat("A", 43)}})
	bad.dialErr()
	secrets = append(secrets, strings.Repeat("A", 43))
	v.do("POST", "/api/auth/logout", nil).must(t, http.StatusNoContent)

	out := buf.String()
	if !strings.Contains(out, "user registered") || !strings.Contains(out, "level=DEBUG") && !strings.Contains(out, "level=INFO") {
		t.Fatalf("the log is not what this test thinks: %s", out)
	}
	for _, s := range secrets {
		if s == "" {
			t.Fatal("a secret is empty: the test lost it")
		}
		if strings.Contains(out, s) {
			t.Errorf("the log holds a secret %.6q…", s)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// memNotices is a bus shared by the servers of one test.
type memNotices struct {
	mu sync.Mutex
	hs []func([]byte)
}

type memNotice struct{ bus *memNotices }

func (n memNotice) Publish(_ context.Context, msg []byte) error {
	n.bus.mu.Lock()
	hs := append([]func([]byte){}, n.bus.hs...)
	n.bus.mu.Unlock()
	for _, h := range hs {
		h(msg)
	}
	return nil
}

func (n memNotice) Listen(h func([]byte)) {
	n.bus.mu.Lock()
	n.bus.hs = append(n.bus.hs, h)
	n.bus.mu.Unlock()
}

func TestRevocationReachesOtherInstances(t *testing.T) {
	t.Parallel()
	bus := &memNotices{}
	a := newAccountServer(t, &accountSetup{edit: func(c *testSetup) { c.Deps.Notices = memNotice{bus} }})
	// A second instance over the same accounts (its own store for games).
	b := newTestServer(t, func(c *testSetup) {
		c.Deps.Notices = memNotice{bus}
		c.Deps.Accounts = a.accounts
	})
	v := newVisitor(t, a)
	v.register("sam", "sam's password").must(t, http.StatusCreated)
	onB := &visitor{t: t, ts: b, jar: v.jar, http: v.http, header: http.Header{}}
	onB.jar.SetCookies(mustURL(b), []*http.Cookie{{Name: sessionCookie, Value: v.cookie()}})
	c := onB.dial()
	c.send(map[string]any{"type": "create", "name": "Sam"})
	c.next("welcome")
	v.do("POST", "/api/auth/logout-all", nil).must(t, http.StatusOK)
	if code := c.closedWith(); code != websocket.StatusPolicyViolation {
		t.Errorf("socket on the other instance closed with %v", code)
	}
}

func TestReservedSeatNames(t *testing.T) {
	t.Parallel()
	ts := newAccountServer(t, nil)
	v := newVisitor(t, ts)
	v.register("tom", "tom's password").must(t, http.StatusCreated)
	for _, withSession := range []bool{true, false} {
		c := dial(t, ts)
		if withSession {
			c = v.dial()
		}
		for _, name := range []string{"Admin", "Maya", "Bot 7"} {
			c.send(map[string]any{"type": "create", "name": name})
			if f := c.next("error"); f.Code != "invalid_name" {
				t.Errorf("create as %q (session %v): %s", name, withSession, f.raw)
			}
		}
		c.send(map[string]any{"type": "create", "name": "Player 7"})
		c.next("welcome")
	}
}
