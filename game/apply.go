package game

import (
	"errors"
	"fmt"
	"slices"
)

// ErrInconsistent marks an event that does not fit the state it is applied
// to: a corrupt or forged log. Apply rejects it and changes nothing.
var ErrInconsistent = errors.New("event inconsistent with game state")

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInconsistent}, args...)...)
}

func foldErr(i int, e Event, err error) error {
	return fmt.Errorf("event %d (%s): %w", i, e.Type(), err)
}

// Apply folds one event into the state. It is the only code that changes a
// State. An event that does not fit the state (ErrInconsistent) is rejected
// before anything changes, so a log that folds without error is a legal game.
//
// Apply never writes inside the visible length of a slice the state already
// holds; it only appends, reslices or allocates afresh. A View or a copy
// taken earlier therefore never sees its cards change.
func (s *State) Apply(e Event) error {
	switch e := e.(type) {
	case GameCreated:
		return s.applyCreated(e)
	case PlayerJoined:
		return s.applyJoined(e)
	case PlayerLeft:
		return s.applyLeft(e)
	case SettingsChanged:
		return s.applySettings(e)
	case GameStarted:
		return s.applyStarted(e)
	case RoundStarted:
		return s.applyRoundStarted(e, nil)
	case InitialCardsFlipped:
		return s.applyInitial(e)
	case CardDrawn:
		return s.applyDrawn(e)
	case DiscardReturned:
		return s.applyReturned(e)
	case CardSwapped:
		return s.applySwapped(e)
	case CardDiscarded:
		return s.applyDiscarded(e)
	case CardFlipped:
		return s.applyFlip(e.PlayerID, e.Position, e.Card, true)
	case FlipAsAction:
		return s.applyFlip(e.PlayerID, e.Position, e.Card, false)
	case FlipSkipped:
		return s.applySkipped(e)
	case Knocked:
		return s.applyKnocked(e)
	case RoundEnded:
		return s.applyRoundEnded(e)
	case GameEnded:
		return s.applyGameEnded(e)
	case AutoplayChanged:
		return s.applyAutoplay(e)
	}
	return bad("unknown event %T", e)
}

func (s *State) applyCreated(e GameCreated) error {
	if s.phase != PhaseNew {
		return bad("game already created")
	}
	if err := e.Settings.Validate(); err != nil {
		return bad("settings: %v", err)
	}
	s.roomCode, s.settings, s.phase, s.host = e.RoomCode, e.Settings, PhaseWaiting, -1
	s.finisher, s.current = -1, -1
	return nil
}

func (s *State) applyJoined(e PlayerJoined) error {
	if s.phase != PhaseWaiting || s.n >= MaxPlayers || s.Seat(e.PlayerID) >= 0 || e.PlayerID == "" {
		return bad("join of %q", e.PlayerID)
	}
	s.players[s.n] = player{id: e.PlayerID, name: e.Name, cpu: e.CPU, profile: e.Profile}
	if s.host < 0 && !e.CPU {
		s.host = s.n
	}
	s.n++
	return nil
}

func (s *State) applySettings(e SettingsChanged) error {
	if s.phase != PhaseWaiting || s.Seat(e.PlayerID) != s.host || e.Settings.Validate() != nil {
		return bad("settings change by %q", e.PlayerID)
	}
	s.settings = e.Settings
	return nil
}

func (s *State) applyLeft(e PlayerLeft) error {
	p := s.Seat(e.PlayerID)
	if p < 0 || s.players[p].left || s.phase == PhaseNew || s.phase == PhaseGameOver {
		return bad("%q cannot leave", e.PlayerID)
	}
	inTurn := (s.phase == PhasePlaying || s.phase == PhaseFinalTurn) && s.current == p
	holding := inTurn && s.step == StepHolding
	if (holding && e.HeldCard != s.held) || (!holding && !e.HeldCard.IsZero()) {
		return bad("held card %v", e.HeldCard)
	}
	if s.phase == PhaseWaiting {
		// In the lobby a leaver gives up their place in the join order.
		copy(s.players[p:s.n], s.players[p+1:s.n])
		s.n--
		s.players[s.n] = player{}
		switch {
		case s.host == p:
			s.host = -1
			if h := s.firstHumanFrom(p); h >= 0 {
				s.host = h
			}
		case s.host > p:
			s.host--
		}
		return nil
	}
	pl := &s.players[p]
	pl.left, pl.owed = true, false
	if holding {
		s.revealHeld()
		s.discard = append(s.discard, s.held)
		s.held, s.heldFrom = NoCard, SourceNone
	}
	if inTurn {
		s.flip, s.step, s.returned = FlipNone, StepTurnStart, false
		if s.phase == PhasePlaying {
			s.current = s.nextSeated(p)
		} else {
			s.current = s.nextOwed(p)
		}
	}
	if s.phase == PhaseInitialFlip {
		if s.first == p {
			s.first = s.nextSeated(p)
		}
		s.maybeStartPlay()
	}
	if s.host == p {
		s.host = s.nextHuman(p)
	}
	return nil
}

