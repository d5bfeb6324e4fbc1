package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"golf/game"
	"golf/store"
)

// Manager opens, finds and closes the tables of one server.
type Manager struct {
	cfg     Config
	log     *slog.Logger
	ctx     context.Context // cancelled by Close: tables stop
	stop    context.CancelFunc
	wg      sync.WaitGroup
	dir     Directory
	listing Listing
	me      string // this instance's id; "" alone

	mu      sync.Mutex
	tables  map[string]*Table // by game id, opening ones included
	scanned bool              // the scan loop runs

	// afterAppend, set by tests before any table opens, runs where a
	// fault hurts most: the events are durable, the table has not applied
	// them (recover.go).
	afterAppend func(*Table)
}

// New returns a Manager. It starts no goroutine until a table opens (or,
// with several instances, until Recover).
func New(cfg Config) (*Manager, error) {
	if cfg.Store == nil || cfg.Bots == nil {
		return nil, errors.New("live: config needs a Store and Bots")
	}
	if len(cfg.Secret) < 32 {
		return nil, errors.New("live: the secret must be at least 32 bytes")
	}
	if (cfg.Leases == nil) != (cfg.Bus == nil) {
		return nil, errors.New("live: Leases and Bus go together (several instances) or not at all (one)")
	}
	if cfg.Bus != nil && cfg.Directory == nil {
		return nil, errors.New("live: instances sharing games need a shared Directory")
	}
	if cfg.Leases != nil && cfg.Leases.TTL() <= 0 {
		return nil, errors.New("live: the lease TTL must be positive")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.AppendTimeout <= 0 {
		cfg.AppendTimeout = 5 * time.Second
	}
	if cfg.ForwardTimeout <= 0 {
		cfg.ForwardTimeout = 5 * time.Second
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	ctx, stop := context.WithCancel(context.Background())
	m := &Manager{cfg: cfg, log: cfg.Logger, ctx: ctx, stop: stop, dir: cfg.Directory, tables: map[string]*Table{}}
	if m.dir == nil {
		m.dir = newMemDirectory()
	}
	if m.listing = cfg.Listing; m.listing == nil {
		m.listing = newMemListing()
	}
	if cfg.Bus != nil {
		m.me = cfg.Bus.Instance()
		cfg.Bus.Listen(m.receive)
	}
	return m, nil
}

// clustered reports whether other instances serve the same games.
func (m *Manager) clustered() bool { return m.cfg.Bus != nil }

// Instance returns this instance's id ("" when it is alone).
func (m *Manager) Instance() string { return m.me }

// Lookup returns the table of a room code (as typed; case is ignored).
// With several instances, a room another instance writes gets a replica
// table here.
func (m *Manager) Lookup(ctx context.Context, roomCode string) (*Table, error) {
	c, ok := NormalizeRoomCode(roomCode)
	if !ok {
		return nil, ErrRoomNotFound
	}
	id, err := m.dir.LookupRoom(ctx, c)
	if err != nil {
		m.log.Warn("room directory unavailable", "err", err)
		return nil, ErrUnavailable
	}
	if id == "" {
		return nil, ErrRoomNotFound
	}
	return m.open(ctx, id, false, nil)
}

// Rooms returns the number of tables open here (replicas included).
func (m *Manager) Rooms() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tables)
}

// Create opens a room with a new room code and seats c as its host,
// under a new guest player id. CreateAs seats a known user.
func (m *Manager) Create(ctx context.Context, c Client, name string, s game.Settings) (*Table, error) {
	return m.CreateAs(ctx, c, "", name, s)
}

// openNew claims a fresh room code and game id and starts an empty table that
// writes it.
func (m *Manager) openNew(ctx context.Context) (*Table, error) {
	if m.ctx.Err() != nil {
		return nil, ErrUnavailable
	}
	if n := m.Rooms(); m.cfg.MaxRooms > 0 && n >= m.cfg.MaxRooms {
		m.log.Warn("room limit reached", "rooms", n)
		return nil, &Error{CodeUnavailable, "the server has no room for another table; try later"}
	}
	for range 100 {
		roomCode, id := newRoomCode(), store.NewGameID()
		ok, err := m.dir.ClaimRoom(ctx, roomCode, id)
		if err != nil {
			m.log.Warn("room directory unavailable", "err", err)
			return nil, ErrUnavailable
		}
		if !ok {
			continue
		}
		t := newTable(m, roomCode, id)
		if err := m.register(t); err != nil {
			m.dir.ReleaseRoom(context.WithoutCancel(ctx), roomCode, id)
			return nil, err
		}
		if m.clustered() {
			if err := m.join(ctx, t); err != nil {
				m.forget(t)
				m.dir.ReleaseRoom(context.WithoutCancel(ctx), roomCode, id)
				close(t.done)
				return nil, err
			}
			if t.replica != nil {
				// A fresh id leased by someone else cannot happen; be safe.
				m.forget(t)
				close(t.done)
				return nil, ErrUnavailable
			}
		}
		close(t.ready)
		m.start(t)
		return t, nil
	}
	return nil, &Error{CodeUnavailable, "no free room code"}
}

