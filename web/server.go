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
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"golf/live"
)

// Config is a Server's dependencies and limits. DefaultConfig gives the
// production values; New refuses a config without a store.
type Config struct {
	Live   live.Config  // the tables: store, CPU players, secret, timings
	Client fs.FS        // the browser client, index.html at its root; nil serves a placeholder
	Logger *slog.Logger // nil: discard

	// AllowedOrigins are extra host patterns (path.Match syntax, e.g.
	// "*.example.com") whose pages may open a WebSocket; the request's own
	// host is always allowed.
	AllowedOrigins []string
	MaxFrame       int           // largest client frame, in bytes
	Rate           float64       // client frames per second, sustained
	Burst          int           // client frames in a burst
	SendQueue      int           // frames queued for a client before it counts as too slow
	PingInterval   time.Duration // keepalive; a client that misses a pong for this long is dropped
	WriteTimeout   time.Duration // one frame's write
	// HandshakeTimeout is how long a new connection has to send its first frame.
	HandshakeTimeout time.Duration
}

// DefaultConfig returns the production limits.
func DefaultConfig() Config {
	return Config{
		Live:             live.DefaultConfig(),
		MaxFrame:         4096,
		Rate:             20,
		Burst:            40,
		SendQueue:        64,
		PingInterval:     20 * time.Second,
		WriteTimeout:     10 * time.Second,
		HandshakeTimeout: 10 * time.Second,
	}
}

// Server serves Golf over HTTP. Build it with New, serve it with any
// http.Server (it is an http.Handler), and stop it with Close.
//
// Tests run the whole server in-process:
//
//	srv, err := web.New(cfg)
//	ts := httptest.NewServer(srv)
//	defer ts.Close()
//	defer srv.Close(context.Background())
type Server struct {
	cfg     Config
	log     *slog.Logger
	live    *live.Manager
	mux     *http.ServeMux
	rules   []byte
	closing atomic.Bool

	mu       sync.Mutex
	sessions map[*session]struct{}
	wg       sync.WaitGroup
}

// New returns a Server. It opens no table until a client asks; call
// Recover to reopen the games a previous run left active.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Live.Logger == nil {
		cfg.Live.Logger = cfg.Logger
	}
	if cfg.MaxFrame <= 0 || cfg.Rate <= 0 || cfg.Burst <= 0 || cfg.SendQueue <= 0 ||
		cfg.PingInterval <= 0 || cfg.WriteTimeout <= 0 || cfg.HandshakeTimeout <= 0 {
		return nil, errors.New("web: limits must be positive (start from DefaultConfig)")
	}
	m, err := live.New(cfg.Live)
	if err != nil {
		return nil, err
	}
	rules, err := rulesJSON()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, live: m, rules: rules, sessions: map[*session]struct{}{}}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", s.serveWS)
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /api/rules", s.apiRules)
	mux.HandleFunc("GET /api/profiles", s.apiProfiles)
	mux.HandleFunc("GET /api/rooms/{code}", s.apiRoom)
	client := s.cfg.Client
	if client == nil {
		client = placeholder
	}
	mux.HandleFunc("GET /r/{code}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, client, "index.html")
	})
	mux.HandleFunc("GET /rules", func(w http.ResponseWriter, r *http.Request) { http.ServeFileFS(w, r, client, "index.html") })
	mux.Handle("GET /", http.FileServerFS(client))
	s.mux = mux
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Recover reopens every game the store holds as active (after a restart).
func (s *Server) Recover(ctx context.Context) (int, error) { return s.live.Recover(ctx) }

// Rooms returns the number of open rooms.
func (s *Server) Rooms() int { return s.live.Rooms() }

// Close shuts the server down: tables finish the command in hand (its
// append completes), every connection is closed with 1012 (clients resume
// after the restart), and Close waits for them, at most until ctx is done.
// The store stays open: its owner closes it after Close.
func (s *Server) Close(ctx context.Context) error {
	s.closing.Store(true)
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
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.cfg.AllowedOrigins})
	if err != nil {
		s.log.Info("websocket refused", "origin", r.Header.Get("Origin"), "err", err)
		return // Accept has answered (403 for a foreign origin)
	}
	// One byte over the limit reaches read, which answers too_large itself.
	conn.SetReadLimit(int64(s.cfg.MaxFrame) + 1)
	sess := newSession(s, conn, inviteBase(r))
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		conn.Close(websocket.StatusServiceRestart, "server restarting")
		return
	}
	s.sessions[sess] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.sessions, sess)
		s.mu.Unlock()
		s.wg.Done()
	}()
	sess.serve()
}

// inviteBase is the room link without its code, as the client reached us.
func inviteBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/r/"
}

func itoa(n int) string { return strconv.Itoa(n) }
