package cluster

import (
	"context"
	"testing"
	"time"

	"golf/cluster/redistest"
)

// TestLeases drives a lease's clock through Redis's own: rather than
// sleeping through TTLs, it moves a lease's remaining time (PEXPIRE) to
// where the story needs it, then checks what renewals do with it.
func TestLeases(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	const game = "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c001"
	const ttl = 10 * time.Second
	a := open(t, url, prefix, "a", ttl)
	b := open(t, url, prefix, "b", ttl)
	key := prefix + "lease:" + game
	left := func() time.Duration {
		t.Helper()
		d, err := a.Client().PTTL(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// elapse makes the lease's time run out but for d, as if TTL-d had passed.
	elapse := func(d time.Duration) {
		t.Helper()
		if ok, err := a.Client().PExpire(ctx, key, d).Result(); !ok || err != nil {
			t.Fatalf("PEXPIRE %s: %v %v", key, ok, err)
		}
	}

	mustHolder := func(r *Redis, got string, err error, want string) {
		t.Helper()
		if err != nil || got != want {
			t.Fatalf("%s: holder %q, %v; want %q", r.Instance(), got, err, want)
		}
	}
	h, err := a.Acquire(ctx, game)
	mustHolder(a, h, err, "a")
	if d := left(); d <= ttl/2 || d > ttl {
		t.Fatalf("a fresh lease has %v left, want the TTL %v", d, ttl)
	}
	h, err = b.Acquire(ctx, game)
	mustHolder(b, h, err, "a") // held: b learns who writes
	h, err = a.Acquire(ctx, game)
	mustHolder(a, h, err, "a") // acquiring what one holds is holding it

	// A renewal gives a lease near its end the whole TTL again, however
	// often its time runs low.
	for range 3 {
		elapse(ttl / 4)
		h, err = a.Renew(ctx, game, "")
		mustHolder(a, h, err, "a")
		if d := left(); d <= ttl/2 {
			t.Fatalf("after a renewal the lease has %v left, want about %v", d, ttl)
		}
	}
	// b cannot renew (extend) or release a's lease.
	elapse(ttl / 4)
	h, err = b.Renew(ctx, game, "")
	mustHolder(b, h, err, "a")
	if d := left(); d > ttl/4 {
		t.Fatalf("b's renewal extended a's lease to %v", d)
	}
	if err := b.Release(ctx, game); err != nil {
		t.Fatal(err)
	}
	h, err = a.Holder(ctx, game)
	mustHolder(a, h, err, "a")

	// Without renewals it expires, and b steals it; a's renewal then
	// reports b and does not take it back.
	elapse(time.Millisecond)
	eventually(t, "lease expiry", func() bool { h, _ := b.Holder(ctx, game); return h == "" })
	h, err = b.Acquire(ctx, game)
	mustHolder(b, h, err, "b")
	h, err = a.Renew(ctx, game, "")
	mustHolder(a, h, err, "b")

	// Released, it is free at once.
	if err := b.Release(ctx, game); err != nil {
		t.Fatal(err)
	}
	h, err = a.Holder(ctx, game)
	mustHolder(a, h, err, "")
	// A renewal of a lease nobody holds takes it again.
	h, err = a.Renew(ctx, game, "")
	mustHolder(a, h, err, "a")
	if d := left(); d <= ttl/2 {
		t.Fatalf("a lease taken by a renewal has %v left, want about %v", d, ttl)
	}
}

func TestRenewKeepsTheRoomCode(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	const game, other = "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c002", "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c003"
	a := open(t, url, prefix, "a", time.Second)
	if ok, err := a.ClaimRoom(ctx, "BCDF", game); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	// The directory entry is lost (Redis restarted, say): a renewal restores it.
	a.Client().Del(ctx, prefix+"room:BCDF")
	if _, err := a.Renew(ctx, game, "BCDF"); err != nil {
		t.Fatal(err)
	}
	if id, err := a.LookupRoom(ctx, "BCDF"); id != game || err != nil {
		t.Fatalf("after renewal the room names %q, %v", id, err)
	}
	ttl := a.Client().PTTL(ctx, prefix+"room:BCDF").Val()
	if ttl <= time.Second {
		t.Fatalf("room TTL %v, want well above the lease TTL", ttl)
	}
	// A renewal never takes a code another game holds.
	a.Client().Set(ctx, prefix+"room:BCDF", other, 0)
	if _, err := a.Renew(ctx, game, "BCDF"); err != nil {
		t.Fatal(err)
	}
	if id, _ := a.LookupRoom(ctx, "BCDF"); id != other {
		t.Fatalf("renewal took the code of another game: %q", id)
	}
}