// register adds an opening table; it fails once the manager is closing.
func (m *Manager) register(t *Table) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx.Err() != nil {
		return ErrUnavailable
	}
	m.tables[t.gameID] = t
	return nil
}

func (m *Manager) forget(t *Table) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tables[t.gameID] == t {
		delete(m.tables, t.gameID)
	}
}

func (m *Manager) local(gameID string) *Table {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tables[gameID]
}

// open returns this instance's table of a stored game, opening it if
// there is none: as the writer if the lease is free, else (unless
// writerOnly) as a replica. writerOnly returns (nil, nil) for a game
// another instance writes. logs, if not nil, is the game's whole log as
// the caller has just read it: a table that has to be opened starts from
// it instead of reading the log again.
func (m *Manager) open(ctx context.Context, id string, writerOnly bool, logs []store.Record) (*Table, error) {
	for {
		m.mu.Lock()
		t := m.tables[id]
		if t == nil {
			break
		}
		m.mu.Unlock()
		select {
		case <-t.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		select {
		case <-t.done:
			// Closed, or closing: its goroutine forgets it any moment.
			m.forget(t)
			continue
		default:
		}
		if t.openErr == nil {
			return t, nil
		}
		// It failed to open and is gone: try afresh.
		select {
		case <-t.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if m.ctx.Err() != nil {
		m.mu.Unlock()
		return nil, ErrUnavailable
	}
	if !m.clustered() && !writerOnly {
		// Alone, every open game has its table; the directory is stale.
		m.mu.Unlock()
		return nil, ErrRoomNotFound
	}
	t := newTable(m, "", id)
	t.preloaded = logs
	m.tables[id] = t
	m.mu.Unlock()

	err := m.load(ctx, t, writerOnly)
	if err == nil && t.replica != nil && writerOnly {
		err = errNotWriter
	}
	if err != nil {
		t.openErr = err
		m.forget(t)
		if m.clustered() {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			m.cfg.Bus.Unsubscribe(cctx, id)
			if t.replica == nil {
				m.cfg.Leases.Release(cctx, id)
			}
			cancel()
		}
		close(t.ready)
		close(t.done)
		if errors.Is(err, errNotWriter) {
			return nil, nil
		}
		return nil, err
	}
	close(t.ready)
	m.start(t)
	return t, nil
}

// errNotWriter is open's own: the game is another instance's.
var errNotWriter = errors.New("another instance writes this game")

// join subscribes to a game's channel and learns (or takes) its lease.
// The subscription comes first, so nothing published after the state is
// loaded is missed.
func (m *Manager) join(ctx context.Context, t *Table) error {
	if err := m.cfg.Bus.Subscribe(ctx, t.gameID); err != nil {
		m.log.Warn("cannot subscribe to a game", "game", t.gameID, "err", err)
		return ErrUnavailable
	}
	at := time.Now()
	holder, err := m.cfg.Leases.Acquire(ctx, t.gameID)
	if err != nil {
		m.log.Warn("cannot take a lease", "game", t.gameID, "err", err)
		return ErrUnavailable
	}
	if holder != m.me {
		t.replica = newReplica(t, holder)
	} else {
		t.lease = newLease()
		t.leased(at)
	}
	return nil
}

// load rebuilds a stored game into the (not yet running) table t: from
// the cache plus the log's tail when the cache has it, else from the log.
func (m *Manager) load(ctx context.Context, t *Table, writerOnly bool) error {
	if m.clustered() {
		if writerOnly {
			// Recovery and the scan take only games nobody writes; try the
			// lease before subscribing to anything.
			h, err := m.cfg.Leases.Acquire(ctx, t.gameID)
			if err != nil {
				m.log.Warn("cannot take a lease", "game", t.gameID, "err", err)
				return ErrUnavailable
			}
			if h != m.me {
				t.replica = newReplica(t, h)
				return nil
			}
		}
		if err := m.join(ctx, t); err != nil {
			return err
		}
	}
	from, err := t.rebuild(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return ErrRoomNotFound
	}
	if err != nil {
		m.log.Error("cannot rebuild game", "game", t.gameID, "err", err)
		return ErrUnavailable
	}
	role := "writer"
	if t.replica != nil {
		role = "replica of " + t.replica.writer
	} else {
		if from == "store" {
			// Whoever takes the game over next starts from here.
			t.saveState()
		}
		ok, err := m.dir.ClaimRoom(ctx, t.roomCode, t.gameID)
		if err != nil {
			m.log.Warn("room directory unavailable", "err", err)
			return ErrUnavailable
		}
		if !ok {
			t.log.Error("cannot open game: its room code is in use by another game")
			return ErrUnavailable
		}
	}
	t.log.Info("game opened", "seq", t.seq, "phase", t.st.Phase(), "from", from, "as", role)
	return nil
}

func (m *Manager) start(t *Table) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t.run(m.ctx)
		m.forget(t)
		t.leave()
	}()
}

// Recover reopens the games the store holds as active, so that a restart
// loses no game: each is rebuilt (from the cache when it is fresh, else
// from its events), its humans count as disconnected (their grace period
// starts now) and its CPUs play on. With several instances it takes only
// the games whose lease is free, and from then on looks for such games
// every lease TTL (their writer died), until Close.
func (m *Manager) Recover(ctx context.Context) (int, error) {
	n, err := m.scan(ctx)
	if err != nil || !m.clustered() {
		return n, err
	}
	m.mu.Lock()
	if !m.scanned && m.ctx.Err() == nil {
		m.scanned = true
		m.wg.Add(1)
		go m.scanLoop()
	}
	m.mu.Unlock()
	return n, nil
}

// recoverWorkers bounds the games rebuilt at once during a scan.
const recoverWorkers = 8

// A scan of a lone instance reads the logs of recoverBatch games per
// query (store.LoadLogs), recoverReaders queries at once, instead of one
// query per game: at 1,000 games the round trips and the per-query work
// were most of a restart's cost (docs/BENCHMARKS.md, "Issue 16").
const (
	recoverBatch   = 50
	recoverReaders = 4
)

// recoverJob is one game for a scan's workers to open.
type recoverJob struct {
	id   string
	logs []store.Record // nil: open reads the log itself
}

// scan opens, as their writer, the active games no table here serves and
// no other instance writes.
func (m *Manager) scan(ctx context.Context) (int, error) {
	ids, err := m.cfg.Store.ActiveGames(ctx)
	if err != nil {
		return 0, fmt.Errorf("recover: %w", err)
	}
	var (
		mu    sync.Mutex
		n     int
		wg    sync.WaitGroup
		queue = make(chan recoverJob, recoverWorkers)
	)
	for range recoverWorkers {
		wg.Go(func() {
			for j := range queue {
				t, err := m.open(ctx, j.id, true, j.logs)
				if err != nil {
					m.log.Error("cannot recover game", "game", j.id, "err", err)
					continue
				}
				if t != nil {
					mu.Lock()
					n++
					mu.Unlock()
				}
			}
		})
	}
	send := func(j recoverJob) bool {
		select {
		case queue <- j:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var todo []string
	for _, id := range ids {
		if m.local(id) == nil {
			todo = append(todo, id)
		}
	}
	if m.clustered() || m.cfg.Cache != nil {
		// With several instances most active games are another's, and
		// the lease decides which are ours before anything is read; a
		// cached state beats a whole log. One game at a time.
		for _, id := range todo {
			if !send(recoverJob{id: id}) {
				break
			}
		}
	} else {
		// Alone, this instance is the only writer (a game's table is the
		// only thing that appends to it, and it has none yet): the logs
		// read now are still whole when their tables open.
		m.preload(ctx, todo, send)
	}
	close(queue)
	wg.Wait()
	m.cfg.Observer.GamesRecovered(n)
	return n, ctx.Err()
}

// preload reads the logs of ids, recoverBatch games per store.LoadLogs,
// and hands each game to send with its log as soon as it arrives. A game
// its batch did not return (no events, or the batch failed) goes without,
// so that open reads it alone and reports what is wrong.
func (m *Manager) preload(ctx context.Context, ids []string, send func(recoverJob) bool) {
	var (
		wg      sync.WaitGroup
		batches = make(chan []string)
	)
	for range recoverReaders {
		wg.Go(func() {
			for batch := range batches {
				seen := make(map[string]bool, len(batch))
				err := m.cfg.Store.LoadLogs(ctx, batch, func(id string, recs []store.Record) error {
					seen[id] = true
					if !send(recoverJob{id: id, logs: recs}) {
						return ctx.Err()
					}
					return nil
				})
				if err != nil && ctx.Err() == nil {
					m.log.Warn("cannot read a batch of logs: reading them one by one", "games", len(batch), "err", err)
				}
				for _, id := range batch {
					if !seen[id] && !send(recoverJob{id: id}) {
						break
					}
				}
			}
		})
	}
	for batch := range slices.Chunk(ids, recoverBatch) {
		if ctx.Err() != nil {
			break
		}
		batches <- batch
	}
	close(batches)
	wg.Wait()
}

func (m *Manager) scanLoop() {
	defer m.wg.Done()
	tk := time.NewTicker(m.cfg.Leases.TTL())
	defer tk.Stop()
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-tk.C:
			n, err := m.scan(m.ctx)
			if err != nil && m.ctx.Err() == nil {
				m.log.Warn("scan for orphaned games failed", "err", err)
			}
			if n > 0 {
				m.log.Info("took over orphaned games", "count", n)
			}
		}
	}
}

// Close stops every table once its current command is done (appends in
// flight complete; writers release their leases, so other instances take
// their games over at once) and waits for them, or until ctx is done.
func (m *Manager) Close(ctx context.Context) error {
	m.mu.Lock()
	m.stop()
	m.mu.Unlock()
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("close tables: %w", ctx.Err())
	}
}

