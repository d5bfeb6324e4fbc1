package web

import (
	"testing"

	"golf/game"
	"golf/live"
)

// midGame returns a 4-player game a few turns in, and the events of its last move.
func midGame(b testing.TB) (*game.State, []game.Event) {
	s := new(game.State)
	do := func(c game.Command) []game.Event {
		evs, err := game.Decide(s, c)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range evs {
			if err := s.Apply(e); err != nil {
				b.Fatal(err)
			}
		}
		return evs
	}
	do(game.CreateGameCmd("p0", "Ann", "BCDF", game.DefaultSettings()))
	for _, id := range []string{"p1", "p2", "p3"} {
		do(game.JoinCmd(id, "Player "+id))
	}
	do(game.StartGameCmd("p0", game.NewSeed()))
	for i := range 4 {
		do(game.FlipInitialCmd(s.PlayerID(i), 0, 4))
	}
	var last []game.Event
	for range 6 {
		id := s.PlayerID(s.Current())
		do(game.DrawCmd(id, game.SourceDeck))
		last = do(game.SwapCmd(id, 1))
	}
	return s, last
}

// BenchmarkEncodeState measures one client's state frame: its view and
// redacted events as JSON. The server does this once per client per change.
func BenchmarkEncodeState(b *testing.B) {
	s, evs := midGame(b)
	u := &live.Update{Seq: 40, View: s.View(1), Room: live.RoomStatus{RoomCode: "BCDF", Online: []bool{true, true, true, true}}}
	for _, e := range evs {
		r, _ := game.Redact(e, 1, s)
		u.Events = append(u.Events, r)
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		f, err := encodeState(u, "http://localhost:8000/r/BCDF", 1_700_000_000_000)
		if err != nil {
			b.Fatal(err)
		}
		n = len(f)
	}
	b.ReportMetric(float64(n), "bytes/frame")
}

// BenchmarkViewAndEncode adds building the view, as the table does for each seat.
func BenchmarkViewAndEncode(b *testing.B) {
	s, _ := midGame(b)
	b.ReportAllocs()
	for b.Loop() {
		u := &live.Update{Seq: 40, View: s.View(2), Room: live.RoomStatus{RoomCode: "BCDF", Online: []bool{true, true, true, true}}}
		if _, err := encodeState(u, "http://localhost:8000/r/BCDF", 1_700_000_000_000); err != nil {
			b.Fatal(err)
		}
	}
}
