package live

import (
	"slices"
	"time"

	"golf/game"
)

// The table flow around a connected human: the turn timer, the away mark,
// the host replacing a player by a CPU, and the pause between holes.
// All of it is the platform's, not the rules': the engine only carries
// the turn_timer setting, and the table keeps the time.
//
// Turn timer. A connected human who owes the game a command (their turn,
// or their initial flips) has TurnSecondsFor seconds from when it became
// their turn. When the time runs out the stand-in plays that turn for
// them. Two timeouts in a row mark the player away: the platform plays
// for them (autoplay, shown to everyone as the seat's "auto" while it is
// online) until they act again: any command of theirs, a "back", or a
// resume.
//
// Ready. After a hole the score sheet stays up until every connected
// human has said "ready" or the countdown runs out; anyone may "hold" it,
// which puts the deal holdStep away, but never more than holdMax after
// the hole ended, so one player cannot keep the table waiting.

const (
	holdStep = 30 * time.Second
	holdMax  = 2 * time.Minute
	// awayAfter is how many timeouts in a row mark a player away.
	awayAfter = 2
)

// turnKey identifies a turn: whose it is, in which round and phase.
type turnKey struct {
	phase          game.Phase
	round, current int
}

func (t *Table) currentTurn() turnKey {
	return turnKey{t.st.Phase(), t.st.Round(), t.st.Current()}
}

// turnLimit is the game's turn timer now, or 0 for none. A player the
// host replaced by a CPU no longer counts as a human at the table.
func (t *Table) turnLimit() time.Duration {
	return time.Duration(t.lobby.TurnSecondsFor(t.st.HumansSeated()-len(t.replaced))) * time.Second
}

// timed reports whether seat i runs against the turn timer now: a
// connected human who owes a command, not played for by the platform.
func (t *Table) timed(i int) bool {
	if t.turnLimit() == 0 || !t.mustAct(i) || t.st.Autoplay(i) {
		return false
	}
	if cpu, _ := t.st.IsCPU(i); cpu {
		return false
	}
	id := t.st.PlayerID(i)
	p := t.seats[id]
	return p != nil && p.online() && !t.covering[id]
}

// deadline is when seat i's time runs out, if it is timed. A player who
// lost their connection during the turn and came back has the clock from
// when they went: the time away is not held against them twice (the grace
// period ran meanwhile).
func (t *Table) deadline(i int) (time.Time, bool) {
	if !t.timed(i) {
		return time.Time{}, false
	}
	from := t.turnAt
	if p := t.seats[t.st.PlayerID(i)]; p != nil {
		from = later(from, p.lostAt)
	}
	return from.Add(t.turnLimit()), true
}

// timeOut plays seat i's turn for it: the stand-in takes this turn (the
// covering mark) and, at the second timeout in a row, the seat goes away.
func (t *Table) timeOut(i int) {
	id := t.st.PlayerID(i)
	t.timeouts[id]++
	t.log.Info("turn timed out", "player", id, "in_a_row", t.timeouts[id])
	if t.timeouts[id] >= awayAfter {
		t.away[id] = true
		t.platform(game.AutoplayCmd(id, true))
		return
	}
	t.covering[id] = true
	t.broadcast(nil, nil, 0) // the countdown is over: clients stop showing it
}

// acted notes that a human acted: they are not away, and their run of
// timeouts is broken. It turns the platform's play for them off first,
// so their own command is theirs.
func (t *Table) acted(id string) error {
	delete(t.timeouts, id)
	delete(t.covering, id)
	wasAway := t.away[id]
	delete(t.away, id)
	seat := t.st.Seat(id)
	if seat >= 0 && t.st.Seated(seat) && t.st.Autoplay(seat) && wasAway && !t.st.Over() {
		return t.exec(game.AutoplayCmd(id, false), nil, 0)
	}
	return nil
}

// turnPassed clears the stand-in's one-turn cover once the seat no
// longer owes anything.
func (t *Table) turnPassed() {
	for id := range t.covering {
		if i := t.st.Seat(id); i < 0 || !t.mustAct(i) {
			delete(t.covering, id)
		}
	}
	if k := t.currentTurn(); k != t.turnKey {
		t.turnKey, t.turnAt = k, time.Now()
	}
}

// nextDeal is when the next hole is dealt: the countdown, or a hold.
func (t *Table) nextDeal() time.Time {
	return later(t.roundAt.Add(t.m.cfg.RoundCountdown), t.holdUntil)
}

