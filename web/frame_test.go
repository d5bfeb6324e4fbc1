package web

import (
	"bytes"
	"encoding/json"
	"testing"

	"golf/game"
	"golf/live"
)

// stateFrame and roomJSON are the state frame's documented shape
// (docs/protocol.md) as encoding/json writes it: the reference that
// appendState is checked against.
type stateFrame struct {
	V      int               `json:"v"`
	Type   string            `json:"type"`
	Seq    int64             `json:"seq"`
	Ack    int64             `json:"ack,omitempty"`
	View   *game.View        `json:"view"`
	Moves  []game.Command    `json:"moves"`
	Room   roomJSON          `json:"room"`
	Events []json.RawMessage `json:"events"`
}

type roomJSON struct {
	Code        string  `json:"code"`
	Online      []bool  `json:"online"`
	NextRoundAt int64   `json:"next_round_at"`
	Now         int64   `json:"now"`
	InviteURL   string  `json:"invite_url"`
	Rematch     string  `json:"rematch,omitempty"`
	TurnLimit   int     `json:"turn_limit,omitempty"`
	Deadlines   []int64 `json:"deadlines,omitempty"`
	Away        []bool  `json:"away,omitempty"`
	Replaced    []bool  `json:"replaced,omitempty"`
	Ready       []bool  `json:"ready,omitempty"`
	Held        bool    `json:"held,omitempty"`
	Public      bool    `json:"public"`
	Chat        bool    `json:"chat"`
}

func referenceState(t *testing.T, u *live.Update, invite string, now int64) []byte {
	t.Helper()
	f := stateFrame{V: ProtocolVersion, Type: "state", Seq: u.Seq, Ack: u.Ack, View: &u.View,
		Moves: u.View.Moves(make([]game.Command, 0, 8)),
		Room: roomJSON{Code: u.Room.RoomCode, Online: u.Room.Online, NextRoundAt: u.Room.NextRoundAt,
			Now: now, InviteURL: invite, Rematch: u.Room.Rematch, TurnLimit: u.Room.TurnLimit, Deadlines: u.Room.Deadlines,
			Away: u.Room.Away, Replaced: u.Room.Replaced, Ready: u.Room.Ready, Held: u.Room.Held,
			Public: u.Room.Settings.Public, Chat: !u.Room.Settings.NoChat},
		Events: make([]json.RawMessage, len(u.Events))}
	for i, e := range u.Events {
		b, err := game.MarshalEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		f.Events[i] = b
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStateFrameMatchesEncodingJSON: appendState writes exactly the bytes
// encoding/json writes for the frame's documented shape, for every seat
// and a spectator through a game, with and without an ack, a rematch, a
// countdown, and hosts that need escaping in the invite link. (The view,
// its moves and events are checked over random games in package game.)
func TestStateFrameMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	s, last := midGame(t)
	invites := []string{"http://localhost:8000/r/BCDF", `http://evil"<&>\host/r/BCDF`, "http://hôte.example/r/BCDF"}
	var buf []byte
	for seat := game.Spectator; seat < 4; seat++ {
		for i, room := range []live.RoomStatus{
			{RoomCode: "BCDF", Online: []bool{true, false, true, true}},
			{RoomCode: "BCDF", Online: []bool{true, true, true, true}, NextRoundAt: 1_700_000_008_000, Rematch: "KLMN"},
			{RoomCode: "BCDF"},
			{RoomCode: "BCDF", Online: []bool{true, true, true, true}, TurnLimit: 60, Deadlines: []int64{0, 1_700_000_060_000, 0, 0},
				Away: []bool{false, false, true, false}, Replaced: []bool{false, false, false, true}},
			{RoomCode: "BCDF", Online: []bool{true, true, true, true}, NextRoundAt: 1_700_000_030_000, Ready: []bool{true, false, false, true}, Held: true},
			{RoomCode: "BCDF", Settings: live.RoomSettings{Public: true, NoChat: true}},
		} {
			u := &live.Update{Seq: int64(40 + i), Ack: int64(i), View: s.View(seat), Room: room}
			for _, e := range last {
				if r, ok := game.Redact(e, seat, s); ok {
					u.Events = append(u.Events, r)
				}
			}
			for _, inv := range invites {
				var err error
				buf, err = appendState(buf[:0], u, inv, 1_700_000_000_000+int64(seat))
				if err != nil {
					t.Fatal(err)
				}
				if want := referenceState(t, u, inv, 1_700_000_000_000+int64(seat)); !bytes.Equal(buf, want) {
					t.Fatalf("seat %d:\n got %s\nwant %s", seat, buf, want)
				}
			}
		}
	}
	// The lobby: no view seats yet dealt, no moves, no events.
	lobby := new(game.State)
	evs, err := game.Decide(lobby, game.CreateGameCmd("p0", "Ann <host>", "BCDF", game.DefaultSettings()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if err := lobby.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	u := &live.Update{Seq: 1, View: lobby.View(0), Room: live.RoomStatus{RoomCode: "BCDF", Online: []bool{true}}, Events: evs}
	buf, err = appendState(buf[:0], u, invites[0], 1)
	if err != nil || !bytes.Equal(buf, referenceState(t, u, invites[0], 1)) {
		t.Fatalf("lobby: %s, %v", buf, err)
	}
}
