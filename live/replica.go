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
// reports, which expire unless repeated.
//
// A replica folds the published events, computes its own clients' views,
// forwards their commands to the writer and relays the answers. It reads
// from the store whatever it missed (a gap in the sequence numbers, a
// dropped subscription, a cache ahead of it). Every TTL/3 it tries to take
// the lease, which succeeds once the writer is gone: it then catches up
// with the log and carries on as the writer.

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

// report is what another instance said of its clients attached to a game.
type report struct {
	players    map[string]int
	spectators int
	until      time.Time
}

// heartbeat is how often leases are renewed, replicas probe and presence
// is reported; a report lasts three heartbeats.
func (t *Table) heartbeat() time.Duration { return t.m.cfg.Leases.TTL() / 3 }

// leased records a lease renewed (or taken) by a request sent at at. The
// lease surely lasts until at+TTL by Redis's clock; we count a fifth of
// it off for clock drift and the time the answer took.
func (t *Table) leased(at time.Time) {
	ttl := t.m.cfg.Leases.TTL()
	t.leaseUntil = at.Add(ttl - ttl/5)
	t.renewAt = at.Add(ttl / 3)
}

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

// receive handles one message from another instance.
func (t *Table) receive(w *wireMsg) {
	switch w.Kind {
	case kindBatch:
		t.onBatch(w)
	case kindSeat:
		// The seat was resumed on another instance: it moves there.
		if w.Player != "" {
			t.replaceSeat(w.Player)
		}
	case kindReleased:
		if t.replica {
			t.renewAt = time.Now() // try to take the game at once
		}
	case kindClosed:
		if t.replica {
			t.byeAll(ByeClosed)
			t.closing = true
		}
	case kindCommand, kindJoin:
		t.onCommand(w)
	case kindReply:
		t.onReply(w)
	case kindPresence:
		t.onReport(w)
	case kindResync:
		if t.replica {
			t.catchUp()
		}
	}
}

// onBatch folds a change the writer published.
func (t *Table) onBatch(w *wireMsg) {
	if !t.replica {
		// Another instance writes (or thinks it does) the game we write:
		// one of us lost the lease. Renewing tells which.
		t.log.Warn("another instance publishes this game", "instance", w.From, "seq", w.Seq)
		t.renewAt = time.Now()
		return
	}
	if w.From != t.writer {
		t.writer = w.From
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
		t.setRoom(w.Room)
		t.catchUp()
		t.followRematch()
		return
	}
	evs = evs[t.seq-first:]
	t.setRoom(w.Room)
	var (
		from *member
		ack  int64
		join func(error)
	)
	if w.To == t.m.me && w.Cause != 0 {
		if f := t.fwd[w.Cause]; f != nil {
			delete(t.fwd, w.Cause)
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
	t.completeAwaited()
	t.followRematch()
}

// setRoom takes the room status the writer published.
func (t *Table) setRoom(r *wireRoom) {
	if r == nil {
		return
	}
	t.room = RoomStatus{Code: t.code, Online: r.Online, NextRoundAt: r.NextRoundAt, Rematch: r.Rematch}
	t.everyone = r.Spectators
}

// followRematch moves this replica's clients to the rematch, once the
// writer has opened one.
func (t *Table) followRematch() {
	if t.room.Rematch == "" || t.rematch != "" {
		return
	}
	t.rematch = t.room.Rematch
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
func (t *Table) forward(f *forward, w *wireMsg) {
	if t.writer == "" || t.writer == t.m.me {
		f.finish(t, ErrUnavailable)
		return
	}
	if t.fwd == nil {
		t.fwd = map[uint64]*forward{}
		t.fwdRef = rand.Uint64() >> 16 // not reused by a later table of the game here
	}
	t.fwdRef++
	w.Game, w.Cause = t.gameID, t.fwdRef
	f.due = time.Now().Add(t.m.cfg.ForwardTimeout)
	if err := t.m.send(t.writer, w); err != nil {
		t.log.Warn("cannot forward a command to the writer", "writer", t.writer, "err", err)
		f.finish(t, ErrUnavailable)
		return
	}
	t.fwd[t.fwdRef] = f
}

// onReply takes the writer's answer to a forwarded command.
func (t *Table) onReply(w *wireMsg) {
	f := t.fwd[w.Cause]
	if f == nil {
		return // acknowledged with its events already, or timed out
	}
	delete(t.fwd, w.Cause)
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
	if t.unacked == nil {
		t.unacked = map[uint64]*forward{}
	}
	t.unacked[w.Cause] = f
	t.catchUp()
}

// completeAwaited acknowledges the answered commands whose events the
// table now holds.
func (t *Table) completeAwaited() {
	for ref, f := range t.unacked {
		if f.seq <= t.seq {
			delete(t.unacked, ref)
			f.finish(t, nil)
		}
	}
}

// onCommand runs a command forwarded by a replica and answers it. It
// trusts the sender's word for the player: the replica checked the
// client's seat token, and instances trust each other as they trust the
// store.
func (t *Table) onCommand(w *wireMsg) {
	reply := &wireMsg{Kind: kindReply, Game: t.gameID, Cause: w.Cause}
	var err error
	switch {
	case t.replica || t.fenced:
		err = ErrUnavailable
	case w.Kind == kindJoin:
		err = t.exec(game.JoinCmd(w.Player, w.Name), &member{id: w.Player, origin: &origin{w.From, w.Cause}}, 0)
	default:
		var a Action
		if a, err = w.Action.decode(); err != nil {
			err = badRequest("%v", err)
		} else {
			err = t.do(&member{id: w.Player, origin: &origin{w.From, w.Cause}}, 0, a)
		}
	}
	if err != nil {
		code, key, msg := ErrorCode(err)
		reply.Code, reply.ErrKey, reply.Message = code, key, msg
	}
	reply.Seq = t.seq
	if err := t.m.send(w.From, reply); err != nil {
		t.log.Warn("cannot answer a forwarded command", "to", w.From, "err", err)
	}
}

// publishBatch tells the other instances about a change.
func (t *Table) publishBatch(evs []game.Event, room RoomStatus, from *member) {
	raw, err := encodeEvents(evs)
	if err != nil {
		t.log.Error("cannot encode events for the bus", "err", err)
		return
	}
	w := &wireMsg{Kind: kindBatch, Game: t.gameID, Seq: t.seq, Events: raw,
		Room: &wireRoom{Online: room.Online, NextRoundAt: room.NextRoundAt, Rematch: room.Rematch, Spectators: t.spectators()}}
	if from != nil && from.origin != nil {
		w.Cause, w.To = from.origin.ref, from.origin.instance
	}
	if err := t.m.publish(w); err != nil {
		// The replicas will find the events in the store.
		t.log.Warn("cannot publish a change", "seq", t.seq, "err", err)
	}
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

// presenceChanged makes a replica report its clients to the writer now.
func (t *Table) presenceChanged() {
	if t.replica {
		t.reportAt, t.reportDue = time.Now(), true
	}
}

// sendReport tells the writer who is attached here.
func (t *Table) sendReport() {
	t.reportAt, t.reportDue = time.Now().Add(t.heartbeat()), false
	if t.writer == "" || t.writer == t.m.me {
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
	if err := t.m.send(t.writer, w); err != nil {
		t.log.Warn("cannot report presence to the writer", "writer", t.writer, "err", err)
	}
}

// onReport takes a replica's presence report.
func (t *Table) onReport(w *wireMsg) {
	if t.replica {
		return
	}
	if t.reports == nil {
		t.reports = map[string]*report{}
	}
	t.reports[w.From] = &report{players: w.Players, spectators: w.Spectators, until: time.Now().Add(3 * t.heartbeat())}
	t.recount()
}

// recount works out who is online from the table's own clients and the
// reports that have not expired.
func (t *Table) recount() {
	now := time.Now()
	remote := map[string]int{}
	for inst, r := range t.reports {
		if !r.until.After(now) {
			delete(t.reports, inst)
			continue
		}
		for id, n := range r.players {
			remote[id] += n
		}
	}
	changed := false
	for id, p := range t.seats {
		was := p.online()
		p.remote = remote[id]
		if is := p.online(); is != was {
			changed = true
			t.humanAt = now
			if !is {
				p.lostAt = now
			}
		}
	}
	if !t.anyoneAttached() {
		t.memberAt = now
	}
	if changed {
		t.broadcast(nil, nil, 0)
	}
	t.publishInfo()
}

// anyoneAttached reports whether a client is attached here or, for a
// writer, on another instance.
func (t *Table) anyoneAttached() bool {
	if len(t.members) > 0 {
		return true
	}
	for _, r := range t.reports {
		if r.spectators > 0 || len(r.players) > 0 {
			return true
		}
	}
	return false
}

// nextDuty considers the table's cluster duties for the timer.
func (t *Table) nextDuty(now time.Time, consider func(time.Time, func())) {
	if !t.replica {
		consider(t.renewAt, t.renew)
		for _, r := range t.reports {
			consider(r.until, t.recount)
		}
		return
	}
	consider(t.renewAt, t.probe)
	if len(t.members) > 0 || t.reportDue {
		consider(t.reportAt, t.sendReport)
	}
	if len(t.members) == 0 {
		// Nobody here: the replica lingers a lease TTL (a reload comes
		// back to it), then goes.
		consider(t.memberAt.Add(t.m.cfg.Leases.TTL()), func() { t.closing = true })
	}
	for ref, f := range t.fwd {
		consider(f.due, func() { t.expire(ref, f) })
	}
	for ref, f := range t.unacked {
		consider(f.due, func() { t.expire(ref, f) })
	}
}

// expire answers a forwarded command that got no answer in time.
func (t *Table) expire(ref uint64, f *forward) {
	delete(t.fwd, ref)
	delete(t.unacked, ref)
	t.log.Warn("the writer did not answer a forwarded command", "writer", t.writer)
	f.finish(t, ErrUnavailable)
}

// renew extends the writer's lease, or finds it has lost it.
func (t *Table) renew() {
	at := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), t.m.busTimeout())
	holder, err := t.m.cfg.Leases.Renew(ctx, t.gameID, t.code)
	cancel()
	if err != nil {
		// Keep trying; appends stop once leaseUntil passes.
		t.log.Warn("cannot renew the lease", "err", err)
		t.renewAt = at.Add(t.heartbeat() / 3)
		return
	}
	if holder != t.m.me {
		t.demote(holder)
		return
	}
	t.leased(at)
}

// probe is a replica's periodic check: take the lease if the writer is
// gone (and clients here need the game), learn a new writer, and catch up
// if the cache says we are behind.
func (t *Table) probe() {
	at := time.Now()
	t.renewAt = at.Add(t.heartbeat())
	ctx, cancel := context.WithTimeout(context.Background(), t.m.busTimeout())
	defer cancel()
	var holder string
	var err error
	if len(t.members) > 0 {
		holder, err = t.m.cfg.Leases.Acquire(ctx, t.gameID)
	} else {
		holder = t.writer
	}
	if err != nil {
		t.log.Warn("cannot check the lease", "err", err)
		return
	}
	if holder == t.m.me {
		t.promote(at)
		return
	}
	if holder != t.writer {
		t.writer = holder
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

// promote makes a replica the writer, the lease taken at at.
func (t *Table) promote(at time.Time) {
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
	for ref, f := range t.fwd {
		t.expire(ref, f)
	}
	for ref, f := range t.unacked {
		t.expire(ref, f)
	}
	old := t.writer
	now := time.Now()
	t.replica, t.writer = false, t.m.me
	t.leased(at)
	t.reports = nil
	for _, p := range t.seats {
		p.remote = 0
		if !p.online() {
			p.lostAt = now
		}
	}
	// Timers count from now: grace periods, CPU delays, countdowns.
	t.stepAt, t.humanAt, t.memberAt = now, now, now
	if t.st.Phase() == game.PhaseRoundOver {
		t.roundAt = now
	}
	t.log.Info("took the game over", "from", old, "seq", t.seq)
	t.saveState()
	t.broadcast(nil, nil, 0) // the replicas learn the new writer
}

// demote makes a writer that lost its lease a replica of holder.
func (t *Table) demote(holder string) {
	t.log.Warn("lost the lease: now a replica", "writer", holder, "seq", t.seq)
	t.room = t.roomStatus()
	t.replica, t.writer = true, holder
	clear(t.pending)
	t.reports = nil
	for _, p := range t.seats {
		p.remote = 0
	}
	t.renewAt = time.Now().Add(t.heartbeat())
	t.presenceChanged()
}

// conflict handles a writer's append refused by the store's fence:
// another instance appended. The table takes their events in and checks
// the lease; if it lost it, it is a replica from now on.
func (t *Table) conflict(err error) {
	t.log.Warn("append refused: another instance wrote this game", "seq", t.seq, "err", err)
	if t.catchUp() != nil || t.fenced {
		return
	}
	t.renew()
}

// leave is what a table does once its goroutine has stopped: a writer
// lets its lease go (and its room code, if the room is closed for good)
// and tells the others, so another instance can take the game at once.
func (t *Table) leave() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	m := t.m
	if !m.clustered() {
		m.dir.ReleaseRoom(ctx, t.code, t.gameID)
		return
	}
	if !t.replica {
		kind := kindReleased
		if t.ended {
			kind = kindClosed
			if err := m.dir.ReleaseRoom(ctx, t.code, t.gameID); err != nil {
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
