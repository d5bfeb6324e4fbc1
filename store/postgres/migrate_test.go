package postgres

import (
	"context"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"

	"golf/game"
	"golf/store"
	"golf/store/internal/migration"
	"golf/store/postgres/pgtest"
	"golf/store/storetest"
)

// TestMigrateEventsToJSON: a database at version 6 (event_data jsonb,
// holding a whole game written as jsonb) is migrated by Open to json; the
// game reads back event for event, its log takes more Appends, and
// the column is json.
func TestMigrateEventsToJSON(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migration.Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:6] {
		if _, err := conn.Exec(ctx, m.SQL); err != nil {
			t.Fatalf("migration %s: %v", m.Name, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			t.Fatal(err)
		}
	}
	groups, err := storetest.Play(rand.New(rand.NewPCG(7, 16)), 4, 2, game.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var events []game.Event
	for _, g := range groups {
		events = append(events, g...)
	}
	id := store.NewGameID()
	for i, e := range events {
		data, err := game.MarshalEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO events (game_id, sequence_num, event_type, event_data, player_id)
			VALUES ($1, $2, $3, $4::jsonb, NULLIF($5, ''))`, id, i+1, e.Type(), string(data), e.Actor()); err != nil {
			t.Fatalf("event %d as jsonb: %v", i+1, err)
		}
	}

	s, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("open (migrating to 7): %v", err)
	}
	defer s.Close()
	var typ string
	if err := conn.QueryRow(ctx, `SELECT data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'events' AND column_name = 'event_data'`).Scan(&typ); err != nil || typ != "json" {
		t.Fatalf("events.event_data is %q (%v), want json", typ, err)
	}
	more := []game.Event{game.PlayerJoined{PlayerID: "late", Name: "Late"}}
	if err := s.Append(ctx, id, int64(len(events)), more); err != nil {
		t.Fatalf("append after the migration: %v", err)
	}
	recs, err := s.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := append(events, more...)
	if len(recs) != len(want) {
		t.Fatalf("%d records after the migration, want %d", len(recs), len(want))
	}
	for i, r := range recs {
		e, err := game.UnmarshalEvent(r.Data)
		if err != nil {
			t.Fatalf("event %d (%s) does not decode: %v", i+1, r.Data, err)
		}
		if !reflect.DeepEqual(e, want[i]) {
			t.Fatalf("event %d = %#v, want %#v", i+1, e, want[i])
		}
	}
}
