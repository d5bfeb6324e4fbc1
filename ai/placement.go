package ai

import (
	"math"
	"math/bits"

	"golf/game"
)

// placements is every placement of one held card (docs/ai.md §2.4 rule 5):
// candidate i < 6 is Swap(i), candidate 6 (discardCand) the Discard of a
// deck card. Values are worked out at once; whether §5 flags a placement
// is worked out only for the candidates a decision looks at, best first.
// Bit i of each mask describes candidate i.
type placements struct {
	hd   holding
	val  [7]float64 // what the candidate is worth (docs/ai.md §2.2 val)
	base [7]float64 // val without the finish credit
	n    int        // 7 with a Discard, else 6

	fin    uint8 // makes the seat go out
	pair   uint8 // forms a column pair
	up     uint8 // replaces a face-up card
	target uint8 // leaves the card as a new open target
	capped uint8 // a blind swap the personality never makes
	failed uint8 // a finish that fails the go-out test
	graded uint8 // §5 is worked out (or cannot flag it)
	flagd  uint8 // §5 flags it
	forced bool  // every placement is flagged, so none counts as flagged
}

// discardCand is the Discard's candidate number.
const discardCand = 6

// isFlagged reports whether §5 flags candidate i (and caches it).
func (m *mind) isFlagged(ch *placements, i int) bool {
	bit := uint8(1) << i
	if ch.graded&bit == 0 {
		// swapFlags and discardFlags begin with swapMaybe and discardMaybe,
		// which dismiss most placements at once.
		var f Flags
		if i == discardCand {
			f = m.discardFlags(&ch.hd)
		} else {
			f = m.swapFlags(&ch.hd, i)
		}
		ch.graded |= bit
		if f != 0 {
			ch.flagd |= bit
		}
	}
	return ch.flagd&bit != 0 && !ch.forced
}

// allowed reports whether candidate i survives the three filters of rule 5.
func (m *mind) allowed(ch *placements, i int) bool {
	return (ch.capped|ch.failed)&(1<<i) == 0 && !m.isFlagged(ch, i)
}

// top returns the highest-valued allowed candidate among those keep
// accepts, or -1; ties go to the lower index, so Swaps before the Discard.
// It grades only the candidates it has to.
func (m *mind) top(ch *placements, keep among) int { return m.topBut(ch, keep, -1) }

// topBut is top leaving candidate skip out (skip < 0: none).
func (m *mind) topBut(ch *placements, keep among, skip int) int {
	open := (uint8(1)<<ch.n - 1) &^ (ch.capped | ch.failed)
	if skip >= 0 {
		open &^= 1 << skip
	}
	switch keep {
	case nonFinishing:
		open &^= ch.fin
	case swaps:
		open &^= 1 << discardCand
	}
	for open != 0 {
		b := ch.argmax(open)
		if !m.isFlagged(ch, b) {
			return b
		}
		open &^= 1 << b
	}
	return -1
}

// argmax is the candidate in the (non-empty) set with the highest val, the
// lowest among equals.
func (ch *placements) argmax(set uint8) int {
	b := bits.TrailingZeros8(set)
	for rest := set & (set - 1); rest != 0; rest &= rest - 1 {
		if i := bits.TrailingZeros8(rest); ch.val[i] > ch.val[b] {
			b = i
		}
	}
	return b
}

// among says which candidates top considers.
type among uint8

const (
	everyone among = iota
	nonFinishing
	swaps
)

