package replay

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"

	"golf/game"
)

// MaxSize is the largest export file an import reads. The longest game
// (9 rounds, 6 players) exports to well under a megabyte
// (docs/BENCHMARKS.md); anything much larger is not a game.
const MaxSize = 4 << 20

// The widest ids the store's columns hold.
const (
	maxID       = 50
	maxRoomCode = 10
)

// Checked is a document that folded cleanly: its events, decoded, and the
// state they fold to.
type Checked struct {
	Doc    *Document
	Events []game.Event
	State  *game.State
}

// Read reads and checks an export document from r, reading at most MaxSize
// bytes: see Check.
func Read(r io.Reader) (*Checked, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, refuse(CodeMalformed, 0, "reading the file: %v", err)
	}
	return Decode(b)
}

// Decode checks an export document: it must be this format's version, its
// events numbered 1, 2, 3… with no gap, duplicate or reordering, each one
// accepted by the engine in turn, the last ending the game, and its
// description equal to what the events say. The first fault is returned as
// an *ImportError naming the event; nothing is half-accepted.
func Decode(b []byte) (*Checked, error) {
	if len(b) > MaxSize {
		return nil, refuse(CodeTooLarge, 0, "the file is larger than %d bytes", MaxSize)
	}
	// The version first, leniently: a newer document may have fields this
	// build does not know, and deserves "unknown version", not "malformed".
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, refuse(CodeMalformed, 0, "not a JSON export document: %v", err)
	}
	if head.Format != Format || head.Version != Version {
		return nil, refuse(CodeVersion, 0, "format %q version %d; this server reads %q version %d",
			head.Format, head.Version, Format, Version)
	}
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, refuse(CodeMalformed, 0, "not a JSON export document: %v", err)
	}
	if dec.More() {
		return nil, refuse(CodeMalformed, 0, "data after the document")
	}
	if len(doc.Events) == 0 {
		return nil, refuse(CodeUnfinished, 0, "the file holds no events")
	}
	s := new(game.State)
	evs := make([]game.Event, 0, len(doc.Events))
	for i, de := range doc.Events {
		want := int64(i + 1)
		switch {
		case de.Seq == want:
		case de.Seq > want && slices.ContainsFunc(doc.Events[i+1:], func(e Event) bool { return e.Seq == want }):
			return nil, refuse(CodeReordered, de.Seq, "comes before event %d", want)
		case de.Seq > want:
			return nil, refuse(CodeGap, want, "missing: the next event is numbered %d", de.Seq)
		case i > 0 && de.Seq == doc.Events[i-1].Seq:
			return nil, refuse(CodeDuplicate, de.Seq, "comes twice")
		default:
			return nil, refuse(CodeReordered, de.Seq, "comes after event %d", doc.Events[i-1].Seq)
		}
		if de.At.IsZero() {
			return nil, refuse(CodeBadEvent, de.Seq, "has no time")
		}
		e, err := game.UnmarshalEvent(de.Event)
		if err != nil {
			return nil, refuse(CodeBadEvent, de.Seq, "does not decode: %v", err)
		}
		// The store's columns: ids of at most 50 bytes.
		if len(e.Actor()) > maxID {
			return nil, refuse(CodeBadEvent, de.Seq, "a player id longer than %d bytes", maxID)
		}
		if err := s.Apply(e); err != nil {
			return nil, refuse(CodeRefused, de.Seq, "%s refused by the rules: %v", e.Type(), err)
		}
		evs = append(evs, e)
		if s.Over() && i+1 < len(doc.Events) {
			return nil, refuse(CodeRefused, de.Seq+1, "comes after the game ended")
		}
	}
	if !s.Over() {
		return nil, refuse(CodeUnfinished, 0, "the events do not end the game")
	}
	if len(s.RoomCode()) > maxRoomCode {
		return nil, refuse(CodeMismatch, 0, "a room code longer than %d bytes", maxRoomCode)
	}
	for i := range s.NumSeats() {
		if len(s.PlayerID(i)) > maxID {
			return nil, refuse(CodeMismatch, 0, "a player id longer than %d bytes", maxID)
		}
	}
	if err := sameMeta(doc.Game, meta(s, evs)); err != nil {
		return nil, err
	}
	if doc.Game.CreatedAt.IsZero() || doc.Game.CompletedAt.IsZero() {
		return nil, refuse(CodeMismatch, 0, "the game has no created or completed time")
	}
	return &Checked{Doc: &doc, Events: evs, State: s}, nil
}

// sameMeta checks the document's description against the one folded from
// its events, field by field, so the error says which.
func sameMeta(got, want Meta) error {
	bad := func(what string) error {
		return refuse(CodeMismatch, 0, "the game's %s does not match its events", what)
	}
	switch {
	case got.RoomCode != want.RoomCode:
		return bad("room code")
	case got.Status != want.Status:
		return bad("status")
	case !slices.Equal(got.Players, want.Players):
		return bad("players")
	case got.Decks != want.Decks || got.Rounds != want.Rounds || got.RoundsPlayed != want.RoundsPlayed:
		return bad("rounds")
	case got.Options != want.Options:
		return bad("options")
	case !slices.EqualFunc(got.Totals, want.Totals, func(a, b game.GamePlayer) bool { return a == b }):
		return bad("totals")
	case !slices.Equal(got.Winners, want.Winners):
		return bad("winners")
	}
	return nil
}
