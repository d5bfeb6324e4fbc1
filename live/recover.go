package live

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"golf/game"
)

// A panic in a table's goroutine (a bug in the rules engine, a CPU player,
// the table itself) must not take the server down, nor any other table.
// Every step of the goroutine (an inbox closure, the mail, a timer, the
// planning of the next one) runs under guard, which recovers, logs with the
// stack, counts it (Observer.TablePanicked) and reports it (Reporter).
//
// After a panic the table's memory cannot be trusted: it may have stopped
// between a durable append and folding its events (the fault injected in
// the tests), or half way through its bookkeeping. The log can be: so the
// table throws its state away and reloads the game from the store (not
// from the Redis cache, which this table may have filled), as a restart
// would, keeps its clients attached and sends them the reloaded state. The
// client whose command was in hand gets unavailable (its move may have
// been stored: the state frame that follows says). A second panic within
// panicWindow means the fault is in the game itself, not a passing one:
// the table stops writing and closes. The game stays active in the store:
// with several instances its clients resume and another table (here or
// elsewhere) reloads it; alone, the next start's recovery reopens it.
const panicWindow = time.Minute

// crash is a table's panic bookkeeping, owned by its goroutine.
type crash struct {
	// rescue, set by a step that someone waits on, answers them if the
	// step panics; guard clears it after every step.
	rescue func()
	at     time.Time // the last panic
}

// guard runs one step of the table's goroutine, recovering from a panic.
func (t *Table) guard(step func()) {
	ok := t.try(step)
	rescue := t.crash.rescue
	t.crash.rescue = nil
	if ok {
		return
	}
	if rescue != nil {
		t.try(rescue)
	}
	t.afterPanic()
}

// try runs f and reports whether it returned; if it panicked, the panic
// is reported while its stack is still there to see.
func (t *Table) try(f func()) (ok bool) {
	defer func() {
		if ok {
			return
		}
		v := recover()
		if v == nil {
			return // runtime.Goexit: let it go on
		}
		t.reportPanic(v)
	}()
	f()
	return true
}

func (t *Table) reportPanic(v any) {
	role := "writer"
	if t.replica != nil {
		role = "replica"
	}
	t.log.Error("panic in a table: recovered", "panic", fmt.Sprint(v), "role", role, "seq", t.seq, "stack", string(debug.Stack()))
	t.m.cfg.Observer.TablePanicked()
	if r := t.m.cfg.Reporter; r != nil {
		r.Panic(context.Background(), v, map[string]string{
			"where": "table", "game_id": t.gameID, "room": t.roomCode, "role": role,
		})
	}
}

// afterPanic reloads the table from the store, or closes it if it
// panicked again so soon, or cannot reload.
func (t *Table) afterPanic() {
	now := time.Now()
	again := !t.crash.at.IsZero() && now.Sub(t.crash.at) < panicWindow
	t.crash.at = now
	if again {
		t.shut("it panicked twice within " + panicWindow.String())
		return
	}
	var err error
	if !t.try(func() { err = t.reload() }) {
		t.shut("it panicked while reloading")
		return
	}
	if err != nil {
		t.shut("it cannot reload the game: " + err.Error())
	}
}

// reload replaces the table's state with the store's log, folded afresh.
func (t *Table) reload() error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.m.ctx), t.m.cfg.AppendTimeout)
	recs, err := t.m.cfg.Store.Load(ctx, t.gameID)
	cancel()
	if err != nil {
		return err
	}
	evs, err := storeRecords(recs)
	if err == nil && len(evs) == 0 {
		err = fmt.Errorf("game %s has no events", t.gameID)
	}
	if err != nil {
		return err
	}
	st, err := game.Fold(evs)
	if err != nil {
		return err
	}
	clear(t.pending)
	t.limbo, t.lost = nil, false
	t.install(st, int64(len(evs)), game.Settings{}, nil, t.rematch)
	for _, e := range evs {
		t.note(e)
	}
	if t.last, err = eventHash(evs[len(evs)-1]); err != nil {
		return err
	}
	t.log.Warn("table reloaded from the store after a panic", "seq", t.seq, "phase", t.st.Phase())
	t.broadcast(nil, nil, 0)
	t.saveState()
	return nil
}

// shut stops the table for good after a panic: it writes nothing more
// and closes; the game stays as the store has it.
func (t *Table) shut(why string) {
	t.log.Error("table closed after a panic: the game stays in the store", "why", why, "seq", t.seq)
	t.fenced = true
	clear(t.pending)
	t.closing, t.bye = true, ByeClosed
	if t.m.clustered() {
		// Its clients resume; the lease is released as the table closes,
		// so a fresh table (here or on another instance) loads the game.
		t.bye = ByeRestart
	}
}

// unblock answers res with ErrUnavailable unless it holds an answer: a
// rescue for a step whose caller waits on res.
func unblock(res chan error) func() {
	return func() {
		select {
		case res <- ErrUnavailable:
		default:
		}
	}
}
