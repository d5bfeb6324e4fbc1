package web

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"

	golfclient "golf/client"
	"golf/cluster/redistest"
	"golf/limit"
	"golf/metrics"
)

// The tests of issue 14's findings, over the wire. Clients at distinct
// addresses reach the test server through a "proxy" on loopback, which
// the server trusts: their X-Forwarded-For is believed.

var loopbackProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// dialFrom opens a socket as a client at addr (through the trusted
// proxy), with extra headers; it fails the test if the upgrade fails.
func dialFrom(t *testing.T, ts *testServer, addr string, h http.Header) *client {
	t.Helper()
	c, res, err := dialFromErr(t, ts, addr, h, "")
	if err != nil {
		t.Fatalf("dial from %s: %v (%v)", addr, err, res)
	}
	return c
}

func dialFromErr(t *testing.T, ts *testServer, addr string, h http.Header, host string) (*client, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hh := http.Header{}
	for k, v := range h {
		hh[k] = v
	}
	if addr != "" {
		hh.Set("X-Forwarded-For", addr)
	}
	conn, res, err := websocket.Dial(ctx, ts.url, &websocket.DialOptions{HTTPHeader: hh, Host: host})
	if err != nil {
		return nil, res, err
	}
	conn.SetReadLimit(1 << 20)
	c := &client{t: t, conn: conn, frames: make(chan *frame, 4096), closed: make(chan struct{})}
	go c.readLoop()
	t.Cleanup(func() { conn.CloseNow() })
	return c, res, nil
}

// get sends a GET as a client at addr ("" : no X-Forwarded-For).
func get(t *testing.T, ts *testServer, path, addr string, h http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// errorFor waits for the error frame answering command id.
func (c *client) errorFor(id int64) *frame {
	c.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case f, ok := <-c.frames:
			if !ok {
				c.t.Fatalf("connection closed (%v) while waiting for the error of command %d", c.status, id)
			}
			if f.Type == "error" && f.ID == id {
				return f
			}
		case <-timeout:
			c.t.Fatalf("no error frame with id %d", id)
		}
	}
}

// TestRoomFloodFromOneAddressIsLimited: one address creating rooms as
// fast as it can gets rate_limited (with its command's id) once over the
// limit, counted in golf_rate_limited_total; another address still
// creates rooms.
func TestRoomFloodFromOneAddressIsLimited(t *testing.T) {
	m := metrics.New()
	ts := newTestServer(t, func(c *testSetup) {
		c.TrustedProxies = loopbackProxies
		c.Limits.Create = limit.PerMinute("room_create", 1, 5)
		c.Deps.Metrics = m
	})
	const flooder = "203.0.113.9"
	for i := range 5 {
		c := dialFrom(t, ts, flooder, nil)
		c.send(map[string]any{"type": "create", "name": "Spam"})
		if w := c.next("welcome"); w.room() == "" {
			t.Fatalf("create %d: %s", i, w.raw)
		}
		c.conn.Close(websocket.StatusNormalClosure, "")
	}
	c := dialFrom(t, ts, flooder, nil)
	id := c.send(map[string]any{"type": "create", "name": "Spam"})
	if e := c.errorFor(id); e.Code != "rate_limited" {
		t.Fatalf("sixth create from one address: %s, want rate_limited", e.raw)
	}
	honest := dialFrom(t, ts, "198.51.100.4", nil)
	honest.send(map[string]any{"type": "create", "name": "Ann"})
	if w := honest.next("welcome"); w.room() == "" {
		t.Fatalf("create from another address: %s", w.raw)
	}
	if n := rateLimited(t, m, "room_create"); n != 1 {
		t.Errorf("golf_rate_limited_total{limit=room_create} = %v, want 1", n)
	}
}

