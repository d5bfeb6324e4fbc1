package store

import (
	"context"
	"time"
)

// This file is the storage contract of replay, export and import (package
// replay, docs/replay.md). Both backends implement Replays beside Store and
// pass storetest.RunReplays.

// Visibility says who may open a game's replay and export links.
type Visibility string

const (
	// Public games are listed on the recent games page.
	Public Visibility = "public"
	// Unlisted games are open to anyone with the link (the default).
	Unlisted Visibility = "unlisted"
	// Private games are open to their players and admins only (and, for
	// an imported game, its importer).
	Private Visibility = "private"
)

// Valid reports whether v is one of the three visibilities.
func (v Visibility) Valid() bool { return v == Public || v == Unlisted || v == Private }

// PublicQuery pages through the public games, newest first.
type PublicQuery struct {
	// Before and BeforeID: only games that completed before (Before,
	// BeforeID) in (completed_at, id) order; zero for the newest.
	Before   time.Time
	BeforeID string
	Limit    int // 1–1000
}

// Replays is the storage of replays, imports and the archive.
type Replays interface {
	// SetVisibility sets a game's visibility; ErrNotFound, ErrInvalid.
	SetVisibility(ctx context.Context, gameID string, v Visibility) error
	// PutGame stores a whole ended game at once, in one transaction: its
	// index row from g (every field; g.ArchivedAt is ignored) and its log
	// recs, numbered 1…n in order, each with its own time. It returns
	// ErrConflict and stores nothing if the game already has events; a row
	// without events (an archived game) is replaced. ErrInvalid for a bad
	// id, a gap in the numbers, an unknown visibility or data that is not
	// a JSON object.
	PutGame(ctx context.Context, g Game, recs []Record) error
	// ArchiveGame removes an ended game's events and marks its row
	// archived at at, in one transaction. ErrNotFound for an unknown game
	// or one without events; ErrInvalid for a game still active.
	ArchiveGame(ctx context.Context, gameID string, at time.Time) error
	// ArchivableGames returns up to limit ended games, completed or
	// abandoned before before, whose events are still here, oldest first.
	ArchivableGames(ctx context.Context, before time.Time, limit int) ([]string, error)
	// PublicGames returns completed public games, newest first.
	PublicGames(ctx context.Context, q PublicQuery) ([]Game, error)
}
