package stats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"golf/store"
)

// lagSource answers StatsLag only.
type lagSource struct {
	Source
	games  int
	oldest time.Time
}

func (s lagSource) StatsLag(context.Context, time.Time) (int, time.Time, error) {
	return s.games, s.oldest, nil
}

type lagObserver struct {
	games  int
	oldest time.Duration
	calls  int
}

func (o *lagObserver) StatsLag(games int, oldest time.Duration) {
	o.games, o.oldest, o.calls = games, oldest, o.calls+1
}
func (o *lagObserver) StatsProjected(int) {}
func (o *lagObserver) StatsRelinked(int)  {}

// TestLagIsObserved: the projector's lag goes to the log (info when
// behind) and to its Observer (the golf_stats_lag_* gauges).
func TestLagIsObserved(t *testing.T) {
	var logs bytes.Buffer
	obs := &lagObserver{}
	p := &Projector{Source: lagSource{games: 7, oldest: time.Now().Add(-2 * time.Minute)}, Observer: obs,
		Log: slog.New(slog.NewTextHandler(&logs, nil))}
	p.logLag(context.Background(), time.Time{})
	if obs.calls != 1 || obs.games != 7 || obs.oldest < 2*time.Minute || obs.oldest > 3*time.Minute {
		t.Errorf("observed %+v, want 7 games, 2 minutes", obs)
	}
	if !strings.Contains(logs.String(), "stats: lag") || !strings.Contains(logs.String(), "games=7") {
		t.Errorf("log: %q", logs.String())
	}
	p.Source = lagSource{}
	p.logLag(context.Background(), time.Time{})
	if obs.calls != 2 || obs.games != 0 || obs.oldest != 0 {
		t.Errorf("caught up: observed %+v", obs)
	}
}

var _ store.Stats = lagSource{}

// busySource ends one game and refuses its batch with store.ErrBusy the
// first busyFor times, as SQLite does while another handle keeps its
// write lock.
type busySource struct {
	Source
	busyFor, calls int
	err            error // returned after busyFor (nil: the batch is written)
}

func (s *busySource) EndedGames(_ context.Context, q store.EndedQuery) ([]store.EndedGame, error) {
	if !q.Since.IsZero() || q.AfterID != "" {
		return nil, nil
	}
	return []store.EndedGame{{ID: "g1", Status: "abandoned", CompletedAt: time.Unix(1, 0)}}, nil
}

func (s *busySource) Load(context.Context, string) ([]store.Record, error) { return nil, nil }

func (s *busySource) ProjectBatch(_ context.Context, rs []store.GameResult, _ store.Rater) (int, error) {
	s.calls++
	if s.calls <= s.busyFor {
		return 0, fmt.Errorf("sqlite: project %s: %w", rs[0].GameID, store.ErrBusy)
	}
	if s.err != nil {
		return 0, s.err
	}
	return len(rs), nil
}

// TestPassWaitsOutABusyDatabase: a batch refused because another writer
// holds the database is tried again, and the pass succeeds; one that stays
// busy past busyRetries, or fails for another reason, fails the pass.
func TestPassWaitsOutABusyDatabase(t *testing.T) {
	other := errors.New("disk full")
	for _, tc := range []struct {
		name      string
		src       busySource
		wantN     int
		wantErr   error
		wantCalls int
	}{
		{"busy twice", busySource{busyFor: 2}, 1, nil, 3},
		{"never busy", busySource{}, 1, nil, 1},
		{"busy for good", busySource{busyFor: busyRetries + 5}, 0, store.ErrBusy, busyRetries + 1},
		{"another error is not retried", busySource{err: other}, 0, other, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := tc.src
				p := &Projector{Source: &src, Log: slog.New(slog.DiscardHandler)}
				n, err := p.Pass(context.Background(), time.Time{})
				if n != tc.wantN || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
					t.Errorf("Pass: %d, %v; want %d, %v", n, err, tc.wantN, tc.wantErr)
				}
				if src.calls != tc.wantCalls {
					t.Errorf("ProjectBatch called %d times, want %d", src.calls, tc.wantCalls)
				}
			})
		})
	}
}

// slowSource ends games games and writes each batch in perBatch.
type slowSource struct {
	Source
	games    int
	perBatch time.Duration
	batches  int
}

func (s *slowSource) EndedGames(_ context.Context, q store.EndedQuery) ([]store.EndedGame, error) {
	if !q.Since.IsZero() || q.AfterID != "" {
		return nil, nil
	}
	out := make([]store.EndedGame, s.games)
	for i := range out {
		out[i] = store.EndedGame{ID: fmt.Sprintf("g%d", i), Status: "abandoned", CompletedAt: time.Unix(int64(i), 0)}
	}
	return out, nil
}

func (s *slowSource) Load(context.Context, string) ([]store.Record, error) { return nil, nil }

func (s *slowSource) ProjectBatch(_ context.Context, rs []store.GameResult, _ store.Rater) (int, error) {
	s.batches++
	time.Sleep(s.perBatch)
	return len(rs), nil
}

// TestPassRestsByShare: a busy projector writes a Share of its time and
// rests the rest; without a Share it writes batch after batch. Batches
// stay small, so SQLite's writer is never held for long.
func TestPassRestsByShare(t *testing.T) {
	for _, tc := range []struct {
		share float64
		ratio float64 // elapsed / time writing
	}{{0, 1}, {1, 1}, {0.25, 4}, {0.5, 2}} {
		t.Run(fmt.Sprint(tc.share), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := &slowSource{games: 40, perBatch: 10 * time.Millisecond}
				p := &Projector{Source: src, Log: slog.New(slog.DiscardHandler), Share: tc.share}
				start := time.Now()
				n, err := p.Pass(context.Background(), time.Time{})
				if err != nil || n != 40 {
					t.Fatalf("Pass: %d, %v", n, err)
				}
				if src.batches != 40/commitBatch {
					t.Errorf("%d batches, want %d", src.batches, 40/commitBatch)
				}
				busy := time.Duration(src.batches) * src.perBatch
				if got, want := time.Since(start), time.Duration(float64(busy)*tc.ratio); got != want {
					t.Errorf("Pass took %v for %v of writing, want %v", got, busy, want)
				}
			})
		})
	}
}
