package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"golf/game"
	"golf/live"
)

// ProtocolVersion is the v of every frame (docs/protocol.md).
const ProtocolVersion = 1

// inFrame is every field a client frame may carry; which are required
// depends on its type.
type inFrame struct {
	V         int             `json:"v"`
	ID        int64           `json:"id"`
	Type      string          `json:"type"`
	Name      string          `json:"name"`
	Room      string          `json:"room"`
	Token     string          `json:"token"`
	Settings  json.RawMessage `json:"settings"`
	Profile   string          `json:"profile"`
	PlayerID  string          `json:"player_id"`
	Source    *string         `json:"source"`
	Pos       *int            `json:"pos"`
	Positions []int           `json:"positions"`
	Public    *bool           `json:"public"`   // create, room_settings
	Chat      *bool           `json:"chat"`     // create, room_settings
	Text      string          `json:"text"`     // chat
	Reaction  string          `json:"reaction"` // react
	Size      int             `json:"size"`     // queue
}

// request is a decoded client frame: a session frame (create, join,
// resume, watch) or an action for the table.
type request struct {
	ID       int64
	Type     string
	Name     string
	Room     string
	Token    string
	Settings game.Settings
	RoomSet  live.RoomSettings // create
	Action   live.Action
	Text     string // chat
	Reaction string // react
	Size     int    // queue
}

// sessionTypes are the frames that attach a connection to a room.
var sessionTypes = map[string]bool{"create": true, "join": true, "resume": true, "watch": true}

// queueTypes are the quick-play frames, sent before a connection has a
// room (web/quickplay.go); socialTypes are chat and reactions, which go
// to the room but are no game command (web/chat.go).
var (
	queueTypes  = map[string]bool{"queue": true, "leave_queue": true}
	socialTypes = map[string]bool{"chat": true, "react": true}
)

// simple maps the frames without arguments to their game command.
var simple = map[string]game.Kind{
	"start": game.CmdStartGame, "put_back": game.CmdPutBack, "discard": game.CmdDiscard,
	"skip_flip": game.CmdSkipFlip, "knock": game.CmdKnock, "next_round": game.CmdNextRound,
	"end_game": game.CmdEndGame, "leave": game.CmdLeave,
}

// positional maps the frames with a pos to their game command.
var positional = map[string]game.Kind{
	"swap": game.CmdSwap, "flip": game.CmdFlip, "flip_as_action": game.CmdFlipAsAction,
}

