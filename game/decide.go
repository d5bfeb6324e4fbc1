package game

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Decide validates command c against state s and returns the events it
// causes, in order (rules §14.3), or a rejection (*Error, rules §13) and no
// events. Decide never changes s: the caller appends the events to the log
// and then folds them with Apply.
//
// When several errors apply, Decide reports the first in the order of rules
// §13: not_a_player, not_host, wrong_phase, not_your_turn, rule_disabled,
// step errors, argument errors, state errors.
func Decide(s *State, c Command) ([]Event, error) {
	evs, err := DecideAppend(nil, s, c)
	if err != nil {
		return nil, err
	}
	return evs, nil
}

// DecideAppend is Decide appending the events to dst: a caller that keeps
// a game's log in one slice (the simulator) allocates no slice per command.
// On a rejection it returns dst unchanged.
func DecideAppend(dst []Event, s *State, c Command) ([]Event, error) {
	switch c.Kind {
	case CmdDraw, CmdPutBack, CmdSwap, CmdDiscard, CmdFlip, CmdSkipFlip, CmdFlipAsAction, CmdKnock:
		var r rec
		more, err := s.decideTurn(&c, &r)
		if err != nil {
			return dst, err
		}
		if !r.empty() {
			dst = append(dst, r.event())
		}
		return append(dst, more...), nil
	case CmdFlipInitial:
		var r rec
		if err := s.decideFlipInitial(&c, &r); err != nil {
			return dst, err
		}
		return append(dst, r.event()), nil
	}
	evs, err := decideOther(s, c, nil)
	if err != nil {
		return dst, err
	}
	return append(dst, evs...), nil
}

// decideOther decides every command but the turn actions. With pre set,
// a command that deals a round works out the whole deal into it (see Log).
func decideOther(s *State, c Command, pre *wholeDeal) ([]Event, error) {
	switch c.Kind {
	case CmdCreateGame:
		return s.decideCreate(&c)
	case CmdJoin:
		return s.decideJoin(&c)
	case CmdAddCPU:
		return s.decideAddCPU(&c)
	case CmdRemovePlayer, CmdLeave:
		return s.decideLeave(&c)
	case CmdChangeSettings:
		return s.decideSettings(&c)
	case CmdStartGame:
		return s.decideStart(&c, pre)
	case CmdNextRound:
		return s.decideNextRound(&c, pre)
	case CmdEndGame:
		return s.decideEndGame(&c)
	case CmdAutoplay:
		return s.decideAutoplay(&c)
	}
	return nil, reject(CodeInvalidCommand, "unknown command")
}

// seated returns the acting player's seat, or not_a_player.
func (s *State) seated(c *Command) (int, error) {
	if cur := s.current; cur >= 0 && cur < s.n && s.players[cur].id == c.By && !s.players[cur].left {
		return cur, nil // the usual case: the player to act
	}
	p := s.Seat(c.By)
	if p < 0 || s.players[p].left {
		return -1, reject(CodeNotAPlayer, "you have no seat in this game")
	}
	return p, nil
}

// hostOrPlatform checks that the actor is the host (or the platform).
func (s *State) hostOrPlatform(c *Command) error {
	if c.By == Platform {
		return nil
	}
	p, err := s.seated(c)
	if err != nil {
		return err
	}
	if p != s.host {
		return reject(CodeNotHost, "only the host can do that")
	}
	return nil
}

func wrongPhase(s *State) error {
	return reject(CodeWrongPhase, "not allowed while the game is "+s.phase.String())
}

