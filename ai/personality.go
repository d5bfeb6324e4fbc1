package ai

import (
	"math"
	"math/rand/v2"

	"golf/game"
)

// Shared constants of docs/ai.md §2.9.
const (
	takeThreshold  = 2.5  // τ: take the discard top when it is worth this much
	denialOffset   = 3.0  // a gift to the next player counts beyond this
	tieWindow      = 0.25 // candidates this close are tied
	behindMargin   = 3.0  // (B): finishing must beat waiting by this much
	standingsScale = 15.0 // points of lead for the full standings signal
	adaptA, adaptT = 0.3, 1.5
	penaltyFloor   = 2.0 // the go-out need under knock_penalty
	stalemateTurn  = 12  // own turns before the need starts to fall
	stalemateStep  = 0.5
	blindCap       = 8 // a card worth this much never goes blind without a pair
)

var negInf = math.Inf(-1)

// player is a personality at a seat. It caches the tables of the last
// options it saw, so one player must not decide for two seats at once;
// New returns a fresh one each call.
//
// Its fields that hold pointers come first, and within them too: the
// collector scans an object only as far as its last pointer, and a table
// seats a player per CPU seat (4.4 KB, which had all been scanned at every
// collection for the sake of a slice at its end).
type player struct {
	p     *personality
	saw   sight // what m's table was read from at the start of a turn
	m     mind  // reused: a decision's working state is large
	rules rules
}

// mind is one decision: the table seen from the seat, the personality's
// dials as the round and the scoreboard move them (docs/ai.md §2.3), and the
// random source.
type mind struct {
	p     *personality
	rnd   *rand.Rand
	table      // its pointers first (see player)
	noisy bool // this decision is made with noise (probability U)

	f, aEff, muT float64
	tEff         float64 // T_eff
	relief       int     // own turns past the stalemate turn (docs/ai.md §2.5)
	need         float64 // go-out need before the per-card term
	noise        float64 // the noise window W
	est0, tgt0   float64
	tgtCol       [3]float64       // target(own hand, c), for tgtAfter
	den          [nGroups]float64 // denial per group, once worked out
	tgtOf        [nGroups]float64 // targetOf per group, once worked out
	denOK        uint16           // bit g: den[g] is worked out
	tgtOfOK      uint16           // bit g: tgtOf[g] is worked out

	// for the thinking delay
	margin float64 // how far the chosen move beats the next best
	close  bool    // the decision was whether to finish or knock

	// taking is turnStart's evaluation of taking the discard top, kept
	// (topOK) for the placement that follows the draw.
	taking placements
	topOK  bool
}

// Decide returns the personality's command for the view's seat and how long
// a person would think before sending it (docs/ai.md §2, §4). It returns the zero
// Decision when the seat has nothing to do.
func (pl *player) Decide(v *game.View, r *rand.Rand) (d Decision) {
	pl.decideInto(v, r, &d)
	return d
}

// decideInto is Decide writing the decision into d (see DecideInto).
func (pl *player) decideInto(v *game.View, r *rand.Rand, d *Decision) {
	if v.Seat < 0 || v.Seat >= len(v.Seats) || v.Decks < 1 || v.Seats[v.Seat].Left {
		*d = Decision{}
		return
	}
	me := &v.Seats[v.Seat]
	if pl.rules.set(&v.Options, v.Decks) {
		pl.saw.ok = false
	}
	m := &pl.m
	m.p, m.rnd, m.v, m.r = pl.p, r, v, &pl.rules
	m.margin, m.close, m.noisy, m.final = 0, false, false, v.Phase == game.PhaseFinalTurn
	id := me.ID
	switch {
	case v.Phase == game.PhaseInitialFlip:
		if me.Flipped || v.Options.InitialFlips == 0 {
			*d = Decision{}
			return
		}
		initialFlips(id, m.r.opts.InitialFlips, m.rnd, &d.Command)
		d.Delay = m.delay(stepInitial)
		return
	case (v.Phase != game.PhasePlaying && v.Phase != game.PhaseFinalTurn) || v.Current != v.Seat:
		*d = Decision{}
		return
	}
	// After its own draw a seat's view differs from the one it started the
	// turn with only by the card it holds: the table is updated for that
	// card rather than read again. A card off the pile leaves μ, the dials
	// and the evaluation of taking it as they were.
	drew := v.Step == game.StepHolding && pl.saw.follows(v)
	pl.saw.ok = false
	if drew {
		m.drew(v)
	} else {
		m.load(&pl.rules, v)
		m.topOK = false
	}
	m.noisy = m.p.U > 0 && r.Float64() < m.p.U
	switch {
	case !drew:
		m.dials()
	case m.heldFrom == game.SourceDeck:
		m.poolDials() // the standings, the turn and the grids are as they were
		m.topOK = false
	}
	if v.Step == game.StepTurnStart && m.exact {
		pl.saw.save(v)
	}
	// The command goes straight into the result: a game.Command is large.
	var st delayStep
	switch v.Step {
	case game.StepTurnStart:
		m.turnStart(id, &d.Command)
		st = stepTurnStart
	case game.StepHolding:
		st = m.placement(id, &d.Command)
	case game.StepFlipOwed:
		m.flipOwed(id, &d.Command)
		st = stepFlip
	default:
		d.Command = game.Command{}
	}
	d.Delay = m.delay(st)
}

