package ai

import "golf/game"

// The expert's exact evaluator (ai.md §3.2 layer 1): the expected score of a
// hand whose face-down cards are uniform draws from the unseen pool H.
//
// The expectation of a column sum is exact by linearity: each face-down
// card's marginal is H, and the two face-down cards of one column are drawn
// without replacement. Only the round-end rules that are not linear in the
// columns (blackjack, wolfpack, four_of_a_kind) treat the columns as
// independent given H.

// The expert counts cards by the personalities' groups (rules). Column
// scores lie in [-colOff, colSpan-colOff); three columns in
// [-3·colOff, 3·colSpan-3·colOff).
const (
	colOff  = 16
	colSpan = 40
	sumOff  = 3 * colOff
	sumSpan = 3 * colSpan
)

// xRules are the personalities' tables of a game's options (rules) and
// what only the expert's evaluator needs of them.
type xRules struct {
	rules
	col    [nGroups][nGroups]int // the score of a column of two known groups
	nonlin bool                  // blackjack, wolfpack or four_of_a_kind
}

// set fills x for the options and decks unless it holds them already.
func (x *xRules) set(o *game.Options, decks int) {
	if !x.rules.set(o, decks) {
		return
	}
	for a := range nGroups {
		for b := range nGroups {
			if x.rank[a] == x.rank[b] {
				x.col[a][b] = int(x.pair[a][b])
			} else {
				x.col[a][b] = x.ival[a] + x.ival[b]
			}
		}
	}
	x.nonlin = o.Blackjack || o.Wolfpack || o.FourOfAKind
}

// xPool is an unseen pool by group, with the column tables that follow
// from it.
type xPool struct {
	x   *xRules
	k   [nGroups]float64
	n   float64
	p   [nGroups]float64 // k/n
	one [nGroups]float64 // E[column] of a known group over one face-down card
	two float64          // E[column] of two face-down cards
	mu  float64

	// Lazily, for the non-linear rules: pair-rank and score distributions
	// of a column with one known group (by group) and of two face-down cards.
	oneOK  [nGroups]bool
	oneDst [nGroups]colDist
	twoOK  bool
	twoDst colDist
}

// colDist is a column's distribution: P(pair of each rank) and P(score).
type colDist struct {
	pair  [14]float64
	score [colSpan]float64
}

// fill sets the pool from counts by group (negative counts read as 0).
func (pl *xPool) fill(x *xRules, k *[nGroups]int) {
	pl.x = x
	pl.n, pl.mu = 0, 0
	for g := range nGroups {
		c := float64(max(k[g], 0))
		pl.k[g] = c
		pl.n += c
		pl.mu += c * x.val[g]
	}
	pl.oneOK = [nGroups]bool{}
	pl.twoOK = false
	if pl.n == 0 {
		// Nothing is unseen (a view that does not fit its game): count a
		// face-down card as nothing rather than divide by zero.
		pl.p, pl.one, pl.two = [nGroups]float64{}, [nGroups]float64{}, 0
		for a := range nGroups {
			pl.one[a] = x.val[a]
		}
		return
	}
	pl.mu /= pl.n
	for g := range nGroups {
		pl.p[g] = pl.k[g] / pl.n
	}
	for a := range nGroups {
		s := 0.0
		for g := range nGroups {
			if pl.p[g] != 0 {
				s += pl.p[g] * float64(x.col[a][g])
			}
		}
		pl.one[a] = s
	}
	if pl.n < 2 {
		pl.two = 2 * pl.mu
		return
	}
	s := 0.0
	for a := range nGroups {
		if pl.k[a] == 0 {
			continue
		}
		for b := range nGroups {
			kb := pl.k[b]
			if a == b {
				kb--
			}
			if kb > 0 {
				s += pl.k[a] * kb * float64(x.col[a][b])
			}
		}
	}
	pl.two = s / (pl.n * (pl.n - 1))
}

// colMean is E[score] of a column of slots a (top) and b (bottom).
func (pl *xPool) colMean(a, b int8) float64 {
	switch {
	case a >= 0 && b >= 0:
		return float64(pl.x.col[a][b])
	case a >= 0:
		return pl.one[a]
	case b >= 0:
		return pl.one[b]
	}
	return pl.two
}