// receive takes every message the bus delivers and hands it to its
// table's mailbox; it never blocks on a table.
func (m *Manager) receive(gameID string, msg []byte) {
	if msg == nil {
		// The subscription dropped and came back: the table reads what it
		// may have missed from the store.
		if t := m.local(gameID); t != nil {
			t.mail(&wireMsg{Kind: kindResync, Game: gameID})
		}
		return
	}
	w := new(wireMsg)
	if err := json.Unmarshal(msg, w); err != nil || w.Game == "" {
		m.log.Warn("bad message on the bus", "len", len(msg), "err", err)
		return
	}
	if gameID != "" && w.Game != gameID {
		m.log.Warn("message for another game on a game's channel", "channel", gameID, "game", w.Game)
		return
	}
	if w.From == m.me && gameID != "" {
		return // our own publication
	}
	t := m.local(w.Game)
	if t == nil {
		if w.Kind == kindCommand || w.Kind == kindJoin {
			// No table here (any more): the sender's client retries.
			go m.send(w.From, &wireMsg{Kind: kindReply, Game: w.Game, Cause: w.Cause,
				Code: string(CodeUnavailable), Message: ErrUnavailable.Msg})
		}
		return
	}
	t.mail(w)
}

// send delivers a message to another instance's inbox.
func (m *Manager) send(instance string, w *wireMsg) error {
	defer m.published("instance", time.Now())
	w.From = m.me
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.busTimeout())
	defer cancel()
	return m.cfg.Bus.Send(ctx, instance, b)
}