// dials works out f, s, A_eff, T_eff and μ_T (docs/ai.md §2.3).
func (m *mind) dials() {
	v := m.v
	p := m.p
	fewest, lowest := 6, math.MaxInt
	for o := range m.n {
		if o == m.me || !m.in[o] {
			continue
		}
		fewest = min(fewest, int(m.down[o]))
		lowest = min(lowest, v.Seats[o].Total)
	}
	switch {
	case m.final || fewest <= 1:
		m.f = 0
	case fewest == 2:
		m.f = 0.5
	default:
		m.f = 1
	}
	s := 0.0
	if v.Rounds > 1 && lowest != math.MaxInt {
		g := float64(lowest - v.Seats[m.me].Total)
		s = clamp(g/standingsScale, -1, 1) * float64(v.Round-1) / float64(v.Rounds-1)
	}
	m.aEff = clamp(p.A+adaptA*p.D*s, 0, 1)
	m.tEff = 6 + (p.T-adaptT*p.D*s-6)*m.f
	m.noise = 1 + 8*p.U

	m.need = 1.5 - 3*m.aEff
	m.relief = 0
	if extra := v.Seats[m.me].Turns + 1 - stalemateTurn; extra > 0 {
		// Stalemate relief: a long round makes going out and blind swaps
		// steadily more acceptable, so that it ends.
		m.relief = extra
		m.need -= stalemateStep * float64(extra)
	}
	if m.r.opts.KnockPenalty {
		m.need = max(m.need, penaltyFloor)
	}
	m.poolDials()
}

// poolDials works out the dials that follow μ and the unseen counts: μ_T,
// the seat's own estimate and its open targets. After a deck draw they are
// all that change.
func (m *mind) poolDials() {
	m.muT = m.mu + (m.tEff - 6)
	if m.relief > 0 {
		m.muT += stalemateStep * float64(m.relief)
	}
	m.est0 = m.opponentEst(m.me)
	m.denOK, m.tgtOfOK = 0, 0
	m.tgt0 = 0
	if m.f != 0 && m.p.H != 0 && m.total != 0 {
		h := &m.hand[m.me]
		for c := range 3 {
			if m.r.bonus {
				m.tgtCol[c] = m.target(h, c)
				continue
			}
			// Without the bonus rules a target's worth depends on its card alone.
			m.tgtCol[c] = 0
			switch top, bot := h[c], h[c+3]; {
			case top >= 0 && bot == down:
				m.tgtCol[c] = m.targetOf(top)
			case top == down && bot >= 0:
				m.tgtCol[c] = m.targetOf(bot)
			}
		}
		m.tgt0 = m.p.H * m.f * (m.tgtCol[0] + m.tgtCol[1] + m.tgtCol[2])
	}
}

// tgt is tgt(hand) of docs/ai.md §2.2: what the open pair targets are worth.
func (m *mind) tgt(h *hand) float64 {
	if m.f == 0 || m.p.H == 0 || m.total == 0 {
		return 0
	}
	return m.p.H * m.f * (m.target(h, 0) + m.target(h, 1) + m.target(h, 2))
}

