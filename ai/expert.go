package ai

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"golf/game"
)

// expertProfile is the ninth profile (ai.md §1.1, §3).
var expertProfile = Profile{ID: "expert", Name: "Expert", Style: "Card Counter",
	Character: "Counts every card, weighs every draw exactly and goes out only when the table is beaten.",
	Expert:    true}

// ExpertProfile returns the expert bot's profile (ai.md §3).
func ExpertProfile() Profile { return expertProfile }

// The expert's dials, tuned with golf sim (docs/BENCHMARKS.md "Expert bot").
const (
	xFinishMargin = 2.0 // go out only when at most this far above the best opponent's expected final score
	xFinishCredit = 0.0 // points a finish is worth beyond its score (0 measured best; 1 and 2 lost 0.1–0.3)
	xDenial       = 0.3 // weight of what a card left on the pile gives the next player beyond a deck draw
	// xLook weights the one-more-draw lookahead: more than one draw is
	// usually left, and 1.3–1.5 beat 1.0 by half a point a round.
	xLook        = 1.4
	xPenaltyLead = 1.0 // under knock_penalty: the expected lead a finish needs
)

// expert is the expert bot (ai.md §3): exact card counting from the seat's
// view (what is in sight and, after a reshuffle, the view's Pool give
// every card seen this round, so a fresh player mid-round knows as much as
// one that watched), an exact evaluator of E[hand score | H] (layer 1) and
// one ply with one turn of own lookahead (layer 2). It keeps only tables
// between decisions.
type expert struct {
	x  xRules
	gr Grader

	// one decision
	v      *game.View
	rnd    *rand.Rand
	me, n  int
	hands  [game.MaxPlayers]hand
	in     [game.MaxPlayers]bool
	h, d   xPool // H: never seen this round; D: the deck
	pd     [nGroups]float64
	final  bool // someone has gone out
	next   int  // the next player to act before this seat again, or -1
	relief float64

	fOK    [nGroups + 1]bool // F (the opponents' best expected final) per card left on the pile
	fMin   [nGroups + 1]float64
	denOK  [nGroups]bool
	den    [nGroups]float64
	nextDG float64 // the next player's expected gain from a deck draw
	vary   float64 // variance of one unseen card's value

	margin float64 // how far the chosen move beats the next best
	close  bool    // the decision was whether to go out

	cands []xCand
}

// xCand is one candidate command and its value: the expected final score it
// leads to, lower is better.
type xCand struct {
	cmd game.Command
	val float64
	now float64 // the expected score right after the move: ties go to the lower
	fin bool    // the move goes out
}

// notAllowed marks a finishing move that fails the go-out test: it is
// chosen only when nothing else is possible.
const notAllowed = 1e6

// Decide returns the expert's command for the view's seat (ai.md §3).
func (e *expert) Decide(v *game.View, r *rand.Rand) (d Decision) {
	if v.Seat < 0 || v.Seat >= len(v.Seats) || len(v.Seats) > game.MaxPlayers || v.Decks < 1 || v.Seats[v.Seat].Left {
		return Decision{}
	}
	me := &v.Seats[v.Seat]
	if v.Step == game.StepHolding && (v.Held == nil || v.Held.Card.IsZero()) {
		return Decision{} // a view that does not fit its step; never from the engine
	}
	e.x.set(&v.Options, v.Decks)
	e.v, e.rnd, e.me, e.n = v, r, v.Seat, len(v.Seats)
	e.margin, e.close = math.NaN(), false
	id := me.ID
	switch {
	case v.Phase == game.PhaseInitialFlip:
		if me.Flipped || v.Options.InitialFlips == 0 {
			return Decision{}
		}
		initialFlips(id, e.x.opts.InitialFlips, e.rnd, &d.Command)
		d.Delay = e.delay(stepInitial)
		return d
	case (v.Phase != game.PhasePlaying && v.Phase != game.PhaseFinalTurn) || v.Current != v.Seat:
		return Decision{}
	}
	e.load()
	var st delayStep
	switch v.Step {
	case game.StepTurnStart:
		d.Command, st = e.turnStart(id), stepTurnStart
	case game.StepHolding:
		d.Command, st = e.holding(id)
	case game.StepFlipOwed:
		d.Command, st = e.flipOwed(id), stepFlip
	}
	d.Delay = e.delay(st)
	return d
}

