package cli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golf/stats"
	"golf/store/postgres"
	"golf/store/postgres/pgtest"
	"golf/store/sqlite"
	"golf/store/storetest"
)

// TestStatsCrashSQLite and TestStatsCrashPostgres kill -9 golf serve while
// its projector works through a backlog of ended games, start it again,
// and check that every game counted exactly once: each player's figures
// are those of a plain fold of the events.
func TestStatsCrashSQLite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "golf.db")
	open := func() storetest.StatsDB {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	statsCrash(t, open, map[string]string{"GOLF_DATA_DIR": dir})
}

func TestStatsCrashPostgres(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	open := func() storetest.StatsDB {
		s, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	statsCrash(t, open, map[string]string{"DATABASE_URL": url})
}

func statsCrash(t *testing.T, open func() storetest.StatsDB, env map[string]string) {
	bin := buildGolf(t)
	db := open()
	defer db.Close()
	const games = 300
	logs := storetest.AppendRandomGames(t, db, 21, games)
	env["GOLF_ADDR"] = "127.0.0.1:0"
	env["GOLF_STATS_POLL"] = "20ms"
	env["GOLF_LOG_LEVEL"] = "debug"

	srv := startServer(t, bin, "golf-1", env)
	srv.waitLog("stats: lag", "games=300")
	ctx := context.Background()
	// Kill it while it works: once some games are projected and some not.
	var left int
	for {
		n, _, err := db.StatsLag(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if n <= games-100 {
			left = n
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	srv.kill9()
	after, _, err := db.StatsLag(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed with %d of %d games left to project (%d after the kill)", left, games, after)
	if after == 0 {
		t.Log("the projector finished before the kill landed: the restart has nothing to do")
	}

	srv = startServer(t, bin, "golf-2", env)
	for {
		n, _, err := db.StatsLag(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The lag the restarted projector found is on /metrics (measured before
	// its first pass), and so is the work it did, once its pass returns.
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		_, body := status(t, srv.url+"/metrics")
		lag := fmt.Sprintf("golf_stats_lag_games %d\n", after)
		done := fmt.Sprintf("golf_stats_games_projected_total %d\n", after)
		if strings.Contains(body, lag) && strings.Contains(body, done) {
			break
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("/metrics lacks %q or %q:\n%s", lag, done, grepLines(body, "golf_stats_"))
		}
	}
	srv.terminate()
	storetest.CheckStats(t, db, logs)
}

// TestStatsRebuildCommand and TestStatsRebuildCommandPostgres: golf stats
// rebuild recomputes exactly what the incremental projection built (every
// profile, history and board), which is the plain fold of the events, and
// says how many games it read.
func TestStatsRebuildCommand(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "golf.db")
	statsRebuild(t, "sqlite:"+path, func() storetest.StatsDB {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func TestStatsRebuildCommandPostgres(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	statsRebuild(t, url, func() storetest.StatsDB {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func statsRebuild(t *testing.T, url string, open func() storetest.StatsDB) {
	db := open()
	defer db.Close()
	logs := storetest.AppendRandomGames(t, db, 22, 40)
	p := &stats.Projector{Source: db}
	if n, err := p.Pass(context.Background(), time.Time{}); err != nil || n != 40 {
		t.Fatalf("projected %d games, %v", n, err)
	}
	incremental := storetest.TakeSnapshot(t, db, logs)
	var out, errs bytes.Buffer
	if code := Run(context.Background(), []string{"stats", "rebuild", "--database-url", url}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if !strings.Contains(out.String(), "40 ended games read") {
		t.Errorf("output: %q", out.String())
	}
	storetest.SameSnapshot(t, "rebuilt vs incremental", incremental, storetest.TakeSnapshot(t, db, logs))
	storetest.CheckStats(t, db, logs)
	for _, args := range [][]string{{"stats"}, {"stats", "recount"}, {"stats", "rebuild", "extra"}} {
		if code := Run(context.Background(), args, &out, &errs); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
