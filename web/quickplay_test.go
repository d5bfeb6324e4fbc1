package web

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"golf/game"
	"golf/live"
	"golf/matchmaking"
)

func quickServer(t *testing.T, wait time.Duration) *testServer {
	t.Helper()
	return newTestServer(t, func(s *testSetup) {
		s.beforeServer = func(m *live.Manager, d *Deps) {
			q, err := matchmaking.New(matchmaking.Config{Queue: matchmaking.NewMemory(), Open: QuickOpener(m),
				Wait: wait, Tick: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			d.Quick = q
		}
	})
}

type queuedOf struct {
	Type   string `json:"type"`
	ID     int64  `json:"id"`
	Size   int    `json:"size"`
	WaitMS int64  `json:"wait_ms"`
	Room   string `json:"room"`
}

func decodeQueued(t *testing.T, f *frame) queuedOf {
	t.Helper()
	var q queuedOf
	if err := json.Unmarshal(f.raw, &q); err != nil {
		t.Fatal(err)
	}
	return q
}

// TestQuickPlaySeatsHumansTogether: two players asking for a table of 2
// are seated together at once (no CPU), the game dealt; each is told the
// room, then welcomed to their seat with a token to resume.
func TestQuickPlaySeatsHumansTogether(t *testing.T) {
	t.Parallel()
	ts := quickServer(t, time.Hour)
	a, b := dial(t, ts), dial(t, ts)
	id := a.send(map[string]any{"type": "queue", "name": "Ann", "size": 2})
	if q := decodeQueued(t, a.next("queued")); q.Size != 2 || q.ID != id || q.WaitMS != time.Hour.Milliseconds() {
		t.Errorf("queued frame %+v", q)
	}
	b.send(map[string]any{"type": "queue", "name": "Bob", "size": 2})
	b.next("queued")
	ra, rb := decodeQueued(t, a.next("matched")).Room, decodeQueued(t, b.next("matched")).Room
	if ra == "" || ra != rb {
		t.Fatalf("matched to rooms %q and %q; want one", ra, rb)
	}
	wa, wb := a.next("welcome"), b.next("welcome")
	if wa.Token == "" || wa.room() != ra || wb.Seat == wa.Seat {
		t.Errorf("welcomes %s / %s", wa.raw, wb.raw)
	}
	st := a.until(func(f *frame) bool { return f.View.Phase != game.PhaseWaiting })
	if n := len(st.View.Seats); n != 2 {
		t.Errorf("%d seats; want 2", n)
	}
	for _, s := range st.View.Seats {
		if s.CPU {
			t.Errorf("a CPU at a table two humans filled")
		}
	}
}

// TestQuickPlayTopsUpWithCPUs: alone when the wait runs out (here at
// once), a player gets a table of the size asked, the rest CPUs.
func TestQuickPlayTopsUpWithCPUs(t *testing.T) {
	t.Parallel()
	ts := quickServer(t, 0)
	a := dial(t, ts)
	a.send(map[string]any{"type": "queue", "name": "Ann", "size": 4})
	a.next("matched")
	a.next("welcome")
	st := a.until(func(f *frame) bool { return f.View.Phase != game.PhaseWaiting })
	cpus := 0
	for _, s := range st.View.Seats {
		if s.CPU {
			cpus++
		}
	}
	if len(st.View.Seats) != 4 || cpus != 3 {
		t.Errorf("%d seats, %d CPUs; want 4 and 3", len(st.View.Seats), cpus)
	}
}

// TestQuickPlayQueueFrames: leave_queue takes the player out; bad sizes,
// names and orders are refused without closing the connection; a
// connection that closes while queued leaves the queue.
func TestQuickPlayQueueFrames(t *testing.T) {
	t.Parallel()
	ts := quickServer(t, time.Hour)
	a := dial(t, ts)
	for _, tc := range []struct {
		frame map[string]any
		code  string
	}{
		{map[string]any{"type": "queue", "name": "Ann", "size": 7}, "bad_request"},
		{map[string]any{"type": "queue", "name": "Ann", "size": 1}, "bad_request"},
		{map[string]any{"type": "queue", "name": "", "size": 3}, "invalid_name"},
		{map[string]any{"type": "leave_queue"}, "bad_request"},
	} {
		a.send(tc.frame)
		if f := a.next("error"); f.Code != tc.code {
			t.Errorf("%v: %s; want %s", tc.frame, f.Code, tc.code)
		}
	}
	a.send(map[string]any{"type": "queue", "name": "Ann", "size": 3})
	a.next("queued")
	// A queued connection counts as attached: a malformed frame is
	// refused, and the connection stays.
	a.send(map[string]any{"type": "queue", "name": "Ann"})
	if f := a.next("error"); f.Code != "bad_request" {
		t.Errorf("queue without a size: %s; want bad_request", f.Code)
	}
	for _, typ := range []string{"create", "queue"} {
		a.send(map[string]any{"type": typ, "name": "Ann", "size": 3})
		if f := a.next("error"); f.Code != "bad_request" {
			t.Errorf("%s while queued: %s; want bad_request", typ, f.Code)
		}
	}
	if n := ts.srv.quick.Waiting(); n != 1 {
		t.Fatalf("waiting %d; want 1", n)
	}
	a.send(map[string]any{"type": "leave_queue"})
	a.next("queue_left")
	if n := ts.srv.quick.Waiting(); n != 0 {
		t.Errorf("waiting %d after leave_queue; want 0", n)
	}
	// Queued again, then gone.
	a.send(map[string]any{"type": "queue", "name": "Ann", "size": 3})
	a.next("queued")
	a.conn.CloseNow()
	deadline := time.Now().Add(5 * time.Second)
	for ts.srv.quick.Waiting() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("a closed connection is still in the queue")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPublicRooms: GET /api/rooms lists the lobbies their hosts made
// public, while they have a free seat and have not started.
func TestPublicRooms(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	list := func() []live.PublicRoom {
		t.Helper()
		resp, err := http.Get(ts.ts.URL + "/api/rooms")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Rooms []live.PublicRoom `json:"rooms"`
		}
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&out) != nil || out.Rooms == nil {
			t.Fatalf("GET /api/rooms: %d", resp.StatusCode)
		}
		return out.Rooms
	}
	if got := list(); len(got) != 0 {
		t.Errorf("rooms %v; want none", got)
	}
	c := dial(t, ts)
	c.send(map[string]any{"type": "create", "name": "Ann", "public": true, "settings": map[string]any{"rounds": 3}})
	ann := &player{client: c, welcome: c.next("welcome")}
	create(t, ts, "Zed", nil) // private
	room := ann.welcome.room()
	want := live.PublicRoom{Code: room, Host: "Ann", Seats: 1, Max: 6, Rules: "standard", Rounds: 3}
	if got := list(); len(got) != 1 || got[0] != want {
		t.Errorf("rooms %+v; want [%+v]", got, want)
	}
	join(t, ts, room, "Bob")
	if got := list(); len(got) != 1 || got[0].Seats != 2 {
		t.Errorf("after a join: %+v; want 2 seats taken", got)
	}
	id := ann.send(map[string]any{"type": "room_settings", "public": false})
	ann.until(func(f *frame) bool { return f.Ack == id })
	if got := list(); len(got) != 0 {
		t.Errorf("after making it private: %+v", got)
	}
	id = ann.send(map[string]any{"type": "room_settings", "public": true})
	if pub, _ := roomFlags(t, ann.until(func(f *frame) bool { return f.Ack == id })); !pub {
		t.Error("room.public false after the host made it public")
	}
	if got := list(); len(got) != 1 {
		t.Errorf("public again: %+v", got)
	}
	ann.send(map[string]any{"type": "start"})
	ann.until(func(f *frame) bool { return f.View.Phase != game.PhaseWaiting })
	if got := list(); len(got) != 0 {
		t.Errorf("a started game is listed: %+v", got)
	}
	ann.send(map[string]any{"type": "room_settings", "public": false})
	if f := ann.next("error"); f.Code != "wrong_phase" {
		t.Errorf("public after the start: %s; want wrong_phase", f.Code)
	}
	// A full lobby is not listed.
	c = dial(t, ts)
	c.send(map[string]any{"type": "create", "name": "Host", "public": true})
	h := c.next("welcome").room()
	for range 5 {
		c.send(map[string]any{"type": "add_cpu"})
		c.next("state")
	}
	c.until(func(f *frame) bool { return len(f.View.Seats) == 6 })
	for _, r := range list() {
		if r.Code == h {
			t.Errorf("a full lobby is listed: %+v", r)
		}
	}
}
