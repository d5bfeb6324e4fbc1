package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"golf/ai"
	"golf/game"
	"golf/stats"
	"golf/store"
)

// StatsDB is a backend as the statistics use it: the event log and the
// projection's storage.
type StatsDB interface {
	store.Store
	store.Stats
}

// OpenStats returns a fresh, empty database, and a function that opens
// another handle on the same database (a second server instance); the
// suite closes them all.
type OpenStats func(t *testing.T) (StatsDB, func() StatsDB)

// RunStats runs the statistics conformance suite (docs/stats.md).
func RunStats(t *testing.T, open OpenStats) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db StatsDB, another func() StatsDB)
	}{
		{"Property", testStatsProperty},
		{"TwoProjectors", testStatsTwoProjectors},
		{"LateGame", testStatsLateGame},
		{"Boards", testStatsBoards},
		{"Ranks", testStatsRanks},
		{"History", testStatsHistory},
		{"Relink", testStatsRelink},
		{"StrandedGuests", testStatsStrandedGuests},
		{"InvalidInput", testStatsInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, another := open(t)
			t.Cleanup(func() { db.Close() })
			tt.fn(t, db, another)
		})
	}
}

// statsGames is how many random games the property test plays; -short
// and the race detector play fewer.
func statsGames() int {
	switch {
	case testing.Short():
		return 60
	case raceDetector:
		return 120
	}
	return 300
}

// AppendRandomGames plays n random games (PlayStats) and stores each,
// whole, as one Append: the store stamps its end time. It returns the logs
// by game id.
func AppendRandomGames(t testing.TB, db store.Store, seed uint64, n int) map[string][]game.Event {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	logs := map[string][]game.Event{}
	for range n {
		evs, err := PlayStats(r)
		if err != nil {
			t.Fatalf("play: %v", err)
		}
		id := store.NewGameID()
		if err := db.Append(context.Background(), id, 0, evs); err != nil {
			t.Fatalf("append: %v", err)
		}
		logs[id] = evs
	}
	return logs
}

// want is one player's figures, folded by the test from the events alone,
// independently of package stats' fold.
type want struct {
	name                                   string
	cpu                                    bool
	games, won, rounds, roundsWon, total   int
	best, worst                            *int
	knockouts, blunders, graded            int
	hGames, hWon, hRounds, hRoundsWon, hTt int
	rating                                 store.Rating
}

// expect folds the logs plainly: every completed game counts for every
// seat that started it, in completed_at order for the ratings.
func expect(t *testing.T, db store.Store, logs map[string][]game.Event) map[string]*want {
	t.Helper()
	type ended struct {
		id string
		at time.Time
	}
	var order []ended
	for id := range logs {
		g, err := db.Game(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, ended{id, g.CompletedAt})
	}
	slices.SortFunc(order, func(a, b ended) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.id, b.id)) })
	out := map[string]*want{}
	for _, o := range order {
		evs := logs[o.id]
		var (
			names   = map[string]string{}
			cpus    = map[string]string{}
			seats   []string
			end     game.GameEnded
			rounds  []game.RoundEnded
			started bool
		)
		for _, e := range evs {
			switch e := e.(type) {
			case game.PlayerJoined:
				names[e.PlayerID] = e.Name
				if e.CPU {
					cpus[e.PlayerID] = e.Profile
				}
			case game.GameStarted:
				seats, started = e.Players, true
			case game.RoundEnded:
				rounds = append(rounds, e)
			case game.GameEnded:
				end = e
			}
		}
		if !started || end.Reason != game.ReasonCompleted {
			continue
		}
		an, err := ai.AnalyzeLog(evs)
		if err != nil {
			t.Fatal(err)
		}
		humans := 0
		for _, id := range seats {
			if _, ok := cpus[id]; !ok {
				humans++
			}
		}
		key := func(id string) string {
			if p, ok := cpus[id]; ok {
				return "cpu:" + p
			}
			return id
		}
		// Placings: lowest total first, ties share, departed last.
		totals := map[string]int{}
		departed := map[string]bool{}
		for _, p := range end.Players {
			totals[p.PlayerID], departed[p.PlayerID] = p.Total, p.Departed
		}
		placings := make([]int, len(seats))
		rs := make([]store.Rating, len(seats))
		for i, id := range seats {
			placings[i] = 1
			for _, o := range seats {
				if (departed[id] && !departed[o]) || (departed[id] == departed[o] && totals[o] < totals[id]) {
					placings[i]++
				}
			}
			w := out[key(id)]
			if w == nil {
				w = &want{rating: stats.NewRating()}
				out[key(id)] = w
			}
			rs[i] = w.rating
		}
		stats.Rate(placings, rs)
		for i, id := range seats {
			w := out[key(id)]
			w.rating = rs[i]
			w.name, w.cpu = names[id], cpus[id] != ""
			w.games++
			won := slices.Contains(end.Winners, id)
			if won {
				w.won++
			}
			var rounds1, won1, total1 int
			for _, re := range rounds {
				if string(re.FinisherID) == id {
					w.knockouts++
				}
				for _, rp := range re.Players {
					if rp.PlayerID != id {
						continue
					}
					rounds1++
					total1 += rp.RoundScore
					s := rp.RoundScore
					if w.best == nil || s < *w.best {
						w.best = &s
					}
					if w.worst == nil || s > *w.worst {
						w.worst = &s
					}
				}
				if slices.Contains(re.Winners, id) {
					won1++
				}
			}
			w.rounds += rounds1
			w.roundsWon += won1
			w.total += total1
			w.blunders += an.Players[i].Blunders
			w.graded += an.Players[i].Turns
			if humans >= 2 {
				w.hGames++
				w.hRounds += rounds1
				w.hRoundsWon += won1
				w.hTt += total1
				if won {
					w.hWon++
				}
			}
		}
	}
	return out
}

