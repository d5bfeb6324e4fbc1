package web

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golf/limit"
	"golf/live"
)

// Limits are the rate limits per client address (docs/operations.md). A
// Rule with a zero Rate is no limit. Sign-ins and sign-ups keep their own
// limits besides (Deps.AuthIPLimit, AuthUserLimit), and each WebSocket its
// frame rate (Config.Rate, Burst).
type Limits struct {
	// Strict: room lookups (GET /api/rooms/{code}, and join, resume and
	// watch frames) and the other POST /api/auth/* (a guest's session,
	// sign-outs): what an enumeration would hammer; and a game's replay,
	// export and import, which fold a whole game. Sign-ins and sign-ups
	// have their own limits, per address and per username (auth.go).
	Strict limit.Rule
	// API: the rest of /api/.
	API limit.Rule
	// Static: the client's pages and files, which a page load fetches by
	// the dozen.
	Static limit.Rule
	// Connect: WebSocket connections opened.
	Connect limit.Rule
	// Create: rooms created (create frames), wherever the socket came from.
	Create limit.Rule
}

// DefaultLimits are the production limits: far above what a household of
// players behind one address does, far below a flood.
func DefaultLimits() Limits {
	return Limits{
		Strict:  limit.PerMinute("http_strict", 60, 30),
		API:     limit.PerMinute("http_api", 600, 200),
		Static:  limit.PerMinute("http_static", 3000, 1000),
		Connect: limit.PerMinute("ws_connect", 60, 30),
		Create:  limit.PerMinute("room_create", 10, 10),
	}
}

// NoLimits turns every limit of Limits off (golf loadtest -limits=off).
func NoLimits() Limits { return Limits{} }

// limiters are a Server's limiters, one per rule in force (nil: off).
type limiters struct {
	strict, api, static, connect, create limit.Limiter
}

func newLimiters(l Limits, mk func(limit.Rule) limit.Limiter) limiters {
	if mk == nil {
		mk = func(r limit.Rule) limit.Limiter { return limit.NewMemory(r, nil) }
	}
	one := func(r limit.Rule) limit.Limiter {
		if r.Rate <= 0 || r.Burst <= 0 {
			return nil
		}
		return mk(r)
	}
	return limiters{strict: one(l.Strict), api: one(l.API), static: one(l.Static),
		connect: one(l.Connect), create: one(l.Create)}
}

// tier returns the limiter and rule name an HTTP request counts against;
// nil for none. Probes (health, readiness, metrics) are never limited: a
// load balancer must not be refused. The WebSocket upgrade counts in
// allowWS.
func (s *Server) tier(r *http.Request) (limit.Limiter, string) {
	p := r.URL.Path
	switch {
	case p == "/ws", p == "/health", p == "/healthz", p == "/ready", p == "/metrics":
		return nil, ""
	case p == "/api/auth/login", p == "/api/auth/register":
		// Strict already, per address and per username (allowAuth).
		return nil, ""
	case strings.HasPrefix(p, "/api/rooms/"), strings.HasPrefix(p, "/api/auth/") && r.Method == http.MethodPost:
		return s.limits.strict, s.cfg.Limits.Strict.Name
	case strings.HasPrefix(p, "/api/games/") && (r.Method == http.MethodPost ||
		strings.HasSuffix(p, "/replay") || strings.HasSuffix(p, "/export")):
		// Imports, replays and exports fold a whole game (tens of
		// milliseconds each, docs/BENCHMARKS.md): the strict tier.
		return s.limits.strict, s.cfg.Limits.Strict.Name
	case strings.HasPrefix(p, "/api/"):
		return s.limits.api, s.cfg.Limits.API.Name
	}
	return s.limits.static, s.cfg.Limits.Static.Name
}

// limitHTTP answers 429 to a client address over its tier's limit.
func (s *Server) limitHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if lim, name := s.tier(r); lim != nil {
			if ok, wait := s.take(r.Context(), lim, name, clientIP(r)); !ok {
				tooMany(w, wait)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// allowWS takes one connection from the client address's allowance, or
// answers 429 before the upgrade.
func (s *Server) allowWS(w http.ResponseWriter, r *http.Request) bool {
	if s.limits.connect == nil {
		return true
	}
	ok, wait := s.take(r.Context(), s.limits.connect, s.cfg.Limits.Connect.Name, clientIP(r))
	if !ok {
		tooMany(w, wait)
	}
	return ok
}

// take takes one event for key from lim. A limiter that cannot decide
// lets the event through (cli's limiters fall back to this process's
// buckets before they fail: limit.Failover).
func (s *Server) take(ctx context.Context, lim limit.Limiter, name, key string) (bool, time.Duration) {
	res, err := lim.Allow(ctx, key)
	if err != nil {
		s.log.Warn("rate limiter unavailable: allowing", "limit", name, "err", err)
		return true, 0
	}
	if !res.Allowed {
		s.metrics.RateLimited(name)
		return false, res.RetryAfter
	}
	return true, 0
}

// retrySeconds is a wait rounded up to whole seconds, at least one.
func retrySeconds(d time.Duration) int64 {
	secs := int64(math.Ceil(d.Seconds()))
	if secs < 1 || d > 24*time.Hour {
		secs = max(1, min(secs, 86400))
	}
	return secs
}

// tooMany answers 429 with Retry-After and the rate_limited error.
func tooMany(w http.ResponseWriter, wait time.Duration) {
	secs := strconv.FormatInt(retrySeconds(wait), 10)
	w.Header().Set("Retry-After", secs)
	writeError(w, http.StatusTooManyRequests, "rate_limited", "too many requests; try again in "+secs+" s")
}

// allowCreate takes one room creation from the session's address and,
// when the socket is a user's (a signed-in or guest session), from that
// user's allowance too: one account cannot spread a flood over many
// addresses. The error answers the create frame.
func (s *Server) allowCreate(ctx context.Context, sess *session) error {
	if s.limits.create == nil {
		return nil
	}
	keys := []string{sess.addr}
	if sess.user != "" {
		keys = append(keys, "user:"+sess.user)
	}
	for _, k := range keys {
		if ok, wait := s.take(ctx, s.limits.create, s.cfg.Limits.Create.Name, k); !ok {
			return &live.Error{Code: CodeRateLimited, Msg: "too many rooms created; try again in " +
				strconv.FormatInt(retrySeconds(wait), 10) + " s"}
		}
	}
	return nil
}

// CodeRateLimited answers a command or request over a limit.
const CodeRateLimited live.Code = "rate_limited"

// allowLookup takes one room lookup (join, resume, watch) from the
// session's address, from the same allowance as GET /api/rooms/{code}:
// a socket is no way around the lookup limit.
func (s *Server) allowLookup(ctx context.Context, sess *session) error {
	if s.limits.strict == nil {
		return nil
	}
	if ok, wait := s.take(ctx, s.limits.strict, s.cfg.Limits.Strict.Name, sess.addr); !ok {
		return &live.Error{Code: CodeRateLimited, Msg: "too many room lookups from your address; try again in " +
			strconv.FormatInt(retrySeconds(wait), 10) + " s"}
	}
	return nil
}