// firstHumanFrom returns the first seated human at seat x or after, wrapping;
// used in the lobby, where the seats after a leaver have moved up one.
func (s *State) firstHumanFrom(x int) int {
	for k := range s.n {
		i := (x + k) % s.n
		if !s.players[i].cpu {
			return i
		}
	}
	return -1
}

func (s *State) applyStarted(e GameStarted) error {
	if s.phase != PhaseWaiting || len(e.Players) != s.n || s.n < 2 || s.Seat(e.PlayerID) != s.host {
		return bad("start")
	}
	for i, id := range e.Players {
		if s.players[i].id != id {
			return bad("seat %d is %q, not %q", i, s.players[i].id, id)
		}
	}
	set := Settings{Decks: e.Decks, Rounds: e.Rounds, Options: e.Options}
	if err := set.Validate(); err != nil || e.Decks == 0 {
		return bad("settings %+v", set)
	}
	s.settings = set
	// Between GameStarted and the RoundStarted that always follows it, the
	// game is "between rounds", like round_over.
	s.phase = PhaseRoundOver
	s.dealer = -1
	return nil
}

// applyRoundStarted deals the round from its seed; pre, when it holds that
// very deal (worked out by DecideLog), spares shuffling it again.
func (s *State) applyRoundStarted(e RoundStarted, pre *wholeDeal) error {
	if s.phase != PhaseRoundOver || e.Round != s.round+1 || e.Round > s.settings.Rounds {
		return bad("round %d in phase %v", e.Round, s.phase)
	}
	dealer := 0
	if s.round > 0 {
		dealer = s.nextSeated(s.dealer)
	}
	first := s.nextSeated(dealer)
	if s.players[dealer].id != e.DealerID || s.players[first].id != e.FirstPlayerID {
		return bad("dealer %q first %q", e.DealerID, e.FirstPlayerID)
	}
	seated := s.SeatedCount()
	d := dealing{decks: s.settings.Decks, jokers: s.settings.Options.Jokers, seated: seated}
	var cards []Card
	if pre.of(d, e.Seed) {
		// A copy: the state's deck must not share the log's buffer, which
		// the next deal overwrites.
		cards = append(make([]Card, 0, len(pre.cards)), pre.cards...)
	} else {
		cards = d.deal(e.Seed)
	}
	dealt := 6 * seated
	if cards[dealt] != e.Discard || len(cards)-dealt-1 != e.DeckSize {
		return bad("deal does not match its seed")
	}
	s.round, s.dealer, s.first, s.seed = e.Round, dealer, first, e.Seed
	// Deal one card at a time from the first player round to the dealer,
	// six times: position k of the i-th player dealt is card k·n+i.
	q := first
	for i := range seated {
		pl := &s.players[q]
		for k := range 6 {
			pl.hand[k] = cards[k*seated+i]
		}
		pl.up, pl.flipped, pl.owed, pl.roundScore, pl.turns = 0, false, false, 0, 0
		pl.refreshSlots(&s.settings.Options)
		q = s.nextSeated(q)
	}
	for i := range s.n {
		if pl := &s.players[i]; pl.left {
			pl.hand, pl.up = [6]Card{}, 0
			pl.refreshSlots(&s.settings.Options)
		}
	}
	s.discard = make([]Card, 1, 24)
	s.discard[0] = cards[dealt]
	s.deck = cards[dealt+1:]
	s.seen, s.pool = CardSet{}, CardSet{}
	s.seen.Add(cards[dealt])
	s.reshuffles, s.finisher, s.revealed, s.returned = 0, -1, false, false
	s.held, s.heldFrom, s.flip, s.step = NoCard, SourceNone, FlipNone, StepTurnStart
	s.current = -1
	if s.settings.Options.InitialFlips > 0 {
		s.phase = PhaseInitialFlip
	} else {
		s.phase, s.current = PhasePlaying, first
	}
	return nil
}

