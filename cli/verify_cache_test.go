package cli

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"golf/cluster"
	"golf/cluster/redistest"
	"golf/game"
	"golf/live"
	"golf/store/postgres"
	"golf/store/postgres/pgtest"
)

// recorder is a live.Client that keeps its welcome and last update.
type recorder struct {
	mu      sync.Mutex
	welcome *live.Welcome
	last    *live.Update
}

func (r *recorder) Deliver(m live.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch m := m.(type) {
	case *live.Welcome:
		r.welcome = m
	case *live.Update:
		r.last = m
	}
}

func (r *recorder) state() (*live.Welcome, *live.Update) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.welcome, r.last
}

// liveGame plays the start of a game on a clustered manager, so that the
// cache holds its state, and returns its id and sequence number.
func liveGame(t *testing.T, db, redisURL, prefix string) (string, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := cluster.Open(ctx, cluster.Config{URL: redisURL, Prefix: prefix, Instance: "w", LeaseTTL: 10 * time.Second, CacheTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cfg := live.DefaultConfig()
	cfg.Store, cfg.Bots, cfg.Secret = st, aiBots{}, []byte("verify-test-secret-0123456789abcdef")
	cfg.Directory, cfg.Leases, cfg.Bus, cfg.Cache = r, r, r, r
	cfg.CPUDelayScale = 0
	m, err := live.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(ctx)
	host := &recorder{}
	tb, err := m.Create(ctx, host, "Ann", game.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	tb.Do(ctx, host, 1, live.Action{Op: live.OpAddCPU})
	tb.Do(ctx, host, 2, live.Action{Op: live.OpGame, Cmd: game.Command{Kind: game.CmdStartGame}})
	var acted int64
	for range 500 {
		w, u := host.state()
		if u != nil && u.Seq >= 10 {
			return w.GameID, u.Seq
		}
		if u != nil && u.View.Phase != game.PhaseWaiting && u.Seq > acted {
			if moves := u.View.Moves(nil); len(moves) > 0 {
				acted = u.Seq
				tb.Do(ctx, host, u.Seq+10, live.Action{Op: live.OpGame, Cmd: moves[0]})
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the game did not get going")
	return "", 0
}

func TestVerifyComparesTheCache(t *testing.T) {
	db := pgtest.URL(t)
	url, prefix := redistest.Prefix(t)
	id, _ := liveGame(t, db, url, prefix)
	verify := func() (int, string) {
		code, out, errOut := run(t, "verify", "--database-url", db, "--redis-url", url, "--redis-prefix", prefix)
		return code, out + errOut
	}
	if code, out := verify(); code != 0 || !strings.Contains(out, "1 games") || !strings.Contains(out, "1 cached states compared; 0 failed") {
		t.Fatalf("verify of a live game: exit %d\n%s", code, out)
	}
	rdb, err := cluster.Open(context.Background(), cluster.Config{URL: url, Prefix: prefix, Instance: "t", LeaseTTL: time.Second, CacheTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	key := prefix + "state:" + id
	seq, err := rdb.Client().HGet(context.Background(), key, "seq").Int64()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		seq  int64
		want string
	}{
		{seq - 1, "is not the state the log folds to"},
		{seq + 100, "the log has"},
	} {
		rdb.Client().HSet(context.Background(), key, "seq", tc.seq)
		code, out := verify()
		if code != 1 || !strings.Contains(out, "FAIL "+id) || !strings.Contains(out, tc.want) {
			t.Fatalf("verify of a cache at %d (the log's state is at %d): exit %d\n%s", tc.seq, seq, code, out)
		}
	}
}
