package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"golf/ai"
	"golf/game"
)

// botTally counts what one bot did. Every figure is an integer sum, so
// tallies from several workers add up to the same totals in any order.
type botTally struct {
	rounds, wins, scoreSum, scoreSq           int64
	finishes, finLowest, finScore, otherScore int64
	pairs                                     int64 // column pairs in final hands
	games, gameWins, totalSum                 int64
	decisions, turns                          int64
	drawDeck, drawDiscard, flipAction, knock  int64
	swapUp, swapDown, discard, putBack        int64
	flipRequired, flipTaken, flipSkipped      int64
	blunders, mistakes                        int64
	cats                                      [ai.NumCategories]int64
}

// mix counts a turn command into the decision mix, from the view it was
// decided on.
func (b *botTally) mix(v *game.View, c *game.Command) {
	switch c.Kind {
	case game.CmdDraw:
		if c.Source == game.SourceDeck {
			b.drawDeck++
		} else {
			b.drawDiscard++
		}
	case game.CmdFlipAsAction:
		b.flipAction++
	case game.CmdKnock:
		b.knock++
	case game.CmdSwap:
		if me := v.Me(); c.Pos >= 0 && c.Pos < 6 && me.Cards[c.Pos].Up {
			b.swapUp++
		} else {
			b.swapDown++
		}
	case game.CmdDiscard:
		b.discard++
	case game.CmdPutBack:
		b.putBack++
	case game.CmdFlip:
		if v.Flip == game.FlipRequired {
			b.flipRequired++
		} else {
			b.flipTaken++
		}
	case game.CmdSkipFlip:
		b.flipSkipped++
	}
}

func (b *botTally) add(o *botTally) {
	b.rounds += o.rounds
	b.wins += o.wins
	b.scoreSum += o.scoreSum
	b.scoreSq += o.scoreSq
	b.finishes += o.finishes
	b.finLowest += o.finLowest
	b.finScore += o.finScore
	b.otherScore += o.otherScore
	b.pairs += o.pairs
	b.games += o.games
	b.gameWins += o.gameWins
	b.totalSum += o.totalSum
	b.decisions += o.decisions
	b.turns += o.turns
	b.drawDeck += o.drawDeck
	b.drawDiscard += o.drawDiscard
	b.flipAction += o.flipAction
	b.knock += o.knock
	b.swapUp += o.swapUp
	b.swapDown += o.swapDown
	b.discard += o.discard
	b.putBack += o.putBack
	b.flipRequired += o.flipRequired
	b.flipTaken += o.flipTaken
	b.flipSkipped += o.flipSkipped
	b.blunders += o.blunders
	b.mistakes += o.mistakes
	for i := range b.cats {
		b.cats[i] += o.cats[i]
	}
}

// tally is a worker's (or the whole run's) counts.
type tally struct {
	bots                                                   []botTally
	games, rounds, turns, reshuffles, exhausted, firstWins int64
	maxTurns                                               int
}

func newTally(bots int) *tally { return &tally{bots: make([]botTally, bots)} }

func (t *tally) add(o *tally) {
	for i := range t.bots {
		t.bots[i].add(&o.bots[i])
	}
	t.games += o.games
	t.rounds += o.rounds
	t.turns += o.turns
	t.reshuffles += o.reshuffles
	t.exhausted += o.exhausted
	t.firstWins += o.firstWins
	t.maxTurns = max(t.maxTurns, o.maxTurns)
}

