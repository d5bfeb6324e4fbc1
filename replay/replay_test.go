package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golf/game"
	"golf/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestExportGolden pins the export format: a change to it must be a new
// Version, so this file must never change by accident.
func TestExportGolden(t *testing.T) {
	got := encoded(t, fixedDoc(t, 1, 3, 2))
	path := filepath.Join("testdata", "export.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFile(t, path)
	if !bytes.Equal(got, want) {
		t.Errorf("export differs from %s (run with -update if the change is meant, and bump Version)", path)
	}
	// The golden file itself imports.
	if _, err := Decode(want); err != nil {
		t.Errorf("the golden export does not import: %v", err)
	}
	if name := FileName(fixedDoc(t, 1, 3, 2)); name != "golf-ROOM-2026-03-14.json" {
		t.Errorf("FileName = %q", name)
	}
}

// damage edits a decoded document's JSON form.
type damage func(t *testing.T, d map[string]any)

func events(d map[string]any) []any { return d["events"].([]any) }

// eventData returns the data object of event i.
func eventData(d map[string]any, i int) (string, map[string]any) {
	e := events(d)[i].(map[string]any)["event"].(map[string]any)
	return e["type"].(string), e["data"].(map[string]any)
}

// findEvent returns the index of the first event of type typ after from.
func findEvent(t *testing.T, d map[string]any, typ string, from int) int {
	for i := from; i < len(events(d)); i++ {
		if ty, _ := eventData(d, i); ty == typ {
			return i
		}
	}
	t.Fatalf("no %s after %d", typ, from)
	return -1
}

func TestDecodeRefuses(t *testing.T) {
	good := encoded(t, fixedDoc(t, 2, 3, 2))
	huge := append(bytes.TrimSuffix(append([]byte{}, good...), []byte("}\n")), []byte(`,"pad":"`+strings.Repeat("x", MaxSize)+`"}`)...)
	cases := []struct {
		name    string
		raw     []byte // used as it is if set
		edit    damage
		code    string
		seq     int64 // the event named, -1 for any
		message string
	}{
		{name: "gap", edit: func(t *testing.T, d map[string]any) {
			d["events"] = slices.Delete(events(d), 10, 11)
		}, code: CodeGap, seq: 11, message: "event 11"},
		{name: "duplicate", edit: func(t *testing.T, d map[string]any) {
			evs := events(d)
			d["events"] = slices.Insert(evs, 12, evs[11])
		}, code: CodeDuplicate, seq: 12, message: "event 12"},
		{name: "reordered", edit: func(t *testing.T, d map[string]any) {
			evs := events(d)
			evs[14], evs[15] = evs[15], evs[14]
		}, code: CodeReordered, seq: 16},
		{name: "reordered renumbered", edit: func(t *testing.T, d map[string]any) {
			// Two events swapped with their numbers: 1…15, 17, 16, 18…
			evs := events(d)
			evs[15], evs[16] = evs[16], evs[15]
		}, code: CodeReordered, seq: 17},
		{name: "backwards", edit: func(t *testing.T, d map[string]any) {
			evs := events(d)
			evs[20].(map[string]any)["seq"] = float64(3)
		}, code: CodeReordered, seq: 3},
		{name: "forged card", edit: func(t *testing.T, d map[string]any) {
			i := findEvent(t, d, "CardDrawn", 0)
			_, data := eventData(d, i)
			card := data["card"].(map[string]any)
			if card["rank"] == "K" {
				card["rank"] = "Q"
			} else {
				card["rank"] = "K"
			}
		}, code: CodeRefused, seq: -1, message: "refused by the rules"},
		{name: "out of turn", edit: func(t *testing.T, d map[string]any) {
			i := findEvent(t, d, "CardDrawn", 0)
			_, data := eventData(d, i)
			if data["player_id"] == "p1" {
				data["player_id"] = "p2"
			} else {
				data["player_id"] = "p1"
			}
		}, code: CodeRefused, seq: -1},
		{name: "bad event", edit: func(t *testing.T, d map[string]any) {
			events(d)[5].(map[string]any)["event"] = map[string]any{"type": "Teleported", "v": 1, "data": map[string]any{}}
		}, code: CodeBadEvent, seq: 6},
		{name: "wrong version", edit: func(t *testing.T, d map[string]any) { d["version"] = float64(2) }, code: CodeVersion},
		{name: "wrong format", edit: func(t *testing.T, d map[string]any) { d["format"] = "chess" }, code: CodeVersion},
		{name: "unfinished", edit: func(t *testing.T, d map[string]any) {
			evs := events(d)
			d["events"] = evs[:len(evs)-1]
		}, code: CodeUnfinished},
		{name: "after the end", edit: func(t *testing.T, d map[string]any) {
			evs := events(d)
			extra := map[string]any{}
			for k, v := range evs[len(evs)-1].(map[string]any) {
				extra[k] = v
			}
			extra["seq"] = float64(len(evs) + 1)
			d["events"] = append(evs, extra)
		}, code: CodeRefused},
		{name: "totals", edit: func(t *testing.T, d map[string]any) {
			tot := d["game"].(map[string]any)["totals"].([]any)[0].(map[string]any)
			tot["total"] = tot["total"].(float64) - 10
		}, code: CodeMismatch, message: "totals"},
		{name: "winners", edit: func(t *testing.T, d map[string]any) {
			d["game"].(map[string]any)["winners"] = []any{"nobody"}
		}, code: CodeMismatch},
		{name: "unknown field", edit: func(t *testing.T, d map[string]any) { d["extra"] = 1 }, code: CodeMalformed},
		{name: "no events", edit: func(t *testing.T, d map[string]any) { d["events"] = []any{} }, code: CodeUnfinished},
		{name: "not json", raw: []byte("golf"), code: CodeMalformed},
		{name: "huge", raw: huge, code: CodeTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.raw
			if b == nil {
				var d map[string]any
				if err := json.Unmarshal(good, &d); err != nil {
					t.Fatal(err)
				}
				c.edit(t, d)
				var err error
				if b, err = json.Marshal(d); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Decode(b)
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("Decode = %v, %v; want an *ImportError %s", got, err, c.code)
			}
			if ie.Code != c.code || (c.seq > 0 && ie.Seq != c.seq) || (c.seq < 0 && ie.Seq == 0) {
				t.Errorf("error %s at event %d (%v); want %s at %d", ie.Code, ie.Seq, ie, c.code, c.seq)
			}
			if c.message != "" && !strings.Contains(ie.Error(), c.message) {
				t.Errorf("message %q does not say %q", ie.Error(), c.message)
			}
		})
	}
	if _, err := Decode(good); err != nil {
		t.Fatalf("the undamaged document: %v", err)
	}
	if _, err := Read(bytes.NewReader(huge)); err == nil {
		t.Error("Read of a huge file: no error")
	}
}