// rateLimited reads golf_rate_limited_total{limit=name}.
func rateLimited(t *testing.T, m *metrics.Metrics, name string) float64 {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "golf_rate_limited_total" {
			continue
		}
		for _, mm := range mf.GetMetric() {
			for _, l := range mm.GetLabel() {
				if l.GetName() == "limit" && l.GetValue() == name {
					return mm.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestRoomLookupsBeyondTheLimitGet429: GET /api/rooms/{code} over the
// strict limit is 429 with Retry-After and a JSON error; watch frames
// from the same address draw on the same allowance; another address is
// not affected.
func TestRoomLookupsBeyondTheLimitGet429(t *testing.T) {
	ts := newTestServer(t, func(c *testSetup) {
		c.TrustedProxies = loopbackProxies
		c.Limits.Strict = limit.PerMinute("http_strict", 1, 3)
	})
	const prober = "203.0.113.20"
	for i := range 3 {
		if res, b := get(t, ts, "/api/rooms/QQQQ", prober, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("lookup %d: %d %s", i, res.StatusCode, b)
		}
	}
	res, b := get(t, ts, "/api/rooms/QQQQ", prober, nil)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fourth lookup: %d %s, want 429", res.StatusCode, b)
	}
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q, want 1..60 seconds", res.Header.Get("Retry-After"))
	}
	var e apiError
	if json.Unmarshal(b, &e) != nil || e.Code != "rate_limited" || e.Message == "" {
		t.Errorf("429 body %s, want {code: rate_limited, message}", b)
	}
	c := dialFrom(t, ts, prober, nil)
	id := c.send(map[string]any{"type": "watch", "room": "QQQQ"})
	if f := c.errorFor(id); f.Code != "rate_limited" {
		t.Errorf("watch over the lookup limit: %s, want rate_limited", f.raw)
	}
	if res, b := get(t, ts, "/api/rooms/QQQQ", "198.51.100.7", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("lookup from another address: %d %s", res.StatusCode, b)
	}
}

// TestForwardedForBelievedOnlyFromTrustedProxies: a peer outside
// GOLF_TRUSTED_PROXIES cannot dodge a limit by writing X-Forwarded-For;
// a trusted proxy's header names the client.
func TestForwardedForBelievedOnlyFromTrustedProxies(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		ts := newTestServer(t, func(c *testSetup) {
			if trusted {
				c.TrustedProxies = loopbackProxies
			}
			c.Limits.Strict = limit.PerMinute("http_strict", 1, 2)
		})
		limited := 0
		for i := range 4 {
			res, _ := get(t, ts, "/api/rooms/QQQQ", "192.0.2."+strconv.Itoa(i+1), nil)
			if res.StatusCode == http.StatusTooManyRequests {
				limited++
			}
		}
		if want := map[bool]int{false: 2, true: 0}[trusted]; limited != want {
			t.Errorf("trusted %v: %d of 4 lookups with spoofed addresses limited, want %d", trusted, limited, want)
		}
	}
}

// TestClientAddress: the rules of withClient, request by request.
func TestClientAddress(t *testing.T) {
	s := &Server{log: slog.New(slog.DiscardHandler), cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	tests := []struct {
		peer, xff, proto string
		ip               string
		https            bool
	}{
		{"203.0.113.1:5000", "", "", "203.0.113.1", false},
		{"203.0.113.1:5000", "1.2.3.4", "https", "203.0.113.1", false}, // untrusted: ignored
		{"10.0.0.2:5000", "1.2.3.4", "https", "1.2.3.4", true},
		{"10.0.0.2:5000", "6.6.6.6, 1.2.3.4", "http", "1.2.3.4", false}, // the client's own header before ours
		{"10.0.0.2:5000", "1.2.3.4, 10.0.0.9", "", "1.2.3.4", false},    // two trusted hops
		{"10.0.0.2:5000", "not-an-ip", "", "10.0.0.2", false},
		{"10.0.0.2:5000", "", "", "10.0.0.2", false},
		{"[::ffff:10.0.0.2]:5000", "2001:db8::1", "", "2001:db8::1", false},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		var ip string
		var https bool
		s.withClient(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ip, https = clientIP(r), secureRequest(r)
		})).ServeHTTP(httptest.NewRecorder(), r)
		if ip != tc.ip || https != tc.https {
			t.Errorf("peer %s, X-Forwarded-For %q, proto %q: client %s https %v, want %s %v", tc.peer, tc.xff, tc.proto, ip, https, tc.ip, tc.https)
		}
	}
}

