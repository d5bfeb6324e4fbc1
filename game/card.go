package game

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
)

// Rank is a card rank. The zero Rank means "no card".
type Rank uint8

// Ranks in their canonical order (rules §1.2). Joker sorts last.
const (
	Ace Rank = 1 + iota
	Two
	Three
	Four
	Five
	Six
	Seven
	Eight
	Nine
	Ten
	Jack
	Queen
	King
	Joker
)

const rankLetters = "?A23456789TJQK"

// String returns the rank as written in rules.md: A 2 … 9 T J Q K, or JK.
func (r Rank) String() string {
	switch {
	case r == Joker:
		return "JK"
	case r >= Ace && r <= King:
		return rankLetters[r : r+1]
	}
	return "?"
}

// Suit is a card suit. Jokers have NoSuit.
type Suit uint8

// Suits in canonical order (rules §4.2).
const (
	NoSuit Suit = iota
	Spades
	Hearts
	Diamonds
	Clubs
)

const suitLetters = "?SHDC"

// String returns S, H, D or C, and "" for NoSuit.
func (s Suit) String() string {
	if s >= Spades && s <= Clubs {
		return suitLetters[s : s+1]
	}
	return ""
}

// Card is one physical card: its rank, its suit (none for a joker) and the
// deck it belongs to, which is its public back (rules §1.2). The zero Card
// means "no card".
type Card struct {
	Rank Rank
	Suit Suit
	Deck uint8
}

// NoCard is the zero Card.
var NoCard Card

// IsZero reports whether c is NoCard.
func (c Card) IsZero() bool { return c.Rank == 0 }

// String writes the card as in rules.md, QH or JK, without its deck.
func (c Card) String() string {
	if c.Rank == Joker {
		return "JK"
	}
	if c.IsZero() {
		return "--"
	}
	return c.Rank.String() + c.Suit.String()
}

// Faces is the number of distinct (rank, suit) faces: 52 plus the joker.
const Faces = 53

// Face numbers a card's face 0..52 ignoring its deck: suit-major in canonical
// order (S, H, D, C; A…K each), the joker last.
func (c Card) Face() int {
	if c.Rank == Joker {
		return 52
	}
	return int(c.Suit-Spades)*13 + int(c.Rank-Ace)
}

// FaceCard returns a deck-0 card with the given face.
func FaceCard(face int) Card {
	if face == 52 {
		return Card{Rank: Joker}
	}
	return Card{Rank: Rank(face%13) + Ace, Suit: Suit(face/13) + Spades}
}

// index numbers a non-joker physical card 0..155, unique across decks, for CardSet.
func (c Card) index() int { return int(c.Deck)*52 + c.Face() }

// ParseCard reads a card written as in rules.md ("QH", "TS", "JK"), deck 0.
func ParseCard(s string) (Card, error) {
	if s == "JK" {
		return Card{Rank: Joker}, nil
	}
	if len(s) != 2 {
		return NoCard, fmt.Errorf("card %q: want a rank and a suit, like QH, or JK", s)
	}
	r := Rank(0)
	for i := Ace; i <= King; i++ {
		if rankLetters[i] == s[0] {
			r = i
		}
	}
	su := Suit(0)
	for i := Spades; i <= Clubs; i++ {
		if suitLetters[i] == s[1] {
			su = i
		}
	}
	if r == 0 || su == 0 {
		return NoCard, fmt.Errorf("card %q: unknown rank or suit", s)
	}
	return Card{Rank: r, Suit: su}, nil
}

// valid reports whether c is a real card of a game with the given decks.
func (c Card) valid(decks int) bool {
	if int(c.Deck) >= decks {
		return false
	}
	if c.Rank == Joker {
		return c.Suit == NoSuit
	}
	return c.Rank >= Ace && c.Rank <= King && c.Suit >= Spades && c.Suit <= Clubs
}

// cardJSON is the stored and wire form of a card:
// {"rank":"Q","suit":"H","deck":0}; a joker has no suit.
type cardJSON struct {
	Rank string `json:"rank"`
	Suit string `json:"suit,omitempty"`
	Deck uint8  `json:"deck"`
}

