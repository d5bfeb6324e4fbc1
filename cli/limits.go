package cli

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"golf/limit"
	"golf/web"
)

// The abuse limits' configuration (docs/operations.md, docs/security.md).

// httpTimeouts bound one HTTP connection: its request headers, its whole
// request, its answer, and the wait for the next request on a kept-alive
// connection. A WebSocket is free of them once upgraded (net/http clears
// a hijacked connection's deadlines; the session pings instead).
type httpTimeouts struct {
	readHeader, read, write, idle time.Duration
}

func defaultHTTPTimeouts() httpTimeouts {
	return httpTimeouts{readHeader: 10 * time.Second, read: 30 * time.Second, write: 60 * time.Second, idle: 120 * time.Second}
}

// newHTTPServer is golf serve's http.Server.
func newHTTPServer(h http.Handler, t httpTimeouts, log *slog.Logger) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.readHeader, ReadTimeout: t.read, WriteTimeout: t.write,
		IdleTimeout: t.idle, MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
}

// parseProxies reads GOLF_TRUSTED_PROXIES: CIDRs or single addresses,
// comma-separated.
func parseProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR nor an address", s)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// parseRule reads a limit as COUNT/PERIOD or COUNT/PERIOD,BURST (e.g.
// "10/1m,10": ten a minute, ten at once; the burst defaults to COUNT), or
// "off".
func parseRule(name, v string) (limit.Rule, error) {
	if v == "off" || v == "0" {
		return limit.Rule{Name: name}, nil
	}
	spec, burstS, hasBurst := strings.Cut(v, ",")
	countS, periodS, ok := strings.Cut(spec, "/")
	if !ok {
		return limit.Rule{}, fmt.Errorf("want COUNT/PERIOD[,BURST] such as 10/1m,10, or off")
	}
	count, err := strconv.ParseFloat(strings.TrimSpace(countS), 64)
	period, perr := time.ParseDuration(strings.TrimSpace(periodS))
	if err != nil || perr != nil || count <= 0 || period <= 0 {
		return limit.Rule{}, fmt.Errorf("want COUNT/PERIOD[,BURST] such as 10/1m,10, or off")
	}
	burst := int(count)
	if hasBurst {
		if burst, err = strconv.Atoi(strings.TrimSpace(burstS)); err != nil || burst < 1 {
			return limit.Rule{}, fmt.Errorf("burst %q: want a whole number of at least 1", burstS)
		}
	}
	return limit.Rule{Name: name, Rate: count / period.Seconds(), Burst: max(burst, 1)}, nil
}

// loadLimits reads GOLF_LIMITS and GOLF_LIMIT_* over the defaults.
func loadLimits(getenv env, l *web.Limits) []error {
	var errs []error
	switch v := getenv("GOLF_LIMITS"); v {
	case "", "on":
	case "off":
		*l = web.NoLimits()
		return nil
	default:
		errs = append(errs, fmt.Errorf("GOLF_LIMITS=%q: want on or off", v))
	}
	for _, r := range []struct {
		env  string
		rule *limit.Rule
	}{
		{"GOLF_LIMIT_STRICT", &l.Strict}, {"GOLF_LIMIT_API", &l.API}, {"GOLF_LIMIT_STATIC", &l.Static},
		{"GOLF_LIMIT_CONNECT", &l.Connect}, {"GOLF_LIMIT_CREATE", &l.Create},
	} {
		if v := getenv(r.env); v != "" {
			rule, err := parseRule(r.rule.Name, v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", r.env, v, err))
				continue
			}
			*r.rule = rule
		}
	}
	return errs
}

// sharedLimiter makes the limiters of every instance sharing a Redis:
// one bucket per rule and key for them all. When Redis does not answer,
// each instance falls back to its own buckets (limit.Failover): limits
// stay on, at most instances × the limit, and players are not refused
// for an outage. Failures are logged at most once a minute.
func sharedLimiter(rdb redis.Cmdable, prefix string, log *slog.Logger) func(limit.Rule) limit.Limiter {
	var last atomic.Int64
	onErr := func(err error) {
		now := time.Now().Unix()
		if prev := last.Load(); now-prev >= 60 && last.CompareAndSwap(prev, now) {
			log.Warn("rate limits: redis unavailable, each instance limits alone", "err", err)
		}
	}
	return func(r limit.Rule) limit.Limiter {
		return &limit.Failover{Shared: limit.NewRedis(rdb, prefix, r), Local: limit.NewMemory(r, nil), OnError: onErr}
	}
}
