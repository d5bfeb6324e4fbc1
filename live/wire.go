package live

import (
	"encoding/json"
	"errors"
	"fmt"

	"golf/game"
)

// What instances say to each other over the Bus (docs/scaling.md). Every
// message names its game and its sender; the kind says which other
// fields it uses. The events are whole (unredacted): the bus is inside
// the trust boundary, like the store.
type wireMsg struct {
	Kind wireKind `json:"k"`
	Game string   `json:"g"`
	From string   `json:"i"` // the sending instance

	// batch: the writer's change. Seq is the log's length after Events.
	Seq    int64             `json:"s,omitempty"`
	Events []json.RawMessage `json:"e,omitempty"`
	Room   *wireRoom         `json:"room,omitempty"`
	Cause  uint64            `json:"c,omitempty"`  // command: the sender's ref; batch: the ref of the command that caused it
	To     string            `json:"to,omitempty"` // batch: the instance whose command (Cause) it was

	// command (replica → writer) and its reply (writer → replica).
	Player  string      `json:"p,omitempty"`
	Name    string      `json:"n,omitempty"` // join
	Action  *wireAction `json:"a,omitempty"`
	Code    string      `json:"code,omitempty"`
	ErrKey  string      `json:"key,omitempty"`
	Message string      `json:"msg,omitempty"`

	// chat (on the game's channel): a line or a reaction said on From.
	Seat  int    `json:"seat,omitempty"`
	Text  string `json:"t,omitempty"`
	React string `json:"r,omitempty"`
	At    int64  `json:"at,omitempty"`

	// presence (replica → writer): connections per seated player id, and
	// spectators, on the sender.
	Players    map[string]int `json:"ps,omitempty"`
	Spectators int            `json:"sp,omitempty"`
}

type wireKind string

const (
	kindBatch    wireKind = "batch"    // on the game's channel
	kindSeat     wireKind = "seat"     // on the game's channel: Player resumed on From; others drop theirs
	kindReleased wireKind = "released" // on the game's channel: the writer let the lease go
	kindClosed   wireKind = "closed"   // on the game's channel: the room is closed for good
	kindCommand  wireKind = "cmd"      // to the writer's inbox
	kindJoin     wireKind = "join"     // to the writer's inbox
	kindReply    wireKind = "reply"    // to the sender's inbox
	kindPresence wireKind = "presence" // to the writer's inbox
	kindChat     wireKind = "chat"     // on the game's channel: a chat line or reaction, never an event

	kindResync wireKind = "" // not on the wire: the bus may have lost messages
)

type wireRoom struct {
	Online      []bool  `json:"online"`
	NextRoundAt int64   `json:"next,omitempty"`
	Rematch     string  `json:"rematch,omitempty"`
	Spectators  int     `json:"sp,omitempty"` // on every instance
	TurnLimit   int     `json:"tl,omitempty"`
	Deadlines   []int64 `json:"dl,omitempty"`
	Away        []bool  `json:"away,omitempty"`
	Replaced    []bool  `json:"rp,omitempty"`
	Ready       []bool  `json:"ready,omitempty"`
	Held        bool    `json:"held,omitempty"`
	Timeouts    []int   `json:"to,omitempty"`
	Public      bool    `json:"public,omitempty"`
	NoChat      bool    `json:"nochat,omitempty"`
}

type wireAction struct {
	Op        Op             `json:"op"`
	Kind      string         `json:"kind,omitempty"`
	Pos       int            `json:"pos,omitempty"`
	Source    game.Source    `json:"src,omitempty"`
	Positions []int          `json:"positions,omitempty"`
	Settings  *game.Settings `json:"settings,omitempty"`
	Profile   string         `json:"profile,omitempty"`
	Player    string         `json:"player,omitempty"`
	Public    *bool          `json:"public,omitempty"` // OpRoom
	Chat      *bool          `json:"chat,omitempty"`   // OpRoom
}

func encodeAction(a Action) *wireAction {
	w := &wireAction{Op: a.Op, Profile: a.Profile, Player: a.Player}
	if a.Room != nil {
		w.Public, w.Chat = a.Room.Public, a.Room.Chat
	}
	if a.Op == OpGame {
		w.Kind, w.Pos, w.Source, w.Positions = a.Cmd.Kind.String(), a.Cmd.Pos, a.Cmd.Source, a.Cmd.Positions
		if a.Cmd.Kind == game.CmdChangeSettings {
			s := a.Cmd.Settings
			w.Settings = &s
		}
	}
	return w
}

func (w *wireAction) decode() (Action, error) {
	if w == nil {
		return Action{}, errors.New("command without an action")
	}
	a := Action{Op: w.Op, Profile: w.Profile, Player: w.Player}
	if w.Op == OpRoom {
		a.Room = &RoomPatch{Public: w.Public, Chat: w.Chat}
	}
	if w.Op == OpGame {
		k, ok := game.ParseKind(w.Kind)
		if !ok {
			return Action{}, fmt.Errorf("unknown command kind %q", w.Kind)
		}
		a.Cmd = game.Command{Kind: k, Pos: w.Pos, Source: w.Source, Positions: w.Positions}
		if w.Settings != nil {
			a.Cmd.Settings = *w.Settings
		}
	}
	return a, nil
}

func encodeEvents(evs []game.Event) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(evs))
	for i, e := range evs {
		b, err := game.MarshalEvent(e)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

func decodeEvents(raw []json.RawMessage) ([]game.Event, error) {
	out := make([]game.Event, len(raw))
	for i, b := range raw {
		e, err := game.UnmarshalEvent(b)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		out[i] = e
	}
	return out, nil
}

// platformCodes are the codes of *Error; every other code is the rules'.
var platformCodes = map[string]bool{
	string(CodeBadRequest): true, string(CodeRoomNotFound): true, string(CodeBadToken): true,
	string(CodeKicked): true, string(CodeUnavailable): true,
}

// replyError rebuilds the error a reply carries, or nil.
func (m *wireMsg) replyError() error {
	switch {
	case m.Code == "":
		return nil
	case platformCodes[m.Code]:
		return &Error{Code: Code(m.Code), Msg: m.Message}
	}
	return &game.Error{Code: game.Code(m.Code), Key: m.ErrKey, Msg: m.Message}
}