// TestFirstFrameDeadlineIsNotResetByFailures: a socket has one deadline
// to be in a room. Failing watch after watch does not move it, and it is
// closed with 1008 as docs/protocol.md says; so is a silent socket.
func TestFirstFrameDeadlineIsNotResetByFailures(t *testing.T) {
	const deadline = 400 * time.Millisecond
	ts := newTestServer(t, func(c *testSetup) { c.HandshakeTimeout = deadline })

	silent := dial(t, ts)
	start := time.Now()
	if code := silent.closedWith(); code != websocket.StatusPolicyViolation {
		t.Errorf("silent socket closed with %v, want 1008", code)
	}
	if took := time.Since(start); took > 5*deadline {
		t.Errorf("silent socket closed after %v, want about %v", took, deadline)
	}

	c := dial(t, ts)
	start = time.Now()
	stop := make(chan struct{})
	go func() {
		tk := time.NewTicker(deadline / 4)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				c.send(map[string]any{"type": "watch", "room": "QQQQ"})
			}
		}
	}()
	code := c.closedWith()
	close(stop)
	if code != websocket.StatusPolicyViolation {
		t.Errorf("socket failing watch closed with %v, want 1008", code)
	}
	if took := time.Since(start); took > 5*deadline {
		t.Errorf("socket failing watch closed after %v, want about %v", took, deadline)
	}
	failed := 0
	for _, f := range c.received() {
		if f.Type == "error" && f.Code == "room_not_found" && f.ID > 0 {
			failed++
		}
	}
	if failed < 2 {
		t.Errorf("%d failed watches answered before the close, want several", failed)
	}

	// In a room in time, the deadline is over: the socket stays.
	p := create(t, ts, "Ann", nil)
	time.Sleep(2 * deadline)
	p.send(map[string]any{"type": "add_cpu"})
	p.until(func(f *frame) bool { return len(f.View.Seats) == 2 })
}

// TestRateLimitedCarriesTheCommandID: every frame refused by the frame
// rate is answered with rate_limited and its own id.
func TestRateLimitedCarriesTheCommandID(t *testing.T) {
	ts := newTestServer(t, func(c *testSetup) { c.Rate, c.Burst = 0.01, 3 })
	p := create(t, ts, "Ann", nil) // one token
	var ids []int64
	for range 4 {
		ids = append(ids, p.send(map[string]any{"type": "add_cpu"}))
	}
	// Two tokens left: the first two are taken, the others refused.
	for _, id := range ids[2:] {
		if e := p.errorFor(id); e.Code != "rate_limited" {
			t.Errorf("frame %d: %s, want rate_limited", id, e.raw)
		}
	}
}

