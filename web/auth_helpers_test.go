package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/account"
	"golf/limit"
)

// fakeClock is a settable clock for sessions, bans and rate limits.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	// Near the real time: browsers and cookie jars drop cookies that
	// expired by their own clocks.
	return &fakeClock{now: time.Now().UTC().Truncate(time.Second)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// cheapHash keeps the HTTP tests' password checks fast; account's own
// tests and the benchmark use the real parameters.
var cheapHash = account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// accountSetup is an accounts server's clock and limiters.
type accountSetup struct {
	clock           *fakeClock
	ipLim, userLim  *limit.Memory
	concurrentHash  int
	waitingHash     int
	edit            func(*testSetup)
	accountsCfgEdit func(*account.Config)
}

// newAccountServer runs the whole server with accounts on, a fake clock
// for sessions and the sign-in limiters, and cheap password hashes.
func newAccountServer(t *testing.T, as *accountSetup) *testServer {
	t.Helper()
	if as == nil {
		as = &accountSetup{}
	}
	if as.clock == nil {
		as.clock = newFakeClock()
	}
	if as.ipLim == nil {
		as.ipLim = limit.NewMemory(DefaultAuthIPRule, as.clock.Now)
	}
	if as.userLim == nil {
		as.userLim = limit.NewMemory(DefaultAuthUserRule, as.clock.Now)
	}
	h, err := account.NewHasher(cheapHash, as.concurrentHash, as.waitingHash-1)
	if err != nil {
		t.Fatal(err)
	}
	return newTestServer(t, func(c *testSetup) {
		ac := account.Config{Clock: as.clock.Now, Hasher: h}
		if as.accountsCfgEdit != nil {
			as.accountsCfgEdit(&ac)
		}
		c.Accounts = &ac
		c.Deps.AuthIPLimit, c.Deps.AuthUserLimit = as.ipLim, as.userLim
		if as.edit != nil {
			as.edit(c)
		}
	})
}

// visitor is one browser: its own cookie jar.
type visitor struct {
	t    *testing.T
	ts   *testServer
	http *http.Client
	jar  *cookiejar.Jar
	// header is sent with every request (Origin, Sec-Fetch-Site, …).
	header http.Header
}

func newVisitor(t *testing.T, ts *testServer) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: t, ts: ts, jar: jar, http: &http.Client{Jar: jar, Timeout: 20 * time.Second}, header: http.Header{}}
}

// reply is an HTTP answer, decoded loosely.
type reply struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r reply) code() string { s, _ := r.body["code"].(string); return s }

func (r reply) fields() map[string]any { f, _ := r.body["fields"].(map[string]any); return f }

func (r reply) user() map[string]any { u, _ := r.body["user"].(map[string]any); return u }

func (r reply) userID() string { id, _ := r.user()["id"].(string); return id }

func (v *visitor) do(method, path string, body any) reply {
	v.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, v.ts.ts.URL+path, rd)
	if err != nil {
		v.t.Fatal(err)
	}
	for k, vs := range v.header {
		req.Header[k] = vs
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := v.http.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := reply{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 && res.Header.Get("Content-Type") == "application/json" {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			v.t.Fatalf("%s %s: bad JSON %s", method, path, raw)
		}
	}
	return r
}

// must fails the test unless the answer has status want.
func (r reply) must(t *testing.T, want int) reply {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.raw)
	}
	return r
}

// cookie returns the session cookie the visitor holds, "" if none.
func (v *visitor) cookie() string {
	u, _ := url.Parse(v.ts.ts.URL)
	for _, c := range v.jar.Cookies(u) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	return ""
}

func (v *visitor) guest(name string) reply {
	v.t.Helper()
	return v.do("POST", "/api/auth/guest", map[string]any{"name": name}).must(v.t, http.StatusCreated)
}

func (v *visitor) register(username, password string) reply {
	v.t.Helper()
	return v.do("POST", "/api/auth/register", map[string]any{"username": username, "password": password})
}

func (v *visitor) login(username, password string) reply {
	v.t.Helper()
	return v.do("POST", "/api/auth/login", map[string]any{"username": username, "password": password})
}

// dialAs opens a WebSocket carrying the visitor's cookie.
func (v *visitor) dial() *client {
	v.t.Helper()
	c, res, err := v.dialErr()
	if err != nil {
		v.t.Fatalf("dial: %v (%v)", err, res)
	}
	return c
}

func (v *visitor) dialErr() (*client, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	h := http.Header{}
	if ck := v.cookie(); ck != "" {
		h.Set("Cookie", sessionCookie+"="+ck)
	}
	conn, res, err := websocket.Dial(ctx, v.ts.url, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, res, err
	}
	conn.SetReadLimit(1 << 20)
	c := &client{t: v.t, conn: conn, frames: make(chan *frame, 4096), closed: make(chan struct{})}
	go c.readLoop()
	v.t.Cleanup(func() { conn.CloseNow() })
	return c, res, nil
}

// makeAdmin registers username and makes it an admin as the operator
// would (golf user create --admin).
func makeAdmin(t *testing.T, ts *testServer, username, password string) *visitor {
	t.Helper()
	v := newVisitor(t, ts)
	v.register(username, password).must(t, http.StatusCreated)
	if err := ts.accounts.SetRoleAsOperator(context.Background(), username, account.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	return v
}

func mustURL(ts *testServer) *url.URL {
	u, err := url.Parse(ts.ts.URL)
	if err != nil {
		panic(err)
	}
	return u
}
