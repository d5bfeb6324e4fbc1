package e2e

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"golf/game"
)

// table plays a game with the real rules engine, so that the canned views
// the layout test renders are views the engine can actually produce.
type table struct {
	t   *testing.T
	st  *game.State
	rng *rand.Rand
	ids []string
	id  string // the game's id in its welcome frame
}

func newGameTable(t *testing.T, settings game.Settings) *table {
	t.Helper()
	st, err := game.Fold(nil)
	if err != nil {
		t.Fatalf("new state: %v", err)
	}
	tb := &table{t: t, st: st, rng: rand.New(rand.NewPCG(7, 11)), id: "g1"}
	tb.do(game.CreateGameCmd("p_ann", "Ann", "KDRT", settings))
	tb.do(game.JoinCmd("p_bob", "Bob"))
	tb.do(game.AddCPUCmd("p_ann", "cpu_maya", "Maya", "maya"))
	tb.do(game.AddCPUCmd("p_ann", "cpu_kenji", "Kenji", "kenji"))
	return tb
}

func (tb *table) do(c game.Command) {
	tb.t.Helper()
	evs, err := game.Decide(tb.st, c)
	if err != nil {
		tb.t.Fatalf("decide %s: %v", c.Kind, err)
	}
	for _, e := range evs {
		if err := tb.st.Apply(e); err != nil {
			tb.t.Fatalf("apply %s: %v", e.Type(), err)
		}
	}
}

var fixedSeed = game.Seed{1, 2, 3, 4}

// step makes one move: an initial flip, a turn action, or the next deal.
func (tb *table) step() {
	st := tb.st
	switch st.Phase() {
	case game.PhaseInitialFlip:
		for i := range st.NumSeats() {
			if st.AwaitingFlip(i) {
				tb.moveFor(i)
				return
			}
		}
	case game.PhasePlaying, game.PhaseFinalTurn:
		tb.moveFor(st.Current())
	case game.PhaseRoundOver:
		tb.do(game.NextRoundCmd(st.PlayerID(st.Host()), fixedSeed))
	default:
		tb.t.Fatalf("no move in phase %s", st.Phase())
	}
}

// moveFor plays a random legal move for seat i, preferring swaps into
// face-down slots so rounds end in a reasonable number of turns.
func (tb *table) moveFor(i int) {
	v := tb.st.View(i)
	moves := v.Moves(nil)
	if len(moves) == 0 {
		tb.t.Fatalf("seat %d has no move in %s/%s", i, v.Phase, v.Step)
	}
	for _, m := range moves {
		if m.Kind == game.CmdSwap && !v.Seats[i].Cards[m.Pos].Up && tb.rng.IntN(3) > 0 {
			tb.do(m)
			return
		}
	}
	tb.do(moves[tb.rng.IntN(len(moves))])
}

// until steps until cond holds (bounded, so a bug cannot hang the test).
func (tb *table) until(cond func(*game.State) bool) {
	tb.t.Helper()
	for range 5000 {
		if cond(tb.st) {
			return
		}
		tb.step()
	}
	tb.t.Fatal("the game never reached the wanted state")
}

// serverNow is the server's clock in the canned frames: a day in 2001, far
// from the browser's own clock, as if one of the two were set wrong.
const serverNow = int64(1_000_000_000_000)

// frames is what a client at seat would receive: welcome, then a state
// whose moves are the view's own. nextRound is how long after serverNow the
// next round is dealt (0 for no countdown).
func (tb *table) frames(seat int, online []bool, nextRound time.Duration) []any {
	v := tb.st.View(seat)
	nextRoundAt := int64(0)
	if nextRound > 0 {
		nextRoundAt = serverNow + nextRound.Milliseconds()
	}
	token := ""
	id := ""
	if seat >= 0 {
		token, id = "tok", v.Seats[seat].ID
	}
	return []any{
		map[string]any{"v": 1, "type": "welcome", "room": "KDRT", "game_id": tb.id, "seat": seat, "player_id": id, "token": token, "invite_url": "http://golf.example/r/KDRT"},
		map[string]any{"v": 1, "type": "state", "seq": 1, "view": v, "events": []any{}, "moves": v.Moves([]game.Command{}),
			"room": map[string]any{"code": "KDRT", "online": online, "next_round_at": nextRoundAt, "now": serverNow,
				"invite_url": "http://golf.example/r/KDRT"}},
	}
}

// withRoom adds fields to the room of frames' state (the table flow:
// turn timer, away, ready).
func withRoom(frames []any, extra map[string]any) []any {
	out := append([]any(nil), frames...)
	st := map[string]any{}
	for k, v := range out[1].(map[string]any) {
		st[k] = v
	}
	room := map[string]any{}
	for k, v := range st["room"].(map[string]any) {
		room[k] = v
	}
	for k, v := range extra {
		room[k] = v
	}
	st["room"] = room
	out[1] = st
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
