package live

import (
	"context"
	"time"

	"golf/game"
)

// Observer is told what the tables do, for metrics (package metrics
// implements it). Its methods are called from the tables' goroutines and
// must not block. Labels are from fixed sets, never ids.
type Observer interface {
	// CPUTurn: the server played a seat's command; player is "cpu" or
	// "standin" (for an absent human).
	CPUTurn(player string)
	// Forwarded: a command this replica forwarded was answered (outcome
	// ok, rejected) or given up (unavailable), took after it was sent.
	Forwarded(outcome string, took time.Duration)
	// Published: one message on the bus, to "game" (a writer's change)
	// or "instance" (a forwarded command or an answer).
	Published(to string, took time.Duration)
	// CacheLookup: a game rebuilt with the state cache: "hit" (used),
	// "miss" (none cached), "stale" (refused) or "error".
	CacheLookup(result string)
	// GamesRecovered: n active games reopened from the store as writer.
	GamesRecovered(n int)
	// TookOver: a replica became its game's writer.
	TookOver()
	// TablePanicked: a table's goroutine recovered from a panic.
	TablePanicked()
}

// Reporter sends a recovered panic to an error tracker (package report);
// tags say where it happened (game_id, room, role), never who.
type Reporter interface {
	Panic(ctx context.Context, v any, tags map[string]string)
}

type nopObserver struct{}

func (nopObserver) CPUTurn(string)                  {}
func (nopObserver) Forwarded(string, time.Duration) {}
func (nopObserver) Published(string, time.Duration) {}
func (nopObserver) CacheLookup(string)              {}
func (nopObserver) GamesRecovered(int)              {}
func (nopObserver) TookOver()                       {}
func (nopObserver) TablePanicked()                  {}

// GameID returns the id of the table's game.
func (t *Table) GameID() string { return t.gameID }

// Census counts the tables open here (replicas included) and the games
// this instance writes, by phase: what the room gauges show.
func (m *Manager) Census() (rooms int, games map[string]int) {
	games = make(map[string]int, int(game.PhaseGameOver))
	for p := game.PhaseWaiting; p <= game.PhaseGameOver; p++ {
		games[p.String()] = 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.tables {
		if s := t.info.Load(); s.writer && s.Phase != game.PhaseNew {
			games[s.Phase.String()]++
		}
	}
	return len(m.tables), games
}

// cpuTurn counts a command the table played for seat id.
func (t *Table) cpuTurn(id string) {
	player := "standin"
	if cpu, _ := t.st.IsCPU(t.st.Seat(id)); cpu {
		player = "cpu"
	}
	t.m.cfg.Observer.CPUTurn(player)
}

// forwarded times a forwarded command's answer; f.due is its send time
// plus the forward timeout, and zero if it was never sent.
func (t *Table) forwarded(f *forward, err error) {
	if f.due.IsZero() {
		return
	}
	outcome := "ok"
	switch code, _, _ := ErrorCode(err); {
	case err == nil:
	case code == string(CodeUnavailable):
		outcome = "unavailable"
	default:
		outcome = "rejected"
	}
	t.m.cfg.Observer.Forwarded(outcome, time.Since(f.due.Add(-t.m.cfg.ForwardTimeout)))
}

// published times a publication begun at start; call it deferred.
func (m *Manager) published(to string, start time.Time) {
	m.cfg.Observer.Published(to, time.Since(start))
}
