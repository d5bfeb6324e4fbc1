// Package storetest is the conformance suite every store.Store backend
// passes. A backend's test calls Run with a function that opens a fresh,
// empty store for one test.
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golf/game"
	"golf/store"
)

// Open returns a fresh, empty store; the suite closes it.
type Open func(t *testing.T) store.Store

// Run runs the suite. Each subtest opens its own store.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"SequenceNumbers", testSequenceNumbers},
		{"Conflict", testConflict},
		{"ConcurrentAppendersOneGame", testConcurrentOneGame},
		{"ConcurrentGames", testConcurrentGames},
		{"BatchIsolation", testBatchIsolation},
		{"GamesIndex", testGamesIndex},
		{"GamesIndexAbandoned", testGamesIndexAbandoned},
		{"GamesIndexOneAppend", testGamesIndexOneAppend},
		{"ActiveGames", testActiveGames},
		{"LoadAfter", testLoadAfter},
		{"LoadLogs", testLoadLogs},
		{"NotFound", testNotFound},
		{"EmptyAppend", testEmptyAppend},
		{"BigRoundEnded", testBigRoundEnded},
		{"CancelledContext", testCancelledContext},
		{"InvalidInput", testInvalidInput},
		{"Closed", testClosed},
		{"Observer", testObserver},
		{"DiscardLobby", testDiscardLobby},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			closed := false
			t.Cleanup(func() {
				if !closed {
					s.Close()
				}
			})
			if tt.name == "Closed" {
				closed = true
			}
			tt.fn(t, s)
		})
	}
}

// played is one finished random game, kept per size so tests share it.
func played(t *testing.T, seed uint64, players, rounds int) [][]game.Event {
	t.Helper()
	groups, err := Play(rand.New(rand.NewPCG(seed, 1)), players, rounds, game.DefaultOptions())
	if err != nil {
		t.Fatalf("simulate a game: %v", err)
	}
	return groups
}

// appendAll appends each group in turn, as a live server would.
func appendAll(t *testing.T, s store.Store, id string, groups [][]game.Event) int64 {
	t.Helper()
	var n int64
	for i, g := range groups {
		if err := s.Append(context.Background(), id, n, g); err != nil {
			t.Fatalf("append group %d (%s) at %d: %v", i, g[0].Type(), n, err)
		}
		n += int64(len(g))
	}
	return n
}

func flatten(groups [][]game.Event) []game.Event {
	var evs []game.Event
	for _, g := range groups {
		evs = append(evs, g...)
	}
	return evs
}

func load(t *testing.T, s store.Store, id string) []store.Record {
	t.Helper()
	recs, err := s.Load(context.Background(), id)
	if err != nil {
		t.Fatalf("Load(%s): %v", id, err)
	}
	return recs
}

// sameEvents reports the first difference between two event lists, judged
// by their canonical encodings (which golden files pin), or "".
func sameEvents(got, want []game.Event) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d events, want %d", len(got), len(want))
	}
	for i := range want {
		g, err1 := game.MarshalEvent(got[i])
		w, err2 := game.MarshalEvent(want[i])
		if err1 != nil || err2 != nil || !bytes.Equal(g, w) {
			return fmt.Sprintf("event %d:\n got: %s\nwant: %s", i+1, g, w)
		}
	}
	return ""
}

func decodeAll(t *testing.T, recs []store.Record) []game.Event {
	t.Helper()
	evs := make([]game.Event, len(recs))
	for i, r := range recs {
		e, err := r.Event()
		if err != nil {
			t.Fatalf("record %d does not decode: %v\n%s", r.Seq, err, r.Data)
		}
		evs[i] = e
	}
	return evs
}

func testRoundTrip(t *testing.T, s store.Store) {
	groups := played(t, 1, 4, 2)
	id := store.NewGameID()
	appendAll(t, s, id, groups)
	got := decodeAll(t, load(t, s, id))
	if diff := sameEvents(got, flatten(groups)); diff != "" {
		t.Fatalf("Load after Append: %s", diff)
	}
	st, err := game.Fold(got)
	if err != nil {
		t.Fatalf("fold the loaded log: %v", err)
	}
	if !st.Over() {
		t.Errorf("folded game is in phase %v, want game over", st.Phase())
	}
}

