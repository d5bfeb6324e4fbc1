package live

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golf/cluster/redistest"
	"golf/game"
	"golf/matchmaking"
	"golf/store/postgres/pgtest"
)

// chats returns the chat messages a client received.
func chats(c *fakeClient) []*Chat {
	var out []*Chat
	for _, m := range c.all() {
		if ch, ok := m.(*Chat); ok {
			out = append(out, ch)
		}
	}
	return out
}

func boolp(b bool) *bool { return &b }

// TestSocialOverRedis: two instances sharing Redis and PostgreSQL. A
// public lobby written on a is listed on b; chat said on either reaches
// the other's clients (it rides the game's channel) and is never stored;
// the host's chat switch, made on a, is enforced on b's replica; the
// lobby leaves the listing when the game starts.
func TestSocialOverRedis(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	db := pgtest.URL(t)
	ctx := context.Background()
	a := newRealInstance(t, db, url, prefix, "a", 30*time.Second, nil)
	b := newRealInstance(t, db, url, prefix, "b", 30*time.Second, nil)
	ann, bob, spec := &fakeClient{}, &fakeClient{}, &fakeClient{}
	ta, err := a.m.CreateRoom(ctx, ann, "", "Ann", settings(1, game.DefaultOptions()), RoomSettings{Public: true})
	if err != nil {
		t.Fatal(err)
	}
	code := ta.RoomCode()
	rooms, err := b.m.PublicRooms(ctx)
	if err != nil || len(rooms) != 1 || rooms[0].Code != code || rooms[0].Host != "Ann" || rooms[0].Seats != 1 {
		t.Fatalf("public rooms seen on b: %+v, %v; want Ann's %s", rooms, err, code)
	}
	tb, err := b.m.Lookup(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Join(ctx, bob, "Bob"); err != nil {
		t.Fatal(err)
	}
	if err := tb.Watch(ctx, spec); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two seats listed", func() bool {
		rooms, _ := a.m.PublicRooms(ctx)
		return len(rooms) == 1 && rooms[0].Seats == 2
	})
	id := ann.welcome().GameID
	stored := func() int {
		recs, err := a.st.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(recs)
	}
	before := stored()

	ta.Say(ctx, ann, 5, "hello from a", "")
	// Instances keep no order between each other's lines: one at a time.
	waitFor(t, "Ann's line on b", func() bool { return len(chats(bob)) == 1 && len(chats(spec)) == 1 })
	tb.Say(ctx, bob, 6, "", "👍")
	tb.Say(ctx, spec, 7, "I only watch", "")
	waitFor(t, "chat across instances", func() bool { return len(chats(bob)) == 2 && len(chats(ann)) == 2 })
	for _, c := range []*fakeClient{ann, bob, spec} {
		waitFor(t, "everyone hears both", func() bool { return len(chats(c)) == 2 })
		got := chats(c)
		if got[0].Text != "hello from a" || got[0].Name != "Ann" || got[0].Seat != 0 {
			t.Errorf("first chat %+v; want Ann's line", got[0])
		}
		if got[1].Reaction != "👍" || got[1].Name != "Bob" || got[1].Seat != 1 {
			t.Errorf("second chat %+v; want Bob's reaction", got[1])
		}
	}
	if got := chats(ann)[0].Ack; got != 5 {
		t.Errorf("Ann's own line acked %d; want 5", got)
	}
	// The refusal comes from b's table, after the lines that were waited
	// for above: it may still be on its way.
	waitFor(t, "the spectator refused", func() bool { return len(spec.rejects()) > 0 })
	if r := spec.rejects(); len(r) != 1 || r[0].ID != 7 || !strings.Contains(r[0].Err.Error(), "spectating") {
		t.Errorf("spectator's line: rejects %v; want spectating", r)
	}

	// Only the host switches chat; the switch made on a holds on b.
	if err := tb.Do(ctx, bob, 8, Action{Op: OpRoom, Room: &RoomPatch{Chat: boolp(false)}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob refused", func() bool { return len(bob.rejects()) == 1 })
	if err := bob.rejects()[0].Err; !strings.Contains(err.Error(), "not_host") {
		t.Errorf("Bob's switch: %v; want not_host", err)
	}
	if err := ta.Do(ctx, ann, 9, Action{Op: OpRoom, Room: &RoomPatch{Chat: boolp(false)}}); err != nil {
		t.Fatal(err)
	}
	lastUpdate(t, bob, "chat off on b", func(u *Update) bool { return u.Room.Settings.NoChat })
	tb.Say(ctx, bob, 10, "still there?", "")
	waitFor(t, "chat_off on b", func() bool { return len(bob.rejects()) == 2 })
	if err := bob.rejects()[1].Err; !strings.Contains(err.Error(), "chat_off") {
		t.Errorf("Bob's line with chat off: %v; want chat_off", err)
	}
	if got := stored(); got != before {
		t.Errorf("events %d after chatting; want %d: chat is no event", got, before)
	}
	// An instance that opens the room now learns the settings too (they
	// are in no event), though nothing changes at the table.
	c := newRealInstance(t, db, url, prefix, "c", 30*time.Second, nil)
	tc, err := c.m.Lookup(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	late := &fakeClient{}
	if err := tc.Watch(ctx, late); err != nil {
		t.Fatal(err)
	}
	lastUpdate(t, late, "chat off on a new instance", func(u *Update) bool { return u.Room.Settings.NoChat && u.Room.Settings.Public })

	if err := ta.Do(ctx, ann, 11, gameCmd(game.CmdStartGame)); err != nil {
		t.Fatal(err)
	}
	lastUpdate(t, bob, "started", func(u *Update) bool { return u.View.Phase != game.PhaseWaiting })
	for _, in := range []*realInstance{a, b} {
		if rooms, _ := in.m.PublicRooms(ctx); len(rooms) != 0 {
			t.Errorf("a started game is listed: %+v", rooms)
		}
	}
}

// TestQuickPlayOverRedis: players queue on two instances sharing Redis;
// each instance's matcher takes groups from the one queue and opens their
// tables on its own instance; every player is seated once and takes the
// seat on the instance they wait on, wherever the table was opened. The
// one left over is seated with a CPU once the wait runs out.
func TestQuickPlayOverRedis(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	db := pgtest.URL(t)
	ctx := context.Background()
	a := newRealInstance(t, db, url, prefix, "a", 30*time.Second, nil)
	b := newRealInstance(t, db, url, prefix, "b", 30*time.Second, nil)
	var clock struct {
		sync.Mutex
		now time.Time
	}
	clock.now = time.Now()
	now := func() time.Time { clock.Lock(); defer clock.Unlock(); return clock.now }
	const wait = 20 * time.Second
	matcher := func(in *realInstance) *matchmaking.Service {
		s, err := matchmaking.New(matchmaking.Config{
			Queue: matchmaking.NewRedis(in.r.Client(), prefix), Wait: wait, Now: now,
			Open: func(ctx context.Context, g matchmaking.Group) (map[string]matchmaking.Seat, error) {
				ps := make([]QuickSeat, len(g.Players))
				for i, p := range g.Players {
					ps[i] = QuickSeat{p.Player, p.Name}
				}
				room, toks, err := in.m.OpenQuick(ctx, ps, g.Size)
				seats := map[string]matchmaking.Seat{}
				for id, tok := range toks {
					seats[id] = matchmaking.Seat{Room: room, Token: tok}
				}
				return seats, err
			}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ma, mb := matcher(a), matcher(b)
	type seated struct {
		on   *realInstance
		seat matchmaking.Seat
	}
	var mu sync.Mutex
	got := map[string][]seated{}
	const n = 7
	for i := range n {
		in, m := a, ma
		if i%2 == 1 {
			in, m = b, mb
		}
		p := fmt.Sprintf("g_player%02d", i)
		if err := m.Enqueue(ctx, p, fmt.Sprintf("P%d", i), 2, func(s matchmaking.Seat) {
			mu.Lock()
			defer mu.Unlock()
			got[p] = append(got[p], seated{in, s})
		}); err != nil {
			t.Fatal(err)
		}
	}
	step := func() {
		var wg sync.WaitGroup
		for _, m := range []*matchmaking.Service{ma, mb} {
			wg.Go(func() {
				if err := m.Step(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	step()
	step()
	if len(got) != 6 || ma.Waiting()+mb.Waiting() != 1 {
		t.Fatalf("seated %d, waiting %d; want 6 seated at three full tables, 1 waiting", len(got), ma.Waiting()+mb.Waiting())
	}
	clock.Lock()
	clock.now = clock.now.Add(wait)
	clock.Unlock()
	step()
	step()
	if len(got) != n || ma.Waiting()+mb.Waiting() != 0 {
		t.Fatalf("after the wait: seated %d, waiting %d; want all %d seated", len(got), ma.Waiting()+mb.Waiting(), n)
	}
	rooms := map[string]int{}
	for p, ss := range got {
		if len(ss) != 1 {
			t.Fatalf("%s told %d seats; want 1", p, len(ss))
		}
		s := ss[0]
		rooms[s.seat.Room]++
		tb, err := s.on.m.Lookup(ctx, s.seat.Room)
		if err != nil {
			t.Fatalf("%s's room %s on its instance: %v", p, s.seat.Room, err)
		}
		c := &fakeClient{}
		if err := tb.Resume(ctx, c, s.seat.Token); err != nil {
			t.Fatalf("%s resumes its seat: %v", p, err)
		}
		u := lastUpdate(t, c, "a dealt game", func(u *Update) bool { return u.View.Phase != game.PhaseWaiting })
		if len(u.View.Seats) != 2 || u.View.Seats[c.welcome().Seat].ID != p {
			t.Errorf("%s's table: %d seats, seat %d is %s", p, len(u.View.Seats), c.welcome().Seat, u.View.Seats[c.welcome().Seat].ID)
		}
	}
	if len(rooms) != 4 {
		t.Errorf("tables %v; want 4 (three of two humans, one topped up)", rooms)
	}
}

// TestQuickTableNamesAreUnique: strangers matched together may share a
// name; the table numbers the later ones, as names are unique in a room.
func TestQuickTableNamesAreUnique(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newTestManager(t, newMemStore(), nil)
		defer closeManager(t, m)
		ctx := context.Background()
		long := strings.Repeat("x", game.MaxNameLen)
		room, tokens, err := m.OpenQuick(ctx, []QuickSeat{{"g_a", "Ann"}, {"g_b", "ann"}, {"g_c", "ANN"}, {"g_d", long}, {"g_e", long}}, 6)
		if err != nil {
			t.Fatal(err)
		}
		tb, err := m.Lookup(ctx, room)
		if err != nil {
			t.Fatal(err)
		}
		c := &fakeClient{}
		if err := tb.Resume(ctx, c, tokens["g_a"]); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		var names []string
		for _, s := range c.last().View.Seats {
			names = append(names, s.Name)
		}
		want := []string{"Ann", "ann 2", "ANN 3", long, strings.Repeat("x", game.MaxNameLen-2) + " 2"}
		if len(names) != 6 || fmt.Sprint(names[:5]) != fmt.Sprint(want) {
			t.Errorf("names %q; want %q and a CPU", names, want)
		}
	})
}
