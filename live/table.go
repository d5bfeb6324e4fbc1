package live

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golf/ai"
	"golf/game"
	"golf/store"
)

// Table is one running game. A single goroutine (run) owns everything
// below the line; other goroutines reach it only through the inbox, as
// closures it runs in order, and the mailbox, which holds what other
// instances sent.
type Table struct {
	m        *Manager
	log      *slog.Logger
	roomCode string
	gameID   string
	inbox    chan func()
	done     chan struct{} // closed when run returns
	ready    chan struct{} // closed once the table is loaded (or failed to load)
	openErr  error         // set before ready is closed, if loading failed
	// preloaded is the game's log when the recovery read it with other
	// games' (store.LoadLogs) before opening the table; rebuild uses it
	// instead of loading the log again, once.
	preloaded []store.Record
	info      atomic.Pointer[Summary]

	mailMu  sync.Mutex
	mailbox []*wireMsg
	mailSig chan struct{}

	// Owned by run.
	st       *game.State
	seq      int64
	members  []*member
	seats    map[string]*presence // by human player id
	bots     map[string]ai.Player // by CPU player id
	aiView   game.View            // the view decisions are made from (decision)
	seatsBuf []int                // deliver's, reused
	standin  ai.Player            // made when a human seat is first played for: most tables never need one
	pending  map[string]*pending  // CPU or stand-in decisions, by player id
	banned   map[string]bool      // kicked from this room: may not come back
	// bannedAddrs are the addresses of kicked players (Addresser): a new
	// identity from there may not join either. Kept in memory only.
	bannedAddrs map[string]bool
	// changes counts the lobby's SettingsChanged events (maxSettingsChanges).
	changes  int
	lobby    game.Settings // the lobby settings, for a rematch
	rematch  string        // the rematch's room code, once there is one
	room     RoomSettings  // public, chat (social.go); a replica's as the writer published them
	listed   *PublicRoom   // the entry this writer last put in the listing (public.go)
	fenced   bool          // another writer owns the game: write nothing
	limbo    []game.Event  // the events of an append that failed: stored or not?
	closing  bool          // run returns after the current closure
	ended    bool          // the room is closed for good (not just this server stopping)
	bye      ByeReason     // what clients are told when the table closes
	timer    *time.Timer
	rng      *rand.Rand
	stepKey  stepKey
	stepAt   time.Time // when the current step (or initial flip) began
	roundAt  time.Time // when the last round ended
	humanAt  time.Time // last moment a seated human was connected
	memberAt time.Time // last moment any client was attached
	retryAt  time.Time // no own action before this, after one failed

	// The table flow of turns.go.
	turnKey   turnKey
	turnAt    time.Time       // when the current turn (or initial flip) began
	timeouts  map[string]int  // turns timed out in a row, by player
	covering  map[string]bool // the stand-in plays this turn of a timed-out player
	away      map[string]bool // timed out twice in a row: played for until they act
	replaced  map[string]bool // removed by the host mid-game: a CPU plays the seat
	readyFor  map[string]bool // ready for the next hole
	holdUntil time.Time       // the next hole is not dealt before this (a hold)

	lost  bool   // the log may be ahead of the state (a catch-up failed, or the cache says so)
	last  string // hash of the last event (for the cache)
	crash crash  // panics recovered (recover.go)

	// With several instances, the table's role: exactly one is set. The
	// writer holds the game's lease (writer.go); a replica folds another
	// instance's events and forwards its clients' commands (replica.go).
	// Alone, a table writes, and neither is set.
	lease   *lease
	replica *replica
}

// member is a client attached to the table: a seat (id) or a spectator
// (""). A command forwarded by another instance runs as a member with no
// client and the forward's origin.
type member struct {
	c      Client
	id     string
	addr   string // the client's address, if it has one (Addresser)
	origin *origin
}

// origin is where a forwarded command came from: the instance and the
// reference its answer must carry.
type origin struct {
	instance string
	ref      uint64
}

// presence is a human seat's connection state.
type presence struct {
	conns  int       // connections here
	remote int       // connections on other instances (writer: from their reports)
	lostAt time.Time // when the last connection went, if none is left
}

func (p *presence) online() bool { return p.conns+p.remote > 0 }

// pending is a decision the table has taken for a CPU (or stand-in) seat
// and will submit at due, unless the game moves on first.
type pending struct {
	seq int64
	cmd game.Command
	due time.Time
}

// stepKey identifies the moment a seat could start to act.
type stepKey struct {
	phase          game.Phase
	round, current int
	step           game.Step
}

// Summary is what the room directory shows of a table without asking its
// goroutine: GET /api/rooms/{code}.
type Summary struct {
	RoomCode   string        `json:"code"`
	Phase      game.Phase    `json:"phase"`
	Seats      []SeatSummary `json:"seats"`
	Spectators int           `json:"spectators"`
	Rematch    string        `json:"rematch,omitempty"`

	writer bool // this instance writes the game (Manager.Census)
}

// SeatSummary is one seated player in a Summary.
type SeatSummary struct {
	Name string `json:"name"`
	CPU  bool   `json:"cpu"`
}

func newTable(m *Manager, roomCode, gameID string) *Table {
	now := time.Now()
	t := &Table{
		m: m, roomCode: roomCode, gameID: gameID,
		log:     m.log.With("room", roomCode, "game", gameID),
		inbox:   make(chan func(), 64),
		done:    make(chan struct{}),
		ready:   make(chan struct{}),
		mailSig: make(chan struct{}, 1),
		st:      new(game.State),
		seats:   map[string]*presence{}, bots: map[string]ai.Player{},
		pending: map[string]*pending{}, banned: map[string]bool{}, bannedAddrs: map[string]bool{},
		rng:     rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
		humanAt: now, memberAt: now, stepAt: now, turnAt: now,
		timeouts: map[string]int{}, covering: map[string]bool{}, away: map[string]bool{},
		replaced: map[string]bool{}, readyFor: map[string]bool{},
	}
	t.info.Store(&Summary{RoomCode: roomCode, Seats: []SeatSummary{}})
	return t
}

// run is the table's goroutine.
func (t *Table) run(ctx context.Context) {
	defer close(t.done)
	t.timer = time.NewTimer(time.Hour)
	defer t.timer.Stop()
	t.guard(t.plan)
	for !t.closing {
		select {
		case f := <-t.inbox:
			t.guard(f)
		case <-t.mailSig:
			t.guard(t.readMail)
		case <-t.timer.C:
			t.guard(t.tick)
		case <-ctx.Done():
			t.byeAll(ByeClosed)
			return
		}
		t.guard(t.plan)
	}
	if t.bye == "" {
		t.bye = ByeClosed
	}
	t.byeAll(t.bye)
	t.log.Info("room closed", "reason", t.bye)
}

// call runs f on the table's goroutine and waits for its result.
func (t *Table) call(ctx context.Context, f func() error) error {
	res := make(chan error, 1)
	if err := t.post(ctx, func() { t.crash.rescue = unblock(res); res <- f() }); err != nil {
		return err
	}
	return t.wait(ctx, res)
}

// wait waits for a result the table's goroutine will send.
func (t *Table) wait(ctx context.Context, res <-chan error) error {
	select {
	case err := <-res:
		return err
	case <-t.done:
		select {
		case err := <-res:
			return err
		default:
		}
		return ErrRoomNotFound
	case <-ctx.Done():
		return ctx.Err()
	}
}

// post queues f for the table's goroutine without waiting for it to run.
func (t *Table) post(ctx context.Context, f func()) error {
	select {
	case t.inbox <- f:
		return nil
	case <-t.done:
		return ErrRoomNotFound
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RoomCode returns the room code.
func (t *Table) RoomCode() string { return t.roomCode }

// Info returns the room's summary as of its last change.
func (t *Table) Info() Summary { return *t.info.Load() }

// Join seats c as a new player named name (lobby only), under a new
// guest player id. JoinAs seats a known user.
func (t *Table) Join(ctx context.Context, c Client, name string) error {
	return t.JoinAs(ctx, c, "", name)
}

// Resume gives c back the seat that token was issued for. A seat held by
// another connection (here or on another instance) moves to c, and the
// platform stops playing for it.
func (t *Table) Resume(ctx context.Context, c Client, token string) error {
	return t.call(ctx, func() error {
		for i := range t.st.NumSeats() {
			id := t.st.PlayerID(i)
			if !tokenMatches(t.m.cfg.Secret, t.gameID, id, token) {
				continue
			}
			if !t.st.Seated(i) {
				return ErrBadToken
			}
			if t.banned[id] {
				return ErrKicked // replaced by a CPU mid-game
			}
			t.replaceSeat(id)
			// The platform stops playing for the seat at once (see next).
			t.attach(c, id)
			t.announceSeat(id)
			// Coming back is acting: the seat is no longer away.
			if err := t.acted(id); err != nil {
				t.log.Warn("cannot hand an away seat back", "player", id, "err", err)
			}
			return nil
		}
		for id := range t.banned {
			if tokenMatches(t.m.cfg.Secret, t.gameID, id, token) {
				return ErrKicked
			}
		}
		return ErrBadToken
	})
}

// replaceSeat lets go of this instance's connections holding a seat.
func (t *Table) replaceSeat(id string) {
	for _, mb := range slices.Clone(t.members) {
		if mb.id == id {
			t.detach(mb.c, ByeReplaced)
		}
	}
}

// Watch attaches c as a spectator, unless the room has MaxSpectators
// already (counted on every instance: Summary.Spectators).
func (t *Table) Watch(ctx context.Context, c Client) error {
	return t.call(ctx, func() error {
		if max := t.m.cfg.MaxSpectators; max > 0 && t.info.Load().Spectators >= max {
			return ErrSpectatorsFull
		}
		t.attach(c, "")
		return nil
	})
}

// Detach lets c go: its connection is closed. It does not wait.
func (t *Table) Detach(c Client) {
	t.post(context.Background(), func() { t.detach(c, "") })
}

// Op is a client's request to a table besides the game commands.
type Op uint8

// The operations.
const (
	OpGame    Op = iota // a game command (Action.Cmd)
	OpAddCPU            // seat a CPU personality (Action.Profile, or any free one)
	OpRemove            // remove a CPU or kick a human (Action.Player)
	OpRematch           // a new game, same table and settings
	OpReady             // between holes: ready for the next one
	OpHold              // between holes: keep the score sheet up
	OpBack              // an away player is back: stop playing for them
	OpRoom              // change the room settings (Action.Room)
)

// Action is one request from an attached client.
type Action struct {
	Op      Op
	Cmd     game.Command // OpGame: Kind and arguments; By is set by the table
	Profile string       // OpAddCPU
	Player  string       // OpRemove
	Room    *RoomPatch   // OpRoom
}

// Do queues a client's action. The answer comes as messages: an Update
// with Ack id to everyone's news, or a Reject with id to c alone. It blocks
// only while the table's inbox is full.
func (t *Table) Do(ctx context.Context, c Client, id int64, a Action) error {
	return t.post(ctx, func() {
		t.crash.rescue = func() { c.Deliver(&Reject{ID: id, Err: ErrUnavailable}) }
		mb := t.member(c)
		if mb == nil {
			return
		}
		if r := t.replica; r != nil {
			r.forward(&forward{mb: mb, id: id}, &wireMsg{Kind: kindCommand, Player: mb.id, Action: encodeAction(a)})
			return
		}
		if err := t.do(mb, id, a); err != nil {
			c.Deliver(&Reject{ID: id, Err: err})
		}
	})
}

// clientKinds are the game commands a client may send; the rest are the
// platform's, or have their own Op.
var clientKinds = map[game.Kind]bool{
	game.CmdLeave: true, game.CmdChangeSettings: true, game.CmdStartGame: true,
	game.CmdFlipInitial: true, game.CmdDraw: true, game.CmdPutBack: true, game.CmdSwap: true,
	game.CmdDiscard: true, game.CmdFlip: true, game.CmdSkipFlip: true, game.CmdFlipAsAction: true,
	game.CmdKnock: true, game.CmdNextRound: true, game.CmdEndGame: true,
}

func (t *Table) do(mb *member, id int64, a Action) error {
	switch a.Op {
	case OpGame:
		cmd := a.Cmd
		if !clientKinds[cmd.Kind] {
			return badRequest("unknown command")
		}
		// Identity comes from the seat the client holds, never from the frame.
		cmd.By = mb.id
		if cmd.Kind == game.CmdChangeSettings && t.changes >= maxSettingsChanges {
			return ErrTooManyChanges
		}
		if err := t.acted(mb.id); err != nil {
			return err
		}
		switch cmd.Kind {
		case game.CmdStartGame, game.CmdNextRound:
			cmd.Seed = game.NewSeed()
		}
		if err := t.exec(cmd, mb, id); err != nil {
			return err
		}
		if cmd.Kind == game.CmdLeave && mb.c != nil {
			t.detach(mb.c, ByeLeft)
		}
		return nil
	case OpAddCPU:
		return t.addCPU(mb, id, a.Profile)
	case OpRemove:
		return t.remove(mb, id, a.Player)
	case OpRematch:
		return t.startRematch(mb)
	case OpReady:
		return t.setReady(mb, id)
	case OpHold:
		return t.hold(mb, id)
	case OpBack:
		if me := t.st.Seat(mb.id); me < 0 || !t.st.Seated(me) {
			return game.ErrNotAPlayer
		}
		if err := t.acted(mb.id); err != nil {
			return err
		}
		t.broadcast(nil, mb, id)
		return nil
	case OpRoom:
		return t.setRoom(mb, id, a.Room)
	}
	return badRequest("unknown operation")
}

func (t *Table) addCPU(mb *member, id int64, profile string) error {
	roster := t.m.cfg.Bots.Roster()
	free := make([]ai.Profile, 0, len(roster))
	var want *ai.Profile
	for i, p := range roster {
		if p.ID == profile {
			want = &roster[i]
		}
		if !p.Expert && !t.profileSeated(p.ID) {
			free = append(free, p)
		}
	}
	if profile != "" && want == nil {
		return badRequest("no CPU personality %q", profile)
	}
	// docs/ai.md §1.1: the named profile if it is free, otherwise a random free
	// one. Random deals personalities only: when every one is seated, a
	// free expert does not stand in for them (already_seated, as when the
	// whole roster is).
	if want == nil || t.profileSeated(want.ID) {
		if len(free) == 0 {
			return game.ErrAlreadySeated
		}
		want = &free[t.rng.IntN(len(free))]
	}
	return t.exec(game.AddCPUCmd(mb.id, "cpu_"+want.ID, want.Name, want.ID), mb, id)
}

func (t *Table) profileSeated(profile string) bool {
	for i := range t.st.NumSeats() {
		if cpu, p := t.st.IsCPU(i); cpu && p == profile && t.st.Seated(i) {
			return true
		}
	}
	return false
}

// remove takes a CPU off the table (the host's own command) or kicks a
// human: the platform removes them and they may not come back.
func (t *Table) remove(mb *member, id int64, target string) error {
	seat := t.st.Seat(target)
	if seat < 0 {
		return game.ErrNotAPlayer
	}
	if cpu, _ := t.st.IsCPU(seat); cpu {
		return t.exec(game.RemovePlayerCmd(mb.id, target, game.ReasonRemoved), mb, id)
	}
	// The host's powers, never over themselves. Once the game has
	// started, a removed player's seat is played by a CPU to the end.
	me := t.st.Seat(mb.id)
	switch {
	case me < 0 || !t.st.Seated(me):
		return game.ErrNotAPlayer
	case me != t.st.Host():
		return &game.Error{Code: game.CodeNotHost, Msg: "only the host can remove players"}
	case target == mb.id:
		return badRequest("use leave to give up your own seat")
	case t.st.Phase() != game.PhaseWaiting:
		return t.replace(mb, id, target)
	}
	addrs := t.kickAddrs(target)
	if err := t.exec(game.RemovePlayerCmd(game.Platform, target, game.ReasonRemoved), mb, id); err != nil {
		return err
	}
	for _, a := range addrs {
		t.bannedAddrs[a] = true
	}
	t.log.Info("player kicked", "player", target, "by", mb.id, "addresses", len(addrs))
	return nil
}

// kickAddrs returns the addresses the kicked player is connected from
// here, but not one a seated human who stays also uses: a kick must not
// lock the host's own household (or a shared network) out of the room.
func (t *Table) kickAddrs(target string) []string {
	var out []string
	for _, mb := range t.members {
		if mb.id != target || mb.addr == "" || slices.Contains(out, mb.addr) {
			continue
		}
		shared := false
		for _, o := range t.members {
			if o.id != "" && o.id != target && o.addr == mb.addr {
				shared = true
				break
			}
		}
		if !shared {
			out = append(out, mb.addr)
		}
	}
	return out
}

// maxSettingsChanges bounds the SettingsChanged events of one lobby, so a
// host cannot grow its log without end (docs/protocol.md); a real host
// changes a handful.
const maxSettingsChanges = 100

// exec runs one command along the path of a move: Decide, Append (the
// events are durable when it returns), Apply, fan-out. from and ack are
// the client whose command it is and its id, for the acknowledgement.
func (t *Table) exec(cmd game.Command, from *member, ack int64) error {
	if t.replica != nil {
		return ErrUnavailable
	}
	if t.limbo != nil {
		if _, err := t.settle(nil, 0); err != nil {
			return ErrUnavailable
		}
	}
	if t.fenced {
		return ErrUnavailable
	}
	if t.m.clustered() {
		l := t.lease
		if l == nil {
			// No lease, no append: settling a failed append above found
			// another writer, and the table is a replica now.
			return ErrUnavailable
		}
		if !time.Now().Before(l.until) {
			// The lease may have lapsed (Redis did not answer our renewals):
			// another instance may be writing. Renew first.
			l.renewAt = time.Now()
			return ErrUnavailable
		}
	}
	evs, err := game.Decide(t.st, cmd)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.m.ctx), t.m.cfg.AppendTimeout)
	err = t.m.cfg.Store.Append(ctx, t.gameID, t.seq, evs)
	cancel()
	if errors.Is(err, store.ErrConflict) {
		if t.m.clustered() {
			t.conflict(err)
		} else {
			t.fence("another writer appended to this game", err)
		}
		return ErrUnavailable
	}
	if err != nil {
		// The store may have committed before it failed: find out.
		t.log.Warn("append failed", "cmd", cmd.Kind.String(), "seq", t.seq, "err", err)
		t.limbo = evs
		if ok, _ := t.settle(from, ack); ok {
			return nil
		}
		return ErrUnavailable
	}
	return t.applied(evs, from, ack)
}

// applied folds durable events into the state and fans them out.
func (t *Table) applied(evs []game.Event, from *member, ack int64) error {
	if f := t.m.afterAppend; f != nil {
		f(t)
	}
	for _, e := range evs {
		if err := t.st.Apply(e); err != nil {
			// Decide's events always fit the state they were decided on; if
			// they do not, the live state is behind the durable log.
			t.fence("an appended event does not apply", err)
			return ErrUnavailable
		}
	}
	t.seq += int64(len(evs))
	t.changed(evs, from, ack)
	return nil
}

// settle finds out whether the events of a failed append (limbo) were
// stored after all, by reading the log: if they were, they are applied;
// if the log holds anything else, another writer has been at it. It
// reports whether the events were applied, and an error if the store
// cannot tell yet (limbo is kept for the next try).
func (t *Table) settle(from *member, ack int64) (bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.m.ctx), t.m.cfg.AppendTimeout)
	recs, err := t.m.cfg.Store.LoadAfter(ctx, t.gameID, t.seq)
	cancel()
	if err != nil {
		t.log.Warn("cannot read the log back", "err", err)
		return false, err
	}
	limbo := t.limbo
	t.limbo = nil
	switch n := int64(len(recs)); {
	case n == 0:
		return false, nil
	case n == int64(len(limbo)) && sameEvents(recs, limbo):
		t.log.Info("failed append was stored after all", "seq", t.seq+n)
		return t.applied(limbo, from, ack) == nil, nil
	case t.m.clustered():
		// Another writer's events: take them in (we may not be the
		// writer any more; conflict finds out).
		t.conflict(nil)
		return false, nil
	default:
		t.fence("the log changed behind the table", nil)
		return false, nil
	}
}

