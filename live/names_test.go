package live

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"golf/game"
)

func TestNameKey(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"Ann", "Ann", true},
		{"Ann", "ann", true},
		{"Ann", "ＡＮＮ", true}, // full-width
		{"Ann  Lee", " ann lee ", true},
		{"Ann　Lee", "Ann Lee", true}, // ideographic space
		{"Ann", "Anna", false},
		{"Ann", "Bob", false},
		{"Straße", "STRASSE", false}, // no guessing beyond case
	} {
		if got := nameKey(c.a) == nameKey(c.b); got != c.same {
			t.Errorf("%q vs %q: same %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

func TestJoinRefusesATakenName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemStore()
		m := newTestManager(t, st, nil)
		defer closeManager(t, m)
		ctx := context.Background()
		ann := &fakeClient{}
		tb, err := m.Create(ctx, ann, "Ann", settings(1, game.DefaultOptions()))
		if err != nil {
			t.Fatal(err)
		}
		seq := ann.last().Seq
		for _, name := range []string{"Ann", "ANN", "ａｎｎ", " ann "} {
			if err := tb.Join(ctx, &fakeClient{}, name); !errors.Is(err, ErrNameTaken) {
				t.Errorf("join as %q: %v, want name_taken", name, err)
			}
		}
		synctest.Wait()
		if got := ann.last(); got.Seq != seq || len(got.View.Seats) != 1 {
			t.Errorf("a refused join changed the room: seq %d→%d, %d seats", seq, got.Seq, len(got.View.Seats))
		}
		if code, _, _ := ErrorCode(ErrNameTaken); code != "name_taken" {
			t.Errorf("code %q", code)
		}
		// Another name is welcome; and a CPU's name counts too.
		if err := tb.Join(ctx, &fakeClient{}, "Annie"); err != nil {
			t.Fatal(err)
		}
		do(t, tb, ann, 0, Action{Op: OpAddCPU, Profile: "bot2"})
		if err := tb.Join(ctx, &fakeClient{}, "bot 2"); !errors.Is(err, ErrNameTaken) {
			t.Errorf("join as a seated CPU's name: %v, want name_taken", err)
		}
	})
}
