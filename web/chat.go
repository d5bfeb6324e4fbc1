package web

import (
	"context"
	"encoding/json"
	"fmt"

	"golf/chat"
	"golf/limit"
	"golf/live"
)

// Chat and reactions (docs/protocol.md "Chat"): checked here (package
// chat), limited per player, then handed to the table, which delivers
// them to everyone in the room on every instance. They are never game
// events: nothing of them reaches the game's log.

// DefaultChatRule limits chat lines and reactions together: a burst of 5,
// then one a second.
var DefaultChatRule = limit.Rule{Name: "chat", Rate: 1, Burst: 5}

// The chat error codes.
const codeBadChat = "invalid_chat"

// say handles a chat or react frame from an attached session.
func (s *session) say(ctx context.Context, t *live.Table, r request) {
	var text string
	var err error
	if r.Type == "chat" {
		text, err = chat.Line(r.Text)
	} else {
		err = chat.Reaction(r.Reaction)
	}
	if err != nil {
		s.reject(r.ID, &live.Error{Code: codeBadChat, Msg: err.Error()})
		return
	}
	key := s.user
	if key == "" {
		key = fmt.Sprintf("conn:%p", s)
	}
	res, err := s.srv.chatLimit.Allow(ctx, key)
	if err != nil {
		// A shared limiter that cannot answer: chat is not worth failing
		// open for, nor closed for long; refuse this line.
		s.log.Warn("chat limiter unavailable", "err", err)
		s.reject(r.ID, live.ErrUnavailable)
		return
	}
	if !res.Allowed {
		s.reject(r.ID, &live.Error{Code: "rate_limited", Msg: "you are chatting too fast; wait a moment"})
		return
	}
	if err := t.Say(ctx, s, r.ID, text, r.Reaction); err != nil {
		s.reject(r.ID, err)
	}
}

type chatFrame struct {
	V        int    `json:"v"`
	Type     string `json:"type"`
	Ack      int64  `json:"ack,omitempty"`
	Seat     int    `json:"seat"`
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
	Text     string `json:"text,omitempty"`
	Reaction string `json:"reaction,omitempty"`
	At       int64  `json:"at"`
}

func encodeChat(c *live.Chat) ([]byte, error) {
	f := chatFrame{V: ProtocolVersion, Type: "chat", Ack: c.Ack, Seat: c.Seat, PlayerID: c.PlayerID, Name: c.Name,
		Text: c.Text, Reaction: c.Reaction, At: c.At}
	if c.Reaction != "" {
		f.Type = "reaction"
	}
	return json.Marshal(f)
}
