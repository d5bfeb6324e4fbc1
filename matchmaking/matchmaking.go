// Package matchmaking is quick play: players wait in a queue by the table
// size they prefer (2–6), and the matcher seats them at new tables, full
// ones as soon as enough humans wait, topped up with CPU players once the
// longest-waiting one has waited long enough, so nobody waits alone.
//
// The queue is shared by every instance (Redis, or memory for one
// instance alone). Taking a group out of it is atomic, so any number of
// instances can match at once and no ticket is seated twice. The instance
// that takes a group opens its table and records each player's seat; the
// instance each player waits on finds it when it polls and sends the
// player there.
package matchmaking

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// The table sizes a player may ask for.
const (
	MinSize = 2
	MaxSize = 6
)

// Ticket is one player waiting.
type Ticket struct {
	Player string    `json:"p"`
	Name   string    `json:"n"`
	Size   int       `json:"s"` // preferred table size
	Since  time.Time `json:"t"` // when the player joined the queue
}

// Group is players taken from the queue for one table: Size of them, or
// fewer when the wait ran out (CPUs fill the rest). The longest-waiting
// player is first.
type Group struct {
	Size    int
	Players []Ticket
}

// Seat is where a matched player goes: the room, and the token of the
// seat they hold there.
type Seat struct {
	Room  string `json:"room"`
	Token string `json:"token"`
}

// Status is what Poll knows of a player.
type Status struct {
	Waiting bool  // the ticket is in the queue
	Seat    *Seat // the player was matched and seated here
}

// Queue holds the tickets, for every instance that matches.
type Queue interface {
	// Join queues a ticket, replacing the player's earlier one.
	Join(ctx context.Context, t Ticket) error
	// Leave takes the player's ticket out; false if none was queued (it
	// was never queued, or a matcher has taken it already).
	Leave(ctx context.Context, player string) (bool, error)
	// Take removes and returns the groups ready at now: for each size, a
	// group of that size while enough tickets wait, then, if the oldest
	// remaining ticket has waited wait or longer, every one left. It is
	// atomic: a ticket is taken by one call of one instance, never two.
	Take(ctx context.Context, now time.Time, wait time.Duration) ([]Group, error)
	// Seat records where a matched player sits, for ttl.
	Seat(ctx context.Context, player string, s Seat, ttl time.Duration) error
	// Poll returns what is known of each player.
	Poll(ctx context.Context, players []string) (map[string]Status, error)
}

// Opener opens a table for a group and returns each player's seat.
type Opener func(ctx context.Context, g Group) (map[string]Seat, error)

// ErrSize is returned for a table size outside MinSize..MaxSize.
var ErrSize = errors.New("matchmaking: table size out of range")

// Config is a Service's parts.
type Config struct {
	Queue Queue
	Open  Opener
	// Wait is how long the longest-waiting player waits for humans before
	// CPUs fill the table (GOLF_QUICKPLAY_WAIT).
	Wait time.Duration
	// Tick is how often the service matches and polls; default 250 ms.
	Tick time.Duration
	// Now is the clock; nil is time.Now. Tests pass a fake one.
	Now    func() time.Time
	Logger *slog.Logger
}

// DefaultWait is GOLF_QUICKPLAY_WAIT's default.
const DefaultWait = 15 * time.Second

// seatTTL is how long a matched player's seat waits to be picked up.
const seatTTL = 2 * time.Minute

// requeueAfter is how long a waiter's ticket may be missing (taken, but
// no seat recorded) before it is queued again: the instance that took it
// died before opening the table.
const requeueAfter = 10 * time.Second

// Service is one instance's matcher, and the waiters connected to it.
type Service struct {
	cfg Config
	log *slog.Logger

	mu      sync.Mutex
	waiters map[string]*waiter
}

type waiter struct {
	ticket  Ticket
	notify  func(Seat)
	missing time.Time // first poll that found neither ticket nor seat
}

