// Package ai holds Golf's CPU players. A CPU player decides from one seat's
// game.View only, never the full state, so it cannot cheat; it draws
// randomness only from the source its caller passes in, reads no clock and
// does no I/O, so a simulation is reproducible from its seed.
package ai

import (
	"fmt"
	"math/rand/v2"
	"time"

	"golf/game"
)

// Decision is a CPU player's next command and how long a person would think
// before sending it (docs/ai.md §4). The live server waits out the delay; the
// simulator ignores it.
type Decision struct {
	Command game.Command
	Delay   time.Duration
}

// Player is a CPU player. Decide is called when the view's seat may act
// (a turn command or its initial flips) and returns a command the engine
// accepts; with nothing to do it returns the zero Decision. The decision
// depends on the view and the random source alone. A player may keep
// working memory between calls, so it must not decide for two seats at
// once: New returns a fresh one for each seat.
type Player interface {
	Decide(v *game.View, r *rand.Rand) Decision
}

// DecideInto is p.Decide(v, r) written into d: a Decision is large, and a
// caller deciding for many seats in turn (the simulator) keeps one to reuse.
// The personalities write their decision in place; any other player's is
// copied.
func DecideInto(p Player, v *game.View, r *rand.Rand, d *Decision) {
	if pl, ok := p.(*player); ok {
		pl.decideInto(v, r, d)
		return
	}
	*d = p.Decide(v, r)
}

// Profile describes a CPU player for the lobby and the docs.
type Profile struct {
	ID        string // cpu_profile, e.g. "maya"
	Name      string // display name, e.g. "Maya"
	Style     string // e.g. "Aggressive Closer"
	Character string
	// Expert marks a profile seated only when a host names it: the strong
	// bot is a challenge someone chooses, never what "random" deals them.
	Expert bool
}

// Random plays a uniformly random legal move. It is no opponent for people;
// load tests and fuzzers use it to reach every corner of the rules.
type Random struct{}

// Decide picks one of the view's legal moves at random.
func (Random) Decide(v *game.View, r *rand.Rand) Decision {
	moves := v.Moves(nil)
	if len(moves) == 0 {
		return Decision{}
	}
	return Decision{Command: moves[r.IntN(len(moves))]}
}

// New returns a fresh CPU player for a profile id: one of the personalities
// (Roster), "random", or "standin". It is the one registry of bots by name.
// A player may keep tables between decisions, so give each seat its own.
func New(profile string) (Player, error) {
	for i := range personalities {
		if personalities[i].ID == profile {
			return &player{p: &personalities[i]}, nil
		}
	}
	switch profile {
	case "random":
		return Random{}, nil
	case standinProfile.ID:
		return Standin(), nil
	case expertProfile.ID:
		return &expert{}, nil
	}
	return nil, fmt.Errorf("ai: unknown profile %q", profile)
}

// Standin returns the player the platform uses for an idle or disconnected
// human: Marcus's parameters with U = 0 (docs/ai.md §1.1). Its turns are not
// graded (docs/ai.md §5).
func Standin() Player { return &player{p: &standinProfile} }
