package game

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Appending encoders for what a server writes after every change: views,
// legal moves and events. Each writes exactly the bytes encoding/json
// writes for the same value (struct tags, omitempty, nil slices as null,
// HTML-safe strings), without reflection and into the caller's buffer;
// TestAppendJSONMatchesEncodingJSON compares the two over thousands of
// random games. A server encodes one view per client per change, so this
// is its hottest code (docs/BENCHMARKS.md, "Server cost per move").

// appendString writes s as a JSON string. Plain ASCII (the ids, codes and
// names of almost every game) is copied as it is; anything else is
// encoded by encoding/json, so the escaping is always its own.
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

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// appendStrings writes a []string; nil is null, as encoding/json has it.
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendInts(b []byte, ns []int) []byte {
	if ns == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, n := range ns {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendInt(b, n)
	}
	return append(b, ']')
}

// appendCard writes what Card.MarshalJSON writes.
func appendCard(b []byte, c Card) []byte {
	if c.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, `{"rank":"`...)
	b = append(b, c.Rank.String()...)
	if c.Rank != Joker {
		b = append(b, `","suit":"`...)
		b = append(b, c.Suit.String()...)
	}
	b = append(b, `","deck":`...)
	b = strconv.AppendUint(b, uint64(c.Deck), 10)
	return append(b, '}')
}

func appendCards(b []byte, cs []Card) []byte {
	if cs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, c := range cs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCard(b, c)
	}
	return append(b, ']')
}

// appendJSON writes what Options.MarshalJSON writes.
func (o *Options) appendJSON(b []byte) []byte {
	b = append(b, `{"flip_mode":"`...)
	b = append(b, o.FlipMode.String()...)
	b = append(b, `","initial_flips":`...)
	b = appendInt(b, o.InitialFlips)
	b = append(b, `,"jokers":"`...)
	b = append(b, o.Jokers.String()...)
	b = append(b, '"')
	for i := range boolOptions {
		bo := &boolOptions[i]
		b = append(b, `,"`...)
		b = append(b, bo.name...)
		b = append(b, `":`...)
		b = appendBool(b, *bo.field(o))
	}
	return append(b, '}')
}

// appendJSON writes what Settings.MarshalJSON writes.
func (s *Settings) appendJSON(b []byte) []byte {
	b = append(b, '{')
	if s.Decks != 0 {
		b = append(b, `"decks":`...)
		b = appendInt(b, s.Decks)
		b = append(b, ',')
	}
	b = append(b, `"rounds":`...)
	b = appendInt(b, s.Rounds)
	b = append(b, `,"options":`...)
	b = s.Options.appendJSON(b)
	if s.TurnTimer != 0 {
		b = append(b, `,"turn_timer":`...)
		b = appendInt(b, s.TurnTimer)
	}
	return append(b, '}')
}

// AppendJSON appends v's JSON (docs/protocol.md, "The view"): the bytes
// json.Marshal(v) writes.
func (v *View) AppendJSON(b []byte) []byte { return v.AppendJSONOmit(b, Omit{}) }

// Omit names the members of a view a state frame leaves out because the
// receiver has them already (docs/protocol.md, "keep"): the frame's
// encoder decides, the view's only writes what is left.
type Omit struct {
	Members OmitMember
	// Seats: bit i leaves seat i out, written as null in its place.
	Seats uint8
}

// OmitMember is a set of view members.
type OmitMember uint8

const (
	OmitOptions   OmitMember = 1 << iota // options and labels (the labels follow from the options)
	OmitDiscard                          // discard
	OmitLastRound                        // last_round
	OmitResult                           // result
	OmitScores                           // scores
	OmitSeats                            // seats, all of them (Omit.Seats leaves out some)
)