// TestSecurityHeadersOnEveryResponse: pages, files, API answers, errors,
// 404s, 405s, 429s and refused sockets all carry the hardening headers;
// HSTS only when the client came over TLS (here: a trusted proxy says so).
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	ts := newTestServer(t, func(c *testSetup) {
		c.Client = clientFS()
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		c.Limits.Strict = limit.PerMinute("http_strict", 1, 1)
	})
	paths := []string{"/", "/r/ABCD", "/rules", "/js/main.js", "/style.css", "/favicon.svg", "/i18n/en.json",
		"/api/rules", "/api/profiles", "/api/rooms/QQQQ", "/api/rooms/QQQQ" /* 429 */, "/nope", "/js/", "/healthz", "/health", "/ws"}
	check := func(what string, h http.Header, wantHSTS bool) {
		t.Helper()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", what, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q allows inline code", what, csp)
		}
		for k, v := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s %q, want %q", what, k, h.Get(k), v)
			}
		}
		if got := h.Get("Strict-Transport-Security") != ""; got != wantHSTS {
			t.Errorf("%s: HSTS %q, want it: %v", what, h.Get("Strict-Transport-Security"), wantHSTS)
		}
	}
	statuses := map[int]bool{}
	for _, p := range paths {
		res, _ := get(t, ts, p, "", nil)
		statuses[res.StatusCode] = true
		check("GET "+p, res.Header, false)
	}
	for _, st := range []int{200, 404, 426, 429} {
		if !statuses[st] {
			t.Errorf("no answer with status %d was checked (got %v)", st, statuses)
		}
	}
	req, _ := http.NewRequest("POST", ts.ts.URL+"/api/rules", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	check("POST /api/rules (405)", res.Header, false)
	_, res, err = dialFromErr(t, ts, "", nil, "evil.example")
	if err == nil || res == nil {
		t.Fatalf("socket under a foreign host accepted")
	}
	check("refused socket", res.Header, false)

	// Over TLS at the trusted proxy: HSTS. The same claim from elsewhere
	// (the header alone) is not believed.
	res, _ = get(t, ts, "/", "", http.Header{"X-Forwarded-Proto": {"https"}})
	check("GET / via the TLS proxy", res.Header, true)
	untrusted := newTestServer(t, func(c *testSetup) { c.Client = clientFS() })
	res, _ = get(t, untrusted, "/", "", http.Header{"X-Forwarded-Proto": {"https"}})
	check("GET / claiming https from an untrusted peer", res.Header, false)
}

// TestNoDirectoryListings: GET /js/ lists nothing; the files are served.
func TestNoDirectoryListings(t *testing.T) {
	ts := newTestServer(t, func(c *testSetup) { c.Client = clientFS() })
	for _, p := range []string{"/js/", "/js", "/i18n/", "/js/../js/"} {
		res, b := get(t, ts, p, "", nil)
		if res.StatusCode == http.StatusOK || strings.Contains(string(b), "main.js") || strings.Contains(string(b), "en.json") {
			t.Errorf("GET %s: %d %.200s, want no listing", p, res.StatusCode, b)
		}
	}
	if res, _ := get(t, ts, "/js/main.js", "", nil); res.StatusCode != http.StatusOK {
		t.Errorf("GET /js/main.js: %d", res.StatusCode)
	}
	if res, b := get(t, ts, "/", "", nil); res.StatusCode != http.StatusOK || !strings.Contains(string(b), "/js/main.js") {
		t.Errorf("GET /: %d", res.StatusCode)
	}
}

// TestWebSocketOnlyUnderConfiguredHosts: a page of a hostile domain
// rebound to this server sends its own name as Host and Origin: refused.
// The public host, localhost and IP addresses are served.
func TestWebSocketOnlyUnderConfiguredHosts(t *testing.T) {
	ts := newTestServer(t, func(c *testSetup) { c.PublicHosts = []string{"golf.example.com"} })
	port := ts.ts.URL[strings.LastIndex(ts.ts.URL, ":")+1:]
	for _, tc := range []struct {
		host, origin string
		ok           bool
	}{
		{"evil.example:" + port, "http://evil.example:" + port, false},
		{"evil.example", "", false},
		{"golf.example.com.evil.example", "http://golf.example.com.evil.example", false},
		{"golf.example.com", "https://golf.example.com", true},
		{"localhost:" + port, "http://localhost:" + port, true},
		{"127.0.0.1:" + port, "", true},
		{"[::1]:" + port, "", true},
		{"golf.example.com", "https://evil.example", false}, // a foreign page, as before
	} {
		h := http.Header{}
		if tc.origin != "" {
			h.Set("Origin", tc.origin)
		}
		c, res, err := dialFromErr(t, ts, "", h, tc.host)
		if tc.ok != (err == nil) {
			t.Errorf("Host %s, Origin %s: err %v, want accepted %v", tc.host, tc.origin, err, tc.ok)
		}
		if !tc.ok && (res == nil || res.StatusCode != http.StatusForbidden) {
			t.Errorf("Host %s: want 403, got %v", tc.host, res)
		}
		if c != nil {
			c.conn.CloseNow()
		}
	}
}

