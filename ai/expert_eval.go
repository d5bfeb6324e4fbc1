package ai

import "golf/game"

// The expert's exact evaluator (docs/ai.md §3.2 layer 1): the expected score of a
// hand whose face-down cards are uniform draws from the unseen pool H.
//
// The expectation of a column sum is exact by linearity: each face-down
// card's marginal is H, and the two face-down cards of one column are drawn
// without replacement. Only the round-end rules that are not linear in the
// columns (blackjack, wolfpack, four_of_a_kind) treat the columns as
// independent given H.

// The expert counts cards by the personalities' groups (rules). Column
// scores lie in [-columnOffset, columnSpan-columnOffset).
const (
	columnOffset = 16
	columnSpan   = 40
)

// expertRules are the personalities' tables of a game's options (rules)
// and what only the expert's evaluator needs of them.
type expertRules struct {
	rules
	columnScore [nGroups][nGroups]int // the score of a column of two known groups
	nonlinear   bool                  // blackjack, wolfpack or four_of_a_kind
}

// set fills r for the options and decks unless it holds them already.
func (r *expertRules) set(o *game.Options, decks int) {
	if !r.rules.set(o, decks) {
		return
	}
	for a := range nGroups {
		for b := range nGroups {
			if r.rank[a] == r.rank[b] {
				r.columnScore[a][b] = int(r.pair[a][b])
			} else {
				r.columnScore[a][b] = r.ival[a] + r.ival[b]
			}
		}
	}
	r.nonlinear = o.Blackjack || o.Wolfpack || o.FourOfAKind
}

// cardPool is a pool of unseen cards by group, with the column tables
// that follow from it.
type cardPool struct {
	tables      *expertRules
	count       [nGroups]float64
	size        float64
	prob        [nGroups]float64 // count/size
	oneDownMean [nGroups]float64 // E[column] of a known group over one face-down card
	twoDownMean float64          // E[column] of two face-down cards
	cardMean    float64          // μ: E[value] of one card

	// Lazily, for the non-linear rules: pair-rank and score distributions
	// of a column with one known group (by group) and of two face-down cards.
	oneDownDone [nGroups]bool
	oneDownDist [nGroups]columnDist
	twoDownDone bool
	twoDownDist columnDist
}

// columnDist is a column's distribution: P(pair of each rank) and P(score).
type columnDist struct {
	pair  [14]float64
	score [columnSpan]float64 // by score + columnOffset
}

// fill sets the pool from counts by group (negative counts read as 0).
func (pool *cardPool) fill(tables *expertRules, counts *[nGroups]int) {
	pool.tables = tables
	pool.size, pool.cardMean = 0, 0
	for g := range nGroups {
		n := float64(max(counts[g], 0))
		pool.count[g] = n
		pool.size += n
		pool.cardMean += n * tables.val[g]
	}
	pool.oneDownDone = [nGroups]bool{}
	pool.twoDownDone = false
	if pool.size == 0 {
		// Nothing is unseen (a view that does not fit its game): count a
		// face-down card as nothing rather than divide by zero.
		pool.prob, pool.oneDownMean, pool.twoDownMean = [nGroups]float64{}, [nGroups]float64{}, 0
		for a := range nGroups {
			pool.oneDownMean[a] = tables.val[a]
		}
		return
	}
	pool.cardMean /= pool.size
	for g := range nGroups {
		pool.prob[g] = pool.count[g] / pool.size
	}
	for a := range nGroups {
		mean := 0.0
		for g := range nGroups {
			if pool.prob[g] != 0 {
				mean += pool.prob[g] * float64(tables.columnScore[a][g])
			}
		}
		pool.oneDownMean[a] = mean
	}
	if pool.size < 2 {
		pool.twoDownMean = 2 * pool.cardMean
		return
	}
	// Two cards drawn without replacement: count[a]·count[b] ordered
	// pairs, count[a]·(count[a]-1) of the same group.
	total := 0.0
	for a := range nGroups {
		if pool.count[a] == 0 {
			continue
		}
		for b := range nGroups {
			countB := pool.count[b]
			if a == b {
				countB--
			}
			if countB > 0 {
				total += pool.count[a] * countB * float64(tables.columnScore[a][b])
			}
		}
	}
	pool.twoDownMean = total / (pool.size * (pool.size - 1))
}

// columnMean is E[score] of a column of slots a (top) and b (bottom).
func (pool *cardPool) columnMean(a, b int8) float64 {
	switch {
	case a >= 0 && b >= 0:
		return float64(pool.tables.columnScore[a][b])
	case a >= 0:
		return pool.oneDownMean[a]
	case b >= 0:
		return pool.oneDownMean[b]
	}
	return pool.twoDownMean
}

// linear is the expected column sum of h: the hand score without the
// non-linear rules, exact given H.
func (pool *cardPool) linear(h *hand) float64 {
	return pool.columnMean(h[0], h[3]) + pool.columnMean(h[1], h[4]) + pool.columnMean(h[2], h[5])
}

