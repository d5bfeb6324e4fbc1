package stats

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
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