// validID accepts player ids the store can hold (VARCHAR(50)) and that can
// never be mistaken for the platform.
func validID(id string) bool {
	if id == "" || len(id) > 50 || id[0] == '#' {
		return false
	}
	if ascii, ok := asciiPrintable(id); ascii {
		return ok && !strings.Contains(id, " ")
	}
	if !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// MaxNameLen is the longest display name, in characters.
const MaxNameLen = 24

// ValidName reports whether a display name is acceptable: 1–24 printable
// characters, at least one of them a visible letter or digit (so no name
// is blank, made of spaces, Hangul fillers or braille blanks), and no
// square brackets of any script, with which a name could pass for a
// label of the server's own ("[server] Host"). It is the one check of a
// name: the rules (a seat's name) and package account (display names) both
// call it.
func ValidName(name string) bool {
	if ascii, ok := asciiPrintable(name); ascii {
		if !ok || len(name) > MaxNameLen {
			return false
		}
		alnum := false
		for i := 0; i < len(name); i++ {
			switch c := name[i]; {
			case c == '[' || c == ']':
				return false
			case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
				alnum = true
			}
		}
		return alnum
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameLen {
		return false
	}
	alnum := false
	for _, r := range name {
		if !unicode.IsPrint(r) || labelBrackets[r] {
			return false
		}
		if (unicode.IsLetter(r) || unicode.IsNumber(r)) && !invisibleLetters[r] {
			alnum = true
		}
	}
	return alnum
}

// invisibleLetters are letters (category Lo) that draw nothing.
var invisibleLetters = map[rune]bool{
	'ᅟ': true, 'ᅠ': true, 'ㅤ': true, 'ﾠ': true, // Hangul fillers
	'឴': true, '឵': true, // Khmer inherent vowels
}

// labelBrackets are the square brackets, and their look-alikes, that the
// server's own labels wear.
var labelBrackets = map[rune]bool{
	'[': true, ']': true, '［': true, '］': true, '【': true, '】': true,
	'〔': true, '〕': true, '〖': true, '〗': true, '〘': true, '〙': true,
	'〚': true, '〛': true, '⟦': true, '⟧': true, '⁅': true, '⁆': true,
	'⦋': true, '⦌': true, '﹇': true, '﹈': true,
}

// asciiPrintable reports whether s is all ASCII and, if so, whether every
// byte is printable (a space included): the usual id or name, checked
// without decoding runes.
func asciiPrintable(s string) (ascii, printable bool) {
	printable = true
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= utf8.RuneSelf:
			return false, false
		case b < ' ' || b == 0x7f:
			printable = false
		}
	}
	return true, printable
}

func (s *State) checkNewSeat(id, name string) error {
	if !validID(id) {
		return reject(CodeInvalidName, "player id must be 1–50 characters without spaces")
	}
	if !ValidName(name) {
		return reject(CodeInvalidName, "a name has 1–"+strconv.Itoa(MaxNameLen)+" printable characters, a letter or digit among them, and no square brackets")
	}
	return nil
}

func (s *State) decideCreate(c *Command) ([]Event, error) {
	if s.phase != PhaseNew {
		return nil, wrongPhase(s)
	}
	if err := s.checkNewSeat(c.By, c.Name); err != nil {
		return nil, err
	}
	if err := c.Settings.Validate(); err != nil {
		return nil, err
	}
	return []Event{
		GameCreated{RoomCode: c.RoomCode, HostID: c.By, Settings: c.Settings},
		PlayerJoined{PlayerID: c.By, Name: c.Name},
	}, nil
}

func (s *State) decideJoin(c *Command) ([]Event, error) {
	if s.phase != PhaseWaiting {
		return nil, wrongPhase(s)
	}
	if err := s.checkNewSeat(c.By, c.Name); err != nil {
		return nil, err
	}
	if s.Seat(c.By) >= 0 {
		return nil, reject(CodeAlreadySeated, "you already have a seat in this game")
	}
	if s.n >= MaxPlayers {
		return nil, reject(CodeGameFull, "the table is full")
	}
	return []Event{PlayerJoined{PlayerID: c.By, Name: c.Name}}, nil
}

