package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"golf/game"
	"golf/store"
)

// Import stores a checked document as a new game: a fresh id, marked
// imported, private to its importer (v.ID; "" for the operator, so only
// admins see it), never counted in the statistics. Its events keep their
// numbers and times. Nothing is stored if anything is refused.
func (s *Service) Import(ctx context.Context, c *Checked, v Viewer) (Info, error) {
	row, recs, err := rowOf(c, store.NewGameID())
	if err != nil {
		return Info{}, err
	}
	row.Imported, row.ImportedBy, row.Visibility = true, v.ID, store.Private
	if err := s.st.PutGame(ctx, row, recs); err != nil {
		return Info{}, fmt.Errorf("replay: import: %w", err)
	}
	i := info(row, v)
	return i, s.people(ctx, &i)
}

// Restore brings an archived game back under its own id, as it was before
// the archive (visibility kept, not marked imported). ErrNotFound unless
// the store holds the game's row, archived.
func (s *Service) Restore(ctx context.Context, c *Checked) (Info, error) {
	id := c.Doc.Game.ID
	if store.CheckGameID(id) != nil {
		return Info{}, ErrNotFound
	}
	old, err := s.st.Game(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && old.ArchivedAt.IsZero() {
		return Info{}, ErrNotFound
	}
	if err != nil {
		return Info{}, fmt.Errorf("replay: restore: %w", err)
	}
	row, recs, err := rowOf(c, id)
	if err != nil {
		return Info{}, err
	}
	row.Visibility, row.Imported, row.ImportedBy = old.Visibility, old.Imported, old.ImportedBy
	row.CompletedAt = old.CompletedAt // the statistics know the game by it
	if err := s.st.PutGame(ctx, row, recs); err != nil {
		return Info{}, fmt.Errorf("replay: restore: %w", err)
	}
	return info(row, Viewer{}), nil
}

// Archived reports whether the store holds id's row with its events
// archived: golf import restores such a game instead of copying it.
func (s *Service) Archived(ctx context.Context, id string) bool {
	if store.CheckGameID(id) != nil {
		return false
	}
	g, err := s.st.Game(ctx, id)
	return err == nil && !g.ArchivedAt.IsZero()
}

// rowOf is the games row and log a checked document is stored as, under
// id: the row as Append would have kept it from the same events.
func rowOf(c *Checked, id string) (store.Game, []store.Record, error) {
	m := c.Doc.Game
	row := store.Game{ID: id, RoomCode: m.RoomCode, Status: m.Status, CreatedAt: m.CreatedAt,
		CompletedAt: m.CompletedAt}
	for _, e := range c.Events {
		if st, ok := e.(game.GameStarted); ok {
			opts, err := json.Marshal(game.Settings{Decks: st.Decks, Rounds: st.Rounds, Options: st.Options})
			if err != nil {
				return store.Game{}, nil, err
			}
			row.Options, row.NumPlayers, row.NumRounds = opts, len(st.Players), st.Rounds
			row.PlayerIDs = append([]string{}, st.Players...)
		}
	}
	if len(m.Winners) > 0 {
		row.WinnerID = m.Winners[0]
	}
	recs := make([]store.Record, len(c.Events))
	for i, e := range c.Events {
		data, err := game.MarshalEvent(e)
		if err != nil {
			return store.Game{}, nil, err
		}
		recs[i] = store.Record{GameID: id, Seq: int64(i + 1), Type: e.Type(), PlayerID: e.Actor(),
			Data: data, At: c.Doc.Events[i].At}
	}
	return row, recs, nil
}
