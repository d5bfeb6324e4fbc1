package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/game"
)

// twoPlayers starts a game of Ann (host) and Bob with no initial flips, so
// that Bob (seat 1) is to play.
func twoPlayers(t *testing.T, ts *testServer) (ann, bob *player) {
	t.Helper()
	ann = create(t, ts, "Ann", map[string]any{"rounds": 1, "options": map[string]any{"initial_flips": 0}})
	bob = join(t, ts, ann.welcome.room(), "Bob")
	ann.send(map[string]any{"type": "start"})
	bob.until(func(f *frame) bool { return f.View.Phase == game.PhasePlaying })
	return ann, bob
}

func TestIllegalMovesGetTypedErrors(t *testing.T) {
	ts := newTestServer(t, nil)
	ann, bob := twoPlayers(t, ts)
	before := len(storedEvents(t, ts, ann.welcome.GameID))
	tests := []struct {
		who  *player
		msg  map[string]any
		code string
		key  string
	}{
		{ann, map[string]any{"type": "draw", "source": "deck"}, "not_your_turn", ""},
		{bob, map[string]any{"type": "swap", "pos": 2}, "not_holding", ""},
		{bob, map[string]any{"type": "draw", "source": "sky"}, "invalid_source", ""},
		{bob, map[string]any{"type": "knock"}, "rule_disabled", ""},
		{bob, map[string]any{"type": "swap"}, "bad_request", ""},
		{bob, map[string]any{"type": "start"}, "not_host", ""},
		{ann, map[string]any{"type": "settings", "settings": map[string]any{"rounds": 40}}, "invalid_option_value", "rounds"},
		{ann, map[string]any{"type": "settings", "settings": map[string]any{"options": map[string]any{"use_jokers": true}}}, "unknown_option", "use_jokers"},
		{ann, map[string]any{"type": "next_round"}, "wrong_phase", ""},
		{ann, map[string]any{"type": "add_cpu"}, "wrong_phase", ""},
		{ann, map[string]any{"type": "rematch"}, "wrong_phase", ""},
		{bob, map[string]any{"type": "join", "room": "BCDF", "name": "x"}, "bad_request", ""},
	}
	for _, tc := range tests {
		id := tc.who.send(tc.msg)
		f := tc.who.next("error")
		if f.Code != tc.code || f.ID != id || f.Key != tc.key {
			t.Errorf("%v: got %s, want code %s key %q id %d", tc.msg, f.raw, tc.code, tc.key, id)
		}
	}
	if after := len(storedEvents(t, ts, ann.welcome.GameID)); after != before {
		t.Fatalf("rejected commands stored %d events", after-before)
	}
	// The game goes on.
	id := bob.send(map[string]any{"type": "draw", "source": "deck"})
	if f := bob.until(func(f *frame) bool { return f.Ack == id }); f.View.Held == nil {
		t.Fatal("draw after errors did not work")
	}
}