// allReady reports whether every connected human (not away) has said
// ready, and there is at least one.
func (t *Table) allReady() bool {
	n := 0
	for i := range t.st.NumSeats() {
		if !t.st.Seated(i) {
			continue
		}
		if cpu, _ := t.st.IsCPU(i); cpu {
			continue
		}
		id := t.st.PlayerID(i)
		if p := t.seats[id]; p == nil || !p.online() || t.away[id] {
			continue // an away player is not waited for either
		}
		if !t.readyFor[id] {
			return false
		}
		n++
	}
	return n > 0
}

// between checks that mb is a seated player and the table is between holes.
func (t *Table) between(mb *member) error {
	if me := t.st.Seat(mb.id); me < 0 || !t.st.Seated(me) {
		return game.ErrNotAPlayer
	}
	if t.st.Phase() != game.PhaseRoundOver {
		return &game.Error{Code: game.CodeWrongPhase, Msg: "only between holes"}
	}
	return nil
}

// setReady records that a player is ready for the next hole; once every
// connected human is, it is dealt.
func (t *Table) setReady(mb *member, id int64) error {
	if err := t.between(mb); err != nil {
		return err
	}
	t.readyFor[mb.id] = true
	if t.allReady() {
		return t.exec(game.NextRoundCmd(game.Platform, game.NewSeed()), mb, id)
	}
	t.broadcast(nil, mb, id)
	return nil
}

// hold keeps the score sheet up: the deal moves holdStep away, within
// holdMax of the hole's end. A player who holds is not ready.
func (t *Table) hold(mb *member, id int64) error {
	if err := t.between(mb); err != nil {
		return err
	}
	delete(t.readyFor, mb.id)
	limit := t.roundAt.Add(max(holdMax, t.m.cfg.RoundCountdown))
	if t.holdUntil = later(t.holdUntil, time.Now().Add(holdStep)); t.holdUntil.After(limit) {
		t.holdUntil = limit
	}
	t.broadcast(nil, mb, id)
	return nil
}

// replace is the host removing a human once the game has started: a CPU
// (the stand-in) plays their seat to the end, and they may not come back.
func (t *Table) replace(mb *member, id int64, target string) error {
	seat := t.st.Seat(target)
	if !t.st.Seated(seat) {
		return game.ErrNotAPlayer
	}
	if t.st.Over() {
		return &game.Error{Code: game.CodeWrongPhase, Msg: "the game is over"}
	}
	// The event (AutoplayChanged, removed) is the record: note() bans the
	// player from it, here and on any table rebuilt from the log.
	if err := t.exec(game.ReplaceCmd(target), mb, id); err != nil {
		return err
	}
	delete(t.away, target)
	delete(t.covering, target)
	t.log.Info("player replaced by a CPU", "player", target, "by", mb.id)
	for _, o := range slices.Clone(t.members) {
		if o.id == target {
			t.detach(o.c, ByeKicked)
		}
	}
	// Replicas let their connections holding the seat go too.
	t.broadcast(nil, nil, 0)
	return nil
}

// turnRoom fills in the room status's timer, away and ready parts.
func (t *Table) turnRoom(r *RoomStatus) {
	n := t.st.NumSeats()
	r.TurnLimit = int(t.turnLimit() / time.Second)
	switch t.st.Phase() {
	case game.PhaseInitialFlip, game.PhasePlaying, game.PhaseFinalTurn:
		for i := range n {
			if at, ok := t.deadline(i); ok {
				if r.Deadlines == nil {
					r.Deadlines = make([]int64, n)
				}
				r.Deadlines[i] = at.UnixMilli()
			}
		}
	case game.PhaseRoundOver:
		r.Ready = make([]bool, n)
		for i := range n {
			r.Ready[i] = t.readyFor[t.st.PlayerID(i)]
		}
		r.Held = t.holdUntil.After(t.roundAt.Add(t.m.cfg.RoundCountdown))
	}
	for i := range n {
		id := t.st.PlayerID(i)
		if k := t.timeouts[id]; k > 0 {
			if r.timeouts == nil {
				r.timeouts = make([]int, n)
			}
			r.timeouts[i] = k
		}
		if t.away[id] || t.replaced[id] {
			if r.Away == nil {
				r.Away = make([]bool, n)
				r.Replaced = make([]bool, n)
			}
			r.Away[i] = t.away[id]
			r.Replaced[i] = t.replaced[id]
		}
	}
}