// choose evaluates every placement of held group g taken from the given
// source into ch. With held set, ch.hd already holds g (turnStart worked
// it out for its bound).
func (m *mind) choose(g int8, from game.Source, ch *placements, held bool) {
	if !held {
		m.hold(g, from, &ch.hd)
	}
	hd := &ch.hd
	r := m.r
	h := &m.hand[m.me]
	v := r.val[g]
	tiedShame := m.final && r.opts.TiedShame
	relief := from == game.SourceDeck && m.stalemate()
	blind := m.muT - m.mu
	// tgt after a Swap: without the bonus rules only the swapped column's
	// target changes, and the card is a target exactly when its partner
	// is face-down (see tgtAfter).
	targets := m.f != 0 && m.p.H != 0 && m.total != 0
	simpleTgt := targets && !r.bonus
	tg, hf := 0.0, m.p.H*m.f
	if simpleTgt {
		tg = m.targetOf(g)
	}
	// The blind-swap cap (docs/ai.md §2.4 rule 5): a card that makes no pair and
	// is worth 8 or more never goes into a face-down slot, except the bonus
	// chase (§2.7) and stalemate relief; on the final turn nothing at or
	// above μ does (§2.6).
	capBlind := v >= blindCap && !relief
	capFinal := m.final && v >= m.mu
	var fin, pair, up, target, capped uint8
	for p := range 6 {
		bit := uint8(1) << p
		old := h[p]
		partnerDown := h[partner(p)] == down
		if hd.pair[p] {
			pair |= bit
		} else if partnerDown {
			target |= bit
		}
		if hd.fin[p] {
			fin |= bit
		}
		gain := hd.gain[p]
		if old == down {
			gain += blind
		} else {
			up |= bit
		}
		if tiedShame {
			if a := m.after(hd, p); a.known() && m.tiesFinal(hd.est[p]) {
				gain -= 5
			}
		}
		var base float64
		switch {
		case simpleTgt:
			t := 0.0
			if partnerDown {
				t = tg
			}
			base = gain + (m.tgt0 + hf*(t-m.tgtCol[column(p)])) - m.tgt0
		case targets:
			base = gain + m.tgtAfter(g, p) - m.tgt0
		default:
			base = gain + 0 - m.tgt0
		}
		if old >= 0 {
			base -= m.denial(old)
		} else if pair&bit == 0 && (capBlind || capFinal) {
			chase := capBlind && !capFinal && m.p.H >= 0.5 && base > 0 && m.chase(g, p)
			if capFinal || !chase {
				capped |= bit
			}
		}
		ch.base[p], ch.val[p] = base, base
	}
	ch.graded, ch.flagd = 0, 0
	ch.n = 6
	if from == game.SourceDeck {
		ch.n = 7
		base := -m.denial(g)
		ch.base[discardCand], ch.val[discardCand] = base, base
		if m.discardForcesOut() {
			fin |= 1 << discardCand
		}
	}
	ch.fin, ch.pair, ch.up, ch.target, ch.capped, ch.failed = fin, pair, up, target, capped, 0
	ch.forced = false
	if fin != 0 {
		m.goOut(ch)
	}
}

// goOut applies the go-out test (docs/ai.md §2.5) to the finishing candidates.
// It expects every val to be its base.
func (m *mind) goOut(ch *placements) {
	rest := negInf
	if b := m.top(ch, nonFinishing); b >= 0 {
		rest = ch.val[b]
	}
	for i := range ch.n {
		if ch.fin&^ch.capped&(1<<i) == 0 || m.isFlagged(ch, i) {
			continue
		}
		mine, u, left := 0.0, 0, down
		if i == discardCand {
			mine, u, left = ch.hd.est0, 1, ch.hd.g
		} else {
			mine = ch.hd.est[i]
		}
		switch {
		case m.likelyWinner(mine, u, left):
			ch.val[i] += m.finishCredit()
		case !m.behindAnyway(ch.val[i], rest):
			ch.failed |= 1 << i
		}
	}
}

// best returns the highest-valued allowed candidate, or -1. When every
// placement of a deck card is flagged, none counts as flagged (the
// grader's forced rule) and the choice is made again.
func (m *mind) best(ch *placements) int {
	if b := m.top(ch, everyone); b >= 0 || ch.forced || ch.hd.from != game.SourceDeck {
		return b
	}
	for i := range ch.n {
		if !m.isFlagged(ch, i) {
			return -1
		}
	}
	ch.forced = true
	ch.val, ch.failed = ch.base, 0
	if ch.fin != 0 {
		m.goOut(ch)
	}
	return m.best(ch)
}

