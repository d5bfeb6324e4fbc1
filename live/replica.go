package live

import (
	"context"
	"math/rand/v2"
	"time"

	"golf/game"
)

// A table's duties when several instances serve its game (docs/scaling.md).
//
// The writer holds the game's lease and renews it every TTL/3; it appends,
// runs the game's timers, publishes every change (the events, the room
// status, and which forwarded command caused it) and caches the state. It
// learns which seats are online elsewhere from the replicas' presence
// reports, which expire unless repeated (writer.go; its role is a lease).
//
// A replica folds the published events, computes its own clients' views,
// forwards their commands to the writer and relays the answers. It reads
// from the store whatever it missed (a gap in the sequence numbers, a
// dropped subscription, a cache ahead of it). Every TTL/3 it tries to take
// the lease, which succeeds once the writer is gone: it then catches up
// with the log and carries on as the writer (this file; its role is a
// replica).

// replica is a table's role while another instance writes its game. The
// table's goroutine owns it, as it owns the table.
type replica struct {
	t         *Table
	writer    string              // the instance that writes the game, as last known
	probeAt   time.Time           // next probe of the lease and the cache
	fwd       map[uint64]*forward // commands awaiting the writer's answer
	fwdRef    uint64              // last forward's reference
	unacked   map[uint64]*forward // answered, awaiting the events of their seq
	room      RoomStatus          // the room as the writer last published it
	everyone  int                 // spectators on every instance, as the writer counts them
	reportAt  time.Time           // next presence report
	reportDue bool                // presence changed since the last report
}

// newReplica makes t a replica of the game writer writes. Its first probe
// is due at once.
func newReplica(t *Table, writer string) *replica {
	return &replica{
		t: t, writer: writer,
		fwd: map[uint64]*forward{}, unacked: map[uint64]*forward{},
		fwdRef: rand.Uint64() >> 16, // not reused by a later table of the game here
	}
}

// forward is a command sent to the writer, awaiting its answer.
type forward struct {
	mb   *member         // whose command it is (nil for a join)
	id   int64           // the client's command id
	join func(err error) // a join's continuation
	due  time.Time       // answered unavailable if nothing came by then
	seq  int64           // answered: its events end at seq
}

// finish answers the client: err, or an acknowledgement with the table
// as it stands (its events have been delivered already).
func (f *forward) finish(t *Table, err error) {
	t.forwarded(f, err)
	switch {
	case f.join != nil:
		f.join(err)
	case err != nil:
		f.mb.c.Deliver(&Reject{ID: f.id, Err: err})
	case t.member(f.mb.c) == f.mb:
		seat := game.Spectator
		if f.mb.id != "" {
			seat = t.st.Seat(f.mb.id)
		}
		u := t.update(seat, nil, t.roomStatus())
		u.Ack = f.id
		f.mb.c.Deliver(u)
	}
}

// heartbeat is how often leases are renewed, replicas probe and presence
// is reported; a report lasts three heartbeats.
func (t *Table) heartbeat() time.Duration { return t.m.cfg.Leases.TTL() / 3 }

// mail queues a message from the bus for the table's goroutine.
func (t *Table) mail(w *wireMsg) {
	t.mailMu.Lock()
	t.mailbox = append(t.mailbox, w)
	t.mailMu.Unlock()
	select {
	case t.mailSig <- struct{}{}:
	default:
	}
}

func (t *Table) readMail() {
	t.mailMu.Lock()
	box := t.mailbox
	t.mailbox = nil
	t.mailMu.Unlock()
	for _, w := range box {
		if t.closing {
			return
		}
		t.receive(w)
	}
}

// receive handles one message from another instance, as the table's role
// takes it.
func (t *Table) receive(w *wireMsg) {
	if r := t.replica; r != nil {
		r.receive(w)
		return
	}
	switch w.Kind {
	case kindBatch:
		// Another instance writes (or thinks it does) the game we write:
		// one of us lost the lease. Renewing tells which.
		t.log.Warn("another instance publishes this game", "instance", w.From, "seq", w.Seq)
		if l := t.lease; l != nil {
			l.renewAt = time.Now()
		}
	case kindSeat:
		t.seatMoved(w)
	case kindCommand, kindJoin:
		t.onCommand(w)
	case kindPresence:
		t.onReport(w)
	case kindChat:
		t.onChat(w)
	}
}