// TestRoundTrip: export → import → export gives the same events, on both
// stores; the copy is a new game, imported, private to its importer.
func TestRoundTrip(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			svc := New(st, nil)
			id := stored(t, st, play(t, 3, 4, 3))
			player := Viewer{ID: "p1"}
			doc, err := svc.Export(ctx, id, player)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Decode(encoded(t, doc))
			if err != nil {
				t.Fatalf("the export does not import: %v", err)
			}
			importer := Viewer{ID: store.NewID()}
			inf, err := svc.Import(ctx, c, importer)
			if err != nil {
				t.Fatal(err)
			}
			if inf.ID == id || !inf.Imported || inf.Visibility != store.Private || !inf.Mine {
				t.Errorf("import info = %+v; want a new id, imported, private, the importer's", inf)
			}
			again, err := svc.Export(ctx, inf.ID, importer)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Events) != len(doc.Events) {
				t.Fatalf("%d events after the round trip, want %d", len(again.Events), len(doc.Events))
			}
			for i := range doc.Events {
				a, w := again.Events[i], doc.Events[i]
				if a.Seq != w.Seq || !a.At.Equal(w.At) || !bytes.Equal(a.Event, w.Event) {
					t.Fatalf("event %d after the round trip:\n got %+v\nwant %+v", i+1, a, w)
				}
			}
			m1, m2 := doc.Game, again.Game
			m1.ID, m2.ID, m2.Imported = "", "", false
			if fmt.Sprint(m1) != fmt.Sprint(m2) {
				t.Errorf("description after the round trip:\n got %+v\nwant %+v", m2, m1)
			}
			// Private to its importer: the players of the original do not see it.
			if _, err := svc.Export(ctx, inf.ID, player); !errors.Is(err, ErrNotFound) {
				t.Errorf("a stranger's export of an imported game = %v, want ErrNotFound", err)
			}
			if _, err := svc.Export(ctx, inf.ID, Viewer{ID: "x", Admin: true}); err != nil {
				t.Errorf("an admin's export of an imported game: %v", err)
			}
		})
	}
}