func (s *State) decideAddCPU(c *Command) ([]Event, error) {
	if err := s.hostOrPlatform(c); err != nil {
		return nil, err
	}
	if s.phase != PhaseWaiting {
		return nil, wrongPhase(s)
	}
	if err := s.checkNewSeat(c.Player, c.Name); err != nil {
		return nil, err
	}
	if !validID(c.Profile) {
		return nil, reject(CodeInvalidName, "a CPU player needs a profile")
	}
	if s.n >= MaxPlayers {
		return nil, reject(CodeGameFull, "the table is full")
	}
	for i := range s.n {
		if s.players[i].id == c.Player || (s.players[i].cpu && s.players[i].profile == c.Profile) {
			return nil, reject(CodeAlreadySeated, c.Profile+" is already at the table")
		}
	}
	by := c.By
	return []Event{PlayerJoined{PlayerID: c.Player, Name: c.Name, CPU: true, Profile: c.Profile, AddedBy: by}}, nil
}

// decideLeave handles Leave (by the player) and RemovePlayer (by the host,
// for a CPU in the lobby, or by the platform for anyone).
func (s *State) decideLeave(c *Command) ([]Event, error) {
	target := c.By
	reason := ReasonLeft
	removedBy := ""
	if c.Kind == CmdRemovePlayer {
		if err := s.hostOrPlatform(c); err != nil {
			return nil, err
		}
		target, removedBy = c.Player, c.By
		switch c.Reason {
		case ReasonRemoved, ReasonTimedOut:
			reason = c.Reason
		case "":
			reason = ReasonRemoved
		default:
			return nil, reject(CodeInvalidCommand, "reason must be removed or timed_out")
		}
	}
	p := s.Seat(target)
	if p < 0 || s.players[p].left {
		return nil, reject(CodeNotAPlayer, "no such player at the table")
	}
	if s.phase == PhaseGameOver || s.phase == PhaseNew {
		return nil, wrongPhase(s)
	}
	if c.Kind == CmdRemovePlayer && c.By != Platform {
		// Host powers are limited to the lobby, and the host removes only CPUs (rules §2).
		if s.phase != PhaseWaiting {
			return nil, wrongPhase(s)
		}
		if !s.players[p].cpu {
			return nil, reject(CodeNotHost, "the host can remove only CPU players")
		}
	}
	left := PlayerLeft{PlayerID: target, Reason: reason, RemovedBy: removedBy}
	if s.phase == PhaseWaiting {
		return []Event{left}, nil
	}
	if s.current == p && s.step == StepHolding && (s.phase == PhasePlaying || s.phase == PhaseFinalTurn) {
		left.HeldCard = s.held
	}
	evs := []Event{left}
	if s.SeatedCount()-1 < 2 {
		return append(evs, s.gameEnded(ReasonAbandoned, "", p, nil)), nil
	}
	if s.phase == PhaseFinalTurn && !s.othersOwed(p) {
		hands := s.hands()
		return append(evs, s.roundEnd(ReasonWentOut, &hands, p)...), nil
	}
	return evs, nil
}

func (s *State) decideSettings(c *Command) ([]Event, error) {
	if err := s.hostOnly(c); err != nil {
		return nil, err
	}
	if s.phase != PhaseWaiting {
		return nil, wrongPhase(s)
	}
	if err := c.Settings.Validate(); err != nil {
		return nil, err
	}
	return []Event{SettingsChanged{PlayerID: c.By, Settings: c.Settings}}, nil
}

// hostOnly checks that the actor is the seated host; the platform does not
// choose settings or start games.
func (s *State) hostOnly(c *Command) error {
	p, err := s.seated(c)
	if err != nil {
		return err
	}
	if p != s.host {
		return reject(CodeNotHost, "only the host can do that")
	}
	return nil
}

func (s *State) decideStart(c *Command, pre *wholeDeal) ([]Event, error) {
	if err := s.hostOnly(c); err != nil {
		return nil, err
	}
	if s.phase != PhaseWaiting {
		return nil, wrongPhase(s)
	}
	if s.n < 2 {
		return nil, reject(CodeNotEnoughPlayers, "a game needs at least 2 players")
	}
	if err := s.settings.Validate(); err != nil {
		return nil, err
	}
	ids := make([]string, s.n)
	for i := range s.n {
		ids[i] = s.players[i].id
	}
	st := GameStarted{
		PlayerID: c.By,
		Players:  ids,
		Decks:    s.settings.DecksFor(s.n),
		Rounds:   s.settings.Rounds,
		Options:  s.settings.Options,
	}
	// Round 1 is dealt as if from a state in which the game has started:
	// seats fixed, dealer s0, first player s1.
	deal := dealing{decks: st.Decks, jokers: st.Options.Jokers, seated: s.n, dealer: 0, first: 1 % s.n}
	return []Event{st, deal.roundStarted(1, s.players[0].id, s.players[1%s.n].id, c.Seed, pre)}, nil
}

