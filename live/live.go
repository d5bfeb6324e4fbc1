// Package live runs the tables of games being played: one goroutine owns
// each game (its state and its event sequence) and is its only writer. A
// command goes Decide → store.Append → Apply → fan-out, so a move is
// acknowledged only once its events are durable. The table also plays the
// CPU seats with their thinking delays, deals the next round after a
// countdown, plays for disconnected humans after a grace period, and ends
// games nobody is at any more.
//
// live knows nothing of the wire: it talks to connected clients through the
// Client interface and the Message values it delivers. Package web turns
// those into WebSocket frames.
//
// Alone (embedded mode) an instance writes every game it serves. With
// Leases and a Bus (package cluster, on Redis) several instances serve
// the same games: the one holding a game's lease writes it and publishes
// its events; the others keep replica tables that fold those events for
// their own clients and forward their commands to the writer. When a
// writer dies, its lease expires and another instance takes the game over
// from the store (docs/scaling.md).
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golf/ai"
	"golf/game"
	"golf/store"
)

// Config holds a Manager's dependencies and limits. Durations are used as
// they are (zero means "at once"); DefaultConfig gives the production values.
type Config struct {
	Store  store.Store  // where every event is appended; required
	Bots   Bots         // CPU players; required
	Secret []byte       // seat-token key, at least 32 bytes; required
	Logger *slog.Logger // nil: discard

	// Grace is how long a disconnected human's turn (or initial flip, or
	// lobby seat) waits before the platform acts for them.
	Grace time.Duration
	// RoundCountdown is the pause after a round ends before the next one is
	// dealt automatically.
	RoundCountdown time.Duration
	// IdleTimeout ends (abandons) a game, or closes a lobby, in which no
	// human has been connected for this long.
	IdleTimeout time.Duration
	// LobbyTimeout closes a lobby (a game not started) in which no seated
	// human has been connected for this long: it ends, and stops counting
	// against MaxRooms. Zero: lobbies wait IdleTimeout like games.
	LobbyTimeout time.Duration
	// MaxSpectators caps the spectators of one room; 0 means no cap.
	MaxSpectators int
	// RoomTTL is how long a finished room stays open once its last client
	// has gone, so its players can read the results and ask for a rematch.
	RoomTTL time.Duration
	// CPUDelayScale multiplies the CPU players' thinking delays (docs/ai.md §4):
	// 1 in production, 0 in tests and load tests.
	CPUDelayScale float64
	// AppendTimeout bounds one store append.
	AppendTimeout time.Duration
	// MaxRooms caps the rooms open at once; 0 means no limit.
	MaxRooms int

	// Directory maps room codes to games; nil is an in-process map, for
	// one instance alone. Instances sharing games share one (Redis).
	Directory Directory
	// Leases and Bus, both set, make this instance one of several serving
	// the same games (package cluster); both nil is embedded mode.
	Leases Leases
	Bus    Bus
	// Listing holds the public rooms; nil is an in-process one, for one
	// instance alone. Instances sharing games share one (Redis).
	Listing Listing
	// Cache, if set, keeps the latest state of every live game, so that an
	// instance taking a game over need not fold its whole log.
	Cache Cache
	// ForwardTimeout bounds the wait for the writer's answer to a command
	// forwarded from another instance; the client then gets unavailable.
	ForwardTimeout time.Duration

	// Observer hears what the tables do (package metrics); nil: nobody.
	Observer Observer
	// Reporter receives the panics tables recover from (package report);
	// nil: they are logged only.
	Reporter Reporter
}

// Directory maps room codes to game ids. A room code not in use names "".
type Directory interface {
	// ClaimRoom reserves roomCode for gameID; false if another game has it.
	ClaimRoom(ctx context.Context, roomCode, gameID string) (bool, error)
	// LookupRoom returns the game a room code names, or "".
	LookupRoom(ctx context.Context, roomCode string) (string, error)
	// ReleaseRoom frees roomCode if gameID holds it.
	ReleaseRoom(ctx context.Context, roomCode, gameID string) error
}

// Leases say which instance writes a game: the holder of its lease, which
// expires TTL after its last renewal.
type Leases interface {
	// Acquire takes the lease if it is free and returns its holder (this
	// instance if it got the lease, or already had it).
	Acquire(ctx context.Context, gameID string) (holder string, err error)
	// Renew extends this instance's lease (taking it again if it expired
	// and nobody else did), keeps the room code's directory entry alive,
	// and returns the holder.
	Renew(ctx context.Context, gameID, roomCode string) (holder string, err error)
	// Release lets the lease go, if this instance holds it.
	Release(ctx context.Context, gameID string) error
	// TTL is how long a lease outlives its last renewal.
	TTL() time.Duration
}

