package live

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"golf/cluster"
	"golf/cluster/redistest"
	"golf/game"
	"golf/store"
	"golf/store/postgres"
	"golf/store/postgres/pgtest"
	"golf/store/storetest"
)

// Benchmarks on a real PostgreSQL and Redis (docs/BENCHMARKS.md, "Recovery
// and scaling"). They skip without GOLF_TEST_DATABASE_URL and
// GOLF_TEST_REDIS_URL.

const recoverGames = 1000

// seedActive stores n games cut off mid-way (4 players, 9 rounds), each
// with its own room code, and returns the events stored.
func seedActive(b *testing.B, st store.Store, n int) int {
	b.Helper()
	ctx := context.Background()
	var (
		mu     sync.Mutex
		events int
		wg     sync.WaitGroup
		errs   = make(chan error, n)
		sem    = make(chan struct{}, 16)
	)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			r := rand.New(rand.NewPCG(uint64(i), 77))
			groups, err := storetest.Play(r, 4, 9, game.DefaultOptions())
			if err != nil {
				errs <- err
				return
			}
			cut := len(groups) * (30 + r.IntN(60)) / 100
			var evs []game.Event
			for _, g := range groups[:cut] {
				evs = append(evs, g...)
			}
			created := evs[0].(game.GameCreated)
			created.RoomCode = fmt.Sprintf("%c%c%c%c", roomCodeAlphabet[i/8000%20], roomCodeAlphabet[i/400%20], roomCodeAlphabet[i/20%20], roomCodeAlphabet[i%20])
			evs[0] = created
			if err := st.Append(ctx, store.NewGameID(), 0, evs); err != nil {
				errs <- err
				return
			}
			mu.Lock()
			events += len(evs)
			mu.Unlock()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return events
}

// BenchmarkRecover measures how long an instance takes at start to
// rebuild 1,000 active games: alone on PostgreSQL; with Redis leases but
// no cache (every log read whole); with the Redis cache (a snapshot and
// the log's tail, one index probe, per game).
func BenchmarkRecover(b *testing.B) {
	db := pgtest.URL(b) + "&application_name=" + recoverApp
	url, prefix := redistest.Prefix(b)
	ctx := context.Background()
	st, err := postgres.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	events := seedActive(b, st, recoverGames)
	b.Logf("%d active games, %d events", recoverGames, events)
	for _, mode := range []struct {
		name           string
		leases, cached bool
	}{{"postgres", false, false}, {"postgres+leases", true, false}, {"redis-cache", true, true}} {
		b.Run(mode.name, func(b *testing.B) {
			var (
				r             *cluster.Redis
				ourCPU, dbCPU time.Duration
			)
			if mode.leases {
				r, err = cluster.Open(ctx, cluster.Config{URL: url, Prefix: prefix, Instance: "bench-" + mode.name,
					LeaseTTL: time.Minute, CacheTTL: time.Hour})
				if err != nil {
					b.Fatal(err)
				}
				defer r.Close()
			}
			recover := func() time.Duration {
				cfg := DefaultConfig()
				cfg.Store, cfg.Bots, cfg.Secret = st, testBots{}, testSecret
				if r != nil {
					cfg.Directory, cfg.Leases, cfg.Bus = r, r, r
					if mode.cached {
						cfg.Cache = r
					}
				}
				m, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				pg0, cpu0 := pgCPU(b, st), processCPU()
				start := time.Now()
				n, err := m.Recover(ctx)
				took := time.Since(start)
				if err != nil || n != recoverGames {
					b.Fatalf("recovered %d games: %v", n, err)
				}
				ourCPU += processCPU() - cpu0
				dbCPU += pgCPU(b, st) - pg0
				cctx, cancel := context.WithTimeout(ctx, time.Minute)
				defer cancel()
				if err := m.Close(cctx); err != nil {
					b.Fatal(err)
				}
				return took
			}
			if mode.cached {
				recover() // fills the cache
			}
			ourCPU, dbCPU = 0, 0
			b.ResetTimer()
			var total time.Duration
			for range b.N {
				total += recover()
			}
			b.StopTimer()
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(total.Seconds()/float64(b.N), "s/1000games")
			b.ReportMetric(float64(recoverGames*b.N)/total.Seconds(), "games/s")
			// CPU time holds better than wall time on a loaded machine.
			b.ReportMetric(ourCPU.Seconds()/float64(b.N), "cpu-s/1000games")
			b.ReportMetric(dbCPU.Seconds()/float64(b.N), "pg-cpu-s/1000games")
		})
	}
}

