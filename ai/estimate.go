package ai

import (
	"math"

	"golf/game"
)

// Cards are counted by (rank, value) group (docs/ai.md §2.1): one group per rank,
// the joker, and under one_eyed_jacks a second Jack group for JH/JS.
const (
	gJack    = int8(game.Jack - game.Ace)
	gJoker   = 13
	gOneEyed = 14 // JH and JS under one_eyed_jacks
	nGroups  = 15
	down     = int8(-1) // a face-down slot in a hand of groups
)

// rules are the tables a game's options and deck count give: each group's
// value and rank, pair scores and the composition of the decks. They come
// from the engine's own Value and PairScore (rules decision 16); nothing
// here knows a card's points by itself.
type rules struct {
	opts  game.Options
	decks int

	val    [nGroups]float64
	rank   [nGroups]int8 // groups pair when their ranks are equal
	card   [nGroups]game.Card
	pair   [nGroups][nGroups]float64 // pair score of two same-rank groups
	comp   [nGroups]int16            // cards of each group in the game
	groups [16][8]int8               // group by rank and suit (masked: no bounds checks)
	// slot is the group of a grid slot by up<<7 | rank<<3 | suit: down for
	// every face-down slot, so that reading a grid takes no branches.
	slot   [256]int8
	ival16 [16]int // ival, and 0 for down (as 15)
	// rankA and rankB are rank by group with down (as 15) at -1 and -2,
	// so that two slots pair exactly when rankA[a&15] == rankB[b&15].
	rankA, rankB [16]int8
	bonus        bool         // wolfpack or four_of_a_kind is on
	ival         [nGroups]int // val as an integer
	compN        int          // cards in the game
	compV        int          // their total value
}

// set fills r for the options and deck count, unless it already holds
// them; it reports whether it changed r.
func (r *rules) set(o *game.Options, decks int) bool {
	// Small enough to inline: nearly every call finds the tables it needs.
	if r.decks == decks && r.opts == *o && decks > 0 {
		return false
	}
	r.fill(o, decks)
	return true
}

// fill works out the tables for the options and deck count.
func (r *rules) fill(o *game.Options, decks int) {
	r.opts, r.decks = *o, decks
	for g := range nGroups {
		var c game.Card
		switch g {
		case gJoker:
			c = game.Card{Rank: game.Joker}
		case gOneEyed:
			c = game.Card{Rank: game.Jack, Suit: game.Hearts}
		case int(gJack):
			c = game.Card{Rank: game.Jack, Suit: game.Clubs}
		default:
			c = game.Card{Rank: game.Rank(g) + game.Ace, Suit: game.Spades}
		}
		r.card[g] = c
		r.val[g] = float64(o.Value(c))
		r.rank[g] = int8(c.Rank - game.Ace)
		r.comp[g] = int16(4 * decks)
	}
	r.rank[gOneEyed] = gJack
	r.comp[gOneEyed] = 0
	if o.OneEyedJacks {
		r.comp[gJack], r.comp[gOneEyed] = int16(2*decks), int16(2*decks)
	}
	switch o.Jokers {
	case game.JokersNone:
		r.comp[gJoker] = 0
	case game.JokersLuckySwing:
		r.comp[gJoker] = 1
	default:
		r.comp[gJoker] = int16(2 * decks)
	}
	for a := range nGroups {
		for b := range nGroups {
			if r.rank[a] == r.rank[b] {
				r.pair[a][b] = float64(o.PairScore(r.card[a], r.card[b]))
			}
		}
	}
	for rk := game.Ace; rk <= game.Joker; rk++ {
		for su := range game.Clubs + 1 {
			g := int8(rk - game.Ace)
			switch {
			case rk == game.Joker:
				g = gJoker
			case rk == game.Jack && o.OneEyedJacks && (game.Suit(su) == game.Hearts || game.Suit(su) == game.Spades):
				g = gOneEyed
			}
			r.groups[rk][su] = g
		}
	}
	for i := range r.slot {
		r.slot[i] = down
		if i>>7 != 0 {
			r.slot[i] = r.groups[i>>3&15][i&7]
		}
	}
	for g := range nGroups {
		r.rankA[g], r.rankB[g] = r.rank[g], r.rank[g]
	}
	r.rankA[15], r.rankB[15] = -1, -2
	r.bonus = o.Wolfpack || o.FourOfAKind
	r.compN, r.compV = 0, 0
	for g := range nGroups {
		r.ival[g] = int(r.val[g])
		r.ival16[g] = r.ival[g]
		r.compN += int(r.comp[g])
		r.compV += int(r.comp[g]) * r.ival[g]
	}
}

