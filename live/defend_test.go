package live

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"golf/game"
)

// addrClient is a fakeClient with a network address (Addresser).
type addrClient struct {
	fakeClient
	addr string
}

func (c *addrClient) Addr() string { return c.addr }

// discardStore is a memStore that can discard lobbies, as both real
// stores can (store.LobbyDiscarder).
type discardStore struct{ *memStore }

func (s discardStore) DiscardLobby(ctx context.Context, gameID string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.logs[gameID] {
		if r.Type == "GameStarted" {
			return false, nil
		}
	}
	_, ok := s.logs[gameID]
	delete(s.logs, gameID)
	return ok, nil
}

// TestAbandonedLobbyClosesAndFreesTheRoomLimit: lobbies whose creators
// have gone close LobbyTimeout after the last human left, leave nothing
// in the store, and stop counting against MaxRooms; until then the limit
// holds.
func TestAbandonedLobbyClosesAndFreesTheRoomLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, func(c *Config) {
			c.MaxRooms, c.LobbyTimeout = 2, time.Minute
			c.Store = discardStore{st}
		})
		defer closeManager(t, m)
		ctx := context.Background()
		var codes, ids []string
		for range 2 {
			host := &fakeClient{}
			tb, err := m.Create(ctx, host, "Ann", game.DefaultSettings())
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, tb.RoomCode())
			ids = append(ids, host.welcome().GameID)
			tb.Detach(host)
		}
		synctest.Wait()
		left := time.Now()
		if _, err := m.Create(ctx, &fakeClient{}, "Cy", game.DefaultSettings()); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("third room under MaxRooms 2: %v, want unavailable", err)
		}
		time.Sleep(time.Until(left.Add(time.Minute)) - time.Millisecond)
		synctest.Wait()
		if n := m.Rooms(); n != 2 {
			t.Fatalf("%d rooms open just before LobbyTimeout, want 2", n)
		}
		time.Sleep(2 * time.Millisecond)
		synctest.Wait()
		if n := m.Rooms(); n != 0 {
			t.Fatalf("%d rooms open after LobbyTimeout, want 0", n)
		}
		for _, c := range codes {
			if _, err := m.Lookup(ctx, c); !errors.Is(err, ErrRoomNotFound) {
				t.Errorf("lookup of the closed lobby %s: %v, want room_not_found", c, err)
			}
		}
		if all, _ := st.GameIDs(ctx); len(all) != 0 {
			t.Errorf("the store holds %v after the lobbies closed, want nothing (%v were discarded)", all, ids)
		}
		if _, err := m.Create(ctx, &fakeClient{}, "Cy", game.DefaultSettings()); err != nil {
			t.Fatalf("a room after the abandoned ones closed: %v", err)
		}
	})
}

// TestLobbyWithAHumanStaysOpen: the lobby timeout is for abandoned lobbies
// only.
func TestLobbyWithAHumanStaysOpen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newTestManager(t, newMemStore(), func(c *Config) { c.LobbyTimeout = time.Minute })
		defer closeManager(t, m)
		if _, err := m.Create(context.Background(), &fakeClient{}, "Ann", game.DefaultSettings()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Minute)
		synctest.Wait()
		if n := m.Rooms(); n != 1 {
			t.Fatalf("%d rooms, want the host's lobby open", n)
		}
	})
}

// TestSpectatorCap: a room takes MaxSpectators spectators; the next gets
// spectators_full, and one leaving makes room.
func TestSpectatorCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newTestManager(t, newMemStore(), func(c *Config) { c.MaxSpectators = 2 })
		defer closeManager(t, m)
		ctx := context.Background()
		tb, err := m.Create(ctx, &fakeClient{}, "Ann", game.DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		a, b := &fakeClient{}, &fakeClient{}
		for _, c := range []*fakeClient{a, b} {
			if err := tb.Watch(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := tb.Watch(ctx, &fakeClient{}); !errors.Is(err, ErrSpectatorsFull) {
			t.Fatalf("third spectator: %v, want spectators_full", err)
		}
		tb.Detach(a)
		synctest.Wait()
		if err := tb.Watch(ctx, &fakeClient{}); err != nil {
			t.Fatalf("a spectator after one left: %v", err)
		}
	})
}

// TestKickHoldsAgainstTheAddress: a kicked player's address may not come
// back under a new identity; other addresses may, and a kick does not
// lock out an address the host shares.
func TestKickHoldsAgainstTheAddress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newTestManager(t, newMemStore(), nil)
		defer closeManager(t, m)
		ctx := context.Background()
		host := &addrClient{addr: "198.51.100.1"}
		tb, err := m.CreateAs(ctx, host, "u-host", "Hana", game.DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		troll := &addrClient{addr: "198.51.100.2"}
		if err := tb.JoinAs(ctx, troll, "u-troll", "Troll"); err != nil {
			t.Fatal(err)
		}
		housemate := &addrClient{addr: "198.51.100.1"}
		if err := tb.JoinAs(ctx, housemate, "u-mate", "Mate"); err != nil {
			t.Fatal(err)
		}
		do(t, tb, host, 1, Action{Op: OpRemove, Player: "u-troll"})
		do(t, tb, host, 2, Action{Op: OpRemove, Player: "u-mate"})
		for _, j := range []struct {
			c    Client
			id   string
			want error
		}{
			{&addrClient{addr: "198.51.100.2"}, "u-troll", ErrKicked}, // the same user
			{&addrClient{addr: "198.51.100.2"}, "u-new", ErrKicked},   // a new identity, same address
			{&addrClient{addr: "198.51.100.2"}, "", ErrKicked},        // a guest id drawn here
			{&addrClient{addr: "198.51.100.3"}, "u-other", nil},       // another address
			{&addrClient{addr: "198.51.100.1"}, "u-mate2", nil},       // the host's own address
			{&fakeClient{}, "u-mate", ErrKicked},                      // the kicked user, anywhere
		} {
			// Names differ: a room's names are unique (name_taken).
			if err := tb.JoinAs(ctx, j.c, j.id, "Someone "+j.id[min(len(j.id), 2):]); !errors.Is(err, j.want) && !(j.want == nil && err == nil) {
				t.Errorf("join as %q from %v: %v, want %v", j.id, j.c, err, j.want)
			}
		}
	})
}

// TestSettingsFloodIsBounded: a host changing settings without end adds
// at most maxSettingsChanges events; the rest are refused.
func TestSettingsFloodIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		ctx := context.Background()
		host := &fakeClient{}
		tb, err := m.Create(ctx, host, "Ann", game.DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 * maxSettingsChanges {
			s := game.DefaultSettings()
			s.Rounds = 1 + i%9
			do(t, tb, host, int64(i+1), Action{Op: OpGame, Cmd: game.ChangeSettingsCmd("", s)})
		}
		log, _ := st.Load(ctx, host.welcome().GameID)
		n := 0
		for _, r := range log {
			if r.Type == "SettingsChanged" {
				n++
			}
		}
		if n > maxSettingsChanges || n == 0 {
			t.Errorf("%d SettingsChanged events stored, want 1..%d", n, maxSettingsChanges)
		}
		refused := 0
		for _, r := range host.rejects() {
			if code, _, _ := ErrorCode(r.Err); code == string(CodeRateLimited) && r.ID > 0 {
				refused++
			}
		}
		if refused < 3*maxSettingsChanges-n-1 {
			t.Errorf("%d changes refused with rate_limited and their id, want the %d over the bound", refused, 3*maxSettingsChanges-n)
		}
	})
}