func testSequenceNumbers(t *testing.T, s store.Store) {
	groups := played(t, 2, 2, 1)
	id := store.NewGameID()
	before := time.Now().Add(-time.Minute)
	appendAll(t, s, id, groups)
	after := time.Now().Add(time.Minute)
	want := flatten(groups)
	recs := load(t, s, id)
	for i, r := range recs {
		if r.Seq != int64(i+1) {
			t.Fatalf("record %d has sequence number %d", i+1, r.Seq)
		}
		if r.GameID != id {
			t.Errorf("record %d: game id %q, want %q", r.Seq, r.GameID, id)
		}
		if r.Type != want[i].Type() {
			t.Errorf("record %d: type %q, want %q", r.Seq, r.Type, want[i].Type())
		}
		if r.PlayerID != want[i].Actor() {
			t.Errorf("record %d (%s): player id %q, want the actor %q", r.Seq, r.Type, r.PlayerID, want[i].Actor())
		}
		if r.At.Before(before) || r.At.After(after) {
			t.Errorf("record %d: created at %v, want about now", r.Seq, r.At)
		}
	}
}

func joined(id string) game.Event { return game.PlayerJoined{PlayerID: id, Name: "W " + id} }

func testConflict(t *testing.T, s store.Store) {
	ctx := context.Background()
	id := store.NewGameID()
	if err := s.Append(ctx, id, 0, []game.Event{joined("a"), joined("b"), joined("c")}); err != nil {
		t.Fatal(err)
	}
	for _, expected := range []int64{0, 1, 2, 4, 5, 100} {
		err := s.Append(ctx, id, expected, []game.Event{joined("x"), joined("y")})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("Append at %d to a log of 3: err = %v, want ErrConflict", expected, err)
		}
	}
	if n := len(load(t, s, id)); n != 3 {
		t.Fatalf("after conflicting appends the log holds %d events, want 3", n)
	}
	if err := s.Append(ctx, id, 3, []game.Event{joined("d")}); err != nil {
		t.Fatalf("Append at the right count after conflicts: %v", err)
	}
	// A new game: anything but 0 conflicts.
	if err := s.Append(ctx, store.NewGameID(), 1, []game.Event{joined("a")}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Append at 1 to an empty log: err = %v, want ErrConflict", err)
	}
}

// testConcurrentOneGame races writers for each sequence number: exactly
// one wins each, the rest get ErrConflict, and the log has neither gaps
// nor forks.
func testConcurrentOneGame(t *testing.T, s store.Store) {
	const writers, rounds = 8, 20
	ctx := context.Background()
	id := store.NewGameID()
	for seq := int64(0); seq < rounds; seq++ {
		var (
			wg      sync.WaitGroup
			start   = make(chan struct{})
			errs    = make([]error, writers)
			winners []int
		)
		for w := range writers {
			wg.Go(func() {
				<-start
				errs[w] = s.Append(ctx, id, 2*seq, []game.Event{joined(fmt.Sprintf("w%d-%d", w, seq)), joined(fmt.Sprintf("v%d-%d", w, seq))})
			})
		}
		close(start)
		wg.Wait()
		for w, err := range errs {
			switch {
			case err == nil:
				winners = append(winners, w)
			case !errors.Is(err, store.ErrConflict):
				t.Fatalf("writer %d at %d: %v", w, seq, err)
			}
		}
		if len(winners) != 1 {
			t.Fatalf("at %d: %d writers won (%v), want exactly 1", seq, len(winners), winners)
		}
		recs := load(t, s, id)
		if len(recs) != int(2*(seq+1)) {
			t.Fatalf("after round %d the log holds %d events, want %d", seq, len(recs), 2*(seq+1))
		}
		for _, r := range recs[2*seq:] {
			e, err := r.Event()
			if err != nil {
				t.Fatal(err)
			}
			if p := e.(game.PlayerJoined).PlayerID; !strings.HasSuffix(p, fmt.Sprintf("%d-%d", winners[0], seq)) {
				t.Fatalf("event %d is %s's, but writer %d won: the log forked", r.Seq, p, winners[0])
			}
		}
	}
	// Check the whole log once more for gaps.
	for i, r := range load(t, s, id) {
		if r.Seq != int64(i+1) {
			t.Fatalf("gap: record %d has sequence number %d", i+1, r.Seq)
		}
	}
}

