package live

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"golf/game"
)

// cacheEntry is what the cache holds for a live game: its state as a
// snapshot and what the table derives besides it, as of a sequence
// number (kept beside it by the Cache).
type cacheEntry struct {
	State   json.RawMessage `json:"state"` // game.State.Snapshot
	Lobby   game.Settings   `json:"lobby"`
	Banned  []string        `json:"banned,omitempty"`
	Rematch string          `json:"rematch,omitempty"`
	// Last is the SHA-256 of the last event folded in, as MarshalEvent
	// writes it: a cache is used only if the log's event at its sequence
	// number is that event (same game history, not just same length).
	Last string `json:"last"`
}

// eventHash is the hex SHA-256 of an event's canonical encoding.
func eventHash(e game.Event) (string, error) {
	b, err := game.MarshalEvent(e)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

// rebuild loads the table's game into it: the cached state plus the log's
// tail if the cache has the game, else the whole log. It reports which.
func (t *Table) rebuild(ctx context.Context) (string, error) {
	if c := t.m.cfg.Cache; c != nil {
		seq, data, err := c.LoadState(ctx, t.gameID)
		switch {
		case err != nil:
			t.m.cfg.Observer.CacheLookup("error")
			t.m.log.Warn("state cache unavailable", "game", t.gameID, "err", err)
		case data != nil:
			err := t.fromCache(ctx, seq, data)
			if err == nil {
				t.m.cfg.Observer.CacheLookup("hit")
				return "cache", nil
			}
			if errors.Is(err, errStore) {
				return "", err
			}
			t.m.cfg.Observer.CacheLookup("stale")
			t.m.log.Warn("cached state not used", "game", t.gameID, "seq", seq, "err", err)
		default:
			t.m.cfg.Observer.CacheLookup("miss")
		}
	}
	recs := t.preloaded
	t.preloaded = nil
	if recs == nil {
		var err error
		if recs, err = t.m.cfg.Store.Load(ctx, t.gameID); err != nil {
			return "", err
		}
	}
	evs, err := storeRecords(recs)
	if err != nil {
		return "", err
	}
	st, err := game.Fold(evs)
	if err != nil {
		return "", err
	}
	t.install(st, int64(len(evs)), game.Settings{}, nil, "")
	for _, e := range evs {
		t.note(e)
	}
	t.last, err = eventHash(evs[len(evs)-1])
	return "store", err
}

// errStore marks a rebuild that failed reading the store, not the cache.
var errStore = errors.New("store unavailable")

// fromCache installs a cached state after checking it against the log and
// folding the log's tail into it.
func (t *Table) fromCache(ctx context.Context, seq int64, data []byte) error {
	var e cacheEntry
	if err := json.Unmarshal(data, &e); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	st, err := game.Restore(e.State)
	if err != nil {
		return err
	}
	if seq < 1 {
		return fmt.Errorf("sequence number %d", seq)
	}
	recs, err := t.m.cfg.Store.LoadAfter(ctx, t.gameID, seq-1)
	if err != nil {
		return fmt.Errorf("%w: %w", errStore, err)
	}
	if len(recs) == 0 || recs[0].Seq != seq {
		return fmt.Errorf("the cache is at %d, beyond the log", seq)
	}
	evs, err := storeRecords(recs)
	if err != nil {
		return err
	}
	if h, err := eventHash(evs[0]); err != nil || h != e.Last {
		return fmt.Errorf("the log's event %d is not the cache's", seq)
	}
	for _, ev := range evs[1:] {
		if err := st.Apply(ev); err != nil {
			return fmt.Errorf("the log's tail does not apply to the cache: %w", err)
		}
	}
	t.install(st, seq+int64(len(evs))-1, e.Lobby, e.Banned, e.Rematch)
	for _, ev := range evs[1:] {
		t.note(ev)
	}
	t.last, err = eventHash(evs[len(evs)-1])
	return err
}

// install makes st (the log folded to seq) the table's state, seating the
// CPU players and counting every human as disconnected from now.
func (t *Table) install(st *game.State, seq int64, lobby game.Settings, banned []string, rematch string) {
	now := time.Now()
	t.st, t.seq, t.lobby, t.rematch = st, seq, lobby, rematch
	if t.roomCode != st.RoomCode() {
		t.roomCode = st.RoomCode()
		t.log = t.m.log.With("room", t.roomCode, "game", t.gameID)
	}
	clear(t.banned)
	clear(t.replaced)
	for _, id := range banned {
		t.banned[id] = true
		// Banned yet seated: removed mid-game, the seat played by a CPU.
		if st.Seated(st.Seat(id)) {
			t.replaced[id] = true
		}
	}
	for i := range st.NumSeats() {
		id := st.PlayerID(i)
		if cpu, profile := st.IsCPU(i); cpu {
			if t.bots[id] == nil {
				if err := t.seatBot(id, profile); err != nil {
					t.log.Error("no player for CPU profile", "profile", profile, "err", err)
				}
			}
		} else if t.seats[id] == nil {
			t.seats[id] = &presence{lostAt: now}
		}
	}
	t.stepKey, t.stepAt = t.currentStep(), now
	t.turnKey, t.turnAt = t.currentTurn(), now
	if st.Phase() == game.PhaseRoundOver {
		t.roundAt = now
	}
	t.publishInfo()
}

// saveState caches the writer's state, for whoever takes the game over.
// The cache is a shortcut: failing to update it is worth a warning only.
func (t *Table) saveState() {
	c := t.m.cfg.Cache
	if c == nil || t.replica != nil || t.fenced || t.seq == 0 {
		return
	}
	snap, err := t.st.Snapshot()
	if err != nil {
		t.log.Error("cannot snapshot the state", "err", err)
		return
	}
	e := cacheEntry{State: snap, Lobby: t.lobby, Rematch: t.rematch, Last: t.last}
	for id := range t.banned {
		e.Banned = append(e.Banned, id)
	}
	slices.Sort(e.Banned)
	b, err := json.Marshal(e)
	if err != nil {
		t.log.Error("cannot encode the cached state", "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.m.busTimeout())
	defer cancel()
	if err := c.SaveState(ctx, t.gameID, t.seq, b); err != nil {
		t.log.Warn("cannot update the state cache", "err", err)
	}
}

// CachedState is a live game's cached state, as golf verify reads it.
type CachedState struct {
	Seq   int64
	State *game.State
}

// DecodeCached decodes what a Cache holds for a game (at seq).
func DecodeCached(seq int64, data []byte) (CachedState, error) {
	var e cacheEntry
	if err := json.Unmarshal(data, &e); err != nil {
		return CachedState{}, fmt.Errorf("cached state: %w", err)
	}
	st, err := game.Restore(e.State)
	if err != nil {
		return CachedState{}, fmt.Errorf("cached state: %w", err)
	}
	return CachedState{Seq: seq, State: st}, nil
}

// catchUp folds the events the log holds beyond the table's state: what a
// replica missed on the bus, or what another writer appended.
func (t *Table) catchUp() error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.m.ctx), t.m.cfg.AppendTimeout)
	recs, err := t.m.cfg.Store.LoadAfter(ctx, t.gameID, t.seq)
	cancel()
	if err != nil {
		t.lost = true
		t.log.Warn("cannot read the log to catch up", "seq", t.seq, "err", err)
		return err
	}
	t.lost = false
	if len(recs) == 0 {
		return nil
	}
	evs, err := storeRecords(recs)
	if err == nil && recs[0].Seq != t.seq+1 {
		err = fmt.Errorf("the log continues at %d, not %d", recs[0].Seq, t.seq+1)
	}
	if err == nil {
		err = t.fold(evs)
	}
	if err != nil {
		if t.replica != nil {
			// Never expected: start afresh from the store on the next visit.
			t.log.Error("the log does not continue the replica's state: closing it", "err", err)
			t.closing, t.bye = true, ByeRestart
			return err
		}
		t.fence("the log does not continue the table's state", err)
		return err
	}
	t.log.Info("caught up with the log", "seq", t.seq, "events", len(evs))
	if r := t.replica; r != nil {
		r.completeAwaited()
	}
	return nil
}

// fold applies events the log already holds (another writer's) and fans
// them out to the clients here.
func (t *Table) fold(evs []game.Event) error {
	return t.foldFrom(evs, nil, 0)
}

func (t *Table) foldFrom(evs []game.Event, from *member, ack int64) error {
	for i, e := range evs {
		if err := t.st.Apply(e); err != nil {
			// The events before it are in the state: count them.
			t.seq += int64(i)
			return fmt.Errorf("event %d (%s): %w", t.seq+1, e.Type(), err)
		}
	}
	t.seq += int64(len(evs))
	t.changed(evs, from, ack)
	return nil
}