// TestInvisibleAndLabelNamesRefused: names that show nothing, or pass
// for the server's label, are invalid_name (with the command's id).
func TestInvisibleAndLabelNamesRefused(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, name := range []string{"\u3164", "\u2800\u2800", "[server] Host", "\u3164 \u3164", "\uffa0"} {
		c := dial(t, ts)
		id := c.send(map[string]any{"type": "create", "name": name})
		if e := c.errorFor(id); e.Code != "invalid_name" {
			t.Errorf("create as %q: %s, want invalid_name", name, e.raw)
		}
	}
	host := create(t, ts, "Ann", nil)
	c := dial(t, ts)
	id := c.send(map[string]any{"type": "join", "room": host.welcome.room(), "name": "\u3164"})
	if e := c.errorFor(id); e.Code != "invalid_name" {
		t.Errorf("join as a Hangul filler: %s, want invalid_name", e.raw)
	}
}

// TestKickedBrowserCannotRejoin: with accounts, a kicked player's browser
// (its session cookie, so its user) and its address cannot join that room
// again under another name or a fresh guest; another address can.
func TestKickedBrowserCannotRejoin(t *testing.T) {
	ts := newAccountServer(t, &accountSetup{edit: func(c *testSetup) { c.TrustedProxies = loopbackProxies }})
	browser := func(addr, name string) *visitor {
		v := newVisitor(t, ts)
		v.header.Set("X-Forwarded-For", addr)
		if name != "" {
			v.guest(name)
		}
		return v
	}
	sock := func(v *visitor) *client {
		h := http.Header{}
		if ck := v.cookie(); ck != "" {
			h.Set("Cookie", sessionCookie+"="+ck)
		}
		return dialFrom(t, ts, v.header.Get("X-Forwarded-For"), h)
	}
	host := sock(browser("198.51.100.1", "Hana"))
	host.send(map[string]any{"type": "create", "name": "Hana"})
	room := host.next("welcome").room()

	troll := browser("198.51.100.2", "Troll")
	tc := sock(troll)
	tc.send(map[string]any{"type": "join", "room": room, "name": "Troll"})
	victim := tc.next("welcome").Player
	host.send(map[string]any{"type": "remove", "player_id": victim})
	if code := tc.closedWith(); code != websocket.StatusPolicyViolation {
		t.Fatalf("kicked socket closed with %v, want 1008", code)
	}
	for _, try := range []struct {
		what string
		v    *visitor
	}{
		{"the same browser, a new name", troll},
		{"a fresh guest from the same address", browser("198.51.100.2", "Innocent")},
		{"no session at all from the same address", browser("198.51.100.2", "")},
	} {
		c := sock(try.v)
		id := c.send(map[string]any{"type": "join", "room": room, "name": "Nice"})
		if e := c.errorFor(id); e.Code != "kicked" {
			t.Errorf("%s: %s, want kicked", try.what, e.raw)
		}
	}
	other := sock(browser("198.51.100.3", "Olga"))
	other.send(map[string]any{"type": "join", "room": room, "name": "Olga"})
	other.next("welcome")
}

func clientFS() fs.FS { return golfclient.FS }

