package account

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// cheap are parameters fast enough for tests that hash often.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newHasher(t testing.TB, p Params, concurrency, waiting int) *Hasher {
	t.Helper()
	h, err := NewHasher(p, concurrency, waiting)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHashRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, p := range []Params{cheap, {Memory: 256, Time: 3, Threads: 2, SaltLen: 8, KeyLen: 16}} {
		t.Run(fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, p.Threads), func(t *testing.T) {
			h := newHasher(t, p, 1, 0)
			enc, err := h.Hash(ctx, "correct horse battery")
			if err != nil {
				t.Fatal(err)
			}
			prefix := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", p.Memory, p.Time, p.Threads)
			if !strings.HasPrefix(enc, prefix) || strings.Count(enc, "$") != 5 {
				t.Errorf("hash %q is not a PHC string starting %q", enc, prefix)
			}
			if strings.Contains(enc, "correct horse") {
				t.Error("the hash contains the password")
			}
			for pw, want := range map[string]bool{
				"correct horse battery":  true,
				"correct horse battery ": false,
				"Correct horse battery":  false,
				"":                       false,
			} {
				ok, err := h.Verify(ctx, enc, pw)
				if err != nil || ok != want {
					t.Errorf("Verify(%q) = %v, %v; want %v", pw, ok, err, want)
				}
			}
			again, _ := h.Hash(ctx, "correct horse battery")
			if again == enc {
				t.Error("two hashes of one password are equal: the salt is not fresh")
			}
			if h.NeedsRehash(enc) {
				t.Error("a hash with the current parameters needs a rehash")
			}
		})
	}
}

// TestDefaultParams: one round trip with the production parameters (each
// hash allocates 64 MiB; under -race it takes seconds, so only one).
func TestDefaultParams(t *testing.T) {
	ctx := context.Background()
	h := newHasher(t, DefaultParams, 1, 0)
	enc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=65536,t=1,p=1$") || len(enc) != len("$argon2id$v=19$m=65536,t=1,p=1$")+22+1+43 {
		t.Errorf("hash %q: want m=65536,t=1,p=1, a 16-byte salt and a 32-byte key", enc)
	}
	if ok, err := h.Verify(ctx, enc, "correct horse battery"); err != nil || !ok {
		t.Errorf("Verify = %v, %v", ok, err)
	}
}

// TestParameterChange: a hash made under old parameters still verifies
// under new ones, and is flagged for a rehash.
func TestParameterChange(t *testing.T) {
	ctx := context.Background()
	old := newHasher(t, cheap, 1, 0)
	enc, err := old.Hash(ctx, "hunter2hunter2")
	if err != nil {
		t.Fatal(err)
	}
	next := newHasher(t, Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, 1, 0)
	if ok, err := next.Verify(ctx, enc, "hunter2hunter2"); err != nil || !ok {
		t.Errorf("old hash under new parameters: %v, %v; want verified", ok, err)
	}
	if ok, _ := next.Verify(ctx, enc, "hunter3hunter3"); ok {
		t.Error("a wrong password verified against an old hash")
	}
	if !next.NeedsRehash(enc) {
		t.Error("an old-parameter hash does not ask for a rehash")
	}
}

// TestKnownAnswer pins the stored format to argon2's reference
// implementation: the wanted strings were made by its command-line tool
// (Debian's argon2 package: echo -n PASSWORD | argon2 SALT -id -t T -k M
// -p P -l 32 -e). Verify must accept them and Hash's encoding must
// reproduce them.
func TestKnownAnswer(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		password, salt string
		p              Params
		want           string
	}{
		{"password", "0123456789abcdef", cheap,
			"$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$c8unoZL1fMiTW9VzsIzI4XiLIjeYmhsk2dCIUg21RpY"},
		{"correct horse", "saltsaltsaltsalt", Params{Memory: 256, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32},
			"$argon2id$v=19$m=256,t=2,p=2$c2FsdHNhbHRzYWx0c2FsdA$Z1plu/WheYBWDgKhQYl1V5chWQ5E+M5OvriDp8j2vGU"},
	}
	for _, tt := range tests {
		h := newHasher(t, tt.p, 1, 0)
		salt := []byte(tt.salt)
		if got := encodeHash(tt.p, salt, h.hash([]byte(tt.password), salt, tt.p)); got != tt.want {
			t.Errorf("hash of %q:\n got %s\nwant %s", tt.password, got, tt.want)
		}
		if ok, err := newHasher(t, cheap, 1, 0).Verify(ctx, tt.want, tt.password); err != nil || !ok {
			t.Errorf("Verify(reference hash of %q) = %v, %v", tt.password, ok, err)
		}
	}
}

