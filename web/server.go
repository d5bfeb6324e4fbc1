// Package web is Golf's HTTP face: the WebSocket protocol of
// docs/protocol.md, the read-only JSON API, health, and the embedded
// browser client. It decodes and validates what clients send and hands
// commands to package live; it never touches a game's state itself.
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"

	"github.com/coder/websocket"

	"golf/account"
	"golf/limit"
	"golf/live"
	"golf/matchmaking"
	"golf/metrics"
	"golf/replay"
	"golf/stats"
)

// Config is a Server's limits and static parts. DefaultConfig gives the
// production values.
type Config struct {
	Client fs.FS        // the browser client, index.html at its root; nil serves a placeholder
	Logger *slog.Logger // nil: discard

	// AllowedOrigins are extra host patterns (path.Match syntax, e.g.
	// "*.example.com") whose pages may open a WebSocket, besides the
	// request's own host when that host is served (PublicHosts,
	// security.go).
	AllowedOrigins []string
	MaxFrame       int           // largest client frame, in bytes
	Rate           float64       // client frames per second, sustained
	Burst          int           // client frames in a burst
	SendQueue      int           // frames queued for a client before it counts as too slow
	PingInterval   time.Duration // keepalive; a client that misses a pong for this long is dropped
	WriteTimeout   time.Duration // one frame's write
	// HandshakeTimeout is how long a new connection has to send its first frame.
	HandshakeTimeout time.Duration
	// QuickplayWait is how long a quick-play player waits for other
	// humans before CPUs fill the table (GOLF_QUICKPLAY_WAIT).
	QuickplayWait time.Duration
	// PrivateMetrics: GET /metrics is served on an address of its own
	// (GOLF_METRICS_ADDR), not by this handler.
	PrivateMetrics bool

	// PublicHosts are the hosts (host or host:port) the server is reached
	// under besides localhost and IP addresses (GOLF_PUBLIC_URL): a
	// WebSocket under any other Host is refused (security.go).
	PublicHosts []string
	// TrustedProxies are the peers whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (GOLF_TRUSTED_PROXIES).
	TrustedProxies []netip.Prefix
	// Limits are the rate limits per client address (limits.go).
	Limits Limits
}

// DefaultConfig returns the production limits.
func DefaultConfig() Config {
	return Config{
		MaxFrame:         4096,
		Rate:             20,
		Burst:            40,
		SendQueue:        64,
		PingInterval:     20 * time.Second,
		WriteTimeout:     10 * time.Second,
		HandshakeTimeout: 10 * time.Second,
		QuickplayWait:    matchmaking.DefaultWait,
		Limits:           DefaultLimits(),
	}
}

// Deps are the services a Server serves, built by its caller (package
// cli wires the program; tests build their own). The account and stats
// services join Live here as they arrive.
type Deps struct {
	// Live runs the tables; required. New takes it over: Server.Close
	// closes it (see there). Until New succeeds it is the caller's.
	Live *live.Manager
	// Accounts turns on users and sessions (web/auth.go, docs/api.md):
	// every human seat is then a user's. Nil: no accounts, and seats get
	// guest ids of their own (tests of the game alone).
	Accounts *account.Service
	// AuthIPLimit and AuthUserLimit limit sign-ins and sign-ups per client
	// address and per username; nil: in-memory limiters with
	// DefaultAuthIPRule and DefaultAuthUserRule.
	AuthIPLimit, AuthUserLimit limit.Limiter
	// Notices tells the other instances which sockets a revocation closes;
	// nil: this instance alone.
	Notices Notices
	// Stats answers the leaderboards and profiles (web/stats.go); nil: off.
	Stats *stats.Service
	// Viewer returns the signed-in player's id for a request, "" for none;
	// nil until accounts are wired (the leaderboard's own row needs it).
	Viewer func(*http.Request) string
	// Metrics counts requests, sockets and commands and is served at GET
	// /metrics (web/metrics.go); nil: metrics off.
	Metrics *metrics.Metrics
	// Reporter receives the panics recovered in handlers and sessions
	// (web/recover.go); nil: they are logged only.
	Reporter Reporter
	// Ready lists what GET /ready checks: the store, Redis (web/health.go).
	Ready []Check
	// Limiter makes the limiter of one of Config.Limits' rules; nil: in
	// this process (limit.Memory). cli makes shared ones when REDIS_URL is
	// set, so every instance enforces one limit.
	Limiter func(limit.Rule) limit.Limiter
	// Replays serves exports, imports, replays, visibility and the recent
	// games (web/replay.go, docs/replay.md); nil: off.
	Replays *replay.Service
	// QuickQueue is the quick-play queue every instance shares (Redis);
	// nil: one in this process.
	QuickQueue matchmaking.Queue
	// Quick, if set, is the quick-play matcher to use instead of one
	// built over QuickQueue (tests set their own clock and tick). The
	// Server runs it until Close.
	Quick *matchmaking.Service
	// ChatLimit limits chat lines and reactions per player; nil: Limiter's
	// (shared by every instance) or an in-memory one, with DefaultChatRule.
	ChatLimit limit.Limiter
}

