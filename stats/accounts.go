package stats

import (
	"context"
	"errors"

	"golf/store"
)

// Accounts resolves profile names through the accounts store: a username
// names its user; any other name is taken as a player id (a guest's, or
// cpu:maya). Either way a guest linked into an account resolves to the
// account.
type Accounts struct{ Store store.Accounts }

// PlayerID implements Directory.
func (a Accounts) PlayerID(ctx context.Context, name string) (string, error) {
	u, err := a.Store.UserByUsername(ctx, name)
	switch {
	case err == nil:
		return a.Store.CanonicalUserID(ctx, u.ID)
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid):
		return a.Store.CanonicalUserID(ctx, name)
	}
	return "", err
}
