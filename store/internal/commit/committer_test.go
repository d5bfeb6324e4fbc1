package commit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"golf/game"
	"golf/store"
)

func prepared(t *testing.T, n int64) *Append {
	t.Helper()
	a, err := Prepare(store.NewGameID(), n, []game.Event{game.PlayerJoined{PlayerID: "a", Name: "A"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// gate is a Flush that records batch sizes and blocks until released.
type gate struct {
	mu      sync.Mutex
	sizes   []int
	entered chan struct{}
	release chan struct{}
}

func newGate() *gate {
	return &gate{entered: make(chan struct{}, 100), release: make(chan struct{}, 100)}
}

func (g *gate) flush(ctx context.Context, batch []*Append) []error {
	g.mu.Lock()
	g.sizes = append(g.sizes, len(batch))
	g.mu.Unlock()
	g.entered <- struct{}{}
	<-g.release
	v := make([]error, len(batch))
	for i, a := range batch {
		if a.Expected == 99 {
			v[i] = store.ErrConflict
		}
	}
	return v
}

// TestGroupCommit: while one batch is being written, every Append that
// arrives waits, and all of them go into the next batch together, each with
// its own verdict.
func TestGroupCommit(t *testing.T) {
	g := newGate()
	c := Start(g.flush, Config{MaxBatch: 64})
	defer c.Close()
	ctx := context.Background()

	first := make(chan error)
	go func() { first <- c.Do(ctx, prepared(t, 0)) }()
	<-g.entered // the first batch is being written

	const waiting = 10
	var wg sync.WaitGroup
	errs := make([]error, waiting)
	for i := range waiting {
		a := prepared(t, int64(i))
		if i == 3 {
			a = prepared(t, 99) // this one conflicts
		}
		wg.Go(func() { errs[i] = c.Do(ctx, a) })
	}
	// Wait until all ten are queued, then let the first batch finish.
	for len(c.queue) < waiting {
		waitABit()
	}
	g.release <- struct{}{}
	if err := <-first; err != nil {
		t.Fatalf("first Append: %v", err)
	}
	<-g.entered
	g.release <- struct{}{}
	wg.Wait()
	for i, err := range errs {
		if i == 3 != errors.Is(err, store.ErrConflict) || (i != 3 && err != nil) {
			t.Errorf("Append %d: verdict %v", i, err)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if fmt.Sprint(g.sizes) != "[1 10]" {
		t.Fatalf("batch sizes = %v, want [1 10]: the ten waiting Appends share one transaction", g.sizes)
	}
}

// counted is a store.Observer that records the batches' Append counts.
type counted struct {
	mu      sync.Mutex
	batches []int
}

func (o *counted) Appended(time.Duration, string) {}
func (o *counted) Committed(appends int, _ time.Duration) {
	o.mu.Lock()
	o.batches = append(o.batches, appends)
	o.mu.Unlock()
}

// TestJobsShareBatches: a job waits in the queue like an Append and goes
// into the same transaction, but the observer counts Appends only (the
// store's metrics say how many moves a commit served).
func TestJobsShareBatches(t *testing.T) {
	g := newGate()
	c := Start(g.flush, Config{MaxBatch: 64})
	defer c.Close()
	var o counted
	c.Observe(&o)
	ctx := context.Background()
	first := make(chan error)
	go func() { first <- c.Do(ctx, NewJob("guest")) }()
	<-g.entered
	var wg sync.WaitGroup
	for i := range 6 {
		a := prepared(t, 0)
		if i%2 == 0 {
			a = NewJob(i)
		}
		wg.Go(func() {
			if err := c.Do(ctx, a); err != nil {
				t.Error(err)
			}
		})
	}
	for len(c.queue) < 6 {
		waitABit()
	}
	g.release <- struct{}{}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	<-g.entered
	g.release <- struct{}{}
	wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	if fmt.Sprint(g.sizes) != "[1 6]" {
		t.Errorf("batch sizes = %v, want [1 6]: jobs and Appends share a transaction", g.sizes)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if fmt.Sprint(o.batches) != "[0 3]" {
		t.Errorf("observed Appends per batch = %v, want [0 3]: jobs are not Appends", o.batches)
	}
}

func TestMaxBatch(t *testing.T) {
	g := newGate()
	c := Start(g.flush, Config{MaxBatch: 4})
	ctx := context.Background()
	first := make(chan error)
	go func() { first <- c.Do(ctx, prepared(t, 0)) }()
	<-g.entered
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if err := c.Do(ctx, prepared(t, 0)); err != nil {
				t.Error(err)
			}
		})
	}
	for len(c.queue) < 10 {
		waitABit()
	}
	for range 4 {
		g.release <- struct{}{}
	}
	<-first
	wg.Wait()
	c.Close()
	if fmt.Sprint(g.sizes) != "[1 4 4 2]" {
		t.Fatalf("batch sizes = %v, want [1 4 4 2]", g.sizes)
	}
}

// TestWithdraw: an Append whose context ends while it waits in the queue
// is never written and returns the context's error; one already taken into
// a batch waits for its verdict.
func TestWithdraw(t *testing.T) {
	g := newGate()
	c := Start(g.flush, Config{})
	defer c.Close()

	taken := make(chan error)
	ctx1, cancel1 := context.WithCancel(context.Background())
	go func() { taken <- c.Do(ctx1, prepared(t, 0)) }()
	<-g.entered
	cancel1() // too late: it is being written

	ctx2, cancel2 := context.WithCancel(context.Background())
	queued := make(chan error)
	go func() { queued <- c.Do(ctx2, prepared(t, 0)) }()
	for len(c.queue) < 1 {
		waitABit()
	}
	cancel2()
	if err := <-queued; !errors.Is(err, context.Canceled) {
		t.Fatalf("queued Append after cancel: %v, want context.Canceled", err)
	}
	g.release <- struct{}{}
	if err := <-taken; err != nil {
		t.Fatalf("taken Append after cancel: %v, want its verdict (nil)", err)
	}
	// The withdrawn Append reaches the committer but is not flushed.
	done := make(chan error)
	go func() { done <- c.Do(context.Background(), prepared(t, 0)) }()
	<-g.entered
	g.release <- struct{}{}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if fmt.Sprint(g.sizes) != "[1 1]" {
		t.Fatalf("batch sizes = %v, want [1 1]: the withdrawn Append must not be written", g.sizes)
	}
}

func TestCloseDrains(t *testing.T) {
	g := newGate()
	c := Start(g.flush, Config{})
	ctx := context.Background()
	first := make(chan error)
	go func() { first <- c.Do(ctx, prepared(t, 0)) }()
	<-g.entered
	second := make(chan error)
	go func() { second <- c.Do(ctx, prepared(t, 0)) }()
	for len(c.queue) < 1 {
		waitABit()
	}
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	g.release <- struct{}{}
	g.release <- struct{}{}
	<-closed
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatalf("Append queued before Close: %v, want it written", err)
	}
	if err := c.Do(ctx, prepared(t, 0)); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Append after Close: %v, want ErrClosed", err)
	}
}

func TestPrepareIndex(t *testing.T) {
	set := game.DefaultSettings()
	a, err := Prepare(store.NewGameID(), 0, []game.Event{
		game.GameCreated{RoomCode: "ABCD", HostID: "h", Settings: set},
		game.PlayerJoined{PlayerID: "h", Name: "H"},
		game.GameStarted{PlayerID: "h", Players: []string{"h", "g"}, Decks: 1, Rounds: 9, Options: set.Options},
		game.GameEnded{PlayerID: "h", Reason: game.ReasonAbandoned, Winners: []string{"g", "h"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Rows) != 4 || a.Rows[1].PlayerID != "h" || a.Rows[2].Type != "GameStarted" {
		t.Fatalf("rows = %+v", a.Rows)
	}
	if len(a.Index) != 3 {
		t.Fatalf("index changes = %+v, want created, started, ended", a.Index)
	}
	lobby, _ := json.Marshal(set)
	binding, _ := json.Marshal(game.Settings{Decks: 1, Rounds: 9, Options: set.Options})
	if ix := a.Index[0]; ix.Kind != Created || ix.RoomCode != "ABCD" || string(ix.Options) != string(lobby) {
		t.Errorf("created: kind %d, room %q, options %s; want room ABCD, options %s", ix.Kind, ix.RoomCode, ix.Options, lobby)
	}
	if ix := a.Index[1]; ix.Kind != Started || ix.NumPlayers != 2 || ix.NumRounds != 9 || string(ix.Options) != string(binding) {
		t.Errorf("started: kind %d, %d players, %d rounds, options %s; want 2, 9, %s", ix.Kind, ix.NumPlayers, ix.NumRounds, ix.Options, binding)
	}
	if ix := a.Index[2]; ix.Kind != Ended || ix.Status != "abandoned" || ix.WinnerID != "g" {
		t.Errorf("ended = %+v", ix)
	}
}
