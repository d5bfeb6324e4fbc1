package game

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Event is one immutable fact in a game's log (rules §14). Apply is the only
// code that changes a State, and it does so only by folding Events.
type Event interface {
	// Type is the event's name in the log, e.g. "CardDrawn".
	Type() string
	// Actor is the id of the player (or platform) whose command caused the
	// event, or "" when there is none; it is the store's player_id column.
	Actor() string
}

// EventVersion is the version of every event data format written today.
const EventVersion = 1

// Source is where a drawn card comes from.
type Source uint8

// The draw sources. The zero Source is invalid (rules §13 invalid_source).
const (
	SourceNone Source = iota
	SourceDeck
	SourceDiscard
)

var sourceNames = []string{"", "deck", "discard"}

func (s Source) String() string { return enumName(sourceNames, int(s)) }

// MarshalText writes "deck" or "discard".
func (s Source) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "deck" or "discard"; anything else is SourceNone, which
// Decide rejects with invalid_source, so a client's typo gets the rules' error.
func (s *Source) UnmarshalText(b []byte) error {
	switch string(b) {
	case "deck":
		*s = SourceDeck
	case "discard":
		*s = SourceDiscard
	default:
		*s = SourceNone
	}
	return nil
}

// FlipKind is the flip obligation a discard creates (rules §6.6).
type FlipKind uint8

const (
	FlipNone FlipKind = iota
	FlipRequired
	FlipOptional
)

var flipKindNames = []string{"none", "required", "optional"}

func (f FlipKind) String() string { return enumName(flipKindNames, int(f)) }

// MarshalText writes none, required or optional.
func (f FlipKind) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText reads none, required or optional.
func (f *FlipKind) UnmarshalText(b []byte) error {
	i, err := enumParse("flip", flipKindNames, string(b))
	*f = FlipKind(i)
	return err
}

// LeaveReason says why a player left (rules §14.2).
type LeaveReason string

const (
	ReasonLeft     LeaveReason = "left"
	ReasonRemoved  LeaveReason = "removed"
	ReasonTimedOut LeaveReason = "timed_out"
)

// RoundEndReason says how a round ended (rules §6.9).
type RoundEndReason string

const (
	ReasonWentOut       RoundEndReason = "went_out"
	ReasonDeckExhausted RoundEndReason = "deck_exhausted"
)

// GameEndReason says how a game ended (rules §7.4, §10).
type GameEndReason string

const (
	ReasonCompleted GameEndReason = "completed"
	ReasonAbandoned GameEndReason = "abandoned"
)

// GameCreated opens a game; its settings are those proposed at creation.
type GameCreated struct {
	RoomCode string   `json:"room_code"`
	HostID   string   `json:"host_id"`
	Settings Settings `json:"settings"`
}

// PlayerJoined seats a player, or a CPU added by the host.
type PlayerJoined struct {
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
	CPU      bool   `json:"cpu"`
	Profile  string `json:"cpu_profile,omitempty"`
	AddedBy  string `json:"added_by,omitempty"` // the host, for a CPU
}

// PlayerLeft records a departure; a card the leaver held is now face-up on
// the discard pile.
type PlayerLeft struct {
	PlayerID  string      `json:"player_id"`
	Reason    LeaveReason `json:"reason"`
	HeldCard  Card        `json:"held_card,omitzero"`
	RemovedBy string      `json:"removed_by,omitempty"` // the host or the platform
}

// SettingsChanged records the host's new lobby settings (not in the seed's
// list: the lobby is part of the game's log so it survives a restart).
type SettingsChanged struct {
	PlayerID string   `json:"player_id"`
	Settings Settings `json:"settings"`
}

// GameStarted fixes the seat order and the binding settings.
type GameStarted struct {
	PlayerID string   `json:"player_id"` // the host
	Players  []string `json:"players"`
	Decks    int      `json:"decks"`
	Rounds   int      `json:"rounds"`
	Options  Options  `json:"options"`
}