// TestRoomLookupRevealsOnlyWhatJoiningNeeds: GET /api/rooms/{code} gives
// the join screen's facts and nothing else: no ids, no tokens, no count
// of who watches.
func TestRoomLookupRevealsOnlyWhatJoiningNeeds(t *testing.T) {
	ts := newTestServer(t, nil)
	host := create(t, ts, "Ann", nil)
	host.send(map[string]any{"type": "add_cpu"})
	host.until(func(f *frame) bool { return len(f.View.Seats) == 2 })
	w := dial(t, ts)
	w.send(map[string]any{"type": "watch", "room": host.welcome.room()})
	w.next("welcome")
	var got map[string]any
	b := getJSON(t, ts, "/api/rooms/"+host.welcome.room(), http.StatusOK, &got)
	if len(got) != 3 || got["code"] != host.welcome.room() || got["phase"] != "waiting" || got["seats"] == nil {
		t.Errorf("lookup %s: want exactly code, phase and seats", b)
	}
	for _, secret := range []string{host.welcome.Player, host.welcome.GameID, host.welcome.Token, "spectators"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("lookup %s reveals %q", b, secret)
		}
	}
	for _, s := range got["seats"].([]any) {
		if m := s.(map[string]any); len(m) != 2 || m["name"] == nil || m["cpu"] == nil {
			t.Errorf("seat %v: want only name and cpu", m)
		}
	}
}

// TestRoomCreationLimitedPerUserToo: one session spreading its creates
// over several addresses still meets its own limit; another user at the
// same new address does not.
func TestRoomCreationLimitedPerUserToo(t *testing.T) {
	ts := newAccountServer(t, &accountSetup{edit: func(c *testSetup) {
		c.TrustedProxies = loopbackProxies
		c.Limits.Create = limit.PerMinute("room_create", 1, 2)
	}})
	v := newVisitor(t, ts)
	v.guest("Spammer")
	h := http.Header{"Cookie": {sessionCookie + "=" + v.cookie()}}
	for i, addr := range []string{"192.0.2.1", "192.0.2.2"} {
		c := dialFrom(t, ts, addr, h)
		c.send(map[string]any{"type": "create", "name": "Spam"})
		if w := c.next("welcome"); w.room() == "" {
			t.Fatalf("create %d: %s", i, w.raw)
		}
	}
	c := dialFrom(t, ts, "192.0.2.3", h)
	id := c.send(map[string]any{"type": "create", "name": "Spam"})
	if e := c.errorFor(id); e.Code != "rate_limited" {
		t.Fatalf("third create of one user from a third address: %s, want rate_limited", e.raw)
	}
	other := newVisitor(t, ts)
	other.header.Set("X-Forwarded-For", "192.0.2.3")
	other.guest("Olga")
	oc := dialFrom(t, ts, "192.0.2.3", http.Header{"Cookie": {sessionCookie + "=" + other.cookie()}})
	oc.send(map[string]any{"type": "create", "name": "Olga"})
	oc.next("welcome")
}

// TestTwoInstancesShareOneLimit: two servers whose limiters share the
// real Redis refuse one client address's lookups once their sum is over
// the limit, wherever the lookups land.
func TestTwoInstancesShareOneLimit(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	shared := func(t *testing.T) func(limit.Rule) limit.Limiter {
		rdb := redis.NewClient(opt) // each instance its own connection
		t.Cleanup(func() { rdb.Close() })
		return func(r limit.Rule) limit.Limiter { return limit.NewRedis(rdb, prefix, r) }
	}
	var servers []*testServer
	for range 2 {
		servers = append(servers, newTestServer(t, func(c *testSetup) {
			c.TrustedProxies = loopbackProxies
			c.Limits.Strict = limit.PerMinute("http_strict", 1, 4)
			c.Deps.Limiter = shared(t)
		}))
	}
	var got []int
	for i := range 8 {
		res, _ := get(t, servers[i%2], "/api/rooms/QQQQ", "203.0.113.77", nil)
		got = append(got, res.StatusCode)
	}
	want := []int{404, 404, 404, 404, 429, 429, 429, 429}
	if !slices.Equal(got, want) {
		t.Errorf("lookups alternating between two instances: %v, want %v (one limit of 4)", got, want)
	}
	if res, _ := get(t, servers[1], "/api/rooms/QQQQ", "203.0.113.78", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("another address: %d", res.StatusCode)
	}
}
