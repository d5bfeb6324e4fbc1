package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"golf/game"
	"golf/limit"
	"golf/replay"
	"golf/stats"
	"golf/store"
	"golf/store/sqlite"
	"golf/store/storetest"
)

// newReplayServer is an accounts server with replays on.
func newReplayServer(t *testing.T) *testServer {
	return newAccountServer(t, &accountSetup{edit: func(c *testSetup) {
		c.Deps.Replays = replay.New(c.Live.Store.(replay.Store), nil)
	}})
}

// storeGame appends a random game whose seat i is ids[i]; whole, or only
// its first half (a game in progress).
func storeGame(t *testing.T, ts *testServer, seed uint64, ids []string, whole bool) string {
	t.Helper()
	groups, err := storetest.Play(rand.New(rand.NewPCG(seed, 5)), len(ids), 2, game.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !whole {
		groups = groups[:len(groups)/2]
	}
	id := store.NewGameID()
	var n int64
	for _, g := range groups {
		evs := make([]game.Event, len(g))
		for k, e := range g {
			b, _ := game.MarshalEvent(e)
			for i, uid := range ids {
				b = bytes.ReplaceAll(b, []byte(`"p`+itoa(i)+`"`), []byte(`"`+uid+`"`))
			}
			if evs[k], err = game.UnmarshalEvent(b); err != nil {
				t.Fatal(err)
			}
		}
		if err := ts.st.Append(context.Background(), id, n, evs); err != nil {
			t.Fatal(err)
		}
		n += int64(len(evs))
	}
	return id
}

func gameCount(t *testing.T, ts *testServer) int {
	ids, err := ts.st.GameIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(ids)
}

func TestReplayHTTP(t *testing.T) {
	ts := newReplayServer(t)
	host, stranger, anon := newVisitor(t, ts), newVisitor(t, ts), newVisitor(t, ts)
	hostID := host.guest("Ann").userID()
	stranger.guest("Zed")
	id := storeGame(t, ts, 1, []string{hostID, "cpu-1", "cpu-2"}, true)
	running := storeGame(t, ts, 2, []string{hostID, "cpu-1"}, false)

	info := anon.do("GET", "/api/games/"+id, nil).must(t, http.StatusOK)
	if info.body["visibility"] != "unlisted" || info.body["status"] != "completed" || info.body["mine"] != false {
		t.Errorf("info = %s", info.raw)
	}
	if host.do("GET", "/api/games/"+id, nil).body["mine"] != true {
		t.Error("the host's info does not say mine")
	}

	// Export: a download named for the room and the day.
	ex := anon.do("GET", "/api/games/"+id+"/export", nil).must(t, http.StatusOK)
	if cd := ex.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="golf-ROOM-`) || !strings.HasSuffix(cd, `.json"`) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if _, err := replay.Decode(ex.raw); err != nil {
		t.Fatalf("the export does not import: %v", err)
	}

	// A game in progress: 409, and nothing of it.
	for _, path := range []string{"/export", "/replay", "/replay?seat=0"} {
		r := host.do("GET", "/api/games/"+running+path, nil).must(t, http.StatusConflict)
		if r.code() != "game_in_progress" || len(r.body) != 2 {
			t.Errorf("%s of a game in progress: %s", path, r.raw)
		}
	}

	// Replays: open, a seat, refusals.
	rep := anon.do("GET", "/api/games/"+id+"/replay?seat=1", nil).must(t, http.StatusOK)
	if rep.body["perspective"] != float64(1) || len(rep.body["steps"].([]any)) == 0 {
		t.Errorf("replay: perspective %v, %d steps", rep.body["perspective"], len(rep.body["steps"].([]any)))
	}
	anon.do("GET", "/api/games/"+id+"/replay?seat=7", nil).must(t, http.StatusNotFound)
	anon.do("GET", "/api/games/"+id+"/replay?seat=x", nil).must(t, http.StatusBadRequest)
	req, _ := http.NewRequest("GET", ts.ts.URL+"/api/games/"+id+"/replay", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Error("the replay is not gzipped for a client that takes gzip")
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var open replay.Replay
	if err := json.NewDecoder(zr).Decode(&open); err != nil || open.Perspective != replay.Open {
		t.Errorf("gzipped replay: %v, perspective %d", err, open.Perspective)
	}
	res.Body.Close()

	// Visibility: strangers may not change it; the host makes it private,
	// and then it answers everyone else exactly like a missing game.
	stranger.do("PUT", "/api/games/"+id+"/visibility", map[string]any{"visibility": "public"}).must(t, http.StatusForbidden)
	anon.do("PUT", "/api/games/"+id+"/visibility", map[string]any{"visibility": "public"}).must(t, http.StatusUnauthorized)
	host.do("PUT", "/api/games/"+id+"/visibility", map[string]any{"visibility": "secret"}).must(t, http.StatusBadRequest)
	host.do("PUT", "/api/games/"+id+"/visibility", map[string]any{"visibility": "private"}).must(t, http.StatusOK)
	missing := "/api/games/" + store.NewGameID()
	for _, sub := range []string{"", "/export", "/replay"} {
		want := anon.do("GET", missing+sub, nil).must(t, http.StatusNotFound)
		for _, v := range []*visitor{anon, stranger} {
			got := v.do("GET", "/api/games/"+id+sub, nil).must(t, http.StatusNotFound)
			if !bytes.Equal(got.raw, want.raw) {
				t.Errorf("private %s answers %s, a missing game %s", sub, got.raw, want.raw)
			}
		}
		host.do("GET", "/api/games/"+id+sub, nil).must(t, http.StatusOK)
	}
	stranger.do("PUT", "/api/games/"+id+"/visibility", map[string]any{"visibility": "public"}).must(t, http.StatusNotFound)

	// Public: listed on the recent games page.
	if n := len(anon.do("GET", "/api/games/recent", nil).must(t, http.StatusOK).body["games"].([]any)); n != 0 {
		t.Errorf("recent games before any is public: %d", n)
	}
	host.do("PUT", "/api/games/"+id+"/visibility", map[string]any{"visibility": "public"}).must(t, http.StatusOK)
	recent := anon.do("GET", "/api/games/recent", nil).must(t, http.StatusOK).body["games"].([]any)
	if len(recent) != 1 || recent[0].(map[string]any)["id"] != id {
		t.Errorf("recent games = %v", recent)
	}
	anon.do("GET", "/api/games/recent?before=yesterday", nil).must(t, http.StatusBadRequest)
	for _, page := range []string{"/replay/" + id, "/games"} {
		if r := anon.do("GET", page, nil); r.status != http.StatusOK {
			t.Errorf("GET %s: %d", page, r.status)
		}
	}
}

func TestImportHTTP(t *testing.T) {
	ts := newReplayServer(t)
	owner, stranger, anon := newVisitor(t, ts), newVisitor(t, ts), newVisitor(t, ts)
	owner.guest("Ann")
	stranger.guest("Zed")
	id := storeGame(t, ts, 3, []string{"a1", "a2", "a3"}, true)
	file := anon.do("GET", "/api/games/"+id+"/export", nil).must(t, http.StatusOK).raw

	post := func(v *visitor, body []byte) reply {
		t.Helper()
		req, _ := http.NewRequest("POST", ts.ts.URL+"/api/games/import", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err := v.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		r := reply{status: res.StatusCode, header: res.Header, raw: raw}
		json.Unmarshal(raw, &r.body)
		return r
	}
	post(anon, file).must(t, http.StatusUnauthorized)

	// Damaged files: each refused with its code and first bad event, and
	// nothing stored.
	var doc map[string]any
	json.Unmarshal(file, &doc)
	evs := doc["events"].([]any)
	doc["events"] = append(append([]any{}, evs[:7]...), evs[8:]...)
	gap, _ := json.Marshal(doc)
	before := gameCount(t, ts)
	for _, c := range []struct {
		body   []byte
		status int
		code   string
		seq    float64
	}{
		{gap, http.StatusBadRequest, "import_gap", 8},
		{[]byte(`{"format":"golf-game","version":9}`), http.StatusBadRequest, "import_version", 0},
		{bytes.Repeat([]byte(" "), replay.MaxSize+10), http.StatusRequestEntityTooLarge, "import_too_large", 0},
		{[]byte(`nonsense`), http.StatusBadRequest, "import_malformed", 0},
	} {
		r := post(owner, c.body).must(t, c.status)
		if r.code() != c.code || r.body["seq"] != c.seq || r.body["message"] == "" {
			t.Errorf("import refused with %s", r.raw)
		}
	}
	if after := gameCount(t, ts); after != before {
		t.Errorf("refused imports stored games: %d before, %d after", before, after)
	}

	r := post(owner, file).must(t, http.StatusCreated)
	copyID, _ := r.body["id"].(string)
	if copyID == "" || copyID == id || r.body["imported"] != true || r.body["visibility"] != "private" || r.body["mine"] != true {
		t.Fatalf("import answered %s", r.raw)
	}
	stranger.do("GET", "/api/games/"+copyID, nil).must(t, http.StatusNotFound)
	again := owner.do("GET", "/api/games/"+copyID+"/export", nil).must(t, http.StatusOK)
	var a, b replay.Document
	json.Unmarshal(file, &a)
	json.Unmarshal(again.raw, &b)
	if len(a.Events) != len(b.Events) {
		t.Fatalf("round trip: %d events, want %d", len(b.Events), len(a.Events))
	}
	for i := range a.Events {
		if a.Events[i].Seq != b.Events[i].Seq || !a.Events[i].At.Equal(b.Events[i].At) || !bytes.Equal(a.Events[i].Event, b.Events[i].Event) {
			t.Fatalf("round trip: event %d differs", i+1)
		}
	}
	// The owner may share the copy.
	owner.do("PUT", "/api/games/"+copyID+"/visibility", map[string]any{"visibility": "unlisted"}).must(t, http.StatusOK)
	stranger.do("GET", "/api/games/"+copyID, nil).must(t, http.StatusOK)
}

// TestReplaysStrictLimit: replays, exports and imports each fold a whole
// game, so they draw on the strict tier; the game's summary does not.
func TestReplaysStrictLimit(t *testing.T) {
	ts := newAccountServer(t, &accountSetup{edit: func(c *testSetup) {
		c.Deps.Replays = replay.New(c.Live.Store.(replay.Store), nil)
		c.Limits.Strict = limit.PerMinute("http_strict", 1, 2)
	}})
	v := newVisitor(t, ts)
	id := storeGame(t, ts, 4, []string{"a1", "a2"}, true)
	v.do("GET", "/api/games/"+id+"/replay", nil).must(t, http.StatusOK)
	v.do("GET", "/api/games/"+id+"/export", nil).must(t, http.StatusOK)
	r := v.do("GET", "/api/games/"+id+"/replay", nil).must(t, http.StatusTooManyRequests)
	if r.code() != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Errorf("429 answer: %s, Retry-After %q", r.raw, r.header.Get("Retry-After"))
	}
	v.do("GET", "/api/games/"+id, nil).must(t, http.StatusOK)
}

// TestHistoryHidesPrivateGames: a player's game history (GET
// /api/users/{name}/games) lists a private game only to those who may open
// it; to anyone else it is a game that does not exist (docs/replay.md),
// not a row whose replay link answers 404.
func TestHistoryHidesPrivateGames(t *testing.T) {
	ts := newAccountServer(t, &accountSetup{edit: func(c *testSetup) {
		st := c.Live.Store.(*sqlite.Store)
		c.Deps.Replays = replay.New(st, nil)
		c.Deps.Stats = stats.NewService(st, nil, stats.Config{MinGames: 1, PageSize: 10})
	}})
	host, stranger, anon := newVisitor(t, ts), newVisitor(t, ts), newVisitor(t, ts)
	hostID := host.guest("Ann").userID()
	stranger.guest("Zed")
	id := storeGame(t, ts, 1, []string{hostID, "cpu-1"}, true)
	r := game2(time.Now(), hostID, "cpu:maya", 3, 9)
	r.GameID = id
	if ok, err := ts.st.Project(context.Background(), r, stats.Model{}); err != nil || !ok {
		t.Fatal(ok, err)
	}
	count := func(v *visitor) int {
		t.Helper()
		return len(v.do("GET", "/api/users/cpu:maya/games", nil).must(t, http.StatusOK).body["games"].([]any))
	}
	if n := count(anon); n != 1 {
		t.Fatalf("an unlisted game in the history: %d rows, want 1", n)
	}
	host.do("PUT", "/api/games/"+id+"/visibility", map[string]any{"visibility": "private"}).must(t, http.StatusOK)
	for name, v := range map[string]*visitor{"anon": anon, "stranger": stranger} {
		if n := count(v); n != 0 {
			t.Errorf("%s sees a private game in the history: %d rows", name, n)
		}
	}
	if n := count(host); n != 1 {
		t.Errorf("the player no longer sees their private game in the history: %d rows", n)
	}
}