// decodeFrame parses one client frame. A frame that is not valid JSON,
// has another version, an unknown type or lacks a required field is a
// *live.Error bad_request; settings the rules refuse are the engine's
// *game.Error (unknown_option, invalid_option_value). The id is returned
// whenever it could be read, so the error can name the frame.
func decodeFrame(data []byte) (request, error) {
	var f inFrame
	if err := json.Unmarshal(data, &f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return request{ID: f.ID}, badRequest("field %s has the wrong type", te.Field)
		}
		return request{}, badRequest("a frame must be one JSON object")
	}
	r := request{ID: f.ID, Type: f.Type}
	if f.V != ProtocolVersion {
		return r, badRequest("unsupported protocol version %d (want %d)", f.V, ProtocolVersion)
	}
	if f.ID < 0 {
		return request{}, badRequest("id must be a positive integer")
	}
	need := func(ok bool, field string) error {
		if !ok {
			return badRequest("%s needs %s", f.Type, field)
		}
		return nil
	}
	var err error
	switch f.Type {
	case "create":
		r.Name = f.Name
		r.Settings = game.DefaultSettings()
		if f.Settings != nil && string(f.Settings) != "null" {
			r.Settings, err = game.ParseSettings(f.Settings)
		}
		r.RoomSet.Public = f.Public != nil && *f.Public
		r.RoomSet.NoChat = f.Chat != nil && !*f.Chat
	case "join":
		r.Name, r.Room = f.Name, f.Room
		err = need(f.Room != "", "room")
	case "resume":
		r.Room, r.Token = f.Room, f.Token
		err = need(f.Room != "" && f.Token != "", "room and token")
	case "watch":
		r.Room = f.Room
		err = need(f.Room != "", "room")
	case "settings":
		if err = need(f.Settings != nil, "settings"); err == nil {
			var s game.Settings
			s, err = game.ParseSettings(f.Settings)
			r.Action = live.Action{Op: live.OpGame, Cmd: game.ChangeSettingsCmd("", s)}
		}
	case "add_cpu":
		r.Action = live.Action{Op: live.OpAddCPU, Profile: f.Profile}
	case "remove":
		r.Action = live.Action{Op: live.OpRemove, Player: f.PlayerID}
		err = need(f.PlayerID != "", "player_id")
	case "rematch":
		r.Action = live.Action{Op: live.OpRematch}
	case "ready":
		r.Action = live.Action{Op: live.OpReady}
	case "hold":
		r.Action = live.Action{Op: live.OpHold}
	case "back":
		r.Action = live.Action{Op: live.OpBack}
	case "room_settings":
		r.Action = live.Action{Op: live.OpRoom, Room: &live.RoomPatch{Public: f.Public, Chat: f.Chat}}
		err = need(f.Public != nil || f.Chat != nil, "public or chat")
	case "chat":
		r.Text = f.Text
		err = need(f.Text != "", "text")
	case "react":
		r.Reaction = f.Reaction
		err = need(f.Reaction != "", "reaction")
	case "queue":
		r.Name, r.Size = f.Name, f.Size
		err = need(f.Size != 0, "size")
	case "leave_queue":
	case "flip_initial":
		if err = need(f.Positions != nil, "positions"); err == nil {
			r.Action = live.Action{Op: live.OpGame, Cmd: game.FlipInitialCmd("", f.Positions...)}
		}
	case "draw":
		if err = need(f.Source != nil, "source"); err == nil {
			var src game.Source
			src.UnmarshalText([]byte(*f.Source)) // anything else is the rules' invalid_source
			r.Action = live.Action{Op: live.OpGame, Cmd: game.DrawCmd("", src)}
		}
	default:
		if k, ok := simple[f.Type]; ok {
			r.Action = live.Action{Op: live.OpGame, Cmd: game.Command{Kind: k}}
		} else if k, ok := positional[f.Type]; ok {
			if err = need(f.Pos != nil, "pos"); err == nil {
				r.Action = live.Action{Op: live.OpGame, Cmd: game.Command{Kind: k, Pos: *f.Pos}}
			}
		} else if f.Type == "" {
			err = badRequest("a frame needs a type")
		} else {
			err = badRequest("unknown frame type %.40q", f.Type)
		}
	}
	return r, err
}

func badRequest(format string, args ...any) error {
	return &live.Error{Code: live.CodeBadRequest, Msg: fmt.Sprintf(format, args...)}
}

// Server → client frames.

type welcomeFrame struct {
	V         int    `json:"v"`
	Type      string `json:"type"`
	Room      string `json:"room"`
	GameID    string `json:"game_id"`
	Seat      int    `json:"seat"`
	PlayerID  string `json:"player_id"`
	Token     string `json:"token"`
	InviteURL string `json:"invite_url"`
}

type errorFrame struct {
	V       int    `json:"v"`
	Type    string `json:"type"`
	ID      int64  `json:"id,omitempty"`
	Code    string `json:"code"`
	Key     string `json:"key,omitempty"`
	Message string `json:"message"`
}

func encodeWelcome(w *live.Welcome, invite string) ([]byte, error) {
	return json.Marshal(welcomeFrame{V: ProtocolVersion, Type: "welcome", Room: w.Room, GameID: w.GameID,
		Seat: w.Seat, PlayerID: w.PlayerID, Token: w.Token, InviteURL: invite})
}

// encodeState writes a complete state frame; now is the server's clock
// (Unix ms), stamped as the frame goes out.
func encodeState(u *live.Update, invite string, now int64) ([]byte, error) {
	return appendState(make([]byte, 0, 4096), u, invite, now, nil)
}

