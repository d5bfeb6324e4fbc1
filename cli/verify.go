package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sync/atomic"
	"time"

	"golf/cluster"
	"golf/game"
	"golf/live"
	"golf/store"
	"golf/store/audit"
)

// runVerify rebuilds every stored game from its events and checks the log
// and the games index (package audit) and, with a Redis, that the cached
// state of every live game is the state its log folds to. It exits 1 if
// any game fails.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf verify [--database-url URL] [--redis-url URL [--redis-prefix P]]")
		fmt.Fprintln(stderr, "\nRebuilds every stored game from its events and checks it, and the cached state of")
		fmt.Fprintln(stderr, "every live game when a Redis is given; exits 1 on any failure.")
		fs.PrintDefaults()
	}
	url := databaseFlag(fs)
	redisURL := fs.String("redis-url", os.Getenv("REDIS_URL"), "redis://… whose live-game cache to compare with the log; empty: no cache check")
	prefix := fs.String("redis-prefix", envOr("GOLF_REDIS_PREFIX", "golf:"), "the servers' GOLF_REDIS_PREFIX")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	db, desc, err := openDatabase(ctx, *url)
	if err != nil {
		fmt.Fprintf(stderr, "golf verify: %v\n", err)
		return 1
	}
	defer db.Close()
	var (
		checks []audit.Check
		cached atomic.Int64
	)
	if *redisURL != "" {
		r, err := cluster.Open(ctx, cluster.Config{URL: *redisURL, Prefix: *prefix,
			Instance: cluster.NewInstanceID("verify"), LeaseTTL: 10 * time.Second, CacheTTL: time.Hour})
		if err != nil {
			fmt.Fprintf(stderr, "golf verify: %v\n", err)
			return 1
		}
		defer r.Close()
		checks = append(checks, cacheCheck(r, &cached))
	}
	r, err := audit.Run(ctx, db, checks...)
	for _, f := range r.Failures {
		fmt.Fprintf(stdout, "FAIL %s: %s\n", f.GameID, f.Reason)
	}
	if err != nil {
		fmt.Fprintf(stderr, "golf verify: %v\n", err)
		return 1
	}
	bad := map[string]bool{}
	for _, f := range r.Failures {
		bad[f.GameID] = true
	}
	fmt.Fprintf(stdout, "%s: %d games, %d events checked", desc, r.Games, r.Events)
	if *redisURL != "" {
		fmt.Fprintf(stdout, ", %d cached states compared", cached.Load())
	}
	fmt.Fprintf(stdout, "; %d failed\n", len(bad))
	if len(bad) > 0 {
		return 1
	}
	return 0
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// stateCache is what verify reads of the live-game cache.
type stateCache interface {
	LoadState(ctx context.Context, gameID string) (int64, []byte, error)
}

// cacheCheck compares a game's cached state, if it has one, with the
// state its log folds to at the cache's sequence number: the cache is a
// shortcut servers take instead of folding the log, so they must agree.
func cacheCheck(c stateCache, compared *atomic.Int64) audit.Check {
	return func(ctx context.Context, id string, _ *game.State, log []store.Record) error {
		seq, data, err := c.LoadState(ctx, id)
		if err != nil {
			return fmt.Errorf("read the cache: %w", err)
		}
		if data == nil {
			return nil // not a live game, or not cached
		}
		compared.Add(1)
		cs, err := live.DecodeCached(seq, data)
		if err != nil {
			return err
		}
		if seq < 1 || seq > int64(len(log)) {
			return fmt.Errorf("the cached state is at event %d; the log has %d", seq, len(log))
		}
		s := new(game.State)
		for _, r := range log[:seq] {
			e, err := r.Event()
			if err == nil {
				err = s.Apply(e)
			}
			if err != nil {
				return fmt.Errorf("event %d: %w", r.Seq, err)
			}
		}
		if !reflect.DeepEqual(s, cs.State) {
			return fmt.Errorf("the cached state at event %d is not the state the log folds to", seq)
		}
		return nil
	}
}