// group is a card's (rank, value) group under the options. A value that is
// no card (never in a view) counts as an ace.
func (r *rules) group(c game.Card) int8 {
	return r.groups[c.Rank&15][c.Suit&7]
}

// hand is a grid as groups, down for a face-down slot.
type hand [6]int8

// table is what one decision knows, worked out from a seat's view only
// (docs/ai.md §2.1): the unseen pool, its mean, each seated player's face-up
// cards, and who acts next. It is built on the stack for every decision.
// The estimates of the other seats are worked out only when a rule asks
// for them: most decisions need the seat's own hand and the next player's.
type table struct {
	r    *rules
	v    *game.View
	me   int
	n    int // seats
	hand [game.MaxPlayers]hand
	in   [game.MaxPlayers]bool // seated and dealt in
	down [game.MaxPlayers]int8 // face-down cards

	count  [nGroups]int16 // unseen cards of each group
	byRank [14]int16      // unseen cards of each rank, once ranked
	ranked bool           // byRank is worked out
	total  int            // N, the size of the pool
	mu     float64        // mean value of the pool
	vm     [16]float64    // value by group, and μ for down (as 15): what est counts a slot at
	seen   int            // visible cards
	value  int            // their total value
	exact  bool           // the view fits its game: the pool was counted from it

	// col is est(column) of a seat's columns; raw is their sum plus the
	// bonuses (est before blackjack), bon the bonuses alone. Only the seats
	// in estimated are worked out (see seatEst).
	col       [game.MaxPlayers][3]float64
	raw, bon  [game.MaxPlayers]float64
	estimated uint8

	// The next player's slots for bestGain without the bonus rules: a card
	// of group g at p gains nb[p] − val(g), or np[p] − pair score when it
	// pairs with the partner card, whose group is nq[p] and rank nr[p] (−1
	// when face-down). Worked out on the first denial (see nextSlots).
	nb, np    [6]float64
	nq, nr    [6]int8
	nbMax     float64 // the highest nb
	nRanks    uint16  // bit r: some nr is r
	nextReady bool

	final bool // phase final_turn: someone has gone out
	next  int  // the next player to act before this seat acts again, or -1

	held     int8 // the held card's group, or down when none is known
	heldFrom game.Source
	paired   uint8 // bit p: the seat's own card at p is in a face-up column pair
}

// load fills t from the view of seat v.Seat, counting the pool as ai.md
// §2.1 says: the game's cards minus every face-up grid card, the whole
// discard pile and the seat's own held card.
func (t *table) load(r *rules, v *game.View) {
	t.r, t.v, t.me, t.n = r, v, v.Seat, len(v.Seats)
	t.final = v.Phase == game.PhaseFinalTurn
	// Count into locals, without branching on what each slot shows: a
	// face-down slot is group down, counted in the spare 16th entry (as
	// 15) at value 0.
	var count [16]int16
	copy(count[:], r.comp[:])
	value := 0
	seen := len(v.Discard)
	dealt := v.Round > 0
	seats := v.Seats
	for i := range seats {
		sv := &seats[i]
		h := &t.hand[i]
		in := !sv.Left && dealt
		t.in[i] = in
		if !in {
			*h = hand{down, down, down, down, down, down}
			t.down[i] = 0
			continue
		}
		nd := 0
		for pos := range h {
			sl := &sv.Cards[pos]
			g := r.slot[(bit(sl.Up)<<7|uint(sl.Card.Rank&15)<<3|uint(sl.Card.Suit&7))&255]
			h[pos] = g
			count[uint8(g)&15]--
			value += r.ival16[uint8(g)&15]
			nd += int(uint8(g) >> 7)
		}
		t.down[i] = int8(nd)
		seen += 6 - nd
	}
	for _, c := range v.Discard {
		g := r.group(c)
		count[g&15]--
		value += r.ival16[g&15]
	}
	copy(t.count[:], count[:nGroups])
	t.held, t.heldFrom = down, game.SourceNone
	if v.Held != nil && !v.Held.Card.IsZero() {
		t.held, t.heldFrom = r.group(v.Held.Card), v.Held.From
		t.count[t.held]--
		seen++
		value += r.ival[t.held]
	}
	t.seen, t.value = seen, value
	t.settle()
}

