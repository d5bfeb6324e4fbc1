package cluster

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"golf/cluster/redistest"
)

func TestNoticesReachEveryInstance(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	type got struct {
		mu   sync.Mutex
		msgs []string
	}
	var gots []*got
	var ns []*Notices
	for i := range 3 {
		r := open(t, url, prefix, fmt.Sprint("i", i), time.Second)
		n, err := r.Notices(ctx, "sessions")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		g := &got{}
		n.Listen(func(msg []byte) {
			g.mu.Lock()
			g.msgs = append(g.msgs, string(msg))
			g.mu.Unlock()
		})
		gots, ns = append(gots, g), append(ns, n)
	}
	// Another channel's notices are not these.
	other, err := open(t, url, prefix, "other", time.Second).Notices(ctx, "elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Publish(ctx, []byte("not for you"))
	for i, n := range ns {
		if err := n.Publish(ctx, []byte(fmt.Sprint("from ", i))); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for i, g := range gots {
		for {
			g.mu.Lock()
			n := len(g.msgs)
			msgs := fmt.Sprint(g.msgs)
			g.mu.Unlock()
			if n == 3 {
				if msgs != "[from 0 from 1 from 2]" {
					t.Errorf("instance %d got %s", i, msgs)
				}
				break
			}
			if n > 3 || time.Now().After(deadline) {
				t.Fatalf("instance %d got %s", i, msgs)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