// maybeStartPlay moves from initial_flip to playing once every seated
// player has submitted (rules §5.4, §10 step 4).
func (s *State) maybeStartPlay() {
	for i := range s.n {
		if !s.players[i].left && !s.players[i].flipped {
			return
		}
	}
	s.phase, s.current, s.step = PhasePlaying, s.first, StepTurnStart
}

func (s *State) applyInitial(e InitialCardsFlipped) error {
	p := s.Seat(e.PlayerID)
	if s.phase != PhaseInitialFlip || !s.Seated(p) || s.players[p].flipped ||
		len(e.Positions) != s.settings.Options.InitialFlips || len(e.Cards) != len(e.Positions) {
		return bad("initial flips of %q", e.PlayerID)
	}
	pl := &s.players[p]
	var up uint8
	for i, pos := range e.Positions {
		if pos < 0 || pos > 5 || up&(1<<pos) != 0 || pl.hand[pos] != e.Cards[i] {
			return bad("initial flip at %d", pos)
		}
		up |= 1 << pos
	}
	pl.up |= up
	pl.flipped = true
	pl.refreshSlots(&s.settings.Options)
	s.revealed = up != 0
	for _, c := range e.Cards {
		s.seen.Add(c)
	}
	s.maybeStartPlay()
	return nil
}

// turn checks that an event is by the current player in the given step.
func (s *State) turn(id string, step Step) (int, error) {
	p := s.current
	if p < 0 || p >= s.n || s.players[p].id != id {
		p = s.Seat(id)
	}
	if (s.phase != PhasePlaying && s.phase != PhaseFinalTurn) || p < 0 || p != s.current || s.step != step {
		return -1, bad("%q acting out of turn (phase %v, step %v)", id, s.phase, s.step)
	}
	return p, nil
}

func (s *State) applyDrawn(e CardDrawn) error {
	if _, err := s.turn(e.PlayerID, StepTurnStart); err != nil {
		return err
	}
	switch e.Source {
	case SourceDeck:
		deck := s.deck
		if e.Reshuffled {
			if len(deck) != 0 || len(s.discard) < 2 {
				return bad("reshuffle with %d in deck", len(deck))
			}
			deck = s.reshuffled()
		}
		if len(deck) == 0 || deck[0] != e.Card {
			return bad("draw of %v from the deck", e.Card)
		}
		if e.Reshuffled {
			top := s.discard[len(s.discard)-1]
			s.discard = append(make([]Card, 0, 24), top)
			s.reshuffles++
			s.pool = CardSet{}
			for _, c := range deck {
				s.pool.Add(c)
			}
		}
		s.deck = deck[1:]
	case SourceDiscard:
		n := len(s.discard)
		if n == 0 || s.discard[n-1] != e.Card || e.Reshuffled {
			return bad("draw of %v from the discard pile", e.Card)
		}
		s.discard = s.discard[:n-1]
	default:
		return bad("draw source %v", e.Source)
	}
	s.held, s.heldFrom, s.step = e.Card, e.Source, StepHolding
	s.revealed = false
	return nil
}

func (s *State) applyReturned(e DiscardReturned) error {
	if _, err := s.turn(e.PlayerID, StepHolding); err != nil {
		return err
	}
	if s.heldFrom != SourceDiscard || e.Card != s.held {
		return bad("put back of %v", e.Card)
	}
	s.discard = append(s.discard, s.held)
	s.held, s.heldFrom, s.step = NoCard, SourceNone, StepTurnStart
	s.revealed, s.returned = false, true
	return nil
}

