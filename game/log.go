package game

// Log is a game's event log kept in memory: the events Decide returns, in
// order, each foldable into a State. It holds the turn events, which are
// most of a game, unboxed, so that a simulator recording every event of
// thousands of games allocates nothing per command once its log has grown;
// Event returns any entry as the Event Decide would have returned.
//
// The zero Log is empty and ready to use.
type Log struct {
	recs []rec
	// deal is the whole deal of entry dealAt-1, a RoundStarted (0: none):
	// DecideLog works it out so that Apply need not shuffle the round
	// again. The deal is a function of the seed, the decks and the jokers
	// alone, and Apply uses it only for the state it fits.
	deal   wholeDeal
	dealAt int
}

// recKind is which event a rec holds.
type recKind uint8

const (
	recBoxed recKind = iota // any other event, in rec.boxed
	recDrawn
	recReturned
	recSwapped
	recDiscarded
	recFlipped
	recFlipAsAction
	recSkipped
	recInitial
)

// rec is one event of a Log: a turn event's fields in place, or the boxed
// Event of any other kind.
type rec struct {
	kind  recKind
	src   Source   // CardDrawn
	flip  FlipKind // CardDiscarded
	flag  bool     // CardDrawn.Reshuffled, CardSwapped.OldWasFaceUp
	n     uint8    // InitialCardsFlipped: how many positions
	pos   [2]int8  // Position, or the initial flips' positions
	cards [2]Card  // Card or NewCard, OldCard; or the initial flips' cards
	by    string   // PlayerID
	boxed Event
}

var recTypes = [...]string{
	recDrawn:        "CardDrawn",
	recReturned:     "DiscardReturned",
	recSwapped:      "CardSwapped",
	recDiscarded:    "CardDiscarded",
	recFlipped:      "CardFlipped",
	recFlipAsAction: "FlipAsAction",
	recSkipped:      "FlipSkipped",
	recInitial:      "InitialCardsFlipped",
}

// The turn events a rec holds, built in place for event and applyRec.
func (r *rec) drawn() CardDrawn {
	return CardDrawn{PlayerID: r.by, Source: r.src, Card: r.cards[0], Reshuffled: r.flag}
}

func (r *rec) returned() DiscardReturned { return DiscardReturned{PlayerID: r.by, Card: r.cards[0]} }

func (r *rec) swapped() CardSwapped {
	return CardSwapped{PlayerID: r.by, Position: int(r.pos[0]), NewCard: r.cards[0], OldCard: r.cards[1], OldWasFaceUp: r.flag}
}

func (r *rec) discarded() CardDiscarded {
	return CardDiscarded{PlayerID: r.by, Card: r.cards[0], Flip: r.flip}
}

// empty reports whether r holds no event: a draw from an exhausted deck
// has no turn event, only the end of the round.
func (r *rec) empty() bool { return r.kind == recBoxed && r.boxed == nil }

// event boxes r as the Event it stands for.
func (r *rec) event() Event {
	switch r.kind {
	case recDrawn:
		return r.drawn()
	case recReturned:
		return r.returned()
	case recSwapped:
		return r.swapped()
	case recDiscarded:
		return r.discarded()
	case recFlipped:
		return CardFlipped{PlayerID: r.by, Position: int(r.pos[0]), Card: r.cards[0]}
	case recFlipAsAction:
		return FlipAsAction{PlayerID: r.by, Position: int(r.pos[0]), Card: r.cards[0]}
	case recSkipped:
		return FlipSkipped{PlayerID: r.by}
	case recInitial:
		// The two lists share one allocation: initial_flips is at most 2.
		n := int(r.n)
		buf := new(struct {
			positions [2]int
			cards     [2]Card
		})
		e := InitialCardsFlipped{PlayerID: r.by, Positions: buf.positions[:n:n], Cards: buf.cards[:n:n]}
		for i := range n {
			e.Positions[i], e.Cards[i] = int(r.pos[i]), r.cards[i]
		}
		return e
	}
	return r.boxed
}

