package game

import "math/bits"

// Phase is where a game is (rules §11.1).
type Phase uint8

// The phases. The zero Phase is a game that has not been created yet.
const (
	PhaseNew Phase = iota
	PhaseWaiting
	PhaseInitialFlip
	PhasePlaying
	PhaseFinalTurn
	PhaseRoundOver
	PhaseGameOver
)

var phaseNames = []string{"new", "waiting", "initial_flip", "playing", "final_turn", "round_over", "game_over"}

func (p Phase) String() string { return enumName(phaseNames, int(p)) }

// MarshalText writes the phase as in rules.md.
func (p Phase) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a phase name.
func (p *Phase) UnmarshalText(b []byte) error {
	i, err := enumParse("phase", phaseNames, string(b))
	*p = Phase(i)
	return err
}

// Step is where the current player's turn is (rules §6.1).
type Step uint8

const (
	StepTurnStart Step = iota
	StepHolding
	StepFlipOwed
)

var stepNames = []string{"turn_start", "holding", "flip_owed"}

func (s Step) String() string { return enumName(stepNames, int(s)) }

// MarshalText writes the step as in rules.md.
func (s Step) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a step name.
func (s *Step) UnmarshalText(b []byte) error {
	i, err := enumParse("step", stepNames, string(b))
	*s = Step(i)
	return err
}

// MaxPlayers is the largest table (rules §2).
const MaxPlayers = 6

// allUp is the face-up mask of a whole grid.
const allUp = 1<<6 - 1

// player is one seat: who sits there, their grid and their scores.
type player struct {
	id, name, profile string
	cpu               bool
	left              bool // left after the start; the seat stays in the order
	auto              bool // the platform is playing for this absent human

	hand [6]Card
	up   uint8 // bit p set: the card at position p is face-up
	// slots is the grid as views show it (publicSlots), remade by Apply
	// whenever it changes hand or up, so that a view copies it.
	slots   [6]Slot
	showing int  // the face-up cards' running sum (Options.showing), remade with slots
	flipped bool // submitted initial flips this round
	owed    bool // still owed a final turn
	turns   int  // turns finished this round

	roundScore, total, roundsWon int
}

func (p *player) faceDown() int { return 6 - bits.OnesCount8(p.up) }

// publicSlots is the grid as everyone sees it: face-up cards, and the backs
// of the face-down ones. It masks rather than branches: which cards are up
// follows no pattern a branch predictor could learn.
func (p *player) publicSlots() [6]Slot {
	var out [6]Slot
	for pos, c := range p.hand {
		bit := p.up >> pos & 1
		m := -bit // 0xff for a face-up card, 0 for a face-down one
		out[pos] = Slot{Up: bit != 0, Card: Card{Rank: c.Rank & Rank(m), Suit: c.Suit & Suit(m), Deck: c.Deck & m}, Back: c.Deck}
	}
	return out
}

// refreshSlots remakes slots and showing after Apply changed the hand or
// what is up.
func (p *player) refreshSlots(o *Options) {
	p.slots = p.publicSlots()
	p.showing = o.showing(&p.hand, p.up)
}

// State is a game, derived only by folding its events with Apply. The zero
// State is a game not yet created. Its fields are unexported so that no
// code but Apply can change it; read it through its methods and View.
type State struct {
	roomCode string
	host     int // seat of the host, -1 if no human is left
	settings Settings
	phase    Phase

	players [MaxPlayers]player
	n       int // seats taken (join order while waiting, fixed after the start)

	round, dealer, first, current int
	step                          Step
	held                          Card
	heldFrom                      Source
	flip                          FlipKind // the obligation owed in StepFlipOwed
	finisher                      int      // the seat that went out, -1 if none

	// revealed is whether the last turn event turned up a face-down card
	// (public; a CPU takes a moment to look at it, docs/ai.md §4).
	revealed bool
	// returned: the current player has put a card back on the pile this
	// turn, and may not take from it again (rules §6.4).
	returned bool

	seed       Seed
	reshuffles int
	deck       []Card // top card first
	discard    []Card // bottom card first, top card last

	// seen holds every card revealed to everyone this round; pool holds, after a
	// reshuffle, the reshuffled cards not yet revealed again. Both are public
	// knowledge kept for card counting (docs/ai.md §3.1).
	seen, pool CardSet

	lastRound *RoundEnded
	result    *GameEnded

	// scores holds each seat's round scores, hole by hole (the scorecard).
	// A slice is never written in place once made (Apply appends to a
	// clipped copy), so views may share it.
	scores [MaxPlayers][]int
}

// Phase returns the game's phase.
func (s *State) Phase() Phase { return s.phase }

