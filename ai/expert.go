package ai

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"golf/game"
)

// expertProfile is the ninth profile (docs/ai.md §1.1, §3).
var expertProfile = Profile{ID: "expert", Name: "Expert", Style: "Card Counter",
	Character: "Counts every card, weighs every draw exactly and goes out only when the table is beaten.",
	Expert:    true}

// ExpertProfile returns the expert bot's profile (docs/ai.md §3).
func ExpertProfile() Profile { return expertProfile }

// The expert's dials, tuned with golf sim (docs/BENCHMARKS.md "Expert bot").
const (
	expertFinishMargin = 2.0 // go out only when at most this far above the best opponent's expected final score
	expertFinishCredit = 0.0 // points a finish is worth beyond its score (0 measured best; 1 and 2 lost 0.1–0.3)
	expertDenialWeight = 0.3 // weight of what a card left on the pile gives the next player beyond a deck draw
	// expertLookahead weights the one-more-draw lookahead: more than one draw is
	// usually left, and 1.3–1.5 beat 1.0 by half a point a round.
	expertLookahead   = 1.4
	expertPenaltyLead = 1.0 // under knock_penalty: the expected lead a finish needs
)

// expert is the expert bot (docs/ai.md §3): exact card counting from the seat's
// view (what is in sight and, after a reshuffle, the view's Pool give
// every card seen this round, so a fresh player mid-round knows as much as
// one that watched), an exact evaluator of E[hand score | H] (layer 1) and
// one ply with one turn of own lookahead (layer 2). It keeps only tables
// between decisions.
type expert struct {
	tables expertRules
	grader Grader

	// one decision
	view     *game.View
	random   *rand.Rand
	me       int // the seat deciding
	numSeats int
	hands    [game.MaxPlayers]hand
	seated   [game.MaxPlayers]bool
	unseen   cardPool         // H: never seen this round
	deck     cardPool         // D: the deck
	deckProb [nGroups]float64 // P(group) of a deck draw: D's, or H's if D is empty
	final    bool             // someone has gone out
	next     int              // the next player to act before this seat again, or -1
	relief   float64          // what each face-down card costs in a long round (stalemate, as for the personalities)

	// Worked out when first needed, per group left on the pile (index
	// group+1: 0 is none).
	bestFinalDone [nGroups + 1]bool
	bestFinal     [nGroups + 1]float64 // F: the opponents' best expected final score
	denialDone    [nGroups]bool
	denialOf      [nGroups]float64 // denial(group)
	nextDeckGain  float64          // the next player's expected gain from a deck draw; NaN until needed
	cardVariance  float64          // variance of one unseen card's value

	margin float64 // how far the chosen move beats the next best
	close  bool    // the decision was whether to go out

	candidates []candidate
}

// candidate is one command the expert considers and its value: the
// expected final score it leads to, lower is better.
type candidate struct {
	command  game.Command
	value    float64
	scoreNow float64 // the expected score right after the move: ties go to the lower
	finishes bool    // the move goes out
}

// notAllowed marks a finishing move that fails the go-out test: it is
// chosen only when nothing else is possible.
const notAllowed = 1e6

// Decide returns the expert's command for the view's seat (docs/ai.md §3).
func (e *expert) Decide(v *game.View, r *rand.Rand) (d Decision) {
	if v.Seat < 0 || v.Seat >= len(v.Seats) || len(v.Seats) > game.MaxPlayers || v.Decks < 1 || v.Seats[v.Seat].Left {
		return Decision{}
	}
	seat := &v.Seats[v.Seat]
	if v.Step == game.StepHolding && (v.Held == nil || v.Held.Card.IsZero()) {
		return Decision{} // a view that does not fit its step; never from the engine
	}
	e.tables.set(&v.Options, v.Decks)
	e.view, e.random, e.me, e.numSeats = v, r, v.Seat, len(v.Seats)
	e.margin, e.close = math.NaN(), false
	id := seat.ID
	switch {
	case v.Phase == game.PhaseInitialFlip:
		if seat.Flipped || v.Options.InitialFlips == 0 {
			return Decision{}
		}
		initialFlips(id, e.tables.opts.InitialFlips, e.random, &d.Command)
		d.Delay = e.delay(stepInitial)
		return d
	case (v.Phase != game.PhasePlaying && v.Phase != game.PhaseFinalTurn) || v.Current != v.Seat:
		return Decision{}
	}
	e.load()
	var step delayStep
	switch v.Step {
	case game.StepTurnStart:
		d.Command, step = e.turnStart(id), stepTurnStart
	case game.StepHolding:
		d.Command, step = e.holding(id)
	case game.StepFlipOwed:
		d.Command, step = e.flipOwed(id), stepFlip
	}
	d.Delay = e.delay(step)
	return d
}

