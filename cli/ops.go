package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"golf/live"
	"golf/metrics"
	"golf/report"
	"golf/store"
	"golf/web"
)

// opsConfig is what golf serve reads for operating it: metrics and error
// tracking (docs/operations.md).
type opsConfig struct {
	metricsOff  bool   // GOLF_METRICS=off
	metricsAddr string // GOLF_METRICS_ADDR: /metrics there, not on GOLF_ADDR
	sentryDSN   string // SENTRY_DSN: report panics to Sentry
	sentryEnv   string // SENTRY_ENVIRONMENT
}

func loadOpsConfig(getenv env) (opsConfig, []error) {
	c := opsConfig{metricsAddr: getenv("GOLF_METRICS_ADDR"), sentryDSN: getenv("SENTRY_DSN"), sentryEnv: getenv("SENTRY_ENVIRONMENT")}
	var errs []error
	switch v := getenv("GOLF_METRICS"); v {
	case "", "on":
	case "off":
		c.metricsOff = true
		if c.metricsAddr != "" {
			errs = append(errs, errors.New("GOLF_METRICS_ADDR is set but GOLF_METRICS=off"))
		}
	default:
		errs = append(errs, fmt.Errorf("GOLF_METRICS=%q: want on or off", v))
	}
	if c.metricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.metricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("GOLF_METRICS_ADDR=%q: want host:port or :port", c.metricsAddr))
		}
	}
	if c.sentryDSN != "" {
		// Checked here so a typo stops the server at start, not at the
		// first panic; the DSN itself is never printed (it holds the key).
		if u, err := url.Parse(c.sentryDSN); err != nil || u.User == nil || u.Host == "" {
			errs = append(errs, errors.New("SENTRY_DSN: want https://KEY@HOST/PROJECT"))
		}
	}
	return c, errs
}

// ops are the operating parts a server is built with; each may be off
// (nil). cli builds them, web, live and the store get them.
type ops struct {
	metrics  *metrics.Metrics
	reporter *report.Sentry
	ready    []web.Check
}

// newOps builds the metrics (unless off) and the Sentry reporter (with a
// DSN). Close flushes the reporter.
func newOps(c opsConfig, log *slog.Logger) (*ops, error) {
	o := &ops{}
	if !c.metricsOff {
		o.metrics = metrics.New()
	}
	if c.sentryDSN != "" {
		r, err := report.NewSentry(report.Options{DSN: c.sentryDSN, Environment: c.sentryEnv})
		if err != nil {
			return nil, err
		}
		o.reporter = r
		host := ""
		if u, err := url.Parse(c.sentryDSN); err == nil {
			host = u.Host
		}
		log.Info("reporting panics to sentry", "host", host, "environment", c.sentryEnv, "release", report.Release())
	}
	return o, nil
}

// close sends the reports still queued.
func (o *ops) close() {
	if o.reporter != nil {
		o.reporter.Close(2 * time.Second)
	}
}

// observeStore makes the store report its appends and commits, if it can.
func (o *ops) observeStore(st store.Store) {
	if s, ok := st.(interface{ Observe(store.Observer) }); ok && o.metrics != nil {
		s.Observe(o.metrics)
	}
}

// wire hands the parts to live's and web's configurations. Interfaces get
// nothing rather than a nil pointer.
func (o *ops) wire(lc *live.Config, deps *web.Deps) {
	deps.Metrics, deps.Ready = o.metrics, o.ready
	if o.metrics != nil {
		lc.Observer = o.metrics
	}
	if o.reporter != nil {
		lc.Reporter, deps.Reporter = o.reporter, o.reporter
	}
}

// serveMetrics serves GET /metrics on addr until ctx is done; it returns
// once listening (or failing to).
func (o *ops) serveMetrics(addr string, log *slog.Logger) (stop func(context.Context) error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("GOLF_METRICS_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", o.metrics.Handler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go hs.Serve(ln)
	log.Info("metrics listening", "addr", ln.Addr().String())
	return hs.Shutdown, nil
}