func (s *State) decideNextRound(c *Command, pre *wholeDeal) ([]Event, error) {
	if err := s.hostOrPlatform(c); err != nil {
		return nil, err
	}
	if s.phase != PhaseRoundOver {
		return nil, wrongPhase(s)
	}
	dealer := s.nextSeated(s.dealer)
	first := s.nextSeated(dealer)
	o := &s.settings.Options
	deal := dealing{decks: s.settings.Decks, jokers: o.Jokers, seated: s.SeatedCount()}
	return []Event{deal.roundStarted(s.round+1, s.players[dealer].id, s.players[first].id, c.Seed, pre)}, nil
}

func (s *State) decideEndGame(c *Command) ([]Event, error) {
	if err := s.hostOrPlatform(c); err != nil {
		return nil, err
	}
	if s.phase == PhaseGameOver || s.phase == PhaseNew {
		return nil, wrongPhase(s)
	}
	return []Event{s.gameEnded(ReasonAbandoned, c.By, -1, nil)}, nil
}

func (s *State) decideAutoplay(c *Command) ([]Event, error) {
	if c.By != Platform {
		return nil, reject(CodeNotHost, "only the platform plays for absent players")
	}
	p := s.Seat(c.Player)
	if p < 0 || s.players[p].left {
		return nil, reject(CodeNotAPlayer, "no such player at the table")
	}
	if s.phase == PhaseNew || s.phase == PhaseWaiting || s.phase == PhaseGameOver {
		return nil, wrongPhase(s)
	}
	if s.players[p].cpu {
		return nil, reject(CodeInvalidCommand, "the platform plays a CPU's seat anyway")
	}
	if c.Reason == ReasonRemoved && c.On {
		return []Event{AutoplayChanged{PlayerID: c.Player, On: true, Removed: true}}, nil
	}
	if c.Reason != "" || s.players[p].auto == c.On {
		return nil, reject(CodeInvalidCommand, "autoplay is already "+strconv.FormatBool(c.On)+" for that seat")
	}
	return []Event{AutoplayChanged{PlayerID: c.Player, On: c.On}}, nil
}

// decideFlipInitial puts the event into r, the form a Log keeps.
func (s *State) decideFlipInitial(c *Command, r *rec) error {
	p, err := s.seated(c)
	if err != nil {
		return err
	}
	if s.phase != PhaseInitialFlip {
		return wrongPhase(s)
	}
	want := s.settings.Options.InitialFlips
	if len(c.Positions) != want {
		return reject(CodeInvalidPositions, "choose exactly "+strconv.Itoa(want)+" different positions from 0 to 5")
	}
	var used uint8
	for _, pos := range c.Positions {
		if pos < 0 || pos > 5 || used&(1<<pos) != 0 {
			return reject(CodeInvalidPositions, "choose exactly "+strconv.Itoa(want)+" different positions from 0 to 5")
		}
		used |= 1 << pos
	}
	if s.players[p].flipped {
		return reject(CodeAlreadyFlipped, "you have already turned up your initial cards")
	}
	// initial_flips is at most 2 (Options.Validate), as a rec holds.
	*r = rec{kind: recInitial, by: c.By, n: uint8(len(c.Positions))}
	for i, pos := range c.Positions {
		r.pos[i], r.cards[i] = int8(pos), s.players[p].hand[pos]
	}
	return nil
}

