package game

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestSnapshotRestoresEveryState plays random games (garbage commands,
// departures and autoplay included) and, after every event, checks that
// the state restored from a snapshot is deep-equal to the live one.
func TestSnapshotRestoresEveryState(t *testing.T) {
	games := 100
	if testing.Short() {
		games = 20
	}
	states := 0
	check := func(gi int, s *State, after string) {
		b, err := s.Snapshot()
		if err != nil {
			t.Fatalf("game %d: snapshot after %s: %v", gi, after, err)
		}
		r, err := Restore(b)
		if err != nil {
			t.Fatalf("game %d: restore after %s: %v\n%s", gi, after, err, b)
		}
		if !reflect.DeepEqual(r, s) {
			t.Fatalf("game %d: restored state differs after %s\nlive:     %+v\nrestored: %+v", gi, after, *s, *r)
		}
		states++
	}
	for gi := range games {
		r := rand.New(rand.NewPCG(uint64(gi), 0x5a5))
		g := &randomGame{t: t, r: r, live: new(State), garbage: 0.1, leaves: true}
		check(gi, g.live, "nothing")
		g.onEvents = func(c Command, evs []Event) {
			shadow := clone(g.live)
			for _, e := range evs {
				if err := shadow.Apply(e); err != nil {
					t.Fatal(err)
				}
				check(gi, shadow, e.Type())
			}
		}
		g.setup()
		for step := 0; g.step(); step++ {
			if step > 20000 {
				t.Fatalf("game %d did not end", gi)
			}
		}
	}
	t.Logf("%d states restored", states)
}

// TestSnapshotCoversEveryField fails when State or player gains a field the
// snapshot does not write: add it to snapshot.go and bump snapshotVersion.
func TestSnapshotCoversEveryField(t *testing.T) {
	fields := func(v any) []string {
		var out []string
		for f := range reflect.TypeOf(v).Fields() {
			out = append(out, f.Name)
		}
		return out
	}
	want := map[string][]string{
		"State": {"roomCode", "host", "settings", "phase", "players", "n", "round", "dealer", "first", "current",
			"step", "held", "heldFrom", "flip", "finisher", "revealed", "returned", "seed", "reshuffles", "deck", "discard", "seen", "pool",
			"lastRound", "result", "scores"},
		"player": {"id", "name", "profile", "cpu", "left", "auto", "hand", "up",
			"slots", "showing", // derived from hand and up: Restore remakes them
			"flipped", "owed", "turns", "roundScore", "total", "roundsWon"},
		"CardSet": {"bits", "joker"},
	}
	for name, got := range map[string][]string{"State": fields(State{}), "player": fields(player{}), "CardSet": fields(CardSet{})} {
		if !slices.Equal(got, want[name]) {
			t.Errorf("%s has fields %v; the snapshot writes %v", name, got, want[name])
		}
	}
}

func TestRestoreRefusesDamage(t *testing.T) {
	s := new(State)
	for _, c := range []Command{CreateGameCmd("a", "A", "WXYZ", DefaultSettings()), JoinCmd("b", "B"), StartGameCmd("a", testSeed(1))} {
		mustDo(t, s, c)
	}
	good, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, from, to string }{
		{"version", `"v":4`, `"v":3`},
		{"scores", `"scores":[`, `"scores":[[1],`},
		{"seat count", `"n":2`, `"n":7`},
		{"current", `"current":`, `"current":9`},
		{"phase", `"phase":2`, `"phase":9`},
		{"truncated", `}`, ``},
	}
	for _, tc := range tests {
		bad := bytes.Replace(good, []byte(tc.from), []byte(tc.to), 1)
		if bytes.Equal(bad, good) {
			t.Fatalf("%s: %q not in the snapshot", tc.name, tc.from)
		}
		if _, err := Restore(bad); err == nil {
			t.Errorf("%s: damaged snapshot restored", tc.name)
		}
	}
}

func FuzzRestore(f *testing.F) {
	s := new(State)
	for _, c := range []Command{CreateGameCmd("a", "A", "WXYZ", DefaultSettings()), JoinCmd("b", "B"), StartGameCmd("a", testSeed(1))} {
		mustDo(f, s, c)
	}
	good, _ := s.Snapshot()
	f.Add(good)
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Restore(b)
		if err != nil {
			return
		}
		// What Restore accepts, it writes back the same way.
		again, err := r.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		r2, err := Restore(again)
		if err != nil || !reflect.DeepEqual(r, r2) {
			t.Fatalf("restored snapshot does not round-trip: %v", err)
		}
	})
}
