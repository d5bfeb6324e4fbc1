package account

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"

	"golf/store/sqlite"
)

// TestSameWorkUnknownUser: an unknown username costs one argon2id run with
// the current parameters, exactly as a wrong password for a real one does,
// so response time does not tell which usernames exist.
func TestSameWorkUnknownUser(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := newHasher(t, cheap, 1, -1)
	var runs atomic.Int64
	var params []Params
	real := h.hash
	h.hash = func(password, salt []byte, p Params) []byte {
		runs.Add(1)
		params = append(params, p)
		return real(password, salt, p)
	}
	svc, err := New(st, Config{Hasher: h})
	if err != nil {
		t.Fatal(err)
	}
	g, err := svc.NewGuest(ctx, "Guest", Device{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Register(ctx, g.User.ID, "known", "the password", "", Device{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Login(ctx, "nobody", "x", Device{}, ""); !errors.Is(err, ErrBadCredentials) { // makes the dummy
		t.Fatal(err)
	}
	for _, c := range []struct{ user, pw string }{
		{"nobody", "the password"},
		{"known", "wrong password"},
		{"NOBODY-else", ""},
		{"known", ""},
	} {
		before := runs.Load()
		params = nil
		if _, err := svc.Login(ctx, c.user, c.pw, Device{}, ""); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("Login(%s): %v", c.user, err)
		}
		if n := runs.Load() - before; n != 1 || params[0] != h.params {
			t.Errorf("Login(%s, %q) ran %d hashes with %+v; want one with the current parameters", c.user, c.pw, n, params)
		}
	}
}
