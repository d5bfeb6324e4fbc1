// Package commit holds what the SQL backends share on the write path: the
// checked, encoded form of an Append (Prepare) and the group committer that
// batches concurrent Appends into one transaction (Committer).
package commit

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"golf/game"
	"golf/store"
)

// Column limits of the schema (VARCHAR(n) in PostgreSQL). SQLite would take
// longer values; checking here keeps the backends alike and turns what would
// be a database error mid-batch into a clear error before it.
const (
	maxType     = 50 // events.event_type
	maxPlayerID = 50 // events.player_id, games.winner_id, games.player_ids
	maxRoomCode = 10 // games.room_code
)

// Row is one event ready to insert.
type Row struct {
	Type     string
	PlayerID string // "" is stored as NULL
	Data     []byte // game.MarshalEvent's encoding
}

// IndexKind says which games-index change an event makes.
type IndexKind uint8

const (
	// Created inserts the row: RoomCode, Options.
	Created IndexKind = iota + 1
	// Started sets NumPlayers, NumRounds, Options, PlayerIDs.
	Started
	// Ended sets Status, WinnerID and completed_at.
	Ended
	// Settings sets Options: the lobby's settings changed.
	Settings
)

// Index is one change to a game's index row, in log order.
type Index struct {
	Kind       IndexKind
	RoomCode   string
	Options    []byte // settings JSON: {"decks":…,"rounds":…,"options":{…}}
	NumPlayers int
	NumRounds  int
	PlayerIDs  []string
	Status     string
	WinnerID   string
}

// Append is one call to Store.Append, checked and encoded, waiting for its
// verdict.
type Append struct {
	GameID   string
	Expected int64
	Rows     []Row
	Index    []Index

	// Job, when not nil, is a backend's own small write made in the
	// batch's transaction in place of events (GameID, Rows and Index are
	// then empty); the backend's Flush knows its type. It shares the
	// batch's commit and fsync where a transaction of its own would hold
	// SQLite's one writer for an fsync more (see NewJob).
	Job any

	state int32 // pending, taken or withdrawn; see Committer
	done  chan error
}

// NewJob is an Append that carries a backend's job to the committer
// instead of events. A seat guest's user row is one: made for each
// connection without an account that sits down, 500 a second while a
// load ramps, each in a transaction of its own they queued behind one
// another for SQLite's writer and the moves waited behind them
// (docs/BENCHMARKS.md, "Issue 16, fourth pass").
func NewJob(job any) *Append {
	return &Append{Job: job, done: make(chan error, 1)}
}

// Prepare checks and encodes an Append. Every event must encode and decode
// back (so nothing is stored that could not be read), and every value must
// fit its column; otherwise it returns an error wrapping store.ErrInvalid.
func Prepare(gameID string, expected int64, events []game.Event) (*Append, error) {
	if err := store.CheckGameID(gameID); err != nil {
		return nil, err
	}
	if expected < 0 {
		return nil, fmt.Errorf("%w: expected count %d is negative", store.ErrInvalid, expected)
	}
	a := &Append{GameID: gameID, Expected: expected, Rows: make([]Row, len(events)), done: make(chan error, 1)}
	for i, e := range events {
		if e == nil {
			return nil, fmt.Errorf("%w: event %d is nil", store.ErrInvalid, i)
		}
		data, err := game.MarshalEvent(e)
		if err != nil {
			return nil, fmt.Errorf("%w: event %d: %v", store.ErrInvalid, i, err)
		}
		// A value that encodes but does not decode (game.HiddenDraw, a feed
		// redaction, is one) must never reach the log.
		if _, err := game.UnmarshalEvent(data); err != nil {
			return nil, fmt.Errorf("%w: event %d (%T) does not decode: %v", store.ErrInvalid, i, e, err)
		}
		row := Row{Type: e.Type(), PlayerID: e.Actor(), Data: data}
		if err := fits("event type", row.Type, maxType); err != nil {
			return nil, err
		}
		if err := fits("player id", row.PlayerID, maxPlayerID); err != nil {
			return nil, err
		}
		a.Rows[i] = row
		ix, ok, err := indexChange(e)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		if ok {
			a.Index = append(a.Index, ix)
		}
	}
	return a, nil
}

func fits(what, s string, n int) error {
	if utf8.RuneCountInString(s) > n {
		return fmt.Errorf("%w: %s %.60q is longer than %d characters", store.ErrInvalid, what, s, n)
	}
	return nil
}

// indexChange is what event e changes in its game's index row.
func indexChange(e game.Event) (Index, bool, error) {
	switch e := e.(type) {
	case game.GameCreated:
		opts, err := json.Marshal(e.Settings)
		if err != nil {
			return Index{}, false, fmt.Errorf("%w: settings: %v", store.ErrInvalid, err)
		}
		if err := fits("room code", e.RoomCode, maxRoomCode); err != nil {
			return Index{}, false, err
		}
		return Index{Kind: Created, RoomCode: e.RoomCode, Options: opts}, true, nil
	case game.SettingsChanged:
		opts, err := json.Marshal(e.Settings)
		if err != nil {
			return Index{}, false, fmt.Errorf("%w: settings: %v", store.ErrInvalid, err)
		}
		return Index{Kind: Settings, Options: opts}, true, nil
	case game.GameStarted:
		// The binding settings, with the deck count the start fixed.
		opts, err := json.Marshal(game.Settings{Decks: e.Decks, Rounds: e.Rounds, Options: e.Options})
		if err != nil {
			return Index{}, false, fmt.Errorf("%w: settings: %v", store.ErrInvalid, err)
		}
		for _, id := range e.Players {
			if err := fits("player id", id, maxPlayerID); err != nil {
				return Index{}, false, err
			}
		}
		return Index{Kind: Started, NumPlayers: len(e.Players), NumRounds: e.Rounds, Options: opts,
			PlayerIDs: e.Players}, true, nil
	case game.GameEnded:
		ix := Index{Kind: Ended, Status: StatusOf(e.Reason)}
		if len(e.Winners) > 0 {
			ix.WinnerID = e.Winners[0]
		}
		return ix, true, nil
	}
	return Index{}, false, nil
}

// StatusOf is the games.status a GameEnded reason leads to.
func StatusOf(r game.GameEndReason) string {
	if r == game.ReasonCompleted {
		return "completed"
	}
	return "abandoned"
}
