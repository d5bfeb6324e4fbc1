package game

// Value is a card's points under the options (rules §7.1). It is the only
// card-value function: every table shown to players and every CPU estimate
// comes from it (decision 16).
func (o *Options) Value(c Card) int {
	switch {
	case c.Rank == Joker:
		switch o.Jokers {
		case JokersLuckySwing:
			return -5
		case JokersEagleEye:
			return 2
		}
		return -2
	case c.Rank == King && o.SuperKings:
		return -2
	case c.Rank == Ten && o.TenPenny:
		return 1
	case c.Rank == Jack && o.OneEyedJacks && (c.Suit == Hearts || c.Suit == Spades):
		return 0
	}
	return baseValue[c.Rank]
}

var baseValue = [...]int{0, 1, -2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 0, -2}

// PairScore is what a column pair of two cards of equal rank scores
// (rules §7.2 rules (a)–(c)).
func (o *Options) PairScore(top, bottom Card) int {
	switch {
	case o.Jokers == JokersEagleEye && top.Rank == Joker:
		return -4
	case o.NegativePairsKeepValue && (o.Value(top) < 0 || o.Value(bottom) < 0):
		return o.Value(top) + o.Value(bottom)
	}
	return 0
}

// HandScore scores six cards (rules §7.2): columns (0,3), (1,4), (2,5);
// pairs by rank; then the wolfpack and four-of-a-kind bonuses, each once.
func (o *Options) HandScore(h *[6]Card) int {
	total := 0
	var pairRanks [3]Rank
	pairs, jackPairs := 0, 0
	for c := range 3 {
		top, bottom := h[c], h[c+3]
		if top.Rank == bottom.Rank {
			pairRanks[pairs] = top.Rank
			pairs++
			if top.Rank == Jack {
				jackPairs++
			}
			total += o.PairScore(top, bottom)
		} else {
			total += o.Value(top) + o.Value(bottom)
		}
	}
	if o.Wolfpack && jackPairs >= 2 {
		total -= 20
	}
	if o.FourOfAKind && pairs >= 2 &&
		(pairRanks[0] == pairRanks[1] || (pairs == 3 && (pairRanks[0] == pairRanks[2] || pairRanks[1] == pairRanks[2]))) {
		total -= 20
	}
	return total
}

// showing is the running sum of a grid's face-up cards that a client may
// show (rules §12.2): a column of two face-up cards of one rank scores as
// the pair does (rules §7.2 (a)–(c)), every other face-up card its value,
// and face-down cards nothing. Round-end bonuses are not in it.
func (o *Options) showing(h *[6]Card, up uint8) int {
	sum := 0
	for c := range 3 {
		top, bottom := h[c], h[c+3]
		topUp, bottomUp := up&(1<<c) != 0, up&(1<<(c+3)) != 0
		switch {
		case topUp && bottomUp && top.Rank == bottom.Rank:
			sum += o.PairScore(top, bottom)
		default:
			if topUp {
				sum += o.Value(top)
			}
			if bottomUp {
				sum += o.Value(bottom)
			}
		}
	}
	return sum
}

// Adjustment is one round-end change to a player's score (rules §7.3).
type Adjustment struct {
	Rule   string `json:"rule"`
	Points int    `json:"points"`
}

// scoreRound applies rules §7.3 steps 2–9 to the hands of the scored seats.
// finisher is the seat that gets the finisher adjustments, or -1.
// It fills each scored seat's RoundPlayer and returns the round's winners.
func (o *Options) scoreRound(rows []RoundPlayer, hands []*[6]Card, finisher int) {
	n := len(rows)
	s := make([]int, n)
	for i := range rows {
		rows[i].HandScore = o.HandScore(hands[i])
		s[i] = rows[i].HandScore
	}
	adjust := func(i int, rule string, pts int) {
		s[i] += pts
		rows[i].Adjustments = append(rows[i].Adjustments, Adjustment{rule, pts})
	}
	lowest := func() int {
		m := s[0]
		for _, v := range s[1:] {
			m = min(m, v)
		}
		return m
	}
	if o.Blackjack {
		for i := range s {
			if s[i] == 21 {
				adjust(i, "blackjack", -21)
			}
		}
	}
	if finisher >= 0 {
		if o.KnockPenalty && s[finisher] > lowest() {
			adjust(finisher, "knock_penalty", 10)
		}
		if o.KnockBonus {
			adjust(finisher, "knock_bonus", -5)
		}
	}
	if o.UnderdogBonus {
		m := lowest()
		for i := range s {
			if s[i] == m {
				adjust(i, "underdog_bonus", -3)
			}
		}
	}
	if o.TiedShame {
		tied := make([]bool, n)
		for i := range s {
			for j := range s {
				if i != j && s[i] == s[j] {
					tied[i] = true
				}
			}
		}
		for i := range s {
			if tied[i] {
				adjust(i, "tied_shame", 5)
			}
		}
	}
	for i := range rows {
		rows[i].RoundScore = s[i]
	}
}