// applyRec folds r into s as s.Apply(r.event()) would, without boxing it.
func (s *State) applyRec(r *rec) error {
	switch r.kind {
	case recDrawn:
		return s.applyDrawn(r.drawn())
	case recReturned:
		return s.applyReturned(r.returned())
	case recSwapped:
		return s.applySwapped(r.swapped())
	case recDiscarded:
		return s.applyDiscarded(r.discarded())
	case recFlipped:
		return s.applyFlip(r.by, int(r.pos[0]), r.cards[0], true)
	case recFlipAsAction:
		return s.applyFlip(r.by, int(r.pos[0]), r.cards[0], false)
	case recSkipped:
		return s.applySkipped(FlipSkipped{PlayerID: r.by})
	case recInitial:
		var pos [2]int
		n := int(r.n)
		for i := range n {
			pos[i] = int(r.pos[i])
		}
		cards := r.cards
		return s.applyInitial(InitialCardsFlipped{PlayerID: r.by, Positions: pos[:n], Cards: cards[:n]})
	}
	return s.Apply(r.boxed)
}

// Len is the number of events in the log.
func (l *Log) Len() int { return len(l.recs) }

// Reset empties the log, keeping its memory for the next game.
func (l *Log) Reset() {
	clear(l.recs) // let go of the boxed events and ids
	l.recs, l.dealAt = l.recs[:0], 0
}

// Event returns event i as Decide returned it. A turn event is boxed anew
// on each call.
func (l *Log) Event(i int) Event { return l.recs[i].event() }

// Type is Event(i).Type(), without boxing the event.
func (l *Log) Type(i int) string {
	r := &l.recs[i]
	if r.kind == recBoxed {
		return r.boxed.Type()
	}
	return recTypes[r.kind]
}

// Events returns the whole log as Decide returned it, appended to dst.
func (l *Log) Events(dst []Event) []Event {
	for i := range l.recs {
		dst = append(dst, l.recs[i].event())
	}
	return dst
}

// Apply folds event i into s, as s.Apply(l.Event(i)) does.
func (l *Log) Apply(s *State, i int) error {
	r := &l.recs[i]
	if i+1 == l.dealAt {
		if e, ok := r.boxed.(RoundStarted); ok {
			return s.applyRoundStarted(e, &l.deal)
		}
	}
	return s.applyRec(r)
}

// DecideLog is Decide appending the events to l instead of returning them:
// a caller that keeps a game's log in a Log allocates nothing for a turn
// command. On a rejection it leaves l's events unchanged.
func DecideLog(l *Log, s *State, c *Command) error {
	switch c.Kind {
	case CmdDraw, CmdPutBack, CmdSwap, CmdDiscard, CmdFlip, CmdSkipFlip, CmdFlipAsAction, CmdKnock:
		var r rec
		more, err := s.decideTurn(c, &r)
		if err != nil {
			return err
		}
		if !r.empty() {
			l.recs = append(l.recs, r)
		}
		l.appendBoxed(more)
		return nil
	case CmdFlipInitial:
		var r rec
		if err := s.decideFlipInitial(c, &r); err != nil {
			return err
		}
		l.recs = append(l.recs, r)
		return nil
	}
	var pre *wholeDeal
	if c.Kind == CmdStartGame || c.Kind == CmdNextRound {
		pre, l.dealAt = &l.deal, 0
	}
	evs, err := decideOther(s, *c, pre)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if _, ok := e.(RoundStarted); ok && pre != nil {
			l.dealAt = len(l.recs) + 1
		}
		l.recs = append(l.recs, rec{boxed: e})
	}
	return nil
}

func (l *Log) appendBoxed(evs []Event) {
	for _, e := range evs {
		l.recs = append(l.recs, rec{boxed: e})
	}
}