// Cache keeps each live game's latest state. It is a shortcut, never the
// truth: a cached state is used only on top of the log's own tail.
type Cache interface {
	SaveState(ctx context.Context, gameID string, seq int64, data []byte) error
	// LoadState returns the state cached for a game and its sequence
	// number, or (0, nil) if none is.
	LoadState(ctx context.Context, gameID string) (int64, []byte, error)
	// StateSeq returns the sequence number of the cached state, or 0.
	StateSeq(ctx context.Context, gameID string) (int64, error)
}

// Bus carries messages between instances: a channel per game, on which
// its writer publishes, and an inbox per instance. Delivery is at most
// once and in order per sender.
type Bus interface {
	// Instance is this instance's id, as leases name it.
	Instance() string
	Publish(ctx context.Context, gameID string, msg []byte) error
	Send(ctx context.Context, instance string, msg []byte) error
	// Subscribe returns once every later message on the game's channel
	// will be delivered.
	Subscribe(ctx context.Context, gameID string) error
	Unsubscribe(ctx context.Context, gameID string) error
	// Listen sets the receiver of every message: gameID "" is the inbox;
	// a nil msg says messages of gameID may have been lost.
	Listen(h func(gameID string, msg []byte))
}

// DefaultConfig returns the production timings; the caller fills in Store,
// Bots, Secret and Logger.
func DefaultConfig() Config {
	return Config{
		Grace:          30 * time.Second,
		RoundCountdown: 8 * time.Second,
		IdleTimeout:    5 * time.Minute,
		LobbyTimeout:   time.Minute,
		MaxSpectators:  100,
		RoomTTL:        10 * time.Minute,
		CPUDelayScale:  1,
		AppendTimeout:  5 * time.Second,
		MaxRooms:       10000,
		ForwardTimeout: 5 * time.Second,
	}
}

// Bots makes CPU players. The server wires package ai; tests may seat
// simpler players.
type Bots interface {
	// New returns the player for a profile id from Roster.
	New(profile string) (ai.Player, error)
	// Roster lists the profiles a host may seat, in the picker's order.
	// A random pick deals only those not marked Expert: the expert is
	// seated only when the host names it.
	Roster() []ai.Profile
	// Standin returns the player that stands in for an absent human.
	Standin() ai.Player
}

// Roster lists the CPU players a host may seat here, in the picker's order
// (the Bots' roster, so a listing never offers a player the tables cannot seat).
func (m *Manager) Roster() []ai.Profile { return m.cfg.Bots.Roster() }

// Client is one connection to a table, as the table sees it.
type Client interface {
	// Deliver queues m for the client. The table calls it from its own
	// goroutine, in order, and it must never block: a client that cannot
	// keep up disconnects itself (and may resume).
	Deliver(m Message)
}

// Addresser is a Client that knows its network address (the client's, as
// package web works it out). A table remembers the address of a player the
// host kicks, so that the kick holds against a new identity from there.
type Addresser interface {
	Addr() string
}

func addrOf(c Client) string {
	if a, ok := c.(Addresser); ok {
		return a.Addr()
	}
	return ""
}

// Message is what a table delivers to a client: *Welcome, *Update,
// *Reject, *Moved or *Bye.
type Message interface{ message() }

// Welcome tells a client the seat it holds (Seat is game.Spectator and
// Token empty for a spectator).
type Welcome struct {
	Room     string
	GameID   string
	Seat     int
	PlayerID string
	Token    string
}

// Update is the table after a change, as one client may see it. Updates
// are shared between clients that see the same thing: treat them as
// read-only.
type Update struct {
	Seq    int64        // events in the game's log
	Ack    int64        // the client's command id that caused this change, or 0
	View   game.View    // the client's redacted view
	Events []game.Event // the change's events, redacted for the client (game.Redact)
	Room   RoomStatus

	refs atomic.Int32 // clients yet to Release it (spectators share one)
}

// updates holds Updates handed back by Release: one per receiver per
// change had been half the server's garbage at 10,000 players, and the
// collector's work is what stretched the tail (docs/BENCHMARKS.md).
var updates = sync.Pool{New: func() any { return new(Update) }}

// newUpdate returns an Update for one client, its View and Events
// storage reused: the caller writes every field (ViewInto writes all of
// View), so nothing of an earlier receiver's shows through.
func newUpdate() *Update {
	u := updates.Get().(*Update)
	u.refs.Store(1)
	return u
}

