package live

import (
	"context"
	"time"

	"golf/game"
)

// lease is a table's role as the writer of a game other instances serve
// too (alone, a table writes with no lease). The table's goroutine owns
// it, as it owns the table.
type lease struct {
	until   time.Time          // the lease is surely ours until then
	renewAt time.Time          // next renewal
	reports map[string]*report // clients attached on other instances, by instance
}

func newLease() *lease { return &lease{reports: map[string]*report{}} }

// report is what another instance said of its clients attached to a game.
type report struct {
	players    map[string]int
	spectators int
	until      time.Time
}

// leased records a lease renewed (or taken) by a request sent at at. The
// lease surely lasts until at+TTL by Redis's clock; we count a fifth of
// it off for clock drift and the time the answer took.
func (t *Table) leased(at time.Time) {
	ttl := t.m.cfg.Leases.TTL()
	t.lease.until = at.Add(ttl - ttl/5)
	t.lease.renewAt = at.Add(ttl / 3)
}

// onCommand runs a command forwarded by a replica and answers it. It
// trusts the sender's word for the player: the replica checked the
// client's seat token, and instances trust each other as they trust the
// store.
func (t *Table) onCommand(w *wireMsg) {
	reply := &wireMsg{Kind: kindReply, Game: t.gameID, Cause: w.Cause}
	var err error
	switch {
	case t.replica != nil || t.fenced:
		err = ErrUnavailable
	case w.Kind == kindJoin:
		err = t.join(w.Player, w.Name, &member{id: w.Player, origin: &origin{w.From, w.Cause}})
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
		Room: &wireRoom{Online: room.Online, NextRoundAt: room.NextRoundAt, Rematch: room.Rematch, Spectators: t.spectators(),
			TurnLimit: room.TurnLimit, Deadlines: room.Deadlines, Away: room.Away, Replaced: room.Replaced, Ready: room.Ready, Held: room.Held,
			Timeouts: room.timeouts,
			Public:   room.Settings.Public, NoChat: room.Settings.NoChat}}
	if from != nil && from.origin != nil {
		w.Cause, w.To = from.origin.ref, from.origin.instance
	}
	if err := t.m.publish(w); err != nil {
		// The replicas will find the events in the store.
		t.log.Warn("cannot publish a change", "seq", t.seq, "err", err)
	}
}

// onReport takes a replica's presence report.
func (t *Table) onReport(w *wireMsg) {
	l := t.lease
	if l == nil {
		return
	}
	_, known := l.reports[w.From]
	l.reports[w.From] = &report{players: w.Players, spectators: w.Spectators, until: time.Now().Add(3 * t.heartbeat())}
	t.recount()
	if !known && t.m.clustered() && !t.fenced {
		// A new replica knows the game from the store, but not the room
		// settings (public, chat), which are in no event: tell it.
		t.publishBatch(nil, t.roomStatus(), nil)
	}
}

// recount works out who is online from the table's own clients and the
// reports that have not expired.
func (t *Table) recount() {
	now := time.Now()
	remote := map[string]int{}
	for inst, r := range t.lease.reports {
		if !r.until.After(now) {
			delete(t.lease.reports, inst)
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
	if l := t.lease; l != nil {
		for _, r := range l.reports {
			if r.spectators > 0 || len(r.players) > 0 {
				return true
			}
		}
	}
	return false
}

// renew extends the writer's lease, or finds it has lost it.
func (t *Table) renew() {
	at := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), t.m.busTimeout())
	holder, err := t.m.cfg.Leases.Renew(ctx, t.gameID, t.roomCode)
	cancel()
	if err != nil {
		// Keep trying; appends stop once the lease's until passes.
		t.log.Warn("cannot renew the lease", "err", err)
		t.lease.renewAt = at.Add(t.heartbeat() / 3)
		return
	}
	if holder != t.m.me {
		t.demote(holder)
		return
	}
	t.leased(at)
	t.relist(true)
}

// demote makes a writer that lost its lease a replica of holder.
func (t *Table) demote(holder string) {
	t.log.Warn("lost the lease: now a replica", "writer", holder, "seq", t.seq)
	r := newReplica(t, holder)
	r.room = t.roomStatus() // as this writer shows it, until the new one publishes
	t.replica, t.lease = r, nil
	t.listed = nil // the new writer lists the room
	clear(t.pending)
	for _, p := range t.seats {
		p.remote = 0
	}
	r.probeAt = time.Now().Add(t.heartbeat())
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