// mean is E[hand score | H] with every scoring rule of the hand (rules
// §7.2) and blackjack (§7.3): the linear part plus the expected bonuses and
// the blackjack refund.
func (pool *cardPool) mean(h *hand) float64 {
	linear := pool.linear(h)
	if !pool.tables.nonlinear {
		return linear
	}
	return linear + pool.nonlinear(h)
}

// nonlinear is E[bonuses + blackjack adjustment] of h.
func (pool *cardPool) nonlinear(h *hand) float64 {
	opts := &pool.tables.opts
	var dist [3]*columnDist
	var known [3]columnDist
	for c := range 3 {
		dist[c] = pool.distribution(h[c], h[c+3], &known[c])
	}
	adjustment := 0.0
	if opts.Wolfpack {
		// P(at least two of the three columns are pairs of jacks).
		jacks0, jacks1, jacks2 := dist[0].pair[gJack], dist[1].pair[gJack], dist[2].pair[gJack]
		adjustment -= 20 * (jacks0*jacks1 + jacks0*jacks2 + jacks1*jacks2 - 2*jacks0*jacks1*jacks2)
	}
	if opts.FourOfAKind {
		// P(two columns pair with the same rank), by inclusion-exclusion
		// over the three pairs of columns.
		both01, both02, both12, all := 0.0, 0.0, 0.0, 0.0
		for r := range 14 {
			a, b, c := dist[0].pair[r], dist[1].pair[r], dist[2].pair[r]
			both01 += a * b
			both02 += a * c
			both12 += b * c
			all += a * b * c
		}
		adjustment -= 20 * (both01 + both02 + both12 - 2*all)
	}
	if opts.Blackjack {
		adjustment -= 21 * pool.prob21(dist, h)
	}
	return adjustment
}

// prob21 is P(hand score = 21), from the column score distributions. With
// the bonus rules on, a hand that earns a bonus cannot then total 21 from
// its columns alone; that interplay is ignored (both are rare together).
func (pool *cardPool) prob21(dist [3]*columnDist, h *hand) float64 {
	var firstTwo [2*columnSpan - 1]float64 // by the two columns' score + 2·columnOffset
	for i, probA := range dist[0].score {
		if probA == 0 {
			continue
		}
		for j, probB := range dist[1].score {
			if probB != 0 {
				firstTwo[i+j] += probA * probB
			}
		}
	}
	// score = (i - columnOffset) + (j - columnOffset) + (k - columnOffset) = 21
	prob := 0.0
	for ij, probAB := range firstTwo {
		if probAB == 0 {
			continue
		}
		k := 21 + 3*columnOffset - ij
		if k >= 0 && k < columnSpan {
			prob += probAB * dist[2].score[k]
		}
	}
	return prob
}

// distribution returns the distribution of a column of slots a and b, in
// known for a column of two known groups.
func (pool *cardPool) distribution(a, b int8, known *columnDist) *columnDist {
	tables := pool.tables
	switch {
	case a >= 0 && b >= 0:
		*known = columnDist{}
		if tables.rank[a] == tables.rank[b] {
			known.pair[tables.rank[a]] = 1
		}
		known.score[scoreIndex(tables.columnScore[a][b])] = 1
		return known
	case a >= 0 || b >= 0:
		up := max(a, b)
		if !pool.oneDownDone[up] {
			pool.oneDownDone[up] = true
			dist := &pool.oneDownDist[up]
			*dist = columnDist{}
			for g := range nGroups {
				prob := pool.prob[g]
				if prob == 0 {
					continue
				}
				if tables.rank[g] == tables.rank[up] {
					dist.pair[tables.rank[up]] += prob
				}
				dist.score[scoreIndex(tables.columnScore[up][g])] += prob
			}
		}
		return &pool.oneDownDist[up]
	}
	if !pool.twoDownDone {
		pool.twoDownDone = true
		dist := &pool.twoDownDist
		*dist = columnDist{}
		if pool.size >= 2 {
			orderedPairs := pool.size * (pool.size - 1)
			for g := range nGroups {
				if pool.count[g] == 0 {
					continue
				}
				for q := range nGroups {
					countQ := pool.count[q]
					if g == q {
						countQ--
					}
					if countQ <= 0 {
						continue
					}
					prob := pool.count[g] * countQ / orderedPairs
					if tables.rank[g] == tables.rank[q] {
						dist.pair[tables.rank[g]] += prob
					}
					dist.score[scoreIndex(tables.columnScore[g][q])] += prob
				}
			}
		}
	}
	return &pool.twoDownDist
}

// scoreIndex is a column score's index in columnDist.score, clamped.
func scoreIndex(s int) int { return min(max(s+columnOffset, 0), columnSpan-1) }