// drew updates the table for the seat's own draw, read from v, the view
// that follows the one the table was loaded from (see sight): the held
// card is now visible. A card from the deck leaves the unseen pool and
// changes μ; a card off the pile was counted on it already.
func (t *table) drew(v *game.View) {
	r := t.r
	t.v = v
	g := r.group(v.Held.Card)
	t.held, t.heldFrom = g, v.Held.From
	if t.heldFrom != game.SourceDeck {
		return
	}
	t.count[g]--
	t.seen++
	t.value += r.ival[g]
	// Nobody's grid changed: who acts next and the seat's pairs stand.
	t.ranked, t.estimated, t.nextReady = false, 0, false
	t.pool()
	t.seatEst(t.me)
}

// settle works out what follows from the cards a table counts: N and μ,
// who acts next, and the seat's own estimates and face-up pairs.
func (t *table) settle() {
	t.ranked, t.estimated, t.nextReady = false, 0, false
	t.pool()
	t.next = t.nextToAct()
	t.paired = 0
	if t.in[t.me] {
		t.seatEst(t.me)
		h := &t.hand[t.me]
		for c := range 3 {
			if t.pairRank(h, c) >= 0 {
				t.paired |= 1<<c | 1<<(c+3)
			}
		}
	}
}

// pool works out N and μ from the visible cards.
func (t *table) pool() {
	r := t.r
	copy(t.vm[:], r.val[:])
	t.total, t.mu = r.compN-t.seen, 0
	t.exact = t.total > 0 && t.seen <= r.compN
	if !t.exact {
		t.countPool() // an inconsistent hand-built view; never in play
	} else {
		t.mu = float64(r.compV-t.value) / float64(t.total)
	}
	t.vm[15] = t.mu
}

// bit is 1 for true: the compiler turns it into the bool's own byte, where
// a branch on a face-up flag, which follows no pattern, would often be
// mispredicted.
func bit(b bool) uint {
	if b {
		return 1
	}
	return 0
}

// seatEst works out the column estimates of seat i (in play), once.
func (t *table) seatEst(i int) {
	if t.estimated&(1<<i) == 0 {
		t.estimate(i)
	}
}

func (t *table) estimate(i int) {
	t.estimated |= 1 << i
	h := &t.hand[i]
	c := &t.col[i]
	c[0], c[1], c[2] = t.colEst(h[0], h[3]), t.colEst(h[1], h[4]), t.colEst(h[2], h[5])
	t.bon[i] = 0
	if t.r.bonus {
		t.bon[i] = t.bonus(h)
	}
	t.raw[i] = c[0] + c[1] + c[2] + t.bon[i]
}

// nextSlots works out nb, np, nq and nr for the next player, once.
func (t *table) nextSlots() {
	if !t.nextReady {
		t.fillNextSlots()
	}
}

func (t *table) fillNextSlots() {
	o := t.next
	t.seatEst(o)
	h := &t.hand[o]
	r := t.r
	ranks := uint16(0)
	// Slot p's partner is the other card of its column.
	slot := func(p int, e float64, q int8) {
		t.np[p], t.nq[p], t.nr[p] = e, q, -1
		if q >= 0 {
			t.nb[p] = e - r.val[q]
			t.nr[p] = r.rank[q]
			ranks |= 1 << r.rank[q]
		} else {
			t.nb[p] = e - t.mu
		}
	}
	for c := range 3 {
		e := t.col[o][c]
		slot(c, e, h[c+3])
		slot(c+3, e, h[c])
	}
	t.nbMax = t.nb[0]
	for _, b := range t.nb[1:] {
		if b > t.nbMax { // estimates are never NaN
			t.nbMax = b
		}
	}
	t.nRanks, t.nextReady = ranks, true
}

