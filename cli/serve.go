package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golf/ai"
	"golf/client"
	"golf/cluster"
	"golf/live"
	"golf/matchmaking"
	"golf/replay"
	"golf/stats"
	"golf/store"
	"golf/web"
)

// env reads the configuration; tests pass their own.
type env func(string) string

// serveConfig is everything golf serve reads from its environment.
type serveConfig struct {
	addr, dataDir, databaseURL string
	debugAddr                  string // GOLF_DEBUG_ADDR: the profiler's listener, or ""
	shutdown                   time.Duration
	logLevel                   slog.Level
	web                        web.Config
	live                       live.Config
	secretSet                  bool // GOLF_SECRET was given
	redis                      cluster.Config
	ops                        opsConfig
	accounts                   accountsConfig
	stats                      statsConfig
	http                       httpTimeouts
}

// loadServeConfig reads the GOLF_* variables (docs/operations.md).
func loadServeConfig(getenv env) (serveConfig, error) {
	c := serveConfig{addr: ":8000", dataDir: "./data", shutdown: 10 * time.Second, web: web.DefaultConfig(), live: live.DefaultConfig(),
		redis: cluster.Config{Prefix: "golf:", LeaseTTL: 10 * time.Second, CacheTTL: time.Hour}, accounts: defaultAccountsConfig(),
		http: defaultHTTPTimeouts()}
	var errs []error
	str := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	dur := func(name string, dst *time.Duration) {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				errs = append(errs, fmt.Errorf("%s=%q: want a duration such as 30s or 5m", name, v))
				return
			}
			*dst = d
		}
	}
	num := func(name string, dst *int) {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				errs = append(errs, fmt.Errorf("%s=%q: want a whole number", name, v))
				return
			}
			*dst = n
		}
	}
	flt := func(name string, dst *float64) {
		if v := getenv(name); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				errs = append(errs, fmt.Errorf("%s=%q: want a number", name, v))
				return
			}
			*dst = f
		}
	}
	str("GOLF_ADDR", &c.addr)
	str("GOLF_DATA_DIR", &c.dataDir)
	str("DATABASE_URL", &c.databaseURL)
	str("GOLF_DEBUG_ADDR", &c.debugAddr)
	dur("GOLF_SHUTDOWN_TIMEOUT", &c.shutdown)
	lc := &c.live
	dur("GOLF_GRACE", &lc.Grace)
	dur("GOLF_ROUND_COUNTDOWN", &lc.RoundCountdown)
	dur("GOLF_IDLE_TIMEOUT", &lc.IdleTimeout)
	dur("GOLF_QUICKPLAY_WAIT", &c.web.QuickplayWait)
	dur("GOLF_ROOM_TTL", &lc.RoomTTL)
	dur("GOLF_LOBBY_TIMEOUT", &lc.LobbyTimeout)
	num("GOLF_MAX_ROOMS", &lc.MaxRooms)
	num("GOLF_MAX_SPECTATORS", &lc.MaxSpectators)
	dur("GOLF_HANDSHAKE_TIMEOUT", &c.web.HandshakeTimeout)
	dur("GOLF_HTTP_READ_TIMEOUT", &c.http.read)
	dur("GOLF_HTTP_WRITE_TIMEOUT", &c.http.write)
	dur("GOLF_HTTP_IDLE_TIMEOUT", &c.http.idle)
	flt("GOLF_CPU_DELAY_SCALE", &lc.CPUDelayScale)
	num("GOLF_MAX_FRAME", &c.web.MaxFrame)
	flt("GOLF_RATE", &c.web.Rate)
	num("GOLF_BURST", &c.web.Burst)
	num("GOLF_SEND_QUEUE", &c.web.SendQueue)
	str("REDIS_URL", &c.redis.URL)
	str("GOLF_REDIS_PREFIX", &c.redis.Prefix)
	str("GOLF_INSTANCE_ID", &c.redis.Instance)
	dur("GOLF_LEASE_TTL", &c.redis.LeaseTTL)
	dur("GOLF_CACHE_TTL", &c.redis.CacheTTL)
	dur("GOLF_FORWARD_TIMEOUT", &lc.ForwardTimeout)
	dur("GOLF_SESSION_IDLE", &c.accounts.service.SessionIdle)
	dur("GOLF_SESSION_MAX", &c.accounts.service.SessionMax)
	str("GOLF_ADMIN_USER", &c.accounts.adminUser)
	str("GOLF_ADMIN_PASSWORD_FILE", &c.accounts.adminPasswordFile)
	if c.redis.URL != "" {
		switch {
		case c.redis.LeaseTTL < 100*time.Millisecond:
			errs = append(errs, fmt.Errorf("GOLF_LEASE_TTL=%v: want at least 100ms", c.redis.LeaseTTL))
		case c.redis.CacheTTL <= 0:
			errs = append(errs, errors.New("GOLF_CACHE_TTL must be positive"))
		}
		if strings.ContainsAny(c.redis.Instance, " \t\r\n") {
			errs = append(errs, fmt.Errorf("GOLF_INSTANCE_ID=%q: no spaces", c.redis.Instance))
		}
	}
	var serr error
	c.stats, serr = loadStatsConfig(getenv)
	errs = append(errs, serr)
	if v := getenv("GOLF_ALLOWED_ORIGINS"); v != "" {
		for _, o := range strings.Split(v, ",") {
			if o = strings.TrimSpace(o); o != "" {
				c.web.AllowedOrigins = append(c.web.AllowedOrigins, o)
			}
		}
	}
	if v := getenv("GOLF_PUBLIC_URL"); v != "" {
		for _, u := range strings.Split(v, ",") {
			if u = strings.TrimSpace(u); u == "" {
				continue
			}
			h, err := web.PublicHost(u)
			if err != nil {
				errs = append(errs, fmt.Errorf("GOLF_PUBLIC_URL=%q: %w", u, err))
				continue
			}
			c.web.PublicHosts = append(c.web.PublicHosts, h)
		}
	}
	if v := getenv("GOLF_TRUSTED_PROXIES"); v != "" {
		p, err := parseProxies(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("GOLF_TRUSTED_PROXIES: %w", err))
		}
		c.web.TrustedProxies = p
	}
	errs = append(errs, loadLimits(getenv, &c.web.Limits)...)
	if c.web.HandshakeTimeout <= 0 {
		errs = append(errs, errors.New("GOLF_HANDSHAKE_TIMEOUT must be positive"))
	}
	var opsErrs []error
	c.ops, opsErrs = loadOpsConfig(getenv)
	errs = append(errs, opsErrs...)
	if v := getenv("GOLF_LOG_LEVEL"); v != "" {
		if err := c.logLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("GOLF_LOG_LEVEL=%q: want debug, info, warn or error", v))
		}
	}
	if s := getenv("GOLF_SECRET"); s != "" {
		if len(s) < 32 {
			errs = append(errs, errors.New("GOLF_SECRET must be at least 32 characters"))
		}
		lc.Secret = []byte(s)
		c.secretSet = true
	}
	if c.redis.URL != "" {
		// Instances share rooms: each must accept the others' seat tokens,
		// and all must write one store.
		if !c.secretSet {
			errs = append(errs, errors.New("REDIS_URL is set (several instances): set the same GOLF_SECRET on every instance"))
		}
		if !isPostgres(c.databaseURL) {
			errs = append(errs, errors.New("REDIS_URL is set (several instances): DATABASE_URL must name the PostgreSQL database they share"))
		}
	}
	return c, errors.Join(errs...)
}

