package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golf/game"
	"golf/live"
	"golf/store/sqlite"
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

// BenchmarkMiddleware: one GET /api/rules through the whole handler, with
// the per-address limits (and the client address, the security headers)
// and without the limits, from 20,000 client addresses behind a trusted
// proxy (each under its limit).
func BenchmarkMiddleware(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "limits-off"
		if on {
			name = "limits-on"
		}
		b.Run(name, func(b *testing.B) {
			tables, err := live.New(benchLiveConfig(b))
			if err != nil {
				b.Fatal(err)
			}
			cfg := DefaultConfig()
			cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			if !on {
				cfg.Limits = NoLimits()
			}
			srv, err := New(cfg, Deps{Live: tables})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close(context.Background())
			reqs := make([]*http.Request, 20000)
			for i := range reqs {
				r := httptest.NewRequest("GET", "/api/rules", nil)
				r.RemoteAddr = "127.0.0.1:1234"
				r.Header.Set("X-Forwarded-For", "10.1."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256))
				reqs[i] = r
			}
			w := &discardWriter{h: http.Header{}}
			for i := 0; b.Loop(); i++ {
				clear(w.h)
				srv.ServeHTTP(w, reqs[i%len(reqs)])
			}
		})
	}
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchLiveConfig(b *testing.B) live.Config {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "golf.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	cfg := live.DefaultConfig()
	cfg.Store, cfg.Bots, cfg.Secret = st, testBots{}, []byte("bench-secret-bench-secret-bench-secret")
	return cfg
}

// stateStream is every update one seat's connection gets over a game of
// four (keptGame: the lobby, three rounds, a player leaving).
func stateStream(b testing.TB, seat int) []*live.Update {
	var us []*live.Update
	seq := int64(0)
	keptGame(b, 1, func(s *game.State, evs []game.Event) {
		seq += int64(len(evs))
		u := &live.Update{Seq: seq, View: s.View(seat), Room: live.RoomStatus{RoomCode: "BCDF", Online: []bool{true, true, true, true}}}
		for _, e := range evs {
			if r, ok := game.Redact(e, seat, s); ok {
				u.Events = append(u.Events, r)
			}
		}
		us = append(us, u)
	})
	return us
}

// BenchmarkStateFrames encodes one connection's frames over a whole game,
// in order, as its writer does: each frame leaves out what the last one
// sent (keep). ns/frame and bytes/frame are the means over the game.
func BenchmarkStateFrames(b *testing.B) {
	us := stateStream(b, 1)
	b.ReportAllocs()
	var buf []byte
	var bytes int
	for b.Loop() {
		var sent sentView
		for _, u := range us {
			var err error
			if buf, err = appendState(buf[:0], u, "http://localhost:8000/r/BCDF", 1_700_000_000_000, &sent); err != nil {
				b.Fatal(err)
			}
			bytes += len(buf)
		}
	}
	frames := float64(b.N * len(us))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/frames, "ns/frame")
	b.ReportMetric(float64(bytes)/frames, "bytes/frame")
	b.ReportMetric(float64(len(us)), "frames/op")
}

// BenchmarkSendSizes writes frames the size of a complete state frame and
// of the mean kept one under golf loadtest (docs/BENCHMARKS.md, "Issue 16,
// second pass") to a client reading on loopback.
func BenchmarkSendSizes(b *testing.B) {
	for _, n := range []int{3020, 1150} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s, client := sendPair(b, 10*time.Second)
			go func() {
				for {
					if _, _, err := client.Read(context.Background()); err != nil {
						return
					}
				}
			}()
			frame := []byte(`{"type":"state","pad":"` + strings.Repeat("x", n-26) + `"}`)
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if !s.send(frame) {
					b.Fatal("not sent")
				}
			}
		})
	}
}