// load reads the view: every seat's grid as groups, and the two pools
// (docs/ai.md §3.1). H is the game's cards never seen this round; D is H until
// the first reshuffle and then the reshuffled cards not revealed since.
func (e *expert) load() {
	v, tables := e.view, &e.tables
	e.final = v.Phase == game.PhaseFinalTurn
	for i := range v.Seats {
		seat := &v.Seats[i]
		e.seated[i] = !seat.Left && v.Round > 0
		for p := range 6 {
			e.hands[i][p] = down
			if e.seated[i] && seat.Cards[p].Up {
				e.hands[i][p] = tables.group(seat.Cards[p].Card)
			}
		}
	}
	// Every card seen this round is either in sight now (a face-up grid
	// card, the pile, the seat's own held card) or, after a reshuffle,
	// back in the deck (Pool): so H is the game's cards less those two,
	// without counting a card twice. Not View.Seen: it is not on the wire,
	// and the expert decides the same from a view that crossed it. The
	// cost: a departed player's grid leaves the view, so its face-up cards
	// count as unseen again.
	var unseenCount, deckCount [nGroups]int
	for g, n := range tables.comp {
		unseenCount[g] = int(n)
	}
	for i := range v.Seats {
		for p := range 6 {
			if g := e.hands[i][p]; g >= 0 {
				unseenCount[g]--
			}
		}
	}
	for _, c := range v.Discard {
		unseenCount[tables.group(c)]--
	}
	reshuffled := v.Reshuffles > 0
	var held game.Card
	if v.Held != nil && v.Held.Seat == e.me {
		held = v.Held.Card
	}
	heldInPool := false
	if reshuffled {
		var faces [game.Faces]int
		v.Pool.Counts(&faces)
		for f, n := range faces {
			g := tables.group(game.FaceCard(f))
			unseenCount[g] -= n
			deckCount[g] += n
		}
		heldInPool = !held.IsZero() && v.Held.From == game.SourceDeck && v.Pool.Has(held)
		if heldInPool {
			deckCount[tables.group(held)]--
		}
	}
	if !held.IsZero() && !heldInPool {
		unseenCount[tables.group(held)]--
	}
	e.unseen.fill(tables, &unseenCount)
	e.deck = e.unseen
	if reshuffled {
		e.deck.fill(tables, &deckCount)
	}
	e.deckProb = e.deck.prob
	if e.deck.size == 0 {
		e.deckProb = e.unseen.prob
	}
	e.next = e.nextToAct()
	e.bestFinalDone, e.denialDone = [nGroups + 1]bool{}, [nGroups]bool{}
	e.nextDeckGain = math.NaN()
	meanSquare := 0.0
	for g := range nGroups {
		meanSquare += e.unseen.prob[g] * e.tables.val[g] * e.tables.val[g]
	}
	e.cardVariance = max(0, meanSquare-e.unseen.cardMean*e.unseen.cardMean)
	e.relief = 0
	if extra := v.Seats[e.me].Turns + 1 - stalemateTurn; extra > 0 {
		e.relief = stalemateStep * float64(extra)
	}
}

// nextToAct is the next seat to act before this one acts again: the next
// seated player, or during final turns the next one still owed a turn.
func (e *expert) nextToAct() int {
	for k := 1; k < e.numSeats; k++ {
		i := (e.me + k) % e.numSeats
		if e.seated[i] && (!e.final || e.view.Seats[i].Owed) {
			return i
		}
	}
	return -1
}

// cont is what a hand that does not end the round is worth: its expected
// score, less what one more own deck draw with the best response would
// save (docs/ai.md §3.2 layer 2). This credits face-down slots and known high
// cards with the chance to replace them. On the final turn there is no
// next draw.
func (e *expert) continuation(h *hand) float64 {
	base := e.unseen.mean(h)
	if e.final {
		return base + e.finalAdjustment(h, base)
	}
	var current [3]float64
	for c := range 3 {
		current[c] = e.unseen.columnMean(h[c], h[c+3])
	}
	save := 0.0
	for g := range nGroups {
		prob := e.deckProb[g]
		if prob == 0 {
			continue
		}
		best := 0.0
		group := int8(g)
		for c := range 3 {
			if change := e.unseen.columnMean(group, h[c+3]) - current[c]; change < best {
				best = change
			}
			if change := e.unseen.columnMean(h[c], group) - current[c]; change < best {
				best = change
			}
		}
		save += prob * best
	}
	// A long round (stalemate relief, as for the personalities) makes
	// every card still face-down cost more, so that the seat turns its
	// cards up and the round ends even when nobody dares to go out.
	return base + expertLookahead*save + e.relief*float64(h.downs())
}

