package game

import (
	"encoding/json"
	"fmt"
)

// A snapshot is a State written out whole, deck order and seed included, so
// that a server can restore a live game without folding its log (the Redis
// cache of live games). It is server-side data: never send it to a client.
// The log stays the truth; a snapshot is only ever a shortcut to the state
// the log folds to at a known sequence number.

// snapshotVersion is bumped whenever State's fields change, so that a
// snapshot written by another build is refused instead of misread.
const snapshotVersion = 4

type snapshot struct {
	V          int              `json:"v"`
	Room       string           `json:"room"`
	Host       int              `json:"host"`
	Settings   *Settings        `json:"settings"` // nil before GameCreated
	Phase      uint8            `json:"phase"`
	Players    []snapshotPlayer `json:"players"` // all MaxPlayers slots
	N          int              `json:"n"`
	Round      int              `json:"round"`
	Dealer     int              `json:"dealer"`
	First      int              `json:"first"`
	Current    int              `json:"current"`
	Step       uint8            `json:"step"`
	Held       packedCards      `json:"held"`
	HeldFrom   uint8            `json:"held_from"`
	Flip       uint8            `json:"flip"`
	Finisher   int              `json:"finisher"`
	Revealed   bool             `json:"revealed"`
	Returned   bool             `json:"returned,omitempty"`
	Seed       Seed             `json:"seed"`
	Reshuffles int              `json:"reshuffles"`
	Deck       packedCards      `json:"deck"`
	Discard    packedCards      `json:"discard"`
	Seen       snapshotSet      `json:"seen"`
	Pool       snapshotSet      `json:"pool"`
	LastRound  *RoundEnded      `json:"last_round"`
	Result     *GameEnded       `json:"result"`
	Scores     [][]int          `json:"scores"` // by seat, all MaxPlayers
}

type snapshotPlayer struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Profile    string      `json:"profile"`
	CPU        bool        `json:"cpu"`
	Left       bool        `json:"left"`
	Auto       bool        `json:"auto"`
	Hand       packedCards `json:"hand"`
	Up         uint8       `json:"up"`
	Flipped    bool        `json:"flipped"`
	Owed       bool        `json:"owed"`
	Turns      int         `json:"turns"`
	RoundScore int         `json:"round_score"`
	Total      int         `json:"total"`
	RoundsWon  int         `json:"rounds_won"`
}

type snapshotSet struct {
	Bits  [3]uint64 `json:"bits"`
	Joker [3]uint8  `json:"joker"`
}

// packedCards packs packedCards three bytes each (rank, suit, deck); JSON writes it as
// base64. A nil slice stays nil (null) and an empty one empty, so a
// restored state is deep-equal to the original.
type packedCards []byte

func packCards(cs []Card) packedCards {
	if cs == nil {
		return nil
	}
	b := make(packedCards, 0, 3*len(cs))
	for _, c := range cs {
		b = append(b, byte(c.Rank), byte(c.Suit), c.Deck)
	}
	return b
}

func (b packedCards) unpack() ([]Card, error) {
	if b == nil {
		return nil, nil
	}
	if len(b)%3 != 0 {
		return nil, fmt.Errorf("card list of %d bytes", len(b))
	}
	cs := make([]Card, len(b)/3)
	for i := range cs {
		c := Card{Rank: Rank(b[3*i]), Suit: Suit(b[3*i+1]), Deck: b[3*i+2]}
		if !c.IsZero() && (c.Rank > Joker || c.Suit > Clubs || (c.Rank == Joker) != (c.Suit == NoSuit) || c.Deck >= 3) {
			return nil, fmt.Errorf("no such card %d/%d/%d", c.Rank, c.Suit, c.Deck)
		}
		cs[i] = c
	}
	return cs, nil
}

// Snapshot writes the whole state, hidden packedCards and seed included.
func (s *State) Snapshot() ([]byte, error) {
	ss := snapshot{
		V: snapshotVersion, Room: s.roomCode, Host: s.host, Phase: uint8(s.phase),
		N: s.n, Round: s.round, Dealer: s.dealer, First: s.first, Current: s.current,
		Step: uint8(s.step), Held: packCards([]Card{s.held}), HeldFrom: uint8(s.heldFrom), Flip: uint8(s.flip),
		Finisher: s.finisher, Revealed: s.revealed, Returned: s.returned, Seed: s.seed, Reshuffles: s.reshuffles,
		Deck: packCards(s.deck), Discard: packCards(s.discard),
		Seen: snapshotSet{s.seen.bits, s.seen.joker}, Pool: snapshotSet{s.pool.bits, s.pool.joker},
		LastRound: s.lastRound, Result: s.result,
		Players: make([]snapshotPlayer, MaxPlayers),
		Scores:  s.scores[:],
	}
	if s.settings != (Settings{}) {
		ss.Settings = &s.settings
	}
	for i := range s.players {
		p := &s.players[i]
		ss.Players[i] = snapshotPlayer{
			ID: p.id, Name: p.name, Profile: p.profile, CPU: p.cpu, Left: p.left, Auto: p.auto,
			Hand: packCards(p.hand[:]), Up: p.up, Flipped: p.flipped, Owed: p.owed, Turns: p.turns,
			RoundScore: p.roundScore, Total: p.total, RoundsWon: p.roundsWon,
		}
	}
	return json.Marshal(ss)
}