// Release hands u back once a client is done with it: its frame written,
// or dropped. The client must not touch u, nor anything u holds, after;
// a client that never calls it loses nothing but the reuse.
func (u *Update) Release() {
	if u.refs.Add(-1) == 0 {
		updates.Put(u)
	}
}

// RoomStatus is what a table shows of its room besides the game.
type RoomStatus struct {
	RoomCode    string
	Online      []bool       // by seat: a client is connected (CPU seats always are)
	NextRoundAt int64        // Unix ms at which the next round is dealt, or 0
	Rematch     string       // the room of the rematch, once the host asked for one
	Settings    RoomSettings // public, chat (social.go)

	// The table flow (turns.go).
	TurnLimit int     // the turn timer in seconds, 0 for none
	Deadlines []int64 // by seat: Unix ms at which the seat's time runs out, or 0; nil for none
	Away      []bool  // by seat: timed out twice in a row, played for until they act; nil for none
	Replaced  []bool  // by seat: removed by the host mid-game, a CPU plays it; nil with Away
	Ready     []bool  // by seat, between holes: said ready for the next one
	Held      bool    // between holes: someone held the score sheet up

	// timeouts, by seat, are the turns timed out in a row: the writer's
	// count, passed on to whoever writes next (not shown to clients).
	timeouts []int
}

// Reject answers a command that changed nothing.
type Reject struct {
	ID  int64 // the command's id, or 0
	Err error // a *game.Error or a *live.Error
}

// Moved sends a client to the rematch: it should resume there with Token
// (or watch, when Token is empty).
type Moved struct {
	Room  string
	Token string
}

// Bye ends a client's attachment to the table; the connection should close.
type Bye struct {
	Reason ByeReason
}

// ByeReason says why a table let a client go.
type ByeReason string

// The reasons for Bye.
const (
	ByeLeft     ByeReason = "left"     // the client gave up its seat
	ByeKicked   ByeReason = "kicked"   // the host removed the player
	ByeReplaced ByeReason = "replaced" // the seat was resumed on another connection
	ByeClosed   ByeReason = "closed"   // the room closed
	ByeRestart  ByeReason = "restart"  // the room goes on, but not on this table: resume
)

func (*Welcome) message() {}
func (*Update) message()  {}
func (*Reject) message()  {}
func (*Moved) message()   {}
func (*Bye) message()     {}

// Code names a platform error; the rules' own rejections are *game.Error.
type Code string

// The platform's error codes (docs/protocol.md).
const (
	CodeBadRequest   Code = "bad_request"
	CodeRoomNotFound Code = "room_not_found"
	CodeBadToken     Code = "bad_token"
	CodeKicked       Code = "kicked"
	CodeUnavailable  Code = "unavailable"
	// CodeRateLimited: too many of something (frames, rooms created,
	// settings changes in one lobby); the client may try again later.
	CodeRateLimited Code = "rate_limited"
	// CodeSpectatorsFull: the room has as many spectators as it takes.
	CodeSpectatorsFull Code = "spectators_full"
	CodeNameTaken      Code = "name_taken"
)

// Error is a platform rejection: not a rule of the game but of the server.
type Error struct {
	Code Code
	Msg  string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Msg }

// Is matches any *Error with the same error code, so errors.Is(err, ErrKicked) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is.
var (
	ErrRoomNotFound   = &Error{CodeRoomNotFound, "no room with that code"}
	ErrBadToken       = &Error{CodeBadToken, "that seat token does not hold a seat in this room"}
	ErrKicked         = &Error{CodeKicked, "the host removed you from this room"}
	ErrUnavailable    = &Error{CodeUnavailable, "the server cannot store moves right now; try again"}
	ErrSpectatorsFull = &Error{CodeSpectatorsFull, "this room has as many spectators as it takes"}
	ErrTooManyChanges = &Error{CodeRateLimited, "this lobby's settings have changed too often; start the game or open a new room"}
	ErrNameTaken      = &Error{CodeNameTaken, "a player in this room already has that name; pick another"}
)

func badRequest(format string, args ...any) error {
	return &Error{CodeBadRequest, fmt.Sprintf(format, args...)}
}

// ErrorCode returns the wire error code, offending key and message of an error
// from this package or from the rules engine.
func ErrorCode(err error) (code, key, msg string) {
	var ge *game.Error
	if errors.As(err, &ge) {
		return string(ge.Code), ge.Key, ge.Message()
	}
	var le *Error
	if errors.As(err, &le) {
		return string(le.Code), "", le.Msg
	}
	return string(CodeUnavailable), "", "internal error"
}