// Result is a finished simulation: its figures, written by WriteReport
// (text), WriteJSON, or WriteCompare and WriteCompareJSON side by side.
type Result struct {
	cfg     *config
	names   []string
	t       *tally
	elapsed time.Duration
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// round4 keeps reports readable; every figure is computed from integer
// sums, so rounding never makes two runs of one seed differ.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// botJSON is one bot's figures (docs/ai.md §6.1).
type botJSON struct {
	Wins               int64            `json:"wins"`
	Rounds             int64            `json:"rounds"`
	WinRate            float64          `json:"win_rate"`
	AvgScore           float64          `json:"avg_score"`
	SD                 float64          `json:"sd"`
	CI95               [2]float64       `json:"ci95"`
	Games              int64            `json:"games,omitempty"`
	GameWins           int64            `json:"game_wins,omitempty"`
	AvgTotal           float64          `json:"avg_total,omitempty"`
	FinishRate         float64          `json:"finish_rate"`
	FinisherLowestRate float64          `json:"finisher_lowest_rate"`
	AvgScoreFinisher   float64          `json:"avg_score_finisher"`
	AvgScoreOther      float64          `json:"avg_score_other"`
	PairsPerRound      float64          `json:"pairs_per_round"`
	Turns              int64            `json:"turns"`
	Decisions          int64            `json:"decisions"`
	Blunders           int64            `json:"blunders"`
	Mistakes           int64            `json:"mistakes"`
	BlunderRate        float64          `json:"blunders_per_100_turns"`
	MistakeRate        float64          `json:"mistakes_per_100_turns"`
	Categories         map[string]int64 `json:"categories"`
	Mix                mixJSON          `json:"mix"`
}

// mixJSON is the decision mix: shares of turns and of held cards, counts
// of put-backs and flips.
type mixJSON struct {
	DrawDeck     float64 `json:"draw_deck"`
	DrawDiscard  float64 `json:"draw_discard"`
	FlipAsAction float64 `json:"flip_as_action"`
	Knock        float64 `json:"knock"`
	SwapFaceUp   float64 `json:"swap_face_up"`
	SwapFaceDown float64 `json:"swap_face_down"`
	Discard      float64 `json:"discard"`
	PutBack      int64   `json:"put_back"`
	FlipRequired int64   `json:"flip_required"`
	FlipOptional int64   `json:"flip_optional_taken"`
	FlipSkipped  int64   `json:"flip_optional_skipped"`
}

type tableJSON struct {
	TurnsPerRound      float64 `json:"turns_per_round"`
	TurnsPerPlayer     float64 `json:"turns_per_player"`
	ReshufflesPerRound float64 `json:"reshuffles_per_round"`
	DeckExhaustedRate  float64 `json:"deck_exhausted_rate"`
	FirstPlayerWinRate float64 `json:"first_player_win_rate"`
	MaxRoundTurns      int     `json:"max_round_turns"`
}

type resultJSON struct {
	Rules              string             `json:"rules"`
	Options            game.Options       `json:"options"`
	Decks              int                `json:"decks,omitempty"`
	Players            int                `json:"players"`
	RoundsPerGame      int                `json:"rounds_per_game"`
	Seed               uint64             `json:"seed"`
	Games              int64              `json:"games"`
	Rounds             int64              `json:"rounds"`
	Turns              int64              `json:"turns"`
	Decisions          int64              `json:"decisions"`
	Seconds            float64            `json:"seconds"`
	RoundsPerSecond    float64            `json:"rounds_per_second"`
	DecisionsPerSecond float64            `json:"decisions_per_second"`
	Bots               map[string]botJSON `json:"bots"`
	Table              tableJSON          `json:"table"`
}

func (b *botTally) figures() botJSON {
	n := b.rounds
	avg := ratio(b.scoreSum, n)
	sd := 0.0
	if n > 1 {
		sd = math.Sqrt(max(0, (float64(b.scoreSq)-float64(n)*avg*avg)/float64(n-1)))
	}
	half := 0.0
	if n > 0 {
		half = 1.96 * sd / math.Sqrt(float64(n))
	}
	held := b.swapUp + b.swapDown + b.discard
	j := botJSON{
		Wins: b.wins, Rounds: n, WinRate: round4(ratio(b.wins, n)),
		AvgScore: round4(avg), SD: round4(sd), CI95: [2]float64{round4(avg - half), round4(avg + half)},
		Games: b.games, GameWins: b.gameWins, AvgTotal: round4(ratio(b.totalSum, b.games)),
		FinishRate: round4(ratio(b.finishes, n)), FinisherLowestRate: round4(ratio(b.finLowest, b.finishes)),
		AvgScoreFinisher: round4(ratio(b.finScore, b.finishes)), AvgScoreOther: round4(ratio(b.otherScore, n-b.finishes)),
		PairsPerRound: round4(ratio(b.pairs, n)),
		Turns:         b.turns, Decisions: b.decisions, Blunders: b.blunders, Mistakes: b.mistakes,
		BlunderRate: round4(100 * ratio(b.blunders, b.turns)), MistakeRate: round4(100 * ratio(b.mistakes, b.turns)),
		Categories: map[string]int64{},
		Mix: mixJSON{
			DrawDeck: round4(ratio(b.drawDeck, b.turns)), DrawDiscard: round4(ratio(b.drawDiscard, b.turns)),
			FlipAsAction: round4(ratio(b.flipAction, b.turns)), Knock: round4(ratio(b.knock, b.turns)),
			SwapFaceUp: round4(ratio(b.swapUp, held)), SwapFaceDown: round4(ratio(b.swapDown, held)),
			Discard: round4(ratio(b.discard, held)), PutBack: b.putBack,
			FlipRequired: b.flipRequired, FlipOptional: b.flipTaken, FlipSkipped: b.flipSkipped,
		},
	}
	for _, c := range ai.Categories() {
		j.Categories[c.String()] = b.cats[c-1]
	}
	return j
}

func (r *Result) json() resultJSON {
	t := r.t
	secs := r.elapsed.Seconds()
	var decisions int64
	bots := map[string]botJSON{}
	for i, name := range r.names {
		decisions += t.bots[i].decisions
		if t.bots[i].rounds > 0 {
			bots[name] = t.bots[i].figures()
		}
	}
	return resultJSON{
		Rules: r.cfg.rules, Options: r.cfg.options, Decks: r.cfg.decks, Players: r.cfg.players,
		RoundsPerGame: r.cfg.rounds, Seed: r.cfg.seed,
		Games: t.games, Rounds: t.rounds, Turns: t.turns, Decisions: decisions,
		Seconds: round4(secs), RoundsPerSecond: math.Round(ratio(t.rounds, 1) / max(secs, 1e-9)),
		DecisionsPerSecond: math.Round(float64(decisions) / max(secs, 1e-9)),
		Bots:               bots,
		Table: tableJSON{
			TurnsPerRound:      round4(ratio(t.turns, t.rounds)),
			TurnsPerPlayer:     round4(ratio(t.turns, t.rounds*int64(r.cfg.players))),
			ReshufflesPerRound: round4(ratio(t.reshuffles, t.rounds)),
			DeckExhaustedRate:  round4(ratio(t.exhausted, t.rounds)),
			FirstPlayerWinRate: round4(ratio(t.firstWins, t.rounds)),
			MaxRoundTurns:      t.maxTurns,
		},
	}
}

// WriteJSON writes the figures of docs/ai.md §6.1 as one indented JSON object.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.json())
}