// appendState appends a state frame to b. It writes, without reflection,
// the bytes encoding/json would write for the frame's documented shape
// (TestStateFrameMatchesEncodingJSON): one frame per client per change
// makes this the server's hottest code.
//
// sent is what this connection was last sent (nil: nothing, as after a
// welcome). The frame leaves out what is unchanged since and says so in
// its keep (docs/protocol.md); sent is updated only when the frame is
// made, since a frame not made is not sent.
func appendState(b []byte, u *live.Update, invite string, now int64, sent *sentView) ([]byte, error) {
	var omit game.Omit
	keepInvite := false
	var next sentView
	if sent != nil {
		omit, next = sent.plan(&u.View)
		keepInvite = sent.ok && sent.invite
		next.invite = true
	}
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, ProtocolVersion, 10)
	b = append(b, `,"type":"state","seq":`...)
	b = strconv.AppendInt(b, u.Seq, 10)
	if u.Ack != 0 {
		b = append(b, `,"ack":`...)
		b = strconv.AppendInt(b, u.Ack, 10)
	}
	b = appendKeep(b, omit, keepInvite)
	b = append(b, `,"view":`...)
	b = u.View.AppendJSONOmit(b, omit)
	b = append(b, `,"moves":[`...)
	var buf [24]game.Command
	var err error
	for i, m := range u.View.Moves(buf[:0]) {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = m.AppendJSON(b); err != nil {
			return nil, err
		}
	}
	r := &u.Room
	b = append(b, `],"room":{"code":`...)
	b = appendString(b, r.RoomCode)
	b = append(b, `,"online":`...)
	if r.Online == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, on := range r.Online {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendBool(b, on)
		}
		b = append(b, ']')
	}
	b = append(b, `,"next_round_at":`...)
	b = strconv.AppendInt(b, r.NextRoundAt, 10)
	b = append(b, `,"now":`...)
	b = strconv.AppendInt(b, now, 10)
	if !keepInvite {
		b = append(b, `,"invite_url":`...)
		b = appendString(b, invite)
	}
	if r.Rematch != "" {
		b = append(b, `,"rematch":`...)
		b = appendString(b, r.Rematch)
	}
	if r.TurnLimit != 0 {
		b = append(b, `,"turn_limit":`...)
		b = strconv.AppendInt(b, int64(r.TurnLimit), 10)
	}
	if len(r.Deadlines) > 0 {
		b = append(b, `,"deadlines":[`...)
		for i, d := range r.Deadlines {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, d, 10)
		}
		b = append(b, ']')
	}
	b = appendBools(b, `,"away":`, r.Away)
	b = appendBools(b, `,"replaced":`, r.Replaced)
	b = appendBools(b, `,"ready":`, r.Ready)
	if r.Held {
		b = append(b, `,"held":true`...)
	}
	b = append(b, `,"public":`...)
	b = strconv.AppendBool(b, r.Settings.Public)
	b = append(b, `,"chat":`...)
	b = strconv.AppendBool(b, !r.Settings.NoChat)
	b = append(b, `},"events":[`...)
	for i, e := range u.Events {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = game.AppendEvent(b, e); err != nil {
			return nil, err
		}
	}
	if sent != nil {
		*sent = next
	}
	return append(b, "]}"...), nil
}

// appendBools writes key and a list of booleans, unless the list is empty.
func appendBools(b []byte, key string, list []bool) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(b, key...)
	b = append(b, '[')
	for i, on := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendBool(b, on)
	}
	return append(b, ']')
}

// appendString writes s as a JSON string, escaped as encoding/json
// escapes it (plain ASCII is copied as it is).
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func encodeError(id int64, err error) []byte {
	code, key, msg := live.ErrorCode(err)
	b, _ := json.Marshal(errorFrame{V: ProtocolVersion, Type: "error", ID: id, Code: code, Key: key, Message: msg})
	return b
}
