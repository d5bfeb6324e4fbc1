package game

// Moves appends to dst every game command the viewer may send now, as the
// engine would accept it, worked out from the view alone: initial flips
// (every set of distinct positions), and the turn actions of rules §6.2.
// It leaves out Leave and the host's lobby commands. A spectator has none.
func (v *View) Moves(dst []Command) []Command {
	me := v.Me()
	if me == nil || me.Left {
		return dst
	}
	id := me.ID
	if v.Phase == PhaseInitialFlip {
		if !me.Flipped {
			dst = appendInitialFlips(dst, id, v.Options.InitialFlips)
		}
		return dst
	}
	if (v.Phase != PhasePlaying && v.Phase != PhaseFinalTurn) || v.Current != v.Seat {
		return dst
	}
	switch v.Step {
	case StepTurnStart:
		dst = append(dst, DrawCmd(id, SourceDeck))
		if len(v.Discard) > 0 && !v.PutBack {
			dst = append(dst, DrawCmd(id, SourceDiscard))
		}
		if v.Options.FlipAsAction {
			for pos := range 6 {
				if !me.Cards[pos].Up {
					dst = append(dst, FlipAsActionCmd(id, pos))
				}
			}
		}
		if v.Options.KnockEarly && (me.FaceDown == 1 || me.FaceDown == 2) {
			dst = append(dst, KnockCmd(id))
		}
	case StepHolding:
		for pos := range 6 {
			dst = append(dst, SwapCmd(id, pos))
		}
		if v.Held != nil && v.Held.From == SourceDeck {
			dst = append(dst, DiscardCmd(id))
		} else {
			dst = append(dst, PutBackCmd(id))
		}
	case StepFlipOwed:
		for pos := range 6 {
			if !me.Cards[pos].Up {
				dst = append(dst, FlipCmd(id, pos))
			}
		}
		if v.Flip == FlipOptional {
			dst = append(dst, SkipFlipCmd(id))
		}
	}
	return dst
}

// appendInitialFlips lists every set of k distinct positions. The commands'
// position lists share one backing array: one allocation, not fifteen.
func appendInitialFlips(dst []Command, id string, k int) []Command {
	switch k {
	case 1:
		buf := make([]int, 6)
		for a := range 6 {
			buf[a] = a
			dst = append(dst, FlipInitialCmd(id, buf[a:a+1:a+1]...))
		}
	case 2:
		buf := make([]int, 0, 30)
		for a := range 6 {
			for b := a + 1; b < 6; b++ {
				buf = append(buf, a, b)
				dst = append(dst, FlipInitialCmd(id, buf[len(buf)-2:len(buf):len(buf)]...))
			}
		}
	}
	return dst
}