// load reads the view: every seat's grid as groups, and the two pools
// (ai.md §3.1). H is the game's cards never seen this round; D is H until
// the first reshuffle and then the reshuffled cards not revealed since.
func (e *expert) load() {
	v, x := e.v, &e.x
	e.final = v.Phase == game.PhaseFinalTurn
	for i := range v.Seats {
		sv := &v.Seats[i]
		e.in[i] = !sv.Left && v.Round > 0
		for p := range 6 {
			e.hands[i][p] = down
			if e.in[i] && sv.Cards[p].Up {
				e.hands[i][p] = x.group(sv.Cards[p].Card)
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
	var hk, dk [nGroups]int
	for g, k := range x.comp {
		hk[g] = int(k)
	}
	for i := range v.Seats {
		for p := range 6 {
			if g := e.hands[i][p]; g >= 0 {
				hk[g]--
			}
		}
	}
	for _, c := range v.Discard {
		hk[x.group(c)]--
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
		for f, c := range faces {
			g := x.group(game.FaceCard(f))
			hk[g] -= c
			dk[g] += c
		}
		heldInPool = !held.IsZero() && v.Held.From == game.SourceDeck && v.Pool.Has(held)
		if heldInPool {
			dk[x.group(held)]--
		}
	}
	if !held.IsZero() && !heldInPool {
		hk[x.group(held)]--
	}
	e.h.fill(x, &hk)
	e.d = e.h
	if reshuffled {
		e.d.fill(x, &dk)
	}
	e.pd = e.d.p
	if e.d.n == 0 {
		e.pd = e.h.p
	}
	e.next = e.nextToAct()
	e.fOK, e.denOK = [nGroups + 1]bool{}, [nGroups]bool{}
	e.nextDG = math.NaN()
	sq := 0.0
	for g := range nGroups {
		sq += e.h.p[g] * e.x.val[g] * e.x.val[g]
	}
	e.vary = max(0, sq-e.h.mu*e.h.mu)
	e.relief = 0
	if extra := v.Seats[e.me].Turns + 1 - stalemateTurn; extra > 0 {
		e.relief = stalemateStep * float64(extra)
	}
}

// nextToAct is the next seat to act before this one acts again: the next
// seated player, or during final turns the next one still owed a turn.
func (e *expert) nextToAct() int {
	for k := 1; k < e.n; k++ {
		i := (e.me + k) % e.n
		if e.in[i] && (!e.final || e.v.Seats[i].Owed) {
			return i
		}
	}
	return -1
}

// cont is what a hand that does not end the round is worth: its expected
// score, less what one more own deck draw with the best response would
// save (ai.md §3.2 layer 2). This credits face-down slots and known high
// cards with the chance to replace them. On the final turn there is no
// next draw.
func (e *expert) cont(h *hand) float64 {
	base := e.h.mean(h)
	if e.final {
		return base + e.finalAdj(h, base)
	}
	var cur [3]float64
	for c := range 3 {
		cur[c] = e.h.colMean(h[c], h[c+3])
	}
	save := 0.0
	for g := range nGroups {
		pg := e.pd[g]
		if pg == 0 {
			continue
		}
		best := 0.0
		gi := int8(g)
		for c := range 3 {
			if d := e.h.colMean(gi, h[c+3]) - cur[c]; d < best {
				best = d
			}
			if d := e.h.colMean(h[c], gi) - cur[c]; d < best {
				best = d
			}
		}
		save += pg * best
	}
	// A long round (stalemate relief, as for the personalities) makes
	// every card still face-down cost more, so that the seat turns its
	// cards up and the round ends even when nobody dares to go out.
	return base + xLook*save + e.relief*float64(h.downs())
}

// finalAdj is what the round-end rules add to a hand on the final turn
// that the seat can foresee: tied_shame against the hands already final.
func (e *expert) finalAdj(h *hand, mean float64) float64 {
	if !e.x.opts.TiedShame || !h.known() {
		return 0
	}
	s := int(mean)
	for o := range e.n {
		if o == e.me || !e.in[o] || e.v.Seats[o].Owed {
			continue
		}
		ho := &e.hands[o]
		if !ho.known() {
			continue
		}
		so := int(e.h.mean(ho))
		if o == e.v.Finisher && e.x.opts.KnockBonus {
			so -= 5
		}
		if so == s {
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
		cur := e.h.colMean(h[c], h[c+3])
		best = max(best, cur-e.h.colMean(g, h[c+3]), cur-e.h.colMean(h[c], g))
	}
	return best
}

// deckGain is seat o's expected gain from a deck draw.
func (e *expert) deckGain(o int) float64 {
	s := 0.0
	for g := range nGroups {
		if pg := e.pd[g]; pg != 0 {
			s += pg * e.gainFor(o, int8(g))
		}
	}
	return s
}

// denial is what leaving group g on the pile hands the next player beyond
// what a deck draw would.
func (e *expert) denial(g int8) float64 {
	if g < 0 || e.next < 0 {
		return 0
	}
	if !e.denOK[g] {
		if e.nextDG != e.nextDG {
			e.nextDG = e.deckGain(e.next)
		}
		e.den[g] = xDenial * max(0, e.gainFor(e.next, g)-e.nextDG)
		e.denOK[g] = true
	}
	return e.den[g]
}

// opponents works out, for a finish that leaves group left on the pile
// (or none), the lowest expected final score among the opponents after
// their one more turn, and the normal approximation of each one's score
// for P(the seat is lowest).
func (e *expert) opponents(left int8) float64 {
	k := int(left) + 1
	if e.fOK[k] {
		return e.fMin[k]
	}
	m := math.Inf(1)
	for o := range e.n {
		if o == e.me || !e.in[o] {
			continue
		}
		m = min(m, e.finalOf(o, left))
	}
	e.fOK[k], e.fMin[k] = true, m
	return m
}

// finalOf is seat o's expected final score if the seat goes out now
// leaving group left on the pile: its hand after its one more turn.
func (e *expert) finalOf(o int, left int8) float64 {
	h := &e.hands[o]
	gain := e.deckGain(o)
	if o == e.next && left >= 0 {
		gain = max(gain, e.gainFor(o, left))
	}
	return e.h.mean(h) - gain
}

// pLowest is P(a final score s is the lowest), each opponent's final score
// taken as normal around its expectation.
func (e *expert) pLowest(s float64, left int8) float64 {
	p := 1.0
	for o := range e.n {
		if o == e.me || !e.in[o] {
			continue
		}
		f := e.finalOf(o, left)
		sd := math.Sqrt(4 + e.vary*float64(e.hands[o].downs()))
		p *= 1 - normCDF((s-f-0.5)/sd)
	}
	return p
}

func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// finish values a move that goes out with expected score s (exact for a
// Swap) and leaves group left on the pile: its score after the round-end
// rules that fall on the finisher, less the finish credit; or notAllowed
// when the go-out test fails.
func (e *expert) finish(s float64, left int8) float64 {
	o := &e.x.opts
	best := e.opponents(left)
	val := s - xFinishCredit
	if o.KnockBonus {
		val -= 5
	}
	ok := s <= best+xFinishMargin+e.relief
	if o.KnockPenalty {
		pl := e.pLowest(s, left)
		val += 10 * (1 - pl)
		ok = s <= best-xPenaltyLead+e.relief
	}
	if !ok {
		return notAllowed + val
	}
	return val
}

// place values putting group g at position p (a Swap).
func (e *expert) place(g int8, p int) (float64, bool) {
	h := e.hands[e.me]
	left := h[p]
	h[p] = g
	if !e.final && h.known() {
		return e.finish(e.h.mean(&h), left), true
	}
	return e.cont(&h) + e.denial(left), false
}

// placeNow is the expected hand score right after Swap(p) of group g.
func (e *expert) placeNow(g int8, p int) float64 {
	h := e.hands[e.me]
	h[p] = g
	return e.h.mean(&h)
}

// discard values discarding a deck card of group g.
func (e *expert) discard(g int8) (float64, bool) {
	h := &e.hands[e.me]
	nd := h.downs()
	if e.final || nd == 0 {
		return e.cont(h) + e.denial(g), false
	}
	switch e.x.opts.FlipMode {
	case game.FlipAlways:
		if nd == 1 {
			// The required flip turns up the last card: a finish.
			return e.finish(e.h.mean(h), g), true
		}
		return e.flipped(h, e.flipPos(h)) + e.denial(g), false
	case game.FlipEndgame:
		if !e.endgame() {
			break
		}
		// The flip is optional: the better of flipping and not.
		if nd == 1 {
			return min(e.cont(h), e.finish(e.h.mean(h), g)) + e.denial(g), false
		}
		return min(e.cont(h), e.flipped(h, e.flipPos(h))) + e.denial(g), false
	}
	return e.cont(h) + e.denial(g), false
}

// endgame reports whether flip_mode=endgame's optional flip is on: some
// seated player has at most one face-down card.
func (e *expert) endgame() bool {
	for o := range e.n {
		if e.in[o] && e.hands[o].downs() <= 1 {
			return true
		}
	}
	return false
}

// flipPos is the face-down slot the seat turns up when it flips: the one
// under its highest unpaired face-up card, to learn whether that column
// can be saved; else the first face-down slot; -1 if there is none.
func (e *expert) flipPos(h *hand) int {
	pos, hi := -1, math.Inf(-1)
	for p := range 6 {
		if q := h[partner(p)]; h[p] == down && q >= 0 && e.x.val[q] > hi {
			pos, hi = p, e.x.val[q]
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
	a := *h
	s := 0.0
	for g := range nGroups {
		if pg := e.h.p[g]; pg != 0 {
			a[pos] = int8(g)
			s += pg * e.cont(&a)
		}
	}
	return s
}

// holdValue is the best use of holding group g, from the deck or the pile.
func (e *expert) holdValue(g int8, fromDeck bool) float64 {
	best := math.Inf(1)
	for p := range 6 {
		if !fromDeck && e.badTake(g, p) {
			continue
		}
		v, _ := e.place(g, p)
		best = min(best, v)
	}
	if fromDeck {
		v, _ := e.discard(g)
		best = min(best, v)
	}
	return best
}

// badTake reports whether taking group g off the pile for Swap(p) would be
// a bad_take (ai.md §5 category 3, before its exemptions): the draw is
// valued without those placements so that the one that follows is clean.
func (e *expert) badTake(g int8, p int) bool {
	x := &e.x
	h := &e.hands[e.me]
	if q := h[partner(p)]; q >= 0 && x.rank[q] == x.rank[g] {
		return false
	}
	if h[p] >= 0 {
		return x.ival[h[p]] <= x.ival[g]
	}
	return x.ival[g] >= blindCap
}

// turnStart chooses the draw, or a knock (ai.md §3.2 layer 2): the top of
// the pile against the exact expectation of a deck draw over D's groups.
func (e *expert) turnStart(id string) game.Command {
	v := e.v
	e.cands = e.cands[:0]
	deck := 0.0
	for g := range nGroups {
		if pg := e.pd[g]; pg != 0 {
			deck += pg * e.holdValue(int8(g), true)
		}
	}
	e.cands = append(e.cands, xCand{cmd: game.DrawCmd(id, game.SourceDeck), val: deck})
	if top := v.DiscardTop(); !top.IsZero() {
		e.cands = append(e.cands, xCand{cmd: game.DrawCmd(id, game.SourceDiscard),
			val: e.holdValue(e.x.group(top), false)})
	}
	h := &e.hands[e.me]
	if nd := h.downs(); !e.final && v.Options.KnockEarly && (nd == 1 || nd == 2) {
		// A knock goes out with the face-down cards unseen; it leaves the
		// pile as it is.
		left := down
		if top := v.DiscardTop(); !top.IsZero() {
			left = e.x.group(top)
		}
		e.cands = append(e.cands, xCand{cmd: game.KnockCmd(id), val: e.finish(e.h.mean(h), left), fin: true})
	}
	return e.choose()
}

// holding places the held card.
func (e *expert) holding(id string) (game.Command, delayStep) {
	v := e.v
	g := e.x.group(v.Held.Card)
	fromDeck := v.Held.From == game.SourceDeck
	e.cands = e.cands[:0]
	for p := range 6 {
		val, fin := e.place(g, p)
		e.cands = append(e.cands, xCand{cmd: game.SwapCmd(id, p), val: val, fin: fin, now: e.placeNow(g, p)})
	}
	st := stepAfterDiscard
	if fromDeck {
		st = stepAfterDeck
		val, fin := e.discard(g)
		e.cands = append(e.cands, xCand{cmd: game.DiscardCmd(id), val: val, fin: fin, now: e.h.mean(&e.hands[e.me])})
	}
	return e.choose(), st
}

// choose takes the lowest-valued candidate that §5 would not flag (ai.md
// §6.2: the expert's flagged rate should be close to 0), or the lowest one
// if every candidate is flagged.
func (e *expert) choose() game.Command {
	c := e.cands
	slices.SortStableFunc(c, func(a, b xCand) int {
		switch {
		case a.val < b.val-1e-9:
			return -1
		case a.val > b.val+1e-9:
			return 1
		case a.now < b.now:
			return -1
		case a.now > b.now:
			return 1
		}
		return 0
	})
	pick := 0
	for i := range c {
		if e.gr.Grade(e.v, c[i].cmd) == 0 {
			pick = i
			break
		}
	}
	best := c[pick]
	e.margin = math.NaN()
	for i := range c {
		if i != pick {
			d := c[i].val - best.val
			if d < e.margin || e.margin != e.margin {
				e.margin = d
			}
		}
	}
	for i := range c {
		if c[i].fin && math.Abs(c[i].val-best.val) < notAllowed/2 {
			e.close = true
		}
	}
	return best.cmd
}

// flipOwed turns up a card after a Discard (flipPos). An optional flip is
// skipped on the final turn and when the expected hand after it is worth
// less than keeping the card down; when it would go out it must pass the
// go-out test and beat waiting.
func (e *expert) flipOwed(id string) game.Command {
	h := &e.hands[e.me]
	pos := e.flipPos(h)
	if pos < 0 {
		pos = 0 // no face-down card: the engine owes no flip
	}
	if e.v.Flip == game.FlipRequired {
		return game.FlipCmd(id, pos)
	}
	if e.final {
		return game.SkipFlipCmd(id)
	}
	if h.downs() > 1 && e.flipped(h, pos) > e.cont(h) {
		return game.SkipFlipCmd(id)
	}
	if h.downs() == 1 {
		e.close = true
		left := down
		if top := e.v.DiscardTop(); !top.IsZero() {
			left = e.x.group(top)
		}
		if e.finish(e.h.mean(h), left) > e.cont(h) {
			return game.SkipFlipCmd(id)
		}
		if cmd := game.FlipCmd(id, pos); e.gr.Grade(e.v, cmd) != 0 {
			return game.SkipFlipCmd(id)
		}
	}
	return game.FlipCmd(id, pos)
}

// delay is the thinking delay of ai.md §4 at the expert's pace (1.0),
// drawn from the decision's random source only.
func (e *expert) delay(st delayStep) time.Duration {
	cls := normal
	switch {
	case e.close || e.margin <= 1:
		cls = hard
	case e.margin >= 3 || math.IsNaN(e.margin):
		cls = easy
	}
	ms := thinkingMillis(e.rnd, st, cls, e.v.Revealed, e.final)
	return min(time.Duration(ms*float64(time.Millisecond)), maxDelay)
}
