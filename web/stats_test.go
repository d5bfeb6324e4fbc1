package web

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golf/live"
	"golf/metrics"
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
	// A rating is shown with its uncertainty: mu − 3σ beside mu and σ, σ
	// shrinking from the newcomer's 25/3 as games are played.
	if r := p.Rating; r.Sigma <= 0 || r.Sigma >= 25.0/3 || math.Abs(r.Value-(r.Mu-3*r.Sigma)) > 0.06 {
		t.Errorf("bob's rating: %+v", r)
	}
	// A CPU personality has a profile of its own: maya lost to ann and tied
	// with bob (a shared win).
	var maya stats.Profile
	statsGet(t, ts, "/api/users/cpu:maya", "", 200, &maya)
	if !maya.CPU || maya.GamesPlayed != 2 || maya.GamesWon != 1 || maya.Rating.Sigma >= 25.0/3 || maya.VsHumans.GamesPlayed != 2 {
		t.Errorf("maya's profile: %+v", maya)
	}
	var mh stats.History
	statsGet(t, ts, "/api/users/cpu:maya/games", "", 200, &mh)
	if len(mh.Games) != 2 || !mh.Games[0].Players[1].CPU || mh.Games[0].Players[1].PlayerID != "cpu:maya" {
		t.Errorf("maya's games: %+v", mh)
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

// startGame has the visitor start a one-round game against a CPU.
func startGame(t *testing.T, v *visitor, name string, seed uint64) *player {
	t.Helper()
	c := v.dial()
	c.send(map[string]any{"type": "create", "name": name, "settings": map[string]any{"rounds": 1}})
	w := c.next("welcome")
	c.send(map[string]any{"type": "add_cpu"})
	c.until(func(f *frame) bool { return len(f.View.Seats) == 2 })
	c.send(map[string]any{"type": "start"})
	return &player{client: c, welcome: w, rng: rand.New(rand.NewPCG(seed, seed))}
}

// playOneGame has the visitor play a one-round game against a CPU to its
// end.
func playOneGame(t *testing.T, v *visitor, name string, seed uint64) {
	t.Helper()
	p := startGame(t, v, name, seed)
	p.play()
	p.conn.CloseNow()
}

// TestStatsFollowTheGuest: what happens to a guest's statistics when the
// guest registers (the same id: they stay) or signs in to an existing
// account (they move into the account at the sign-in, counted once), as
// a client calling the documented API sees it.
func TestStatsFollowTheGuest(t *testing.T) {
	t.Parallel()
	var st *sqlite.Store
	ts := newAccountServer(t, &accountSetup{edit: func(c *testSetup) {
		st = c.Live.Store.(*sqlite.Store)
		c.Deps.Stats = stats.NewService(st, stats.Accounts{Store: st}, stats.Config{MinGames: 1})
	}})
	ctx := context.Background()
	project := func(want int) {
		t.Helper()
		p := &stats.Projector{Source: st, Resolver: st}
		if n, err := p.Pass(ctx, time.Time{}); err != nil || n != want {
			t.Fatalf("projected %d games, %v; want %d", n, err, want)
		}
	}
	profile := func(v *visitor, name string) map[string]any {
		t.Helper()
		return v.do("GET", "/api/users/"+name, nil).must(t, http.StatusOK).body
	}
	games := func(p map[string]any) float64 { n, _ := p["games_played"].(float64); return n }

	// Kim has an account and one game.
	kim := newVisitor(t, ts)
	account := kim.register("kim", "kim's password").must(t, http.StatusCreated).userID()
	playOneGame(t, kim, "Kim", 1)
	// On a phone, Kim plays two games as a guest first.
	phone := newVisitor(t, ts)
	guestID := phone.guest("Kim on a phone").userID()
	playOneGame(t, phone, "Kim", 2)
	playOneGame(t, phone, "Kim", 3)
	// Lee plays as a guest, then registers: same id, same games.
	lee := newVisitor(t, ts)
	leeID := lee.guest("Lee").userID()
	playOneGame(t, lee, "Lee", 4)
	project(4)

	if p := profile(kim, "kim"); games(p) != 1 {
		t.Fatalf("kim before: %v", p)
	}
	if p := profile(kim, guestID); games(p) != 2 || p["player_id"] != guestID {
		t.Fatalf("the guest before: %v", p)
	}
	if id := lee.register("lee_r", "lee's password").must(t, http.StatusCreated).userID(); id != leeID {
		t.Fatalf("registered as %s, was %s", id, leeID)
	}
	if p := profile(lee, "lee_r"); games(p) != 1 || p["player_id"] != leeID {
		t.Errorf("lee after registering: %v", p)
	}

	// The phone signs in to kim in the middle of a third game: the
	// guest's two games are the account's at once, without waiting for
	// the projector.
	third := startGame(t, phone, "Kim", 5)
	phone.login("kim", "kim's password").must(t, http.StatusOK)
	p := profile(kim, "kim")
	if games(p) != 3 || p["player_id"] != account {
		t.Errorf("kim after the sign-in: %v", p)
	}
	// The guest's old address shows the account.
	if p := profile(kim, guestID); p["player_id"] != account || games(p) != 3 {
		t.Errorf("the guest's profile after the sign-in: %v", p)
	}
	var h stats.History
	statsGetJSON(t, kim, "/api/users/kim/games", &h)
	if len(h.Games) != 3 {
		t.Errorf("kim's history: %d games", len(h.Games))
	}
	var b stats.Board
	statsGetJSON(t, kim, "/api/leaderboard?by=games", &b)
	for _, r := range b.Rows {
		if r.PlayerID == guestID {
			t.Errorf("the guest is still on the board: %+v", b.Rows)
		}
		if r.PlayerID == account && r.GamesPlayed != 3 {
			t.Errorf("kim's row: %+v", r)
		}
	}
	// Nothing is counted twice: the projector's passes find nothing to
	// project and nothing to move.
	project(0)
	pr := &stats.Projector{Source: st, Resolver: st}
	if n, err := pr.Relinks(ctx, time.Time{}); n != 0 || err != nil {
		t.Errorf("relinks after the sign-in: %d, %v", n, err)
	}
	if p := profile(kim, "kim"); games(p) != 3 {
		t.Errorf("kim after the passes: %v", p)
	}
	// The game the guest's seat finishes after the sign-in counts for
	// the account when projected, and so does the next, as the account.
	third.play()
	playOneGame(t, phone, "Kim", 6)
	project(2)
	if p := profile(kim, "kim"); games(p) != 5 {
		t.Errorf("kim after two more games: %v", p)
	}
	if ids := gamePlayers(t, ts, third.welcome.GameID); !slices.Contains(ids, guestID) {
		t.Errorf("the third game's seat is not the guest's: %v", ids)
	}
}

func statsGetJSON(t *testing.T, v *visitor, path string, into any) {
	t.Helper()
	r := v.do("GET", path, nil).must(t, http.StatusOK)
	if err := json.Unmarshal(r.raw, into); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// TestSignInRelinkCounted: the guest's games that a sign-in moves into the
// account are counted in golf_stats_relinked_games_total (docs/operations.md),
// not only those the projector's pass moves: after a sign-in the pass
// finds nothing left, so otherwise the counter would stay at zero.
func TestSignInRelinkCounted(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	var st *sqlite.Store
	ts := newAccountServer(t, &accountSetup{edit: func(c *testSetup) {
		st = c.Live.Store.(*sqlite.Store)
		c.Deps.Stats = stats.NewService(st, stats.Accounts{Store: st}, stats.Config{MinGames: 1})
		withMetrics(m)(c)
	}})
	kim := newVisitor(t, ts)
	kim.register("kim", "kim's password").must(t, http.StatusCreated)
	phone := newVisitor(t, ts)
	phone.guest("Kim on a phone")
	playOneGame(t, phone, "Kim", 1)
	playOneGame(t, phone, "Kim", 2)
	p := &stats.Projector{Source: st, Resolver: st}
	if n, err := p.Pass(context.Background(), time.Time{}); err != nil || n != 2 {
		t.Fatalf("projected %d, %v", n, err)
	}
	phone.login("kim", "kim's password").must(t, http.StatusOK)
	if got := sum(scrape(t, ts), "golf_stats_relinked_games_total"); got != 2 {
		t.Errorf("golf_stats_relinked_games_total = %v after a sign-in moved 2 games, want 2", got)
	}
}