// AppendJSONOmit appends v's JSON without the members o names: with
// Omit{} it is AppendJSON.
func (v *View) AppendJSONOmit(b []byte, o Omit) []byte {
	b = append(b, `{"seat":`...)
	b = appendInt(b, v.Seat)
	b = append(b, `,"phase":`...)
	b = appendString(b, v.Phase.String())
	b = append(b, `,"step":`...)
	b = appendString(b, v.Step.String())
	b = append(b, `,"room_code":`...)
	b = appendString(b, v.RoomCode)
	b = append(b, `,"round":`...)
	b = appendInt(b, v.Round)
	b = append(b, `,"rounds":`...)
	b = appendInt(b, v.Rounds)
	b = append(b, `,"decks":`...)
	b = appendInt(b, v.Decks)
	if o.Members&OmitOptions == 0 {
		b = append(b, `,"options":`...)
		b = v.Options.appendJSON(b)
		b = append(b, `,"labels":`...)
		b = appendStrings(b, v.Labels)
	}
	b = append(b, `,"turn_timer":`...)
	b = appendInt(b, v.TurnTimer)
	b = append(b, `,"host":`...)
	b = appendInt(b, v.Host)
	b = append(b, `,"dealer":`...)
	b = appendInt(b, v.Dealer)
	b = append(b, `,"first":`...)
	b = appendInt(b, v.First)
	b = append(b, `,"current":`...)
	b = appendInt(b, v.Current)
	b = append(b, `,"finisher":`...)
	b = appendInt(b, v.Finisher)
	switch {
	case o.Members&OmitSeats != 0: // the receiver has every seat
	case v.Seats == nil:
		b = append(b, `,"seats":null`...)
	default:
		b = append(b, `,"seats":[`...)
		for i := range v.Seats {
			if i > 0 {
				b = append(b, ',')
			}
			if i < 8 && o.Seats&(1<<i) != 0 {
				b = append(b, "null"...)
				continue
			}
			b = v.Seats[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"deck_size":`...)
	b = appendInt(b, v.DeckSize)
	b = append(b, `,"deck_back":`...)
	b = appendInt(b, v.DeckBack)
	if o.Members&OmitDiscard == 0 {
		b = append(b, `,"discard":`...)
		b = appendCards(b, v.Discard)
	}
	if h := v.Held; h != nil {
		b = append(b, `,"held":{"seat":`...)
		b = appendInt(b, h.Seat)
		b = append(b, `,"from":`...)
		b = appendString(b, h.From.String())
		if !h.Card.IsZero() {
			b = append(b, `,"card":`...)
			b = appendCard(b, h.Card)
		}
		b = append(b, `,"back":`...)
		b = strconv.AppendUint(b, uint64(h.Back), 10)
		b = append(b, '}')
	}
	b = append(b, `,"flip":`...)
	b = appendString(b, v.Flip.String())
	b = append(b, `,"reshuffles":`...)
	b = appendInt(b, v.Reshuffles)
	b = append(b, `,"revealed":`...)
	b = appendBool(b, v.Revealed)
	if v.PutBack {
		b = append(b, `,"put_back":true`...)
	}
	if v.LastRound != nil && o.Members&OmitLastRound == 0 {
		b = append(b, `,"last_round":`...)
		b = v.LastRound.appendJSON(b)
	}
	if v.Result != nil && o.Members&OmitResult == 0 {
		b = append(b, `,"result":`...)
		b = v.Result.appendJSON(b)
	}
	if o.Members&OmitScores != 0 {
		return append(b, '}')
	}
	b = append(b, `,"scores":`...)
	if v.Scores == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, row := range v.Scores {
			if i > 0 {
				b = append(b, ',')
			}
			if row == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j, n := range row {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendInt(b, n)
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (sv *SeatView) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, sv.ID)
	b = append(b, `,"name":`...)
	b = appendString(b, sv.Name)
	b = append(b, `,"cpu":`...)
	b = appendBool(b, sv.CPU)
	if sv.Profile != "" {
		b = append(b, `,"cpu_profile":`...)
		b = appendString(b, sv.Profile)
	}
	b = append(b, `,"left":`...)
	b = appendBool(b, sv.Left)
	b = append(b, `,"auto":`...)
	b = appendBool(b, sv.Auto)
	b = append(b, `,"cards":[`...)
	for i := range sv.Cards {
		sl := &sv.Cards[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"up":`...)
		b = appendBool(b, sl.Up)
		if !sl.Card.IsZero() {
			b = append(b, `,"card":`...)
			b = appendCard(b, sl.Card)
		}
		b = append(b, `,"back":`...)
		b = strconv.AppendUint(b, uint64(sl.Back), 10)
		b = append(b, '}')
	}
	b = append(b, `],"face_down":`...)
	b = appendInt(b, sv.FaceDown)
	b = append(b, `,"showing":`...)
	b = appendInt(b, sv.Showing)
	b = append(b, `,"flipped":`...)
	b = appendBool(b, sv.Flipped)
	b = append(b, `,"owed":`...)
	b = appendBool(b, sv.Owed)
	b = append(b, `,"turns":`...)
	b = appendInt(b, sv.Turns)
	b = append(b, `,"round_score":`...)
	b = appendInt(b, sv.RoundScore)
	b = append(b, `,"total":`...)
	b = appendInt(b, sv.Total)
	b = append(b, `,"rounds_won":`...)
	b = appendInt(b, sv.RoundsWon)
	return append(b, '}')
}

// AppendJSON appends the command's wire form: the bytes MarshalJSON writes.
func (c *Command) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"type":`...)
	b = appendString(b, c.Kind.String())
	switch c.Kind {
	case CmdDraw:
		if s := c.Source.String(); s != "" {
			b = append(b, `,"source":`...)
			b = appendString(b, s)
		}
	case CmdSwap, CmdFlip, CmdFlipAsAction:
		b = append(b, `,"pos":`...)
		b = appendInt(b, c.Pos)
	case CmdFlipInitial:
		if len(c.Positions) > 0 {
			b = append(b, `,"positions":`...)
			b = appendInts(b, c.Positions)
		}
	case CmdPutBack, CmdDiscard, CmdSkipFlip, CmdKnock:
	default:
		return b, fmt.Errorf("command %v has no wire form", c.Kind)
	}
	return append(b, '}'), nil
}

// AppendEvent appends e as MarshalEvent encodes it.
func AppendEvent(b []byte, e Event) ([]byte, error) {
	start := len(b)
	b = append(b, `{"type":`...)
	b = appendString(b, e.Type())
	b = append(b, `,"v":`...)
	b = appendInt(b, EventVersion)
	b = append(b, `,"data":`...)
	if out, ok := appendEventData(b, e); ok {
		return append(out, '}'), nil
	}
	// An event type this file does not know (a test's, say): the
	// reflective encoder, as before.
	data, err := json.Marshal(e)
	if err != nil {
		return b[:start], fmt.Errorf("encode %s: %w", e.Type(), err)
	}
	env, err := json.Marshal(envelope{Type: e.Type(), V: EventVersion, Data: data})
	if err != nil {
		return b[:start], fmt.Errorf("encode %s: %w", e.Type(), err)
	}
	return append(b[:start], env...), nil
}

// appendEventData writes the event's data object, or reports that it
// does not know e's type.
func appendEventData(b []byte, e Event) ([]byte, bool) {
	switch e := e.(type) {
	case CardDrawn:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"source":`...)
		b = appendString(b, e.Source.String())
		b = append(b, `,"card":`...)
		b = appendCard(b, e.Card)
		b = append(b, `,"reshuffled":`...)
		b = appendBool(b, e.Reshuffled)
	case HiddenDraw:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"source":`...)
		b = appendString(b, e.Source.String())
		b = append(b, `,"back":`...)
		b = strconv.AppendUint(b, uint64(e.Back), 10)
		b = append(b, `,"reshuffled":`...)
		b = appendBool(b, e.Reshuffled)
	case CardSwapped:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"position":`...)
		b = appendInt(b, e.Position)
		b = append(b, `,"new_card":`...)
		b = appendCard(b, e.NewCard)
		b = append(b, `,"old_card":`...)
		b = appendCard(b, e.OldCard)
		b = append(b, `,"old_was_face_up":`...)
		b = appendBool(b, e.OldWasFaceUp)
	case CardDiscarded:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"card":`...)
		b = appendCard(b, e.Card)
		b = append(b, `,"flip":`...)
		b = appendString(b, e.Flip.String())
	case DiscardReturned:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"card":`...)
		b = appendCard(b, e.Card)
	case CardFlipped:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"position":`...)
		b = appendInt(b, e.Position)
		b = append(b, `,"card":`...)
		b = appendCard(b, e.Card)
	case FlipAsAction:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"position":`...)
		b = appendInt(b, e.Position)
		b = append(b, `,"card":`...)
		b = appendCard(b, e.Card)
	case FlipSkipped:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
	case InitialCardsFlipped:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"positions":`...)
		b = appendInts(b, e.Positions)
		b = append(b, `,"cards":`...)
		b = appendCards(b, e.Cards)
	case Knocked:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"positions":`...)
		b = appendInts(b, e.Positions)
		b = append(b, `,"cards":`...)
		b = appendCards(b, e.Cards)
	case AutoplayChanged:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"on":`...)
		b = appendBool(b, e.On)
		if e.Removed {
			b = append(b, `,"removed":true`...)
		}
	case RoundStarted:
		b = append(b, `{"round":`...)
		b = appendInt(b, e.Round)
		b = append(b, `,"dealer_id":`...)
		b = appendString(b, e.DealerID)
		b = append(b, `,"first_player_id":`...)
		b = appendString(b, e.FirstPlayerID)
		b = append(b, `,"seed":"`...)
		b = hex.AppendEncode(b, e.Seed[:])
		b = append(b, `","discard":`...)
		b = appendCard(b, e.Discard)
		b = append(b, `,"deck_size":`...)
		b = appendInt(b, e.DeckSize)
	case RoundEnded:
		return e.appendJSON(b), true
	case GameEnded:
		return e.appendJSON(b), true
	case GameCreated:
		b = append(b, `{"room_code":`...)
		b = appendString(b, e.RoomCode)
		b = append(b, `,"host_id":`...)
		b = appendString(b, e.HostID)
		b = append(b, `,"settings":`...)
		b = e.Settings.appendJSON(b)
	case PlayerJoined:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"name":`...)
		b = appendString(b, e.Name)
		b = append(b, `,"cpu":`...)
		b = appendBool(b, e.CPU)
		if e.Profile != "" {
			b = append(b, `,"cpu_profile":`...)
			b = appendString(b, e.Profile)
		}
		if e.AddedBy != "" {
			b = append(b, `,"added_by":`...)
			b = appendString(b, e.AddedBy)
		}
	case PlayerLeft:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"reason":`...)
		b = appendString(b, string(e.Reason))
		if !e.HeldCard.IsZero() {
			b = append(b, `,"held_card":`...)
			b = appendCard(b, e.HeldCard)
		}
		if e.RemovedBy != "" {
			b = append(b, `,"removed_by":`...)
			b = appendString(b, e.RemovedBy)
		}
	case SettingsChanged:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"settings":`...)
		b = e.Settings.appendJSON(b)
	case GameStarted:
		b = append(b, `{"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, `,"players":`...)
		b = appendStrings(b, e.Players)
		b = append(b, `,"decks":`...)
		b = appendInt(b, e.Decks)
		b = append(b, `,"rounds":`...)
		b = appendInt(b, e.Rounds)
		b = append(b, `,"options":`...)
		b = e.Options.appendJSON(b)
	default:
		return b, false
	}
	return append(b, '}'), true
}

