package web

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golf/account"
	"golf/game"
	"golf/limit"
)

var (
	flood        = flag.Duration("flood", 0, "run TestLoginFlood for this long (e.g. 20s): a sign-in flood with production argon2id against a game in play")
	floodHashers = flag.Int("flood-hashers", 0, "TestLoginFlood: password hashes at once (0: what golf serve uses)")
)

// TestLoginFlood measures what a flood of sign-ins costs the players: many
// clients hammer POST /api/auth/login with wrong passwords (rate limits
// off, so every one is a real argon2id check with the production
// parameters) while one player plays against CPUs, and the round trip of
// each move (sent → acknowledged) is timed, without the flood and then
// with it. The hasher runs at most GOMAXPROCS hashes at once and queues 8×
// that; the rest are answered busy at once. Behind -flood: it is a
// measurement (docs/BENCHMARKS.md), not a check that runs in CI.
//
//	go test ./web -run TestLoginFlood -flood 20s -v
func TestLoginFlood(t *testing.T) {
	if *flood <= 0 {
		t.Skip("a measurement: run with -flood 20s")
	}
	n := *floodHashers
	if n == 0 {
		n = account.DefaultConcurrency()
	}
	t.Logf("%d hashes at once, GOMAXPROCS %d", n, runtime.GOMAXPROCS(0))
	h, err := account.NewHasher(account.DefaultParams, n, -1)
	if err != nil {
		t.Fatal(err)
	}
	open := limit.Rule{Name: "off", Rate: 1e9, Burst: 1 << 30}
	ts := newTestServer(t, func(c *testSetup) {
		c.Accounts = &account.Config{Hasher: h}
		c.Deps.AuthIPLimit, c.Deps.AuthUserLimit = limit.NewMemory(open, nil), limit.NewMemory(open, nil)
		c.Live.RoundCountdown = 0
	})
	newVisitor(t, ts).register("target", "the real password").must(t, http.StatusCreated)

	base := playFor(t, ts, *flood/2)
	t.Logf("no flood: %s", base)

	const flooders = 64
	var ok401, busy, other atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: flooders}}
	body := `{"username":"target","password":"a wrong guess"}`
	for range flooders {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := client.Post(ts.ts.URL+"/api/auth/login", "application/json", strings.NewReader(body))
				if err != nil {
					other.Add(1)
					continue
				}
				res.Body.Close()
				switch res.StatusCode {
				case http.StatusUnauthorized:
					ok401.Add(1)
				case http.StatusServiceUnavailable:
					// As the API asks (Retry-After); a client that does not
					// is cut off by the rate limits, off here.
					busy.Add(1)
					time.Sleep(time.Second)
				default:
					other.Add(1)
				}
			}
		})
	}
	start := time.Now()
	during := playFor(t, ts, *flood/2)
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	t.Logf("flood of %d clients for %v: %d password checks (%.1f/s), %d answered busy (%.0f/s), %d other",
		flooders, elapsed.Round(time.Millisecond), ok401.Load(), float64(ok401.Load())/elapsed.Seconds(),
		busy.Load(), float64(busy.Load())/elapsed.Seconds(), other.Load())
	t.Logf("during the flood: %s", during)
	if ok401.Load() == 0 {
		t.Error("the flood checked no password")
	}
}

// moveStats is the move round trips of a stretch of play.
type moveStats struct {
	moves         int
	p50, p99, max time.Duration
}

func (m moveStats) String() string {
	return fmt.Sprintf("%d moves, round trip p50 %v, p99 %v, max %v", m.moves, m.p50.Round(10*time.Microsecond),
		m.p99.Round(10*time.Microsecond), m.max.Round(10*time.Microsecond))
}

// playFor plays games (one human, three instant CPUs) for d and times
// each move from send to acknowledgement.
func playFor(t *testing.T, ts *testServer, d time.Duration) moveStats {
	var rtts []time.Duration
	end := time.Now().Add(d)
	rng := rand.New(rand.NewPCG(1, 2))
	for time.Now().Before(end) {
		c := dial(t, ts)
		c.send(map[string]any{"type": "create", "name": "Timer", "settings": map[string]any{"rounds": 1}})
		c.next("welcome")
		for range 3 {
			c.send(map[string]any{"type": "add_cpu"})
		}
		c.until(func(f *frame) bool { return len(f.View.Seats) == 4 })
		c.send(map[string]any{"type": "start"})
		var sent time.Time
		var inFlight int64
	game:
		for {
			select {
			case f, ok := <-c.frames:
				if !ok {
					t.Fatal("connection closed mid-game")
				}
				if f.Type == "error" {
					t.Fatalf("refused: %s", f.raw)
				}
				if f.Type != "state" || f.View == nil {
					continue
				}
				if inFlight != 0 && f.Ack == inFlight {
					rtts = append(rtts, time.Since(sent))
					inFlight = 0
				}
				if f.View.Phase == game.PhaseGameOver || time.Now().After(end) {
					break game
				}
				if inFlight == 0 && len(f.Moves) > 0 {
					var m map[string]any
					json.Unmarshal(f.Moves[rng.IntN(len(f.Moves))], &m)
					sent = time.Now()
					inFlight = c.send(m)
				}
			case <-time.After(time.Minute):
				t.Fatal("game stalled")
			}
		}
		c.conn.CloseNow()
	}
	slices.Sort(rtts)
	if len(rtts) == 0 {
		t.Fatal("no move made")
	}
	q := func(p float64) time.Duration { return rtts[min(len(rtts)-1, int(p*float64(len(rtts))))] }
	return moveStats{moves: len(rtts), p50: q(0.5), p99: q(0.99), max: rtts[len(rtts)-1]}
}
