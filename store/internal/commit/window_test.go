package commit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// clocked is a Flush that records each batch's size and the (bubble's
// fake) time it started; while hold is open, each flush waits for it.
type clocked struct {
	t0    time.Time
	mu    sync.Mutex
	sizes []int
	at    []time.Duration
	hold  chan struct{}
}

func newClocked() *clocked { return &clocked{t0: time.Now(), hold: make(chan struct{})} }

func (c *clocked) flush(ctx context.Context, batch []*Append) []error {
	c.mu.Lock()
	c.sizes = append(c.sizes, len(batch))
	c.at = append(c.at, time.Since(c.t0))
	c.mu.Unlock()
	<-c.hold
	return make([]error, len(batch))
}

func (c *clocked) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprint(c.sizes, c.at)
}

// doAt appends one event at d past the start, as a goroutine of wg.
func doAt(t *testing.T, wg *sync.WaitGroup, c *Committer, d time.Duration, want error) {
	a := prepared(t, 0)
	wg.Go(func() {
		time.Sleep(d)
		if err := c.Do(context.Background(), a); !errors.Is(err, want) {
			t.Errorf("Append at %v: %v, want %v", d, err, want)
		}
	})
}

// The tests run in a synctest bubble: its clock moves only when every
// goroutine in it is blocked, so the times below are exact, and what the
// committer waits for is seen in the flush's timestamps, not measured.

// TestWindowIdle: an Append that finds the committer idle is written at
// once, however many come one after another.
func TestWindowIdle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newClocked()
		close(f.hold)
		c := Start(f.flush, Config{Window: 2 * time.Millisecond})
		var wg sync.WaitGroup
		for i := range 3 {
			doAt(t, &wg, c, time.Duration(i)*100*time.Microsecond, nil) // each after the last one's commit
			synctest.Wait()
		}
		wg.Wait()
		c.Close()
		if got, want := f.String(), "[1 1 1] [0s 100µs 200µs]"; got != want {
			t.Fatalf("batches (sizes, start times) = %s, want %s: an idle Append must not wait", got, want)
		}
	})
}

// TestWindowPaces: once Appends arrive while a batch commits, the next
// transaction starts Window after the previous one began, with everything
// that arrived meanwhile; the pacing stops as soon as a batch is alone.
func TestWindowPaces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newClocked()
		c := Start(f.flush, Config{Window: 2 * time.Millisecond})
		var wg sync.WaitGroup
		doAt(t, &wg, c, 0, nil)
		synctest.Wait() // the first batch is committing, held
		doAt(t, &wg, c, 0, nil)
		doAt(t, &wg, c, 0, nil)
		synctest.Wait() // two more are queued behind it
		close(f.hold)
		doAt(t, &wg, c, time.Millisecond, nil)    // inside the window: joins the second batch
		doAt(t, &wg, c, 5*time.Millisecond, nil)  // after it: busy, but the window is long past
		doAt(t, &wg, c, 10*time.Millisecond, nil) // idle again
		wg.Wait()
		c.Close()
		if got, want := f.String(), "[1 3 1 1] [0s 2ms 5ms 10ms]"; got != want {
			t.Fatalf("batches (sizes, start times) = %s, want %s", got, want)
		}
	})
}

// TestWindowFull: a batch that reaches MaxBatch is written at once.
func TestWindowFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newClocked()
		c := Start(f.flush, Config{MaxBatch: 3, Window: 2 * time.Millisecond})
		var wg sync.WaitGroup
		doAt(t, &wg, c, 0, nil)
		synctest.Wait()
		doAt(t, &wg, c, 0, nil)
		synctest.Wait()
		close(f.hold)
		doAt(t, &wg, c, 500*time.Microsecond, nil)
		doAt(t, &wg, c, 700*time.Microsecond, nil) // the third: full
		wg.Wait()
		c.Close()
		if got, want := f.String(), "[1 3] [0s 700µs]"; got != want {
			t.Fatalf("batches (sizes, start times) = %s, want %s", got, want)
		}
	})
}

