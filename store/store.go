// Package store defines how games are kept: the event log and the games
// index. Its sub-packages are the backends, sqlite (embedded, the default)
// and postgres; both pass the one conformance suite in storetest.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"golf/game"
)

// ErrConflict is returned by Append when the log does not hold exactly the
// expected number of events: another writer got there first. It is the
// fence that keeps a game's history from forking.
var ErrConflict = errors.New("store: sequence conflict")

// ErrNotFound is returned for a game the store does not hold.
var ErrNotFound = errors.New("store: not found")

// ErrInvalid is returned, wrapped with the reason, for input the store
// refuses before touching the database: a malformed game id, a negative
// expected count, an event too large for its column. Nothing is stored.
var ErrInvalid = errors.New("store: invalid input")

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("store: closed")

// ErrBusy means another writer held the database longer than the store
// waits for it (SQLite's busy timeout: its lock is not fair, so a writer in
// a tight loop can starve another handle). Nothing was written; the caller
// may try again.
var ErrBusy = errors.New("store: busy: another writer holds the database")

// Record is one stored event.
type Record struct {
	GameID   string
	Seq      int64  // 1-based position in the game's log
	Type     string // e.g. "CardDrawn"
	PlayerID string // the acting player, "" if none
	// Data is the event as game.MarshalEvent wrote it, up to JSON
	// equivalence: PostgreSQL's JSONB keeps neither key order nor spacing.
	Data json.RawMessage
	At   time.Time
}

// Event decodes the record's event.
func (r Record) Event() (game.Event, error) { return game.UnmarshalEvent(r.Data) }

// Game is one row of the games index (the seed's games table), kept in step
// with the log by Append.
type Game struct {
	ID          string
	RoomCode    string
	Status      string // active, completed, abandoned
	CreatedAt   time.Time
	CompletedAt time.Time // zero while active
	NumPlayers  int
	NumRounds   int
	Options     json.RawMessage
	WinnerID    string // the first winner, "" if none
	PlayerIDs   []string
	// Visibility of its replay and export links (store/replay.go).
	Visibility Visibility
	// Imported: brought in by import (a copy; counts for nothing in the
	// statistics), by the user ImportedBy ("" for the operator).
	Imported   bool
	ImportedBy string
	// ArchivedAt is when its events were archived to a file and removed
	// (zero if they are here).
	ArchivedAt time.Time
}

// LobbyDiscarder is a Store that can drop a game that never started: an
// abandoned lobby (package live) then leaves nothing behind, so a flood of
// rooms does not grow the database. Both backends implement it; live
// checks for it, so a store without it (a test's) keeps such games.
type LobbyDiscarder interface {
	// DiscardLobby deletes a game's events and index row if its log holds
	// no GameStarted, and reports whether it did. A game that started is
	// left as it is (false, nil); so is one that does not exist.
	DiscardLobby(ctx context.Context, gameID string) (bool, error)
}

// Store is what every backend provides; storetest checks it.
type Store interface {
	// Append stores events as numbers expected+1, expected+2, … of the
	// game's log, in one transaction, or returns ErrConflict and stores
	// nothing when the log does not hold exactly expected events. expected
	// is 0 for a new game. It updates the games index from GameCreated,
	// SettingsChanged, GameStarted and GameEnded in the same transaction.
	// When Append returns nil the events are durable. Input it refuses
	// (a malformed id, an event that would not decode back) gets
	// ErrInvalid. An error other than ErrConflict means nothing was stored,
	// except for a connection lost while committing, which the caller must
	// treat as unknown (reload the log). Appending no events stores nothing
	// and returns nil. Concurrent Appends to different games are committed
	// together (group commit).
	Append(ctx context.Context, gameID string, expected int64, events []game.Event) error
	// Load returns a game's whole log in order, or ErrNotFound.
	Load(ctx context.Context, gameID string) ([]Record, error)
	// LoadAfter returns the events numbered after after, in order: none,
	// and no error, when the log is no longer (or the game unknown). A
	// server holding a game's state at some sequence number (a cache
	// snapshot, a replica) catches up with the log through it.
	LoadAfter(ctx context.Context, gameID string, after int64) ([]Record, error)
	// LoadLogs reads the whole logs of several games at once, in as few
	// round trips as the backend can (one query on PostgreSQL), and calls
	// fn once for each game of ids that has events, with its log in order
	// (games in no particular order; none twice). A restart rebuilds every
	// active game through it. fn may keep recs. An error from fn stops the
	// reading and is returned; so is ErrInvalid, before anything is read,
	// for a malformed id.
	LoadLogs(ctx context.Context, ids []string, fn func(gameID string, recs []Record) error) error
	// Game returns a game's index row, or ErrNotFound.
	Game(ctx context.Context, gameID string) (Game, error)
	// ActiveGames returns the ids of games whose status is active, oldest
	// first.
	ActiveGames(ctx context.Context) ([]string, error)
	// GameIDs returns the id of every game with events or an index row,
	// sorted; audits and exports walk it.
	GameIDs(ctx context.Context) ([]string, error)
	// Ping checks that the database answers, cheaply (readiness checks
	// call it every few seconds); ErrClosed after Close.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Observer is told about a backend's writes, for metrics (package metrics
// implements it). It is called on the write path: it must not block.
type Observer interface {
	// Appended reports one Append: how long its caller waited for the
	// verdict (queue and transaction), and the verdict: "ok", "conflict"
	// or "error".
	Appended(wait time.Duration, outcome string)
	// Committed reports one group-commit transaction: how many Appends it
	// wrote and how long it took.
	Committed(appends int, took time.Duration)
}
