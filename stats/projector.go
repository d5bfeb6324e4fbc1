// Package stats keeps the player statistics: a projection of ended games'
// events into per-game results, all-time and per-period totals and a
// skill rating, and the leaderboards and histories read from them
// (docs/stats.md). Nothing here reads live state: a game counts once its
// log ends, exactly once, and `golf stats rebuild` recomputes everything
// from the events alone.
package stats

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"golf/game"
	"golf/store"
)

// Source is what the projection reads and writes: the event log and the
// statistics storage (both backends are both).
type Source interface {
	Load(ctx context.Context, gameID string) ([]store.Record, error)
	store.Stats
}

// Model is the rating model as the store calls it (store.Rater).
type Model struct{}

// Initial implements store.Rater.
func (Model) Initial() store.Rating { return NewRating() }

// Rate implements store.Rater.
func (Model) Rate(placings []int, rs []store.Rating) { Rate(placings, rs) }

// Projector takes ended games into the statistics.
type Projector struct {
	Source   Source
	Resolver Resolver     // nil: Identity
	Log      *slog.Logger // nil: discard
	// Observer is told the lag and the work done (metrics.Metrics); nil:
	// nobody.
	Observer Observer
	// Poll is how often Run looks for newly ended games.
	Poll time.Duration
	// LagEvery is how often Run logs how far behind it is.
	LagEvery time.Duration
	// Sweep is how often Run looks for unprojected games of any age; in
	// between it looks only at games that ended at most LateWindow before
	// the latest projected one (docs/stats.md, "Finding work").
	Sweep      time.Duration
	LateWindow time.Duration
	// Share is the part of its time a busy projector spends writing
	// (DefaultShare where the server sets it; 0 or 1 and above: it never
	// rests). After each batch it rests for as long again as the batch
	// took, times 1/Share − 1: games that all end at once (a tournament
	// round, a load test's ramp) are then projected over seconds, instead
	// of taking the CPU and SQLite's one writer from the games being
	// played.
	Share float64
}

// DefaultShare is the Share the server gives its projector: a wave of
// games ending at once costs the tables at most a quarter of the time.
const DefaultShare = 0.25

// Observer receives the projector's measures: the Prometheus series
// golf_stats_* (package metrics).
type Observer interface {
	// StatsLag is the number of ended games not projected yet and the age
	// of the oldest (0 when none).
	StatsLag(games int, oldest time.Duration)
	StatsProjected(n int)
	StatsRelinked(n int)
}

// batch is how many games one query hands the projector.
const batch = 100

func (p *Projector) resolver() Resolver {
	if p.Resolver == nil {
		return Identity{}
	}
	return p.Resolver
}

func (p *Projector) log() *slog.Logger {
	if p.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Log
}

// Result folds one ended game from its stored events.
func (p *Projector) Result(ctx context.Context, g store.EndedGame) (store.GameResult, error) {
	recs, err := p.Source.Load(ctx, g.ID)
	if err != nil {
		return store.GameResult{}, fmt.Errorf("stats: load %s: %w", g.ID, err)
	}
	events := make([]game.Event, len(recs))
	for i, r := range recs {
		if events[i], err = r.Event(); err != nil {
			return store.GameResult{}, fmt.Errorf("%w: game %s event %d: %v", ErrBadLog, g.ID, r.Seq, err)
		}
	}
	return Fold(ctx, g, events, p.resolver())
}

// result folds one ended game for the projection. A log that does not
// fold is marked projected without counting, and logged: retrying it would
// not help, and `golf verify` reports it.
func (p *Projector) result(ctx context.Context, g store.EndedGame) (store.GameResult, error) {
	r, err := p.Result(ctx, g)
	if errors.Is(err, ErrBadLog) {
		p.log().Error("stats: game not counted: its log does not fold", "game", g.ID, "err", err)
		return store.GameResult{GameID: g.ID, CompletedAt: g.CompletedAt}, nil
	}
	return r, err
}

// ProjectGame projects one ended game; it reports false if it was
// projected already (by another projector, say).
func (p *Projector) ProjectGame(ctx context.Context, g store.EndedGame) (bool, error) {
	r, err := p.result(ctx, g)
	if err != nil {
		return false, err
	}
	return p.Source.Project(ctx, r, Model{})
}

