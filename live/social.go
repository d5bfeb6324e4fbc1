package live

import (
	"context"
	"time"

	"golf/game"
)

// The social side of a table: room settings (public, chat), chat lines
// and reactions. None of it is a game event: it is never appended to the
// game's log (a replay shows the game, not the talk), and it is not kept
// once delivered. With several instances, chat rides the game's channel
// on the bus like a batch with no events, so a line said on one instance
// reaches the clients attached on every other.

// RoomSettings are a room's platform settings, beside the rules of the
// game. The writer holds them and publishes them with the room status, so
// every instance enforces the same; they are not in the event log, so a
// restart of the only instance resets them (not public, chat on).
type RoomSettings struct {
	Public bool // listed in GET /api/rooms while the lobby has a free seat
	NoChat bool // the host turned chat lines off (reactions stay)
}

// RoomPatch changes some room settings; a nil field is left as it is.
type RoomPatch struct {
	Public *bool
	Chat   *bool
}

// Chat is a chat line or a reaction from a seated player, delivered to
// every client of the room (the sender too, with Ack set to its frame id).
type Chat struct {
	Ack      int64
	Seat     int
	PlayerID string
	Name     string
	Text     string // a chat line, or ""
	Reaction string // a reaction, or ""
	At       int64  // Unix ms, when the table took it
}

func (*Chat) message() {}

// The social error codes (docs/protocol.md).
const (
	CodeChatOff    Code = "chat_off"
	CodeSpectating Code = "spectating"
)

// Sentinels for errors.Is.
var (
	ErrChatOff    = &Error{CodeChatOff, "the host turned chat off in this room"}
	ErrSpectating = &Error{CodeSpectating, "spectators can read the chat but not write in it"}
)

// CreateRoom is CreateAs with room settings.
func (m *Manager) CreateRoom(ctx context.Context, c Client, playerID, name string, s game.Settings, rs RoomSettings) (*Table, error) {
	t, err := m.openNew(ctx)
	if err != nil {
		return nil, err
	}
	err = t.call(ctx, func() error {
		id := playerID
		if id == "" {
			id = newPlayerID()
		}
		t.room = rs
		if err := t.exec(game.CreateGameCmd(id, name, t.roomCode, s), nil, 0); err != nil {
			t.closing, t.ended = true, true
			return err
		}
		t.log.Info("room created", "host", id, "public", rs.Public)
		t.attach(c, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Say sends a chat line (text) or a reaction from c's seat to everyone in
// the room. The caller has checked the text and the reaction (package
// chat) and the sender's rate. Refusals come to c as a Reject with id:
// ErrSpectating, ErrChatOff.
func (t *Table) Say(ctx context.Context, c Client, id int64, text, reaction string) error {
	return t.post(ctx, func() {
		mb := t.member(c)
		if mb == nil {
			return
		}
		seat := game.Spectator
		if mb.id != "" {
			seat = t.st.Seat(mb.id)
		}
		switch {
		case seat < 0 || !t.st.Seated(seat):
			c.Deliver(&Reject{ID: id, Err: ErrSpectating})
			return
		case text != "" && t.room.NoChat:
			c.Deliver(&Reject{ID: id, Err: ErrChatOff})
			return
		}
		msg := &Chat{Seat: seat, PlayerID: mb.id, Name: t.seatName(seat), Text: text, Reaction: reaction,
			At: time.Now().UnixMilli()}
		t.deliverChat(msg, mb, id)
		if t.m.clustered() {
			w := &wireMsg{Kind: kindChat, Game: t.gameID, Player: msg.PlayerID, Name: msg.Name, Seat: msg.Seat,
				Text: msg.Text, React: msg.Reaction, At: msg.At}
			if err := t.m.publish(w); err != nil {
				t.log.Warn("cannot publish a chat line", "err", err)
			}
		}
	})
}

func (t *Table) seatName(seat int) string {
	if seat < 0 || seat >= t.st.NumSeats() {
		return ""
	}
	return t.st.Name(seat)
}

// deliverChat hands msg to every client attached here; from gets it with
// its frame id as the acknowledgement.
func (t *Table) deliverChat(msg *Chat, from *member, ack int64) {
	for _, mb := range t.members {
		m := msg
		if mb == from && ack != 0 {
			c := *msg
			c.Ack = ack
			m = &c
		}
		mb.c.Deliver(m)
	}
}

// onChat delivers a chat line said on another instance.
func (t *Table) onChat(w *wireMsg) {
	seat := t.st.Seat(w.Player)
	if seat < 0 {
		seat = w.Seat
	}
	t.deliverChat(&Chat{Seat: seat, PlayerID: w.Player, Name: w.Name, Text: w.Text, Reaction: w.React, At: w.At}, nil, 0)
}

// setRoom is the host's OpRoom: it changes the room settings. Public can
// change only in the lobby; chat at any time.
func (t *Table) setRoom(mb *member, id int64, p *RoomPatch) error {
	if p == nil {
		return badRequest("room settings missing")
	}
	me := t.st.Seat(mb.id)
	switch {
	case me < 0 || !t.st.Seated(me):
		return game.ErrNotAPlayer
	case me != t.st.Host():
		return &game.Error{Code: game.CodeNotHost, Msg: "only the host can change the room settings"}
	case p.Public != nil && *p.Public != t.room.Public && t.st.Phase() != game.PhaseWaiting:
		return &game.Error{Code: game.CodeWrongPhase, Msg: "a room can be made public only in the lobby"}
	}
	if p.Public != nil {
		t.room.Public = *p.Public
	}
	if p.Chat != nil {
		t.room.NoChat = !*p.Chat
	}
	t.log.Info("room settings changed", "public", t.room.Public, "chat", !t.room.NoChat)
	t.relist(false)
	t.broadcast(nil, mb, id)
	t.publishInfo()
	return nil
}