// testConcurrentGames plays many games at once, each appending move by
// move, so the group committer batches Appends of different games.
func testConcurrentGames(t *testing.T, s store.Store) {
	const games = 24
	ids := make([]string, games)
	logs := make([][][]game.Event, games)
	for i := range games {
		ids[i] = store.NewGameID()
		logs[i] = played(t, uint64(100+i), 2+i%5, 1)
	}
	var wg sync.WaitGroup
	errs := make(chan error, games)
	for i := range games {
		wg.Go(func() {
			var n int64
			for _, g := range logs[i] {
				if err := s.Append(context.Background(), ids[i], n, g); err != nil {
					errs <- fmt.Errorf("game %d at %d: %w", i, n, err)
					return
				}
				n += int64(len(g))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, id := range ids {
		if diff := sameEvents(decodeAll(t, load(t, s, id)), flatten(logs[i])); diff != "" {
			t.Errorf("game %d: %s", i, diff)
		}
		g, err := s.Game(context.Background(), id)
		if err != nil || g.Status != "completed" {
			t.Errorf("game %d: index row %+v, %v; want status completed", i, g, err)
		}
	}
}

// testBatchIsolation sends good and conflicting Appends of many games at
// once: each gets its own verdict, a conflict in a batch fails no other.
func testBatchIsolation(t *testing.T, s store.Store) {
	const games = 64
	ctx := context.Background()
	ids := make([]string, games)
	for i := range ids {
		ids[i] = store.NewGameID()
		if err := s.Append(ctx, ids[i], 0, []game.Event{joined("a")}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, games)
	start := make(chan struct{})
	for i := range games {
		wg.Go(func() {
			<-start
			expected := int64(1)
			if i%2 == 1 {
				expected = 0 // stale
			}
			errs[i] = s.Append(ctx, ids[i], expected, []game.Event{joined("b"), joined("c")})
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		want := 3
		if i%2 == 1 {
			want = 1
			if !errors.Is(err, store.ErrConflict) {
				t.Errorf("stale append to game %d: err = %v, want ErrConflict", i, err)
			}
		} else if err != nil {
			t.Errorf("good append to game %d: %v", i, err)
		}
		if n := len(load(t, s, ids[i])); n != want {
			t.Errorf("game %d holds %d events, want %d", i, n, want)
		}
	}
}

func settingsJSON(t *testing.T, s game.Settings) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameJSON compares JSON texts as values (JSONB reorders keys).
func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// testGamesIndex follows one real game's index row from creation to end.
func testGamesIndex(t *testing.T, s store.Store) {
	ctx := context.Background()
	groups := played(t, 3, 3, 2)
	id := store.NewGameID()
	created := groups[0][0].(game.GameCreated)
	var n int64
	var state game.State
	for _, g := range groups {
		if err := s.Append(ctx, id, n, g); err != nil {
			t.Fatal(err)
		}
		n += int64(len(g))
		for _, e := range g {
			if err := state.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
		row, err := s.Game(ctx, id)
		if err != nil {
			t.Fatalf("Game after %s: %v", g[0].Type(), err)
		}
		if row.ID != id || row.RoomCode != created.RoomCode {
			t.Fatalf("row id/room = %s/%q, want %s/%q", row.ID, row.RoomCode, id, created.RoomCode)
		}
		if row.CreatedAt.IsZero() {
			t.Error("created_at is zero")
		}
		switch state.Phase() {
		case game.PhaseWaiting:
			if row.Status != "active" || row.NumPlayers != 0 || len(row.PlayerIDs) != 0 {
				t.Fatalf("lobby row = %+v, want active, no players yet", row)
			}
			if want := settingsJSON(t, state.Settings()); !sameJSON(row.Options, []byte(want)) {
				t.Fatalf("lobby options = %s, want %s", row.Options, want)
			}
		case game.PhaseGameOver:
			res := state.Result()
			if row.Status != "completed" || row.WinnerID != res.Winners[0] || row.CompletedAt.IsZero() {
				t.Fatalf("ended row = %+v, want completed, winner %s, completed_at set", row, res.Winners[0])
			}
			if !slices.Equal(row.PlayerIDs, []string{"p0", "p1", "p2"}) || row.NumPlayers != 3 || row.NumRounds != 2 {
				t.Fatalf("ended row lost its players: %q, %d players, %d rounds", row.PlayerIDs, row.NumPlayers, row.NumRounds)
			}
			if row.CompletedAt.Before(row.CreatedAt) {
				t.Errorf("completed_at %v before created_at %v", row.CompletedAt, row.CreatedAt)
			}
		default:
			st := state.Settings()
			want := settingsJSON(t, game.Settings{Decks: st.DecksFor(state.NumSeats()), Rounds: st.Rounds, Options: st.Options})
			if row.Status != "active" || row.NumPlayers != 3 || row.NumRounds != 2 || !sameJSON(row.Options, []byte(want)) {
				t.Fatalf("started row = %+v (options %s), want active, 3 players, 2 rounds, options %s", row, row.Options, want)
			}
			if !slices.Equal(row.PlayerIDs, []string{"p0", "p1", "p2"}) {
				t.Fatalf("player ids = %q, want the seat order", row.PlayerIDs)
			}
			if !row.CompletedAt.IsZero() || row.WinnerID != "" {
				t.Fatalf("active row has completed_at %v, winner %q", row.CompletedAt, row.WinnerID)
			}
		}
	}
	if !state.Over() {
		t.Fatal("simulated game did not end")
	}
}

func testGamesIndexAbandoned(t *testing.T, s store.Store) {
	ctx := context.Background()
	var st game.State
	var log []game.Event
	changed := game.DefaultSettings()
	changed.Rounds, changed.Decks = 3, 2
	changed.Options.KnockEarly = true
	for _, c := range []game.Command{
		game.CreateGameCmd("h", "Host", "ABCD", game.DefaultSettings()),
		game.JoinCmd("g", "Guest"),
		game.ChangeSettingsCmd("h", changed),
		game.EndGameCmd("h"),
	} {
		evs, err := game.Decide(&st, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if err := st.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
		log = append(log, evs...)
	}
	id := store.NewGameID()
	if err := s.Append(ctx, id, 0, log); err != nil {
		t.Fatal(err)
	}
	row, err := s.Game(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if row.Status != "abandoned" || row.CompletedAt.IsZero() || row.RoomCode != "ABCD" || row.WinnerID != "" {
		t.Fatalf("abandoned lobby row = %+v, want status abandoned, completed_at set, room ABCD, no winner", row)
	}
	if want := settingsJSON(t, changed); !sameJSON(row.Options, []byte(want)) {
		t.Errorf("options after SettingsChanged = %s, want %s", row.Options, want)
	}
	if recs := load(t, s, id); recs[len(recs)-1].PlayerID != "h" {
		t.Errorf("GameEnded by the host: player id %q, want h", recs[len(recs)-1].PlayerID)
	}
}

// testGamesIndexOneAppend writes a whole game in one Append (an import
// does): the row ends as if it had been written move by move.
func testGamesIndexOneAppend(t *testing.T, s store.Store) {
	ctx := context.Background()
	groups := played(t, 6, 4, 1)
	all := flatten(groups)
	st, err := game.Fold(all)
	if err != nil {
		t.Fatal(err)
	}
	id := store.NewGameID()
	if err := s.Append(ctx, id, 0, all); err != nil {
		t.Fatal(err)
	}
	row, err := s.Game(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := settingsJSON(t, st.Settings())
	if row.Status != "completed" || row.WinnerID != st.Result().Winners[0] || row.NumPlayers != 4 || row.NumRounds != 1 ||
		len(row.PlayerIDs) != 4 || row.CompletedAt.IsZero() || !sameJSON(row.Options, []byte(want)) {
		t.Fatalf("row = %+v (options %s), want completed, winner %s, 4 players, 1 round, options %s",
			row, row.Options, st.Result().Winners[0], want)
	}
}

func testActiveGames(t *testing.T, s store.Store) {
	ctx := context.Background()
	got, err := s.ActiveGames(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("ActiveGames of an empty store = %v, %v; want none", got, err)
	}
	done := store.NewGameID()
	appendAll(t, s, done, played(t, 4, 2, 1))
	var active []string
	for range 3 {
		id := store.NewGameID()
		groups := played(t, 5, 2, 1)
		appendAll(t, s, id, groups[:len(groups)/2])
		active = append(active, id)
	}
	// A log with no GameCreated has no index row, so is not listed.
	orphan := store.NewGameID()
	if err := s.Append(ctx, orphan, 0, []game.Event{joined("x")}); err != nil {
		t.Fatal(err)
	}
	got, err = s.ActiveGames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(active)
	if !slices.Equal(got, active) {
		t.Fatalf("ActiveGames = %v, want %v", got, active)
	}
	all, err := s.GameIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(active), done, orphan)
	slices.Sort(want)
	if !slices.Equal(all, want) {
		t.Fatalf("GameIDs = %v, want %v (sorted)", all, want)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	id := store.NewGameID()
	if _, err := s.Load(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load of an unknown game: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Game(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Game of an unknown game: err = %v, want ErrNotFound", err)
	}
	for _, bad := range []string{"", "not-a-uuid", strings.ToUpper(id), "{" + id[1:] + "}"} {
		if _, err := s.Load(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Load(%q): err = %v, want ErrInvalid", bad, err)
		}
		if _, err := s.Game(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Game(%q): err = %v, want ErrInvalid", bad, err)
		}
	}
}

func testEmptyAppend(t *testing.T, s store.Store) {
	ctx := context.Background()
	id := store.NewGameID()
	for _, evs := range [][]game.Event{nil, {}} {
		if err := s.Append(ctx, id, 0, evs); err != nil {
			t.Fatalf("empty Append: %v", err)
		}
	}
	if _, err := s.Load(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after an empty Append, Load: err = %v, want ErrNotFound", err)
	}
	if err := s.Append(ctx, "bad id", 0, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty Append with a bad id: err = %v, want ErrInvalid", err)
	}
}

// testBigRoundEnded stores the largest RoundEnded the rules allow: six
// players, every hand revealed, many adjustments each.
func testBigRoundEnded(t *testing.T, s store.Store) {
	re := game.RoundEnded{Round: 18, Reason: game.ReasonWentOut, FinisherID: "player-with-a-rather-long-id-0"}
	for p := range game.MaxPlayers {
		rp := game.RoundPlayer{PlayerID: fmt.Sprintf("player-with-a-rather-long-id-%d", p), HandScore: 40 + p,
			RoundScore: 80 + p, Total: 1000 + p, RoundsWon: p}
		for i := range 6 {
			rp.Hand[i] = game.Card{Rank: game.Rank(1 + (p+i)%13), Suit: game.Suit(1 + i%4), Deck: uint8(p % 3)}
		}
		for a := range 12 {
			rp.Adjustments = append(rp.Adjustments, game.Adjustment{Rule: fmt.Sprintf("rule_%d", a), Points: a - 6})
		}
		re.Players = append(re.Players, rp)
		re.Winners = append(re.Winners, rp.PlayerID)
	}
	id := store.NewGameID()
	want := []game.Event{joined("a"), re}
	if err := s.Append(context.Background(), id, 0, want); err != nil {
		t.Fatal(err)
	}
	recs := load(t, s, id)
	if diff := sameEvents(decodeAll(t, recs), want); diff != "" {
		t.Fatal(diff)
	}
	if len(recs[1].Data) < 2000 {
		t.Errorf("big RoundEnded stored in %d bytes; the test meant a big event", len(recs[1].Data))
	}
}

func testCancelledContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	id := store.NewGameID()
	if err := s.Append(ctx, id, 0, []game.Event{joined("a")}); !errors.Is(err, context.Canceled) {
		t.Errorf("Append with a cancelled context: err = %v, want context.Canceled", err)
	}
	if _, err := s.Load(context.Background(), id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a cancelled Append, Load: err = %v, want ErrNotFound (nothing stored)", err)
	}
	if _, err := s.Load(ctx, id); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context: err = %v, want context.Canceled", err)
	}
	if _, err := s.ActiveGames(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ActiveGames with a cancelled context: err = %v, want context.Canceled", err)
	}
	// Cancelled while others write: either it was written whole or not at
	// all, and an error means not at all.
	for i := range 20 {
		id := store.NewGameID()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Append(ctx, id, 0, []game.Event{joined("a"), joined("b")}) }()
		if i%2 == 0 {
			cancel()
		}
		err := <-done
		cancel()
		recs, lerr := s.Load(context.Background(), id)
		switch {
		case err == nil && len(recs) != 2:
			t.Fatalf("Append returned nil but the log holds %d events (%v)", len(recs), lerr)
		case err != nil && !errors.Is(lerr, store.ErrNotFound):
			t.Fatalf("Append returned %v but the log holds %d events", err, len(recs))
		case err != nil && !errors.Is(err, context.Canceled):
			t.Fatalf("Append: %v, want nil or context.Canceled", err)
		}
	}
}

func testInvalidInput(t *testing.T, s store.Store) {
	ctx := context.Background()
	id := store.NewGameID()
	long := strings.Repeat("x", 51)
	cases := []struct {
		name     string
		id       string
		expected int64
		events   []game.Event
	}{
		{"bad id", "game-1", 0, []game.Event{joined("a")}},
		{"negative expected", id, -1, []game.Event{joined("a")}},
		{"nil event", id, 0, []game.Event{joined("a"), nil}},
		{"feed redaction", id, 0, []game.Event{game.HiddenDraw{PlayerID: "a", Source: game.SourceDeck}}},
		{"long actor", id, 0, []game.Event{joined(long)}},
		{"long room code", id, 0, []game.Event{game.GameCreated{RoomCode: "ABCDEFGHIJK", HostID: "h", Settings: game.DefaultSettings()}}},
		{"long player in start", id, 0, []game.Event{game.GameStarted{PlayerID: "h", Players: []string{"h", long}, Decks: 1, Rounds: 1, Options: game.DefaultOptions()}}},
	}
	for _, c := range cases {
		if err := s.Append(ctx, c.id, c.expected, c.events); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", c.name, err)
		}
	}
	if _, err := s.Load(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after refused Appends, Load: err = %v, want ErrNotFound", err)
	}
}

func testClosed(t *testing.T, s store.Store) {
	id := store.NewGameID()
	if err := s.Append(context.Background(), id, 0, []game.Event{joined("a")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping of an open store: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Append(context.Background(), id, 1, []game.Event{joined("b")}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Append after Close: err = %v, want ErrClosed", err)
	}
	if err := s.Ping(context.Background()); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Ping after Close: err = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// observed records what a store tells its Observer.
type observed struct {
	mu       sync.Mutex
	outcomes map[string]int
	batches  []int
}

func (o *observed) Appended(wait time.Duration, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if wait < 0 {
		outcome = "negative wait"
	}
	o.outcomes[outcome]++
}

func (o *observed) Committed(appends int, took time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.batches = append(o.batches, appends)
}

// testObserver: a backend that can be observed reports each Append with
// its verdict, and batches that add up to the Appends written.
func testObserver(t *testing.T, s store.Store) {
	obs, ok := s.(interface{ Observe(store.Observer) })
	if !ok {
		t.Fatalf("%T has no Observe method", s)
	}
	o := &observed{outcomes: map[string]int{}}
	obs.Observe(o)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			id := store.NewGameID()
			for i := range 5 {
				if err := s.Append(ctx, id, int64(i), []game.Event{joined(fmt.Sprint("p", i))}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	id := store.NewGameID()
	if err := s.Append(ctx, id, 0, []game.Event{joined("a")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, id, 0, []game.Event{joined("b")}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second Append at 0: %v, want ErrConflict", err)
	}
	obs.Observe(nil)
	if err := s.Append(ctx, id, 1, []game.Event{joined("c")}); err != nil {
		t.Fatal(err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if want := map[string]int{"ok": 41, "conflict": 1}; !reflect.DeepEqual(o.outcomes, want) {
		t.Errorf("observed Appends %v, want %v", o.outcomes, want)
	}
	sum := 0
	for _, n := range o.batches {
		if n < 1 {
			t.Errorf("a batch of %d appends", n)
		}
		sum += n
	}
	if sum != 42 {
		t.Errorf("batches %v add up to %d appends, want 42", o.batches, sum)
	}
}

func testLoadAfter(t *testing.T, s store.Store) {
	ctx := context.Background()
	id := store.NewGameID()
	groups := played(t, 11, 3, 1)
	n := appendAll(t, s, id, groups)
	all := decodeAll(t, load(t, s, id))
	for _, after := range []int64{0, 1, n / 2, n - 1, n, n + 5} {
		recs, err := s.LoadAfter(ctx, id, after)
		if err != nil {
			t.Fatalf("LoadAfter %d: %v", after, err)
		}
		want := all[min(after, n):]
		if int64(len(recs)) != int64(len(want)) {
			t.Fatalf("LoadAfter %d: %d records, want %d", after, len(recs), len(want))
		}
		for i, r := range recs {
			if r.Seq != after+int64(i)+1 || r.GameID != id {
				t.Fatalf("LoadAfter %d: record %d is %s #%d", after, i, r.GameID, r.Seq)
			}
		}
		if d := sameEvents(decodeAll(t, recs), want); d != "" {
			t.Fatalf("LoadAfter %d: %s", after, d)
		}
	}
	if recs, err := s.LoadAfter(ctx, store.NewGameID(), 0); err != nil || len(recs) != 0 {
		t.Fatalf("LoadAfter of an unknown game: %d records, %v; want none", len(recs), err)
	}
	for _, bad := range []struct {
		id    string
		after int64
	}{{"not-a-uuid", 0}, {id, -1}} {
		if _, err := s.LoadAfter(ctx, bad.id, bad.after); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("LoadAfter(%q, %d): %v, want ErrInvalid", bad.id, bad.after, err)
		}
	}
}

func testLoadLogs(t *testing.T, s store.Store) {
	ctx := context.Background()
	// Games of several lengths, appended interleaved, so that their rows
	// are mixed in the table.
	ids := make([]string, 5)
	logs := make([][][]game.Event, len(ids))
	for i := range ids {
		ids[i] = store.NewGameID()
		logs[i] = played(t, uint64(20+i), 2+i%3, 1+i%2)
	}
	at := make([]int64, len(ids))
	for step := 0; ; step++ {
		more := false
		for i, groups := range logs {
			if step < len(groups) {
				if err := s.Append(ctx, ids[i], at[i], groups[step]); err != nil {
					t.Fatal(err)
				}
				at[i] += int64(len(groups[step]))
				more = true
			}
		}
		if !more {
			break
		}
	}
	unknown := store.NewGameID()
	ask := []string{ids[3], unknown, ids[0], ids[4], ids[1]} // not ids[2]
	got := map[string][]store.Record{}
	err := s.LoadLogs(ctx, ask, func(id string, recs []store.Record) error {
		if _, twice := got[id]; twice {
			t.Errorf("game %s visited twice", id)
		}
		got[id] = recs
		return nil
	})
	if err != nil {
		t.Fatalf("LoadLogs: %v", err)
	}
	if len(got) != 4 {
		t.Errorf("LoadLogs visited %d games, want the 4 asked for that have events", len(got))
	}
	for _, i := range []int{3, 0, 4, 1} {
		recs, ok := got[ids[i]]
		if !ok {
			t.Errorf("game %d not visited", i)
			continue
		}
		want := load(t, s, ids[i])
		if len(recs) != len(want) {
			t.Fatalf("game %d: %d records, want %d", i, len(recs), len(want))
		}
		for j, r := range recs {
			w := want[j]
			if r.GameID != ids[i] || r.Seq != int64(j)+1 || r.Type != w.Type || r.PlayerID != w.PlayerID || !r.At.Equal(w.At) {
				t.Fatalf("game %d, record %d: %s #%d %s %q %v, want %s #%d %s %q %v", i, j, r.GameID, r.Seq, r.Type, r.PlayerID, r.At,
					w.GameID, w.Seq, w.Type, w.PlayerID, w.At)
			}
		}
		// The records stay intact after the next game was read.
		if d := sameEvents(decodeAll(t, recs), flatten(logs[i])); d != "" {
			t.Fatalf("game %d: %s", i, d)
		}
	}
	if _, ok := got[unknown]; ok {
		t.Error("a game without events was visited")
	}

	// fn's error stops the reading and is returned.
	stop := errors.New("enough")
	calls := 0
	err = s.LoadLogs(ctx, ids, func(string, []store.Record) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("fn failing: LoadLogs returned %v after %d calls, want its error after 1", err, calls)
	}
	// Nothing asked, nothing visited; a malformed id is refused before
	// anything is read.
	for _, ask := range [][]string{nil, {}} {
		if err := s.LoadLogs(ctx, ask, func(string, []store.Record) error { t.Error("visited"); return nil }); err != nil {
			t.Errorf("LoadLogs(%v): %v", ask, err)
		}
	}
	err = s.LoadLogs(ctx, []string{ids[0], "not-a-uuid"}, func(string, []store.Record) error { t.Error("visited"); return nil })
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("LoadLogs with a malformed id: %v, want ErrInvalid", err)
	}
}

func playedGroups(t *testing.T) [][]game.Event { return played(t, 14, 2, 1) }

// testDiscardLobby: a game that never started is deleted whole (its log
// and its index row); a started one, and a missing one, are left alone.
func testDiscardLobby(t *testing.T, s store.Store) {
	d, ok := s.(store.LobbyDiscarder)
	if !ok {
		t.Fatal("the store does not implement store.LobbyDiscarder")
	}
	ctx := context.Background()
	lobby := store.NewGameID()
	st := new(game.State)
	var evs []game.Event
	for _, cmd := range []game.Command{game.CreateGameCmd("p1", "Ann", "ABCD", game.DefaultSettings()),
		game.JoinCmd("p2", "Bob"), game.EndGameCmd(game.Platform)} {
		e, err := game.Decide(st, cmd)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range e {
			if err := st.Apply(ev); err != nil {
				t.Fatal(err)
			}
		}
		evs = append(evs, e...)
	}
	if err := s.Append(ctx, lobby, 0, evs); err != nil {
		t.Fatal(err)
	}
	played := store.NewGameID()
	appendAll(t, s, played, playedGroups(t))
	if gone, err := d.DiscardLobby(ctx, lobby); err != nil || !gone {
		t.Fatalf("discard the lobby: %v, %v; want true", gone, err)
	}
	if _, err := s.Load(ctx, lobby); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the discarded lobby's log: %v, want not found", err)
	}
	if _, err := s.Game(ctx, lobby); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the discarded lobby's index row: %v, want not found", err)
	}
	if ids, _ := s.GameIDs(ctx); slices.Contains(ids, lobby) {
		t.Errorf("GameIDs still lists the discarded lobby")
	}
	if gone, err := d.DiscardLobby(ctx, played); err != nil || gone {
		t.Fatalf("discard a played game: %v, %v; want false", gone, err)
	}
	if recs, err := s.Load(ctx, played); err != nil || len(recs) == 0 {
		t.Errorf("the played game after a refused discard: %d events, %v", len(recs), err)
	}
	if gone, err := d.DiscardLobby(ctx, store.NewGameID()); err != nil || gone {
		t.Errorf("discard a missing game: %v, %v; want false", gone, err)
	}
}
