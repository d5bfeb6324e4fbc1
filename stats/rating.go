package stats

import (
	"math"

	"golf/store"
)

// The rating is the Weng–Lin Bayesian approximation with the
// Plackett–Luce model (Weng & Lin, JMLR 2011), as OpenSkill implements it
// with its default constants; testdata/openskill.json holds vectors from
// OpenSkill itself. Why this one: docs/stats.md.
const (
	initialMu    = 25.0
	initialSigma = 25.0 / 3
	beta         = 25.0 / 6   // performance noise
	tau          = 25.0 / 300 // skill drift added before each game
	kappa        = 1e-4       // floor of the variance shrink factor
	// Z is how many sigmas the displayed rating stays below mu: the
	// conservative estimate mu − 3σ starts at 0 and rises as games
	// confirm a skill.
	Z = 3.0
)

// NewRating is the rating of a player with no games.
func NewRating() store.Rating { return store.Rating{Mu: initialMu, Sigma: initialSigma} }

// Display is the rating shown and ranked: mu − 3σ.
func Display(r store.Rating) float64 { return r.Mu - Z*r.Sigma }

// Rate updates the ratings of one game's players in place: rs[i] is the
// rating of the player placed placings[i] (1 is best; equal placings are a
// tie). It is a store.RateFunc.
func Rate(placings []int, rs []store.Rating) {
	n := len(rs)
	if n < 2 || len(placings) != n {
		return
	}
	var (
		sigSq [6]float64
		exps  [6]float64
	)
	if n > len(sigSq) {
		// More seats than a game has: the same model, on the heap.
		rateN(placings, rs)
		return
	}
	rate(placings, rs, sigSq[:n], exps[:n])
}

func rateN(placings []int, rs []store.Rating) {
	rate(placings, rs, make([]float64, len(rs)), make([]float64, len(rs)))
}

func rate(placings []int, rs []store.Rating, sigSq, exps []float64) {
	n := len(rs)
	c := 0.0
	for i, r := range rs {
		sigSq[i] = r.Sigma*r.Sigma + tau*tau
		c += sigSq[i] + beta*beta
	}
	c = math.Sqrt(c)
	for i, r := range rs {
		exps[i] = math.Exp(r.Mu / c)
	}
	// sumQ(q) is the sum of exp(mu/c) over players placed q or worse;
	// a(q) the number of players placed q.
	sumQ := func(q int) (s float64, a int) {
		for i := range n {
			if placings[i] >= placings[q] {
				s += exps[i]
			}
			if placings[i] == placings[q] {
				a++
			}
		}
		return s, a
	}
	var out [6]store.Rating
	res := out[:0]
	if n > len(out) {
		res = make([]store.Rating, 0, n)
	}
	for i, r := range rs {
		var omega, delta float64
		for q := range n {
			if placings[q] > placings[i] {
				continue
			}
			s, a := sumQ(q)
			quot := exps[i] / s
			if q == i {
				omega += (1 - quot) / float64(a)
			} else {
				omega -= quot / float64(a)
			}
			delta += quot * (1 - quot) / float64(a)
		}
		gamma := math.Sqrt(sigSq[i]) / c
		omega *= sigSq[i] / c
		delta *= sigSq[i] / (c * c) * gamma
		res = append(res, store.Rating{
			Mu:    r.Mu + omega,
			Sigma: math.Sqrt(sigSq[i]) * math.Sqrt(math.Max(1-delta, kappa)),
		})
	}
	copy(rs, res)
}
