package replay

import (
	"context"
	"testing"
	"time"

	"golf/stats"
	"golf/store"
)

// TestImportedNotCounted: the statistics count the played game once and
// its imported copy never, on both stores, projected or rebuilt.
func TestImportedNotCounted(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			src, ok := st.(stats.Source)
			if !ok {
				t.Fatalf("%T is no stats.Source", st)
			}
			svc := New(st, nil)
			id := stored(t, st, play(t, 11, 3, 2))
			doc, err := svc.Export(ctx, id, Viewer{Admin: true})
			if err != nil {
				t.Fatal(err)
			}
			c, err := Decode(encoded(t, doc))
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if _, err := svc.Import(ctx, c, Viewer{ID: store.NewID()}); err != nil {
					t.Fatal(err)
				}
			}
			p := &stats.Projector{Source: src}
			if _, err := p.Pass(ctx, time.Time{}); err != nil {
				t.Fatal(err)
			}
			check := func(when string) {
				ps, err := src.PlayerStats(ctx, "p0")
				if err != nil {
					t.Fatalf("%s: %v", when, err)
				}
				if ps.GamesPlayed != 1 {
					t.Errorf("%s: p0 played %d games, want 1 (the imported copies count for nothing)", when, ps.GamesPlayed)
				}
			}
			check("projected")
			if _, _, err := p.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			check("rebuilt")
			// An archived game's rows stay; a rebuild cannot read its
			// events, and must neither fail nor count it twice.
			if _, err := svc.Archive(ctx, time.Now().Add(time.Hour), t.TempDir()); err != nil {
				t.Fatal(err)
			}
			if _, err := p.Pass(ctx, time.Time{}); err != nil {
				t.Fatal(err)
			}
			check("archived")
			if _, _, err := p.Rebuild(ctx); err != nil {
				t.Errorf("rebuild with an archived game: %v", err)
			}
		})
	}
}
