package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golf/live"
	"golf/stats"
	"golf/store"
	"golf/store/sqlite"
)

// statsServer serves the statistics API over a fresh SQLite file holding
// the given results; the viewer is whoever the X-Test-Viewer header names.
func statsServer(t *testing.T, now time.Time, results ...store.GameResult) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if ok, err := st.Project(ctx, r, stats.Model{}); err != nil || !ok {
			t.Fatal(ok, err)
		}
	}
	lc := live.DefaultConfig()
	lc.Store, lc.Bots = st, testBots{}
	lc.Secret = []byte("test-secret-test-secret-test-secret")
	tables, err := live.New(lc)
	if err != nil {
		t.Fatal(err)
	}
	svc := stats.NewService(st, nil, stats.Config{MinGames: 2, PageSize: 2, Now: func() time.Time { return now }})
	srv, err := New(DefaultConfig(), Deps{Live: tables, Stats: svc,
		Viewer: func(r *http.Request) string { return r.Header.Get("X-Test-Viewer") }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close(context.Background())
		st.Close()
	})
	return ts
}

func game2(at time.Time, a, b string, ta, tb int) store.GameResult {
	r := store.GameResult{GameID: store.NewGameID(), CompletedAt: at, Counted: true, VsHumans: true, Rounds: 1}
	pa := store.PlayerResult{PlayerID: a, Name: "N" + a, Total: ta, RoundsPlayed: 1, RoundScores: []int{ta}, Placing: 1, Won: ta <= tb}
	pb := store.PlayerResult{PlayerID: b, Name: "N" + b, Seat: 1, Total: tb, RoundsPlayed: 1, RoundScores: []int{tb}, Placing: 1, Won: tb <= ta}
	if ta > tb {
		pa.Placing = 2
	}
	if tb > ta {
		pb.Placing = 2
	}
	if b == "cpu:maya" {
		pb.CPU = true
	}
	r.Players = []store.PlayerResult{pa, pb}
	return r
}

func statsGet(t *testing.T, ts *httptest.Server, path, viewer string, status int, into any) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	if viewer != "" {
		req.Header.Set("X-Test-Viewer", viewer)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d", path, res.StatusCode, status)
	}
	if err := json.NewDecoder(res.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func TestStatsAPI(t *testing.T) {
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	ts := statsServer(t, now,
		game2(now.Add(-40*24*time.Hour), "ann", "bob", 1, 5),
		game2(now.Add(-3*time.Hour), "ann", "cpu:maya", 1, 5),
		game2(now.Add(-2*time.Hour), "bob", "cpu:maya", 2, 2),
		game2(now.Add(-1*time.Hour), "cid", "bob", 9, 3),
	)
	var b stats.Board
	statsGet(t, ts, "/api/leaderboard", "", 200, &b)
	// wins, all time, at least 2 games: ann 2/2, maya 1/2, bob 2/3 (66.7%).
	if b.By != "wins" || b.Period != "all" || b.MinGames != 2 || len(b.Rows) != 2 || !b.More || b.Me != nil {
		t.Fatalf("default board: %+v", b)
	}
	if b.Rows[0].PlayerID != "ann" || b.Rows[0].WinRate != 100 || b.Rows[1].PlayerID != "bob" || b.Rows[1].WinRate != 66.7 {
		t.Errorf("rows: %+v", b.Rows)
	}
	statsGet(t, ts, "/api/leaderboard?page=2", "cid", 200, &b)
	if len(b.Rows) != 1 || b.Rows[0].PlayerID != "cpu:maya" || !b.Rows[0].CPU || b.Rows[0].Rank != 3 || b.More || b.Me != nil {
		t.Errorf("page 2 (cid has 1 game, not on it): %+v", b)
	}
	statsGet(t, ts, "/api/leaderboard?by=games&period=month", "cid", 200, &b)
	// March: ann 1, maya 2, bob 2, cid 1.
	if b.PeriodKey != "month:2026-03" || b.Rows[0].GamesPlayed != 2 || b.Me == nil || b.Me.PlayerID != "cid" || b.Me.Rank != 3 {
		t.Errorf("month by games with the viewer's row: %+v me %+v", b, b.Me)
	}
	statsGet(t, ts, "/api/leaderboard?by=avg&period=week&vs=humans&rules=standard", "", 200, &b)
	if b.Vs != "humans" || b.Rules != "standard" || len(b.Rows) != 0 {
		t.Errorf("no standard games: %+v", b)
	}
	statsGet(t, ts, "/api/leaderboard?by=rating", "", 200, &b)
	if b.Rows[0].Rating.Value <= b.Rows[1].Rating.Value-1e-9 && b.Rows[0].Rank < b.Rows[1].Rank {
		t.Errorf("rating order: %+v", b.Rows)
	}
	var e struct {
		Code   string            `json:"code"`
		Fields map[string]string `json:"fields"`
	}
	for _, q := range []string{"by=speed", "period=year", "vs=cpus", "rules=house", "page=0", "page=x", "page=99999"} {
		e.Fields = nil
		statsGet(t, ts, "/api/leaderboard?"+q, "", 400, &e)
		if e.Code != "invalid_query" || len(e.Fields) != 1 {
			t.Errorf("%s: %+v", q, e)
		}
	}

	var p stats.Profile
	statsGet(t, ts, "/api/users/bob", "", 200, &p)
	if p.Name != "Nbob" || p.GamesPlayed != 3 || p.GamesWon != 2 || p.VsHumans.GamesPlayed != 3 ||
		len(p.RecentRounds) != 3 || p.RecentRounds[2] != 3 || p.BestRound == nil || *p.BestRound != 2 {
		t.Errorf("bob's profile: %+v", p)
	}
	statsGet(t, ts, "/api/users/nobody", "", 404, &e)
	if e.Code != "unknown_player" {
		t.Errorf("unknown player: %+v", e)
	}
	var h stats.History
	statsGet(t, ts, "/api/users/bob/games", "", 200, &h)
	if len(h.Games) != 3 || h.Games[0].Players[0].PlayerID != "cid" || h.Games[0].Placing != 1 || !h.Games[0].Won ||
		h.Games[0].Replay != "/replay/"+h.Games[0].GameID || h.Games[0].Rules != "custom" || h.More {
		t.Errorf("bob's games: %+v", h)
	}
	statsGet(t, ts, "/api/users/bob/games?page=2", "", 200, &h)
	if len(h.Games) != 0 || h.Page != 2 {
		t.Errorf("page 2: %+v", h)
	}
	statsGet(t, ts, "/api/users/nobody/games", "", 404, &e)
}

// TestStatsOff: without a stats service the API says so.
func TestStatsOff(t *testing.T) {
	ts := newTestServer(t, nil)
	res, err := http.Get(ts.ts.URL + "/api/leaderboard")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("status %d", res.StatusCode)
	}
}