// linear is the expected column sum of h: the hand score without the
// non-linear rules, exact given H.
func (pl *xPool) linear(h *hand) float64 {
	return pl.colMean(h[0], h[3]) + pl.colMean(h[1], h[4]) + pl.colMean(h[2], h[5])
}

// mean is E[hand score | H] with every scoring rule of the hand (rules
// §7.2) and blackjack (§7.3): the linear part plus the expected bonuses and
// the blackjack refund.
func (pl *xPool) mean(h *hand) float64 {
	e := pl.linear(h)
	if !pl.x.nonlin {
		return e
	}
	return e + pl.nonlinear(h)
}

// nonlinear is E[bonuses + blackjack adjustment] of h.
func (pl *xPool) nonlinear(h *hand) float64 {
	x := pl.x
	o := &x.opts
	var d [3]*colDist
	var own [3]colDist
	for c := range 3 {
		d[c] = pl.dist(h[c], h[c+3], &own[c])
	}
	adj := 0.0
	if o.Wolfpack {
		q0, q1, q2 := d[0].pair[gJack], d[1].pair[gJack], d[2].pair[gJack]
		adj -= 20 * (q0*q1 + q0*q2 + q1*q2 - 2*q0*q1*q2)
	}
	if o.FourOfAKind {
		// P(two columns pair with the same rank), by inclusion-exclusion
		// over the three pairs of columns.
		p01, p02, p12, all := 0.0, 0.0, 0.0, 0.0
		for r := range 14 {
			a, b, c := d[0].pair[r], d[1].pair[r], d[2].pair[r]
			p01 += a * b
			p02 += a * c
			p12 += b * c
			all += a * b * c
		}
		adj -= 20 * (p01 + p02 + p12 - 2*all)
	}
	if o.Blackjack {
		adj -= 21 * pl.p21(d, h)
	}
	return adj
}

// p21 is P(hand score = 21), from the column score distributions. With the
// bonus rules on, a hand that earns a bonus cannot then total 21 from its
// columns alone; that interplay is ignored (both are rare together).
func (pl *xPool) p21(d [3]*colDist, h *hand) float64 {
	var ab [2*colSpan - 1]float64
	for i, pa := range d[0].score {
		if pa == 0 {
			continue
		}
		for j, pb := range d[1].score {
			if pb != 0 {
				ab[i+j] += pa * pb
			}
		}
	}
	// score = (i - colOff) + (j - colOff) + (k - colOff) = 21
	p := 0.0
	for s, pab := range ab {
		if pab == 0 {
			continue
		}
		k := 21 + 3*colOff - s
		if k >= 0 && k < colSpan {
			p += pab * d[2].score[k]
		}
	}
	return p
}

// dist returns the distribution of a column, in own for a known column.
func (pl *xPool) dist(a, b int8, own *colDist) *colDist {
	x := pl.x
	switch {
	case a >= 0 && b >= 0:
		*own = colDist{}
		if x.rank[a] == x.rank[b] {
			own.pair[x.rank[a]] = 1
		}
		own.score[clampCol(x.col[a][b])] = 1
		return own
	case a >= 0 || b >= 0:
		k := max(a, b)
		if !pl.oneOK[k] {
			pl.oneOK[k] = true
			d := &pl.oneDst[k]
			*d = colDist{}
			for g := range nGroups {
				pg := pl.p[g]
				if pg == 0 {
					continue
				}
				if x.rank[g] == x.rank[k] {
					d.pair[x.rank[k]] += pg
				}
				d.score[clampCol(x.col[k][g])] += pg
			}
		}
		return &pl.oneDst[k]
	}
	if !pl.twoOK {
		pl.twoOK = true
		d := &pl.twoDst
		*d = colDist{}
		if pl.n >= 2 {
			nn := pl.n * (pl.n - 1)
			for g := range nGroups {
				if pl.k[g] == 0 {
					continue
				}
				for q := range nGroups {
					kq := pl.k[q]
					if g == q {
						kq--
					}
					if kq <= 0 {
						continue
					}
					pr := pl.k[g] * kq / nn
					if x.rank[g] == x.rank[q] {
						d.pair[x.rank[g]] += pr
					}
					d.score[clampCol(x.col[g][q])] += pr
				}
			}
		}
	}
	return &pl.twoDst
}

func clampCol(s int) int { return min(max(s+colOff, 0), colSpan-1) }