// publish sends a message on a game's channel.
func (m *Manager) publish(w *wireMsg) error {
	defer m.published("game", time.Now())
	w.From = m.me
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.busTimeout())
	defer cancel()
	return m.cfg.Bus.Publish(ctx, w.Game, b)
}

// busTimeout bounds one call to the bus, the leases or the cache.
func (m *Manager) busTimeout() time.Duration {
	return min(max(m.cfg.Leases.TTL()/3, 100*time.Millisecond), 3*time.Second)
}

// memDirectory is the in-process Directory.
type memDirectory struct {
	mu    sync.Mutex
	rooms map[string]string
}

func newMemDirectory() *memDirectory { return &memDirectory{rooms: make(map[string]string)} }

func (d *memDirectory) ClaimRoom(ctx context.Context, roomCode, gameID string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if cur, ok := d.rooms[roomCode]; ok {
		return cur == gameID, nil
	}
	d.rooms[roomCode] = gameID
	return true, nil
}

func (d *memDirectory) LookupRoom(ctx context.Context, roomCode string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.rooms[roomCode], nil
}

func (d *memDirectory) ReleaseRoom(ctx context.Context, roomCode, gameID string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rooms[roomCode] == gameID {
		delete(d.rooms, roomCode)
	}
	return nil
}

// storeRecords decodes a stored log.
func storeRecords(recs []store.Record) ([]game.Event, error) {
	evs := make([]game.Event, len(recs))
	for i, r := range recs {
		e, err := r.Event()
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", r.Seq, err)
		}
		evs[i] = e
	}
	return evs, nil
}