// WriteCompareJSON writes several results as {"compare": [...]}.
func WriteCompareJSON(w io.Writer, rs []*Result) error {
	out := make([]resultJSON, len(rs))
	for i, r := range rs {
		out[i] = r.json()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"compare": out})
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// WriteReport prints the sections of docs/ai.md §6.1.
func (r *Result) WriteReport(w io.Writer) error {
	j := r.json()
	c := r.cfg
	seating := "the personalities, drawn per game"
	switch {
	case c.with != "":
		seating = fmt.Sprintf("%s in a rotating seat against distinct personalities, rotated equally", c.with)
	case c.bots != nil && c.drawn:
		seating = fmt.Sprintf("drawn per game from %s", strings.Join(c.bots, ","))
	case c.bots != nil:
		seating = fmt.Sprintf("%s, rotated one seat per game", strings.Join(c.bots, ","))
	}
	decks := "default decks"
	if c.decks > 0 {
		decks = fmt.Sprintf("%d decks", c.decks)
	}
	fmt.Fprintf(w, "golf sim: %d games × %d round(s), %d players, rules %s, %s, seed %d\n",
		j.Games, c.rounds, c.players, c.rules, decks, c.seed)
	fmt.Fprintf(w, "bots: %s\n\n", seating)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }
	f1 := func(x float64) string { return fmt.Sprintf("%.2f", x) }
	n := func(x int64) string { return fmt.Sprint(x) }

	fmt.Fprintln(w, "Wins and scores (per appearance; final round score after adjustments)")
	head := []string{"bot", "rounds", "wins", "win", "avg", "sd", "95% CI", "pairs"}
	if c.rounds > 1 {
		head = append(head, "games", "game wins", "avg total")
	}
	row(head...)
	for _, name := range r.names {
		b, ok := j.Bots[name]
		if !ok {
			continue
		}
		cells := []string{name, n(b.Rounds), n(b.Wins), pct(b.WinRate), f1(b.AvgScore), f1(b.SD),
			f1(b.CI95[0]) + "–" + f1(b.CI95[1]), f1(b.PairsPerRound)}
		if c.rounds > 1 {
			cells = append(cells, n(b.Games), pct(ratio(b.GameWins, b.Games)), f1(b.AvgTotal))
		}
		row(cells...)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nGoing out")
	row("bot", "finishes", "finisher lowest", "avg as finisher", "avg otherwise")
	for _, name := range r.names {
		if b, ok := j.Bots[name]; ok {
			row(name, pct(b.FinishRate), pct(b.FinisherLowestRate), f1(b.AvgScoreFinisher), f1(b.AvgScoreOther))
		}
	}
	tw.Flush()

	fmt.Fprintln(w, "\nDecision mix (draws per turn; placements per held card)")
	row("bot", "deck", "discard", "flip-act", "knock", "swap up", "swap down", "discard", "put back", "flip req", "flip opt", "skip")
	for _, name := range r.names {
		if b, ok := j.Bots[name]; ok {
			m := b.Mix
			row(name, pct(m.DrawDeck), pct(m.DrawDiscard), pct(m.FlipAsAction), pct(m.Knock),
				pct(m.SwapFaceUp), pct(m.SwapFaceDown), pct(m.Discard), n(m.PutBack),
				n(m.FlipRequired), n(m.FlipOptional), n(m.FlipSkipped))
		}
	}
	tw.Flush()

	fmt.Fprintf(w, "\nAnalysis (docs/ai.md §5, category set v%d; turns counted once at their worst)\n", ai.AnalysisVersion)
	row("bot", "turns", "blunders", "mistakes", "per 100 turns", "categories")
	for _, name := range r.names {
		b, ok := j.Bots[name]
		if !ok {
			continue
		}
		var cats []string
		for _, cat := range ai.Categories() {
			if k := b.Categories[cat.String()]; k > 0 {
				cats = append(cats, fmt.Sprintf("%s %d", cat, k))
			}
		}
		list := strings.Join(cats, ", ")
		if list == "" {
			list = "–"
		}
		row(name, n(b.Turns), n(b.Blunders), n(b.Mistakes), f1(b.BlunderRate+b.MistakeRate), list)
	}
	tw.Flush()

	t := j.Table
	fmt.Fprintln(w, "\nTable")
	fmt.Fprintf(w, "turns per round %.2f, per player %.2f; reshuffles per round %.3f; deck exhausted %s; first player wins %s; longest round %d turns\n",
		t.TurnsPerRound, t.TurnsPerPlayer, t.ReshufflesPerRound, pct(t.DeckExhaustedRate), pct(t.FirstPlayerWinRate), t.MaxRoundTurns)

	fmt.Fprintln(w, "\nSpeed")
	_, err := fmt.Fprintf(w, "%.2f s, %.0f rounds/s, %.0f decisions/s (%d workers)\n", j.Seconds, j.RoundsPerSecond, j.DecisionsPerSecond, min(c.workers, c.games))
	return err
}

