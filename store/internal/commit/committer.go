package commit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golf/game"
	"golf/store"
)

// The life of an Append in the committer: pending until either the
// committer takes it into a batch or its caller withdraws it (context done,
// store closed). Exactly one of the two wins the compare-and-swap, so an
// Append that returns a context error was never written, and one that was
// taken always waits for its verdict.
const (
	pending int32 = iota
	taken
	withdrawn
)

// Flush writes a batch in one transaction and returns one verdict per
// Append (nil, store.ErrConflict or an error). It must not return until
// every verdict is final: nil means committed.
type Flush func(ctx context.Context, batch []*Append) []error

// Config tunes a Committer.
type Config struct {
	// MaxBatch caps the Appends in one transaction (default 256).
	MaxBatch int
	// Timeout bounds one batch's transaction (default 30s): a taken Append
	// cannot be withdrawn, so this is what keeps a hung database from
	// holding its callers forever.
	Timeout time.Duration
	// Workers is how many batches may be in flight at once (default 1).
	// SQLite has one writer, so 1; PostgreSQL can overlap one batch's
	// commit with the next batch's statements on another connection.
	Workers int
	// Window paces the commits of a busy committer (default DefaultWindow;
	// negative: no pacing). While Appends keep coming (one of the last
	// calmAfter batches held more than one, or one arrived while it
	// committed), the next transaction, whichever worker writes it, starts
	// no sooner than Window after the last one began, with what arrived
	// meanwhile (up to MaxBatch, which ends the wait at once). An Append that finds the committer
	// idle is written at once. So no Append waits more than Window for
	// the pacing, and each commit (a transaction and an fsync, the larger
	// part of a move's CPU) serves more of them.
	Window time.Duration
}

// DefaultWindow is Config.Window's default: at most 100 commits a second
// while busy, and at most 10 ms added to an Append's latency. Measured
// (docs/BENCHMARKS.md, "Issue 16, second pass" and "third pass"): at 400
// Appends a second (about 1,000 players) they arrive 2.5 ms apart, so a
// 2 ms window gathered next to nothing, 5 ms gathered 2.6–3.0 and cut the
// CPU per Append by a quarter to a half; from 5 to 10 ms the server's CPU
// per move fell 12% at 2,000 players and 21% at 5,000, the median move
// took 3 ms longer, and the p99 stayed under 50 ms (14 and 25 ms).
const DefaultWindow = 10 * time.Millisecond

// Committer is a group committer: a goroutine takes every Append queued
// while the previous transaction was committing and writes them all in the
// next one. When idle, an Append is written at once, alone; under load,
// batches grow by themselves, paced by Config.Window, and one commit (one
// fsync) serves many games.
type Committer struct {
	flush   Flush
	cfg     Config
	queue   chan *Append
	quit    chan struct{} // closed by Close
	stopped chan struct{} // closed when every worker has exited
	once    sync.Once

	// The pacing's state, shared by the workers; pace is held (a token in
	// it) while a worker gathers its batch. A channel, not a mutex: a
	// worker waiting for it is then durably blocked in a synctest bubble,
	// which the tests' fake clock needs.
	pace    chan struct{}
	calm    int       // lone batches in a row, up to calmAfter
	started time.Time // when the last transaction began
	obs     atomic.Pointer[observer]
}

// observer boxes a store.Observer for the atomic pointer.
type observer struct{ store.Observer }

// Observe makes o hear of every Append and every batch from now on.
func (c *Committer) Observe(o store.Observer) {
	if o == nil {
		c.obs.Store(nil)
		return
	}
	c.obs.Store(&observer{o})
}

// Start starts a committer that writes batches with flush.
func Start(flush Flush, cfg Config) *Committer {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 256
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.Window == 0 {
		cfg.Window = DefaultWindow
	}
	c := &Committer{
		flush:   flush,
		cfg:     cfg,
		queue:   make(chan *Append, 4*cfg.MaxBatch),
		quit:    make(chan struct{}),
		stopped: make(chan struct{}),
		pace:    make(chan struct{}, 1),
		calm:    calmAfter,
	}
	var wg sync.WaitGroup
	for range cfg.Workers {
		wg.Go(c.loop)
	}
	go func() { wg.Wait(); close(c.stopped) }()
	return c
}

// Append is store.Store's Append for a backend that writes through c.
func (c *Committer) Append(ctx context.Context, gameID string, expected int64, events []game.Event) error {
	a, err := Prepare(gameID, expected, events)
	if err != nil {
		return fmt.Errorf("append %s: %w", gameID, err)
	}
	if len(events) == 0 {
		return nil
	}
	if o := c.obs.Load(); o != nil {
		start := time.Now()
		err = c.Do(ctx, a)
		o.Appended(time.Since(start), outcome(err))
	} else {
		err = c.Do(ctx, a)
	}
	if err != nil {
		return fmt.Errorf("append %s after %d: %w", gameID, expected, err)
	}
	return nil
}