// fallback picks a placement when the filters removed every one: the best
// that §5 does not flag, else the best of all. The procedure makes this
// unreachable for a deck card; it keeps a CPU from ever having no move.
func (m *mind) fallback(ch *placements) int {
	b := -1
	for i := range ch.n {
		if !m.isFlagged(ch, i) && (b < 0 || ch.val[i] > ch.val[b]) {
			b = i
		}
	}
	if b >= 0 {
		return b
	}
	return ch.argmax(uint8(1)<<ch.n - 1)
}

// worth is what holding group g is worth: the best allowed placement's
// value; -Inf for a discard-pile card with none.
func (m *mind) worth(g int8, from game.Source) float64 {
	var ch placements
	m.choose(g, from, &ch, false)
	if b := m.best(&ch); b >= 0 {
		return ch.val[b]
	}
	if from == game.SourceDeck {
		return ch.val[m.fallback(&ch)]
	}
	return negInf
}

// deckWorth is G_deck of docs/ai.md §2.2: the expected worth of a deck draw over
// the (rank, value) groups of the unseen pool.
func (m *mind) deckWorth() float64 {
	if m.total == 0 {
		return 0
	}
	sum := 0.0
	for g := range nGroups {
		if k := m.count[g]; k > 0 {
			w, ok := m.finalWorth(int8(g))
			if !ok {
				w = m.worth(int8(g), game.SourceDeck)
			}
			sum += float64(k) * w
		}
	}
	return sum / float64(m.total)
}

// finalWorth is worth(g, deck) worked out directly on the final turn, where
// nobody can go out and there are no targets (docs/ai.md §2.6). It reports false
// when the general evaluation is needed: under the bonus rules, blackjack
// or tied_shame, or when §5 might flag the best placement.
func (m *mind) finalWorth(g int8) (float64, bool) {
	r := m.r
	o := &r.opts
	if !m.final || r.bonus || o.Blackjack || o.TiedShame {
		return 0, false
	}
	h := &m.hand[m.me]
	col := &m.col[m.me]
	v, rk := r.val[g], r.rank[g]
	blind := (v >= blindCap && !m.stalemate()) || v >= m.mu
	best, bestPos := -m.denial(g), -1 // the discard, which loses ties
	bestPair := false
	for p := range 6 {
		c := column(p)
		old, q := h[p], h[partner(p)]
		pair := q >= 0 && r.rank[q] == rk
		if !pair && old == down && blind {
			continue // capped
		}
		e := m.raw[m.me] - col[c]
		if p < 3 {
			e += m.colEst(g, q)
		} else {
			e += m.colEst(q, g)
		}
		val := m.est0 - e + (m.muT-m.mu)*float64(boolInt(old == down))
		if old >= 0 {
			val -= m.denial(old)
		}
		if val > best || (val == best && bestPos >= 0 && p < bestPos) || (val == best && bestPos < 0) {
			best, bestPos, bestPair = val, p, pair
		}
	}
	// §5 can only flag a placement that meets a category's first condition.
	if bestPos < 0 {
		if v <= 0 || m.couldPair(g) {
			return 0, false
		}
		return best, true
	}
	old := h[bestPos]
	switch {
	case bestPair:
		if v < 0 || (old >= 0 && m.pairs(h, bestPos)) {
			return 0, false
		}
	case old == down:
		if v >= 8 {
			return 0, false
		}
	default:
		if ov := r.val[old]; m.pairs(h, bestPos) || (ov <= 1 && v > ov) {
			return 0, false
		}
	}
	return best, true
}

// couldPair reports whether group g would pair with one of the seat's
// face-up cards.
func (m *mind) couldPair(g int8) bool {
	h := &m.hand[m.me]
	for p := range 6 {
		if h[p] >= 0 && m.r.rank[h[p]] == m.r.rank[g] {
			return true
		}
	}
	return false
}

