package live

import (
	"context"
	"time"

	"golf/game"
)

// With accounts, a human seat's player id is the user's id (package
// account), chosen by the caller that authenticated the client: CreateAs
// and JoinAs take it. An empty id keeps the old way, a fresh guest id per
// seat, for callers without accounts.

// CreateAs is Create for a known player: playerID becomes the host's id
// ("" draws a guest id).
func (m *Manager) CreateAs(ctx context.Context, c Client, playerID, name string, s game.Settings) (*Table, error) {
	return m.CreateRoom(ctx, c, playerID, name, s, RoomSettings{})
}

// JoinAs seats c as playerID ("" draws a guest id) named name, in the
// lobby. A user holds at most one seat per game: if playerID is seated
// already, at any phase, c takes that seat over as Resume would (the
// connection holding it is let go). A player the host kicked gets
// ErrKicked.
func (t *Table) JoinAs(ctx context.Context, c Client, playerID, name string) error {
	res := make(chan error, 1)
	err := t.post(ctx, func() {
		t.crash.rescue = unblock(res)
		id := playerID
		if t.bannedAddrs[addrOf(c)] && !t.seated(id) {
			// A new identity from a kicked player's address.
			res <- ErrKicked
			return
		}
		switch {
		case id == "":
			id = newPlayerID()
		case t.banned[id]:
			res <- ErrKicked
			return
		default:
			if seat := t.st.Seat(id); seat >= 0 && t.st.Seated(seat) {
				t.replaceSeat(id)
				t.attach(c, id)
				t.announceSeat(id)
				res <- nil
				return
			}
		}
		finish := func(err error) {
			if err == nil {
				t.attach(c, id)
			}
			res <- err
		}
		if r := t.replica; r != nil {
			r.forward(&forward{join: finish}, &wireMsg{Kind: kindJoin, Player: id, Name: name})
			return
		}
		finish(t.join(id, name, nil))
	})
	if err != nil {
		return err
	}
	return t.wait(ctx, res)
}

// seated reports whether player id holds a seat in the game.
func (t *Table) seated(id string) bool {
	if id == "" {
		return false
	}
	seat := t.st.Seat(id)
	return seat >= 0 && t.st.Seated(seat)
}

// SeatHolder returns the player id of the seat token holds in this room,
// without taking it: the caller checks that the player may still play
// (not banned) before it resumes. ErrBadToken, ErrKicked as Resume.
func (t *Table) SeatHolder(ctx context.Context, token string) (string, error) {
	var holder string
	err := t.call(ctx, func() error {
		for i := range t.st.NumSeats() {
			if id := t.st.PlayerID(i); tokenMatches(t.m.cfg.Secret, t.gameID, id, token) {
				if !t.st.Seated(i) {
					return ErrBadToken
				}
				if t.banned[id] {
					return ErrKicked // replaced by a CPU mid-game
				}
				holder = id
				return nil
			}
		}
		for id := range t.banned {
			if tokenMatches(t.m.cfg.Secret, t.gameID, id, token) {
				return ErrKicked
			}
		}
		return ErrBadToken
	})
	return holder, err
}

// ErrGameOver answers EndGame for a game that has ended already.
var ErrGameOver = &Error{CodeGameOver, "that game has ended already"}

// CodeGameOver: the game has ended.
const CodeGameOver Code = "game_over"

// EndGame abandons a game as the platform (an admin's "end a stuck
// game"): a GameEnded event is appended like any other, so the log stays
// the truth, and everyone at the table sees the game end. A game no table
// serves is opened first (this instance takes its lease if it is free);
// with several instances a game another instance writes is ended there.
// ErrRoomNotFound for an unknown game, ErrGameOver.
func (m *Manager) EndGame(ctx context.Context, gameID string) error {
	t, err := m.open(ctx, gameID, !m.clustered(), nil)
	if err != nil {
		return err
	}
	if t == nil {
		return ErrUnavailable
	}
	res := make(chan error, 1)
	err = t.post(ctx, func() {
		if t.st.Over() {
			res <- ErrGameOver
			return
		}
		cmd := game.EndGameCmd(game.Platform)
		if r := t.replica; r != nil {
			// The writer runs it as the platform's: instances trust each
			// other's word for the actor (onCommand).
			r.forward(&forward{join: func(err error) { res <- err }},
				&wireMsg{Kind: kindCommand, Player: game.Platform, Action: encodeAction(Action{Op: OpGame, Cmd: cmd})})
			return
		}
		t.log.Info("game ended by an admin")
		res <- t.exec(cmd, nil, 0)
	})
	if err != nil {
		return err
	}
	return t.wait(ctx, res)
}

// GameInfo is one active game, as an admin's list shows it.
type GameInfo struct {
	GameID    string
	RoomCode  string
	CreatedAt time.Time
	PlayerIDs []string // humans and CPUs, from the games index (empty in the lobby)
	// Open says a table on this instance serves the game; then Phase and
	// Seats are as it stands. A game no table serves anywhere may be stuck.
	Open  bool
	Phase game.Phase
	Seats []SeatSummary
}

// ActiveGames lists the games the store holds as active, oldest first, at
// most limit of them.
func (m *Manager) ActiveGames(ctx context.Context, limit int) ([]GameInfo, error) {
	ids, err := m.cfg.Store.ActiveGames(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) > limit {
		ids = ids[:limit]
	}
	out := make([]GameInfo, 0, len(ids))
	for _, id := range ids {
		g, err := m.cfg.Store.Game(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue // ended or gone meanwhile
		}
		gi := GameInfo{GameID: id, RoomCode: g.RoomCode, CreatedAt: g.CreatedAt, PlayerIDs: g.PlayerIDs}
		if t := m.local(id); t != nil {
			select {
			case <-t.ready:
				if t.openErr == nil {
					s := t.Info()
					gi.Open, gi.Phase, gi.Seats = true, s.Phase, s.Seats
				}
			default:
			}
		}
		out = append(out, gi)
	}
	return out, nil
}
