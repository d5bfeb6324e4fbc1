package live

import (
	"context"
	"time"

	"golf/ai"
	"golf/game"
	"golf/store"
)

// The table's own actions (CPU moves, the round countdown, the grace
// period, idle timeouts) are worked out afresh from the state after every
// change by next, and one timer waits for the earliest. Nothing is queued
// that could go stale: an action that is no longer due is simply never
// computed again. The timer is a plain time.Timer, so testing/synctest
// drives the whole table on its fake clock.

// retryDelay spaces out the retries of an action that failed (the store
// was unavailable, or a command was refused).
const retryDelay = time.Second

// plan sets the timer for the table's next own action.
func (t *Table) plan() {
	due, run := t.next(time.Now())
	if run == nil {
		t.timer.Stop()
		return
	}
	t.timer.Reset(max(0, time.Until(due)))
}

// tick runs the action that is due, if any.
func (t *Table) tick() {
	now := time.Now()
	due, run := t.next(now)
	if run != nil && !due.After(now) {
		run()
	}
}

// next returns the table's earliest own action and when it is due.
func (t *Table) next(now time.Time) (time.Time, func()) {
	var best time.Time
	var run func()
	consider := func(at time.Time, f func()) {
		if run == nil || at.Before(best) {
			best, run = at, f
		}
	}
	if t.replica == nil {
		if at, f := t.nextMove(now); f != nil {
			consider(at, f)
		}
	}
	if t.m.clustered() {
		t.nextDuty(now, consider)
	}
	return best, run
}

// nextMove returns the writer's earliest own game action.
func (t *Table) nextMove(now time.Time) (time.Time, func()) {
	var best time.Time
	var run func()
	consider := func(at time.Time, f func()) {
		if run == nil || at.Before(best) {
			best, run = at, f
		}
	}
	cfg := &t.m.cfg
	st := t.st
	if t.fenced || st.Over() {
		if !t.anyoneAttached() {
			consider(t.memberAt.Add(cfg.RoomTTL), func() { t.closing, t.ended = true, true })
		}
		return best, run
	}
	if !t.anyHumanOnline() && st.Phase() == game.PhaseWaiting && cfg.LobbyTimeout > 0 {
		// An abandoned lobby closes soon, and for good: a flood of rooms
		// whose creators have gone must not hold the room limit.
		consider(t.humanAt.Add(cfg.LobbyTimeout), func() {
			t.log.Info("lobby abandoned: closing it")
			err := t.exec(game.EndGameCmd(game.Platform), nil, 0)
			if err != nil && game.CodeOf(err) == "" {
				// Not stored: the game must not look open forever. Try again.
				t.log.Warn("cannot end an abandoned lobby", "err", err)
				t.retryAt = time.Now().Add(retryDelay)
				return
			}
			t.closing, t.ended = true, true
			t.discardLobby()
		})
	} else if !t.anyHumanOnline() {
		consider(t.humanAt.Add(cfg.IdleTimeout), func() {
			t.log.Info("no human connected: ending the game")
			t.platform(game.EndGameCmd(game.Platform))
		})
	}
	switch st.Phase() {
	case game.PhaseWaiting:
		for i := range st.NumSeats() {
			id := st.PlayerID(i)
			if p := t.seats[id]; p != nil && !p.online() {
				consider(p.lostAt.Add(cfg.Grace), func() {
					t.log.Info("lobby seat timed out", "player", id)
					t.platform(game.RemovePlayerCmd(game.Platform, id, game.ReasonTimedOut))
				})
			}
		}
	case game.PhaseRoundOver:
		consider(t.nextDeal(), func() {
			t.platform(game.NextRoundCmd(game.Platform, game.NewSeed()))
		})
	case game.PhaseInitialFlip, game.PhasePlaying, game.PhaseFinalTurn:
		for i := range st.NumSeats() {
			id := st.PlayerID(i)
			if p := t.seats[id]; p != nil && p.online() && st.Seated(i) && st.Autoplay(i) && !t.away[id] && !t.replaced[id] {
				consider(now, func() { t.platform(game.AutoplayCmd(id, false)) })
				continue
			}
			if !t.mustAct(i) {
				continue
			}
			cpu, _ := st.IsCPU(i)
			if cpu || st.Autoplay(i) || t.covering[id] {
				if p := t.decision(i, id); p != nil {
					consider(p.due, func() { t.play(id, p) })
				}
				continue
			}
			if at, ok := t.deadline(i); ok {
				consider(at, func() { t.timeOut(i) })
			}
			if p := t.seats[id]; p != nil && !p.online() {
				consider(later(p.lostAt, t.stepAt).Add(cfg.Grace), func() {
					t.platform(game.AutoplayCmd(id, true))
				})
			}
		}
	}
	if run != nil && best.Before(t.retryAt) {
		best = t.retryAt
	}
	return best, run
}

// discardLobby deletes an abandoned lobby's game from the store, when the
// store can (store.LobbyDiscarder): a game nobody played is worth nothing,
// and a flood of rooms must not grow the database. Its end is stored
// first, so that a crash before this leaves an ended game, not one to
// recover.
func (t *Table) discardLobby() {
	d, ok := t.m.cfg.Store.(store.LobbyDiscarder)
	if !ok || t.fenced {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.m.ctx), t.m.cfg.AppendTimeout)
	defer cancel()
	if _, err := d.DiscardLobby(ctx, t.gameID); err != nil {
		t.log.Warn("cannot discard an abandoned lobby: it stays in the store, ended", "err", err)
	}
}

