package replay

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"golf/game"
)

// Open is the perspective that shows every card (a finished game's
// replay); a seat number shows the game as that seat saw it.
const Open = -2

// Replay is a finished game step by step: the view after each event, as
// the chosen perspective sees it, built by folding the log through the
// engine and asking the state for its view: the code the live tables use.
type Replay struct {
	Game        Meta      `json:"game"`
	Perspective int       `json:"perspective"` // Open (-2) or a seat
	Rounds      []RoundAt `json:"rounds"`
	Steps       []Step    `json:"steps"`
}

// Step is one event and the view after it.
type Step struct {
	Seq int64     `json:"seq"`
	At  time.Time `json:"at"`
	// Turn numbers the moves: the events of one player's turn (a draw and
	// its swap or discard and flip) share it; stepping "by turn" skips to
	// the next number.
	Turn  int             `json:"turn"`
	Event json.RawMessage `json:"event"` // as the perspective saw it ({"type","v","data"}), or null
	View  json.RawMessage `json:"view"`
}

// RoundAt is where a round starts in the steps, and its score sheet once
// it ended.
type RoundAt struct {
	Round int              `json:"round"`
	Step  int              `json:"step"` // index of its RoundStarted in Steps
	Sheet *game.RoundEnded `json:"sheet,omitempty"`
}

// Replay returns a finished game's replay from perspective (Open, or a seat
// from 0). A game in progress has none (ErrUnfinished): even one seat's
// replay would show the others their past.
func (s *Service) Replay(ctx context.Context, id string, perspective int, v Viewer) (*Replay, error) {
	g, recs, err := s.finished(ctx, id, v)
	if err != nil {
		return nil, err
	}
	doc, err := Build(g, recs)
	if err != nil {
		return nil, err
	}
	return Views(doc, perspective)
}

// Views builds the replay of an export document.
func Views(doc *Document, perspective int) (*Replay, error) {
	if perspective != Open && (perspective < 0 || perspective >= len(doc.Game.Players)) {
		return nil, fmt.Errorf("replay: perspective %d: %w", perspective, ErrNotFound)
	}
	r := &Replay{Game: doc.Game, Perspective: perspective, Steps: make([]Step, 0, len(doc.Events)), Rounds: []RoundAt{}}
	s := new(game.State)
	turn := 0
	var buf []byte
	var v game.View
	for i, de := range doc.Events {
		e, err := game.UnmarshalEvent(de.Event)
		if err != nil {
			return nil, fmt.Errorf("replay: event %d: %w", de.Seq, err)
		}
		if err := s.Apply(e); err != nil {
			return nil, fmt.Errorf("replay: event %d: %w", de.Seq, err)
		}
		if !continuesTurn(e) {
			turn++
		}
		seen, err := eventAs(e, perspective, s)
		if err != nil {
			return nil, err
		}
		if perspective == Open {
			v = s.OpenView()
		} else {
			s.ViewInto(&v, perspective)
		}
		buf = v.AppendJSON(buf[:0])
		r.Steps = append(r.Steps, Step{Seq: de.Seq, At: de.At, Turn: turn, Event: seen, View: append(json.RawMessage(nil), buf...)})
		switch e := e.(type) {
		case game.RoundStarted:
			r.Rounds = append(r.Rounds, RoundAt{Round: e.Round, Step: i})
		case game.RoundEnded:
			for k := range r.Rounds {
				if r.Rounds[k].Round == e.Round {
					r.Rounds[k].Sheet = &e
				}
			}
		}
	}
	return r, nil
}

// continuesTurn reports whether e finishes a turn another event began: the
// swap, discard, flip or skip after a draw.
func continuesTurn(e game.Event) bool {
	switch e.(type) {
	case game.CardSwapped, game.CardDiscarded, game.CardFlipped, game.FlipSkipped, game.DiscardReturned:
		return true
	}
	return false
}

// eventAs encodes e as the perspective saw it: a seat through the live
// feed's redaction (game.Redact); the open perspective as it is, but for
// the deal's seed, which no view needs. GameStarted and RoundStarted carry
// only what their views show.
func eventAs(e game.Event, perspective int, s *game.State) (json.RawMessage, error) {
	switch e := e.(type) {
	case game.GameStarted:
		return json.Marshal(map[string]any{"type": e.Type(), "data": map[string]any{"players": e.Players}})
	case game.RoundStarted:
		return json.Marshal(map[string]any{"type": e.Type(), "data": map[string]any{"round": e.Round}})
	}
	if perspective != Open {
		var ok bool
		if e, ok = game.Redact(e, perspective, s); !ok {
			return json.RawMessage("null"), nil
		}
	}
	b, err := game.MarshalEvent(e)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	return b, nil
}

// WriteJSON writes r as encoding/json would, but copies each step's event
// and view as they are: they come from the engine's own encoders, and
// encoding/json would parse and compact every one of them again (most of
// the time of serving a replay: docs/BENCHMARKS.md).
func (r *Replay) WriteJSON(w io.Writer) error {
	head, err := json.Marshal(struct {
		Game        Meta      `json:"game"`
		Perspective int       `json:"perspective"`
		Rounds      []RoundAt `json:"rounds"`
	}{r.Game, r.Perspective, r.Rounds})
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head[:len(head)-1])
	bw.WriteString(`,"steps":[`)
	b := make([]byte, 0, 256)
	for i, s := range r.Steps {
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"seq":`...)
		b = strconv.AppendInt(b, s.Seq, 10)
		b = append(b, `,"at":"`...)
		b = s.At.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","turn":`...)
		b = strconv.AppendInt(b, int64(s.Turn), 10)
		b = append(b, `,"event":`...)
		bw.Write(b)
		bw.Write(s.Event)
		bw.WriteString(`,"view":`)
		bw.Write(s.View)
		bw.WriteByte('}')
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}