// finalAdjustment is what the round-end rules add to a hand on the final turn
// that the seat can foresee: tied_shame against the hands already final.
func (e *expert) finalAdjustment(h *hand, mean float64) float64 {
	if !e.tables.opts.TiedShame || !h.known() {
		return 0
	}
	score := int(mean)
	for o := range e.numSeats {
		if o == e.me || !e.seated[o] || e.view.Seats[o].Owed {
			continue
		}
		theirs := &e.hands[o]
		if !theirs.known() {
			continue
		}
		theirScore := int(e.unseen.mean(theirs))
		if o == e.view.Finisher && e.tables.opts.KnockBonus {
			theirScore -= 5
		}
		if theirScore == score {
			return 5
		}
	}
	return 0
}

// gainFor is the most a card of group g lowers seat o's expected score.
func (e *expert) gainFor(o int, g int8) float64 {
	h := &e.hands[o]
	best := 0.0
	for c := range 3 {
		current := e.unseen.columnMean(h[c], h[c+3])
		best = max(best, current-e.unseen.columnMean(g, h[c+3]), current-e.unseen.columnMean(h[c], g))
	}
	return best
}

// deckGain is seat o's expected gain from a deck draw.
func (e *expert) deckGain(o int) float64 {
	gain := 0.0
	for g := range nGroups {
		if prob := e.deckProb[g]; prob != 0 {
			gain += prob * e.gainFor(o, int8(g))
		}
	}
	return gain
}

// denial is what leaving group g on the pile hands the next player beyond
// what a deck draw would.
func (e *expert) denial(g int8) float64 {
	if g < 0 || e.next < 0 {
		return 0
	}
	if !e.denialDone[g] {
		if e.nextDeckGain != e.nextDeckGain {
			e.nextDeckGain = e.deckGain(e.next)
		}
		e.denialOf[g] = expertDenialWeight * max(0, e.gainFor(e.next, g)-e.nextDeckGain)
		e.denialDone[g] = true
	}
	return e.denialOf[g]
}

// opponents works out, for a finish that leaves group left on the pile
// (or none), the lowest expected final score among the opponents after
// their one more turn, and the normal approximation of each one's score
// for P(the seat is lowest).
func (e *expert) bestOpponentFinal(left int8) float64 {
	i := int(left) + 1
	if e.bestFinalDone[i] {
		return e.bestFinal[i]
	}
	best := math.Inf(1)
	for o := range e.numSeats {
		if o == e.me || !e.seated[o] {
			continue
		}
		best = min(best, e.opponentFinal(o, left))
	}
	e.bestFinalDone[i], e.bestFinal[i] = true, best
	return best
}

// opponentFinal is seat o's expected final score if the seat goes out now
// leaving group left on the pile: its hand after its one more turn.
func (e *expert) opponentFinal(o int, left int8) float64 {
	h := &e.hands[o]
	gain := e.deckGain(o)
	if o == e.next && left >= 0 {
		gain = max(gain, e.gainFor(o, left))
	}
	return e.unseen.mean(h) - gain
}

// probLowest is P(a final score s is the lowest), each opponent's final score
// taken as normal around its expectation.
func (e *expert) probLowest(s float64, left int8) float64 {
	p := 1.0
	for o := range e.numSeats {
		if o == e.me || !e.seated[o] {
			continue
		}
		theirs := e.opponentFinal(o, left)
		stdDev := math.Sqrt(4 + e.cardVariance*float64(e.hands[o].downs()))
		p *= 1 - normalCDF((s-theirs-0.5)/stdDev)
	}
	return p
}

func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// finish values a move that goes out with expected score s (exact for a
// Swap) and leaves group left on the pile: its score after the round-end
// rules that fall on the finisher, less the finish credit; or notAllowed
// when the go-out test fails.
func (e *expert) finish(s float64, left int8) float64 {
	opts := &e.tables.opts
	best := e.bestOpponentFinal(left)
	value := s - expertFinishCredit
	if opts.KnockBonus {
		value -= 5
	}
	allowed := s <= best+expertFinishMargin+e.relief
	if opts.KnockPenalty {
		lowest := e.probLowest(s, left)
		value += 10 * (1 - lowest)
		allowed = s <= best-expertPenaltyLead+e.relief
	}
	if !allowed {
		return notAllowed + value
	}
	return value
}