// sameEvents reports whether stored records hold exactly evs.
func sameEvents(recs []store.Record, evs []game.Event) bool {
	for i, r := range recs {
		e, err := r.Event()
		if err != nil {
			return false
		}
		a, err1 := game.MarshalEvent(e)
		b, err2 := game.MarshalEvent(evs[i])
		if err1 != nil || err2 != nil || string(a) != string(b) {
			return false
		}
	}
	return true
}

// fence stops all writing: from now on the stored log, not this table, is
// the truth.
func (t *Table) fence(why string, err error) {
	if !t.fenced {
		t.log.Error("table fenced: it will write no more", "why", why, "seq", t.seq, "err", err)
	}
	t.fenced = true
	clear(t.pending)
	if t.m.clustered() {
		// Let the game go: another table, built afresh from the log, takes
		// it, and the clients resume there.
		t.closing, t.bye = true, ByeRestart
	}
}

// note keeps what the table derives from events besides the state: the
// lobby settings (for a rematch) and who was kicked.
func (t *Table) note(e game.Event) {
	switch e := e.(type) {
	case game.GameCreated:
		t.lobby = e.Settings
	case game.SettingsChanged:
		t.lobby = e.Settings
		t.changes++
	case game.PlayerLeft:
		if e.Reason == game.ReasonRemoved && e.RemovedBy == game.Platform {
			t.banned[e.PlayerID] = true
		}
	case game.AutoplayChanged:
		if e.Removed {
			t.banned[e.PlayerID], t.replaced[e.PlayerID] = true, true
		}
	}
}