// stepError is the error rules §13 gives a turn command in the current step, or nil.
func (s *State) stepError(k Kind) error {
	switch s.step {
	case StepTurnStart:
		switch k {
		case CmdSwap, CmdDiscard, CmdPutBack:
			return reject(CodeNotHolding, "you are not holding a card")
		case CmdFlip, CmdSkipFlip:
			return reject(CodeNoFlipPending, "no flip is owed")
		}
	case StepHolding:
		switch k {
		case CmdDraw, CmdFlipAsAction, CmdKnock:
			return reject(CodeHoldingCard, "you are holding a card: swap it or discard it")
		case CmdFlip, CmdSkipFlip:
			return reject(CodeNoFlipPending, "no flip is owed")
		}
	case StepFlipOwed:
		if k != CmdFlip && k != CmdSkipFlip {
			return reject(CodeFlipPending, "turn up one of your face-down cards first")
		}
	}
	return nil
}

func invalidPosition() error {
	return reject(CodeInvalidPosition, "position must be from 0 to 5")
}

// decideTurn puts the command's turn event into r, the form a Log keeps,
// and returns the events that follow it (the end of the round). A draw
// from an exhausted deck has no turn event: r is left empty.
func (s *State) decideTurn(c *Command, r *rec) ([]Event, error) {
	p, err := s.seated(c)
	if err != nil {
		return nil, err
	}
	if s.phase != PhasePlaying && s.phase != PhaseFinalTurn {
		return nil, wrongPhase(s)
	}
	if p != s.current {
		return nil, reject(CodeNotYourTurn, "it is not your turn")
	}
	o := &s.settings.Options
	if (c.Kind == CmdFlipAsAction && !o.FlipAsAction) || (c.Kind == CmdKnock && !o.KnockEarly) {
		return nil, reject(CodeRuleDisabled, c.Kind.String()+" is not a house rule in this game")
	}
	if err := s.stepError(c.Kind); err != nil {
		return nil, err
	}
	pl := &s.players[p]
	switch c.Kind {
	case CmdDraw:
		return s.decideDraw(c, r)
	case CmdPutBack:
		if s.heldFrom != SourceDiscard {
			return nil, reject(CodeCannotPutBackDeckCard, "a card drawn from the deck cannot be put back")
		}
		*r = rec{kind: recReturned, by: c.By, cards: [2]Card{s.held}}
		return nil, nil
	case CmdSwap:
		if c.Pos < 0 || c.Pos > 5 {
			return nil, invalidPosition()
		}
		*r = rec{kind: recSwapped, by: c.By, pos: [2]int8{int8(c.Pos)}, cards: [2]Card{s.held, pl.hand[c.Pos]}, flag: pl.up&(1<<c.Pos) != 0}
	case CmdDiscard:
		if s.heldFrom != SourceDeck {
			return nil, reject(CodeCannotDiscardFromDiscard, "a card taken from the discard pile must be swapped or put back")
		}
		f := s.flipOwed(p)
		*r = rec{kind: recDiscarded, by: c.By, cards: [2]Card{s.held}, flip: f}
		if f != FlipNone {
			return nil, nil
		}
	case CmdFlip, CmdFlipAsAction:
		if c.Pos < 0 || c.Pos > 5 {
			return nil, invalidPosition()
		}
		if pl.up&(1<<c.Pos) != 0 {
			return nil, reject(CodeCardFaceUp, "that card is already face-up")
		}
		kind := recFlipped
		if c.Kind == CmdFlipAsAction {
			kind = recFlipAsAction
		}
		*r = rec{kind: kind, by: c.By, pos: [2]int8{int8(c.Pos)}, cards: [2]Card{pl.hand[c.Pos]}}
	case CmdSkipFlip:
		if s.flip != FlipOptional {
			return nil, reject(CodeFlipMandatory, "this flip is required")
		}
		*r = rec{kind: recSkipped, by: c.By}
	case CmdKnock:
		down := pl.faceDown()
		if down < 1 || down > 2 {
			return nil, reject(CodeKnockNotAllowed, "you can knock only with 1 or 2 face-down cards")
		}
		k := Knocked{PlayerID: c.By, Positions: make([]int, 0, 2), Cards: make([]Card, 0, 2)}
		for pos := range 6 {
			if pl.up&(1<<pos) == 0 {
				k.Positions = append(k.Positions, pos)
				k.Cards = append(k.Cards, pl.hand[pos])
			}
		}
		*r = rec{boxed: k}
	}
	// r ends the turn. In final_turn, the last owed player's turn ends the
	// round: the same command appends RoundEnded (and GameEnded).
	if s.phase == PhaseFinalTurn && !s.othersOwed(p) {
		hands := s.hands()
		if r.kind == recSwapped {
			hands[p][r.pos[0]] = r.cards[0]
		}
		return s.roundEnd(ReasonWentOut, &hands, -1), nil
	}
	return nil, nil
}