func project(t *testing.T, db StatsDB) int {
	t.Helper()
	p := &stats.Projector{Source: db}
	n, err := p.Pass(context.Background(), time.Time{})
	if err != nil {
		t.Fatalf("project: %v", err)
	}
	return n
}

// CheckStats checks that the statistics in db are those a plain fold of
// logs (every ended game, by id) gives: each player's row, and nobody
// else's.
func CheckStats(t *testing.T, db StatsDB, logs map[string][]game.Event) {
	t.Helper()
	checkAgainst(t, db, expect(t, db, logs))
}

func checkAgainst(t *testing.T, db StatsDB, wants map[string]*want) {
	t.Helper()
	ctx := context.Background()
	for id, w := range wants {
		got, err := db.PlayerStats(ctx, id)
		if err != nil {
			t.Fatalf("player %s: %v", id, err)
		}
		exp := store.PlayerStats{PlayerID: id, Name: w.name, CPU: w.cpu, GamesPlayed: w.games, GamesWon: w.won,
			RoundsPlayed: w.rounds, RoundsWon: w.roundsWon, TotalPoints: w.total, BestRound: w.best, WorstRound: w.worst,
			Knockouts: w.knockouts, Blunders: w.blunders, GradedTurns: w.graded,
			Humans: store.Counts{GamesPlayed: w.hGames, GamesWon: w.hWon, RoundsPlayed: w.hRounds, RoundsWon: w.hRoundsWon, TotalPoints: w.hTt},
			Rating: w.rating, LastGameAt: got.LastGameAt}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("player %s:\n got %+v\nwant %+v", id, show(got), show(exp))
		}
	}
	// Nobody else has a row: the all-time games board lists every player.
	rows, _, err := db.Leaderboard(ctx, store.Board{By: store.ByGames, Period: store.PeriodAll}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(wants) {
		t.Errorf("%d players on the games board, the events have %d", len(rows), len(wants))
	}
}

// show prints the pointers' values.
func show(p store.PlayerStats) string {
	v := func(p *int) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("%+v best=%s worst=%s", p, v(p.BestRound), v(p.WorstRound))
}

// snapshot is everything the statistics answer, for comparing two
// projections of the same games.
type snapshot struct {
	Players map[string]store.PlayerStats
	Games   map[string][]store.PlayedGame
	Boards  map[string][]store.BoardRow
}