func TestBadFramesNeverDisturbAnotherRoom(t *testing.T) {
	ts := newTestServer(t, func(c *testSetup) { c.Rate, c.Burst = 20, 10 })
	ann, bob := twoPlayers(t, ts)

	t.Run("malformed first frame", func(t *testing.T) {
		c := dial(t, ts)
		c.sendRaw([]byte(`{"v":1,"type":`))
		if f := c.next("error"); f.Code != "bad_request" {
			t.Fatalf("got %s", f.raw)
		}
		if code := c.closedWith(); code != websocket.StatusPolicyViolation {
			t.Fatalf("closed with %v, want 1008", code)
		}
	})
	t.Run("game command before joining", func(t *testing.T) {
		c := dial(t, ts)
		c.send(map[string]any{"type": "draw", "source": "deck"})
		if f := c.next("error"); f.Code != "bad_request" {
			t.Fatalf("got %s", f.raw)
		}
		if code := c.closedWith(); code != websocket.StatusPolicyViolation {
			t.Fatalf("closed with %v, want 1008", code)
		}
	})
	t.Run("unknown room", func(t *testing.T) {
		c := dial(t, ts)
		c.send(map[string]any{"type": "join", "room": "ZZZZ", "name": "Eve"})
		if f := c.next("error"); f.Code != "room_not_found" {
			t.Fatalf("got %s", f.raw)
		}
		c.send(map[string]any{"type": "resume", "room": ann.welcome.room(), "token": "forged"})
		if f := c.next("error"); f.Code != "bad_token" {
			t.Fatalf("got %s", f.raw)
		}
	})
	t.Run("wrong version, unknown type, junk, binary", func(t *testing.T) {
		c := dial(t, ts)
		c.send(map[string]any{"type": "watch", "room": ann.welcome.room()})
		c.next("welcome")
		for _, raw := range []string{`{"v":2,"type":"draw","source":"deck"}`, `{"v":1,"type":"teleport"}`, `[1,2,3]`, `{"v":1,"type":"swap","pos":"x"}`, "\x00\xff"} {
			c.sendRaw([]byte(raw))
			if f := c.next("error"); f.Code != "bad_request" {
				t.Fatalf("%q: got %s", raw, f.raw)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		c.conn.Write(ctx, websocket.MessageBinary, []byte(`{"v":1,"type":"leave"}`))
		if f := c.next("error"); f.Code != "bad_request" {
			t.Fatalf("binary: got %s", f.raw)
		}
	})
	t.Run("oversize frame", func(t *testing.T) {
		c := dial(t, ts)
		c.send(map[string]any{"type": "watch", "room": ann.welcome.room()})
		c.next("welcome")
		c.sendRaw([]byte(`{"v":1,"type":"join","name":"` + strings.Repeat("x", 5000) + `"}`))
		if f := c.next("error"); f.Code != "too_large" {
			t.Fatalf("got %s", f.raw)
		}
		if code := c.closedWith(); code != websocket.StatusMessageTooBig {
			t.Fatalf("closed with %v, want 1009", code)
		}
	})
	t.Run("flood", func(t *testing.T) {
		c := dial(t, ts)
		c.send(map[string]any{"type": "watch", "room": ann.welcome.room()})
		c.next("welcome")
		for range 200 {
			c.sendRaw([]byte(`{"v":1,"type":"knock"}`))
		}
		if f := c.next("error"); f.Code != "not_a_player" && f.Code != "rate_limited" {
			t.Fatalf("got %s", f.raw)
		}
		sawLimit := false
		for _, f := range c.received() {
			sawLimit = sawLimit || f.Code == "rate_limited"
		}
		code := c.closedWith()
		for _, f := range c.received() {
			sawLimit = sawLimit || f.Code == "rate_limited"
		}
		if !sawLimit || code != websocket.StatusPolicyViolation {
			t.Fatalf("flood: rate_limited %v, closed with %v", sawLimit, code)
		}
	})
	// The game in the room survived all of it.
	id := bob.send(map[string]any{"type": "draw", "source": "deck"})
	if f := bob.until(func(f *frame) bool { return f.Ack == id }); f.View.Held == nil {
		t.Fatal("the game was disturbed")
	}
	if ts.live.Rooms() != 1 {
		t.Fatalf("%d rooms, want 1", ts.live.Rooms())
	}
}

// TestCreateRefusedSettingKeepsConnection: a create whose settings the
// rules refuse is a create that fails, not a bad first frame: the client
// fixes its form and tries again on the same connection (docs/protocol.md,
// "Connecting").
func TestCreateRefusedSettingKeepsConnection(t *testing.T) {
	ts := newTestServer(t, nil)
	c := dial(t, ts)
	c.send(map[string]any{"type": "create", "name": "Eve", "settings": map[string]any{"turn_timer": 45}})
	if f := c.next("error"); f.Code != "invalid_option_value" || f.Key != "turn_timer" {
		t.Fatalf("got %s", f.raw)
	}
	c.send(map[string]any{"type": "create", "name": "Eve", "settings": map[string]any{"options": map[string]any{"use_jokers": true}}})
	if f := c.next("error"); f.Code != "unknown_option" {
		t.Fatalf("got %s", f.raw)
	}
	c.send(map[string]any{"type": "create", "name": "Eve"})
	if w := c.next("welcome"); w.Seat != 0 {
		t.Fatalf("the retry: %s", w.raw)
	}
}

func TestReconnectMidTurnResumesTheSeat(t *testing.T) {
	ts := newTestServer(t, nil)
	ann, bob := twoPlayers(t, ts)
	id := bob.send(map[string]any{"type": "draw", "source": "deck"})
	held := bob.until(func(f *frame) bool { return f.Ack == id }).View.Held
	bob.conn.Close(websocket.StatusGoingAway, "reload")
	ann.until(func(f *frame) bool { return f.Seq > 0 && len(roomOnline(f)) == 2 && !roomOnline(f)[1] })

	back := dial(t, ts)
	back.send(map[string]any{"type": "resume", "room": bob.welcome.room(), "token": bob.welcome.Token})
	w := back.next("welcome")
	if w.Seat != bob.welcome.Seat || w.Player != bob.welcome.Player || w.Token != bob.welcome.Token {
		t.Fatalf("resumed as %s", w.raw)
	}
	f := back.next("state")
	if f.View.Held == nil || f.View.Held.Card != held.Card {
		t.Fatalf("resumed holding %+v, want %+v", f.View.Held, held)
	}
	ann.until(func(f *frame) bool { return len(roomOnline(f)) == 2 && roomOnline(f)[1] })
	// The seat plays on from the new connection.
	id = back.send(map[string]any{"type": "swap", "pos": 0})
	back.until(func(f *frame) bool { return f.Ack == id })
	// A second connection with the same token takes the seat; the first is told.
	third := dial(t, ts)
	third.send(map[string]any{"type": "resume", "room": bob.welcome.room(), "token": bob.welcome.Token})
	third.next("welcome")
	if f := back.next("error"); f.Code != "replaced" {
		t.Fatalf("got %s", f.raw)
	}
	if code := back.closedWith(); code != websocket.StatusNormalClosure {
		t.Fatalf("replaced connection closed with %v", code)
	}
}

func roomOnline(f *frame) []bool {
	var r struct {
		Online []bool `json:"online"`
	}
	json.Unmarshal(f.RoomRaw, &r)
	return r.Online
}

func TestGraceTakeoverAndHandBack(t *testing.T) {
	ts := newTestServer(t, func(c *testSetup) { c.Live.Grace = 50 * time.Millisecond })
	ann, bob := twoPlayers(t, ts)
	bob.conn.Close(websocket.StatusGoingAway, "gone")
	// The platform plays Bob's turn: Ann sees the seat on autoplay and the turn pass.
	ann.until(func(f *frame) bool { return len(f.View.Seats) == 2 && f.View.Seats[1].Auto })
	ann.until(func(f *frame) bool { return f.View.Current == 0 })
	back := dial(t, ts)
	back.send(map[string]any{"type": "resume", "room": bob.welcome.room(), "token": bob.welcome.Token})
	back.next("welcome")
	back.until(func(f *frame) bool { return f.Seq > 0 && !f.View.Seats[1].Auto })
	var on, off int
	for _, e := range storedEvents(t, ts, ann.welcome.GameID) {
		if a, ok := e.(game.AutoplayChanged); ok && a.PlayerID == bob.welcome.Player {
			if a.On {
				on++
			} else {
				off++
			}
		}
	}
	if on != 1 || off != 1 {
		t.Fatalf("autoplay on %d times, off %d times; want 1 and 1", on, off)
	}
}

func TestHostTransferKickAndRematch(t *testing.T) {
	ts := newTestServer(t, nil)
	ann := create(t, ts, "Ann", map[string]any{"rounds": 1})
	code := ann.welcome.room()
	bob := join(t, ts, code, "Bob")
	cal := join(t, ts, code, "Cal")
	dan := join(t, ts, code, "Dan")

	// Only the host kicks; a kicked player cannot come back.
	bob.send(map[string]any{"type": "remove", "player_id": dan.welcome.Player})
	if f := bob.next("error"); f.Code != "not_host" {
		t.Fatalf("got %s", f.raw)
	}
	ann.send(map[string]any{"type": "remove", "player_id": dan.welcome.Player})
	if f := dan.next("error"); f.Code != "kicked" {
		t.Fatalf("got %s", f.raw)
	}
	if code := dan.closedWith(); code != websocket.StatusPolicyViolation {
		t.Fatalf("kicked player closed with %v", code)
	}
	again := dial(t, ts)
	again.send(map[string]any{"type": "resume", "room": code, "token": dan.welcome.Token})
	if f := again.next("error"); f.Code != "kicked" {
		t.Fatalf("kicked player resumed: %s", f.raw)
	}

	// The host leaves the lobby: Bob is host now.
	ann.send(map[string]any{"type": "leave"})
	if code := ann.closedWith(); code != websocket.StatusNormalClosure {
		t.Fatalf("leaver closed with %v", code)
	}
	f := bob.until(func(f *frame) bool { return len(f.View.Seats) == 2 })
	if f.View.Host != 0 || f.View.Seats[0].Name != "Bob" {
		t.Fatalf("host is seat %d (%s)", f.View.Host, f.View.Seats[0].Name)
	}
	bob.send(map[string]any{"type": "add_cpu", "profile": "bot4"})
	bob.until(func(f *frame) bool { return len(f.View.Seats) == 3 })
	bob.send(map[string]any{"type": "start"})
	done := make(chan *frame)
	go func() { done <- cal.play() }()
	bob.play()
	<-done

	// Rematch: same table, same settings, a new room and game; clients move.
	cal.send(map[string]any{"type": "rematch"})
	if f := cal.next("error"); f.Code != "not_host" {
		t.Fatalf("got %s", f.raw)
	}
	bob.send(map[string]any{"type": "rematch"})
	for _, p := range []*player{bob, cal} {
		w := p.next("welcome")
		if w.room() == code || w.GameID == bob.welcome.GameID || w.Player != p.welcome.Player {
			t.Fatalf("rematch welcome %s", w.raw)
		}
		s := p.next("state")
		if s.View.Phase != game.PhaseWaiting || len(s.View.Seats) != 3 || s.View.Rounds != 1 || !s.View.Seats[2].CPU {
			t.Fatalf("rematch lobby %s", s.raw)
		}
	}
	var info struct{ Rematch string }
	getJSON(t, ts, "/api/rooms/"+code, http.StatusOK, &info)
	if info.Rematch == "" {
		t.Fatal("old room does not show the rematch")
	}
}

func TestShutdownClosesWith1012(t *testing.T) {
	ts := newTestServer(t, nil)
	ann, bob := twoPlayers(t, ts)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.srv.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*player{ann, bob} {
		if code := p.closedWith(); code != websocket.StatusServiceRestart {
			t.Fatalf("closed with %v, want 1012", code)
		}
	}
}

func TestOriginCheck(t *testing.T) {
	ts := newTestServer(t, func(c *testSetup) { c.AllowedOrigins = []string{"golf.example"} })
	ctx := context.Background()
	for origin, ok := range map[string]bool{"http://evil.example": false, "https://golf.example": true, ts.ts.URL: true} {
		h := http.Header{"Origin": {origin}}
		conn, resp, err := websocket.Dial(ctx, ts.url, &websocket.DialOptions{HTTPHeader: h})
		if ok != (err == nil) {
			t.Errorf("origin %s: err %v", origin, err)
		}
		if !ok && (resp == nil || resp.StatusCode != http.StatusForbidden) {
			t.Errorf("origin %s: want 403", origin)
		}
		if conn != nil {
			conn.CloseNow()
		}
	}
	// The refusal is the API's JSON error, not the WebSocket library's text.
	req, _ := http.NewRequest("GET", ts.ts.URL+"/ws", nil)
	req.Header = http.Header{"Origin": {"http://evil.example"}, "Connection": {"Upgrade"}, "Upgrade": {"websocket"},
		"Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct{ Code, Message string }
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != http.StatusForbidden || e.Code != "forbidden_origin" || e.Message == "" {
		t.Errorf("foreign origin: %d %+v (%v), want 403 forbidden_origin", resp.StatusCode, e, err)
	}
}

func getJSON(t *testing.T, ts *testServer, path string, status int, v any) []byte {
	t.Helper()
	resp, err := http.Get(ts.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, b)
		}
	}
	return b
}

func TestHTTPEndpoints(t *testing.T) {
	ts := newTestServer(t, nil)
	ann := create(t, ts, "Ann", nil)
	ts.ts.Client()

	var room struct {
		Code  string `json:"code"`
		Phase string `json:"phase"`
		Seats []struct {
			Name string `json:"name"`
			CPU  bool   `json:"cpu"`
		} `json:"seats"`
		Spectators int `json:"spectators"`
	}
	getJSON(t, ts, "/api/rooms/"+strings.ToLower(ann.welcome.room()), http.StatusOK, &room)
	if room.Code != ann.welcome.room() || room.Phase != "waiting" || len(room.Seats) != 1 || room.Seats[0].Name != "Ann" {
		t.Fatalf("room %+v", room)
	}
	getJSON(t, ts, "/api/rooms/QQQQ", http.StatusNotFound, nil)
	getJSON(t, ts, "/api/rooms/I0O1", http.StatusNotFound, nil)

	var rules struct {
		Settings []struct{ Name string }
		Options  []struct {
			Name    string
			Type    string
			Default any
			Label   string
			Labels  map[string]string
		}
		Presets    []struct{ Name string }
		CardValues map[string]int `json:"card_values"`
		ValueRules []struct {
			Option string
			Cards  map[string]int
		} `json:"value_rules"`
	}
	getJSON(t, ts, "/api/rules", http.StatusOK, &rules)
	if len(rules.Options) != len(game.OptionNames()) || len(rules.Presets) != len(game.PresetNames()) {
		t.Fatalf("%d options, %d presets", len(rules.Options), len(rules.Presets))
	}
	byName := map[string]int{}
	for i, o := range rules.Options {
		byName[o.Name] = i
	}
	if o := rules.Options[byName["knock_bonus"]]; o.Type != "bool" || o.Label != "Knock Bonus" || o.Default != false {
		t.Errorf("knock_bonus %+v", o)
	}
	if o := rules.Options[byName["flip_mode"]]; o.Labels["always"] != "Speed Golf" || o.Default != "never" {
		t.Errorf("flip_mode %+v", o)
	}
	if rules.CardValues["2S"] != -2 || rules.CardValues["KH"] != 0 || rules.CardValues["TD"] != 10 {
		t.Errorf("card values %v", rules.CardValues)
	}
	found := false
	for _, vr := range rules.ValueRules {
		if vr.Option == "super_kings" && vr.Cards["KS"] == -2 && len(vr.Cards) == 4 {
			found = true
		}
	}
	if !found {
		t.Errorf("no super_kings value rule: %+v", rules.ValueRules)
	}

	// The roster in order, the expert last and the only one flagged; the
	// flag is always present so a client can tell "no" from "unknown".
	var profiles []map[string]any
	getJSON(t, ts, "/api/profiles", http.StatusOK, &profiles)
	if len(profiles) != 9 || profiles[0]["id"] != "bot1" {
		t.Errorf("profiles %+v", profiles)
	}
	for _, p := range profiles {
		if want := p["id"] == "ace"; p["expert"] != want {
			t.Errorf("profile %v: expert %v, want %v", p["id"], p["expert"], want)
		}
	}
	var health struct{ Status string }
	getJSON(t, ts, "/healthz", http.StatusOK, &health)
	if health.Status != "ok" {
		t.Errorf("health %+v", health)
	}
	for _, path := range []string{"/", "/r/" + ann.welcome.room()} {
		if b := getJSON(t, ts, path, http.StatusOK, nil); !bytes.Contains(b, []byte("<title>Golf</title>")) {
			t.Errorf("GET %s: %s", path, b)
		}
	}
	if !strings.HasSuffix(ann.welcome.Invite, "/r/"+ann.welcome.room()) || !strings.HasPrefix(ann.welcome.Invite, ts.ts.URL) {
		t.Errorf("invite %q", ann.welcome.Invite)
	}
}

// TestStateFrameCarriesServerTime: room.now is the server's clock as the
// frame goes out, so clients count down to next_round_at on it.
func TestStateFrameCarriesServerTime(t *testing.T) {
	ts := newTestServer(t, nil)
	before := time.Now().UnixMilli()
	ann := create(t, ts, "Ann", nil)
	f := ann.next("state")
	after := time.Now().UnixMilli()
	var room struct {
		Now         *int64 `json:"now"`
		NextRoundAt int64  `json:"next_round_at"`
	}
	if err := json.Unmarshal(f.RoomRaw, &room); err != nil {
		t.Fatal(err)
	}
	if room.Now == nil {
		t.Fatalf("room has no now: %s", f.RoomRaw)
	}
	if *room.Now < before || *room.Now > after {
		t.Errorf("room.now %d is outside the time the frame was made (%d..%d)", *room.Now, before, after)
	}
}
