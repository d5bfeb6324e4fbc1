// Package replay turns a finished game's event log into what players share:
// the export document (a versioned JSON file holding every event as
// stored), the import that brings such a file back only if every event
// folds through the engine, the step-by-step views of the replay viewer,
// and the archive that moves old games' events into files. The rules are
// package game's alone: every view here is a game.View of a folded state,
// the same code the live tables send (docs/replay.md).
package replay

import (
	"encoding/json"
	"fmt"
	"time"

	"golf/game"
	"golf/store"
)

// Format names the export document; Version is the only version this
// build reads and writes. A change to the document's shape is a new
// version, never an edit of this one.
const (
	Format  = "golf-game"
	Version = 1
)

// Document is an exported game. Events are the truth: Game is derived from
// them (and the games row's times) and checked against them on import.
type Document struct {
	Format  string  `json:"format"`
	Version int     `json:"version"`
	Game    Meta    `json:"game"`
	Events  []Event `json:"events"`
}

// Meta describes the game.
type Meta struct {
	ID           string            `json:"id"`
	RoomCode     string            `json:"room_code"`
	Status       string            `json:"status"` // completed or abandoned
	CreatedAt    time.Time         `json:"created_at"`
	CompletedAt  time.Time         `json:"completed_at"`
	Players      []Player          `json:"players"` // in seat order
	Decks        int               `json:"decks"`
	Rounds       int               `json:"rounds"`        // the rounds the game was set to
	RoundsPlayed int               `json:"rounds_played"` // rounds scored
	Options      game.Options      `json:"options"`
	Totals       []game.GamePlayer `json:"totals"`
	Winners      []string          `json:"winners"`
	Imported     bool              `json:"imported,omitempty"`
}

// Player is one seat.
type Player struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	CPU     bool   `json:"cpu"`
	Profile string `json:"cpu_profile,omitempty"`
	Seat    int    `json:"seat"`
	Left    bool   `json:"left,omitempty"`
}

// Event is one stored event: its number in the log, when it was stored,
// and the event in its stored encoding ({"type", "v", "data"}).
type Event struct {
	Seq   int64           `json:"seq"`
	At    time.Time       `json:"at"`
	Event json.RawMessage `json:"event"`
}

// Build makes the export document of a game from its games row and its
// log. It refuses (ErrUnfinished) a game that has not ended: an export
// names every card, so a game in progress must never have one.
func Build(row store.Game, recs []store.Record) (*Document, error) {
	evs := make([]game.Event, len(recs))
	out := make([]Event, len(recs))
	for i, r := range recs {
		e, err := r.Event()
		if err != nil {
			return nil, fmt.Errorf("replay: game %s event %d: %w", row.ID, r.Seq, err)
		}
		// Re-encoded canonically: PostgreSQL's JSONB keeps neither key
		// order nor spacing, and the file must not depend on the backend.
		b, err := game.MarshalEvent(e)
		if err != nil {
			return nil, fmt.Errorf("replay: game %s event %d: %w", row.ID, r.Seq, err)
		}
		evs[i], out[i] = e, Event{Seq: r.Seq, At: r.At.UTC(), Event: b}
	}
	s, err := game.Fold(evs)
	if err != nil {
		return nil, fmt.Errorf("replay: game %s: %w", row.ID, err)
	}
	if !s.Over() {
		return nil, ErrUnfinished
	}
	m := meta(s, evs)
	m.ID, m.Imported = row.ID, row.Imported
	m.CreatedAt, m.CompletedAt = row.CreatedAt.UTC(), row.CompletedAt.UTC()
	if len(out) > 0 {
		if m.CreatedAt.IsZero() {
			m.CreatedAt = out[0].At
		}
		if m.CompletedAt.IsZero() {
			m.CompletedAt = out[len(out)-1].At
		}
	}
	return &Document{Format: Format, Version: Version, Game: m, Events: out}, nil
}

// meta derives the game's description from its folded state.
func meta(s *game.State, evs []game.Event) Meta {
	v := s.View(game.Spectator)
	m := Meta{RoomCode: s.RoomCode(), Decks: v.Decks, Rounds: v.Rounds, Options: v.Options,
		Players: []Player{}, Totals: []game.GamePlayer{}, Winners: []string{}}
	for i, sv := range v.Seats {
		m.Players = append(m.Players, Player{ID: sv.ID, Name: sv.Name, CPU: sv.CPU, Profile: sv.Profile, Seat: i, Left: sv.Left})
	}
	for _, e := range evs {
		if _, ok := e.(game.RoundEnded); ok {
			m.RoundsPlayed++
		}
	}
	if r := s.Result(); r != nil {
		m.Status = string(r.Reason)
		m.Totals = append(m.Totals, r.Players...)
		m.Winners = append(m.Winners, r.Winners...)
	}
	return m
}