func (e *RoundEnded) appendJSON(b []byte) []byte {
	b = append(b, `{"round":`...)
	b = appendInt(b, e.Round)
	b = append(b, `,"reason":`...)
	b = appendString(b, string(e.Reason))
	b = append(b, `,"finisher_id":`...)
	if e.FinisherID == "" {
		b = append(b, "null"...)
	} else {
		b = appendString(b, string(e.FinisherID))
	}
	b = append(b, `,"players":`...)
	if e.Players == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range e.Players {
			p := &e.Players[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"player_id":`...)
			b = appendString(b, p.PlayerID)
			b = append(b, `,"hand":[`...)
			for j, c := range p.Hand {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendCard(b, c)
			}
			b = append(b, `],"hand_score":`...)
			b = appendInt(b, p.HandScore)
			b = append(b, `,"adjustments":`...)
			if p.Adjustments == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '[')
				for j, a := range p.Adjustments {
					if j > 0 {
						b = append(b, ',')
					}
					b = append(b, `{"rule":`...)
					b = appendString(b, a.Rule)
					b = append(b, `,"points":`...)
					b = appendInt(b, a.Points)
					b = append(b, '}')
				}
				b = append(b, ']')
			}
			b = append(b, `,"round_score":`...)
			b = appendInt(b, p.RoundScore)
			b = append(b, `,"total":`...)
			b = appendInt(b, p.Total)
			b = append(b, `,"rounds_won":`...)
			b = appendInt(b, p.RoundsWon)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"winners":`...)
	b = appendStrings(b, e.Winners)
	return append(b, '}')
}

func (e *GameEnded) appendJSON(b []byte) []byte {
	b = append(b, '{')
	if e.PlayerID != "" {
		b = append(b, `"player_id":`...)
		b = appendString(b, e.PlayerID)
		b = append(b, ',')
	}
	b = append(b, `"reason":`...)
	b = appendString(b, string(e.Reason))
	b = append(b, `,"players":`...)
	if e.Players == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, p := range e.Players {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"player_id":`...)
			b = appendString(b, p.PlayerID)
			b = append(b, `,"total":`...)
			b = appendInt(b, p.Total)
			b = append(b, `,"rounds_won":`...)
			b = appendInt(b, p.RoundsWon)
			b = append(b, `,"departed":`...)
			b = appendBool(b, p.Departed)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"winners":`...)
	b = appendStrings(b, e.Winners)
	return append(b, '}')
}
