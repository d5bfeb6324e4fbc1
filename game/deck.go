package game

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
	mrand "math/rand/v2"
)

// Seed is a round's secret 256-bit shuffle seed (rules §4.3). It is recorded
// only in RoundStarted and never appears in a view.
type Seed [32]byte

// NewSeed draws a seed from the operating system's secure random source.
// The engine never calls it: callers put the seed into StartGame and
// NextRound, so that a game stays a pure function of its events.
func NewSeed() Seed {
	var s Seed
	rand.Read(s[:]) // crypto/rand.Read never returns an error (Go 1.24+).
	return s
}

// MarshalText writes the seed as 64 hex digits.
func (s Seed) MarshalText() ([]byte, error) {
	b := make([]byte, hex.EncodedLen(len(s)))
	hex.Encode(b, s[:])
	return b, nil
}

// UnmarshalText reads 64 hex digits.
func (s *Seed) UnmarshalText(b []byte) error {
	if len(b) != hex.EncodedLen(len(s)) {
		return fmt.Errorf("seed: want %d hex digits, got %d", hex.EncodedLen(len(s)), len(b))
	}
	_, err := hex.Decode(s[:], b)
	return err
}

// DeckSize is the number of cards in play (rules §4.1).
func DeckSize(decks int, j Jokers) int {
	switch j {
	case JokersStandard, JokersEagleEye:
		return decks * 54
	case JokersLuckySwing:
		return decks*52 + 1
	}
	return decks * 52
}

// NewDeck returns every card in play in canonical order (rules §4.2): deck 0,
// then deck 1, …; within a deck suits S, H, D, C with ranks A…K, then that
// deck's two jokers; under lucky_swing the single joker comes last of all.
func NewDeck(decks int, j Jokers) []Card {
	return appendDeck(make([]Card, 0, DeckSize(decks, j)), decks, j)
}

func appendDeck(dst []Card, decks int, j Jokers) []Card {
	for d := range decks {
		for s := Spades; s <= Clubs; s++ {
			for r := Ace; r <= King; r++ {
				dst = append(dst, Card{Rank: r, Suit: s, Deck: uint8(d)})
			}
		}
		if j == JokersStandard || j == JokersEagleEye {
			dst = append(dst, Card{Rank: Joker, Deck: uint8(d)}, Card{Rank: Joker, Deck: uint8(d)})
		}
	}
	if j == JokersLuckySwing {
		dst = append(dst, Card{Rank: Joker})
	}
	return dst
}

// Shuffle generator, version 1. This is part of the stored event format:
// changing it changes the replay of every stored game (rules §4.3).
//
// Shuffle k of a round (k = 0 deals, k ≥ 1 is the k-th reshuffle) is keyed by
//
//	key = SHA-256("golf/shuffle/v1" ‖ seed ‖ uint64 big-endian k)
//
// and draws from a ChaCha8 stream (C2SP chacha8rand, math/rand/v2.ChaCha8)
// with that key. The permutation is Fisher–Yates from the last card down:
// for i = n−1 … 1, j = uniform(i+1), swap cards i and j, where uniform(m)
// is Lemire's multiply-and-reject method on 64-bit outputs (below). The
// result is listed top card first.
const shuffleDomain = "golf/shuffle/v1"

func shuffleKey(seed Seed, k int) [32]byte {
	var buf [len(shuffleDomain) + 32 + 8]byte
	copy(buf[:], shuffleDomain)
	copy(buf[len(shuffleDomain):], seed[:])
	binary.BigEndian.PutUint64(buf[len(shuffleDomain)+32:], uint64(k))
	return sha256.Sum256(buf[:])
}

// shuffle permutes cards in place with shuffle k of the round keyed by seed.
func shuffle(cards []Card, seed Seed, k int) { shuffleDownTo(cards, seed, k, 1) }

// shuffleDownTo runs the steps i = n−1 … stop of shuffle k: every position
// from stop up then holds its final card (step i fixes position i), while
// the positions below stop are not yet shuffled.
func shuffleDownTo(cards []Card, seed Seed, k, stop int) {
	var r mrand.ChaCha8
	r.Seed(shuffleKey(seed, k))
	for i := len(cards) - 1; i >= max(stop, 1); i-- {
		j := uniform(&r, uint64(i+1))
		cards[i], cards[j] = cards[j], cards[i]
	}
}

// uniform returns a uniform integer in [0, n) (Lemire, "Fast Random Integer
// Generation in an Interval", 2019). Written out here rather than using
// math/rand/v2's IntN so the stored format cannot change with Go versions.
func uniform(r *mrand.ChaCha8, n uint64) uint64 {
	hi, lo := bits.Mul64(r.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.Uint64(), n)
		}
	}
	return hi
}
