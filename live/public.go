package live

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"golf/game"
)

// PublicRoom is a public lobby with a free seat, as GET /api/rooms lists it.
type PublicRoom struct {
	Code   string `json:"code"`
	Host   string `json:"host"`   // the host's name
	Seats  int    `json:"seats"`  // seats taken
	Max    int    `json:"max"`    // seats at most
	Rules  string `json:"rules"`  // the preset the options equal (rules §9), or "custom"
	Rounds int    `json:"rounds"` // holes
}

// Listing holds the public rooms of every instance. The writer of a
// public lobby lists it while it has a free seat and unlists it when it
// fills, starts or closes; an entry not renewed within its ttl (its writer
// died) is dropped.
// Entries are opaque bytes to it (live encodes them).
type Listing interface {
	// List puts (or replaces) a room's entry for game gameID; ttl 0 keeps
	// it until Unlist.
	List(ctx context.Context, code, gameID string, entry []byte, ttl time.Duration) error
	// Unlist drops a room's entry if the game gameID still holds it.
	Unlist(ctx context.Context, code, gameID string) error
	// Listed returns every entry not expired, in no order.
	Listed(ctx context.Context) ([][]byte, error)
}

// PublicRooms returns the public lobbies with a free seat, on every
// instance: the fullest first (they start soonest), then by room code.
func (m *Manager) PublicRooms(ctx context.Context) ([]PublicRoom, error) {
	entries, err := m.listing.Listed(ctx)
	if err != nil {
		m.log.Warn("public room listing unavailable", "err", err)
		return nil, ErrUnavailable
	}
	rooms := make([]PublicRoom, 0, len(entries))
	for _, b := range entries {
		var r PublicRoom
		if err := json.Unmarshal(b, &r); err != nil {
			m.log.Warn("bad public room entry", "err", err)
			continue
		}
		rooms = append(rooms, r)
	}
	slices.SortFunc(rooms, func(a, b PublicRoom) int {
		return cmp.Or(cmp.Compare(b.Seats, a.Seats), cmp.Compare(a.Code, b.Code))
	})
	return rooms, nil
}

// relist brings the room's entry in the listing up to date; force puts it
// again even unchanged (a writer's lease renewal keeps it alive).
func (t *Table) relist(force bool) {
	if t.replica != nil {
		return
	}
	var want *PublicRoom
	if t.room.Public && t.st.Phase() == game.PhaseWaiting && !t.fenced && !t.closing &&
		t.st.NumSeats() < game.MaxPlayers && t.st.Host() >= 0 {
		set := t.st.Settings()
		want = &PublicRoom{Code: t.roomCode, Host: t.seatName(t.st.Host()),
			Seats: t.st.SeatedCount(), Max: game.MaxPlayers, Rules: presetName(set.Options), Rounds: set.Rounds}
	}
	list := want != nil && (force || t.listed == nil || *t.listed != *want)
	if !list && (want != nil || t.listed == nil) {
		return // nothing to tell the listing: every change comes here, most games are never listed
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	switch {
	case list:
		var ttl time.Duration
		if t.m.clustered() {
			ttl = 3 * t.m.cfg.Leases.TTL()
		}
		b, err := json.Marshal(want)
		if err == nil {
			err = t.m.listing.List(ctx, t.roomCode, t.gameID, b, ttl)
		}
		if err != nil {
			t.log.Warn("cannot list the public room", "err", err)
			return
		}
		t.listed = want
	case want == nil && t.listed != nil:
		t.unlist(ctx)
	}
}

func (t *Table) unlist(ctx context.Context) {
	if t.listed == nil {
		return
	}
	if err := t.m.listing.Unlist(ctx, t.roomCode, t.gameID); err != nil {
		t.log.Warn("cannot unlist the public room", "err", err)
		return
	}
	t.listed = nil
}

// presetName names the preset options equal, or "custom".
func presetName(o game.Options) string {
	for _, name := range game.PresetNames() {
		if p, ok := game.Preset(name); ok && p == o {
			return name
		}
	}
	return "custom"
}

// memListing is the in-process Listing, for one instance alone.
type memListing struct {
	mu    sync.Mutex
	rooms map[string]memEntry
}

type memEntry struct {
	game  string
	entry []byte
}

func newMemListing() *memListing { return &memListing{rooms: map[string]memEntry{}} }

func (l *memListing) List(_ context.Context, code, gameID string, entry []byte, _ time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rooms[code] = memEntry{gameID, entry}
	return nil
}

func (l *memListing) Unlist(_ context.Context, code, gameID string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rooms[code].game == gameID {
		delete(l.rooms, code)
	}
	return nil
}

func (l *memListing) Listed(context.Context) ([][]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([][]byte, 0, len(l.rooms))
	for _, r := range l.rooms {
		out = append(out, r.entry)
	}
	return out, nil
}