// seatMoved lets go of the connections here holding a seat that was
// resumed on another instance: it moves there.
func (t *Table) seatMoved(w *wireMsg) {
	if w.Player != "" {
		t.replaceSeat(w.Player)
	}
}

// receive handles one message from another instance.
func (r *replica) receive(w *wireMsg) {
	t := r.t
	switch w.Kind {
	case kindBatch:
		r.onBatch(w)
	case kindSeat:
		t.seatMoved(w)
	case kindReleased:
		r.probeAt = time.Now() // try to take the game at once
	case kindClosed:
		t.byeAll(ByeClosed)
		t.closing = true
	case kindCommand, kindJoin:
		t.onCommand(w) // answered unavailable: this is not the writer
	case kindReply:
		r.onReply(w)
	case kindChat:
		t.onChat(w)
	case kindResync:
		t.catchUp()
	}
}

// onBatch folds a change the writer published.
func (r *replica) onBatch(w *wireMsg) {
	t := r.t
	if w.From != r.writer {
		r.writer = w.From
		t.presenceChanged() // a new writer: tell it who is here
	}
	evs, err := decodeEvents(w.Events)
	if err != nil {
		t.log.Error("bad batch from the writer", "err", err)
		t.catchUp()
		return
	}
	first := w.Seq - int64(len(evs))
	switch {
	case w.Seq < t.seq:
		return // old news (we caught up from the store already)
	case first > t.seq:
		// A gap: batches were lost. The store has them all.
		r.setRoom(w.Room)
		t.catchUp()
		r.followRematch()
		return
	}
	evs = evs[t.seq-first:]
	r.setRoom(w.Room)
	var (
		from *member
		ack  int64
		join func(error)
	)
	if w.To == t.m.me && w.Cause != 0 {
		if f := r.fwd[w.Cause]; f != nil {
			delete(r.fwd, w.Cause)
			t.forwarded(f, nil)
			from, ack, join = f.mb, f.id, f.join
		}
	}
	if len(evs) == 0 {
		t.deliver(nil, t.roomStatus(), from, ack)
		t.publishInfo()
	} else if err := t.foldFrom(evs, from, ack); err != nil {
		t.log.Error("the writer's events do not apply", "err", err)
		t.closing, t.bye = true, ByeRestart
		return
	}
	if join != nil {
		join(nil)
	}
	r.completeAwaited()
	r.followRematch()
}

// setRoom takes the room status the writer published.
func (r *replica) setRoom(w *wireRoom) {
	if w == nil {
		return
	}
	r.room = RoomStatus{RoomCode: r.t.roomCode, Online: w.Online, NextRoundAt: w.NextRoundAt, Rematch: w.Rematch,
		TurnLimit: w.TurnLimit, Deadlines: w.Deadlines, Away: w.Away, Replaced: w.Replaced, Ready: w.Ready, Held: w.Held,
		timeouts: w.Timeouts, Settings: RoomSettings{Public: w.Public, NoChat: w.NoChat}}
	r.t.room = r.room.Settings
	r.everyone = w.Spectators
}

// followRematch moves this replica's clients to the rematch, once the
// writer has opened one.
func (r *replica) followRematch() {
	t := r.t
	if r.room.Rematch == "" || t.rematch != "" {
		return
	}
	t.rematch = r.room.Rematch
	ctx, cancel := context.WithTimeout(context.Background(), t.m.busTimeout())
	id, err := t.m.dir.LookupRoom(ctx, t.rematch)
	cancel()
	if err != nil || id == "" {
		t.log.Warn("rematch room not found", "room2", t.rematch, "err", err)
	}
	for _, o := range t.members {
		mv := &Moved{Room: t.rematch}
		if o.id != "" && id != "" {
			// Whether they hold a seat there, the new room's table knows:
			// a token it refuses makes the client a spectator.
			mv.Token = seatToken(t.m.cfg.Secret, id, o.id)
		}
		if p := t.seats[o.id]; p != nil {
			p.conns--
		}
		o.c.Deliver(mv)
	}
	t.members = nil
	t.memberAt = time.Now()
	t.publishInfo()
	t.presenceChanged()
}