// countPool works out N and μ from t.count, counting what a view that does
// not fit its game shows more than once as nothing.
func (t *table) countPool() {
	n, sum := 0, 0.0
	for g := range nGroups {
		k := max(t.count[g], 0)
		t.count[g] = k
		n += int(k)
		sum += float64(k) * t.r.val[g]
	}
	t.total, t.mu = n, 0
	if n > 0 {
		t.mu = sum / float64(n)
	}
}

// rankCount is k_r: the unseen cards of rank rk.
func (t *table) rankCount(rk int8) int16 {
	if !t.ranked {
		// Group g is rank g, but for the one-eyed Jacks, which are Jacks.
		for g := range gJoker + 1 {
			t.byRank[g] = max(t.count[g], 0)
		}
		t.byRank[gJack] += max(t.count[gOneEyed], 0)
		t.ranked = true
	}
	return t.byRank[rk]
}

// nextToAct is the next player who acts before this seat acts again: the
// next seated player while playing, the next one still owed a final turn
// during final turns (docs/ai.md §2.2 denial).
func (t *table) nextToAct() int {
	for k := 1; k < t.n; k++ {
		i := t.me + k
		if i >= t.n {
			i -= t.n
		}
		if !t.in[i] {
			continue
		}
		if !t.final || t.v.Seats[i].Owed {
			return i
		}
	}
	return -1
}

// colEst is est(column) of docs/ai.md §2.2 for slots a (top) and b (bottom):
// a face-up pair's score, else the two cards' values with μ for a
// face-down one. It looks values up rather than branching on which slots
// are face-up, which follows no pattern. (Adding the same two numbers in
// either order gives the same sum, and μ+μ is 2μ, exactly.)
func (t *table) colEst(a, b int8) float64 {
	r := t.r
	if r.rankA[a&15] == r.rankB[b&15] {
		return r.pair[a][b]
	}
	return t.vm[a&15] + t.vm[b&15]
}

// pairRank is the rank of a face-up column pair, or -1.
func (t *table) pairRank(h *hand, c int) int8 {
	a, b := h[c], h[c+3]
	if a >= 0 && b >= 0 && t.r.rank[a] == t.r.rank[b] {
		return t.r.rank[a]
	}
	return -1
}

// bonus is the wolfpack and four_of_a_kind bonus that a hand's face-up
// pairs already earn (rules §7.2).
func (t *table) bonus(h *hand) float64 {
	o := &t.r.opts
	if !o.Wolfpack && !o.FourOfAKind {
		return 0
	}
	p0, p1, p2 := t.pairRank(h, 0), t.pairRank(h, 1), t.pairRank(h, 2)
	b := 0.0
	if o.Wolfpack {
		j := 0
		for _, p := range [3]int8{p0, p1, p2} {
			if p == gJack {
				j++
			}
		}
		if j >= 2 {
			b -= 20
		}
	}
	if o.FourOfAKind && ((p0 >= 0 && (p0 == p1 || p0 == p2)) || (p1 >= 0 && p1 == p2)) {
		b -= 20
	}
	return b
}

// known reports whether every slot of h is face-up.
func (h *hand) known() bool {
	return h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0 && h[4] >= 0 && h[5] >= 0
}

// downs is the number of face-down slots of h.
func (h *hand) downs() int {
	n := 0
	for _, g := range h {
		if g < 0 {
			n++
		}
	}
	return n
}

// est is est(hand) of docs/ai.md §2.2: the columns, the bonuses earned by
// face-up pairs, and 0 for a fully known 21 under blackjack.
func (t *table) est(h *hand) float64 {
	e := t.colEst(h[0], h[3]) + t.colEst(h[1], h[4]) + t.colEst(h[2], h[5]) + t.bonus(h)
	if e == 21 && t.r.opts.Blackjack && h.known() {
		return 0
	}
	return e
}

