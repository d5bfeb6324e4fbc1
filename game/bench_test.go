package game

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchTable plays whole games of random legal moves, reusing its state,
// view, move list and event log so that a benchmark measures the engine.
type benchTable struct {
	r     *rand.Rand
	s     State
	v     View
	moves []Command
	log   []Event
	seeds uint64
}

func (bt *benchTable) do(tb testing.TB, c Command) {
	evs, err := Decide(&bt.s, c)
	if err != nil {
		tb.Fatalf("%v by %s: %v", c.Kind, c.By, err)
	}
	for _, e := range evs {
		if err := bt.s.Apply(e); err != nil {
			tb.Fatalf("apply %s: %v", e.Type(), err)
		}
	}
	bt.log = append(bt.log, evs...)
}

func (bt *benchTable) seed() Seed { bt.seeds++; return testSeed(bt.seeds) }

// play runs one game of n players and the given rounds, standard rules,
// choosing every move at random from View.Moves. It returns the moves made.
func (bt *benchTable) play(tb testing.TB, n, rounds int) int {
	bt.s, bt.log = State{}, bt.log[:0]
	s := &bt.s
	bt.do(tb, CreateGameCmd(pid(0), "P0", "BNCH", Settings{Rounds: rounds, Options: DefaultOptions()}))
	for i := 1; i < n; i++ {
		bt.do(tb, JoinCmd(pid(i), "P"+strconv.Itoa(i)))
	}
	bt.do(tb, StartGameCmd(pid(0), bt.seed()))
	moves := 0
	for s.phase != PhaseGameOver {
		if s.phase == PhaseRoundOver {
			bt.do(tb, NextRoundCmd(pid(0), bt.seed()))
			continue
		}
		p := s.current
		if s.phase == PhaseInitialFlip {
			for p = 0; !s.AwaitingFlip(p); p++ {
			}
		}
		s.ViewInto(&bt.v, p)
		bt.moves = bt.v.Moves(bt.moves[:0])
		bt.do(tb, bt.moves[bt.r.IntN(len(bt.moves))])
		moves++
	}
	return moves
}

// BenchmarkRandomGame plays a whole 9-round, 4-player game per iteration:
// every decision from a view's legal moves, every event decided, applied and
// kept in a log.
func BenchmarkRandomGame(b *testing.B) {
	bt := &benchTable{r: rand.New(rand.NewPCG(1, 2))}
	events, moves := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		moves += bt.play(b, 4, 9)
		events += len(bt.log)
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/game")
	b.ReportMetric(float64(moves)/float64(b.N), "moves/game")
}

// recordedGame returns the log of one 9-round, 4-player random game.
func recordedGame(tb testing.TB) []Event {
	bt := &benchTable{r: rand.New(rand.NewPCG(3, 4))}
	bt.play(tb, 4, 9)
	return append([]Event(nil), bt.log...)
}

// BenchmarkFold folds a recorded 9-round game's events into a fresh state.
func BenchmarkFold(b *testing.B) {
	log := recordedGame(b)
	b.ReportAllocs()
	for b.Loop() {
		var s State
		for _, e := range log {
			if err := s.Apply(e); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(log)*b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(len(log)*b.N), "ns/event")
}

// BenchmarkDecide decides common commands against a game mid-round,
// without applying them.
func BenchmarkDecide(b *testing.B) {
	s := started(b, 4, opts())
	flip := FlipInitialCmd(pid(0), 0, 3)
	bench := func(name string, s *State, c Command) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decide(s, c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	bench("FlipInitial", s, flip)
	for i := range 4 {
		mustDo(b, s, FlipInitialCmd(pid(i), 0, 3))
	}
	bench("DrawDeck", s, DrawCmd(pid(1), SourceDeck))
	bench("DrawDiscard", s, DrawCmd(pid(1), SourceDiscard))
	b.Run("NotYourTurn", func(b *testing.B) {
		c := DrawCmd(pid(2), SourceDeck)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decide(s, c); err == nil {
				b.Fatal("accepted")
			}
		}
	})
	mustDo(b, s, DrawCmd(pid(1), SourceDeck))
	bench("Swap", s, SwapCmd(pid(1), 2))
	bench("Discard", s, DiscardCmd(pid(1)))
}

// BenchmarkUnmarshalEvent decodes the stored form of a recorded game's
// events, as loading a game from the store does.
func BenchmarkUnmarshalEvent(b *testing.B) {
	log := recordedGame(b)
	enc := make([][]byte, len(log))
	size := 0
	for i, e := range log {
		var err error
		if enc[i], err = MarshalEvent(e); err != nil {
			b.Fatal(err)
		}
		size += len(enc[i])
	}
	b.SetBytes(int64(size / len(enc)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := UnmarshalEvent(enc[i]); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(enc) {
			i = 0
		}
	}
}

// BenchmarkUnmarshalEventJSONB decodes the same events as PostgreSQL
// returns them (JSONB's text: keys by length, "type" after "data").
func BenchmarkUnmarshalEventJSONB(b *testing.B) {
	log := recordedGame(b)
	enc := make([][]byte, len(log))
	size := 0
	for i, e := range log {
		canon, err := MarshalEvent(e)
		if err != nil {
			b.Fatal(err)
		}
		enc[i] = jsonbText(b, canon)
		size += len(enc[i])
	}
	b.SetBytes(int64(size / len(enc)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := UnmarshalEvent(enc[i]); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(enc) {
			i = 0
		}
	}
}

// BenchmarkMarshalEvent encodes a recorded game's events, as appending does.
func BenchmarkMarshalEvent(b *testing.B) {
	log := recordedGame(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := MarshalEvent(log[i]); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(log) {
			i = 0
		}
	}
}