// New returns a Service; Run drives it.
func New(cfg Config) (*Service, error) {
	if cfg.Queue == nil || cfg.Open == nil {
		return nil, errors.New("matchmaking: config needs a Queue and an Opener")
	}
	if cfg.Wait < 0 {
		return nil, fmt.Errorf("matchmaking: negative wait %v", cfg.Wait)
	}
	if cfg.Tick <= 0 {
		cfg.Tick = 250 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Service{cfg: cfg, log: cfg.Logger, waiters: map[string]*waiter{}}, nil
}

// Wait returns how long a player waits for humans before CPUs fill in.
func (s *Service) Wait() time.Duration { return s.cfg.Wait }

// Enqueue queues a player for a table of size. notify is called once,
// from the service's goroutine, with the player's seat when they are
// matched; it must not block.
func (s *Service) Enqueue(ctx context.Context, player, name string, size int, notify func(Seat)) error {
	if size < MinSize || size > MaxSize {
		return ErrSize
	}
	t := Ticket{Player: player, Name: name, Size: size, Since: s.cfg.Now()}
	if err := s.cfg.Queue.Join(ctx, t); err != nil {
		return fmt.Errorf("join the queue: %w", err)
	}
	s.mu.Lock()
	s.waiters[player] = &waiter{ticket: t, notify: notify}
	s.mu.Unlock()
	return nil
}

// Cancel takes a player out of the queue. It returns false when the
// player was matched already: the seat is still notified.
func (s *Service) Cancel(ctx context.Context, player string) (bool, error) {
	ok, err := s.cfg.Queue.Leave(ctx, player)
	if err != nil {
		return false, fmt.Errorf("leave the queue: %w", err)
	}
	if ok {
		s.mu.Lock()
		delete(s.waiters, player)
		s.mu.Unlock()
	}
	return ok, nil
}

// Forget stops notifying a player (their connection is gone) and takes
// them out of the queue.
func (s *Service) Forget(ctx context.Context, player string) {
	s.mu.Lock()
	delete(s.waiters, player)
	s.mu.Unlock()
	if _, err := s.cfg.Queue.Leave(ctx, player); err != nil {
		s.log.Warn("cannot take a gone player out of the queue", "err", err)
	}
}

// Waiting returns how many players wait on this instance.
func (s *Service) Waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.waiters)
}

// Run matches and polls every tick until ctx is done.
func (s *Service) Run(ctx context.Context) {
	tk := time.NewTicker(s.cfg.Tick)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tk.C:
			if err := s.Step(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("quick play: matching failed", "err", err)
			}
		}
	}
}

// Step is one round: take the groups that are ready, open their tables,
// record the seats; then tell this instance's waiters where they sit.
func (s *Service) Step(ctx context.Context) error {
	now := s.cfg.Now()
	groups, err := s.cfg.Queue.Take(ctx, now, s.cfg.Wait)
	if err != nil {
		return fmt.Errorf("take groups: %w", err)
	}
	var errs []error
	for _, g := range groups {
		if err := s.seat(ctx, g); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, s.poll(ctx, now))
	return errors.Join(errs...)
}

// seat opens a group's table and records where each player sits. A group
// whose table cannot open goes back to the queue, as it was.
func (s *Service) seat(ctx context.Context, g Group) error {
	seats, err := s.cfg.Open(ctx, g)
	if err != nil {
		for _, t := range g.Players {
			if jerr := s.cfg.Queue.Join(ctx, t); jerr != nil {
				err = errors.Join(err, jerr)
			}
		}
		return fmt.Errorf("open a table for %d: %w", len(g.Players), err)
	}
	s.log.Info("quick play: table opened", "size", g.Size, "humans", len(g.Players))
	for p, st := range seats {
		if err := s.cfg.Queue.Seat(ctx, p, st, seatTTL); err != nil {
			return fmt.Errorf("record a seat: %w", err)
		}
	}
	return nil
}

// poll tells this instance's waiters that have a seat where it is, and
// queues again those whose ticket vanished without a seat.
func (s *Service) poll(ctx context.Context, now time.Time) error {
	s.mu.Lock()
	ids := make([]string, 0, len(s.waiters))
	for id := range s.waiters {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	st, err := s.cfg.Queue.Poll(ctx, ids)
	if err != nil {
		return fmt.Errorf("poll: %w", err)
	}
	var requeue []Ticket
	s.mu.Lock()
	for _, id := range ids {
		w := s.waiters[id]
		if w == nil {
			continue
		}
		switch p := st[id]; {
		case p.Seat != nil:
			delete(s.waiters, id)
			w.notify(*p.Seat)
		case p.Waiting:
			w.missing = time.Time{}
		case w.missing.IsZero():
			w.missing = now
		case now.Sub(w.missing) >= requeueAfter:
			w.missing = time.Time{}
			requeue = append(requeue, w.ticket)
		}
	}
	s.mu.Unlock()
	for _, t := range requeue {
		s.log.Warn("quick play: a taken ticket was never seated; queued again", "player", t.Player)
		if err := s.cfg.Queue.Join(ctx, t); err != nil {
			return fmt.Errorf("queue again: %w", err)
		}
	}
	return nil
}