func takeSnapshot(t *testing.T, db StatsDB, players []string, periods []string) snapshot {
	t.Helper()
	ctx := context.Background()
	s := snapshot{Players: map[string]store.PlayerStats{}, Games: map[string][]store.PlayedGame{}, Boards: map[string][]store.BoardRow{}}
	for _, id := range players {
		p, err := db.PlayerStats(ctx, id)
		if err != nil {
			t.Fatalf("player %s: %v", id, err)
		}
		s.Players[id] = p
		g, _, err := db.PlayerGames(ctx, id, 0, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		s.Games[id] = g
	}
	for _, period := range periods {
		for sc := store.Scope(0); sc <= 3; sc++ {
			for _, by := range []store.Measure{store.ByWins, store.ByGames, store.ByAvg, store.ByRating} {
				b := store.Board{By: by, Period: period, Scope: sc, MinGames: 3}
				rows, _, err := db.Leaderboard(ctx, b, 0, 10_000)
				if err != nil {
					t.Fatal(err)
				}
				s.Boards[fmt.Sprint(b)] = rows
			}
		}
	}
	return s
}

func sameSnapshot(t *testing.T, what string, a, b snapshot) {
	t.Helper()
	for id, p := range a.Players {
		if !reflect.DeepEqual(p, b.Players[id]) {
			t.Errorf("%s: player %s:\n%+v\n%+v", what, id, show(p), show(b.Players[id]))
		}
		if !reflect.DeepEqual(a.Games[id], b.Games[id]) {
			t.Errorf("%s: games of %s differ:\n%+v\n%+v", what, id, a.Games[id], b.Games[id])
		}
	}
	for k, rows := range a.Boards {
		if !reflect.DeepEqual(rows, b.Boards[k]) {
			t.Errorf("%s: board %s:\n%+v\n%+v", what, k, rows, b.Boards[k])
		}
	}
}

func periodsOf(t *testing.T, db store.Store, logs map[string][]game.Event) []string {
	seen := map[string]bool{store.PeriodAll: true}
	for id := range logs {
		g, err := db.Game(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		seen[store.MonthPeriod(g.CompletedAt)] = true
		seen[store.WeekPeriod(g.CompletedAt)] = true
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// testStatsProperty: hundreds of random games (CPUs, house rules,
// departures, autoplay, abandoned games) projected; every player_stats row
// equals the test's own fold of the same events; projecting again changes
// nothing; a rebuild from the events gives the same answers.
func testStatsProperty(t *testing.T, db StatsDB, _ func() StatsDB) {
	ctx := context.Background()
	logs := AppendRandomGames(t, db, 11, statsGames())
	wants := expect(t, db, logs)
	if n := project(t, db); n != len(logs) {
		t.Fatalf("projected %d games, %d ended", n, len(logs))
	}
	checkAgainst(t, db, wants)
	counted, abandoned, cpu, humans := 0, 0, 0, 0
	for id := range wants {
		if wants[id].cpu {
			cpu++
		} else {
			humans++
		}
		counted += wants[id].games
	}
	for _, evs := range logs {
		if e, ok := evs[len(evs)-1].(game.GameEnded); ok && e.Reason == game.ReasonAbandoned {
			abandoned++
		}
	}
	if abandoned == 0 || cpu == 0 || humans == 0 {
		t.Fatalf("the games exercise too little: %d abandoned, %d CPUs, %d humans", abandoned, cpu, humans)
	}
	t.Logf("%d games (%d abandoned), %d player-games, %d CPUs and %d humans", len(logs), abandoned, counted, cpu, humans)

	var players []string
	for id := range wants {
		players = append(players, id)
	}
	periods := periodsOf(t, db, logs)
	before := takeSnapshot(t, db, players, periods)
	if n := project(t, db); n != 0 {
		t.Fatalf("a second pass projected %d games", n)
	}
	sameSnapshot(t, "projected twice", before, takeSnapshot(t, db, players, periods))
	if lag, _, err := db.StatsLag(ctx, time.Time{}); err != nil || lag != 0 {
		t.Fatalf("lag %d, %v after projecting everything", lag, err)
	}

	p := &stats.Projector{Source: db}
	counted2, read, err := p.Rebuild(ctx)
	if err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if read != len(logs) || counted2 != len(logs)-abandoned {
		t.Fatalf("rebuild read %d games and counted %d; %d ended, %d abandoned", read, counted2, len(logs), abandoned)
	}
	checkAgainst(t, db, wants)
	sameSnapshot(t, "rebuilt", before, takeSnapshot(t, db, players, periods))
	if n := project(t, db); n != 0 {
		t.Fatalf("after a rebuild a pass projected %d games", n)
	}
}

// testStatsTwoProjectors runs two projectors on two handles of one
// database (two server instances) over the same backlog at once: every
// game counts once, and the rows are those of the plain fold.
func testStatsTwoProjectors(t *testing.T, db StatsDB, another func() StatsDB) {
	logs := AppendRandomGames(t, db, 12, statsGames()/2)
	wants := expect(t, db, logs)
	db2 := another()
	defer db2.Close()
	var (
		wg    sync.WaitGroup
		total [2]int
		errs  [2]error
	)
	for i, d := range []StatsDB{db, db2} {
		wg.Go(func() {
			p := &stats.Projector{Source: d}
			total[i], errs[i] = p.Pass(context.Background(), time.Time{})
		})
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}
	if total[0]+total[1] != len(logs) {
		t.Fatalf("the projectors projected %d + %d games, %d ended", total[0], total[1], len(logs))
	}
	t.Logf("projected %d and %d games", total[0], total[1])
	checkAgainst(t, db, wants)
}

// result builds a counted game for the fixture tests: players by id, in
// seat order, with their totals (lower wins) and the end time.
func result(at time.Time, vsHumans, standard bool, totals map[string]int, ids ...string) store.GameResult {
	r := store.GameResult{GameID: store.NewGameID(), CompletedAt: at, Counted: true, VsHumans: vsHumans,
		Standard: standard, Rounds: 1}
	if standard {
		r.Preset = "standard"
	}
	lowest := totals[ids[0]]
	for _, id := range ids {
		lowest = min(lowest, totals[id])
	}
	for seat, id := range ids {
		p := store.PlayerResult{PlayerID: id, Name: "N " + id, Seat: seat, Total: totals[id], RoundsPlayed: 1,
			RoundScores: []int{totals[id]}, Won: totals[id] == lowest, Placing: 1}
		if p.Won {
			p.RoundsWon = 1
		}
		for _, o := range ids {
			if totals[o] < totals[id] {
				p.Placing++
			}
		}
		r.Players = append(r.Players, p)
	}
	return r
}

// testStatsLateGame projects games out of their end-time order (games
// that committed late): the ratings are those of a fold in order, the
// same as a rebuild's.
func testStatsLateGame(t *testing.T, db StatsDB, _ func() StatsDB) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ids := []string{"a", "b", "c", "d", "e"}
	var games []store.GameResult
	for i := range 40 {
		r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		n := 2 + r.IntN(3)
		totals := map[string]int{}
		for _, id := range ids[:n] {
			totals[id] = r.IntN(6)
		}
		games = append(games, result(t0.Add(time.Duration(i)*time.Minute), r.IntN(2) == 0, r.IntN(2) == 0, totals, ids[:n]...))
	}
	shuffled := slices.Clone(games)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, g := range shuffled {
		g.Players = slices.Clone(g.Players)
		if ok, err := db.Project(ctx, g, stats.Model{}); err != nil || !ok {
			t.Fatalf("project: %v, %v", ok, err)
		}
	}
	periods := []string{store.PeriodAll, store.MonthPeriod(t0), store.WeekPeriod(t0)}
	out := takeSnapshot(t, db, []string{"a", "b", "c", "d", "e"}, periods)

	// In order, rated in memory as the rebuild does.
	ratings := map[string]store.Rating{}
	for i := range games {
		g := &games[i]
		placings := make([]int, len(g.Players))
		rs := make([]store.Rating, len(g.Players))
		for k, p := range g.Players {
			placings[k] = p.Placing
			rs[k] = cmp.Or(ratings[p.PlayerID], stats.NewRating())
		}
		stats.Rate(placings, rs)
		for k := range g.Players {
			g.Players[k].Rating = rs[k]
			ratings[g.Players[k].PlayerID] = rs[k]
		}
	}
	for id, want := range ratings {
		if got := out.Players[id].Rating; got != want {
			t.Errorf("player %s: rating %+v after games out of order, %+v in order", id, got, want)
		}
	}
	if err := db.RebuildStats(ctx, store.ResultsOf(games)); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, "late games vs rebuild", out, takeSnapshot(t, db, []string{"a", "b", "c", "d", "e"}, periods))
}

// testStatsBoards checks the leaderboards on fixtures: the minimum games,
// ordering, shared ranks, pagination and a player's own rank, periods at
// their boundaries, and the vs-humans and standard filters.
func testStatsBoards(t *testing.T, db StatsDB, _ func() StatsDB) {
	ctx := context.Background()
	march := time.Date(2026, 3, 31, 23, 59, 59, 999_000_000, time.UTC) // a Tuesday
	april := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	var games []store.GameResult
	add := func(r store.GameResult) { games = append(games, r) }
	// In February: 25 games of ann, bob, x and yan (ann and bob win 20
	// each, x and yan none: a shared rank); cat wins 24 of 24 against a
	// CPU (below the minimum); dan wins 10 of 30 against eve.
	at := march.Add(-40 * 24 * time.Hour)
	for i := range 25 {
		w := map[bool]int{true: 0, false: 5}
		add(result(at.Add(time.Duration(i)*time.Minute), true, true,
			map[string]int{"ann": w[i < 20], "bob": w[i >= 5], "x": 9, "yan": 9}, "ann", "bob", "x", "yan"))
	}
	for i := range 24 {
		g := result(at.Add(time.Duration(100+i)*time.Minute), false, false, map[string]int{"cat": 0, "cpu:maya": 3}, "cat", "cpu:maya")
		g.Players[1].CPU = true
		add(g)
	}
	for i := range 30 {
		w := map[bool]int{true: 0, false: 7}
		add(result(at.Add(time.Duration(200+i)*time.Minute), true, i%2 == 0, map[string]int{"dan": w[i < 10], "eve": 4}, "dan", "eve"))
	}
	// The boundary: one game in the last millisecond of March, one in the
	// first of April.
	add(result(march, true, true, map[string]int{"ann": 1, "fay": 2}, "ann", "fay"))
	add(result(april, true, true, map[string]int{"fay": 1, "bob": 2}, "fay", "bob"))
	for _, g := range games {
		if ok, err := db.Project(ctx, g, stats.Model{}); err != nil || !ok {
			t.Fatalf("project: %v %v", ok, err)
		}
	}
	board := func(b store.Board, offset, limit int) ([]store.BoardRow, bool) {
		t.Helper()
		rows, more, err := db.Leaderboard(ctx, b, offset, limit)
		if err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		return rows, more
	}
	type line struct {
		rank int
		id   string
	}
	lines := func(rows []store.BoardRow) []line {
		var out []line
		for _, r := range rows {
			out = append(out, line{r.Rank, r.PlayerID})
		}
		return out
	}
	check := func(what string, got []store.BoardRow, want ...line) {
		t.Helper()
		if g := lines(got); !slices.Equal(g, want) {
			t.Errorf("%s: got %v, want %v", what, g, want)
		}
	}
	wins := store.Board{By: store.ByWins, Period: store.PeriodAll, MinGames: 25}
	rows, more := board(wins, 0, 10)
	// ann: 20 wins in February and the March game, 21 of 26; bob 20 of
	// 26 (he loses in April); eve 20 of 30; dan 10 of 30; x and yan none
	// of 25; cat has 24 games only.
	check("wins", rows, line{1, "ann"}, line{2, "bob"}, line{3, "eve"}, line{4, "dan"}, line{5, "x"}, line{5, "yan"})
	if more {
		t.Error("more rows after the whole board")
	}
	if rows[0].GamesPlayed != 26 || rows[0].GamesWon != 21 || rows[0].Name != "N ann" {
		t.Errorf("ann's row: %+v", rows[0])
	}
	// Shared ranks across a page boundary, and the caller's own rank.
	rows, more = board(wins, 5, 1)
	check("wins page 6", rows, line{5, "yan"})
	if more {
		t.Error("more after the last row")
	}
	rows, more = board(wins, 0, 2)
	if !more || len(rows) != 2 {
		t.Errorf("a page of 2 of 5: %d rows, more %v", len(rows), more)
	}
	if r, err := db.BoardRank(ctx, wins, "yan"); err != nil || r.Rank != 5 || r.PlayerID != "yan" || r.GamesPlayed != 25 {
		t.Errorf("x's own row: %+v, %v", r, err)
	}
	if _, err := db.BoardRank(ctx, wins, "cat"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("cat, below the minimum: %v", err)
	}
	// The minimum is the caller's: at 24 cat leads with 24 of 24.
	rows, _ = board(store.Board{By: store.ByWins, Period: store.PeriodAll, MinGames: 24}, 0, 1)
	check("wins, 24 games", rows, line{1, "cat"})
	if r, err := db.BoardRank(ctx, store.Board{By: store.ByWins, Period: store.PeriodAll, MinGames: 24}, "cpu:maya"); err != nil || r.Rank != 6 || !r.CPU {
		t.Errorf("maya, 0 of 24: %+v %v", r, err)
	}
	// Games played: ties share a rank.
	rows, _ = board(store.Board{By: store.ByGames, Period: store.PeriodAll}, 0, 100)
	check("games", rows, line{1, "dan"}, line{1, "eve"}, line{3, "ann"}, line{3, "bob"}, line{5, "x"}, line{5, "yan"},
		line{7, "cat"}, line{7, "cpu:maya"}, line{9, "fay"})
	// Average score per round, lowest first, at least 25 games: ann 26
	// points in 26 rounds; bob 27 in 26; eve 4 a round, dan 140 in 30;
	// x and yan 9.
	rows, _ = board(store.Board{By: store.ByAvg, Period: store.PeriodAll, MinGames: 25}, 0, 100)
	check("avg", rows, line{1, "ann"}, line{2, "bob"}, line{3, "eve"}, line{4, "dan"}, line{5, "x"}, line{5, "yan"})
	// Periods: the boundary game counts in March, the next in April, and
	// each in its week (Monday 30 March; the April game is in the same week).
	rows, _ = board(store.Board{By: store.ByGames, Period: store.MonthPeriod(march)}, 0, 100)
	check("March", rows, line{1, "ann"}, line{1, "fay"})
	rows, _ = board(store.Board{By: store.ByGames, Period: store.MonthPeriod(april)}, 0, 100)
	check("April", rows, line{1, "bob"}, line{1, "fay"})
	if store.WeekPeriod(march) != "week:2026-03-30" || store.WeekPeriod(april) != store.WeekPeriod(march) {
		t.Fatalf("weeks: %s, %s", store.WeekPeriod(march), store.WeekPeriod(april))
	}
	rows, _ = board(store.Board{By: store.ByGames, Period: store.WeekPeriod(april)}, 0, 100)
	check("the week", rows, line{1, "fay"}, line{2, "ann"}, line{2, "bob"})
	sunday := time.Date(2026, 3, 29, 23, 59, 59, 999_000_000, time.UTC)
	if store.WeekPeriod(sunday) != "week:2026-03-23" {
		t.Errorf("Sunday night belongs to the week of Monday 23rd: %s", store.WeekPeriod(sunday))
	}
	// Filters: cat's games were against a CPU under house rules; dan's
	// standard games are every other one.
	rows, _ = board(store.Board{By: store.ByGames, Period: store.PeriodAll, Scope: store.ScopeHumans}, 0, 100)
	check("vs humans", rows, line{1, "dan"}, line{1, "eve"}, line{3, "ann"}, line{3, "bob"}, line{5, "x"}, line{5, "yan"}, line{7, "fay"})
	rows, _ = board(store.Board{By: store.ByGames, Period: store.PeriodAll, Scope: store.ScopeStandard}, 0, 100)
	check("standard", rows, line{1, "ann"}, line{1, "bob"}, line{3, "x"}, line{3, "yan"}, line{5, "dan"}, line{5, "eve"}, line{7, "fay"})
	rows, _ = board(store.Board{By: store.ByWins, Period: store.PeriodAll, Scope: store.ScopeStandard, MinGames: 15}, 0, 100)
	// The standard games of dan and eve are the even ones: dan wins 5 of
	// 15, eve 10.
	check("standard wins", rows, line{1, "ann"}, line{2, "bob"}, line{3, "eve"}, line{4, "dan"}, line{5, "x"}, line{5, "yan"})
	// Rating: everyone on it, best first; ann above x.
	rows, _ = board(store.Board{By: store.ByRating, Period: store.PeriodAll}, 0, 100)
	if len(rows) != 9 {
		t.Errorf("rating board: %+v", rows)
	}
	for i := 1; i < len(rows); i++ {
		if stats.Display(rows[i].Rating) > stats.Display(rows[i-1].Rating) || rows[i].Rank < rows[i-1].Rank {
			t.Errorf("rating board out of order at %d: %+v", i, rows)
		}
	}
	if _, _, err := db.Leaderboard(ctx, store.Board{By: "fastest", Period: store.PeriodAll}, 0, 10); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an unknown measure: %v", err)
	}
}

// testStatsHistory checks a player's games: newest first, paged, every
// seat with its placing.
func testStatsHistory(t *testing.T, db StatsDB, _ func() StatsDB) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 5 {
		g := result(t0.Add(time.Duration(i)*time.Hour), false, i == 0, map[string]int{"ann": i, "cpu:kenji": 2}, "ann", "cpu:kenji")
		g.Players[1].CPU = true
		if ok, err := db.Project(ctx, g, stats.Model{}); err != nil || !ok {
			t.Fatal(ok, err)
		}
		ids = append(ids, g.GameID)
	}
	// An abandoned game is projected but counts for nothing.
	if ok, err := db.Project(ctx, store.GameResult{GameID: store.NewGameID(), CompletedAt: t0.Add(10 * time.Hour)}, stats.Model{}); err != nil || !ok {
		t.Fatal(ok, err)
	}
	page, more, err := db.PlayerGames(ctx, "ann", 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !more || len(page) != 2 || page[0].GameID != ids[4] || page[1].GameID != ids[3] {
		t.Fatalf("first page: %d games, more %v", len(page), more)
	}
	g := page[0]
	if len(g.Players) != 2 || g.Players[0].PlayerID != "ann" || g.Players[0].Placing != 2 || g.Players[1].Placing != 1 ||
		!g.Players[1].Won || !g.Players[1].CPU || g.Players[0].Total != 4 || !g.CompletedAt.Equal(t0.Add(4*time.Hour)) {
		t.Errorf("newest game: %+v", g)
	}
	page, more, err = db.PlayerGames(ctx, "ann", 4, 2)
	if err != nil || more || len(page) != 1 || page[0].GameID != ids[0] || !page[0].Standard || page[0].Preset != "standard" {
		t.Errorf("last page: %+v, %v, %v", page, more, err)
	}
	if page, _, err := db.PlayerGames(ctx, "nobody", 0, 10); err != nil || len(page) != 0 {
		t.Errorf("a stranger's games: %v, %v", page, err)
	}
	if _, err := db.PlayerStats(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a stranger's stats: %v", err)
	}
}

// testStatsInvalid: a result no game could produce is refused and changes
// nothing.
func testStatsInvalid(t *testing.T, db StatsDB, _ func() StatsDB) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	good := result(t0, true, true, map[string]int{"a": 1, "b": 2}, "a", "b")
	for name, r := range map[string]store.GameResult{
		"bad id":      {GameID: "G1", CompletedAt: t0},
		"no end time": {GameID: store.NewGameID()},
		"no players":  {GameID: store.NewGameID(), CompletedAt: t0, Counted: true},
		"twice": func() store.GameResult {
			r := result(t0, true, true, map[string]int{"a": 1, "b": 2}, "a", "b")
			r.Players[1].PlayerID = "a"
			return r
		}(),
		"placing": func() store.GameResult {
			r := result(t0, true, true, map[string]int{"a": 1, "b": 2}, "a", "b")
			r.Players[1].Placing = 9
			return r
		}(),
	} {
		if ok, err := db.Project(ctx, r, stats.Model{}); ok || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, %v", name, ok, err)
		}
	}
	if ok, err := db.Project(ctx, good, stats.Model{}); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if ok, err := db.Project(ctx, good, stats.Model{}); ok || err != nil {
		t.Errorf("the same game again: %v, %v", ok, err)
	}
	rows, _, err := db.Leaderboard(ctx, store.Board{By: store.ByGames, Period: store.PeriodAll}, 0, 10)
	if err != nil || len(rows) != 2 || rows[0].GamesPlayed != 1 {
		t.Errorf("after refusals and a repeat: %+v, %v", rows, err)
	}
	// A batch is all or nothing: one bad result refuses it whole; a game
	// projected already is skipped, the others written.
	second := result(t0.Add(time.Hour), true, true, map[string]int{"a": 2, "b": 1}, "a", "b")
	if n, err := db.ProjectBatch(ctx, []store.GameResult{second, {GameID: "G1", CompletedAt: t0}}, stats.Model{}); n != 0 || !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a batch with a bad result: %d, %v", n, err)
	}
	if lag, _, err := db.StatsLag(ctx, time.Time{}); err != nil || lag != 0 {
		t.Errorf("lag %d, %v", lag, err) // second was never appended: no lag to see
	}
	third := result(t0.Add(2*time.Hour), true, true, map[string]int{"a": 3, "b": 1}, "a", "b")
	if n, err := db.ProjectBatch(ctx, []store.GameResult{good, second, third, second}, stats.Model{}); n != 2 || err != nil {
		t.Errorf("a batch with a game projected already and one twice: wrote %d, %v; want 2", n, err)
	}
	if p, err := db.PlayerStats(ctx, "b"); err != nil || p.GamesPlayed != 3 || p.GamesWon != 2 {
		t.Errorf("b after the batch: %+v, %v", p, err)
	}
}