// knownScore is the score of a hand's face-up cards alone: face-up pairs
// by their pair score, single face-up cards by value, and the bonuses their
// pairs earn (docs/ai.md §5 broke_pair).
func (t *table) knownScore(h *hand) float64 {
	r := t.r
	s := 0.0
	for c := range 3 {
		a, b := h[c], h[c+3]
		switch {
		case a >= 0 && b >= 0 && r.rank[a] == r.rank[b]:
			s += r.pair[a][b]
		default:
			if a >= 0 {
				s += r.val[a]
			}
			if b >= 0 {
				s += r.val[b]
			}
		}
	}
	return s + t.bonus(h)
}

// partner is the other position of p's column.
func partner(p int) int {
	if p < 3 {
		return p + 3
	}
	return p - 3
}

// column is the column of position p.
func column(p int) int {
	if p < 3 {
		return p
	}
	return p - 3
}

// pairs reports whether h's column of position p is a face-up pair.
func (t *table) pairs(h *hand, p int) bool {
	return t.pairRank(h, column(p)) >= 0
}

// bestGain is g_o(c) of docs/ai.md §2.2: the best gain group g offers seat o from
// o's visible hand, with every face-down card at μ (T = 6, no targets).
func (t *table) bestGain(o int, g int8) float64 {
	if o == t.next && !t.r.bonus {
		t.nextSlots()
		r := t.r
		v, rk := r.val[g], r.rank[g]
		if t.nRanks&(1<<rk) == 0 {
			// g pairs nowhere: the best slot is the one with the highest nb
			// (subtracting v keeps the order, rounding included).
			return t.nbMax - v
		}
		pair := &r.pair[g]
		best := math.Inf(-1)
		for p := range 6 {
			gain := t.nb[p] - v
			if t.nr[p] == rk {
				gain = t.np[p] - pair[t.nq[p]]
			}
			// Estimates are never NaN, so > picks what max would.
			if gain > best {
				best = gain
			}
		}
		return best
	}
	t.seatEst(o)
	h := &t.hand[o]
	bonuses := t.r.bonus
	b0 := t.bon[o]
	best := math.Inf(-1)
	for c := range 3 {
		top, bot := h[c], h[c+3]
		before := t.col[o][c]
		up := before - t.colEst(g, bot)  // g replaces the top card
		low := before - t.colEst(top, g) // g replaces the bottom card
		if bonuses {
			a := *h
			a[c] = g
			up += b0 - t.bonus(&a)
			a[c], a[c+3] = top, g
			low += b0 - t.bonus(&a)
		}
		best = max(best, up, low)
	}
	return best
}

// canPair reports whether seat o shows an unpaired face-up card of g's rank:
// a card of that rank would let o form a column pair (docs/ai.md §5, Dn).
func (t *table) canPair(o int, g int8) bool {
	if o < 0 || g < 0 {
		return false
	}
	h := &t.hand[o]
	for p := range 6 {
		if h[p] >= 0 && t.r.rank[h[p]] == t.r.rank[g] && !t.pairs(h, p) {
			return true
		}
	}
	return false
}

// opponentEst is est(o) of docs/ai.md §2.2 and §5: seat o's visible hand with μ
// for each face-down card.
func (t *table) opponentEst(o int) float64 {
	t.seatEst(o)
	if e := t.raw[o]; e != 21 || !t.r.opts.Blackjack || !t.hand[o].known() {
		return e
	}
	return 0
}

// worstUnpaired is w_o of docs/ai.md §2.5: seat o's highest unpaired face-up
// value, or -Inf.
func (t *table) worstUnpaired(o int) float64 {
	h := &t.hand[o]
	w := math.Inf(-1)
	for p := range 6 {
		if h[p] >= 0 && !t.pairs(h, p) {
			w = max(w, t.r.val[h[p]])
		}
	}
	return w
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }
