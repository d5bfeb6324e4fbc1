package cluster

import (
	"context"
	"testing"
	"time"

	"golf/cluster/redistest"
)

func TestDirectory(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	a := open(t, url, prefix, "a", time.Second)
	b := open(t, url, prefix, "b", time.Second)
	const g1, g2 = "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c004", "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c005"
	if id, err := b.LookupRoom(ctx, "KDRT"); id != "" || err != nil {
		t.Fatalf("unknown code: %q %v", id, err)
	}
	if ok, err := a.ClaimRoom(ctx, "KDRT", g1); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if ok, err := b.ClaimRoom(ctx, "KDRT", g2); ok || err != nil {
		t.Fatalf("second claim of a code: %v %v; want refused", ok, err)
	}
	if ok, err := b.ClaimRoom(ctx, "KDRT", g1); !ok || err != nil {
		t.Fatalf("claim of a code by the game holding it: %v %v", ok, err)
	}
	if id, err := b.LookupRoom(ctx, "KDRT"); id != g1 || err != nil {
		t.Fatalf("lookup from another instance: %q %v", id, err)
	}
	if err := b.ReleaseRoom(ctx, "KDRT", g2); err != nil {
		t.Fatal(err)
	}
	if id, _ := a.LookupRoom(ctx, "KDRT"); id != g1 {
		t.Fatal("another game released the code")
	}
	if err := b.ReleaseRoom(ctx, "KDRT", g1); err != nil {
		t.Fatal(err)
	}
	if id, _ := a.LookupRoom(ctx, "KDRT"); id != "" {
		t.Fatal("code not released")
	}
}