// revealHeld records that everyone now sees the held card as it leaves the
// hand. A card off the pile was seen already. A deck draw was unseen unless
// it came from a reshuffled deck, whose cards were all seen on the pile: it
// only leaves the pool. Each reveal is counted once, which matters for
// jokers: a set counts them rather than telling them apart.
func (s *State) revealHeld() {
	switch {
	case s.heldFrom != SourceDeck:
	case s.pool.Has(s.held):
		s.pool.Remove(s.held)
	default:
		s.seen.Add(s.held)
	}
}

func (s *State) applySwapped(e CardSwapped) error {
	p, err := s.turn(e.PlayerID, StepHolding)
	if err != nil {
		return err
	}
	pl := &s.players[p]
	pos := e.Position
	if pos < 0 || pos > 5 || e.NewCard != s.held || e.OldCard != pl.hand[pos] || e.OldWasFaceUp != (pl.up&(1<<pos) != 0) {
		return bad("swap at %d", pos)
	}
	s.revealHeld()
	pl.hand[pos] = s.held
	pl.up |= 1 << pos
	pl.refreshSlots(&s.settings.Options)
	s.held, s.heldFrom = NoCard, SourceNone
	s.discard = append(s.discard, e.OldCard)
	if !e.OldWasFaceUp {
		s.seen.Add(e.OldCard)
	}
	s.revealed = !e.OldWasFaceUp
	s.endTurn(p)
	return nil
}

func (s *State) applyDiscarded(e CardDiscarded) error {
	p, err := s.turn(e.PlayerID, StepHolding)
	if err != nil {
		return err
	}
	if s.heldFrom != SourceDeck || e.Card != s.held || e.Flip != s.flipOwed(p) {
		return bad("discard of %v (flip %v)", e.Card, e.Flip)
	}
	s.revealHeld()
	s.discard = append(s.discard, s.held)
	s.held, s.heldFrom = NoCard, SourceNone
	s.revealed = false
	if e.Flip != FlipNone {
		s.flip, s.step = e.Flip, StepFlipOwed
		return nil
	}
	s.endTurn(p)
	return nil
}

// applyFlip turns up a card: to resolve a flip owed (CardFlipped) or as the
// whole turn (FlipAsAction).
func (s *State) applyFlip(id string, pos int, c Card, owed bool) error {
	step := StepTurnStart
	if owed {
		step = StepFlipOwed
	}
	p, err := s.turn(id, step)
	if err != nil {
		return err
	}
	pl := &s.players[p]
	if pos < 0 || pos > 5 || pl.up&(1<<pos) != 0 || pl.hand[pos] != c || (!owed && !s.settings.Options.FlipAsAction) {
		return bad("flip at %d", pos)
	}
	pl.up |= 1 << pos
	pl.refreshSlots(&s.settings.Options)
	s.seen.Add(c)
	s.revealed = true
	s.endTurn(p)
	return nil
}

func (s *State) applySkipped(e FlipSkipped) error {
	p, err := s.turn(e.PlayerID, StepFlipOwed)
	if err != nil {
		return err
	}
	if s.flip != FlipOptional {
		return bad("skip of a required flip")
	}
	s.revealed = false
	s.endTurn(p)
	return nil
}

func (s *State) applyKnocked(e Knocked) error {
	p, err := s.turn(e.PlayerID, StepTurnStart)
	if err != nil {
		return err
	}
	pl := &s.players[p]
	down := pl.faceDown()
	if !s.settings.Options.KnockEarly || down < 1 || down > 2 || len(e.Positions) != down || len(e.Cards) != down {
		return bad("knock with %d face-down", down)
	}
	for i, pos := range e.Positions {
		if pos < 0 || pos > 5 || pl.up&(1<<pos) != 0 || pl.hand[pos] != e.Cards[i] || (i > 0 && pos <= e.Positions[i-1]) {
			return bad("knock at %d", pos)
		}
	}
	for i, pos := range e.Positions {
		pl.up |= 1 << pos
		s.seen.Add(e.Cards[i])
	}
	pl.refreshSlots(&s.settings.Options)
	s.revealed = true
	s.endTurn(p)
	return nil
}

