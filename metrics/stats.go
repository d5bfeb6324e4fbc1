package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// statsCollectors are the statistics projector's series (package stats,
// docs/stats.md): how far behind the event log it is, and what it did.
type statsCollectors struct {
	lagGames   prometheus.Gauge
	lagSeconds prometheus.Gauge
	projected  prometheus.Counter
	relinked   prometheus.Counter
}

func (c *statsCollectors) init(f factory) {
	c.lagGames = f.gauge("golf_stats_lag_games", "Ended games the statistics projector has not taken in yet, at its last look (every 30 s).")
	c.lagSeconds = f.gauge("golf_stats_lag_seconds", "Age of the oldest ended game the statistics projector has not taken in yet (0 when none), at its last look.")
	c.projected = f.counter("golf_stats_games_projected_total", "Ended games this instance's projector took into the statistics.")
	c.relinked = f.counter("golf_stats_relinked_games_total", "Game lines of guests moved into the account they signed in to, by this instance (at the sign-in, or by its projector's relink pass).")
}

// StatsLag records how far behind the projector is: games not yet
// projected and the age of the oldest (0 when none).
func (m *Metrics) StatsLag(games int, oldest time.Duration) {
	if m == nil {
		return
	}
	m.stats.lagGames.Set(float64(games))
	m.stats.lagSeconds.Set(oldest.Seconds())
}

// StatsProjected counts games projected.
func (m *Metrics) StatsProjected(n int) {
	if m == nil {
		return
	}
	m.stats.projected.Add(float64(n))
}

// StatsRelinked counts game lines moved from a guest into an account.
func (m *Metrics) StatsRelinked(n int) {
	if m == nil {
		return
	}
	m.stats.relinked.Add(float64(n))
}