// TestUnfinishedRefused: a game in progress has no export and no replay,
// and the refusal names nothing of it.
func TestUnfinishedRefused(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			svc := New(st, nil)
			groups := play(t, 4, 3, 2)
			id := stored(t, st, groups[:len(groups)/2])
			if _, err := svc.Export(ctx, id, Viewer{ID: "p0"}); !errors.Is(err, ErrUnfinished) {
				t.Errorf("export of a game in progress = %v, want ErrUnfinished", err)
			}
			for _, p := range []int{Open, 0, 1} {
				if _, err := svc.Replay(ctx, id, p, Viewer{ID: "p0", Admin: true}); !errors.Is(err, ErrUnfinished) {
					t.Errorf("replay (perspective %d) of a game in progress = %v, want ErrUnfinished", p, err)
				}
			}
			if _, err := svc.Export(ctx, store.NewGameID(), Viewer{}); !errors.Is(err, ErrNotFound) {
				t.Errorf("export of a missing game = %v, want ErrNotFound", err)
			}
			if _, err := svc.Export(ctx, "not-a-uuid", Viewer{}); !errors.Is(err, ErrNotFound) {
				t.Errorf("export of a malformed id = %v, want ErrNotFound", err)
			}
		})
	}
}

// TestPrivate: a private game answers strangers exactly like a missing one;
// its players, and admins, still open it.
func TestPrivate(t *testing.T) {
	ctx := context.Background()
	st := backends[0].open(t)
	svc := New(st, nil)
	id := stored(t, st, play(t, 5, 3, 1))
	// Only the host (p0), a player of the finished game, or an admin may
	// change it.
	if err := svc.SetVisibility(ctx, id, store.Private, Viewer{ID: "stranger"}); !errors.Is(err, ErrForbidden) {
		t.Errorf("a stranger's SetVisibility = %v, want ErrForbidden", err)
	}
	if err := svc.SetVisibility(ctx, id, store.Private, Viewer{ID: "x", Linked: []string{"p2"}}); err != nil {
		t.Fatalf("a player's (through a linked guest id) SetVisibility: %v", err)
	}
	for _, v := range []Viewer{{}, {ID: "stranger"}} {
		_, err := svc.Export(ctx, id, v)
		_, err2 := svc.Replay(ctx, id, Open, v)
		_, err3 := svc.Info(ctx, id, v)
		for _, e := range []error{err, err2, err3} {
			if !errors.Is(e, ErrNotFound) {
				t.Errorf("viewer %+v of a private game: %v, want ErrNotFound", v, e)
			}
		}
		if err := svc.SetVisibility(ctx, id, store.Public, v); !errors.Is(err, ErrNotFound) {
			t.Errorf("viewer %+v SetVisibility of a private game = %v, want ErrNotFound", v, err)
		}
	}
	for _, v := range []Viewer{{ID: "p1"}, {ID: "admin", Admin: true}} {
		if _, err := svc.Export(ctx, id, v); err != nil {
			t.Errorf("viewer %+v: %v", v, err)
		}
	}
	if err := svc.SetVisibility(ctx, id, "loud", Viewer{ID: "p0"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an unknown visibility: %v", err)
	}
	if err := svc.SetVisibility(ctx, id, store.Public, Viewer{ID: "p0"}); err != nil {
		t.Fatal(err)
	}
	recent, more, err := svc.Recent(ctx, store.PublicQuery{Limit: 10})
	if err != nil || more || len(recent) != 1 || recent[0].ID != id {
		t.Errorf("Recent = %+v, %v, %v; want the public game", recent, more, err)
	}
}

// TestViewsAreTheLiveViews: a seat's replay is, step by step, exactly the
// view the live table computed for that seat (game.View after each event):
// no more than the seat saw. The open replay names every card.
func TestViewsAreTheLiveViews(t *testing.T) {
	doc := fixedDoc(t, 6, 4, 2)
	evs := flat(play(t, 6, 4, 2))
	for seat := range 4 {
		r, err := Views(doc, seat)
		if err != nil {
			t.Fatal(err)
		}
		var s game.State
		for i, e := range evs {
			if err := s.Apply(e); err != nil {
				t.Fatal(err)
			}
			v := s.View(seat)
			if want := v.AppendJSON(nil); !bytes.Equal(r.Steps[i].View, want) {
				t.Fatalf("seat %d step %d: the replay's view differs from the live view", seat, i)
			}
			// And the live view hides what it must: no other seat's
			// face-down card, no deck card another seat holds.
			var got game.View
			if err := json.Unmarshal(r.Steps[i].View, &got); err != nil {
				t.Fatal(err)
			}
			for k, sv := range got.Seats {
				for pos, sl := range sv.Cards {
					if !sl.Up && !sl.Card.IsZero() {
						t.Fatalf("seat %d step %d: seat %d's face-down card %d is named", seat, i, k, pos)
					}
				}
			}
			if h := got.Held; h != nil && h.Seat != seat && h.From == game.SourceDeck && !h.Card.IsZero() {
				t.Fatalf("seat %d step %d: another seat's deck draw is named", seat, i)
			}
			if ev := string(r.Steps[i].Event); strings.Contains(ev, `"seed"`) {
				t.Fatalf("seat %d step %d: an event carries the seed: %s", seat, i, ev)
			}
		}
	}
	open, err := Views(doc, Open)
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, st := range open.Steps {
		var v game.View
		if err := json.Unmarshal(st.View, &v); err != nil {
			t.Fatal(err)
		}
		for _, sv := range v.Seats {
			for _, sl := range sv.Cards {
				if !sl.Up && !sl.Card.IsZero() {
					named++
				}
			}
		}
		if strings.Contains(string(st.Event), `"seed"`) {
			t.Fatal("the open replay sends a seed")
		}
	}
	if named == 0 {
		t.Error("the open replay names no face-down card")
	}
	if len(open.Rounds) != 2 || open.Rounds[0].Sheet == nil || open.Rounds[1].Sheet == nil {
		t.Fatalf("rounds = %+v, want 2 with their sheets", open.Rounds)
	}
	if _, err := Views(doc, 4); !errors.Is(err, ErrNotFound) {
		t.Errorf("perspective of a seat that does not exist: %v", err)
	}
	// Turns: a draw and its swap or discard share a number.
	for i := 1; i < len(open.Steps); i++ {
		var e struct{ Type string }
		json.Unmarshal(open.Steps[i].Event, &e)
		if (e.Type == "CardSwapped" || e.Type == "CardDiscarded") && open.Steps[i].Turn != open.Steps[i-1].Turn {
			t.Fatalf("step %d (%s) starts a turn of its own", i, e.Type)
		}
	}
}

// TestArchiveThenImport: the archive writes a file per old game, removes
// its events, and import brings back a game that folds to the same state.
func TestArchiveThenImport(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			now := time.Now()
			svc := New(st, func() time.Time { return now })
			old := stored(t, st, play(t, 7, 3, 2))
			groups := play(t, 8, 2, 1)
			active := stored(t, st, groups[:3])
			before, err := svc.Export(ctx, old, Viewer{Admin: true})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if got, err := svc.Archive(ctx, now.Add(-time.Hour), dir); err != nil || len(got) != 0 {
				t.Fatalf("archive of games older than an hour = %v, %v; want none", got, err)
			}
			got, err := svc.Archive(ctx, now.Add(time.Hour), dir)
			if err != nil || len(got) != 1 || got[0].ID != old {
				t.Fatalf("Archive = %+v, %v; want the one ended game", got, err)
			}
			if _, err := st.Load(ctx, old); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("events after the archive: %v, want none", err)
			}
			if _, err := st.Load(ctx, active); err != nil {
				t.Errorf("the active game's events: %v", err)
			}
			if _, err := svc.Export(ctx, old, Viewer{Admin: true}); !errors.Is(err, ErrArchived) {
				t.Errorf("export of an archived game = %v, want ErrArchived", err)
			}
			c, err := Decode(readFile(t, got[0].File))
			if err != nil {
				t.Fatal(err)
			}
			if !svc.Archived(ctx, c.Doc.Game.ID) {
				t.Fatal("Archived = false for the archived game")
			}
			if _, err := svc.Restore(ctx, c); err != nil {
				t.Fatal(err)
			}
			after, err := svc.Export(ctx, old, Viewer{Admin: true})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(encoded(t, after), encoded(t, before)) {
				t.Error("the restored game's export differs from the one before the archive")
			}
			a, _ := Decode(encoded(t, before))
			sa, _ := a.State.Snapshot()
			sb, _ := c.State.Snapshot()
			if !bytes.Equal(sa, sb) {
				t.Error("the archived file folds to another state")
			}
			if _, err := svc.Restore(ctx, c); !errors.Is(err, ErrNotFound) {
				t.Errorf("a second restore = %v, want ErrNotFound (the game is back)", err)
			}
		})
	}
}