// secretFile returns the seat-token key kept in the data directory,
// creating it on first start. Every instance serving the same rooms needs
// the same key (set GOLF_SECRET there).
func secretFile(dir string) ([]byte, error) {
	path := filepath.Join(dir, "secret")
	b, err := os.ReadFile(path)
	if err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return nil, fmt.Errorf("%s: the secret is shorter than 32 characters", path)
		}
		return []byte(s), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var k [32]byte
	rand.Read(k[:])
	s := hex.EncodeToString(k[:])
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(s + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return []byte(s), f.Close()
}

func serveUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: golf serve

Runs the game server: the browser client, the WebSocket protocol and the
JSON API. It is configured by environment variables only, for example
GOLF_ADDR (default :8000) and GOLF_DATA_DIR (default ./data); see
docs/operations.md for all of them. DATABASE_URL=postgres://… stores games
in PostgreSQL; REDIS_URL=redis://… (with DATABASE_URL and GOLF_SECRET)
lets several instances serve the same rooms (docs/scaling.md).
`)
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return serve(ctx, args, os.Getenv, stdout, stderr)
}

func serve(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			serveUsage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "golf serve takes no arguments (got %q); it reads its settings from the environment\n", args[0])
		return 2
	}
	cfg, err := loadServeConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "golf serve: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	if err := serveUntilDone(ctx, cfg, log, stdout); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

func serveUntilDone(ctx context.Context, cfg serveConfig, log *slog.Logger, stdout io.Writer) error {
	if cfg.live.Secret == nil {
		secret, err := secretFile(cfg.dataDir)
		if err != nil {
			return fmt.Errorf("seat-token secret: %w", err)
		}
		cfg.live.Secret = secret
	}
	if cfg.debugAddr != "" {
		stop, err := serveDebug(cfg.debugAddr, log)
		if err != nil {
			return fmt.Errorf("GOLF_DEBUG_ADDR: %w", err)
		}
		defer stop()
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	o, err := newOps(cfg.ops, log)
	if err != nil {
		return err
	}
	defer o.close()
	o.observeStore(st)
	o.ready = append(o.ready, web.Check{Name: "store", Ping: st.Ping})
	accounts, err := openAccounts(st, cfg.accounts.service)
	if err != nil {
		return err
	}
	if err := bootstrapAdmin(ctx, accounts, cfg.accounts, log); err != nil {
		return err
	}
	deps := web.Deps{Accounts: accounts}
	if cfg.redis.URL != "" {
		rc := cfg.redis
		rc.Instance = cluster.NewInstanceID(rc.Instance)
		rc.Logger = log
		r, err := cluster.Open(ctx, rc)
		if err != nil {
			return err
		}
		defer r.Close()
		lc := &cfg.live
		lc.Directory, lc.Leases, lc.Bus, lc.Cache, lc.Listing = r, r, r, r, r
		deps.QuickQueue = matchmaking.NewRedis(r.Client(), rc.Prefix)
		o.ready = append(o.ready, web.Check{Name: "redis", Ping: r.Ping})
		notices, err := r.Notices(ctx, "sessions")
		if err != nil {
			return err
		}
		defer notices.Close()
		deps.Notices = notices
		// Every instance enforces one limit per client (limits.go).
		deps.Limiter = sharedLimiter(r.Client(), rc.Prefix, log)
		deps.AuthIPLimit, deps.AuthUserLimit = deps.Limiter(web.DefaultAuthIPRule), deps.Limiter(web.DefaultAuthUserRule)
		log = log.With("instance", rc.Instance)
		log.Info("sharing games through redis", "lease_ttl", rc.LeaseTTL, "prefix", rc.Prefix)
	}

	var obs stats.Observer // nothing rather than a nil pointer
	if o.metrics != nil {
		obs = o.metrics
	}
	svc, stopStats := startStats(ctx, cfg.stats, st, obs, log)
	defer stopStats() // before the store closes
	cfg.web.Client = client.FS
	cfg.web.PrivateMetrics = cfg.ops.metricsAddr != ""
	deps.Stats = svc
	if rs, ok := st.(replay.Store); ok {
		deps.Replays = replay.New(rs, nil)
	}
	srv, tables, err := newServer(cfg.web, cfg.live, deps, st, o, log)
	if err != nil {
		return err
	}
	if cfg.ops.metricsAddr != "" {
		stop, err := o.serveMetrics(cfg.ops.metricsAddr, log)
		if err != nil {
			srv.Close(context.Background())
			return err
		}
		defer stop(context.Background())
	}
	pctx, stopPurge := context.WithCancel(context.Background())
	defer stopPurge()
	go purgeSessions(pctx, accounts, cfg.accounts.purgeKeep, cfg.accounts.purgeEvery, log)
	n, err := tables.Recover(ctx)
	if err != nil {
		srv.Close(context.Background())
		return err
	}
	if n > 0 {
		log.Info("games recovered", "count", n)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	hs := newHTTPServer(srv, cfg.http, log)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	url := "http://" + displayAddr(ln.Addr())
	log.Info("listening", "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "Golf is running: open %s in your browser\n", url)

	select {
	case err := <-served:
		srv.Close(context.Background())
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.shutdown)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdown)
	defer cancel()
	// Tables first: their appends finish, then clients get 1012.
	err = srv.Close(sctx)
	err = errors.Join(err, hs.Shutdown(sctx))
	if err == nil {
		log.Info("stopped cleanly")
	}
	return err
}

// newServer wires the game server over a store: the tables (package live,
// seating package ai's players) and the web front over them, with the
// services in deps (Live is filled in here) and the operating parts o
// (metrics, error reports, readiness checks). The Server owns the
// tables: its Close closes them.
func newServer(wc web.Config, lc live.Config, deps web.Deps, st store.Store, o *ops, log *slog.Logger) (*web.Server, *live.Manager, error) {
	wc.Logger, lc.Logger = log, log
	lc.Store, lc.Bots = st, aiBots{}
	o.wire(&lc, &deps)
	tables, err := live.New(lc)
	if err != nil {
		return nil, nil, err
	}
	o.metrics.CountTables(tables.Census)
	deps.Live = tables
	srv, err := web.New(wc, deps)
	if err != nil {
		tables.Close(context.Background())
		return nil, nil, err
	}
	return srv, tables, nil
}

// openStore opens PostgreSQL when DATABASE_URL names it, else the SQLite
// file in the data directory (or the one DATABASE_URL=sqlite:PATH names).
func openStore(ctx context.Context, cfg serveConfig, log *slog.Logger) (store.Store, error) {
	url := cfg.databaseURL
	if url == "" {
		url = "sqlite:" + filepath.Join(cfg.dataDir, "golf.db")
	}
	st, desc, err := openDatabase(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open the store: %w", err)
	}
	log.Info("store opened", "store", desc)
	return st, nil
}

func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// displayAddr turns a listening address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// aiBots seats package ai's players.
type aiBots struct{}

func (aiBots) New(profile string) (ai.Player, error) { return ai.New(profile) }

// Roster lists what a host may seat: the personalities, then the expert.
func (aiBots) Roster() []ai.Profile { return ai.Lineup() }

// Standin plays for absent humans (Marcus's parameters, no noise; docs/ai.md §1.1).
func (aiBots) Standin() ai.Player { return ai.Standin() }

var _ live.Bots = aiBots{}
