package game

import "slices"

// noScores is the scorecard row of a seat before its first round: shared,
// and never written.
var noScores = []int{}

// Spectator is the seat number of a viewer without a seat.
const Spectator = -1

// View is what one seat (or a spectator) may know of a game (rules §12).
// It is built only from public facts and the viewer's own deck draw: it
// never holds a face-down card, the deck order or the seed, so it can be
// sent to a client or handed to a CPU player as it is.
//
// A View shares LastRound and Result with the state; treat them as read-only.
type View struct {
	Seat     int      `json:"seat"` // the viewer's seat, or Spectator
	Phase    Phase    `json:"phase"`
	Step     Step     `json:"step"`
	RoomCode string   `json:"room_code"`
	Round    int      `json:"round"`
	Rounds   int      `json:"rounds"`
	Decks    int      `json:"decks"` // 0 in the lobby means "default for the players at the start"
	Options  Options  `json:"options"`
	Labels   []string `json:"labels"`
	// TurnTimer is the setting (Settings.TurnTimer: 0 default, -1 off, or seconds).
	TurnTimer int `json:"turn_timer"`

	Host     int `json:"host"`     // seat, or -1
	Dealer   int `json:"dealer"`   // seat, or -1 before the first deal
	First    int `json:"first"`    // the round's first player, or -1
	Current  int `json:"current"`  // whose turn it is, or -1
	Finisher int `json:"finisher"` // who went out this round, or -1

	Seats      []SeatView `json:"seats"`
	DeckSize   int        `json:"deck_size"`
	DeckBack   int        `json:"deck_back"` // deck index of the top card's back, -1 if the deck is empty
	Discard    []Card     `json:"discard"`   // bottom first; the top card is last
	Held       *HeldView  `json:"held,omitempty"`
	Flip       FlipKind   `json:"flip"` // the obligation owed by the current player
	Reshuffles int        `json:"reshuffles"`
	// Revealed is whether the last turn event turned up a face-down card (a
	// swap into a face-down slot, a flip, a knock, initial flips, the reveal
	// at the end of a final turn).
	Revealed bool `json:"revealed"`
	// PutBack: the current player has put a card back this turn, so the
	// pile is closed to them until their next turn (rules §6.4).
	PutBack bool `json:"put_back,omitempty"`

	LastRound *RoundEnded `json:"last_round,omitempty"`
	Result    *GameEnded  `json:"result,omitempty"`
	// Scores is the scorecard: by seat, the seat's score for each round
	// played, in order (a player who left has none after leaving). The
	// inner lists are the state's: read-only.
	Scores [][]int `json:"scores"`

	// Seen is every card revealed to everyone this round; Pool, after a
	// reshuffle, the reshuffled cards not revealed since. Both are public
	// knowledge for card counting (docs/ai.md §3.1), kept off the wire.
	Seen CardSet `json:"-"`
	Pool CardSet `json:"-"`
}

// SeatView is one seat as the viewer sees it.
type SeatView struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	CPU        bool    `json:"cpu"`
	Profile    string  `json:"cpu_profile,omitempty"`
	Left       bool    `json:"left"`
	Auto       bool    `json:"auto"` // the platform is playing for this absent player
	Cards      [6]Slot `json:"cards"`
	FaceDown   int     `json:"face_down"`
	Showing    int     `json:"showing"` // running sum of the face-up cards, pairs as they score`
	Flipped    bool    `json:"flipped"` // initial flips submitted this round
	Owed       bool    `json:"owed"`    // still owed a final turn
	Turns      int     `json:"turns"`   // turns finished this round
	RoundScore int     `json:"round_score"`
	Total      int     `json:"total"`
	RoundsWon  int     `json:"rounds_won"`
}

// Slot is one grid position: a face-up card, or only the back of a
// face-down one (its deck index, which is public).
type Slot struct {
	Up   bool  `json:"up"`
	Card Card  `json:"card,omitzero"` // NoCard unless Up
	Back uint8 `json:"back"`
}

// HeldView is the card the current player holds. Card is NoCard when the
// viewer may see only its back: a deck draw seen by anyone but the drawer.
type HeldView struct {
	Seat int    `json:"seat"`
	From Source `json:"from"`
	Card Card   `json:"card,omitzero"`
	Back uint8  `json:"back"`
}

// View returns what seat may know (Spectator for a watcher).
func (s *State) View(seat int) View {
	var v View
	s.ViewInto(&v, seat)
	return v
}