// outcome names an Append's verdict for an Observer.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, store.ErrConflict):
		return "conflict"
	}
	return "error"
}

// Do queues a and waits for its verdict.
func (c *Committer) Do(ctx context.Context, a *Append) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-c.quit:
		return store.ErrClosed
	default:
	}
	select {
	case c.queue <- a:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.quit:
		return store.ErrClosed
	}
	select {
	case err := <-a.done:
		return err
	case <-ctx.Done():
		if atomic.CompareAndSwapInt32(&a.state, pending, withdrawn) {
			return ctx.Err()
		}
	case <-c.stopped:
		if atomic.CompareAndSwapInt32(&a.state, pending, withdrawn) {
			return store.ErrClosed
		}
	}
	// Taken into a batch: the verdict is coming and is the truth.
	return <-a.done
}

// Close writes what is queued, stops the committer and waits for it.
func (c *Committer) Close() {
	c.once.Do(func() { close(c.quit) })
	<-c.stopped
}

func (c *Committer) loop() {
	batch := make([]*Append, 0, c.cfg.MaxBatch)
	var (
		timer *time.Timer
		ok    bool
	)
	for {
		c.pace <- struct{}{}
		batch, ok = c.next(batch[:0], &timer)
		<-c.pace
		if !ok {
			return
		}
		c.write(batch)
		c.pace <- struct{}{}
		if len(batch) > 1 || len(c.queue) > 0 {
			c.calm = 0
		} else if c.calm < calmAfter {
			c.calm++
		}
		<-c.pace
	}
}

// next waits for the next batch and gathers it, pacing it after the
// last one any worker started; ok is false when the committer is closed
// and nothing is queued. The caller holds c.pace: workers gather one at a
// time (and write at once), so with two workers the pacing still spaces
// the transactions by Window, not each worker's.
func (c *Committer) next(batch []*Append, timer **time.Timer) (_ []*Append, ok bool) {
	var first *Append
	select {
	case first = <-c.queue:
	case <-c.quit:
		// Write what was queued before Close, then stop.
		select {
		case first = <-c.queue:
		default:
			return batch, false
		}
	}
	batch = c.fill(append(batch, first))
	if wait := time.Until(c.started.Add(c.cfg.Window)); c.calm < calmAfter && wait > 0 && len(batch) < c.cfg.MaxBatch {
		if *timer == nil {
			*timer = time.NewTimer(wait)
		} else {
			(*timer).Reset(wait)
		}
		batch = c.gather(batch, (*timer).C)
		(*timer).Stop()
	}
	c.started = time.Now()
	return batch, true
}

// calmAfter is how many lone batches in a row (one Append, none arriving
// while it committed) end the pacing. Under a steady load many batches are
// lone when the commit is quick, and pacing only from the last one would
// rarely start; a caller appending one after another (an import, a test)
// only ever makes lone batches and is never held.
const calmAfter = 8

// fill adds to batch what is queued now, up to MaxBatch.
func (c *Committer) fill(batch []*Append) []*Append {
	for len(batch) < c.cfg.MaxBatch {
		select {
		case a := <-c.queue:
			batch = append(batch, a)
		default:
			return batch
		}
	}
	return batch
}

// gather adds to batch what arrives until the window closes, the batch is
// full or the committer is closed (which writes what it holds at once).
func (c *Committer) gather(batch []*Append, window <-chan time.Time) []*Append {
	for len(batch) < c.cfg.MaxBatch {
		select {
		case a := <-c.queue:
			batch = append(batch, a)
		case <-window:
			return batch
		case <-c.quit:
			return c.fill(batch)
		}
	}
	return batch
}

// write takes the still-pending Appends of batch, flushes them and hands
// out the verdicts.
func (c *Committer) write(batch []*Append) {
	live := batch[:0]
	for _, a := range batch {
		if atomic.CompareAndSwapInt32(&a.state, pending, taken) {
			live = append(live, a)
		}
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.Timeout)
	start := time.Now()
	verdicts := c.flush(ctx, live)
	if o := c.obs.Load(); o != nil {
		appends := 0
		for _, a := range live {
			if a.Job == nil {
				appends++
			}
		}
		o.Committed(appends, time.Since(start))
	}
	cancel()
	for i, a := range live {
		a.done <- verdicts[i]
	}
}