// forward sends a client's command (or join) to the writer.
func (r *replica) forward(f *forward, w *wireMsg) {
	t := r.t
	if r.writer == "" || r.writer == t.m.me {
		f.finish(t, ErrUnavailable)
		return
	}
	r.fwdRef++
	w.Game, w.Cause = t.gameID, r.fwdRef
	f.due = time.Now().Add(t.m.cfg.ForwardTimeout)
	if err := t.m.send(r.writer, w); err != nil {
		t.log.Warn("cannot forward a command to the writer", "writer", r.writer, "err", err)
		f.finish(t, ErrUnavailable)
		return
	}
	r.fwd[r.fwdRef] = f
}

// onReply takes the writer's answer to a forwarded command.
func (r *replica) onReply(w *wireMsg) {
	t := r.t
	f := r.fwd[w.Cause]
	if f == nil {
		return // acknowledged with its events already, or timed out
	}
	delete(r.fwd, w.Cause)
	if err := w.replyError(); err != nil {
		f.finish(t, err)
		return
	}
	if w.Seq <= t.seq {
		f.finish(t, nil)
		return
	}
	// Applied, but its events have not come: they were lost on the way.
	f.seq = w.Seq
	r.unacked[w.Cause] = f
	t.catchUp()
}

// completeAwaited acknowledges the answered commands whose events the
// table now holds.
func (r *replica) completeAwaited() {
	for ref, f := range r.unacked {
		if f.seq <= r.t.seq {
			delete(r.unacked, ref)
			f.finish(r.t, nil)
		}
	}
}

// presenceChanged makes a replica report its clients to the writer now.
func (t *Table) presenceChanged() {
	if r := t.replica; r != nil {
		r.reportAt, r.reportDue = time.Now(), true
	}
}

// sendReport tells the writer who is attached here.
func (r *replica) sendReport() {
	t := r.t
	r.reportAt, r.reportDue = time.Now().Add(t.heartbeat()), false
	if r.writer == "" || r.writer == t.m.me {
		return
	}
	w := &wireMsg{Kind: kindPresence, Game: t.gameID, Players: map[string]int{}}
	for _, mb := range t.members {
		if mb.id == "" {
			w.Spectators++
		} else {
			w.Players[mb.id]++
		}
	}
	if err := t.m.send(r.writer, w); err != nil {
		t.log.Warn("cannot report presence to the writer", "writer", r.writer, "err", err)
	}
}

// nextDuty considers the table's cluster duties for the timer.
func (t *Table) nextDuty(now time.Time, consider func(time.Time, func())) {
	if r := t.replica; r != nil {
		r.nextDuty(consider)
		return
	}
	if l := t.lease; l != nil {
		consider(l.renewAt, t.renew)
		for _, rp := range l.reports {
			consider(rp.until, t.recount)
		}
	}
}

// nextDuty considers the replica's duties for the timer.
func (r *replica) nextDuty(consider func(time.Time, func())) {
	t := r.t
	consider(r.probeAt, r.probe)
	if len(t.members) > 0 || r.reportDue {
		consider(r.reportAt, r.sendReport)
	}
	if len(t.members) == 0 {
		// Nobody here: the replica lingers a lease TTL (a reload comes
		// back to it), then goes.
		consider(t.memberAt.Add(t.m.cfg.Leases.TTL()), func() { t.closing = true })
	}
	for ref, f := range r.fwd {
		consider(f.due, func() { r.expire(ref, f) })
	}
	for ref, f := range r.unacked {
		consider(f.due, func() { r.expire(ref, f) })
	}
}

// expire answers a forwarded command that got no answer in time.
func (r *replica) expire(ref uint64, f *forward) {
	delete(r.fwd, ref)
	delete(r.unacked, ref)
	r.t.log.Warn("the writer did not answer a forwarded command", "writer", r.writer)
	f.finish(r.t, ErrUnavailable)
}