// WriteCompare prints presets side by side: each bot's average score, and
// the table figures.
func WriteCompare(w io.Writer, rs []*Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	js := make([]resultJSON, len(rs))
	head := []string{"avg score"}
	for i, r := range rs {
		js[i] = r.json()
		head = append(head, r.cfg.rules)
	}
	c := rs[0].cfg
	fmt.Fprintf(w, "golf sim --compare: %d games × %d round(s), %d players each, seed %d\n\n", c.games, c.rounds, c.players, c.seed)
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, name := range rs[0].names {
		cells := []string{name}
		for i := range rs {
			b, ok := js[i].Bots[name]
			if !ok {
				cells = append(cells, "–")
				continue
			}
			cells = append(cells, fmt.Sprintf("%.2f ±%.2f", b.AvgScore, (b.CI95[1]-b.CI95[0])/2))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	lines := []struct {
		label string
		f     func(j *resultJSON) string
	}{
		{"turns per round", func(j *resultJSON) string { return fmt.Sprintf("%.2f", j.Table.TurnsPerRound) }},
		{"reshuffles per round", func(j *resultJSON) string { return fmt.Sprintf("%.3f", j.Table.ReshufflesPerRound) }},
		{"first player wins", func(j *resultJSON) string { return pct(j.Table.FirstPlayerWinRate) }},
		{"rounds per second", func(j *resultJSON) string { return fmt.Sprintf("%.0f", j.RoundsPerSecond) }},
	}
	for _, l := range lines {
		cells := []string{l.label}
		for i := range js {
			cells = append(cells, l.f(&js[i]))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	return tw.Flush()
}