// Restore reads a state Snapshot wrote. It checks the snapshot's version,
// shape and value ranges, so a damaged snapshot is an error rather than a
// state that panics later; it cannot check that the state is one the rules
// reach, so restore only snapshots this server wrote itself.
func Restore(b []byte) (*State, error) {
	var ss snapshot
	if err := json.Unmarshal(b, &ss); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if ss.V != snapshotVersion {
		return nil, fmt.Errorf("restore: snapshot version %d, want %d", ss.V, snapshotVersion)
	}
	seat := func(i int) bool { return i >= -1 && i < MaxPlayers }
	switch {
	case len(ss.Players) != MaxPlayers || ss.N < 0 || ss.N > MaxPlayers:
		return nil, fmt.Errorf("restore: %d seats of %d slots", ss.N, len(ss.Players))
	case !seat(ss.Host) || !seat(ss.Dealer) || !seat(ss.First) || !seat(ss.Current) || !seat(ss.Finisher):
		return nil, fmt.Errorf("restore: a seat number out of range")
	case ss.Phase > uint8(PhaseGameOver) || ss.Step > uint8(StepFlipOwed) ||
		ss.HeldFrom > uint8(SourceDiscard) || ss.Flip > uint8(FlipOptional):
		return nil, fmt.Errorf("restore: phase, step, source or flip out of range")
	}
	if ss.Settings == nil {
		// The zero Settings do not validate (no rounds): only a state not
		// yet created has them.
		ss.Settings = new(Settings)
	}
	s := &State{
		roomCode: ss.Room, host: ss.Host, settings: *ss.Settings, phase: Phase(ss.Phase), n: ss.N,
		round: ss.Round, dealer: ss.Dealer, first: ss.First, current: ss.Current, step: Step(ss.Step),
		heldFrom: Source(ss.HeldFrom), flip: FlipKind(ss.Flip), finisher: ss.Finisher, revealed: ss.Revealed, returned: ss.Returned,
		seed: ss.Seed, reshuffles: ss.Reshuffles, lastRound: ss.LastRound, result: ss.Result,
	}
	var err error
	held, err := ss.Held.unpack()
	if err != nil || len(held) != 1 {
		return nil, fmt.Errorf("restore: held card: %v", err)
	}
	s.held = held[0]
	if s.deck, err = ss.Deck.unpack(); err != nil {
		return nil, fmt.Errorf("restore: deck: %w", err)
	}
	if s.discard, err = ss.Discard.unpack(); err != nil {
		return nil, fmt.Errorf("restore: discard pile: %w", err)
	}
	for _, set := range []snapshotSet{ss.Seen, ss.Pool} {
		for _, j := range set.Joker {
			if j > 2 {
				return nil, fmt.Errorf("restore: %d jokers of a deck", j)
			}
		}
	}
	s.seen = CardSet{ss.Seen.Bits, ss.Seen.Joker}
	s.pool = CardSet{ss.Pool.Bits, ss.Pool.Joker}
	if len(ss.Scores) != MaxPlayers {
		return nil, fmt.Errorf("restore: %d seats of scores", len(ss.Scores))
	}
	copy(s.scores[:], ss.Scores)
	for i, sp := range ss.Players {
		hand, err := sp.Hand.unpack()
		if err != nil || len(hand) != 6 {
			return nil, fmt.Errorf("restore: seat %d's hand: %v", i, err)
		}
		if sp.Up > allUp {
			return nil, fmt.Errorf("restore: seat %d's face-up mask %#x", i, sp.Up)
		}
		p := &s.players[i]
		*p = player{
			id: sp.ID, name: sp.Name, profile: sp.Profile, cpu: sp.CPU, left: sp.Left, auto: sp.Auto,
			up: sp.Up, flipped: sp.Flipped, owed: sp.Owed, turns: sp.Turns,
			roundScore: sp.RoundScore, total: sp.Total, roundsWon: sp.RoundsWon,
		}
		copy(p.hand[:], hand)
		p.refreshSlots(&s.settings.Options) // the views' grid and sum follow from the hand and what is up
	}
	return s, nil
}