// probe is a replica's periodic check: take the lease if the writer is
// gone (and clients here need the game), learn a new writer, and catch up
// if the cache says we are behind.
func (r *replica) probe() {
	t := r.t
	at := time.Now()
	r.probeAt = at.Add(t.heartbeat())
	ctx, cancel := context.WithTimeout(context.Background(), t.m.busTimeout())
	defer cancel()
	var holder string
	var err error
	if len(t.members) > 0 {
		holder, err = t.m.cfg.Leases.Acquire(ctx, t.gameID)
	} else {
		holder = r.writer
	}
	if err != nil {
		t.log.Warn("cannot check the lease", "err", err)
		return
	}
	if holder == t.m.me {
		r.promote(at)
		return
	}
	if holder != r.writer {
		r.writer = holder
		t.presenceChanged()
	}
	if c := t.m.cfg.Cache; c != nil && !t.lost {
		if seq, err := c.StateSeq(ctx, t.gameID); err == nil && seq > t.seq {
			t.lost = true
		}
	}
	if t.lost {
		t.catchUp()
	}
}

// promote makes the table the writer, the lease taken at at: its replica
// role ends.
func (r *replica) promote(at time.Time) {
	t := r.t
	if err := t.catchUp(); err != nil {
		// Cannot read the log: let the lease go for someone who can.
		ctx, cancel := context.WithTimeout(context.Background(), t.m.busTimeout())
		t.m.cfg.Leases.Release(ctx, t.gameID)
		cancel()
		return
	}
	if t.closing {
		return
	}
	// Commands sent to the old writer get no answer now: the clients retry.
	for ref, f := range r.fwd {
		r.expire(ref, f)
	}
	for ref, f := range r.unacked {
		r.expire(ref, f)
	}
	now := time.Now()
	t.replica, t.lease = nil, newLease()
	t.leased(at)
	for _, p := range t.seats {
		p.remote = 0
		if !p.online() {
			p.lostAt = now
		}
	}
	// The writer's marks go on: away seats stay away, replaced ones
	// stay with the CPU (and their players out).
	for i := range min(t.st.NumSeats(), len(r.room.timeouts)) {
		if n := r.room.timeouts[i]; n > 0 {
			t.timeouts[t.st.PlayerID(i)] = n
		}
	}
	for i := range min(t.st.NumSeats(), len(r.room.Away), len(r.room.Replaced)) {
		id := t.st.PlayerID(i)
		if r.room.Away[i] {
			t.away[id] = true
		}
		if r.room.Replaced[i] {
			t.replaced[id], t.banned[id] = true, true
		}
	}
	// Timers count from now: grace periods, CPU delays, countdowns, turns.
	t.stepAt, t.humanAt, t.memberAt, t.turnAt = now, now, now, now
	t.turnKey = t.currentTurn()
	if t.st.Phase() == game.PhaseRoundOver {
		t.roundAt = now
	}
	t.log.Info("took the game over", "from", r.writer, "seq", t.seq)
	t.m.cfg.Observer.TookOver()
	t.saveState()
	t.broadcast(nil, nil, 0) // the replicas learn the new writer
}

// announceSeat tells the other instances a seat was resumed here, so
// they let go of their connections holding it.
func (t *Table) announceSeat(id string) {
	if !t.m.clustered() {
		return
	}
	if err := t.m.publish(&wireMsg{Kind: kindSeat, Game: t.gameID, Player: id}); err != nil {
		t.log.Warn("cannot announce a resumed seat", "err", err)
	}
}

// leave is what a table does once its goroutine has stopped: a writer
// lets its lease go (and its room code, if the room is closed for good)
// and tells the others, so another instance can take the game at once.
func (t *Table) leave() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	m := t.m
	t.unlist(ctx)
	if !m.clustered() {
		m.dir.ReleaseRoom(ctx, t.roomCode, t.gameID)
		return
	}
	if t.replica == nil {
		kind := kindReleased
		if t.ended {
			kind = kindClosed
			if err := m.dir.ReleaseRoom(ctx, t.roomCode, t.gameID); err != nil {
				t.log.Warn("cannot free the room code", "err", err)
			}
		}
		if err := m.cfg.Leases.Release(ctx, t.gameID); err != nil {
			t.log.Warn("cannot release the lease", "err", err)
		}
		if err := m.publish(&wireMsg{Kind: kind, Game: t.gameID}); err != nil {
			t.log.Warn("cannot announce the lease release", "err", err)
		}
		t.log.Info("lease released", "closed", t.ended)
	}
	if err := m.cfg.Bus.Unsubscribe(ctx, t.gameID); err != nil {
		t.log.Warn("cannot unsubscribe", "err", err)
	}
}