// recoverApp names BenchmarkRecover's PostgreSQL connections, so that
// pgCPU finds their server processes.
const recoverApp = "golf-bench-recover"

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pgCPU is the CPU time used so far by the PostgreSQL server processes of
// the store's connections (PostgreSQL on this machine: /proc/PID/stat).
// Connections the pool closed in between are missed; it keeps them for
// 30 minutes.
func pgCPU(b *testing.B, st *postgres.Store) time.Duration {
	return pgtest.BackendCPU(b, st.Pool(), recoverApp)
}

// stamps records when a client received the update of each seq.
type stamps struct {
	mu sync.Mutex
	at map[int64]time.Time
}

func (s *stamps) Deliver(m Message) {
	if u, ok := m.(*Update); ok && len(u.Events) > 0 {
		now := time.Now()
		s.mu.Lock()
		if _, seen := s.at[u.Seq]; !seen {
			s.at[u.Seq] = now
		}
		s.mu.Unlock()
	}
}

// BenchmarkFanOut measures the event fan-out latency between two
// instances: from the moment the writer delivers a change to its own
// spectator (just before it publishes) to the moment the replica on the
// other instance delivers it to its spectator (received from Redis,
// folded, viewed). Four CPUs play with a 20 ms think time; b.N is the
// number of changes measured.
func BenchmarkFanOut(b *testing.B) {
	db := pgtest.URL(b)
	url, prefix := redistest.Prefix(b)
	ctx := context.Background()
	open := func(id string) *Manager {
		st, err := postgres.Open(ctx, db)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		r, err := cluster.Open(ctx, cluster.Config{URL: url, Prefix: prefix, Instance: id, LeaseTTL: 10 * time.Second, CacheTTL: time.Hour})
		if err != nil {
			b.Fatal(err)
		}
		cfg := DefaultConfig()
		cfg.Store, cfg.Bots, cfg.Secret = st, testBots{delay: 20 * time.Millisecond}, testSecret
		cfg.Directory, cfg.Leases, cfg.Bus, cfg.Cache = r, r, r, r
		cfg.Grace, cfg.RoundCountdown, cfg.IdleTimeout = 0, 0, time.Hour
		m, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			m.Close(cctx)
			r.Close()
		})
		return m
	}
	a, c := open("writer"), open("replica")
	var lat []time.Duration
	for len(lat) < b.N {
		host := &fakeClient{}
		ta, err := a.Create(ctx, host, "Host", settings(18, game.DefaultOptions()))
		if err != nil {
			b.Fatal(err)
		}
		for range 3 {
			ta.Do(ctx, host, 0, Action{Op: OpAddCPU})
		}
		ta.Do(ctx, host, 1, gameCmd(game.CmdStartGame))
		ta.Detach(host) // the stand-in plays for the host
		wa, wc := &stamps{at: map[int64]time.Time{}}, &stamps{at: map[int64]time.Time{}}
		ta.Watch(ctx, wa)
		tc, err := c.Lookup(ctx, ta.RoomCode())
		if err != nil {
			b.Fatal(err)
		}
		tc.Watch(ctx, wc)
		// Until the game ends (18 rounds) or enough changes are measured.
		for len(lat)+len(wc.at) < b.N+10 {
			time.Sleep(50 * time.Millisecond)
			if ta.Info().Phase == game.PhaseGameOver {
				break
			}
		}
		time.Sleep(200 * time.Millisecond)
		wa.mu.Lock()
		wc.mu.Lock()
		for seq, t1 := range wa.at {
			if t2, ok := wc.at[seq]; ok && seq > 10 {
				lat = append(lat, t2.Sub(t1))
			}
		}
		wc.mu.Unlock()
		wa.mu.Unlock()
		ta.Do(ctx, host, 0, gameCmd(game.CmdEndGame))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(pct(0.5), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
	b.ReportMetric(float64(len(lat)), "changes")
}
