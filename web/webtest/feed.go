package webtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Feed rebuilds the complete state frames of one connection from the
// frames it receives, as a client does: a state frame leaves out what is
// unchanged since the connection's previous state frame and names it in
// its keep (docs/protocol.md, "keep"). A test feeds it every frame in the
// order received and checks the complete frames; it fails a frame that
// keeps what it cannot (no previous state, a member the previous state
// did not have, a member both sent and kept, a null seat not kept).
type Feed struct {
	view, room map[string]json.RawMessage // the previous complete state's, nil after a welcome
}

type keepList struct {
	View  []string `json:"view"`
	Seats []int    `json:"seats"`
	Room  []string `json:"room"`
}

// Complete returns raw as the complete frame (a state frame without keep,
// every member in place; any other frame as it is).
func (f *Feed) Complete(raw []byte) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, err
	}
	var typ string
	json.Unmarshal(top["type"], &typ)
	switch typ {
	case "welcome":
		// The first state after a welcome is complete.
		f.view, f.room = nil, nil
		return raw, nil
	case "state":
	default:
		return raw, nil
	}
	var view, room map[string]json.RawMessage
	if err := json.Unmarshal(top["view"], &view); err != nil {
		return nil, fmt.Errorf("state frame's view: %w", err)
	}
	if err := json.Unmarshal(top["room"], &room); err != nil {
		return nil, fmt.Errorf("state frame's room: %w", err)
	}
	var keep keepList
	if k, ok := top["keep"]; ok {
		if err := json.Unmarshal(k, &keep); err != nil {
			return nil, fmt.Errorf("keep %s: %w", k, err)
		}
		if f.view == nil {
			return nil, fmt.Errorf("keep %s in the first state frame after a welcome", k)
		}
		if len(keep.View) == 0 && len(keep.Seats) == 0 && len(keep.Room) == 0 {
			return nil, fmt.Errorf("keep %s keeps nothing", k)
		}
		delete(top, "keep")
	}
	if err := copyKept(view, f.view, keep.View, "view"); err != nil {
		return nil, err
	}
	if err := copyKept(room, f.room, keep.Room, "room"); err != nil {
		return nil, err
	}
	var seats []json.RawMessage
	if s, ok := view["seats"]; ok && !bytes.Equal(s, []byte("null")) {
		if err := json.Unmarshal(s, &seats); err != nil {
			return nil, fmt.Errorf("view.seats: %w", err)
		}
	}
	var prevSeats []json.RawMessage
	if len(keep.Seats) > 0 {
		json.Unmarshal(f.view["seats"], &prevSeats)
	}
	for i, s := range seats {
		kept := slices.Contains(keep.Seats, i)
		switch {
		case kept && !bytes.Equal(s, []byte("null")):
			return nil, fmt.Errorf("seat %d both sent and kept", i)
		case kept && i >= len(prevSeats):
			return nil, fmt.Errorf("seat %d kept, but the previous state had %d seats", i, len(prevSeats))
		case kept:
			seats[i] = prevSeats[i]
		case bytes.Equal(s, []byte("null")):
			return nil, fmt.Errorf("seat %d is null and not kept", i)
		}
	}
	for _, i := range keep.Seats {
		if i < 0 || i >= len(seats) {
			return nil, fmt.Errorf("seat %d kept, but the frame has %d seats", i, len(seats))
		}
	}
	if len(keep.Seats) > 0 {
		view["seats"], _ = json.Marshal(seats)
	}
	f.view, f.room = view, room
	top["view"], _ = json.Marshal(view)
	top["room"], _ = json.Marshal(room)
	return json.Marshal(top)
}

// copyKept copies each kept member from the previous frame's object.
func copyKept(into, prev map[string]json.RawMessage, kept []string, what string) error {
	for _, name := range kept {
		if _, ok := into[name]; ok {
			return fmt.Errorf("%s.%s both sent and kept", what, name)
		}
		v, ok := prev[name]
		if !ok {
			return fmt.Errorf("%s.%s kept, but the previous state had none", what, name)
		}
		into[name] = v
	}
	return nil
}
