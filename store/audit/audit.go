// Package audit rebuilds stored games from their events and checks that the
// log and the games index tell one consistent story. `golf verify` runs it.
package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"golf/game"
	"golf/store"
)

// Source is what an audit reads; every store.Store is one.
type Source interface {
	GameIDs(ctx context.Context) ([]string, error)
	Load(ctx context.Context, gameID string) ([]store.Record, error)
	Game(ctx context.Context, gameID string) (store.Game, error)
}

// Check is a further check of one game that folded cleanly: s is the state
// its log folds to. It is the seam for comparing other copies of a game
// (the live-state cache) with the log. A non-nil error is reported as the
// game's failure.
type Check func(ctx context.Context, gameID string, s *game.State, log []store.Record) error

// Failure is one game that did not verify.
type Failure struct {
	GameID string
	Reason string
}

// Report sums up an audit.
type Report struct {
	Games    int // games checked
	Events   int // events read
	Failures []Failure
}

// Run audits every game in src. Its error is for failing to read the
// store at all (listing games, a cancelled context); a game that does not
// verify is a Failure in the report.
func Run(ctx context.Context, src Source, checks ...Check) (Report, error) {
	ids, err := src.GameIDs(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("audit: %w", err)
	}
	var r Report
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return r, fmt.Errorf("audit: %w", err)
		}
		n, problems := Game(ctx, src, id, checks...)
		r.Games++
		r.Events += n
		for _, p := range problems {
			r.Failures = append(r.Failures, Failure{GameID: id, Reason: p})
		}
	}
	return r, ctx.Err()
}

// Game audits one game and returns how many events it read and what is
// wrong, if anything: sequence numbers must run 1…n, every event must
// decode and fold (Apply rejects inconsistent events), the event_type and
// player_id columns must agree with the event, an ended game must end with
// GameEnded, and the games-index row must agree with the folded state.
func Game(ctx context.Context, src Source, id string, checks ...Check) (int, []string) {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	row, rowErr := src.Game(ctx, id)
	if rowErr != nil && !errors.Is(rowErr, store.ErrNotFound) {
		fail("read games row: %v", rowErr)
	}
	recs, err := src.Load(ctx, id)
	if errors.Is(err, store.ErrNotFound) && rowErr == nil && !row.ArchivedAt.IsZero() {
		return 0, nil // archived: its events are in an export file (golf archive)
	}
	if errors.Is(err, store.ErrNotFound) {
		fail("games-index row without events")
		return 0, problems
	}
	if err != nil {
		fail("load events: %v", err)
		return 0, problems
	}

	var (
		s       game.State
		started bool
		folded  = true
	)
	for i, rec := range recs {
		if rec.Seq != int64(i+1) {
			fail("event %d has sequence number %d (gap or repeat)", i+1, rec.Seq)
			folded = false
			break
		}
		e, err := rec.Event()
		if err != nil {
			fail("event %d does not decode: %v", rec.Seq, err)
			folded = false
			break
		}
		if rec.Type != e.Type() {
			fail("event %d: event_type column %q but the data is %s", rec.Seq, rec.Type, e.Type())
		}
		if rec.PlayerID != e.Actor() {
			fail("event %d (%s): player_id column %q but the actor is %q", rec.Seq, rec.Type, rec.PlayerID, e.Actor())
		}
		if err := s.Apply(e); err != nil {
			fail("event %d (%s) does not apply: %v", rec.Seq, rec.Type, err)
			folded = false
			break
		}
		if _, ok := e.(game.GameStarted); ok {
			started = true
		}
	}
	if !folded {
		return len(recs), problems
	}
	if s.Over() && recs[len(recs)-1].Type != "GameEnded" {
		fail("game is over but its last event is %s", recs[len(recs)-1].Type)
	}
	if rowErr == nil {
		problems = append(problems, compareRow(row, &s, started)...)
	} else if errors.Is(rowErr, store.ErrNotFound) {
		fail("no games-index row")
	}
	for _, check := range checks {
		if err := check(ctx, id, &s, recs); err != nil {
			fail("%v", err)
		}
	}
	return len(recs), problems
}

// compareRow lists where the index row disagrees with the folded state.
func compareRow(row store.Game, s *game.State, started bool) []string {
	var diffs []string
	diff := func(col string, got, want any) {
		diffs = append(diffs, fmt.Sprintf("games.%s is %v, the log says %v", col, got, want))
	}
	status, winner := "active", ""
	if res := s.Result(); res != nil {
		status = "abandoned"
		if res.Reason == game.ReasonCompleted {
			status = "completed"
		}
		if len(res.Winners) > 0 {
			winner = res.Winners[0]
		}
	}
	if row.Status != status {
		diff("status", row.Status, status)
	}
	if row.WinnerID != winner {
		diff("winner_id", fmt.Sprintf("%q", row.WinnerID), fmt.Sprintf("%q", winner))
	}
	if row.CompletedAt.IsZero() == s.Over() {
		diff("completed_at", row.CompletedAt, map[bool]string{true: "set", false: "unset"}[s.Over()])
	}
	if row.RoomCode != s.RoomCode() {
		diff("room_code", row.RoomCode, s.RoomCode())
	}
	var players []string
	rounds := 0
	if started {
		for i := range s.NumSeats() {
			players = append(players, s.PlayerID(i))
		}
		rounds = s.Settings().Rounds
	}
	if !slices.Equal(row.PlayerIDs, players) {
		diff("player_ids", row.PlayerIDs, players)
	}
	if row.NumPlayers != len(players) {
		diff("num_players", row.NumPlayers, len(players))
	}
	if row.NumRounds != rounds {
		diff("num_rounds", row.NumRounds, rounds)
	}
	want, err := json.Marshal(s.Settings())
	if err == nil && !sameJSON(row.Options, want) {
		diff("options", string(row.Options), string(want))
	}
	return diffs
}

// sameJSON compares JSON texts as values: PostgreSQL's JSONB keeps neither
// key order nor spacing.
func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