// MarshalJSON encodes a card as {"rank":"Q","suit":"H","deck":0}.
func (c Card) MarshalJSON() ([]byte, error) { return appendCard(make([]byte, 0, 36), c), nil }

// UnmarshalJSON decodes the form MarshalJSON writes and rejects anything else.
func (c *Card) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*c = NoCard
		return nil
	}
	if c.unmarshalCanonical(data) {
		return nil
	}
	var j cardJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("card: %w", err)
	}
	if j.Rank == "JK" {
		if j.Suit != "" {
			return fmt.Errorf("card: a joker has no suit")
		}
		*c = Card{Rank: Joker, Deck: j.Deck}
		return nil
	}
	p, err := ParseCard(j.Rank + j.Suit)
	if err != nil {
		return err
	}
	p.Deck = j.Deck
	*c = p
	return nil
}

// CardSet is a set of physical cards (up to 3 decks with jokers), used to
// count what has been seen in a round. The zero CardSet is empty.
//
// A deck's two jokers are the same face but different cards; the set tells
// them apart by an extra bit, so adding one joker of deck d twice marks both.
type CardSet struct {
	bits  [3]uint64
	joker [3]uint8 // jokers of each deck in the set (0..2)
}

// Add puts c into the set. Adding a joker counts one more joker of its deck.
func (s *CardSet) Add(c Card) {
	if c.Rank == Joker {
		if s.joker[c.Deck] < 2 {
			s.joker[c.Deck]++
		}
		return
	}
	i := c.index()
	s.bits[i/64] |= 1 << (i % 64)
}

// Remove takes c out of the set (one joker of its deck, for a joker).
func (s *CardSet) Remove(c Card) {
	if c.Rank == Joker {
		if s.joker[c.Deck] > 0 {
			s.joker[c.Deck]--
		}
		return
	}
	i := c.index()
	s.bits[i/64] &^= 1 << (i % 64)
}

// Has reports whether c (for a joker: any joker of its deck) is in the set.
func (s *CardSet) Has(c Card) bool {
	if c.Rank == Joker {
		return s.joker[c.Deck] > 0
	}
	i := c.index()
	return s.bits[i/64]&(1<<(i%64)) != 0
}

// Len is the number of cards in the set.
func (s *CardSet) Len() int {
	return bits.OnesCount64(s.bits[0]) + bits.OnesCount64(s.bits[1]) + bits.OnesCount64(s.bits[2]) +
		int(s.joker[0]) + int(s.joker[1]) + int(s.joker[2])
}

// Counts adds to counts[face] the number of cards of each face in the set.
func (s *CardSet) Counts(counts *[Faces]int) {
	for w, word := range s.bits {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			counts[(w*64+b)%52]++
		}
	}
	counts[52] += int(s.joker[0]) + int(s.joker[1]) + int(s.joker[2])
}

// unmarshalCanonical decodes exactly the bytes MarshalJSON writes, without
// reflection; folding a stored log spends most of its time on cards.
func (c *Card) unmarshalCanonical(b []byte) bool {
	const pre = `{"rank":"`
	if len(b) < len(pre) || string(b[:len(pre)]) != pre {
		return false
	}
	b = b[len(pre):]
	var out Card
	switch {
	case len(b) > 2 && b[0] == 'J' && b[1] == 'K' && b[2] == '"':
		out.Rank, b = Joker, b[3:]
	case len(b) > 13 && b[1] == '"' && string(b[2:11]) == `,"suit":"` && b[12] == '"':
		r, err := ParseCard(string(b[0:1]) + string(b[11:12]))
		if err != nil {
			return false
		}
		out, b = r, b[13:]
	default:
		return false
	}
	const deck = `,"deck":`
	if len(b) < len(deck)+2 || string(b[:len(deck)]) != deck || b[len(b)-1] != '}' {
		return false
	}
	d, err := strconv.ParseUint(string(b[len(deck):len(b)-1]), 10, 8)
	if err != nil {
		return false
	}
	out.Deck = uint8(d)
	*c = out
	return true
}