// mustAct reports whether seat i owes the game a command now.
func (t *Table) mustAct(i int) bool {
	if !t.st.Seated(i) {
		return false
	}
	if t.st.Phase() == game.PhaseInitialFlip {
		return t.st.AwaitingFlip(i)
	}
	return t.st.Current() == i
}

// decision returns the pending command of a CPU (or stand-in) seat,
// asking its player afresh when the game has moved on since the last
// answer (docs/ai.md §4). The delay counts from when the seat could act, so
// the time spent deciding is part of it.
func (t *Table) decision(seat int, id string) *pending {
	if p := t.pending[id]; p != nil && p.seq == t.seq {
		return p
	}
	player := t.bots[id]
	if cpu, _ := t.st.IsCPU(seat); !cpu {
		if t.standin == nil {
			t.standin = t.m.cfg.Bots.Standin()
		}
		player = t.standin
	}
	// One view for every decision of the table, its slices reused: a
	// player reads it during Decide and keeps nothing of it after.
	t.st.ViewInto(&t.aiView, seat)
	v := &t.aiView
	var d ai.Decision
	if player != nil {
		d = player.Decide(v, t.rng)
	}
	if d.Command.Kind == game.CmdNone || d.Command.By != id {
		// A player that cannot answer must not stall the table.
		t.log.Error("CPU player gave no command; playing a random legal move", "player", id)
		d = ai.Random{}.Decide(v, t.rng)
		if d.Command.Kind == game.CmdNone {
			return nil
		}
	}
	delay := time.Duration(float64(d.Delay) * t.m.cfg.CPUDelayScale)
	due := later(t.stepAt.Add(delay), time.Now())
	p := &pending{seq: t.seq, cmd: d.Command, due: due}
	t.pending[id] = p
	return p
}

// play submits a pending CPU command. The engine refusing it is a bug in
// the player; the seat then plays a random legal move instead.
func (t *Table) play(id string, p *pending) {
	delete(t.pending, id)
	err := t.exec(p.cmd, nil, 0)
	if err == nil {
		t.cpuTurn(id)
		return
	}
	if game.CodeOf(err) == "" {
		t.retryLater(id, p)
		return
	}
	t.log.Error("CPU command refused", "player", id, "cmd", p.cmd.Kind.String(), "err", err)
	v := t.st.View(t.st.Seat(id))
	if d := (ai.Random{}).Decide(&v, t.rng); d.Command.Kind != game.CmdNone {
		if err := t.exec(d.Command, nil, 0); err != nil {
			t.retryLater(id, p)
		}
	}
}

// platform runs one of the platform's own commands, retrying later if it fails.
func (t *Table) platform(cmd game.Command) {
	if err := t.exec(cmd, nil, 0); err != nil {
		t.log.Warn("platform command failed", "cmd", cmd.Kind.String(), "err", err)
		t.retryAt = time.Now().Add(retryDelay)
	}
}

func (t *Table) retryLater(id string, p *pending) {
	t.pending[id] = p
	t.retryAt = time.Now().Add(retryDelay)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// startRematch opens a new game at a new room with the same table and
// settings, and moves every attached client there (rules: same seats, in
// the same order, for the humans still here and every CPU).
func (t *Table) startRematch(mb *member) error {
	me := t.st.Seat(mb.id)
	if me < 0 || !t.st.Seated(me) {
		return game.ErrNotAPlayer
	}
	if !t.st.Over() {
		return &game.Error{Code: game.CodeWrongPhase, Msg: "a rematch can start once the game is over"}
	}
	if t.rematch != "" {
		return badRequest("the rematch is in room %s", t.rematch)
	}
	if me != t.st.Host() {
		return &game.Error{Code: game.CodeNotHost, Msg: "only the host can start a rematch"}
	}
	nt, err := t.m.openNew(t.m.ctx)
	if err != nil {
		return err
	}
	v := t.st.View(game.Spectator)
	online := map[string]bool{}
	for id, p := range t.seats {
		online[id] = p.online()
	}
	seated := map[string]bool{}
	keep := RoomSettings{NoChat: t.room.NoChat} // a rematch is among friends: not listed
	err = nt.call(t.m.ctx, func() error {
		nt.room = keep
		if err := nt.exec(game.CreateGameCmd(mb.id, v.Seats[me].Name, nt.roomCode, t.lobby), nil, 0); err != nil {
			nt.closing, nt.ended = true, true
			return err
		}
		seated[mb.id] = true
		for i, sv := range v.Seats {
			if i == me || sv.Left {
				continue
			}
			cmd := game.JoinCmd(sv.ID, sv.Name)
			if sv.CPU {
				cmd = game.AddCPUCmd(mb.id, sv.ID, sv.Name, sv.Profile)
			} else if !online[sv.ID] {
				continue
			}
			if err := nt.exec(cmd, nil, 0); err != nil {
				nt.log.Warn("rematch: seat not taken", "player", sv.ID, "err", err)
				continue
			}
			seated[sv.ID] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	t.rematch = nt.roomCode
	t.log.Info("rematch", "room2", nt.roomCode, "game2", nt.gameID)
	for _, o := range t.members {
		mv := &Moved{Room: nt.roomCode}
		if seated[o.id] {
			mv.Token = seatToken(t.m.cfg.Secret, nt.gameID, o.id)
		}
		if p := t.seats[o.id]; p != nil {
			p.conns--
		}
		o.c.Deliver(mv)
	}
	t.members = nil
	t.memberAt = time.Now()
	t.publishInfo()
	// Clients on other instances follow when they see room.rematch.
	t.broadcast(nil, nil, 0)
	t.saveState()
	return nil
}
