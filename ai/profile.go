package ai

// params are a personality's dials (docs/ai.md §1.2).
type params struct {
	T float64 // swap_threshold: the blind-swap tipping point, 4–8
	H float64 // pair_hope: weight of open pair targets, 0.2–0.8
	A float64 // aggression: how small a lead is enough to go out, 0.2–0.9
	U float64 // unpredictability: chance of a noisy decision, 0.02–0.28
	D float64 // adaptivity: response to the scoreboard, 0–1
}

// tiePref is how a personality breaks near-ties between Swaps (docs/ai.md §2.8).
type tiePref uint8

const (
	tieLowest       tiePref = iota // lowest position
	tieFaceUp                      // a face-up slot
	tieFaceDown                    // a face-down slot
	tiePairTarget                  // a pair, then a new open target
	tiePairFaceDown                // a pair, then a face-down slot
	tieRandom                      // any of them
)

// pace is how a personality's thinking delays are scaled (docs/ai.md §4).
type pace struct {
	mult       float64 // every delay is multiplied by this
	erratic    bool    // a fresh multiplier from 0.6–1.4 per step instead
	noTell     bool    // finishing and knocking decisions count as easy
	minM, maxM float64 // the erratic range
}

// personality is one row of the roster (docs/ai.md §1.1, §1.3).
type personality struct {
	Profile
	params
	tie  tiePref
	pace pace
}

// personalities is the roster in docs/ai.md §1.1 order.
var personalities = [...]personality{
	{
		Profile: Profile{ID: "sofia", Name: "Sofia", Style: "Calculated & Patient",
			Character: "Waits for clearly good cards and keeps her face-down cards longest. She goes out only with a lead."},
		params: params{T: 4, H: 0.20, A: 0.20, U: 0.02, D: 0.5},
		tie:    tieFaceUp, pace: pace{mult: 1.25},
	},
	{
		Profile: Profile{ID: "maya", Name: "Maya", Style: "Aggressive Closer",
			Character: "Turns cards over fast and ends the round as soon as the table looks beatable."},
		params: params{T: 6, H: 0.40, A: 0.85, U: 0.10, D: 0.2},
		tie:    tieFaceDown, pace: pace{mult: 0.8},
	},
	{
		Profile: Profile{ID: "priya", Name: "Priya", Style: "Pair Hunter",
			Character: "Keeps high cards that can still pair, grabs matching discards and chases pair bonuses."},
		params: params{T: 7, H: 0.80, A: 0.50, U: 0.05, D: 0.2},
		tie:    tiePairTarget, pace: pace{mult: 1.0},
	},
	{
		Profile: Profile{ID: "marcus", Name: "Marcus", Style: "Steady",
			Character: "Plays the percentages without frills. Every dial sits in the middle."},
		params: params{T: 5, H: 0.35, A: 0.40, U: 0.03, D: 0.2},
		tie:    tieLowest, pace: pace{mult: 1.0},
	},
	{
		Profile: Profile{ID: "kenji", Name: "Kenji", Style: "Risk Taker",
			Character: "Swaps almost anything blind, keeps pair targets open and closes early."},
		params: params{T: 8, H: 0.70, A: 0.75, U: 0.12, D: 0.3},
		tie:    tiePairFaceDown, pace: pace{mult: 0.85},
	},
	{
		Profile: Profile{ID: "diego", Name: "Diego", Style: "Chaotic Gambler",
			Character: "Often makes a surprising move, but never a foolish one. His pace is erratic and he ignores the scoreboard."},
		params: params{T: 6, H: 0.50, A: 0.60, U: 0.28, D: 0.0},
		tie:    tieRandom, pace: pace{erratic: true, minM: 0.6, maxM: 1.4},
	},
	{
		Profile: Profile{ID: "river", Name: "River", Style: "Adaptive Strategist",
			Character: "Plays like Marcus when scores are even. Protects a lead late in the game and gambles when behind."},
		params: params{T: 5, H: 0.45, A: 0.55, U: 0.08, D: 1.0},
		tie:    tieLowest, pace: pace{mult: 1.1},
	},
	{
		Profile: Profile{ID: "sage", Name: "Sage", Style: "Sneaky Finisher",
			Character: "Looks slow, with few early reveals, then ends the round suddenly, often by knocking."},
		params: params{T: 5, H: 0.30, A: 0.90, U: 0.15, D: 0.5},
		tie:    tieFaceUp, pace: pace{mult: 0.9, noTell: true},
	},
}

// standinProfile is the platform playing for an idle or disconnected human:
// Marcus's dials without his noise (docs/ai.md §1.1).
var standinProfile = personality{
	Profile: Profile{ID: "standin", Name: "Stand-in", Style: "Steady",
		Character: "Plays for a person who has stepped away: Marcus's game without surprises."},
	params: params{T: 5, H: 0.35, A: 0.40, U: 0, D: 0.2},
	tie:    tieLowest, pace: pace{mult: 1.0},
}

// Personalities returns the eight personalities of docs/ai.md §1.1 in roster order.
func Personalities() []Profile {
	out := make([]Profile, len(personalities))
	for i := range personalities {
		out[i] = personalities[i].Profile
	}
	return out
}

// Roster returns the profiles "Add CPU" deals at random: the eight
// personalities, in the order the lobby lists them.
func Roster() []Profile {
	return Personalities()
}

// Lineup returns every profile a host may seat: the eight personalities,
// then the expert (marked Expert: seated only when named).
func Lineup() []Profile {
	return append(Personalities(), expertProfile)
}