func (s *State) decideDraw(c *Command, r *rec) ([]Event, error) {
	switch c.Source {
	case SourceDeck:
		if len(s.deck) > 0 {
			*r = rec{kind: recDrawn, by: c.By, src: SourceDeck, cards: [2]Card{s.deck[0]}}
			return nil, nil
		}
		if len(s.discard) >= 2 {
			deck := s.reshuffled()
			*r = rec{kind: recDrawn, by: c.By, src: SourceDeck, cards: [2]Card{deck[0]}, flag: true}
			return nil, nil
		}
		hands := s.hands()
		return s.roundEnd(ReasonDeckExhausted, &hands, -1), nil
	case SourceDiscard:
		if len(s.discard) == 0 {
			return nil, reject(CodeDiscardEmpty, "the discard pile is empty")
		}
		if s.returned {
			return nil, reject(CodeDiscardPutBack, "you put a card back on the pile this turn: draw from the deck")
		}
		*r = rec{kind: recDrawn, by: c.By, src: SourceDiscard, cards: [2]Card{s.discard[len(s.discard)-1]}}
		return nil, nil
	}
	return nil, reject(CodeInvalidSource, "draw from deck or discard")
}

// reshuffled returns the new deck that reshuffle k = reshuffles+1 makes from
// every discard card but the top, taken bottom first (rules §6.3, §4.3).
func (s *State) reshuffled() []Card {
	deck := append([]Card(nil), s.discard[:len(s.discard)-1]...)
	shuffle(deck, s.seed, s.reshuffles+1)
	return deck
}

// othersOwed reports whether a seated player other than p is owed a final turn.
func (s *State) othersOwed(p int) bool {
	for i := range s.n {
		if i != p && !s.players[i].left && s.players[i].owed {
			return true
		}
	}
	return false
}

func (s *State) hands() [MaxPlayers][6]Card {
	var h [MaxPlayers][6]Card
	for i := range s.n {
		h[i] = s.players[i].hand
	}
	return h
}

// roundEnd scores the round (rules §7.3) on the given hands; gone is a seat
// leaving with this command (not scored), or -1. It returns RoundEnded, and
// GameEnded after the last round.
func (s *State) roundEnd(reason RoundEndReason, hands *[MaxPlayers][6]Card, gone int) []Event {
	re := s.roundResult(reason, hands, gone)
	if s.round < s.settings.Rounds {
		return []Event{re}
	}
	return []Event{re, s.gameEnded(ReasonCompleted, "", gone, &re)}
}

func (s *State) roundResult(reason RoundEndReason, hands *[MaxPlayers][6]Card, gone int) RoundEnded {
	re := RoundEnded{Round: s.round, Reason: reason, Players: make([]RoundPlayer, 0, s.n)}
	var hp [MaxPlayers]*[6]Card
	var seats [MaxPlayers]int
	finRow := -1
	for i := range s.n {
		if s.players[i].left || i == gone {
			continue
		}
		if reason == ReasonWentOut && i == s.finisher {
			finRow = len(re.Players)
			re.FinisherID = OptionalID(s.players[i].id)
		}
		hp[len(re.Players)] = &hands[i]
		seats[len(re.Players)] = i
		re.Players = append(re.Players, RoundPlayer{PlayerID: s.players[i].id, Hand: hands[i], Adjustments: []Adjustment{}})
	}
	rows := re.Players
	s.settings.Options.scoreRound(rows, hp[:len(rows)], finRow)
	low := rows[0].RoundScore
	for _, r := range rows[1:] {
		low = min(low, r.RoundScore)
	}
	re.Winners = make([]string, 0, 1)
	for k := range rows {
		pl := &s.players[seats[k]]
		rows[k].Total = pl.total + rows[k].RoundScore
		rows[k].RoundsWon = pl.roundsWon
		if rows[k].RoundScore == low {
			rows[k].RoundsWon++
			re.Winners = append(re.Winners, rows[k].PlayerID)
		}
	}
	return re
}

