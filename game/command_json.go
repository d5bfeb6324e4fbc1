package game

import (
	"encoding/json"
	"fmt"
)

// commandJSON is a player's game command as docs/protocol.md writes it on
// the wire: {"type":"swap","pos":4}, {"type":"draw","source":"deck"},
// {"type":"flip_initial","positions":[0,3]}.
type commandJSON struct {
	Type      string `json:"type"`
	Source    string `json:"source,omitempty"`
	Pos       *int   `json:"pos,omitempty"`
	Positions []int  `json:"positions,omitempty"`
}

// MarshalJSON writes an initial-flip or turn command in its wire form; the
// actor is not part of it (a connection acts for its own seat). It is how
// state frames list a seat's legal moves and how external bots are offered
// theirs.
func (c Command) MarshalJSON() ([]byte, error) {
	w := commandJSON{Type: c.Kind.String()}
	switch c.Kind {
	case CmdDraw:
		w.Source = c.Source.String()
	case CmdSwap, CmdFlip, CmdFlipAsAction:
		p := c.Pos
		w.Pos = &p
	case CmdFlipInitial:
		w.Positions = c.Positions
		if w.Positions == nil {
			w.Positions = []int{}
		}
	case CmdPutBack, CmdDiscard, CmdSkipFlip, CmdKnock:
	default:
		return nil, fmt.Errorf("command %v has no wire form", c.Kind)
	}
	return json.Marshal(w)
}
