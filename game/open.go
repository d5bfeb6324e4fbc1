package game

// OpenView is a spectator's view with every card named: each face-down
// grid card keeps Up false but carries its Card, and the held card is
// shown whoever drew it. It is for the replay of a finished game (package
// replay), whose every card the export names anyway; in a live game it
// would give everything away, so nothing on the live path calls it.
func (s *State) OpenView() View {
	v := s.View(Spectator)
	for i := range v.Seats {
		pl := &s.players[i]
		if s.round == 0 || pl.left {
			continue
		}
		for pos := range v.Seats[i].Cards {
			if !v.Seats[i].Cards[pos].Up {
				v.Seats[i].Cards[pos].Card = pl.hand[pos]
			}
		}
	}
	if v.Held != nil {
		v.Held.Card = s.held
	}
	return v
}
