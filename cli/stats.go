package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"golf/stats"
	"golf/store"
)

// statsConfig is what golf serve reads for the statistics
// (docs/operations.md).
type statsConfig struct {
	off      bool          // GOLF_STATS=off: no projector, no statistics API
	minGames int           // GOLF_LEADERBOARD_MIN_GAMES
	poll     time.Duration // GOLF_STATS_POLL
}

func loadStatsConfig(getenv env) (statsConfig, error) {
	c := statsConfig{minGames: stats.DefaultConfig().MinGames, poll: time.Second}
	switch v := getenv("GOLF_STATS"); v {
	case "", "on":
	case "off":
		c.off = true
	default:
		return c, fmt.Errorf("GOLF_STATS=%q: want on or off", v)
	}
	if v := getenv("GOLF_LEADERBOARD_MIN_GAMES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("GOLF_LEADERBOARD_MIN_GAMES=%q: want a whole number from 1", v)
		}
		c.minGames = n
	}
	if v := getenv("GOLF_STATS_POLL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("GOLF_STATS_POLL=%q: want a duration such as 1s", v)
		}
		c.poll = d
	}
	return c, nil
}

// startStats starts the statistics projector over st in the background
// and returns the service web answers from, with a function that stops the
// projector and waits for it (before the store closes). Both are nil and a
// no-op when statistics are off or the store keeps none.
func startStats(ctx context.Context, cfg statsConfig, st store.Store, obs stats.Observer, log *slog.Logger) (*stats.Service, func()) {
	src, ok := st.(stats.Source)
	if cfg.off || !ok {
		log.Info("statistics off")
		return nil, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	res, dir := identities(st)
	p := &stats.Projector{Source: src, Resolver: res, Log: log, Poll: cfg.poll, Observer: obs, Share: stats.DefaultShare}
	var wg sync.WaitGroup
	wg.Go(func() { p.Run(ctx) })
	svc := stats.NewService(src, dir, stats.Config{MinGames: cfg.minGames})
	return svc, func() { cancel(); wg.Wait() }
}

// identities are how the statistics name players: through the accounts
// the store keeps (a guest linked into an account counts as the account;
// a profile's name is a username or a player id), or by player id alone.
// The projector and golf stats rebuild must use the same.
func identities(st any) (stats.Resolver, stats.Directory) {
	if a, ok := st.(store.Accounts); ok {
		return a, stats.Accounts{Store: a}
	}
	return stats.Identity{}, stats.IDs{}
}

func statsCommand() command {
	return command{"stats", "rebuild the player statistics from the events", runStats}
}

// runStats is golf stats rebuild: every statistics row recomputed from the
// events alone, in one transaction (docs/stats.md).
func runStats(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf stats rebuild [--database-url URL]")
		fmt.Fprintln(stderr, "\nRecomputes every player statistic, leaderboard row and rating from the events of")
		fmt.Fprintln(stderr, "the ended games, and replaces the old ones in one transaction. Servers may keep")
		fmt.Fprintln(stderr, "running: games that end meanwhile are projected after it.")
		fs.PrintDefaults()
	}
	if len(args) == 0 || args[0] != "rebuild" {
		fs.Usage()
		return 2
	}
	url := databaseFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	db, desc, err := openDatabase(ctx, *url)
	if err != nil {
		fmt.Fprintf(stderr, "golf stats: %v\n", err)
		return 1
	}
	defer db.Close()
	src, ok := db.(stats.Source)
	if !ok {
		fmt.Fprintf(stderr, "golf stats: %s keeps no statistics\n", desc)
		return 1
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	res, _ := identities(db)
	p := &stats.Projector{Source: src, Resolver: res, Log: log}
	start := time.Now()
	counted, read, err := p.Rebuild(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "golf stats rebuild: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %d ended games read, %d counted; statistics rebuilt in %v\n",
		desc, read, counted, time.Since(start).Round(time.Millisecond))
	return 0
}
