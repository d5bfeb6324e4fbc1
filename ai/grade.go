package ai

import (
	"math"
	"strings"

	"golf/game"
)

// AnalysisVersion is the version of the category set below (docs/ai.md §5).
// Changing any definition bumps it, and a stats rebuild recomputes every
// count.
const AnalysisVersion = 1

// Category is one kind of error the blunder analysis finds (docs/ai.md §5).
type Category uint8

// The categories, numbered as in docs/ai.md §5.
const (
	DiscardedNegative Category = iota + 1
	DiscardedPair
	BadTake
	BrokePair
	NegativePair
	PenalisedOut
	GoodForWorse
	HighIntoFacedown
	DiscardedZero
	IgnoredGift
)

// NumCategories is the number of categories.
const NumCategories = 10

var categoryNames = [NumCategories + 1]string{"",
	"discarded_negative", "discarded_pair", "bad_take", "broke_pair", "negative_pair",
	"penalised_out", "good_for_worse", "high_into_facedown", "discarded_zero", "ignored_gift"}

// String returns the category's name in docs/ai.md §5, e.g. "bad_take".
func (c Category) String() string {
	if c >= 1 && c <= NumCategories {
		return categoryNames[c]
	}
	return "invalid"
}

// Categories lists every category in docs/ai.md §5 order.
func Categories() []Category {
	out := make([]Category, NumCategories)
	for i := range out {
		out[i] = Category(i + 1)
	}
	return out
}

// Class is how bad a graded turn was.
type Class uint8

const (
	Clean Class = iota
	Mistake
	Blunder
)

var classNames = [...]string{"clean", "mistake", "blunder"}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "invalid"
}

// Flags is the set of categories a command or a turn matched.
type Flags uint16

// severe marks a good_for_worse match whose new card is worth 5 or more
// above the old one: a blunder rather than a mistake.
const severe Flags = 1 << 15

func flag(c Category) Flags { return 1 << (c - 1) }

// Has reports whether f holds category c.
func (f Flags) Has(c Category) bool { return f&flag(c) != 0 }

// Class is the most severe class among f's categories: a turn that matches
// several counts once, at its worst (docs/ai.md §5).
func (f Flags) Class() Class {
	const blunders = 1<<(DiscardedNegative-1) | 1<<(DiscardedPair-1) | 1<<(BadTake-1) |
		1<<(BrokePair-1) | 1<<(NegativePair-1) | 1<<(PenalisedOut-1)
	switch {
	case f&blunders != 0 || (f.Has(GoodForWorse) && f&severe != 0):
		return Blunder
	case f&^severe != 0:
		return Mistake
	}
	return Clean
}