// RoundStarted deals a round from its secret seed. It is never sent to
// players: the seed stays on the server.
type RoundStarted struct {
	Round         int    `json:"round"`
	DealerID      string `json:"dealer_id"`
	FirstPlayerID string `json:"first_player_id"`
	Seed          Seed   `json:"seed"`
	Discard       Card   `json:"discard"`
	DeckSize      int    `json:"deck_size"`
}

// InitialCardsFlipped turns up a player's initial cards.
type InitialCardsFlipped struct {
	PlayerID  string `json:"player_id"`
	Positions []int  `json:"positions"`
	Cards     []Card `json:"cards"`
}

// CardDrawn gives the current player a card. A deck card is seen only by the
// drawer until it is swapped or discarded.
type CardDrawn struct {
	PlayerID   string `json:"player_id"`
	Source     Source `json:"source"`
	Card       Card   `json:"card"`
	Reshuffled bool   `json:"reshuffled"`
}

// DiscardReturned puts a card taken from the discard pile back on top.
type DiscardReturned struct {
	PlayerID string `json:"player_id"`
	Card     Card   `json:"card"`
}

// CardSwapped puts the held card into the grid; the replaced card lands
// face-up on the discard pile.
type CardSwapped struct {
	PlayerID     string `json:"player_id"`
	Position     int    `json:"position"`
	NewCard      Card   `json:"new_card"`
	OldCard      Card   `json:"old_card"`
	OldWasFaceUp bool   `json:"old_was_face_up"`
}

// CardDiscarded throws the held deck card onto the discard pile and records
// the flip obligation it creates.
type CardDiscarded struct {
	PlayerID string   `json:"player_id"`
	Card     Card     `json:"card"`
	Flip     FlipKind `json:"flip"`
}

// CardFlipped resolves a flip obligation by turning up a card.
type CardFlipped struct {
	PlayerID string `json:"player_id"`
	Position int    `json:"position"`
	Card     Card   `json:"card"`
}

// FlipSkipped resolves an optional flip obligation without flipping.
type FlipSkipped struct {
	PlayerID string `json:"player_id"`
}

// FlipAsAction turns up a card as the whole turn (option flip_as_action).
type FlipAsAction struct {
	PlayerID string `json:"player_id"`
	Position int    `json:"position"`
	Card     Card   `json:"card"`
}

// Knocked turns up all of a player's 1–2 face-down cards as the whole turn
// (option knock_early).
type Knocked struct {
	PlayerID  string `json:"player_id"`
	Positions []int  `json:"positions"`
	Cards     []Card `json:"cards"`
}

// AutoplayChanged records that the platform started or stopped playing for
// an absent player (docs/ai.md §4–5: such turns are not graded). Not a rules
// event: the seat's turns go on under the same rules either way.
type AutoplayChanged struct {
	PlayerID string `json:"player_id"`
	On       bool   `json:"on"`
	// Removed: the host removed this human mid-game; the platform plays
	// the seat to the end (and the player may not come back).
	Removed bool `json:"removed,omitempty"`
}

// RoundPlayer is one scored player's line in RoundEnded.
type RoundPlayer struct {
	PlayerID    string       `json:"player_id"`
	Hand        [6]Card      `json:"hand"`
	HandScore   int          `json:"hand_score"`
	Adjustments []Adjustment `json:"adjustments"`
	RoundScore  int          `json:"round_score"`
	Total       int          `json:"total"`
	RoundsWon   int          `json:"rounds_won"`
}

// RoundEnded scores a round (rules §7.3). Every hand is revealed.
type RoundEnded struct {
	Round      int            `json:"round"`
	Reason     RoundEndReason `json:"reason"`
	FinisherID OptionalID     `json:"finisher_id"`
	Players    []RoundPlayer  `json:"players"`
	Winners    []string       `json:"winners"`
}

// GamePlayer is one player's line in GameEnded.
type GamePlayer struct {
	PlayerID  string `json:"player_id"`
	Total     int    `json:"total"`
	RoundsWon int    `json:"rounds_won"`
	Departed  bool   `json:"departed"`
}