// tgtAfter is tgt of the hand after Swap(p) of group g. Without the bonus
// rules a column's target depends on that column alone: the new card is an
// open target exactly when its partner is face-down.
func (m *mind) tgtAfter(g int8, p int) float64 {
	if m.f == 0 || m.p.H == 0 || m.total == 0 {
		return 0
	}
	h := &m.hand[m.me]
	if o := &m.r.opts; o.Wolfpack || o.FourOfAKind {
		a := *h
		a[p] = g
		return m.tgt(&a)
	}
	t := 0.0
	if h[partner(p)] == down {
		t = m.targetOf(g)
	}
	return m.tgt0 + m.p.H*m.f*(t-m.tgtCol[column(p)])
}

// targetOf is p_r · max(0, w_r) of an open target of group g, without the
// bonus rules, cached per decision.
func (m *mind) targetOf(g int8) float64 {
	if m.tgtOfOK&(1<<g) != 0 {
		return m.tgtOf[g]
	}
	r := m.r
	// min and max by comparison: nothing here is NaN, and a zero's sign
	// changes no decision.
	pr := 2 * float64(m.rankCount(r.rank[g])) / float64(m.total)
	if pr > 1 {
		pr = 1
	}
	w := r.val[g] + m.mu - r.pair[g][g]
	t := 0.0
	if w > 0 {
		t = pr * w
	}
	m.tgtOf[g] = t
	m.tgtOfOK |= 1 << g
	return t
}

// target is p_r · max(0, w_r) for column c of h if it holds an open
// target: an unpaired face-up card over a face-down one.
func (m *mind) target(h *hand, c int) float64 {
	r := m.r
	o := &r.opts
	x := h[c]
	switch {
	case x >= 0 && h[c+3] == down:
	case x == down && h[c+3] >= 0:
		x = h[c+3]
	default:
		return 0
	}
	rk := r.rank[x]
	pr := min(1, 2*float64(m.rankCount(rk))/float64(m.total))
	w := r.val[x] + m.mu - r.pair[x][x]
	if o.Wolfpack || o.FourOfAKind {
		jacks, same := 0, false
		for k := range 3 {
			if k == c {
				continue
			}
			switch pk := m.pairRank(h, k); {
			case pk == gJack:
				jacks++
				same = same || rk == gJack
			case pk == rk:
				same = true
			}
		}
		if o.Wolfpack && rk == gJack && jacks == 1 {
			w += 20
		}
		if o.FourOfAKind && same && !m.hasFour(h) {
			w += 20
		}
	}
	return pr * max(0, w)
}

// hasFour reports whether h's face-up pairs already earn four_of_a_kind.
func (m *mind) hasFour(h *hand) bool {
	p0, p1, p2 := m.pairRank(h, 0), m.pairRank(h, 1), m.pairRank(h, 2)
	return (p0 >= 0 && (p0 == p1 || p0 == p2)) || (p1 >= 0 && p1 == p2)
}

// denial is what leaving group g on top of the discard pile costs (ai.md
// §2.2): the gain it hands the next player, beyond 3 points.
func (m *mind) denial(g int8) float64 {
	if g >= 0 && m.denOK&(1<<g) != 0 {
		return m.den[g]
	}
	return m.newDenial(g)
}

func (m *mind) newDenial(g int8) float64 {
	if m.next < 0 || g < 0 {
		return 0
	}
	gn := m.bestGain(m.next, g)
	m.den[g] = (1 - m.aEff/2) * max(0, gn-denialOffset)
	m.denOK |= 1 << g
	return m.den[g]
}

// likelyWinner is test (W) of docs/ai.md §2.5 for a finishing move: mine is the
// seat's estimated hand afterwards (before knock_bonus), u the number of own
// cards the move turns up unseen, and left the known card it leaves on the
// discard pile (or down).
func (m *mind) likelyWinner(mine float64, u int, left int8) bool {
	if m.r.opts.KnockBonus {
		mine -= 5
	}
	lead := math.Inf(1)
	for o := range m.n {
		if o == m.me || !m.in[o] {
			continue
		}
		l := max(0, m.worstUnpaired(o)-m.mu)
		if left >= 0 {
			l = max(l, m.bestGain(o, left))
		}
		lead = min(lead, m.opponentEst(o)-l)
	}
	return lead-mine >= m.need+1.5*(1-m.aEff)*float64(u)
}

