package storetest

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"golf/game"
)

// Play plays a whole game of the given size with random legal moves (from
// View.Moves) and returns its events grouped as the commands produced them:
// each group is one Append a live server would make. It is deterministic in
// r, so benchmarks and tests replay the same realistic event sizes.
func Play(r *rand.Rand, players, rounds int, opts game.Options) ([][]game.Event, error) {
	var (
		s      game.State
		groups [][]game.Event
		moves  []game.Command
	)
	do := func(c game.Command) error {
		evs, err := game.Decide(&s, c)
		if err != nil {
			return fmt.Errorf("%v by %s: %w", c.Kind, c.By, err)
		}
		for _, e := range evs {
			if err := s.Apply(e); err != nil {
				return fmt.Errorf("apply %s: %w", e.Type(), err)
			}
		}
		groups = append(groups, evs)
		return nil
	}
	set := game.DefaultSettings()
	set.Rounds, set.Options = rounds, opts
	host := "p0"
	if err := do(game.CreateGameCmd(host, "Player 0", "ROOM", set)); err != nil {
		return nil, err
	}
	for i := 1; i < players; i++ {
		if err := do(game.JoinCmd(fmt.Sprintf("p%d", i), fmt.Sprintf("Player %d", i))); err != nil {
			return nil, err
		}
	}
	if err := do(game.StartGameCmd(host, seed(r))); err != nil {
		return nil, err
	}
	for steps := 0; !s.Over(); steps++ {
		if steps > 100_000 {
			return nil, fmt.Errorf("game did not end after %d commands", steps)
		}
		if s.Phase() == game.PhaseRoundOver {
			if err := do(game.NextRoundCmd(host, seed(r))); err != nil {
				return nil, err
			}
			continue
		}
		moved := false
		for seat := range s.NumSeats() {
			v := s.View(seat)
			moves = v.Moves(moves[:0])
			if len(moves) == 0 {
				continue
			}
			if err := do(moves[r.IntN(len(moves))]); err != nil {
				return nil, err
			}
			moved = true
			break
		}
		if !moved {
			return nil, fmt.Errorf("no seat can move in phase %v", s.Phase())
		}
	}
	return groups, nil
}

func seed(r *rand.Rand) game.Seed {
	var s game.Seed
	for i := 0; i < len(s); i += 8 {
		binary.LittleEndian.PutUint64(s[i:], r.Uint64())
	}
	return s
}