// Categories lists f's categories in order.
func (f Flags) Categories() []Category {
	var out []Category
	for c := Category(1); c <= NumCategories; c++ {
		if f.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// String writes f as its category names joined by "+", or "clean".
func (f Flags) String() string {
	cs := f.Categories()
	if len(cs) == 0 {
		return "clean"
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.String()
	}
	return strings.Join(names, "+")
}

// holding is what every placement of one held card would do to the seat's
// hand, with the §5 estimator (T = 6, face-down cards at μ).
type holding struct {
	g    int8
	from game.Source
	est0 float64    // est(hand) before
	est  [6]float64 // est(hand) after Swap(p)
	gain [6]float64 // est0 − est[p]
	pair [6]bool    // Swap(p) forms a column pair
	fin  [6]bool    // Swap(p) makes the seat go out

}

// after is the seat's hand after Swap(p) of the held card.
func (t *table) after(hd *holding, p int) hand {
	a := t.hand[t.me]
	a[p] = hd.g
	return a
}

// playing reports whether a move that leaves the seat's six cards face-up
// would make it go out: nobody has yet.
func (t *table) playing() bool { return t.v.Phase == game.PhasePlaying }

// hold fills hd for holding group g taken from the given source. A Swap
// changes one column, so only that column (and the bonuses) is estimated
// again; known hands are integers, so the sums are exact.
func (t *table) hold(g int8, from game.Source, hd *holding) {
	r := t.r
	h := &t.hand[t.me]
	o := &r.opts
	hd.g, hd.from = g, from
	col := &t.col[t.me]
	raw0 := t.raw[t.me]
	hd.est0 = raw0
	if o.Blackjack && raw0 == 21 && h.known() {
		hd.est0 = 0
	}
	last := t.playing() && t.down[t.me] == 1
	rk := r.rank[g]
	for c := range 3 {
		top, bot := h[c], h[c+3]
		rest := raw0 - col[c]
		hd.est[c] = rest + t.colEst(g, bot)
		hd.est[c+3] = rest + t.colEst(top, g)
		hd.pair[c] = bot >= 0 && r.rank[bot] == rk
		hd.pair[c+3] = top >= 0 && r.rank[top] == rk
		hd.fin[c] = last && top == down
		hd.fin[c+3] = last && bot == down
	}
	if r.bonus || o.Blackjack {
		b0 := t.bon[t.me]
		for p := range 6 {
			a := *h
			a[p] = g
			if r.bonus {
				hd.est[p] += t.bonus(&a) - b0
			}
			if o.Blackjack && hd.est[p] == 21 && a.known() {
				hd.est[p] = 0
			}
		}
	}
	for p := range 6 {
		hd.gain[p] = hd.est0 - hd.est[p]
	}
}

// swapMaybe reports whether Swap(p) of hd's card meets the first condition
// of some §5 category (swapFlags): a pair of negative cards or one that
// breaks a face-up pair; a card worth 8 or more into a face-down slot; over
// a face-up card, a taken card worth at least the old one, breaking a pair,
// or replacing a card worth at most 1 by a higher one; and any finish under
// knock_penalty. Most placements meet none and need no further work.
func (t *table) swapMaybe(hd *holding, p int) bool {
	r := t.r
	v := r.val[hd.g]
	paired := t.paired>>p&1 != 0
	penalised := hd.fin[p] && r.opts.KnockPenalty // only a Swap into a face-down slot finishes
	if hd.pair[p] {
		return v < 0 || paired || penalised
	}
	old := t.hand[t.me][p]
	if old < 0 {
		return v >= 8 || penalised
	}
	ov := r.val[old]
	return paired || ov <= 1 && v > ov || hd.from == game.SourceDiscard && ov <= v
}

// rawScore is a fully known hand's score before blackjack.
func (t *table) rawScore(h *hand) float64 {
	return t.colEst(h[0], h[3]) + t.colEst(h[1], h[4]) + t.colEst(h[2], h[5]) + t.bonus(h)
}

// chase is the Ch exemption (docs/ai.md §5): under four_of_a_kind (any rank) or
// wolfpack (Jacks), putting a card face-up into a column whose other card is
// face-down while already showing a face-up pair of its rank.
func (t *table) chase(g int8, p int) bool {
	o := &t.r.opts
	r := t.r.rank[g]
	if !o.FourOfAKind && !(o.Wolfpack && r == gJack) {
		return false
	}
	h := &t.hand[t.me]
	if h[partner(p)] != down {
		return false
	}
	for c := range 3 {
		if c != column(p) && t.pairRank(h, c) == r {
			return true
		}
	}
	return false
}

// blackjack21 is the 21 exemption: the move leaves the hand fully known at
// exactly 21 under blackjack.
func (t *table) blackjack21(a *hand) bool {
	return t.r.opts.Blackjack && a.known() && t.rawScore(a) == 21
}

// swapFlags grades Swap(p) of the held card (docs/ai.md §5 categories 3–8).
func (t *table) swapFlags(hd *holding, p int) Flags {
	if !t.swapMaybe(hd, p) {
		return 0
	}
	r := t.r
	h := &t.hand[t.me]
	g, old := hd.g, h[p]
	v := r.val[g]
	after := t.after(hd, p)
	a := &after
	var f Flags
	// Exemptions are worked out only when a category needs them.
	dn := func() bool { return t.canPair(t.next, g) }
	ch := func() bool { return t.chase(g, p) }
	bj := func() bool { return t.blackjack21(a) }

	if hd.from == game.SourceDiscard && !hd.pair[p] &&
		((old >= 0 && r.val[old] <= v) || (old == down && v >= 8)) && !dn() && !ch() && !bj() {
		f |= flag(BadTake)
	}
	if old >= 0 && t.pairs(h, p) && !hd.pair[p] && t.knownScore(a) > t.knownScore(h) && !bj() {
		f |= flag(BrokePair)
	}
	if hd.pair[p] {
		q := a[partner(p)]
		if v < 0 && r.val[q] < 0 && r.pair[g][q] == 0 && !t.completesFour(a, p) {
			for o := range 6 {
				if !hd.pair[o] && hd.gain[o] > hd.gain[p] {
					f |= flag(NegativePair)
					break
				}
			}
		}
	}
	if old >= 0 && !t.pairs(h, p) && r.val[old] <= 1 && v > r.val[old] && !hd.pair[p] && !dn() && !ch() && !bj() {
		f |= flag(GoodForWorse)
		if v-r.val[old] >= 5 {
			f |= severe
		}
	}
	if hd.from == game.SourceDeck && old == down && v >= 8 && !hd.pair[p] && !dn() && !ch() && !t.stalemate() {
		f |= flag(HighIntoFacedown)
	}
	if hd.fin[p] {
		f |= t.outFlags(hd.est[p])
	}
	return f
}

// discardMaybe is swapMaybe for Discard.
func (t *table) discardMaybe(hd *holding) bool {
	if t.r.val[hd.g] <= 0 || (t.discardForcesOut() && t.r.opts.KnockPenalty) {
		return true
	}
	for p := range 6 {
		if hd.pair[p] {
			return true
		}
	}
	return false
}

// completesFour reports whether the pair Swap(p) forms earns four_of_a_kind:
// another face-up column pair of the same rank.
func (t *table) completesFour(a *hand, p int) bool {
	if !t.r.opts.FourOfAKind {
		return false
	}
	r := t.pairRank(a, column(p))
	for c := range 3 {
		if c != column(p) && t.pairRank(a, c) == r {
			return true
		}
	}
	return false
}

// stalemate is the St exemption: the seat is past its 12th turn of the
// round, where stalemate relief (docs/ai.md §2.5) lets a deck card of any value
// go blind so that a round whose circulating cards are all high still ends.
func (t *table) stalemate() bool { return t.v.Seats[t.me].Turns >= stalemateTurn }

// discardForcesOut reports whether discarding now makes the seat go out:
// under flip_mode=always the required flip turns up its last face-down card.
func (t *table) discardForcesOut() bool {
	return t.r.opts.FlipMode == game.FlipAlways && t.flipFinishes()
}

// discardFlags grades Discard of the held deck card (categories 1, 2, 9,
// and 6 when the required flip that follows makes the seat go out).
func (t *table) discardFlags(hd *holding) Flags {
	if !t.discardMaybe(hd) {
		return 0
	}
	v := t.r.val[hd.g]
	var f Flags
	best := math.Inf(-1)
	for p := range 6 {
		best = max(best, hd.gain[p])
		if hd.pair[p] && !hd.fin[p] && hd.gain[p] >= 5 && t.unpairedUp(partner(p)) {
			f |= flag(DiscardedPair)
		}
	}
	if v <= -2 && best > 0 {
		f |= flag(DiscardedNegative)
	}
	if v == 0 && best >= 2 {
		f |= flag(DiscardedZero)
	}
	if t.discardForcesOut() {
		f |= t.outFlags(hd.est0)
	}
	return f
}

// unpairedUp reports whether the seat's card at p is face-up and unpaired.
func (t *table) unpairedUp(p int) bool {
	h := &t.hand[t.me]
	return h[p] >= 0 && !t.pairs(h, p)
}

// drawDeckFlags grades Draw(deck) at the start of a turn: ignored_gift
// (category 10), judged on the discard top.
func (t *table) drawDeckFlags() Flags {
	top := t.topGroup()
	if top < 0 {
		return 0
	}
	var hd holding
	t.hold(top, game.SourceDiscard, &hd)
	return t.giftFlags(&hd)
}

// giftFlags is ignored_gift for a discard top already evaluated in hd.
func (t *table) giftFlags(hd *holding) Flags {
	gift := t.r.val[hd.g] <= -2
	useful := false
	for p := range 6 {
		if hd.fin[p] {
			continue
		}
		if hd.pair[p] && hd.gain[p] >= 5 {
			gift = true
		}
		if hd.gain[p] >= 3 {
			useful = true
		}
	}
	if gift && useful {
		return flag(IgnoredGift)
	}
	return 0
}

// topGroup is the discard top's group, or down for an empty pile.
func (t *table) topGroup() int8 {
	d := t.v.Discard
	if len(d) == 0 {
		return down
	}
	return t.r.group(d[len(d)-1])
}

// outFlags grades going out with a hand estimated at mine afterwards:
// penalised_out (category 6) under knock_penalty when some opponent's
// estimate is at least 3 below it.
func (t *table) outFlags(mine float64) Flags {
	if !t.r.opts.KnockPenalty {
		return 0
	}
	for o := range t.n {
		if o != t.me && t.in[o] && t.opponentEst(o) <= mine-3 {
			return flag(PenalisedOut)
		}
	}
	return 0
}

// flipFinishes reports whether turning up one more own card now makes the
// seat go out.
func (t *table) flipFinishes() bool { return t.playing() && t.down[t.me] == 1 }

// grade returns the categories command c matches, judged from the table
// loaded with the seat's view just before c.
func (t *table) grade(c *game.Command) Flags {
	switch c.Kind {
	case game.CmdDraw:
		if c.Source == game.SourceDeck && t.v.Step == game.StepTurnStart {
			return t.drawDeckFlags()
		}
	case game.CmdSwap, game.CmdDiscard:
		if t.held < 0 || c.Pos < 0 || c.Pos > 5 {
			return 0
		}
		var hd holding
		t.hold(t.held, t.heldFrom, &hd)
		var f Flags
		if c.Kind == game.CmdDiscard {
			f = t.discardFlags(&hd)
		} else {
			f = t.swapFlags(&hd, c.Pos)
		}
		if f != 0 && t.forced(&hd) {
			return 0
		}
		return f
	case game.CmdFlip:
		// A required flip is no decision: a finish it forces is graded at
		// the Discard that owed it.
		if t.flipFinishes() && t.v.Flip == game.FlipOptional {
			return t.outFlags(t.est(&t.hand[t.me]))
		}
	case game.CmdFlipAsAction:
		if t.flipFinishes() {
			return t.outFlags(t.est(&t.hand[t.me]))
		}
	case game.CmdKnock:
		if t.playing() {
			return t.outFlags(t.est(&t.hand[t.me]))
		}
	}
	return 0
}

// forced reports whether every placement of the held card matches some
// category: then none is a blunder or a mistake, because there was no clean
// alternative (a card from the discard pile can always be put back).
func (t *table) forced(hd *holding) bool {
	if hd.from != game.SourceDeck || t.discardFlags(hd) == 0 {
		return false
	}
	for p := range 6 {
		if t.swapFlags(hd, p) == 0 {
			return false
		}
	}
	return true
}

// mayFlag reports whether command c, sent from view v, could match any
// category at all; most commands cannot, and need no table.
func mayFlag(v *game.View, c *game.Command) bool {
	o := &v.Options
	me := &v.Seats[v.Seat]
	switch c.Kind {
	case game.CmdDraw:
		if c.Source != game.SourceDeck || len(v.Discard) == 0 {
			return false
		}
		top := v.Discard[len(v.Discard)-1]
		return o.Value(top) <= -2 || sharesRank(me, top)
	case game.CmdSwap, game.CmdDiscard:
		if v.Held == nil || v.Held.Card.IsZero() || c.Pos < 0 || c.Pos > 5 {
			return false
		}
		if o.KnockPenalty && (c.Kind == game.CmdDiscard || !me.Cards[c.Pos].Up) && me.FaceDown == 1 {
			return true
		}
		held := v.Held.Card
		hv := o.Value(held)
		if c.Kind == game.CmdDiscard {
			return hv <= 0 || sharesRank(me, held)
		}
		sl := &me.Cards[c.Pos]
		if !sl.Up {
			return hv >= 8 || hv < 0
		}
		// Over a face-up card (see swapMaybe): a taken card worth at least
		// the old one, a column that pairs before or after, or a card worth
		// at most 1 replaced by a higher one.
		ov := o.Value(sl.Card)
		if pt := &me.Cards[(c.Pos+3)%6]; pt.Up && (pt.Card.Rank == sl.Card.Rank || pt.Card.Rank == held.Rank) {
			return true
		}
		return (v.Held.From == game.SourceDiscard && ov <= hv) || (ov <= 1 && hv > ov)
	case game.CmdFlip, game.CmdFlipAsAction, game.CmdKnock:
		return o.KnockPenalty
	}
	return false
}

// sharesRank reports whether a seat shows a face-up card of c's rank.
func sharesRank(sv *game.SeatView, c game.Card) bool {
	for _, sl := range sv.Cards {
		if sl.Up && sl.Card.Rank == c.Rank {
			return true
		}
	}
	return false
}

// Grader grades commands against docs/ai.md §5. The zero Grader is ready to use;
// it keeps the tables of the last options it saw, so it is not safe for
// concurrent use.
type Grader struct {
	rules rules
}

// Grade returns the categories command c matches, judged from v: the view
// of c's sender just before c. Initial flips and commands outside a turn
// match nothing.
func (gr *Grader) Grade(v *game.View, c game.Command) Flags { return gr.GradeCommand(v, &c) }

// GradeCommand is Grade for a command the caller holds: a game.Command is
// large, and the simulator grades every one it plays.
func (gr *Grader) GradeCommand(v *game.View, c *game.Command) Flags {
	if v.Seat < 0 || v.Seat >= len(v.Seats) || v.Decks < 1 || !mayFlag(v, c) {
		return 0
	}
	gr.rules.set(&v.Options, v.Decks)
	var t table
	t.load(&gr.rules, v)
	return t.grade(c)
}