// ViewInto fills v with what seat may know, reusing v's slices so that a
// simulator can build a view per decision without allocating. Every field
// of v is written: nothing of what v held before shows through.
func (s *State) ViewInto(v *View, seat int) {
	if seat < 0 || seat >= s.n {
		seat = Spectator
	}
	o := &s.settings.Options
	// The labels follow from the options alone: keep the last fill's while
	// the options are unchanged (a simulator fills a view per decision).
	if v.Labels == nil || v.Options != *o {
		v.Labels = o.appendLabels(v.Labels[:0])
	}
	// Field by field rather than *v = View{…}: a View is large, and
	// zeroing it first cost as much as filling it.
	v.Seat, v.Phase, v.Step, v.RoomCode = seat, s.phase, s.step, s.roomCode
	v.Round, v.Rounds, v.Decks, v.Options = s.round, s.settings.Rounds, s.settings.Decks, *o
	v.TurnTimer = s.settings.TurnTimer
	v.Host, v.Dealer, v.First, v.Current, v.Finisher = s.host, -1, -1, s.Current(), s.finisher
	if s.round > 0 {
		v.Dealer, v.First = s.dealer, s.first
	}
	v.DeckSize, v.DeckBack = len(s.deck), -1
	if len(s.deck) > 0 {
		v.DeckBack = int(s.deck[0].Deck)
	}
	v.Discard = append(v.Discard[:0], s.discard...)
	if v.Discard == nil {
		v.Discard = []Card{} // an empty pile is [], never null, on the wire
	}
	v.Flip, v.Reshuffles, v.Revealed, v.PutBack = s.flip, s.reshuffles, s.revealed, s.returned
	v.LastRound, v.Result = s.lastRound, s.result
	v.Scores = append(v.Scores[:0], s.scores[:s.n]...)
	for i, row := range v.Scores {
		if row == nil {
			v.Scores[i] = noScores // [] on the wire, never null
		}
	}
	v.Seen, v.Pool = s.seen, s.pool
	// Fill the seats in place: a SeatView is large, and copying it in
	// through append cost more than everything else here.
	seats := slices.Grow(v.Seats[:0], s.n)[:s.n]
	for i := range s.n {
		pl := &s.players[i]
		sv := &seats[i]
		sv.ID, sv.Name, sv.CPU, sv.Profile, sv.Left, sv.Auto = pl.id, pl.name, pl.cpu, pl.profile, pl.left, pl.auto
		sv.Flipped, sv.Owed, sv.Turns = pl.flipped, pl.owed, pl.turns
		sv.RoundScore, sv.Total, sv.RoundsWon = pl.roundScore, pl.total, pl.roundsWon
		if s.round > 0 && !pl.left {
			sv.Cards, sv.FaceDown, sv.Showing = pl.slots, pl.faceDown(), pl.showing
		} else {
			sv.Cards, sv.FaceDown, sv.Showing = [6]Slot{}, 0, 0
		}
	}
	v.Seats = seats
	held := v.Held
	v.Held = nil
	if s.step == StepHolding && (s.phase == PhasePlaying || s.phase == PhaseFinalTurn) {
		if held == nil {
			held = new(HeldView)
		}
		*held = HeldView{Seat: s.current, From: s.heldFrom, Back: s.held.Deck}
		if s.heldFrom == SourceDiscard || seat == s.current {
			held.Card = s.held
		}
		v.Held = held
	}
}

// Me returns the viewer's own seat, or nil for a spectator.
func (v *View) Me() *SeatView {
	if v.Seat < 0 {
		return nil
	}
	return &v.Seats[v.Seat]
}

// DiscardTop returns the top of the discard pile, or NoCard.
func (v *View) DiscardTop() Card {
	if len(v.Discard) == 0 {
		return NoCard
	}
	return v.Discard[len(v.Discard)-1]
}

// MyTurn reports whether the viewer is the player to act.
func (v *View) MyTurn() bool { return v.Seat >= 0 && v.Current == v.Seat }

// Labels of the options, appended to dst (see Options.Labels). It takes a
// pointer because a value would escape through boolOption.field and cost an
// allocation per view.
func (o *Options) appendLabels(dst []string) []string {
	switch o.FlipMode {
	case FlipAlways:
		dst = append(dst, "Speed Golf")
	case FlipEndgame:
		dst = append(dst, "Endgame Flip")
	}
	switch o.Jokers {
	case JokersStandard:
		dst = append(dst, "Jokers")
	case JokersLuckySwing:
		dst = append(dst, "Lucky Swing")
	case JokersEagleEye:
		dst = append(dst, "Eagle-Eye")
	}
	for _, b := range boolOptions {
		if *b.field(o) {
			dst = append(dst, b.label)
		}
	}
	if dst == nil {
		dst = []string{}
	}
	return dst
}
