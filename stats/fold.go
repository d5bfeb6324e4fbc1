package stats

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"golf/ai"
	"golf/game"
	"golf/store"
)

// Resolver maps a human seat's player id to the id its statistics are kept
// under: the account a guest was linked into, or the id itself
// (docs/stats.md, "Identity"). store.Accounts' CanonicalUserID fits.
type Resolver interface {
	CanonicalUserID(ctx context.Context, id string) (string, error)
}

// Identity is the Resolver that keeps every id as it is.
type Identity struct{}

// CanonicalUserID returns id.
func (Identity) CanonicalUserID(_ context.Context, id string) (string, error) { return id, nil }

// CPUID is the id a CPU personality's statistics are kept under, whatever
// seat id a game gave it.
func CPUID(profile string) string { return "cpu:" + profile }

// ErrBadLog is returned, wrapped, for a log that does not fold into a
// result: it is skipped, never half-counted.
var ErrBadLog = errors.New("stats: the log does not fold")

// Fold computes what an ended game contributes, from its games row and its
// events alone. Ratings are left zero: the projection sets them in order.
func Fold(ctx context.Context, g store.EndedGame, events []game.Event, res Resolver) (store.GameResult, error) {
	r := store.GameResult{GameID: g.ID, CompletedAt: g.CompletedAt}
	var (
		joined  = map[string]game.PlayerJoined{}
		started *game.GameStarted
		ended   *game.GameEnded
		rounds  []game.RoundEnded
	)
	for _, e := range events {
		switch e := e.(type) {
		case game.PlayerJoined:
			joined[e.PlayerID] = e
		case game.GameStarted:
			started = &e
		case game.RoundEnded:
			rounds = append(rounds, e)
		case game.GameEnded:
			ended = &e
		}
	}
	if ended == nil {
		return r, fmt.Errorf("%w: game %s has no GameEnded", ErrBadLog, g.ID)
	}
	// Abandoned and imported games count for nothing (docs/stats.md); so
	// does a game that never started.
	if started == nil || ended.Reason != game.ReasonCompleted || g.Imported || g.Status != "completed" {
		return r, nil
	}
	r.Counted = true
	r.Rounds = len(rounds)
	set := game.Settings{Decks: started.Decks, Rounds: started.Rounds, Options: started.Options}
	r.Standard = set.IsStandard(len(started.Players))
	r.Preset = presetOf(started.Options)

	// AnalyzeLog folds the log through game's checks: a log that does not
	// fold is refused here, before anything is counted.
	an, err := ai.AnalyzeLog(events)
	if err != nil {
		return r, fmt.Errorf("%w: game %s: %v", ErrBadLog, g.ID, err)
	}
	final := map[string]game.GamePlayer{}
	for _, p := range ended.Players {
		final[p.PlayerID] = p
	}
	humans := 0
	seen := map[string]bool{}
	for seat, id := range started.Players {
		j := joined[id]
		p := store.PlayerResult{PlayerID: id, Name: j.Name, CPU: j.CPU, Seat: seat}
		if j.CPU {
			p.PlayerID = CPUID(j.Profile)
		} else {
			humans++
			c, err := res.CanonicalUserID(ctx, id)
			if err != nil {
				return r, fmt.Errorf("stats: resolve %s: %w", id, err)
			}
			p.PlayerID = c
		}
		if seen[p.PlayerID] {
			// Two seats of one game resolve to one account (a guest and the
			// account it was linked into both sat): keep the seat's own id,
			// so neither game line is lost.
			p.PlayerID = id
		}
		seen[p.PlayerID] = true
		fp := final[id]
		p.Total, p.Departed, p.RoundsWon = fp.Total, fp.Departed, fp.RoundsWon
		p.Won = slices.Contains(ended.Winners, id)
		for _, re := range rounds {
			if string(re.FinisherID) == id {
				p.Knockouts++
			}
			for _, rp := range re.Players {
				if rp.PlayerID == id {
					p.RoundsPlayed++
					p.RoundScores = append(p.RoundScores, rp.RoundScore)
				}
			}
		}
		if seat < len(an.Players) && an.Players[seat].PlayerID == id {
			p.Blunders, p.GradedTurns = an.Players[seat].Blunders, an.Players[seat].Turns
		}
		r.Players = append(r.Players, p)
	}
	r.VsHumans = humans >= 2
	place(r.Players)
	return r, nil
}

// place sets Placing: by total, lowest first, equal totals sharing a place
// (rules §7.4); players who departed come after everyone who stayed.
func place(ps []store.PlayerResult) {
	worse := func(a, b store.PlayerResult) bool {
		if a.Departed != b.Departed {
			return a.Departed
		}
		return a.Total > b.Total
	}
	for i := range ps {
		ps[i].Placing = 1
		for j := range ps {
			if worse(ps[i], ps[j]) {
				ps[i].Placing++
			}
		}
	}
}

// presetOf names the preset whose options these are, or "".
func presetOf(o game.Options) string {
	for _, name := range game.PresetNames() {
		if p, ok := game.Preset(name); ok && p == o {
			return name
		}
	}
	return ""
}