func TestMalformedHash(t *testing.T) {
	ctx := context.Background()
	h := newHasher(t, cheap, 1, 0)
	good, _ := h.Hash(ctx, "password1")
	parts := strings.Split(good, "$")
	for _, bad := range []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=16$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1$" + parts[4] + "$" + parts[5] + "$x",
		"$argon2id$v=19$m=64,t=1,p=1,x=2$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=4294967295,t=1,p=1$" + parts[4] + "$" + parts[5], // 4 TiB: refused, not allocated
		"$argon2id$v=19$m=64,t=1000000,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=0$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$!!!$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$" + parts[4] + "$",
		"$argon2id$v=19$m=-1,t=1,p=1$" + parts[4] + "$" + parts[5],
	} {
		if ok, err := h.Verify(ctx, bad, "password1"); ok || !errors.Is(err, errBadHash) {
			t.Errorf("Verify(%q) = %v, %v; want errBadHash", bad, ok, err)
		}
		if !h.NeedsRehash(bad) {
			t.Errorf("NeedsRehash(%q) = false", bad)
		}
	}
	if _, err := NewHasher(Params{Memory: 1 << 30}, 1, 0); err == nil {
		t.Error("NewHasher with absurd parameters: nil error")
	}
}

// gatedHasher replaces h's hash with one that counts how many run at once
// and waits for the test's go-ahead.
func gatedHasher(h *Hasher) (running, peak *atomic.Int64, entered chan struct{}, gate chan struct{}) {
	running, peak = new(atomic.Int64), new(atomic.Int64)
	entered, gate = make(chan struct{}, 1000), make(chan struct{})
	real := h.hash
	h.hash = func(password, salt []byte, p Params) []byte {
		n := running.Add(1)
		for {
			m := peak.Load()
			if n <= m || peak.CompareAndSwap(m, n) {
				break
			}
		}
		entered <- struct{}{}
		<-gate
		out := real(password, salt, p)
		running.Add(-1)
		return out
	}
	return running, peak, entered, gate
}

// TestConcurrencyBound: however many callers, at most the bound hash at
// once — and the bound is reached, so callers do run in parallel.
func TestConcurrencyBound(t *testing.T) {
	const bound, callers = 3, 24
	h := newHasher(t, cheap, bound, callers)
	_, peak, entered, gate := gatedHasher(h)
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				_, err = h.Hash(context.Background(), "password")
			} else {
				_, err = h.Verify(context.Background(), "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY", "password")
			}
			errs <- err
		}()
	}
	// Let the first `bound` in; then each release lets one more in.
	for range bound {
		<-entered
	}
	for range callers - bound {
		gate <- struct{}{}
		<-entered
	}
	for range bound {
		gate <- struct{}{}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a caller failed: %v", err)
		}
	}
	if got := peak.Load(); got != bound {
		t.Errorf("peak concurrent hashes = %d, want exactly the bound %d", got, bound)
	}
}

// TestBusy: with every slot taken and the queue full, a caller gets
// ErrBusy at once; a waiter whose context ends leaves the queue.
func TestBusy(t *testing.T) {
	h := newHasher(t, cheap, 1, 1)
	_, _, entered, gate := gatedHasher(h)
	done := make(chan error, 3)
	go func() { _, err := h.Hash(context.Background(), "password"); done <- err }()
	<-entered // holds the one slot
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _, err := h.Hash(ctx, "password"); done <- err }()
	for len(h.queue) < 2 { // the second caller is waiting
		runtime.Gosched()
	}
	if _, err := h.Hash(context.Background(), "password"); !errors.Is(err, ErrBusy) {
		t.Errorf("third caller: %v, want ErrBusy", err)
	}
	if _, err := h.Verify(context.Background(), "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY", "x"); !errors.Is(err, ErrBusy) {
		t.Errorf("a Verify while full: %v, want ErrBusy", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: %v, want context.Canceled", err)
	}
	if n := len(h.queue); n != 1 {
		t.Errorf("after the waiter left, %d in the queue, want 1", n)
	}
	gate <- struct{}{}
	if err := <-done; err != nil {
		t.Errorf("the running hash: %v", err)
	}
	if len(h.queue) != 0 || len(h.slots) != 0 {
		t.Errorf("after all finished: queue %d, slots %d; want 0, 0", len(h.queue), len(h.slots))
	}
	// Free again: a new caller runs.
	go func() { <-entered; gate <- struct{}{} }()
	if _, err := h.Hash(context.Background(), "password"); err != nil {
		t.Errorf("after the flood: %v", err)
	}
}
