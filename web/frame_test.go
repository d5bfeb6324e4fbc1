package web

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"golf/game"
	"golf/live"
	"golf/web/webtest"
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
				buf, err = appendState(buf[:0], u, inv, 1_700_000_000_000+int64(seat), nil)
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
	buf, err = appendState(buf[:0], u, invites[0], 1, nil)
	if err != nil || !bytes.Equal(buf, referenceState(t, u, invites[0], 1)) {
		t.Fatalf("lobby: %s, %v", buf, err)
	}
}

// keptGame plays a game of four (three house rules changed in the lobby,
// one player leaving mid-game, three rounds) with random legal moves, and
// calls change after every change with the state and its events.
func keptGame(t testing.TB, seed uint64, change func(s *game.State, evs []game.Event)) {
	rng := rand.New(rand.NewPCG(seed, 16))
	deal := func() (sd game.Seed) {
		for i := range sd {
			sd[i] = byte(rng.Uint32())
		}
		return sd
	}
	s := new(game.State)
	do := func(c game.Command) {
		evs, err := game.Decide(s, c)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		for _, e := range evs {
			if err := s.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
		change(s, evs)
	}
	set := game.DefaultSettings()
	set.Rounds = 3
	do(game.CreateGameCmd("p0", "Ann", "BCDF", set))
	for _, id := range []string{"p1", "p2", "p3"} {
		do(game.JoinCmd(id, "Player "+id))
	}
	set.Options.KnockPenalty, set.Options.FlipAsAction, set.Options.KnockEarly = true, true, true
	do(game.ChangeSettingsCmd("p0", set))
	do(game.StartGameCmd("p0", deal()))
	left := false
	for steps := 0; !s.Over() && steps < 2000; steps++ {
		switch s.Phase() {
		case game.PhaseRoundOver:
			do(game.NextRoundCmd("p0", deal()))
			continue
		case game.PhasePlaying:
			if !left && s.Round() == 2 && s.Current() != 3 {
				left = true
				do(game.LeaveCmd("p3"))
				continue
			}
		}
		var moves []game.Command
		for seat := range 4 {
			v := s.View(seat)
			moves = v.Moves(moves)
		}
		if len(moves) == 0 {
			t.Fatalf("no move in phase %v", s.Phase())
		}
		do(moves[rng.IntN(len(moves))])
	}
	if !s.Over() {
		t.Fatal("the game never ended")
	}
}

// TestKeptFramesRebuildTheViews: over random games, every seat's and a
// spectator's frames, each leaving out what the connection has already,
// rebuild (as a client does, webtest.Feed) exactly the complete frame the
// same change would send after a welcome; the first frame after a welcome
// is complete; and the frames are smaller for it.
func TestKeptFramesRebuildTheViews(t *testing.T) {
	t.Parallel()
	for g := range uint64(8) {
		var sent [5]sentView
		var feeds [5]webtest.Feed
		var wire, full int
		var buf, complete []byte
		seq := int64(0)
		keptGame(t, g, func(s *game.State, evs []game.Event) {
			seq += int64(len(evs))
			for seat := game.Spectator; seat < 4; seat++ {
				u := &live.Update{Seq: seq, View: s.View(seat), Room: live.RoomStatus{RoomCode: "BCDF", Online: []bool{true, true, true, true}}}
				for _, e := range evs {
					if r, ok := game.Redact(e, seat, s); ok {
						u.Events = append(u.Events, r)
					}
				}
				if seq%37 == 0 {
					// A new welcome: the connection is sent everything again.
					sent[seat+1] = sentView{}
					feeds[seat+1].Complete([]byte(`{"v":1,"type":"welcome"}`))
				}
				first := !sent[seat+1].ok
				var err error
				if buf, err = appendState(buf[:0], u, "http://localhost:8000/r/BCDF", seq, &sent[seat+1]); err != nil {
					t.Fatal(err)
				}
				if complete, err = appendState(complete[:0], u, "http://localhost:8000/r/BCDF", seq, nil); err != nil {
					t.Fatal(err)
				}
				if first && !bytes.Equal(buf, complete) {
					t.Fatalf("game %d seat %d seq %d: the first frame after a welcome is not complete:\n%s", g, seat, seq, buf)
				}
				got, err := feeds[seat+1].Complete(buf)
				if err != nil {
					t.Fatalf("game %d seat %d seq %d: %v\n%s", g, seat, seq, err, buf)
				}
				if !webtest.JSONEqual(got, complete) {
					t.Fatalf("game %d seat %d seq %d: rebuilt\n%s\nfrom\n%s\nwant\n%s", g, seat, seq, got, buf, complete)
				}
				wire += len(buf)
				full += len(complete)
			}
		})
		if wire*2 > full {
			t.Errorf("game %d: frames of %d bytes in all, complete ones %d: less than half left out", g, wire, full)
		}
	}
}