// changed runs after events are applied: bookkeeping, then fan-out.
func (t *Table) changed(evs []game.Event, from *member, ack int64) {
	now := time.Now()
	var gone []game.PlayerLeft
	for _, e := range evs {
		t.note(e)
		switch e := e.(type) {
		case game.PlayerJoined:
			if e.CPU {
				if err := t.seatBot(e.PlayerID, e.Profile); err != nil {
					t.log.Error("no player for CPU profile", "profile", e.Profile, "err", err)
				}
			} else if t.seats[e.PlayerID] == nil {
				t.seats[e.PlayerID] = &presence{lostAt: now}
			}
		case game.PlayerLeft:
			delete(t.pending, e.PlayerID)
			gone = append(gone, e)
		case game.RoundEnded:
			t.roundAt = now
			clear(t.readyFor)
			t.holdUntil = time.Time{}
		case game.GameStarted:
			t.log.Info("game started", "players", len(e.Players), "rounds", e.Rounds)
		case game.GameEnded:
			t.log.Info("game ended", "reason", e.Reason, "winners", e.Winners)
		case game.AutoplayChanged:
			t.log.Info("autoplay", "player", e.PlayerID, "on", e.On)
		}
	}
	if k := t.currentStep(); k != t.stepKey {
		t.stepKey, t.stepAt = k, now
	}
	// The listing first: a client that sees the change finds it listed
	// (or not) already.
	t.relist(false)
	t.turnPassed()
	t.broadcast(evs, from, ack)
	// Whoever left or was kicked, the connections holding their seat here
	// are let go (the writer's own leaver and kicked are already gone).
	for _, e := range gone {
		why := ByeLeft
		switch e.Reason {
		case game.ReasonRemoved:
			why = ByeKicked
		case game.ReasonTimedOut:
			continue
		}
		for _, mb := range slices.Clone(t.members) {
			if mb.id == e.PlayerID {
				t.detach(mb.c, why)
			}
		}
	}
	t.publishInfo()
	if len(evs) > 0 && t.m.cfg.Cache != nil {
		var err error
		if t.last, err = eventHash(evs[len(evs)-1]); err != nil {
			t.log.Error("cannot hash an event", "err", err)
		}
		t.saveState()
	}
}

func (t *Table) seatBot(id, profile string) error {
	p, err := t.m.cfg.Bots.New(profile)
	if err != nil {
		return err
	}
	t.bots[id] = p
	return nil
}

