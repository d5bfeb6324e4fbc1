package live

import (
	"context"
	"testing"
	"time"

	"golf/game"
)

// discard is a client that drops what it is sent, as a session's queue
// takes it without blocking, and hands Updates back as a session does once
// it has written them.
type discard struct{}

func (discard) Deliver(m Message) {
	if u, ok := m.(*Update); ok {
		u.Release()
	}
}

// changeTable is a table in play (two humans attached, two CPUs that
// never get to move) for the benchmarks of what a change costs it.
func changeTable(b *testing.B) *Table {
	b.Helper()
	cfg := DefaultConfig()
	cfg.Store, cfg.Bots, cfg.Secret = newMemStore(), testBots{delay: time.Hour}, testSecret
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close(context.Background()) })
	ctx := context.Background()
	opts := game.DefaultOptions()
	opts.InitialFlips = 0
	ann, bob := discard{}, discard{}
	tb, err := m.Create(ctx, ann, "Ann", settings(1, opts))
	if err != nil {
		b.Fatal(err)
	}
	if err := tb.Join(ctx, bob, "Bob"); err != nil {
		b.Fatal(err)
	}
	for i := range 2 {
		if err := tb.Do(ctx, ann, int64(i+1), Action{Op: OpAddCPU}); err != nil {
			b.Fatal(err)
		}
	}
	if err := tb.Do(ctx, ann, 3, gameCmd(game.CmdStartGame)); err != nil {
		b.Fatal(err)
	}
	return tb
}

// BenchmarkChanged is a table's work after a change, on its own
// goroutine, less the events themselves: bookkeeping, each attached
// client's view (two humans), the room's status, and the summary the
// lobby lists read.
func BenchmarkChanged(b *testing.B) {
	tb := changeTable(b)
	b.ReportAllocs()
	tb.call(context.Background(), func() error {
		for b.Loop() {
			tb.changed(nil, nil, 0)
		}
		return nil
	})
}

// BenchmarkPublishInfo is the summary alone, when nothing in it changed
// (a move).
func BenchmarkPublishInfo(b *testing.B) {
	tb := changeTable(b)
	b.ReportAllocs()
	tb.call(context.Background(), func() error {
		for b.Loop() {
			tb.publishInfo()
		}
		return nil
	})
}
