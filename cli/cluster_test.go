package cli

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/game"
	"golf/store/postgres"
	"golf/web/webtest"
)

// openStore opens the PostgreSQL store the servers of a test share.
func sharedStore(t *testing.T, env map[string]string) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// with returns env with more variables.
func with(env map[string]string, kv ...string) map[string]string {
	out := maps.Clone(env)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// playAll runs every player's play loop and waits for them all.
func playAll(players ...*player) []*frame {
	finals := make([]*frame, len(players))
	var wg sync.WaitGroup
	for i, p := range players {
		wg.Go(func() { finals[i] = p.play() })
	}
	wg.Wait()
	return finals
}

// playUntil plays in the background; it returns once some player has
// seen seq reach n, and a function that waits for the loops to end and
// returns each one's last state (nil for a connection that closed).
func playUntil(t *testing.T, n int64, players ...*player) (wait func() []*frame) {
	t.Helper()
	finals := make([]*frame, len(players))
	var wg sync.WaitGroup
	for i, p := range players {
		wg.Go(func() { finals[i] = p.play() })
	}
	wait = func() []*frame { wg.Wait(); return finals }
	deadline := time.Now().Add(60 * time.Second)
	for {
		for _, p := range players {
			if p.seen() >= n {
				return wait
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the game never reached seq %d", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// setUp seats the players (the first is the host), adds cpus and starts.
func setUp(t *testing.T, cpus int, players ...*player) {
	t.Helper()
	host := players[0]
	for range cpus {
		host.c.send(map[string]any{"type": "add_cpu"})
	}
	host.c.until(func(f *frame) bool { return f.View != nil && len(f.View.Seats) == len(players)+cpus })
	host.c.send(map[string]any{"type": "start"})
}

// checkFinished checks the players' last states and the log.
func checkFinished(t *testing.T, st *postgres.Store, finals []*frame, players ...*player) int {
	t.Helper()
	gameID := players[0].welcome.GameID
	recs, log := loadLog(t, st, gameID)
	for i, f := range finals {
		if f == nil {
			t.Fatalf("%s did not see the game end", players[i].name)
		}
		if f.View.Result == nil || f.View.Result.Reason != game.ReasonCompleted {
			t.Fatalf("%s: game ended %+v", players[i].name, f.View.Result)
		}
		if f.Seq != int64(len(recs)) {
			t.Fatalf("%s's last state is at seq %d, the log has %d events", players[i].name, f.Seq, len(recs))
		}
	}
	acked := 0
	for _, p := range players {
		acked += checkAcked(t, p, recs)
		webtest.CheckNoLeaks(t, p.name, p.welcome.Seat, p.frames(), log)
	}
	if acked == 0 {
		t.Fatal("no move was acknowledged")
	}
	return acked
}

// TestCrashAndRestart kills golf serve with SIGKILL mid-game, starts it
// again and finishes the game: no acknowledged move is lost, the log has
// no gap and no repeat.
func TestCrashAndRestart(t *testing.T) {
	env := with(services(t), "GOLF_INSTANCE_ID", "crash")
	bin := buildGolf(t)
	st := sharedStore(t, env)
	srv := startServer(t, bin, "first", env)
	ann := create(t, srv.ws(), "Ann", map[string]any{"rounds": 2})
	bob := joinRoom(t, srv.ws(), ann.welcome.roomCode(), "Bob")
	setUp(t, 1, ann, bob)
	wait := playUntil(t, 25, ann, bob)
	srv.kill9()
	wait()
	before := len(ann.acked) + len(bob.acked)

	again := startServer(t, bin, "restarted", env)
	ann.resume(again.ws())
	bob.resume(again.ws())
	finals := playAll(ann, bob)
	acked := checkFinished(t, st, finals, ann, bob)
	if before == 0 || acked <= before {
		t.Fatalf("%d moves acknowledged before the kill, %d in all", before, acked)
	}
	again.waitLog("game opened", ann.welcome.GameID)
	t.Logf("%d moves acknowledged before the kill, %d in all; all in the log", before, acked)
}

// TestSeveralServers runs two servers on one PostgreSQL and one Redis:
// four players split across them play a game to the end; then, in a
// second game, the writer is killed mid-round and the game finishes on
// the other server.
func TestSeveralServers(t *testing.T) {
	env := services(t)
	bin := buildGolf(t)
	st := sharedStore(t, env)
	a := startServer(t, bin, "a", with(env, "GOLF_INSTANCE_ID", "a"))
	b := startServer(t, bin, "b", with(env, "GOLF_INSTANCE_ID", "b"))

	t.Run("split game", func(t *testing.T) {
		ann := create(t, a.ws(), "Ann", map[string]any{"rounds": 2})
		room := ann.welcome.roomCode()
		players := []*player{ann, joinRoom(t, a.ws(), room, "Bea"), joinRoom(t, b.ws(), room, "Cal"), joinRoom(t, b.ws(), room, "Dan")}
		eve := dial(t, "Eve", b.ws())
		eve.send(map[string]any{"type": "watch", "room": room})
		eve.next("welcome")
		setUp(t, 0, players...)
		finals := playAll(players...)
		checkFinished(t, st, finals, players...)
		_, log := loadLog(t, st, ann.welcome.GameID)
		eve.until(func(f *frame) bool { return f.View.Phase == game.PhaseGameOver })
		webtest.CheckNoLeaks(t, "Eve watching on b", game.Spectator, eve.received(), log)
		if !b.logged("game opened", ann.welcome.GameID, "replica of a-") {
			t.Fatal("b never served the game as a replica of a")
		}
	})

	t.Run("writer killed", func(t *testing.T) {
		ann := create(t, a.ws(), "Ann", map[string]any{"rounds": 2})
		room := ann.welcome.roomCode()
		bea := joinRoom(t, a.ws(), room, "Bea")
		cal := joinRoom(t, b.ws(), room, "Cal")
		setUp(t, 1, ann, bea, cal)
		wait := playUntil(t, 20, ann, bea, cal)
		a.kill9()
		// Ann and Bea's connections died with a; Cal's play on b goes on
		// (forwarded moves are answered unavailable until b takes over).
		ann.resume(b.ws())
		bea.resume(b.ws())
		var finals []*frame
		done := make(chan struct{})
		go func() { defer close(done); finals = playAll(ann, bea) }()
		calFinal := wait()[2]
		<-done
		checkFinished(t, st, append(finals, calFinal), ann, bea, cal)
		b.waitLog("took the game over", ann.welcome.GameID, "from=a-")
	})
}

// TestGracefulShutdown sends SIGTERM to the writer mid-game: its clients
// get 1012, every move it acknowledged is stored, and it releases its
// leases, so the other server takes the game over at once — the lease
// TTL here is far longer than the test waits.
func TestGracefulShutdown(t *testing.T) {
	env := with(services(t), "GOLF_LEASE_TTL", "2m")
	bin := buildGolf(t)
	st := sharedStore(t, env)
	a := startServer(t, bin, "a", with(env, "GOLF_INSTANCE_ID", "a"))
	b := startServer(t, bin, "b", with(env, "GOLF_INSTANCE_ID", "b"))
	ann := create(t, a.ws(), "Ann", map[string]any{"rounds": 1})
	bob := joinRoom(t, b.ws(), ann.welcome.roomCode(), "Bob")
	setUp(t, 1, ann, bob)
	wait := playUntil(t, 15, ann, bob)
	annConn := ann.c
	a.terminate()
	<-annConn.closed
	if got := annConn.closeStatus(); got != websocket.StatusServiceRestart {
		t.Fatalf("Ann's connection closed with %v, want 1012", got)
	}
	a.waitLog("lease released", ann.welcome.GameID)
	a.waitLog("stopped cleanly")
	b.waitLog("took the game over", ann.welcome.GameID)
	ann.resume(b.ws())
	done := make(chan *frame, 1)
	go func() { done <- ann.play() }()
	bobFinal := wait()[1]
	checkFinished(t, st, []*frame{<-done, bobFinal}, ann, bob)
}