// TestWindowClose: Close during the window writes the batch at once.
func TestWindowClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newClocked()
		c := Start(f.flush, Config{Window: 2 * time.Millisecond})
		var wg sync.WaitGroup
		doAt(t, &wg, c, 0, nil)
		synctest.Wait()
		doAt(t, &wg, c, 0, nil)
		synctest.Wait()
		close(f.hold)
		time.Sleep(500 * time.Microsecond) // the second batch waits for the window
		c.Close()
		wg.Wait()
		if got, want := f.String(), "[1 1] [0s 500µs]"; got != want {
			t.Fatalf("batches (sizes, start times) = %s, want %s", got, want)
		}
	})
}

// TestWindowWithdraw: an Append whose context ends while its batch waits
// for the window is withdrawn and never written.
func TestWindowWithdraw(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newClocked()
		c := Start(f.flush, Config{Window: 2 * time.Millisecond})
		var wg sync.WaitGroup
		doAt(t, &wg, c, 0, nil)
		synctest.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		a := prepared(t, 0)
		wg.Go(func() {
			if err := c.Do(ctx, a); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("withdrawn Append: %v, want context.DeadlineExceeded", err)
			}
		})
		doAt(t, &wg, c, 0, nil)
		synctest.Wait()
		close(f.hold)
		wg.Wait()
		c.Close()
		if got, want := f.String(), "[1 1] [0s 2ms]"; got != want {
			t.Fatalf("batches (sizes, start times) = %s, want %s: the withdrawn Append must not be written", got, want)
		}
	})
}

// TestWindowCalms: after a busy spell, Appends made one after another are
// still paced (a steady load makes many lone batches) until calmAfter lone
// batches in a row; then they are written at once again.
func TestWindowCalms(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newClocked()
		c := Start(f.flush, Config{Window: 2 * time.Millisecond})
		var wg sync.WaitGroup
		doAt(t, &wg, c, 0, nil)
		synctest.Wait()
		doAt(t, &wg, c, 0, nil)
		doAt(t, &wg, c, 0, nil)
		synctest.Wait()
		close(f.hold)
		wg.Wait() // the busy batch of two: at 2 ms
		for range calmAfter + 2 {
			time.Sleep(time.Millisecond)
			if err := c.Do(context.Background(), prepared(t, 0)); err != nil {
				t.Fatal(err)
			}
		}
		c.Close()
		want := "[1 2 1 1 1 1 1 1 1 1 1 1] [0s 2ms 4ms 6ms 8ms 10ms 12ms 14ms 16ms 18ms 19ms 20ms]"
		if got := f.String(); got != want {
			t.Fatalf("batches (sizes, start times) = %s, want %s", got, want)
		}
	})
}

// TestWindowTwoWorkers: with two workers the window spaces the
// transactions of both, not of each: an Append that an idle second worker
// could take at once still waits for the window after the last start.
func TestWindowTwoWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newClocked()
		c := Start(f.flush, Config{Workers: 2, Window: 2 * time.Millisecond})
		var wg sync.WaitGroup
		doAt(t, &wg, c, 0, nil)
		synctest.Wait() // one worker commits, held
		doAt(t, &wg, c, 0, nil)
		synctest.Wait() // the other too (idle: at once)
		doAt(t, &wg, c, 0, nil)
		synctest.Wait() // one more waits for either: busy
		close(f.hold)
		doAt(t, &wg, c, 500*time.Microsecond, nil)
		doAt(t, &wg, c, time.Millisecond, nil)
		doAt(t, &wg, c, 2500*time.Microsecond, nil)
		wg.Wait()
		c.Close()
		if got, want := f.String(), "[1 1 3 1] [0s 0s 2ms 4ms]"; got != want {
			t.Fatalf("batches (sizes, start times) = %s, want %s", got, want)
		}
	})
}