// behindAnyway is test (B) of docs/ai.md §2.5: without knock_penalty, a finish
// worth val may be taken when it beats the best way of going on, rest, by
// the (B) margin.
func (m *mind) behindAnyway(val, rest float64) bool {
	return !m.r.opts.KnockPenalty && val >= rest+behindMargin
}

// finishCredit is what passing test W adds to a finishing move's value.
func (m *mind) finishCredit() float64 { return 1 + 2*m.aEff }

// takeBound is an upper bound on what holding hd's card is worth: the
// value of each Swap before denial, flags and the blind-swap cap, plus the
// finish credit a finishing Swap may earn.
func (m *mind) takeBound(hd *holding) float64 {
	h := &m.hand[m.me]
	hf := m.p.H * m.f
	targets := hf != 0 && m.total != 0
	bonus := m.r.bonus
	tg := 0.0
	if targets && !bonus {
		tg = m.targetOf(hd.g)
	}
	blind, credit := m.muT-m.mu, m.finishCredit()
	bound := negInf
	for p := range 6 {
		v := hd.gain[p]
		switch {
		case targets && bonus:
			v += m.tgtAfter(hd.g, p) - m.tgt0
		case targets:
			t := 0.0
			if h[partner(p)] == down {
				t = tg
			}
			v += hf * (t - m.tgtCol[column(p)])
		}
		if h[p] == down {
			v += blind
		}
		if hd.fin[p] {
			v += credit
		}
		if v > bound {
			bound = v
		}
	}
	// Rounding differs from the exact values by far less than this.
	return bound + 1e-9
}