// place values putting group g at position p (a Swap).
func (e *expert) place(g int8, p int) (float64, bool) {
	h := e.hands[e.me]
	left := h[p]
	h[p] = g
	if !e.final && h.known() {
		return e.finish(e.unseen.mean(&h), left), true
	}
	return e.continuation(&h) + e.denial(left), false
}

// scoreAfterPlace is the expected hand score right after Swap(p) of group g.
func (e *expert) scoreAfterPlace(g int8, p int) float64 {
	h := e.hands[e.me]
	h[p] = g
	return e.unseen.mean(&h)
}

// discard values discarding a deck card of group g.
func (e *expert) discard(g int8) (float64, bool) {
	h := &e.hands[e.me]
	downs := h.downs()
	if e.final || downs == 0 {
		return e.continuation(h) + e.denial(g), false
	}
	switch e.tables.opts.FlipMode {
	case game.FlipAlways:
		if downs == 1 {
			// The required flip turns up the last card: a finish.
			return e.finish(e.unseen.mean(h), g), true
		}
		return e.flipped(h, e.flipPosition(h)) + e.denial(g), false
	case game.FlipEndgame:
		if !e.endgame() {
			break
		}
		// The flip is optional: the better of flipping and not.
		if downs == 1 {
			return min(e.continuation(h), e.finish(e.unseen.mean(h), g)) + e.denial(g), false
		}
		return min(e.continuation(h), e.flipped(h, e.flipPosition(h))) + e.denial(g), false
	}
	return e.continuation(h) + e.denial(g), false
}

// endgame reports whether flip_mode=endgame's optional flip is on: some
// seated player has at most one face-down card.
func (e *expert) endgame() bool {
	for o := range e.numSeats {
		if e.seated[o] && e.hands[o].downs() <= 1 {
			return true
		}
	}
	return false
}

// flipPosition is the face-down slot the seat turns up when it flips: the one
// under its highest unpaired face-up card, to learn whether that column
// can be saved; else the first face-down slot; -1 if there is none.
func (e *expert) flipPosition(h *hand) int {
	pos, highest := -1, math.Inf(-1)
	for p := range 6 {
		if q := h[partner(p)]; h[p] == down && q >= 0 && e.tables.val[q] > highest {
			pos, highest = p, e.tables.val[q]
		}
	}
	if pos < 0 {
		for p := range 6 {
			if h[p] == down {
				return p
			}
		}
	}
	return pos
}

// flipped is what h is worth once the card at pos is turned up, over the
// card it may be (a draw from H), when that does not finish the hand.
func (e *expert) flipped(h *hand, pos int) float64 {
	after := *h
	value := 0.0
	for g := range nGroups {
		if prob := e.unseen.prob[g]; prob != 0 {
			after[pos] = int8(g)
			value += prob * e.continuation(&after)
		}
	}
	return value
}

// holdValue is the best use of holding group g, from the deck or the pile.
func (e *expert) holdValue(g int8, fromDeck bool) float64 {
	best := math.Inf(1)
	for p := range 6 {
		if !fromDeck && e.badTake(g, p) {
			continue
		}
		value, _ := e.place(g, p)
		best = min(best, value)
	}
	if fromDeck {
		value, _ := e.discard(g)
		best = min(best, value)
	}
	return best
}

// badTake reports whether taking group g off the pile for Swap(p) would be
// a bad_take (docs/ai.md §5 category 3, before its exemptions): the draw is
// valued without those placements so that the one that follows is clean.
func (e *expert) badTake(g int8, p int) bool {
	tables := &e.tables
	h := &e.hands[e.me]
	if q := h[partner(p)]; q >= 0 && tables.rank[q] == tables.rank[g] {
		return false
	}
	if h[p] >= 0 {
		return tables.ival[h[p]] <= tables.ival[g]
	}
	return tables.ival[g] >= blindCap
}