// BenchProjection measures the projection on db: b.N random games ended,
// then one pass projects them all (each in its own transaction, as the
// server does); it reports games per second.
func BenchProjection(b *testing.B, db StatsDB) {
	AppendRandomGames(b, db, 31, b.N)
	p := &stats.Projector{Source: db}
	b.ResetTimer()
	start := time.Now()
	n, err := p.Pass(context.Background(), time.Time{})
	if err != nil || n != b.N {
		b.Fatalf("projected %d of %d: %v", n, b.N, err)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "games/s")
}

// BenchProjectionSingle is BenchProjection with a transaction per game
// (Projector.ProjectGame), as the projector wrote before batches.
func BenchProjectionSingle(b *testing.B, db StatsDB) {
	AppendRandomGames(b, db, 31, b.N)
	ctx := context.Background()
	games, err := db.EndedGames(ctx, store.EndedQuery{Limit: b.N})
	if err != nil || len(games) != b.N {
		b.Fatalf("%d ended games: %v", len(games), err)
	}
	p := &stats.Projector{Source: db}
	b.ResetTimer()
	start := time.Now()
	for _, g := range games {
		if ok, err := p.ProjectGame(ctx, g); err != nil || !ok {
			b.Fatalf("project %s: %v %v", g.ID, ok, err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "games/s")
}

// BenchRebuild measures golf stats rebuild over b.N random games.
func BenchRebuild(b *testing.B, db StatsDB) {
	AppendRandomGames(b, db, 32, b.N)
	p := &stats.Projector{Source: db}
	b.ResetTimer()
	start := time.Now()
	if _, read, err := p.Rebuild(context.Background()); err != nil || read != b.N {
		b.Fatalf("rebuilt %d of %d: %v", read, b.N, err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "games/s")
}

// rateInOrder sets the ratings of games (in order) as a rebuild would.
func rateInOrder(games []store.GameResult) {
	ratings := map[string]store.Rating{}
	for i := range games {
		g := &games[i]
		g.Players = slices.Clone(g.Players)
		placings := make([]int, len(g.Players))
		rs := make([]store.Rating, len(g.Players))
		for k, p := range g.Players {
			placings[k] = p.Placing
			rs[k] = cmp.Or(ratings[p.PlayerID], stats.NewRating())
		}
		stats.Rate(placings, rs)
		for k := range g.Players {
			g.Players[k].Rating = rs[k]
			ratings[g.Players[k].PlayerID] = rs[k]
		}
	}
}

// testStatsRelink: a guest who played is linked into an account; Relink
// leaves the statistics a rebuild of the relinked games would give, the
// ratings of everyone they played with included.
func testStatsRelink(t *testing.T, db StatsDB, _ func() StatsDB) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var games []store.GameResult
	pools := [][]string{{"g1", "b"}, {"acc", "c"}, {"g1", "c", "b"}, {"acc", "b"}}
	for i := range 24 {
		ids := pools[i%len(pools)]
		if i == 13 {
			ids = []string{"g1", "acc"} // both seats: g1 keeps this line
		}
		totals := map[string]int{}
		for _, id := range ids {
			totals[id] = r.IntN(5)
		}
		games = append(games, result(t0.Add(time.Duration(i)*time.Hour), true, i%3 == 0, totals, ids...))
	}
	for _, g := range games {
		if ok, err := db.Project(ctx, g, stats.Model{}); err != nil || !ok {
			t.Fatal(ok, err)
		}
	}
	n, err := db.Relink(ctx, "g1", "acc", stats.Model{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 12 { // g1 sat in 13 games, one of them beside acc
		t.Errorf("moved %d lines, want 12", n)
	}
	players := []string{"acc", "g1", "b", "c"}
	periods := []string{store.PeriodAll, store.MonthPeriod(t0), store.WeekPeriod(t0), store.WeekPeriod(t0.Add(24 * time.Hour))}
	got := takeSnapshot(t, db, players, periods)
	if got.Players["acc"].GamesPlayed != 12+12 || got.Players["g1"].GamesPlayed != 1 {
		t.Errorf("after the relink: acc %d games, g1 %d", got.Players["acc"].GamesPlayed, got.Players["g1"].GamesPlayed)
	}
	want := slices.Clone(games)
	for i := range want {
		want[i].Players = slices.Clone(want[i].Players)
		if i == 13 {
			continue
		}
		for k := range want[i].Players {
			if want[i].Players[k].PlayerID == "g1" {
				want[i].Players[k].PlayerID = "acc"
			}
		}
	}
	rateInOrder(want)
	if err := db.RebuildStats(ctx, store.ResultsOf(want)); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, "relinked vs rebuilt", got, takeSnapshot(t, db, players, periods))
	if n, err := db.Relink(ctx, "nobody", "acc", stats.Model{}); n != 0 || err != nil {
		t.Errorf("relinking a player without games: %d, %v", n, err)
	}
	if _, err := db.Relink(ctx, "acc", "acc", stats.Model{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("relinking to oneself: %v", err)
	}
}

// testStatsStrandedGuests: a guest signs in to an account (a real
// guest_links row) after their games were projected under the guest's id;
// the projector's relink pass finds them (StrandedGuests) and moves them
// once, a game projected under the guest's id after the link (the race of
// a sign-in with the projection) is found and moved too, and a game where
// the guest sat beside the account never makes the guest look stranded.
func testStatsStrandedGuests(t *testing.T, db StatsDB, _ func() StatsDB) {
	ctx := context.Background()
	a, ok := db.(store.Accounts)
	if !ok {
		t.Fatal("the backend keeps statistics but no accounts")
	}
	guest, _ := mustGuest(t, a, "Gus")
	other, _ := mustGuest(t, a, "Olga") // never signs in
	acc, _ := mustRegistered(t, a, "acc")
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	projectAll := func(games ...store.GameResult) {
		t.Helper()
		for _, g := range games {
			if ok, err := db.Project(ctx, g, stats.Model{}); err != nil || !ok {
				t.Fatal(ok, err)
			}
		}
	}
	var games []store.GameResult
	for i := range 3 {
		games = append(games, result(at.Add(time.Duration(i)*time.Hour), true, true,
			map[string]int{guest.ID: i, other.ID: 1, acc.ID: 2}, guest.ID, other.ID))
	}
	games = append(games, result(at.Add(5*time.Hour), true, true, map[string]int{acc.ID: 1, other.ID: 2}, acc.ID, other.ID))
	projectAll(games...)
	p := &stats.Projector{Source: db}
	if n, err := p.Relinks(ctx, time.Time{}); n != 0 || err != nil {
		t.Fatalf("relinks before any sign-in: %d, %v", n, err)
	}
	// The guest signs in: StartSession links it, at the session's time.
	sess, _ := newSession(acc.ID, at.Add(6*time.Hour))
	if linked, err := a.StartSession(ctx, sess, guest.ID); err != nil || !linked {
		t.Fatalf("sign-in from the guest: %v, %v", linked, err)
	}
	stranded := func(since time.Time) []store.GuestLink {
		t.Helper()
		l, err := db.StrandedGuests(ctx, since, 10)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if got := stranded(time.Time{}); !slices.Equal(got, []store.GuestLink{{Guest: guest.ID, Account: acc.ID}}) {
		t.Fatalf("stranded guests: %v", got)
	}
	if got := stranded(sess.CreatedAt.Add(time.Second)); len(got) != 0 {
		t.Errorf("links made before since: %v", got)
	}
	if n, err := p.Relinks(ctx, time.Time{}); n != 3 || err != nil {
		t.Fatalf("relink pass: moved %d, %v; want 3", n, err)
	}
	if got := stranded(time.Time{}); len(got) != 0 {
		t.Errorf("stranded after the pass: %v", got)
	}
	if _, err := db.PlayerStats(ctx, guest.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the guest keeps statistics: %v", err)
	}
	ps, err := db.PlayerStats(ctx, acc.ID)
	if err != nil || ps.GamesPlayed != 4 || ps.GamesWon != 3 {
		t.Errorf("the account after the relink: %+v, %v; want 4 games, 3 won", ps, err)
	}
	// A game folded under the guest's id just before the link, projected
	// just after: the next pass moves it.
	late := result(at.Add(5*time.Hour+30*time.Minute), true, false, map[string]int{guest.ID: 0, other.ID: 3}, guest.ID, other.ID)
	projectAll(late)
	if n, err := p.Relinks(ctx, sess.CreatedAt.Add(-time.Minute)); n != 1 || err != nil {
		t.Fatalf("the late game: moved %d, %v", n, err)
	}
	// A game where guest and account both sat: the guest keeps its line,
	// and is not stranded for it.
	both := result(at.Add(7*time.Hour), true, true, map[string]int{guest.ID: 0, acc.ID: 3}, guest.ID, acc.ID)
	projectAll(both)
	if got := stranded(time.Time{}); len(got) != 0 {
		t.Errorf("a game beside the account strands the guest: %v", got)
	}
	if n, err := p.Relinks(ctx, time.Time{}); n != 0 || err != nil {
		t.Errorf("nothing to move: %d, %v", n, err)
	}
	// What the relinks left is what a rebuild of the relinked games gives.
	players := []string{acc.ID, guest.ID, other.ID}
	got := takeSnapshot(t, db, players, []string{store.PeriodAll, store.MonthPeriod(at), store.WeekPeriod(at)})
	if got.Players[acc.ID].GamesPlayed != 6 || got.Players[guest.ID].GamesPlayed != 1 {
		t.Errorf("account %d games, guest %d; want 6 and 1", got.Players[acc.ID].GamesPlayed, got.Players[guest.ID].GamesPlayed)
	}
	want := append(slices.Clone(games), late, both)
	slices.SortFunc(want, func(x, y store.GameResult) int { return x.CompletedAt.Compare(y.CompletedAt) })
	for i := range want {
		want[i].Players = slices.Clone(want[i].Players)
		if i == len(want)-1 {
			continue // both sat: the guest's line stays the guest's
		}
		for k := range want[i].Players {
			if want[i].Players[k].PlayerID == guest.ID {
				want[i].Players[k].PlayerID = acc.ID
			}
		}
	}
	rateInOrder(want)
	if err := db.RebuildStats(ctx, store.ResultsOf(want)); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, "relinked vs rebuilt", got, takeSnapshot(t, db, players, []string{store.PeriodAll, store.MonthPeriod(at), store.WeekPeriod(at)}))
}

// Snapshot is everything the statistics show of some players: their
// profiles, histories, and every board of some periods.
type Snapshot = snapshot

// TakeSnapshot snapshots the players of logs on every board of the
// periods their games ended in.
func TakeSnapshot(t *testing.T, db StatsDB, logs map[string][]game.Event) Snapshot {
	t.Helper()
	var players []string
	for id := range expect(t, db, logs) {
		players = append(players, id)
	}
	slices.Sort(players)
	return takeSnapshot(t, db, players, periodsOf(t, db, logs))
}

// SameSnapshot fails t where a and b differ.
func SameSnapshot(t *testing.T, what string, a, b Snapshot) {
	t.Helper()
	sameSnapshot(t, what, a, b)
}