// commitBatch is how many games one projection transaction writes: a
// backlog pays one commit per batch rather than per game, and SQLite's
// single writer (which the game moves' commits wait for) is held for a
// batch's writes only, some 10 ms (2–3 ms a game of four; 20 games held
// every move's commit for 50 ms at a time).
const commitBatch = 5

// Pass projects every unprojected game that ended since the given time
// (zero: of any age), oldest first, commitBatch games a transaction, and
// returns how many it projected (games another projector took first are
// not counted).
func (p *Projector) Pass(ctx context.Context, since time.Time) (int, error) {
	n := 0
	for {
		games, err := p.Source.EndedGames(ctx, store.EndedQuery{Since: since, Limit: batch})
		if err != nil {
			return n, err
		}
		for chunk := range slices.Chunk(games, commitBatch) {
			results := make([]store.GameResult, 0, len(chunk))
			for _, g := range chunk {
				r, err := p.result(ctx, g)
				if err != nil {
					return n, err
				}
				results = append(results, r)
			}
			start := time.Now()
			k, err := p.projectBatch(ctx, results)
			if err != nil {
				return n, err
			}
			n += k
			if err := p.rest(ctx, time.Since(start)); err != nil {
				return n, err
			}
		}
		if len(games) < batch {
			return n, nil
		}
	}
}