// tiesFinal reports whether a fully known hand scoring e ties a hand score
// that is already final: a seat with every card face-up (docs/ai.md §2.6).
func (m *mind) tiesFinal(e float64) bool {
	for o := range m.n {
		if o != m.me && m.in[o] && m.down[o] == 0 && m.opponentEst(o) == e {
			return true
		}
	}
	return false
}

// placement is docs/ai.md §2.4 rules 5 and 6: where the held card goes.
func (m *mind) placement(id string, c *game.Command) delayStep {
	st := stepAfterDeck
	if m.heldFrom == game.SourceDiscard {
		st = stepAfterDiscard
	}
	if m.held < 0 {
		// A view that does not show the seat its own held card: never in play.
		if m.heldFrom == game.SourceDiscard {
			*c = game.PutBackCmd(id)
			return stepPutBack
		}
		*c = game.DiscardCmd(id)
		return st
	}
	var fresh placements
	ch := &fresh
	if m.topOK && m.heldFrom == game.SourceDiscard && m.taking.hd.g == m.held {
		ch = &m.taking // turnStart evaluated taking this very card
	} else {
		m.choose(m.held, m.heldFrom, ch, false)
	}
	b := m.best(ch)
	if b < 0 {
		if m.heldFrom == game.SourceDiscard {
			*c = game.PutBackCmd(id)
			return stepPutBack // rule 6: a safety net
		}
		*c = ch.command(id, m.fallback(ch))
		return st
	}
	for fin := ch.fin; fin != 0; fin &= fin - 1 {
		if m.allowed(ch, bits.TrailingZeros8(fin)) {
			m.close = true
		}
	}
	chosen := b
	if m.noisy {
		chosen = m.noisyPick(ch, ch.val[b]-m.noise)
	} else {
		chosen = m.prefer(ch, b)
	}
	m.margin = math.Inf(1)
	if next := m.topBut(ch, everyone, chosen); next >= 0 {
		m.margin = ch.val[chosen] - ch.val[next]
	}
	*c = ch.command(id, chosen)
	return st
}

func (ch *placements) command(id string, i int) game.Command {
	if i != discardCand {
		return game.SwapCmd(id, i)
	}
	return game.DiscardCmd(id)
}

// noisyPick draws uniformly among the allowed candidates worth at least
// floor (docs/ai.md §2.8 noise).
func (m *mind) noisyPick(ch *placements, floor float64) int {
	var pool [7]int
	k := 0
	for i := range ch.n {
		if ch.val[i] >= floor && m.allowed(ch, i) {
			pool[k] = i
			k++
		}
	}
	return pool[m.rnd.IntN(k)]
}

// prefer is the choice without noise, given b, the best allowed candidate:
// a deck card is discarded unless some Swap beats the discard; otherwise
// the best Swap, near-ties broken by the personality's preference, then the
// lowest position (docs/ai.md §2.8).
func (m *mind) prefer(ch *placements, b int) int {
	bestSwap := b // the best of all is the best Swap when it is one
	if b == discardCand {
		bestSwap = m.top(ch, swaps)
	}
	d := ch.n - 1
	if bestSwap < 0 || (d == discardCand && ch.val[d] >= ch.val[bestSwap] && m.allowed(ch, d)) {
		return d
	}
	floor := ch.val[bestSwap] - tieWindow
	var tied [6]int
	k := 0
	for i := range 6 {
		if ch.val[i] >= floor && m.allowed(ch, i) {
			tied[k] = i
			k++
		}
	}
	if m.p.tie == tieRandom {
		return tied[m.rnd.IntN(k)]
	}
	pick := tied[0]
	for _, i := range tied[1:k] {
		if m.rank(ch, i) > m.rank(ch, pick) {
			pick = i
		}
	}
	return pick
}