// GameEnded closes a game, completed or abandoned (rules §7.4, §10).
type GameEnded struct {
	PlayerID string        `json:"player_id,omitempty"` // who ended it early, for EndGame
	Reason   GameEndReason `json:"reason"`
	Players  []GamePlayer  `json:"players"`
	Winners  []string      `json:"winners"`
}

// OptionalID is a player id that encodes as null when empty.
type OptionalID string

// MarshalJSON writes null for the empty id.
func (id OptionalID) MarshalJSON() ([]byte, error) {
	if id == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(id))
}

// UnmarshalJSON reads null as the empty id.
func (id *OptionalID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = ""
		return nil
	}
	return json.Unmarshal(b, (*string)(id))
}

func (GameCreated) Type() string         { return "GameCreated" }
func (PlayerJoined) Type() string        { return "PlayerJoined" }
func (PlayerLeft) Type() string          { return "PlayerLeft" }
func (SettingsChanged) Type() string     { return "SettingsChanged" }
func (GameStarted) Type() string         { return "GameStarted" }
func (RoundStarted) Type() string        { return "RoundStarted" }
func (InitialCardsFlipped) Type() string { return "InitialCardsFlipped" }
func (CardDrawn) Type() string           { return "CardDrawn" }
func (DiscardReturned) Type() string     { return "DiscardReturned" }
func (CardSwapped) Type() string         { return "CardSwapped" }
func (CardDiscarded) Type() string       { return "CardDiscarded" }
func (CardFlipped) Type() string         { return "CardFlipped" }
func (FlipSkipped) Type() string         { return "FlipSkipped" }
func (FlipAsAction) Type() string        { return "FlipAsAction" }
func (Knocked) Type() string             { return "Knocked" }
func (RoundEnded) Type() string          { return "RoundEnded" }
func (GameEnded) Type() string           { return "GameEnded" }
func (AutoplayChanged) Type() string     { return "AutoplayChanged" }

func (e GameCreated) Actor() string         { return e.HostID }
func (e PlayerJoined) Actor() string        { return firstNonEmpty(e.AddedBy, e.PlayerID) }
func (e PlayerLeft) Actor() string          { return firstNonEmpty(e.RemovedBy, e.PlayerID) }
func (e SettingsChanged) Actor() string     { return e.PlayerID }
func (e GameStarted) Actor() string         { return e.PlayerID }
func (RoundStarted) Actor() string          { return "" }
func (e InitialCardsFlipped) Actor() string { return e.PlayerID }
func (e CardDrawn) Actor() string           { return e.PlayerID }
func (e DiscardReturned) Actor() string     { return e.PlayerID }
func (e CardSwapped) Actor() string         { return e.PlayerID }
func (e CardDiscarded) Actor() string       { return e.PlayerID }
func (e CardFlipped) Actor() string         { return e.PlayerID }
func (e FlipSkipped) Actor() string         { return e.PlayerID }
func (e FlipAsAction) Actor() string        { return e.PlayerID }
func (e Knocked) Actor() string             { return e.PlayerID }
func (RoundEnded) Actor() string            { return "" }
func (e GameEnded) Actor() string           { return e.PlayerID }
func (AutoplayChanged) Actor() string       { return Platform }

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// eventTypes maps each type name to a constructor for decoding.
var eventTypes = map[string]func() Event{
	"GameCreated":         func() Event { return new(GameCreated) },
	"PlayerJoined":        func() Event { return new(PlayerJoined) },
	"PlayerLeft":          func() Event { return new(PlayerLeft) },
	"SettingsChanged":     func() Event { return new(SettingsChanged) },
	"GameStarted":         func() Event { return new(GameStarted) },
	"RoundStarted":        func() Event { return new(RoundStarted) },
	"InitialCardsFlipped": func() Event { return new(InitialCardsFlipped) },
	"CardDrawn":           func() Event { return new(CardDrawn) },
	"DiscardReturned":     func() Event { return new(DiscardReturned) },
	"CardSwapped":         func() Event { return new(CardSwapped) },
	"CardDiscarded":       func() Event { return new(CardDiscarded) },
	"CardFlipped":         func() Event { return new(CardFlipped) },
	"FlipSkipped":         func() Event { return new(FlipSkipped) },
	"FlipAsAction":        func() Event { return new(FlipAsAction) },
	"Knocked":             func() Event { return new(Knocked) },
	"RoundEnded":          func() Event { return new(RoundEnded) },
	"GameEnded":           func() Event { return new(GameEnded) },
	"AutoplayChanged":     func() Event { return new(AutoplayChanged) },
}