// turnStart chooses the draw, or a knock (docs/ai.md §3.2 layer 2): the top of
// the pile against the exact expectation of a deck draw over D's groups.
func (e *expert) turnStart(id string) game.Command {
	v := e.view
	e.candidates = e.candidates[:0]
	deck := 0.0
	for g := range nGroups {
		if prob := e.deckProb[g]; prob != 0 {
			deck += prob * e.holdValue(int8(g), true)
		}
	}
	e.candidates = append(e.candidates, candidate{command: game.DrawCmd(id, game.SourceDeck), value: deck})
	if top := v.DiscardTop(); !top.IsZero() && !v.PutBack {
		e.candidates = append(e.candidates, candidate{command: game.DrawCmd(id, game.SourceDiscard),
			value: e.holdValue(e.tables.group(top), false)})
	}
	h := &e.hands[e.me]
	if downs := h.downs(); !e.final && v.Options.KnockEarly && (downs == 1 || downs == 2) {
		// A knock goes out with the face-down cards unseen; it leaves the
		// pile as it is.
		left := down
		if top := v.DiscardTop(); !top.IsZero() {
			left = e.tables.group(top)
		}
		e.candidates = append(e.candidates, candidate{command: game.KnockCmd(id), value: e.finish(e.unseen.mean(h), left), finishes: true})
	}
	return e.choose()
}

// holding places the held card.
func (e *expert) holding(id string) (game.Command, delayStep) {
	v := e.view
	g := e.tables.group(v.Held.Card)
	fromDeck := v.Held.From == game.SourceDeck
	e.candidates = e.candidates[:0]
	for p := range 6 {
		value, finishes := e.place(g, p)
		e.candidates = append(e.candidates, candidate{command: game.SwapCmd(id, p), value: value, finishes: finishes,
			scoreNow: e.scoreAfterPlace(g, p)})
	}
	step := stepAfterDiscard
	if fromDeck {
		step = stepAfterDeck
		value, finishes := e.discard(g)
		e.candidates = append(e.candidates, candidate{command: game.DiscardCmd(id), value: value, finishes: finishes,
			scoreNow: e.unseen.mean(&e.hands[e.me])})
	}
	return e.choose(), step
}

// choose takes the lowest-valued candidate that §5 would not flag (ai.md
// §6.2: the expert's flagged rate should be close to 0), or the lowest one
// if every candidate is flagged.
func (e *expert) choose() game.Command {
	cands := e.candidates
	slices.SortStableFunc(cands, func(a, b candidate) int {
		switch {
		case a.value < b.value-1e-9:
			return -1
		case a.value > b.value+1e-9:
			return 1
		case a.scoreNow < b.scoreNow:
			return -1
		case a.scoreNow > b.scoreNow:
			return 1
		}
		return 0
	})
	pick := 0
	for i := range cands {
		if e.grader.Grade(e.view, cands[i].command) == 0 {
			pick = i
			break
		}
	}
	best := cands[pick]
	e.margin = math.NaN()
	for i := range cands {
		if i != pick {
			behind := cands[i].value - best.value
			if behind < e.margin || e.margin != e.margin {
				e.margin = behind
			}
		}
	}
	for i := range cands {
		if cands[i].finishes && math.Abs(cands[i].value-best.value) < notAllowed/2 {
			e.close = true
		}
	}
	return best.command
}

// flipOwed turns up a card after a Discard (flipPosition). An optional flip is
// skipped on the final turn and when the expected hand after it is worth
// less than keeping the card down; when it would go out it must pass the
// go-out test and beat waiting.
func (e *expert) flipOwed(id string) game.Command {
	h := &e.hands[e.me]
	pos := e.flipPosition(h)
	if pos < 0 {
		pos = 0 // no face-down card: the engine owes no flip
	}
	if e.view.Flip == game.FlipRequired {
		return game.FlipCmd(id, pos)
	}
	if e.final {
		return game.SkipFlipCmd(id)
	}
	if h.downs() > 1 && e.flipped(h, pos) > e.continuation(h) {
		return game.SkipFlipCmd(id)
	}
	if h.downs() == 1 {
		e.close = true
		left := down
		if top := e.view.DiscardTop(); !top.IsZero() {
			left = e.tables.group(top)
		}
		if e.finish(e.unseen.mean(h), left) > e.continuation(h) {
			return game.SkipFlipCmd(id)
		}
		if cmd := game.FlipCmd(id, pos); e.grader.Grade(e.view, cmd) != 0 {
			return game.SkipFlipCmd(id)
		}
	}
	return game.FlipCmd(id, pos)
}

// delay is the thinking delay of docs/ai.md §4 at the expert's pace (1.0),
// drawn from the decision's random source only.
func (e *expert) delay(step delayStep) time.Duration {
	class := normal
	switch {
	case e.close || e.margin <= 1:
		class = hard
	case e.margin >= 3 || math.IsNaN(e.margin):
		class = easy
	}
	millis := thinkingMillis(e.random, step, class, e.view.Revealed, e.final)
	return min(time.Duration(millis*float64(time.Millisecond)), maxDelay)
}
