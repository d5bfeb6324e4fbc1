package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golf/store"
)

var _ store.Replays = (*Store)(nil)

// SetVisibility implements store.Replays.
func (s *Store) SetVisibility(ctx context.Context, gameID string, v store.Visibility) error {
	if err := checkReplayInput(gameID, v); err != nil {
		return err
	}
	return s.tx(ctx, "set visibility", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE games SET visibility = ? WHERE id = ?`, string(v), gameID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, fmt.Errorf("game %s: %w", gameID, store.ErrNotFound))
		}
		return nil
	})
}

func checkReplayInput(gameID string, v store.Visibility) error {
	if err := store.CheckGameID(gameID); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if !v.Valid() {
		return fmt.Errorf("sqlite: visibility %q: %w", v, store.ErrInvalid)
	}
	return nil
}

// CheckRecords returns ErrInvalid unless recs are numbered 1…n in order
// and each holds a JSON object. Both backends' PutGame call it.
func checkRecords(recs []store.Record) error {
	for i, r := range recs {
		if r.Seq != int64(i+1) {
			return fmt.Errorf("sqlite: event %d numbered %d: %w", i+1, r.Seq, store.ErrInvalid)
		}
		if r.Type == "" || !json.Valid(r.Data) || len(r.Data) == 0 || r.Data[0] != '{' {
			return fmt.Errorf("sqlite: event %d: %w", r.Seq, store.ErrInvalid)
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
	players, err := json.Marshal(orEmpty(g.PlayerIDs))
	if err != nil {
		return err
	}
	var options any
	if len(g.Options) > 0 {
		options = string(g.Options)
	}
	return s.tx(ctx, "put game", func(tx *sql.Tx) error {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE game_id = ?`, g.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("game %s holds %d events: %w", g.ID, n, store.ErrConflict)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO games (id, room_code, status, created_at, completed_at, num_players,
			num_rounds, options, winner_id, player_ids, visibility, imported, imported_by, archived_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
			ON CONFLICT (id) DO UPDATE SET room_code = excluded.room_code, status = excluded.status,
				created_at = excluded.created_at, completed_at = excluded.completed_at,
				num_players = excluded.num_players, num_rounds = excluded.num_rounds, options = excluded.options,
				winner_id = excluded.winner_id, player_ids = excluded.player_ids, visibility = excluded.visibility,
				imported = excluded.imported, imported_by = excluded.imported_by, archived_at = NULL`,
			g.ID, nullString(g.RoomCode), orActive(g.Status), ts(g.CreatedAt), nullTime(g.CompletedAt), g.NumPlayers,
			g.NumRounds, options, nullString(g.WinnerID), string(players), string(g.Visibility), g.Imported,
			nullString(g.ImportedBy))
		if err != nil {
			return err
		}
		for _, r := range recs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO events (game_id, sequence_num, event_type, event_data,
				player_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				g.ID, r.Seq, r.Type, string(r.Data), nullString(r.PlayerID), ts(r.At)); err != nil {
				return err
			}
		}
		return nil
	})
}

func orEmpty(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

func orActive(status string) string {
	if status == "" {
		return "active"
	}
	return status
}

// ArchiveGame implements store.Replays.
func (s *Store) ArchiveGame(ctx context.Context, gameID string, at time.Time) error {
	if err := store.CheckGameID(gameID); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return s.tx(ctx, "archive", func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM games WHERE id = ?`, gameID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("game %s: %w", gameID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status == "active" {
			return fmt.Errorf("game %s is active: %w", gameID, store.ErrInvalid)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE game_id = ?`, gameID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, fmt.Errorf("game %s has no events: %w", gameID, store.ErrNotFound))
		}
		_, err = tx.ExecContext(ctx, `UPDATE games SET archived_at = ? WHERE id = ?`, ts(at), gameID)
		return err
	})
}

// ArchivableGames implements store.Replays.
func (s *Store) ArchivableGames(ctx context.Context, before time.Time, limit int) ([]string, error) {
	if limit < 1 || limit > 1000 {
		return nil, fmt.Errorf("sqlite: limit %d: %w", limit, store.ErrInvalid)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM games WHERE status IN ('completed', 'abandoned')
		AND completed_at < ? AND archived_at IS NULL
		AND EXISTS (SELECT 1 FROM events e WHERE e.game_id = games.id)
		ORDER BY completed_at, id LIMIT ?`, ts(before), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: archivable games: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: archivable games: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// PublicGames implements store.Replays.
func (s *Store) PublicGames(ctx context.Context, q store.PublicQuery) ([]store.Game, error) {
	if q.Limit < 1 || q.Limit > 1000 {
		return nil, fmt.Errorf("sqlite: limit %d: %w", q.Limit, store.ErrInvalid)
	}
	where, args := "", []any{}
	if !q.Before.IsZero() {
		where = ` AND (completed_at, id) < (?, ?)`
		args = append(args, ts(q.Before), q.BeforeID)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+gameColumns+` FROM games
		WHERE visibility = 'public' AND status = 'completed' AND archived_at IS NULL`+where+`
		ORDER BY completed_at DESC, id DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: public games: %w", err)
	}
	defer rows.Close()
	var out []store.Game
	for rows.Next() {
		g, err := scanGame(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: public games: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