// EventTypeNames lists every event type name.
func EventTypeNames() []string {
	names := make([]string, 0, len(eventTypes))
	for n := range eventTypes {
		names = append(names, n)
	}
	return names
}

// envelope is the stored form of an event: {"type":…,"v":1,"data":{…}}.
type envelope struct {
	Type string          `json:"type"`
	V    int             `json:"v"`
	Data json.RawMessage `json:"data"`
}

// MarshalEvent encodes e as {"type": …, "v": 1, "data": {…}}, the form the
// store keeps. Golden files under testdata/ pin it.
func MarshalEvent(e Event) ([]byte, error) { return AppendEvent(make([]byte, 0, 256), e) }

// UnmarshalEvent decodes what MarshalEvent wrote. Unknown types, versions and
// fields are errors, and so are missing or invalid settings. As everywhere in
// encoding/json, keys match case-insensitively and a repeated key's last
// value wins; Apply then checks every event against the state.
func UnmarshalEvent(b []byte) (Event, error) {
	if e, ok := decodeFast(b); ok {
		return e, nil
	}
	var env envelope
	if err := strictDecode(b, &env); err != nil {
		return nil, fmt.Errorf("decode event: %w", err)
	}
	return DecodeEvent(env.Type, env.V, env.Data)
}

// DecodeEvent decodes an event's data given its type and version.
func DecodeEvent(typ string, v int, data []byte) (Event, error) {
	mk, ok := eventTypes[typ]
	if !ok {
		return nil, fmt.Errorf("decode event: unknown type %q", typ)
	}
	if v != EventVersion {
		return nil, fmt.Errorf("decode %s: unsupported version %d", typ, v)
	}
	p := mk()
	if err := strictDecode(data, p); err != nil {
		return nil, fmt.Errorf("decode %s: %w", typ, err)
	}
	e := deref(p)
	if err := checkSettings(e); err != nil {
		return nil, fmt.Errorf("decode %s: %w", typ, err)
	}
	return e, nil
}

// checkSettings rejects an event whose settings are missing or out of
// range. Settings decode strictly when present, but an absent "settings"
// key leaves the zero Settings (0 rounds), which no log may hold.
func checkSettings(e Event) error {
	switch e := e.(type) {
	case GameCreated:
		return e.Settings.Validate()
	case SettingsChanged:
		return e.Settings.Validate()
	}
	return nil
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after JSON value")
	}
	return nil
}

// deref turns the *T that decoding filled into the T value Apply expects.
func deref(p Event) Event {
	switch e := p.(type) {
	case *GameCreated:
		return *e
	case *PlayerJoined:
		return *e
	case *PlayerLeft:
		return *e
	case *SettingsChanged:
		return *e
	case *GameStarted:
		return *e
	case *RoundStarted:
		return *e
	case *InitialCardsFlipped:
		return *e
	case *CardDrawn:
		return *e
	case *DiscardReturned:
		return *e
	case *CardSwapped:
		return *e
	case *CardDiscarded:
		return *e
	case *CardFlipped:
		return *e
	case *FlipSkipped:
		return *e
	case *FlipAsAction:
		return *e
	case *Knocked:
		return *e
	case *RoundEnded:
		return *e
	case *GameEnded:
		return *e
	case *AutoplayChanged:
		return *e
	}
	return p
}