// TestWriteJSON: the replay's hand-made encoding is the one encoding/json
// makes of the same value.
func TestWriteJSON(t *testing.T) {
	r, err := Views(fixedDoc(t, 12, 3, 1), 1)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := r.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(got.Bytes()), want) {
		t.Errorf("WriteJSON differs from encoding/json:\n got %.300s\nwant %.300s", got.Bytes(), want)
	}
}

// TestInfoOfALobby: before a game starts its players are the lobby's seats,
// in order, without those who left (the store records player_ids only at
// the start).
func TestInfoOfALobby(t *testing.T) {
	ctx := context.Background()
	st := backends[0].open(t)
	svc := New(st, nil)
	var lobby []game.Event
	for _, e := range flat(play(t, 7, 4, 1)) {
		if _, ok := e.(game.GameStarted); ok {
			break
		}
		lobby = append(lobby, e)
	}
	var joined []string
	for _, e := range lobby {
		if j, ok := e.(game.PlayerJoined); ok {
			joined = append(joined, j.PlayerID)
		}
	}
	if len(joined) != 4 {
		t.Fatalf("lobby of %d players, want 4", len(joined))
	}
	lobby = append(lobby, game.PlayerLeft{PlayerID: joined[1], Reason: game.ReasonLeft})
	id := stored(t, st, [][]game.Event{lobby})
	inf, err := svc.Info(ctx, id, Viewer{ID: joined[0]})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{joined[0], joined[2], joined[3]}
	if !slices.Equal(inf.PlayerIDs, want) {
		t.Errorf("player_ids %v, want %v", inf.PlayerIDs, want)
	}
	for k, p := range inf.Players {
		if p.ID != want[k] || p.Seat != k {
			t.Errorf("players[%d] = %+v, want %s in seat %d", k, p, want[k], k)
		}
	}
}
