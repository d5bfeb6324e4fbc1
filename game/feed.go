package game

// Redact returns event e as the viewer's seat may see it in a live feed
// (rules §12.3, the "visible to" column of §14.2), and false for events that
// are never sent to players: GameStarted and RoundStarted (which carries the
// seed); views carry what players need of them.
//
// Only one card field is private: a card drawn from the deck, which only the
// drawer sees. Everything else an event names is public when it happens.
// Encode the result with MarshalEvent.
func Redact(e Event, viewer int, s *State) (Event, bool) {
	switch e := e.(type) {
	case GameStarted, RoundStarted:
		return nil, false
	case CardDrawn:
		if e.Source == SourceDeck && (viewer < 0 || viewer >= s.n || s.players[viewer].id != e.PlayerID) {
			return HiddenDraw{PlayerID: e.PlayerID, Source: e.Source, Back: e.Card.Deck, Reshuffled: e.Reshuffled}, true
		}
	}
	return e, true
}

// HiddenDraw is a deck draw as everyone but the drawer sees it: who drew,
// the back of the card and whether the pile was reshuffled first. It is
// only ever sent, never stored.
type HiddenDraw struct {
	PlayerID   string `json:"player_id"`
	Source     Source `json:"source"`
	Back       uint8  `json:"back"`
	Reshuffled bool   `json:"reshuffled"`
}

// Type is "CardDrawn": to a client it is the same event, without the card.
func (HiddenDraw) Type() string { return "CardDrawn" }

// Actor is the drawer.
func (e HiddenDraw) Actor() string { return e.PlayerID }