func (t *Table) currentStep() stepKey {
	return stepKey{t.st.Phase(), t.st.Round(), t.st.Current(), t.st.Step()}
}

// broadcast sends every attached client its view of the change, and, on
// a writer with fellow instances, publishes the change to them.
// Spectators see the same thing and share one Update.
func (t *Table) broadcast(evs []game.Event, from *member, ack int64) {
	room := t.roomStatus()
	t.deliver(evs, room, from, ack)
	if t.m.clustered() && t.replica == nil && !t.fenced {
		t.publishBatch(evs, room, from)
	}
}

// deliver sends every client attached here its Update.
func (t *Table) deliver(evs []game.Event, room RoomStatus, from *member, ack int64) {
	seats := t.seatsBuf[:0]
	shared := int32(0) // spectators sharing one Update
	for _, mb := range t.members {
		seat := game.Spectator
		if mb.id != "" {
			seat = t.st.Seat(mb.id)
		}
		seats = append(seats, seat)
		if seat < 0 && (mb != from || ack == 0) {
			shared++
		}
	}
	t.seatsBuf = seats
	var spec *Update
	if shared > 0 {
		// Counted before any is delivered: a client may release at once.
		spec = t.update(game.Spectator, evs, room)
		spec.refs.Store(shared)
	}
	for i, mb := range t.members {
		u := spec
		if seats[i] >= 0 || (mb == from && ack != 0) {
			// Its own: a seat's view, or a spectator's acknowledgement.
			u = t.update(seats[i], evs, room)
			if mb == from {
				u.Ack = ack
			}
		}
		mb.c.Deliver(u)
	}
}

// update builds seat's Update of a change, for one client.
func (t *Table) update(seat int, evs []game.Event, room RoomStatus) *Update {
	u := newUpdate()
	u.Seq, u.Ack, u.Room = t.seq, 0, room
	t.st.ViewInto(&u.View, seat)
	u.Events = u.Events[:0]
	for _, e := range evs {
		if r, ok := game.Redact(e, seat, t.st); ok {
			u.Events = append(u.Events, r)
		}
	}
	return u
}

func (t *Table) roomStatus() RoomStatus {
	r := RoomStatus{RoomCode: t.roomCode, Online: make([]bool, t.st.NumSeats()), Rematch: t.rematch, Settings: t.room}
	for i := range r.Online {
		if !t.st.Seated(i) {
			continue
		}
		id := t.st.PlayerID(i)
		if cpu, _ := t.st.IsCPU(i); cpu {
			r.Online[i] = true
		} else if p := t.seats[id]; p != nil && p.online() {
			r.Online[i] = true
		} else if rp := t.replica; rp != nil && i < len(rp.room.Online) && rp.room.Online[i] {
			// Online on another instance, as the writer last said.
			r.Online[i] = true
		}
	}
	if rp := t.replica; rp != nil {
		w := &rp.room
		r.NextRoundAt, r.Ready, r.Held = w.NextRoundAt, w.Ready, w.Held
		if t.st.Phase() != game.PhaseRoundOver {
			r.NextRoundAt, r.Ready, r.Held = 0, nil, false
		}
		r.Deadlines, r.TurnLimit, r.Away, r.Replaced, r.timeouts = w.Deadlines, w.TurnLimit, w.Away, w.Replaced, w.timeouts
	} else if !t.fenced {
		if t.st.Phase() == game.PhaseRoundOver {
			r.NextRoundAt = t.nextDeal().UnixMilli()
		}
		t.turnRoom(&r)
	}
	return r
}

