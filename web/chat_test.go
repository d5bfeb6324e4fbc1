package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golf/game"
	"golf/limit"
)

// chatOf decodes a chat or reaction frame.
type chatOf struct {
	Type     string `json:"type"`
	Ack      int64  `json:"ack"`
	Seat     int    `json:"seat"`
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
	Text     string `json:"text"`
	Reaction string `json:"reaction"`
	At       int64  `json:"at"`
}

func decodeChat(t *testing.T, f *frame) chatOf {
	t.Helper()
	var c chatOf
	if err := json.Unmarshal(f.raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// roomFlags reads room.public and room.chat of a state frame.
func roomFlags(t *testing.T, f *frame) (public, chat bool) {
	t.Helper()
	var r struct {
		Public *bool `json:"public"`
		Chat   *bool `json:"chat"`
	}
	if err := json.Unmarshal(f.RoomRaw, &r); err != nil || r.Public == nil || r.Chat == nil {
		t.Fatalf("room %s: no public and chat (%v)", f.RoomRaw, err)
	}
	return *r.Public, *r.Chat
}

// TestChatReachesTheRoomAndNeverTheLog: a line and a reaction reach every
// client of the room (the sender with its ack), as the text sent (markup
// is not interpreted: clients render text); spectators read but cannot
// write; and the game's event log holds no chat: its length is unchanged
// and no event holds the words.
func TestChatReachesTheRoomAndNeverTheLog(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ann := create(t, ts, "Ann", nil)
	room := ann.welcome.room()
	bob := join(t, ts, room, "Bob")
	spec := dial(t, ts)
	spec.send(map[string]any{"type": "watch", "room": room})
	spec.next("welcome")
	bob.next("state")

	line := `<script>alert("x")</script> & <b>hi</b>`
	id := ann.send(map[string]any{"type": "chat", "text": "  " + line + " "})
	for _, c := range []*client{ann.client, bob.client, spec} {
		got := decodeChat(t, c.next("chat"))
		if got.Text != line || got.Name != "Ann" || got.Seat != 0 || got.PlayerID != ann.welcome.Player || got.At == 0 {
			t.Errorf("chat frame %+v; want Ann's line %q", got, line)
		}
		if wantAck := map[*client]int64{ann.client: id}[c]; got.Ack != wantAck {
			t.Errorf("ack %d; want %d", got.Ack, wantAck)
		}
	}
	bob.send(map[string]any{"type": "react", "reaction": "😂"})
	for _, c := range []*client{ann.client, bob.client, spec} {
		if got := decodeChat(t, c.next("reaction")); got.Reaction != "😂" || got.Seat != 1 || got.Text != "" {
			t.Errorf("reaction frame %+v; want Bob's 😂", got)
		}
	}
	spec.send(map[string]any{"type": "chat", "text": "let me in"})
	if f := spec.next("error"); f.Code != "spectating" {
		t.Errorf("spectator's chat: %s; want spectating", f.Code)
	}

	// The host starts the game and everyone talks through it: nothing of
	// it is in the log.
	ann.send(map[string]any{"type": "start"})
	ann.until(func(f *frame) bool { return f.View.Phase != game.PhaseWaiting })
	before := len(storedEvents(t, ts, ann.welcome.GameID))
	for i := range 3 {
		bob.send(map[string]any{"type": "chat", "text": "secret words " + string(rune('a'+i))})
		bob.next("chat")
	}
	if got := len(storedEvents(t, ts, ann.welcome.GameID)); got != before {
		t.Errorf("events %d after chatting; want %d (chat is no event)", got, before)
	}
	for _, e := range storedEvents(t, ts, ann.welcome.GameID) {
		b, _ := game.MarshalEvent(e)
		if strings.Contains(string(b), "secret words") || strings.Contains(string(b), "script") || strings.Contains(string(b), "😂") {
			t.Errorf("an event holds chat: %s", b)
		}
	}
}

// TestChatRefusals: bad lines and reactions get invalid_chat, a missing
// field bad_request, and none reaches anyone.
func TestChatRefusals(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ann := create(t, ts, "Ann", nil)
	bob := join(t, ts, ann.welcome.room(), "Bob")
	for _, tc := range []struct {
		frame map[string]any
		code  string
	}{
		{map[string]any{"type": "chat", "text": strings.Repeat("x", 201)}, "invalid_chat"},
		{map[string]any{"type": "chat", "text": "two\nlines"}, "invalid_chat"},
		{map[string]any{"type": "chat", "text": "\u202eevil"}, "invalid_chat"},
		{map[string]any{"type": "chat", "text": "   "}, "invalid_chat"},
		{map[string]any{"type": "chat"}, "bad_request"},
		{map[string]any{"type": "chat", "text": 7}, "bad_request"},
		{map[string]any{"type": "react", "reaction": "👎"}, "invalid_chat"},
		{map[string]any{"type": "react", "reaction": "<img src=x onerror=alert(1)>"}, "invalid_chat"},
	} {
		id := ann.send(tc.frame)
		if f := ann.next("error"); f.Code != tc.code || f.ID != id {
			t.Errorf("%v: error %s (id %d); want %s (id %d)", tc.frame, f.Code, f.ID, tc.code, id)
		}
	}
	// 200 characters is fine.
	ann.send(map[string]any{"type": "chat", "text": strings.Repeat("é", 200)})
	if got := decodeChat(t, bob.next("chat")); got.Text != strings.Repeat("é", 200) {
		t.Errorf("the 200-character line did not arrive whole")
	}
	for _, f := range bob.received() {
		if f.Type == "chat" && decodeChat(t, f).Text != strings.Repeat("é", 200) {
			t.Errorf("a refused line reached Bob: %s", f.raw)
		}
	}
}

// TestChatOffAndRateLimit: the host turns chat off (everyone's room shows
// it; lines are refused with chat_off, reactions still go); only the host
// may; and a player over the chat limit gets rate_limited.
func TestChatOffAndRateLimit(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ts := newTestServer(t, func(s *testSetup) {
		s.Deps.ChatLimit = limit.NewMemory(limit.Rule{Name: "chat", Rate: 1, Burst: 3}, func() time.Time { return now })
	})
	ann := create(t, ts, "Ann", nil)
	if _, chat := roomFlags(t, ann.next("state")); !chat {
		t.Fatal("a new room has chat off")
	}
	bob := join(t, ts, ann.welcome.room(), "Bob")
	id := bob.send(map[string]any{"type": "room_settings", "chat": false})
	if f := bob.next("error"); f.Code != "not_host" || f.ID != id {
		t.Errorf("Bob's room_settings: %s; want not_host", f.Code)
	}
	id = ann.send(map[string]any{"type": "room_settings", "chat": false})
	f := ann.until(func(f *frame) bool { return f.Ack == id })
	if _, chat := roomFlags(t, f); chat {
		t.Errorf("chat still on after the host turned it off")
	}
	bob.until(func(f *frame) bool { _, chat := roomFlags(t, f); return !chat })
	bob.send(map[string]any{"type": "chat", "text": "hello?"})
	if f := bob.next("error"); f.Code != "chat_off" {
		t.Errorf("chat with chat off: %s; want chat_off", f.Code)
	}
	bob.send(map[string]any{"type": "react", "reaction": "👍"})
	ann.next("reaction")
	// Bob has used 2 of his 3; the next goes, the one after is refused.
	bob.send(map[string]any{"type": "react", "reaction": "👍"})
	ann.next("reaction")
	bob.send(map[string]any{"type": "react", "reaction": "👍"})
	if f := bob.next("error"); f.Code != "rate_limited" {
		t.Errorf("4th chat frame in a moment: %s; want rate_limited", f.Code)
	}
	// Ann's bucket is her own.
	ann.send(map[string]any{"type": "room_settings", "chat": true})
	ann.send(map[string]any{"type": "chat", "text": "back on"})
	if got := decodeChat(t, bob.next("chat")); got.Text != "back on" {
		t.Errorf("chat after it was turned on again: %+v", got)
	}
}