// gameEnded closes the game. For a completed game, round holds the last
// round's result; gone is a seat departing with this command, or -1.
func (s *State) gameEnded(reason GameEndReason, by string, gone int, round *RoundEnded) GameEnded {
	g := GameEnded{Reason: reason, Players: make([]GamePlayer, s.n), Winners: []string{}}
	if by != "" {
		g.PlayerID = by
	}
	for i := range s.n {
		pl := &s.players[i]
		g.Players[i] = GamePlayer{PlayerID: pl.id, Total: pl.total, RoundsWon: pl.roundsWon, Departed: pl.left || i == gone}
	}
	if round == nil {
		return g
	}
	for _, r := range round.Players {
		i := s.Seat(r.PlayerID)
		g.Players[i].Total, g.Players[i].RoundsWon = r.Total, r.RoundsWon
	}
	low := 0
	first := true
	for _, gp := range g.Players {
		if !gp.Departed && (first || gp.Total < low) {
			low, first = gp.Total, false
		}
	}
	for _, gp := range g.Players {
		if !gp.Departed && gp.Total == low {
			g.Winners = append(g.Winners, gp.PlayerID)
		}
	}
	return g
}

// dealing describes one round's deal (rules §5.2).
type dealing struct {
	decks         int
	jokers        Jokers
	seated        int // players dealt in
	dealer, first int
}

// deal shuffles a fresh deck with shuffle 0 of the seed and returns the
// shuffled listing, top first: dealt cards, then the first discard, then the deck.
func (d dealing) deal(seed Seed) []Card {
	cards := NewDeck(d.decks, d.jokers)
	shuffle(cards, seed, 0)
	return cards
}

// wholeDeal is a round's whole deal worked out ahead: the shuffled cards, top
// first, and what they are the deal of.
type wholeDeal struct {
	seed   Seed
	decks  int
	jokers Jokers
	cards  []Card
}

// of reports whether p holds the deal of seed for d.
func (p *wholeDeal) of(d dealing, seed Seed) bool {
	return p != nil && p.cards != nil && p.seed == seed && p.decks == d.decks && p.jokers == d.jokers
}

// roundStarted is the round's RoundStarted event. It needs only the card the
// deal turns up for the discard pile, so it shuffles no further than that
// card's position and leaves the whole deal to Apply, which checks it;
// unless pre is set: then it deals the whole round into pre, which a Log
// hands to Apply so that the round is shuffled once.
func (d dealing) roundStarted(round int, dealerID, firstID string, seed Seed, pre *wholeDeal) RoundStarted {
	dealt := 6 * d.seated
	e := RoundStarted{Round: round, DealerID: dealerID, FirstPlayerID: firstID, Seed: seed}
	if pre != nil {
		cards := appendDeck(pre.cards[:0], d.decks, d.jokers)
		shuffle(cards, seed, 0)
		pre.seed, pre.decks, pre.jokers, pre.cards = seed, d.decks, d.jokers, cards
		e.Discard, e.DeckSize = cards[dealt], len(cards)-dealt-1
		return e
	}
	var buf [3 * 54]Card // the most cards in play (rules §4.1)
	cards := appendDeck(buf[:0], d.decks, d.jokers)
	shuffleDownTo(cards, seed, 0, dealt)
	e.Discard, e.DeckSize = cards[dealt], len(cards)-dealt-1
	return e
}