// Reshuffles is how many times the deck has been reshuffled this round.
func (s *State) Reshuffles() int { return s.reshuffles }

// Step returns the current turn's step.
func (s *State) Step() Step { return s.step }

// Round returns the round number, from 1; 0 before the start.
func (s *State) Round() int { return s.round }

// Settings returns the lobby settings before the start and the binding ones after.
func (s *State) Settings() Settings { return s.settings }

// RoomCode returns the code the game was created with.
func (s *State) RoomCode() string { return s.roomCode }

// NumSeats returns the number of seats taken (including departed seats after the start).
func (s *State) NumSeats() int { return s.n }

// Seat returns the seat of a player id, or -1.
func (s *State) Seat(id string) int {
	for i := range s.n {
		if s.players[i].id == id {
			return i
		}
	}
	return -1
}

// PlayerID returns the id of the player at seat i.
func (s *State) PlayerID(i int) string { return s.players[i].id }

// Name returns the name of the player at seat i.
func (s *State) Name(i int) string { return s.players[i].name }

// Seated reports whether seat i holds a player who has not left.
func (s *State) Seated(i int) bool { return i >= 0 && i < s.n && !s.players[i].left }

// IsCPU reports whether seat i is a CPU player, and its profile.
func (s *State) IsCPU(i int) (bool, string) { return s.players[i].cpu, s.players[i].profile }

// Host returns the host's seat, or -1.
func (s *State) Host() int { return s.host }

// Current returns the seat whose turn it is, or -1 outside turns.
func (s *State) Current() int {
	if s.phase != PhasePlaying && s.phase != PhaseFinalTurn {
		return -1
	}
	return s.current
}

// SeatedCount returns how many seats are occupied by players who have not left.
func (s *State) SeatedCount() int {
	c := 0
	for i := range s.n {
		if !s.players[i].left {
			c++
		}
	}
	return c
}

// HumansSeated returns how many seated players are not CPUs.
func (s *State) HumansSeated() int {
	c := 0
	for i := range s.n {
		if !s.players[i].left && !s.players[i].cpu {
			c++
		}
	}
	return c
}

// Autoplay reports whether the platform is playing for seat i.
func (s *State) Autoplay(i int) bool { return s.players[i].auto }

// AwaitingFlip reports whether seat i still has to submit initial flips.
func (s *State) AwaitingFlip(i int) bool {
	return s.phase == PhaseInitialFlip && s.Seated(i) && !s.players[i].flipped
}

// LastRound returns the last RoundEnded, or nil.
func (s *State) LastRound() *RoundEnded { return s.lastRound }

// Result returns the GameEnded event once the game is over, or nil.
func (s *State) Result() *GameEnded { return s.result }

// Over reports whether the game has ended.
func (s *State) Over() bool { return s.phase == PhaseGameOver }

// Fold builds a fresh state from a log of events.
func Fold(events []Event) (*State, error) {
	s := new(State)
	for i, e := range events {
		if err := s.Apply(e); err != nil {
			return s, foldErr(i, e, err)
		}
	}
	return s, nil
}

// nextSeated returns the next seated player after seat x, wrapping (rules §1.4).
func (s *State) nextSeated(x int) int {
	for k := 1; k <= s.n; k++ {
		i := (x + k) % s.n
		if !s.players[i].left {
			return i
		}
	}
	return -1
}

// nextOwed returns the next seated player after x still owed a final turn, or -1.
func (s *State) nextOwed(x int) int {
	for k := 1; k <= s.n; k++ {
		i := (x + k) % s.n
		if !s.players[i].left && s.players[i].owed {
			return i
		}
	}
	return -1
}

// nextHuman returns the next seated human after x, wrapping, or -1.
func (s *State) nextHuman(x int) int {
	for k := 1; k <= s.n; k++ {
		i := (x + k) % s.n
		if !s.players[i].left && !s.players[i].cpu && i != x {
			return i
		}
	}
	return -1
}

// minFaceDown is the fewest face-down cards among seated players.
func (s *State) minFaceDown() int {
	m := 6
	for i := range s.n {
		if !s.players[i].left {
			m = min(m, s.players[i].faceDown())
		}
	}
	return m
}

// flipOwed decides the obligation a Discard by seat p creates (rules §6.6).
func (s *State) flipOwed(p int) FlipKind {
	if s.players[p].faceDown() == 0 {
		return FlipNone
	}
	switch s.settings.Options.FlipMode {
	case FlipAlways:
		return FlipRequired
	case FlipEndgame:
		if s.minFaceDown() <= 1 {
			return FlipOptional
		}
	}
	return FlipNone
}
