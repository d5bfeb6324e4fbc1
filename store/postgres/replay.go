package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"golf/store"
)

var _ store.Replays = (*Store)(nil)

// SetVisibility implements store.Replays.
func (s *Store) SetVisibility(ctx context.Context, gameID string, v store.Visibility) error {
	if err := checkReplayInput(gameID, v); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE games SET visibility = $1 WHERE id = $2`, string(v), gameID)
	if err != nil {
		return fmt.Errorf("postgres: set visibility: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: game %s: %w", gameID, store.ErrNotFound)
	}
	return nil
}

func checkReplayInput(gameID string, v store.Visibility) error {
	if err := store.CheckGameID(gameID); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if !v.Valid() {
		return fmt.Errorf("postgres: visibility %q: %w", v, store.ErrInvalid)
	}
	return nil
}

func checkRecords(recs []store.Record) error {
	for i, r := range recs {
		if r.Seq != int64(i+1) {
			return fmt.Errorf("postgres: event %d numbered %d: %w", i+1, r.Seq, store.ErrInvalid)
		}
		if r.Type == "" || len(r.Data) == 0 || r.Data[0] != '{' || !json.Valid(r.Data) {
			return fmt.Errorf("postgres: event %d: %w", r.Seq, store.ErrInvalid)
		}
	}
	return nil
}

// PutGame implements store.Replays.
func (s *Store) PutGame(ctx context.Context, g store.Game, recs []store.Record) error {
	if err := checkReplayInput(g.ID, g.Visibility); err != nil {
		return err
	}
	if err := checkRecords(recs); err != nil {
		return err
	}
	status := g.Status
	if status == "" {
		status = "active"
	}
	players := g.PlayerIDs
	if players == nil {
		players = []string{}
	}
	var options *string
	if len(g.Options) > 0 {
		o := string(g.Options)
		options = &o
	}
	return s.tx(ctx, "put game", func(tx pgx.Tx) error {
		// The row first, locked: two imports of one archived game queue
		// here, and the second finds the first's events.
		if _, err := tx.Exec(ctx, `INSERT INTO games (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, g.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM games WHERE id = $1 FOR UPDATE`, g.ID); err != nil {
			return err
		}
		var n int64
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE game_id = $1`, g.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("game %s holds %d events: %w", g.ID, n, store.ErrConflict)
		}
		_, err := tx.Exec(ctx, `UPDATE games SET room_code = $2, status = $3, created_at = $4, completed_at = $5,
			num_players = $6, num_rounds = $7, options = $8::jsonb, winner_id = $9, player_ids = $10,
			visibility = $11, imported = $12, imported_by = $13, archived_at = NULL WHERE id = $1`,
			g.ID, nullString(g.RoomCode), status, utc(g.CreatedAt), nullTime(g.CompletedAt), g.NumPlayers,
			g.NumRounds, options, nullString(g.WinnerID), players, string(g.Visibility), g.Imported,
			nullString(g.ImportedBy))
		if err != nil {
			return err
		}
		rows := make([][]any, len(recs))
		for i, r := range recs {
			rows[i] = []any{g.ID, int32(r.Seq), r.Type, string(r.Data), nullString(r.PlayerID), utc(r.At)}
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"events"},
			[]string{"game_id", "sequence_num", "event_type", "event_data", "player_id", "created_at"},
			pgx.CopyFromRows(rows))
		return err
	})
}

// ArchiveGame implements store.Replays.
func (s *Store) ArchiveGame(ctx context.Context, gameID string, at time.Time) error {
	if err := store.CheckGameID(gameID); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return s.tx(ctx, "archive", func(tx pgx.Tx) error {
		var status *string
		err := tx.QueryRow(ctx, `SELECT status FROM games WHERE id = $1 FOR UPDATE`, gameID).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("game %s: %w", gameID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if deref(status) == "active" || status == nil {
			return fmt.Errorf("game %s is active: %w", gameID, store.ErrInvalid)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM events WHERE game_id = $1`, gameID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("game %s has no events: %w", gameID, store.ErrNotFound)
		}
		_, err = tx.Exec(ctx, `UPDATE games SET archived_at = $2 WHERE id = $1`, gameID, utc(at))
		return err
	})
}

// ArchivableGames implements store.Replays.
func (s *Store) ArchivableGames(ctx context.Context, before time.Time, limit int) ([]string, error) {
	if limit < 1 || limit > 1000 {
		return nil, fmt.Errorf("postgres: limit %d: %w", limit, store.ErrInvalid)
	}
	return s.ids(ctx, "archivable games", `SELECT id::text FROM games WHERE status IN ('completed', 'abandoned')
		AND completed_at < $1 AND archived_at IS NULL
		AND EXISTS (SELECT 1 FROM events e WHERE e.game_id = games.id)
		ORDER BY completed_at, id LIMIT $2`, utc(before), limit)
}

// PublicGames implements store.Replays.
func (s *Store) PublicGames(ctx context.Context, q store.PublicQuery) ([]store.Game, error) {
	if q.Limit < 1 || q.Limit > 1000 {
		return nil, fmt.Errorf("postgres: limit %d: %w", q.Limit, store.ErrInvalid)
	}
	where, args := "", []any{q.Limit}
	if !q.Before.IsZero() {
		if err := store.CheckGameID(q.BeforeID); err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		where = ` AND (completed_at, id) < ($2, $3)`
		args = append(args, utc(q.Before), q.BeforeID)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+gameColumns+` FROM games
		WHERE visibility = 'public' AND status = 'completed' AND archived_at IS NULL`+where+`
		ORDER BY completed_at DESC, id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: public games: %w", err)
	}
	defer rows.Close()
	var out []store.Game
	for rows.Next() {
		g, err := scanGame(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: public games: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