// Server serves Golf over HTTP. Build it with New, serve it with any
// http.Server (it is an http.Handler), and stop it with Close.
//
// Tests run the whole server in-process:
//
//	tables, err := live.New(liveCfg) // store, CPU players, secret, timings
//	srv, err := web.New(cfg, web.Deps{Live: tables})
//	ts := httptest.NewServer(srv)
//	defer ts.Close()
//	defer srv.Close(context.Background()) // closes tables too
type Server struct {
	cfg     Config
	log     *slog.Logger
	live    *live.Manager
	stats   *stats.Service
	me      func(*http.Request) string
	mux     *http.ServeMux
	rules   []byte
	closing atomic.Bool

	// Operations: the middleware-wrapped mux, health, metrics, panics.
	handler  http.Handler
	metrics  *metrics.Metrics
	reporter Reporter
	ready    []Check

	mu       sync.Mutex
	sessions map[*session]struct{}
	// frames are the sessions' frame buffers, lent to a writer while it
	// runs (*[]byte).
	frames sync.Pool
	wg     sync.WaitGroup

	quick     *matchmaking.Service
	stopQuick context.CancelFunc
	chatLimit limit.Limiter

	accounts         *account.Service // nil: no accounts
	replays          *replay.Service  // nil: no replays
	authIP, authUser limit.Limiter
	notices          Notices
	conns            *connIndex
	limits           limiters
	xffWarned        atomic.Bool // logged once: X-Forwarded-For from an untrusted peer
}