func (t *Table) publishInfo() {
	writer, spectators := t.replica == nil, 0
	if r := t.replica; r != nil {
		spectators = r.everyone
	} else {
		spectators = t.spectators()
	}
	// It runs after every change, and a move changes none of it: the
	// summary is made anew only when it differs (docs/BENCHMARKS.md,
	// "Issue 16").
	if old := t.info.Load(); old != nil && old.RoomCode == t.roomCode && old.Phase == t.st.Phase() &&
		old.Rematch == t.rematch && old.Spectators == spectators && old.writer == writer && t.sameSeats(old.Seats) {
		return
	}
	s := &Summary{RoomCode: t.roomCode, Phase: t.st.Phase(), Seats: make([]SeatSummary, 0, t.st.NumSeats()),
		Spectators: spectators, Rematch: t.rematch, writer: writer}
	for i := range t.st.NumSeats() {
		if t.st.Seated(i) {
			cpu, _ := t.st.IsCPU(i)
			s.Seats = append(s.Seats, SeatSummary{Name: t.st.Name(i), CPU: cpu})
		}
	}
	t.info.Store(s)
	t.relist(false)
}

// sameSeats reports whether seats are the state's seated players.
func (t *Table) sameSeats(seats []SeatSummary) bool {
	n := 0
	for i := range t.st.NumSeats() {
		if !t.st.Seated(i) {
			continue
		}
		cpu, _ := t.st.IsCPU(i)
		if n == len(seats) || seats[n] != (SeatSummary{Name: t.st.Name(i), CPU: cpu}) {
			return false
		}
		n++
	}
	return n == len(seats)
}

// spectators counts the spectators attached here and, on a writer, on
// every other instance.
func (t *Table) spectators() int {
	n := 0
	for _, mb := range t.members {
		if mb.id == "" {
			n++
		}
	}
	if l := t.lease; l != nil {
		for _, r := range l.reports {
			n += r.spectators
		}
	}
	return n
}

func (t *Table) member(c Client) *member {
	for _, mb := range t.members {
		if mb.c == c {
			return mb
		}
	}
	return nil
}

// attach adds c (as player id, or a spectator for "") and sends it its
// welcome and the table as it stands; the others learn who is online.
func (t *Table) attach(c Client, id string) {
	if t.replica != nil {
		// The writer may have died before publishing its last change,
		// which this client may have seen: the store has it.
		t.catchUp()
	}
	now := time.Now()
	mb := &member{c: c, id: id, addr: addrOf(c)}
	t.members = append(t.members, mb)
	t.memberAt = now
	seat := game.Spectator
	w := &Welcome{Room: t.roomCode, GameID: t.gameID, Seat: game.Spectator}
	if id != "" {
		seat = t.st.Seat(id)
		w.Seat, w.PlayerID, w.Token = seat, id, seatToken(t.m.cfg.Secret, t.gameID, id)
		p := t.seats[id]
		if p == nil {
			// A replica that has not folded the join yet cannot attach a
			// seat; but one that has always has its presence.
			p = &presence{lostAt: now}
			t.seats[id] = p
		}
		p.conns++
		t.humanAt = now
	}
	c.Deliver(w)
	if id == "" {
		c.Deliver(t.update(game.Spectator, nil, t.roomStatus()))
	} else {
		t.broadcast(nil, nil, 0)
	}
	t.publishInfo()
	t.presenceChanged()
}

// detach removes c; with a reason, c is told why.
func (t *Table) detach(c Client, why ByeReason) {
	i := slices.IndexFunc(t.members, func(mb *member) bool { return mb.c == c })
	if i < 0 {
		return
	}
	mb := t.members[i]
	t.members = slices.Delete(t.members, i, i+1)
	now := time.Now()
	t.memberAt = now
	if why != "" {
		c.Deliver(&Bye{Reason: why})
	}
	if p := t.seats[mb.id]; p != nil {
		p.conns--
		if !p.online() {
			p.lostAt = now
			t.humanAt = now
			t.broadcast(nil, nil, 0)
		}
	}
	t.publishInfo()
	t.presenceChanged()
}

func (t *Table) byeAll(why ByeReason) {
	for _, mb := range t.members {
		mb.c.Deliver(&Bye{Reason: why})
	}
	t.members = nil
}

// anyHumanOnline reports whether a seated human has a connection.
func (t *Table) anyHumanOnline() bool {
	for i := range t.st.NumSeats() {
		if !t.st.Seated(i) {
			continue
		}
		if p := t.seats[t.st.PlayerID(i)]; p != nil && p.online() {
			return true
		}
	}
	return false
}