// turnStart is docs/ai.md §2.4 rules 2–4 (and §2.6 on the final turn).
func (m *mind) turnStart(id string, c *game.Command) {
	o := &m.r.opts
	top := m.topGroup()
	down := int(m.down[m.me])
	gTop, giftIgnored := negInf, false
	if top >= 0 && !m.v.PutBack { // put back this turn: the pile is closed to us (rules §6.4)
		ch := &m.taking
		m.hold(top, game.SourceDiscard, &ch.hd)
		giftIgnored = m.giftFlags(&ch.hd) != 0
		// Usually the top is plainly not worth taking: when no placement can
		// come near τ, the choice (and its class, easy) needs no more work.
		// Knocks, flips as action and the final turn need g_top itself.
		plain := !m.final && !giftIgnored && !(o.KnockEarly && (down == 1 || down == 2)) &&
			!(o.FlipAsAction && o.FlipMode != game.FlipAlways)
		if bound := m.takeBound(&ch.hd); plain && bound <= takeThreshold-3 {
			m.margin = takeThreshold - bound
			*c = game.DrawCmd(id, game.SourceDeck)
			return
		}
		m.choose(top, game.SourceDiscard, ch, true)
		m.topOK = true
		if b := m.best(ch); b >= 0 {
			gTop = ch.val[b]
		}
	}
	gDeck := math.NaN()
	deckWorth := func() float64 {
		if gDeck != gDeck {
			gDeck = m.deckWorth()
		}
		return gDeck
	}
	if !m.final && m.playing() {
		// Rule 2: knock.
		// A knock turns every face-down card up: the targets go, nothing
		// else changes in expectation. Waiting is worth the better draw.
		if o.KnockEarly && (down == 1 || down == 2) {
			m.close = true
			val := -m.tgt0
			ok := m.likelyWinner(m.est0, down, top) ||
				(val >= gTop+behindMargin && m.behindAnyway(val, max(gTop, deckWorth())))
			if ok && m.outFlags(m.est0) == 0 {
				*c = game.KnockCmd(id)
				return
			}
		}
		// Rule 3: flip as the whole turn.
		if o.FlipAsAction && o.FlipMode != game.FlipAlways && gTop < takeThreshold &&
			deckWorth() < 1-m.aEff {
			pos := m.preferredFlip(false)
			if down != 1 {
				*c = game.FlipAsActionCmd(id, pos)
				return
			}
			m.close = true
			ok := m.likelyWinner(m.est0, 1, top) || m.behindAnyway(-m.tgt0, max(gTop, deckWorth()))
			if ok && m.outFlags(m.est0) == 0 {
				*c = game.FlipAsActionCmd(id, pos)
				return
			}
		}
	}
	// Rule 4, or §2.6 on the final turn (with nothing to take, the deck it is).
	threshold := takeThreshold
	if m.final && gTop > negInf {
		threshold = deckWorth()
	}
	take := gTop >= threshold
	m.margin = math.Abs(gTop - threshold)
	if m.noisy && gTop > 0 && !giftIgnored && math.Abs(gTop-threshold) <= m.noise {
		take = m.rnd.IntN(2) == 0
	}
	if giftIgnored && gTop > negInf {
		take = true
	}
	if take && gTop > negInf {
		*c = game.DrawCmd(id, game.SourceDiscard)
		return
	}
	*c = game.DrawCmd(id, game.SourceDeck)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rank orders tied Swaps by the personality's preference; a higher rank
// wins, and among equal ranks the lowest position (the first seen).
func (m *mind) rank(ch *placements, i int) int {
	up, pair, target := int(ch.up>>i&1), int(ch.pair>>i&1), int(ch.target>>i&1)
	switch m.p.tie {
	case tieFaceUp:
		return up
	case tieFaceDown:
		return 1 - up
	case tiePairTarget:
		return 2*pair + target
	case tiePairFaceDown:
		return 2*pair + 1 - up
	}
	return 0
}

// preferredFlip is docs/ai.md §2.4 rule 7: the face-down slot under the highest
// unpaired face-up card, to learn whether that column can be saved; else a
// random face-down slot. With noise, any face-down slot; the caller keeps
// the last one to the go-out test.
func (m *mind) preferredFlip(noisy bool) int {
	h := &m.hand[m.me]
	if noisy {
		return m.randomDown()
	}
	pos, hi := -1, negInf
	for p := range 6 {
		if q := h[partner(p)]; h[p] == down && q >= 0 && m.r.val[q] > hi {
			pos, hi = p, m.r.val[q]
		}
	}
	if pos >= 0 {
		return pos
	}
	return m.randomDown()
}

func (m *mind) randomDown() int {
	h := &m.hand[m.me]
	j := m.rnd.IntN(max(1, int(m.down[m.me])))
	for p := range 6 {
		if h[p] == down {
			if j == 0 {
				return p
			}
			j--
		}
	}
	return 0
}

// flipOwed is docs/ai.md §2.4 rule 7 after a Discard.
func (m *mind) flipOwed(id string, c *game.Command) {
	pos := m.preferredFlip(m.noisy)
	if m.v.Flip == game.FlipRequired {
		*c = game.FlipCmd(id, pos)
		return
	}
	if m.final {
		*c = game.SkipFlipCmd(id)
		return
	}
	if m.flipFinishes() {
		m.close = true
		ok := m.likelyWinner(m.est0, 1, m.topGroup()) || m.behindAnyway(-m.tgt0, 0)
		if !ok || m.outFlags(m.est0) != 0 {
			*c = game.SkipFlipCmd(id)
			return
		}
	}
	*c = game.FlipCmd(id, pos)
}

// initialFlips is docs/ai.md §2.4 rule 1: it writes into c a flip of n
// positions (0–2) in different columns, uniformly at random. The grid is
// symmetric before anything is seen, so every CPU player, the expert too,
// turns its first cards this way.
func initialFlips(id string, n int, rnd *rand.Rand, c *game.Command) {
	switch n {
	case 1:
		*c = game.FlipInitialCmd(id, rnd.IntN(6))
		return
	case 2:
		k := rnd.IntN(12)
		skip := k / 4 // the column left out
		a, b := 0, 1
		switch skip {
		case 0:
			a, b = 1, 2
		case 1:
			a, b = 0, 2
		}
		*c = game.FlipInitialCmd(id, a+3*(k&1), b+3*(k>>1&1))
		return
	}
	*c = game.Command{}
}
