package web

import (
	"encoding/json"
	"testing"

	"golf/game"
)

// TestTableFlowOverTheWire: a taken name is refused with name_taken (the
// connection stays open for another try), the turn timer's deadline is in
// the room, and ready, hold and back are frames the server knows.
func TestTableFlowOverTheWire(t *testing.T) {
	ts := newTestServer(t, nil)
	ann := create(t, ts, "Ann", map[string]any{"rounds": 1, "options": map[string]any{"initial_flips": 0}})
	c := dial(t, ts)
	c.send(map[string]any{"type": "join", "room": ann.welcome.room(), "name": "ANN"})
	if f := c.next("error"); f.Code != "name_taken" {
		t.Fatalf("join as ANN: %s, want name_taken", f.raw)
	}
	c.send(map[string]any{"type": "join", "room": ann.welcome.room(), "name": "Bob"})
	c.next("welcome")
	bob := &player{client: c}
	ann.send(map[string]any{"type": "start"})
	f := bob.until(func(f *frame) bool { return f.View.Phase == game.PhasePlaying })
	var room struct {
		TurnLimit int     `json:"turn_limit"`
		Deadlines []int64 `json:"deadlines"`
		Now       int64   `json:"now"`
	}
	if err := json.Unmarshal(f.RoomRaw, &room); err != nil {
		t.Fatal(err)
	}
	cur := f.View.Current
	if room.TurnLimit != 60 || len(room.Deadlines) != 2 || room.Deadlines[cur] < room.Now+55_000 || room.Deadlines[cur] > room.Now+60_000 {
		t.Fatalf("room %s: want a 60 s limit and the current seat's deadline", f.RoomRaw)
	}
	for _, typ := range []string{"ready", "hold"} {
		id := bob.send(map[string]any{"type": typ})
		if f := bob.next("error"); f.Code != "wrong_phase" || f.ID != id {
			t.Errorf("%s mid-round: %s, want wrong_phase", typ, f.raw)
		}
	}
	id := bob.send(map[string]any{"type": "back"})
	if f := bob.until(func(f *frame) bool { return f.Type == "error" || f.Ack == id }); f.Type == "error" {
		t.Errorf("back: %s", f.raw)
	}
}