// New returns a Server over deps. It opens no table until a client asks;
// the caller reopens the games a previous run left active
// (live.Manager.Recover) before serving.
func New(cfg Config, deps Deps) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MaxFrame <= 0 || cfg.Rate <= 0 || cfg.Burst <= 0 || cfg.SendQueue <= 0 ||
		cfg.PingInterval <= 0 || cfg.WriteTimeout <= 0 || cfg.HandshakeTimeout <= 0 {
		return nil, errors.New("web: limits must be positive (start from DefaultConfig)")
	}
	if deps.Live == nil {
		return nil, errors.New("web: Deps.Live is required")
	}
	rules, err := rulesJSON()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, live: deps.Live, rules: rules, sessions: map[*session]struct{}{},
		metrics: deps.Metrics, reporter: deps.Reporter, ready: deps.Ready,
		accounts: deps.Accounts, authIP: deps.AuthIPLimit, authUser: deps.AuthUserLimit, notices: deps.Notices,
		conns: newConnIndex(), stats: deps.Stats, me: deps.Viewer, replays: deps.Replays}
	if s.authIP == nil {
		s.authIP = limit.NewMemory(DefaultAuthIPRule, nil)
	}
	if s.authUser == nil {
		s.authUser = limit.NewMemory(DefaultAuthUserRule, nil)
	}
	if s.notices != nil {
		s.notices.Listen(s.onNotice)
	}
	s.limits = newLimiters(cfg.Limits, deps.Limiter)
	switch s.chatLimit = deps.ChatLimit; {
	case s.chatLimit != nil:
	case deps.Limiter != nil:
		s.chatLimit = deps.Limiter(DefaultChatRule) // shared by every instance
	default:
		s.chatLimit = limit.NewMemory(DefaultChatRule, nil)
	}
	if s.quick = deps.Quick; s.quick == nil {
		q := deps.QuickQueue
		if q == nil {
			q = matchmaking.NewMemory()
		}
		s.quick, err = matchmaking.New(matchmaking.Config{Queue: q, Open: QuickOpener(deps.Live),
			Wait: cfg.QuickplayWait, Logger: cfg.Logger})
		if err != nil {
			return nil, err
		}
	}
	qctx, stop := context.WithCancel(context.Background())
	s.stopQuick = stop
	go s.quick.Run(qctx)
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", s.serveWS)
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /health", s.liveness)
	mux.HandleFunc("GET /ready", s.readiness)
	s.metricsRoute(mux)
	mux.HandleFunc("GET /api/rules", s.apiRules)
	mux.HandleFunc("GET /api/profiles", s.apiProfiles)
	mux.HandleFunc("GET /api/rooms", s.apiRooms)
	mux.HandleFunc("GET /api/rooms/{code}", s.apiRoom)
	s.authRoutes(mux)
	s.statsRoutes(mux)
	s.replayRoutes(mux)
	client := s.cfg.Client
	if client == nil {
		client = placeholder
	}
	page := func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, client, "index.html")
	}
	mux.HandleFunc("GET /r/{code}", page)
	if s.accounts != nil {
		for _, p := range []string{"/login", "/register", "/profile", "/admin"} {
			mux.HandleFunc("GET "+p, page)
		}
	}
	mux.HandleFunc("GET /rules", page)
	if s.replays != nil {
		mux.HandleFunc("GET /replay/{id}", page)
		mux.HandleFunc("GET /games", page)
	}
	mux.Handle("GET /", http.FileServerFS(noListing{client}))
	s.mux = mux
	// The middleware, outermost first.
	s.handler = withRequestID(s.withClient(withSecurityHeaders(s.observeHTTP(s.limitHTTP(s.recoverHTTP(apiRouteErrors(mux)))))))
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close shuts the server down: it refuses new connections, closes
// Deps.Live (tables finish the command in hand: its append completes, and
// writers release their leases), then closes every connection with 1012
// (clients resume after the restart), and waits for them, at most until
// ctx is done. The Server closes the manager, not its caller, because the
// order matters: a table's last append is done and its lease released
// before its clients are told to reconnect (to this instance after a
// restart, or to another). What the manager was built on (the store,
// Redis) stays open: its owner closes it after Close.
func (s *Server) Close(ctx context.Context) error {
	s.closing.Store(true)
	s.stopQuick()
	err := s.live.Close(ctx)
	s.mu.Lock()
	for sess := range s.sessions {
		sess.end(websocket.StatusServiceRestart, "server restarting")
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		err = errors.Join(err, fmt.Errorf("close connections: %w", ctx.Err()))
	}
	return err
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if s.closing.Load() {
		http.Error(w, "server restarting", http.StatusServiceUnavailable)
		return
	}
	if err := s.checkHost(r.Host); err != nil {
		s.log.Info("websocket refused: host not configured (GOLF_PUBLIC_URL)", "host", r.Host)
		writeError(w, http.StatusForbidden, "forbidden_host", "this server does not serve that host name")
		return
	}
	if err := s.checkOrigin(r); err != nil {
		s.log.Info("websocket refused: foreign origin (GOLF_ALLOWED_ORIGINS)", "origin", r.Header.Get("Origin"))
		writeError(w, http.StatusForbidden, "forbidden_origin", "pages of another site cannot open a connection to this server")
		return
	}
	if !s.allowWS(w, r) {
		return
	}
	p, ok := s.wsPrincipal(w, r)
	if !ok {
		return
	}
	conn, err := websocket.Accept(smallReads{w}, r, &websocket.AcceptOptions{OriginPatterns: s.originPatterns()})
	if err != nil {
		s.log.Info("websocket refused", "origin", r.Header.Get("Origin"), "err", err)
		return // Accept has answered
	}
	// One byte over the limit reaches read, which answers too_large itself.
	conn.SetReadLimit(int64(s.cfg.MaxFrame) + 1)
	sess := newSession(s, conn, inviteBase(r))
	sess.addr = clientIP(r)
	sess.rid = requestID(r.Context())
	sess.log = sess.log.With("request_id", sess.rid)
	s.identify(sess, p)
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		conn.Close(websocket.StatusServiceRestart, "server restarting")
		return
	}
	s.sessions[sess] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	s.metrics.SocketOpened()
	// The session runs on a goroutine of its own and the handler returns:
	// net/http then lets go of what it kept for the connection (its 4 KB
	// read and write buffers, the request) and of the handler's
	// goroutine, whose stack the upgrade had grown to 16 KB
	// (docs/BENCHMARKS.md, "Issue 16, second pass").
	go func() {
		defer func() {
			s.metrics.SocketClosed(int(sess.code))
			s.conns.drop(sess)
			s.mu.Lock()
			delete(s.sessions, sess)
			s.mu.Unlock()
			s.wg.Done()
		}()
		sess.serve()
	}()
}

// inviteBase is the room link without its code, as the client reached us.
func inviteBase(r *http.Request) string {
	scheme := "http"
	if secureRequest(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/r/"
}

func itoa(n int) string { return strconv.Itoa(n) }

// placeholder stands in for the browser client until one is built in.
var placeholder = fstest.MapFS{
	"index.html": &fstest.MapFile{Data: []byte(`<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Golf</title>
<body><h1>Golf</h1><p>The game server is running; this build has no browser client.
The WebSocket protocol is at <code>/ws</code> (docs/protocol.md).</p></body></html>
`)},
}
