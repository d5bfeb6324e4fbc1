package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"golf/account"
	"golf/live"
	"golf/loadtest"
	"golf/store/sqlite"
	"golf/web"
)

// runLoadtest is golf loadtest: package loadtest's bots against -url, or
// against a server of this process (docs/BENCHMARKS.md).
func runLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c loadtest.Config
	var cpuProfile string
	var asJSON bool
	fs.StringVar(&c.URL, "url", "", "server to test, e.g. http://127.0.0.1:8000 (default: an in-process server on loopback with a temporary SQLite store)")
	fs.IntVar(&c.Players, "players", 400, "bot players: WebSocket clients (a multiple of -humans)")
	fs.IntVar(&c.Humans, "humans", 4, "bot players per room")
	fs.IntVar(&c.CPUs, "cpus", 0, "CPU players per room, seated by the host and played by the server")
	fs.IntVar(&c.ServerPID, "server-pid", 0, "the server's process id on this machine: report its CPU time and memory over the held phase (/proc)")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.DurationVar(&c.Think, "think", time.Second, "mean think time before each move (uniform over 0.5–1.5×)")
	fs.IntVar(&c.Rounds, "rounds", 1, "rounds per game")
	fs.DurationVar(&c.Duration, "duration", 60*time.Second, "how long to hold the load after the ramp (the figures are this phase's)")
	fs.DurationVar(&c.Ramp, "ramp", 10*time.Second, "time over which the players connect")
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	limits := fs.String("limits", "on", "the in-process server's per-address limits: on (each bot has an address of its own, X-Forwarded-For from loopback trusted) or off")
	fs.IntVar(&c.Flood, "flood", 0, "connections from one address creating rooms as fast as they can, all run long")
	fs.Float64Var(&c.FloodRate, "flood-rate", 0, "the flood's attempts per second, all its connections together (0: no cap)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := c.Check(); err != nil {
		fmt.Fprintf(stderr, "golf loadtest: %v\n", err)
		return 2
	}
	if *limits != "on" && *limits != "off" {
		fmt.Fprintf(stderr, "golf loadtest: -limits %q: want on or off\n", *limits)
		return 2
	}
	c.Addresses = *limits == "on" || c.Flood > 0
	if err := loadtestRun(ctx, c, *limits == "on", cpuProfile, asJSON, stdout); err != nil {
		fmt.Fprintf(stderr, "golf loadtest: %v\n", err)
		return 1
	}
	return 0
}

// loadtestRun profiles the whole run, the in-process server included.
func loadtestRun(ctx context.Context, c loadtest.Config, limits bool, cpuProfile string, asJSON bool, stdout io.Writer) error {
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if c.URL == "" {
		url, stop, err := inProcessServer(ctx, limits)
		if err != nil {
			return err
		}
		defer stop()
		c.URL = url
	}
	r, err := loadtest.Run(ctx, c)
	if err != nil {
		return err
	}
	if asJSON {
		return r.JSON(stdout, c)
	}
	r.Print(stdout)
	return nil
}

// inProcessServer runs golf serve's handler on a loopback port with a
// temporary store and fast round changes; with limits, golf serve's
// per-address limits behind a proxy on loopback (the bots' addresses are
// their X-Forwarded-For), else none.
func inProcessServer(ctx context.Context, limits bool) (string, func(), error) {
	dir, err := os.MkdirTemp("", "golf-loadtest-")
	if err != nil {
		return "", nil, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "golf.db"))
	if err != nil {
		return "", nil, err
	}
	lc := live.DefaultConfig()
	lc.Secret = []byte("loadtest-secret-loadtest-secret-loadtest")
	lc.RoundCountdown = time.Second
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// GOLF_METRICS=off measures the server without its metrics.
	oc, errs := loadOpsConfig(os.Getenv)
	if len(errs) > 0 {
		return "", nil, errors.Join(errs...)
	}
	o, err := newOps(opsConfig{metricsOff: oc.metricsOff}, log)
	if err != nil {
		return "", nil, err
	}
	o.observeStore(st)
	accounts, err := openAccounts(st, account.Config{})
	if err != nil {
		return "", nil, err
	}
	wc := web.DefaultConfig()
	wc.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	if !limits {
		wc.Limits = web.NoLimits()
	}
	srv, _, err := newServer(wc, lc, web.Deps{Accounts: accounts}, st, o, log)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Close(sctx)
		hs.Shutdown(sctx)
		st.Close()
		os.RemoveAll(dir)
	}
	return "http://" + ln.Addr().String(), stop, nil
}
