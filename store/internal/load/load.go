// Package load holds the rules of store.Store's Load and LoadAfter that do
// not depend on the backend, so that every backend answers alike: it only
// supplies the query (a Func).
package load

import (
	"context"
	"fmt"

	"golf/store"
)

// Func reads a game's events numbered after after, in order: none when the
// log is no longer or the game unknown. gameID has passed store.CheckGameID.
type Func func(ctx context.Context, gameID string, after int64) ([]store.Record, error)

// All is store.Store's Load over read.
func All(ctx context.Context, gameID string, read Func) ([]store.Record, error) {
	recs, err := readChecked(ctx, gameID, 0, read)
	if err == nil && len(recs) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", gameID, err)
	}
	return recs, nil
}

// After is store.Store's LoadAfter over read.
func After(ctx context.Context, gameID string, after int64, read Func) ([]store.Record, error) {
	if after < 0 {
		return nil, fmt.Errorf("load %s after %d: %w: negative position", gameID, after, store.ErrInvalid)
	}
	recs, err := readChecked(ctx, gameID, after, read)
	if err != nil {
		return nil, fmt.Errorf("load %s after %d: %w", gameID, after, err)
	}
	return recs, nil
}

func readChecked(ctx context.Context, gameID string, after int64, read Func) ([]store.Record, error) {
	if err := store.CheckGameID(gameID); err != nil {
		return nil, err
	}
	return read(ctx, gameID, after)
}
