package storetest

import (
	"fmt"
	"math/rand/v2"

	"golf/game"
)

// statsHumans and statsCPUs are the pools PlayStats seats from.
var (
	statsHumans = []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"}
	statsCPUs   = []string{"sofia", "maya", "priya", "marcus", "kenji", "expert"}
)

// PlayStats plays one random game for the statistics suite and returns its
// events: 2–5 seats drawn from a pool of eight humans and six CPU
// profiles, random rules (a preset, sometimes a non-default deck count),
// 1–3 rounds and random legal moves; now and then a player leaves, the
// platform plays for an absent human, or the game is ended early
// (abandoned). Deterministic in r.
func PlayStats(r *rand.Rand) ([]game.Event, error) {
	var (
		s     game.State
		log   []game.Event
		moves []game.Command
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
		log = append(log, evs...)
		return nil
	}
	set := game.DefaultSettings()
	set.Rounds = 1 + r.IntN(3)
	if r.IntN(2) == 0 {
		names := game.PresetNames()
		set.Options, _ = game.Preset(names[r.IntN(len(names))])
	}
	if r.IntN(5) == 0 {
		set.Decks = 1 + r.IntN(3)
	}
	humans := append([]string(nil), statsHumans...)
	r.Shuffle(len(humans), func(i, j int) { humans[i], humans[j] = humans[j], humans[i] })
	cpus := append([]string(nil), statsCPUs...)
	r.Shuffle(len(cpus), func(i, j int) { cpus[i], cpus[j] = cpus[j], cpus[i] })
	host := humans[0]
	humans = humans[1:]
	if err := do(game.CreateGameCmd(host, "Name "+host, "ROOM", set)); err != nil {
		return nil, err
	}
	for n := 2 + r.IntN(4); n > 1; n-- {
		if r.IntN(3) == 0 {
			p := cpus[0]
			cpus = cpus[1:]
			if err := do(game.AddCPUCmd(host, "cpu_"+p, "CPU "+p, p)); err != nil {
				return nil, err
			}
			continue
		}
		h := humans[0]
		humans = humans[1:]
		if err := do(game.JoinCmd(h, "Name "+h)); err != nil {
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
		// The platform's and the players' other powers: the rules may
		// refuse one at this moment, which changes nothing.
		var extra game.Command
		switch x, i := r.IntN(4000), r.IntN(s.NumSeats()); {
		case x < 2:
			extra = game.EndGameCmd(game.Platform)
		case x < 10 && s.Seated(i):
			extra = game.LeaveCmd(s.PlayerID(i))
		case x < 40 && s.Seated(i):
			if cpu, _ := s.IsCPU(i); !cpu {
				extra = game.AutoplayCmd(s.PlayerID(i), !s.Autoplay(i))
			}
		}
		if extra.Kind != 0 {
			if err := do(extra); err == nil || game.CodeOf(err) != "" {
				continue
			} else {
				return nil, err
			}
		}
		if s.Phase() == game.PhaseRoundOver {
			if err := do(game.NextRoundCmd(game.Platform, seed(r))); err != nil {
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
	return log, nil
}
