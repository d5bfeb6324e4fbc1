package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golf/game"
	"golf/store"
	"golf/store/audit"
	"golf/store/sqlite"
	"golf/store/storetest"
)

// fixture is a store holding two finished games and one still running.
func fixture(t *testing.T) (path string, ids []string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "golf.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 3 {
		groups, err := storetest.Play(rand.New(rand.NewPCG(uint64(i), 7)), 2+i, 1, game.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			groups = groups[:len(groups)/2]
		}
		id := store.NewGameID()
		var n int64
		for _, g := range groups {
			if err := s.Append(ctx, id, n, g); err != nil {
				t.Fatal(err)
			}
			n += int64(len(g))
		}
		ids = append(ids, id)
	}
	return path, ids
}

func audited(t *testing.T, path string, checks ...audit.Check) audit.Report {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := audit.Run(context.Background(), s, checks...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestClean(t *testing.T) {
	path, ids := fixture(t)
	var checked []string
	r := audited(t, path, func(ctx context.Context, id string, s *game.State, log []store.Record) error {
		checked = append(checked, id)
		return nil
	})
	if len(r.Failures) != 0 {
		t.Fatalf("a store written only by Append has failures: %+v", r.Failures)
	}
	if r.Games != 3 || r.Events < 50 {
		t.Fatalf("report = %d games, %d events; want 3 games and every event", r.Games, r.Events)
	}
	if len(checked) != len(ids) {
		t.Fatalf("extra check ran for %d games, want %d", len(checked), len(ids))
	}
}

// TestTampered edits the database behind the store's back, as a bug or an
// operator might, and expects the audit to name the game and the reason.
func TestTampered(t *testing.T) {
	tests := []struct {
		name   string
		game   int // which fixture game to tamper with
		sql    string
		reason string
	}{
		{"swap position", 0, `UPDATE events SET event_data = json_set(event_data, '$.data.position',
			(json_extract(event_data, '$.data.position') + 1) % 6)
			WHERE game_id = ?1 AND sequence_num = (SELECT MIN(sequence_num) FROM events WHERE game_id = ?1 AND event_type = 'CardSwapped')`,
			"does not apply"},
		{"drawn card", 1, `UPDATE events SET event_data = json_set(event_data, '$.data.card', json('{"rank":"K","suit":"S","deck":2}'))
			WHERE game_id = ?1 AND sequence_num = (SELECT MAX(sequence_num) FROM events WHERE game_id = ?1 AND event_type = 'CardDrawn')`,
			"does not apply"},
		{"gap", 0, `DELETE FROM events WHERE game_id = ?1 AND sequence_num = 7`, "sequence number 8"},
		{"undecodable", 2, `UPDATE events SET event_data = '{"type":"Nope","v":1,"data":{}}' WHERE game_id = ?1 AND sequence_num = 3`,
			"does not decode"},
		{"type column", 0, `UPDATE events SET event_type = 'CardFlipped' WHERE game_id = ?1 AND sequence_num = 1`,
			"event_type column"},
		{"player column", 0, `UPDATE events SET player_id = 'mallory' WHERE game_id = ?1 AND sequence_num = 2`,
			"player_id column"},
		{"status", 0, `UPDATE games SET status = 'active', completed_at = NULL WHERE id = ?1`, "games.status"},
		{"winner", 1, `UPDATE games SET winner_id = 'mallory' WHERE id = ?1`, "games.winner_id"},
		{"players", 2, `UPDATE games SET player_ids = '["p1","p0"]' WHERE id = ?1`, "games.player_ids"},
		{"no row", 2, `DELETE FROM games WHERE id = ?1`, "no games-index row"},
		{"truncated", 1, `DELETE FROM events WHERE game_id = ?1 AND sequence_num = (SELECT MAX(sequence_num) FROM events WHERE game_id = ?1)`,
			"games.status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, ids := fixture(t)
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := db.Exec(tt.sql, ids[tt.game])
			if err != nil {
				t.Fatalf("tamper: %v", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("tamper changed %d rows, want 1", n)
			}
			db.Close()
			r := audited(t, path)
			if len(r.Failures) == 0 {
				t.Fatal("audit found nothing wrong")
			}
			for _, f := range r.Failures {
				if f.GameID != ids[tt.game] {
					t.Errorf("failure for untouched game %s: %s", f.GameID, f.Reason)
				}
			}
			if !strings.Contains(r.Failures[0].Reason, tt.reason) {
				t.Errorf("reason %q, want one containing %q (all: %+v)", r.Failures[0].Reason, tt.reason, r.Failures)
			}
		})
	}
}

func TestIndexRowWithoutEvents(t *testing.T) {
	path, _ := fixture(t)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	orphan := store.NewGameID()
	if _, err := db.Exec(`INSERT INTO games (id, room_code) VALUES (?, 'X')`, orphan); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r := audited(t, path)
	if len(r.Failures) != 1 || r.Failures[0].GameID != orphan || !strings.Contains(r.Failures[0].Reason, "without events") {
		t.Fatalf("failures = %+v, want one for the orphan row", r.Failures)
	}
}

func TestCheckSeam(t *testing.T) {
	path, ids := fixture(t)
	r := audited(t, path, func(ctx context.Context, id string, s *game.State, log []store.Record) error {
		if id == ids[1] {
			return errors.New("cache disagrees")
		}
		return nil
	})
	if len(r.Failures) != 1 || r.Failures[0].GameID != ids[1] || r.Failures[0].Reason != "cache disagrees" {
		t.Fatalf("failures = %+v, want the extra check's one", r.Failures)
	}
}

func TestCancelled(t *testing.T) {
	path, _ := fixture(t)
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := audit.Run(ctx, s); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with a cancelled context: %v, want context.Canceled", err)
	}
}

// TestArchivedGame: a game whose events were archived to a file (its row
// marked archived) is no failure; the audit of the others goes on.
func TestArchivedGame(t *testing.T) {
	path, ids := fixture(t)
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var ended string
	for _, id := range ids {
		if g, err := s.Game(context.Background(), id); err == nil && g.Status != "active" {
			ended = id
			break
		}
	}
	if ended == "" {
		t.Fatal("the fixture has no ended game")
	}
	if err := s.ArchiveGame(context.Background(), ended, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if r := audited(t, path); len(r.Failures) != 0 {
		t.Fatalf("failures = %+v, want none", r.Failures)
	}
}
