package cluster

import (
	"context"
	"testing"
	"time"

	"golf/cluster/redistest"
)

func TestCache(t *testing.T) {
	url, prefix := redistest.Prefix(t)
	ctx := context.Background()
	a := open(t, url, prefix, "a", time.Second)
	const g = "7d5cc9a2-52b0-4d4c-9a44-6c3ad0e7c006"
	if seq, data, err := a.LoadState(ctx, g); seq != 0 || data != nil || err != nil {
		t.Fatalf("empty cache: %d %q %v", seq, data, err)
	}
	steps := []struct {
		seq  int64
		data string
		want string // what the cache holds afterwards
	}{
		{5, "five", "five"},
		{9, "nine", "nine"},
		{7, "seven", "nine"}, // a stale writer cannot move it back
		{9, "nine again", "nine again"},
	}
	for _, s := range steps {
		if err := a.SaveState(ctx, g, s.seq, []byte(s.data)); err != nil {
			t.Fatal(err)
		}
		_, data, err := a.LoadState(ctx, g)
		if err != nil || string(data) != s.want {
			t.Fatalf("after saving %d: %q %v, want %q", s.seq, data, err, s.want)
		}
	}
	if seq, err := a.StateSeq(ctx, g); seq != 9 || err != nil {
		t.Fatalf("seq %d %v", seq, err)
	}
	if ttl := a.Client().PTTL(ctx, prefix+"state:"+g).Val(); ttl <= 0 || ttl > time.Minute {
		t.Fatalf("cache TTL %v, want the configured minute", ttl)
	}
	if err := a.DropState(ctx, g); err != nil {
		t.Fatal(err)
	}
	if seq, _ := a.StateSeq(ctx, g); seq != 0 {
		t.Fatal("dropped state still cached")
	}
}