// endTurn runs the end of a turn (rules §6.9): going out, the end of a final
// turn, and passing the turn. When nobody is owed a final turn any more the
// current player becomes -1 and the RoundEnded appended with this command
// follows.
func (s *State) endTurn(p int) {
	pl := &s.players[p]
	s.step, s.flip, s.returned = StepTurnStart, FlipNone, false
	pl.turns++
	switch {
	case pl.up == allUp && s.phase == PhasePlaying:
		s.finisher = p
		s.phase = PhaseFinalTurn
		for i := range s.n {
			s.players[i].owed = i != p && !s.players[i].left
		}
	case s.phase == PhaseFinalTurn:
		s.revealHand(p)
		pl.owed = false
	}
	if s.phase == PhasePlaying {
		s.current = s.nextSeated(p)
	} else {
		s.current = s.nextOwed(p)
	}
}

// revealHand turns up every card of seat p.
func (s *State) revealHand(p int) {
	pl := &s.players[p]
	for pos := range 6 {
		if pl.up&(1<<pos) == 0 {
			s.seen.Add(pl.hand[pos])
			s.revealed = true
		}
	}
	pl.up = allUp
	pl.refreshSlots(&s.settings.Options)
}

func (s *State) applyRoundEnded(e RoundEnded) error {
	var want RoundEnded
	switch {
	case e.Reason == ReasonWentOut && s.phase == PhaseFinalTurn && s.current < 0:
	case e.Reason == ReasonDeckExhausted && (s.phase == PhasePlaying || s.phase == PhaseFinalTurn) &&
		s.step == StepTurnStart && len(s.deck) == 0 && len(s.discard) <= 1:
	default:
		return bad("round end (%s) in phase %v", e.Reason, s.phase)
	}
	hands := s.hands()
	want = s.roundResult(e.Reason, &hands, -1)
	if !sameRound(&want, &e) {
		return bad("round %d result differs from the rules' scoring", e.Round)
	}
	for _, r := range e.Players {
		p := s.Seat(r.PlayerID)
		pl := &s.players[p]
		pl.roundScore, pl.total, pl.roundsWon = r.RoundScore, r.Total, r.RoundsWon
		s.scores[p] = append(slices.Clip(s.scores[p]), r.RoundScore)
		s.revealHand(p)
	}
	s.phase, s.current, s.step = PhaseRoundOver, -1, StepTurnStart
	s.lastRound = &e
	return nil
}

func sameRound(a, b *RoundEnded) bool {
	if a.Round != b.Round || a.Reason != b.Reason || a.FinisherID != b.FinisherID ||
		len(a.Players) != len(b.Players) || !slices.Equal(a.Winners, b.Winners) {
		return false
	}
	for i := range a.Players {
		x, y := &a.Players[i], &b.Players[i]
		if x.PlayerID != y.PlayerID || x.Hand != y.Hand || x.HandScore != y.HandScore ||
			x.RoundScore != y.RoundScore || x.Total != y.Total || x.RoundsWon != y.RoundsWon ||
			!slices.Equal(x.Adjustments, y.Adjustments) {
			return false
		}
	}
	return true
}

func (s *State) applyGameEnded(e GameEnded) error {
	var want GameEnded
	switch {
	case e.Reason == ReasonCompleted && s.phase == PhaseRoundOver && s.round == s.settings.Rounds && s.lastRound != nil:
		want = s.gameEnded(ReasonCompleted, "", -1, s.lastRound)
	case e.Reason == ReasonAbandoned && s.phase != PhaseNew && s.phase != PhaseGameOver:
		want = s.gameEnded(ReasonAbandoned, e.PlayerID, -1, nil)
	default:
		return bad("game end (%s) in phase %v", e.Reason, s.phase)
	}
	if e.PlayerID != want.PlayerID || e.Reason != want.Reason || !slices.Equal(e.Players, want.Players) || !slices.Equal(e.Winners, want.Winners) {
		return bad("game result differs from the rules")
	}
	s.phase, s.current = PhaseGameOver, -1
	s.result = &e
	return nil
}

func (s *State) applyAutoplay(e AutoplayChanged) error {
	p := s.Seat(e.PlayerID)
	if !s.Seated(p) || s.players[p].cpu || (s.players[p].auto == e.On && !e.Removed) || (e.Removed && !e.On) ||
		s.phase == PhaseNew || s.phase == PhaseWaiting || s.phase == PhaseGameOver {
		return bad("autoplay %v for %q", e.On, e.PlayerID)
	}
	s.players[p].auto = e.On
	return nil
}
