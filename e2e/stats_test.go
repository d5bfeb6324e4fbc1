package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"golf/live"
	"golf/replay"
	"golf/stats"
	"golf/store"
	"golf/web"
)

// statsServer is the whole server with the statistics: the projector runs
// beside it (polling often) and the boards need one game only.
func statsServer(t *testing.T) string {
	t.Helper()
	cfg := serverConfig(t, nil)
	src := cfg.Live.Store.(stats.Source)
	tables, err := live.New(cfg.Live)
	if err != nil {
		t.Fatal(err)
	}
	// As golf serve wires them: players named through the accounts (a
	// username, or an id), guests resolved to the account they joined.
	st := cfg.Live.Store.(store.Accounts)
	svc := stats.NewService(src, stats.Accounts{Store: st}, stats.Config{MinGames: 1})
	srv, err := web.New(cfg.Config, web.Deps{Live: tables, Stats: svc, Accounts: testAccounts(t, cfg),
		Replays: replay.New(cfg.Live.Store.(replay.Store), nil)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	p := &stats.Projector{Source: src, Resolver: st, Poll: 50 * time.Millisecond}
	wg.Go(func() { p.Run(ctx) })
	ts := startHTTP(t, srv, func() { closeServer(t, srv); cancel(); wg.Wait() })
	return ts.URL
}

// TestStatsPages: Ann and Bob, both registered, play a one-hole game with
// a CPU to the end; the final results link to the leaderboard and to each
// one's profile, which show the game (the viewer's own row highlighted),
// on a desktop and on a 375 px phone.
func TestStatsPages(t *testing.T) {
	url := statsServer(t)
	ann, bob, _ := hostWithGuest(t, url)
	// Both register in their seats (the same user: the seat stays theirs).
	for _, x := range []struct {
		tb   *tab
		name string
	}{{ann, "ann_stats"}, {bob, "bob_stats"}} {
		status := eval[int](x.tb, `fetch('/api/auth/register', {method: 'POST', headers: {'content-type': 'application/json'},
			body: JSON.stringify({username: '`+x.name+`', password: 'a long password'})}).then((r) => r.status)`)
		if status != 201 {
			t.Fatalf("%s registers: status %d", x.name, status)
		}
	}
	ann.do("start a one-hole game with a CPU",
		chromedp.Click(chromedp.CSS(`input[data-key="rounds-1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hole-tag[data-rounds="1"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="add-cpu"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="3"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="start"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.table[data-round="1"]`)))
	deadline := time.Now().Add(6 * time.Minute) // a bound, not a timing
	for {
		a, b := eval[seen](ann, readPage), eval[seen](bob, readPage)
		if a.Screen == "results" && b.Screen == "results" {
			break
		}
		if time.Now().After(deadline) {
			ann.screenshot("timeout-stats")
			t.Fatalf("the game did not end within 6 minutes (pages show %q, %q)", a.Screen, b.Screen)
		}
		ann.move(a, false)
		bob.move(b, false)
		time.Sleep(120 * time.Millisecond)
	}
	annID := eval[string](ann, `JSON.parse(localStorage.getItem('golf.me'))[0]`)
	bobID := eval[string](bob, `JSON.parse(localStorage.getItem('golf.me'))[0]`)
	if annID == "" || bobID == "" || annID == bobID {
		t.Fatalf("player ids %q and %q", annID, bobID)
	}
	ann.do("see the links on the final results",
		chromedp.WaitVisible(chromedp.CSS(`[data-key="results-leaderboard"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-key="results-profile"][href="/u/`+annID+`"]`)))

	// The projector takes the game in within a poll or two.
	for deadline := time.Now().Add(time.Minute); ; {
		ann.do("load the leaderboard", chromedp.Navigate(url+"/leaderboard?by=games"),
			chromedp.WaitVisible(chromedp.CSS(`[data-screen="leaderboard"] .stats-body > *`)))
		if eval[int](ann, `document.querySelectorAll('.board-row').length`) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the game never reached the leaderboard")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if got := eval[string](ann, `document.querySelector('.board-row.me')?.dataset.player ?? ''`); got != annID {
		t.Errorf("Ann's highlighted row: %q, want %q", got, annID)
	}
	if n := eval[int](ann, `document.querySelectorAll('.board-row .badge.cpu').length`); n != 1 {
		t.Errorf("%d CPU rows, want 1", n)
	}
	ann.screenshot("stats-leaderboard-desktop")
	ann.do("rank by wins this week",
		chromedp.Click(chromedp.CSS(`[data-key="by-wins"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.board[data-by="wins"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="period-week"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.board[data-period="week"]`)))
	if n := eval[int](ann, `document.querySelectorAll('.board-row').length`); n != 3 {
		t.Errorf("this week's board by wins has %d rows", n)
	}
	ann.do("filter to standard rules (the game was)",
		chromedp.Click(chromedp.CSS(`input[data-key="rules"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.board[data-period="week"]`)))
	if got := eval[string](ann, `location.search`); got != "?by=wins&period=week&vs=all&rules=standard&page=1" {
		t.Errorf("the address keeps the board: %q", got)
	}

	ann.do("open Ann's profile",
		chromedp.Navigate(url+"/u/"+annID),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="profile"] .game-row`)))
	if n := eval[int](ann, `document.querySelectorAll('.game-row').length`); n != 1 {
		t.Errorf("Ann's history: %d games", n)
	}
	if n := eval[int](ann, `document.querySelectorAll('.game-row .players a').length`); n != 3 {
		t.Errorf("the game lists %d players", n)
	}
	if eval[string](ann, `document.querySelector('.stat-card[data-key="games"] .stat-value').textContent`) != "1" {
		t.Error("Ann's profile does not count the game")
	}
	if n := eval[int](ann, `document.querySelectorAll('.stats-chart svg circle').length`); n != 1 {
		t.Errorf("the chart has %d points, want 1 (one hole)", n)
	}
	if href := eval[string](ann, `document.querySelector('.game-row a.replay').getAttribute('href')`); len(href) != len("/replay/")+36 {
		t.Errorf("replay link %q", href)
	}
	ann.screenshot("stats-profile-desktop")
	ann.do("open Bob's profile by his username",
		chromedp.Navigate(url+"/u/bob_stats"),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="profile"] .game-row`)))
	if eval[string](ann, `document.querySelector('.stat-card[data-key="games"] .stat-value').textContent`) != "1" {
		t.Error("Bob's profile (by username) does not count the game")
	}

	bob.do("open the leaderboard on a phone",
		chromedp.Navigate(url+"/leaderboard?by=games"),
		chromedp.WaitVisible(chromedp.CSS(`.board-row.me`)))
	if got := eval[string](bob, `document.querySelector('.board-row.me').dataset.player`); got != bobID {
		t.Errorf("Bob's highlighted row: %q, want %q", got, bobID)
	}
	bob.noOverflow("leaderboard")
	bob.screenshot("stats-leaderboard-phone")
	bob.do("open Bob's profile on a phone",
		chromedp.Navigate(url+"/u/"+bobID),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="profile"] .game-row`)))
	bob.noOverflow("profile")
	bob.screenshot("stats-profile-phone")
	ann.checkErrors()
	bob.checkErrors()
}