// rest waits after a batch that took busy, as Share asks.
func (p *Projector) rest(ctx context.Context, busy time.Duration) error {
	if p.Share <= 0 || p.Share >= 1 {
		return nil
	}
	t := time.NewTimer(time.Duration(float64(busy) * (1/p.Share - 1)))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// busyRetries bounds how often a batch is tried again while another
// writer holds the database (store.ErrBusy): each try has already waited
// the store's own busy timeout.
const busyRetries = 10

// projectBatch writes one batch, trying again after a short random pause
// while the store reports another writer holding the database: SQLite's
// lock is not fair, and a second projector (another instance, or golf stats
// rebuild) in a tight loop could otherwise fail this pass every time.
func (p *Projector) projectBatch(ctx context.Context, results []store.GameResult) (int, error) {
	for try := 0; ; try++ {
		k, err := p.Source.ProjectBatch(ctx, results, Model{})
		if !errors.Is(err, store.ErrBusy) || try == busyRetries {
			return k, err
		}
		p.log().Info("stats: database busy; trying the batch again", "try", try+1)
		pause := time.NewTimer(time.Duration(20+rand.IntN(200)) * time.Millisecond)
		select {
		case <-ctx.Done():
			pause.Stop()
			return 0, ctx.Err()
		case <-pause.C:
		}
	}
}

// Relinks moves the statistics of every guest linked into an account at
// or after since (zero: ever) that still holds game lines of its own
// (store.Stats.StrandedGuests): the sign-in relinks at once
// (Service.Relink), and this pass finishes what a crash interrupted, or a
// game projected under the guest's id while the link was being made. It
// returns the lines moved.
func (p *Projector) Relinks(ctx context.Context, since time.Time) (int, error) {
	moved := 0
	for {
		links, err := p.Source.StrandedGuests(ctx, since, batch)
		if err != nil {
			return moved, err
		}
		n := 0
		for _, l := range links {
			k, err := p.Source.Relink(ctx, l.Guest, l.Account, Model{})
			if err != nil {
				return moved, err
			}
			if p.Observer != nil {
				p.Observer.StatsRelinked(k)
			}
			p.log().Info("stats: guest's games moved into their account", "guest", l.Guest, "user", l.Account, "games", k)
			n += k
		}
		moved += n
		// A round that moved nothing would find the same links again.
		if len(links) < batch || n == 0 {
			return moved, nil
		}
	}
}

// since is where a pass starts looking: LateWindow before the latest
// projected game, or ever (zero) for a sweep.
func (p *Projector) since(ctx context.Context, sweep bool) (time.Time, error) {
	if sweep {
		return time.Time{}, nil
	}
	t, err := p.Source.ProjectedUpTo(ctx)
	if err != nil || t.IsZero() {
		return time.Time{}, err
	}
	return t.Add(-p.LateWindow), nil
}

// Run projects until ctx ends: a sweep first (a backlog of any age, after
// a crash or a rebuild), then every Poll the recent games, and a sweep
// again every Sweep. It logs its lag every LagEvery.
func (p *Projector) Run(ctx context.Context) {
	poll := cmp.Or(p.Poll, time.Second)
	lagEvery := cmp.Or(p.LagEvery, 30*time.Second)
	sweepEvery := cmp.Or(p.Sweep, time.Hour)
	if p.LateWindow == 0 {
		p.LateWindow = 10 * time.Minute
	}
	log := p.log()
	var lastSweep, lastLag time.Time
	for {
		sweep := time.Since(lastSweep) >= sweepEvery
		since, err := p.since(ctx, sweep)
		if err == nil && time.Since(lastLag) >= lagEvery {
			lastLag = time.Now()
			p.logLag(ctx, since)
		}
		n := 0
		if err == nil {
			n, err = p.Pass(ctx, since)
		}
		if err == nil {
			linkedSince := time.Time{}
			if !sweep {
				linkedSince = time.Now().Add(-p.LateWindow)
			}
			_, err = p.Relinks(ctx, linkedSince)
		}
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			log.Error("stats: projection failed; retrying", "err", err)
		} else if sweep {
			lastSweep = time.Now()
		}
		if n > 0 {
			log.Debug("stats: games projected", "count", n)
			if p.Observer != nil {
				p.Observer.StatsProjected(n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		}
	}
}

func (p *Projector) logLag(ctx context.Context, since time.Time) {
	n, oldest, err := p.Source.StatsLag(ctx, since)
	if err == nil && p.Observer != nil {
		age := time.Duration(0)
		if n > 0 {
			age = max(time.Since(oldest), 0)
		}
		p.Observer.StatsLag(n, age)
	}
	switch {
	case err != nil:
		if ctx.Err() == nil {
			p.log().Warn("stats: lag unknown", "err", err)
		}
	case n > 0:
		p.log().Info("stats: lag", "games", n, "oldest_age", time.Since(oldest).Round(time.Millisecond))
	default:
		p.log().Debug("stats: lag", "games", 0)
	}
}

// Rebuild recomputes every statistics row from the events alone: it folds
// every ended game in rating order, rates it in memory, and hands it to
// the store, which replaces the projection in one transaction
// (store.Stats.RebuildStats) as the results stream in: nothing here holds
// a game after it is handed over (the ratings so far are a row per
// player). Games that end meanwhile are left to the projector. It
// returns the number of games counted and the number read.
func (p *Projector) Rebuild(ctx context.Context) (counted, read int, err error) {
	results := func(yield func(store.GameResult, error) bool) {
		ratings := map[string]store.Rating{}
		q := store.EndedQuery{Limit: 1000, All: true}
		for {
			games, err := p.Source.EndedGames(ctx, q)
			if err != nil {
				yield(store.GameResult{}, err)
				return
			}
			for _, g := range games {
				r, err := p.result(ctx, g)
				if err != nil {
					yield(store.GameResult{}, err)
					return
				}
				read++
				if r.Counted {
					rateInMemory(r, ratings)
					counted++
				}
				if !yield(r, nil) {
					return
				}
			}
			if len(games) < q.Limit {
				return
			}
			last := games[len(games)-1]
			q.Since, q.AfterID = last.CompletedAt, last.ID
		}
	}
	if err := p.Source.RebuildStats(ctx, results); err != nil {
		return 0, read, err
	}
	return counted, read, nil
}

// rateInMemory rates one game from the ratings so far, as Project would.
func rateInMemory(r store.GameResult, ratings map[string]store.Rating) {
	placings := make([]int, len(r.Players))
	rs := make([]store.Rating, len(r.Players))
	for i, pl := range r.Players {
		placings[i] = pl.Placing
		rt, ok := ratings[pl.PlayerID]
		if !ok {
			rt = NewRating()
		}
		rs[i] = rt
	}
	Rate(placings, rs)
	for i := range r.Players {
		r.Players[i].Rating = rs[i]
		ratings[r.Players[i].PlayerID] = rs[i]
	}
}
