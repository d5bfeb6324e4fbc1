package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"golf/store"
)

// OpenAccounts returns fresh, empty accounts storage; it closes it itself
// (t.Cleanup).
type OpenAccounts func(t *testing.T) store.Accounts

// RunAccounts runs the accounts conformance suite. Each subtest opens its
// own storage.
func RunAccounts(t *testing.T, open OpenAccounts) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a store.Accounts)
	}{
		{"GuestRoundTrip", testGuestRoundTrip},
		{"SeatGuest", testSeatGuest},
		{"Register", testRegister},
		{"RegisterTaken", testRegisterTaken},
		{"LinkGuest", testLinkGuest},
		{"Sessions", testSessions},
		{"Profile", testProfile},
		{"Passwords", testPasswords},
		{"DeleteUser", testDeleteUser},
		{"LastAdmin", testLastAdmin},
		{"ConcurrentDemote", testConcurrentDemote},
		{"Bans", testBans},
		{"AuditLog", testAuditLog},
		{"FindUsers", testFindUsers},
		{"AccountsInvalidInput", testAccountsInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// t0 is the suite's clock: whole milliseconds, as stored.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newSession(userID string, now time.Time) (store.Session, []byte) {
	var tok [32]byte
	rand.Read(tok[:])
	h := sha256.Sum256(tok[:])
	return store.Session{ID: store.NewID(), UserID: userID, TokenHash: h[:], CreatedAt: now,
		ExpiresAt: now.Add(30 * 24 * time.Hour), LastUsedAt: now, UserAgent: "Mozilla/5.0 (test)", IP: "192.0.2.7"}, h[:]
}

func mustGuest(t *testing.T, a store.Accounts, name string) (store.User, store.Session) {
	t.Helper()
	u := store.User{ID: store.NewID(), DisplayName: name, Role: store.RolePlayer, CreatedAt: t0, IsActive: true,
		Preferences: json.RawMessage(`{}`)}
	s, _ := newSession(u.ID, t0)
	if err := a.CreateGuest(context.Background(), u, s); err != nil {
		t.Fatalf("CreateGuest(%s): %v", name, err)
	}
	return u, s
}

// mustRegistered makes a registered user named username.
func mustRegistered(t *testing.T, a store.Accounts, username string) (store.User, store.Session) {
	t.Helper()
	u, _ := mustGuest(t, a, username)
	s, _ := newSession(u.ID, t0)
	if err := a.RegisterGuest(context.Background(), u.ID, username, "", "$argon2id$test$"+username, s); err != nil {
		t.Fatalf("RegisterGuest(%s): %v", username, err)
	}
	got, err := a.User(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got, s
}

func mustAdmin(t *testing.T, a store.Accounts, username string) store.User {
	t.Helper()
	u, _ := mustRegistered(t, a, username)
	if err := a.SetRole(context.Background(), u.ID, store.RoleAdmin, store.AuditEntry{At: t0, Action: "set_role", TargetID: u.ID}); err != nil {
		t.Fatalf("SetRole(%s, admin): %v", username, err)
	}
	u.Role = store.RoleAdmin
	return u
}

func sameUser(t *testing.T, got, want store.User) {
	t.Helper()
	if !sameJSON(got.Preferences, want.Preferences) {
		t.Errorf("preferences %s, want %s", got.Preferences, want.Preferences)
	}
	got.Preferences, want.Preferences = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("user:\n got %+v\nwant %+v", got, want)
	}
}

func testGuestRoundTrip(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	u := store.User{ID: store.NewID(), DisplayName: "Zoë ♣", Role: store.RolePlayer, CreatedAt: t0, LastSeenAt: t0,
		IsActive: true, Preferences: json.RawMessage(`{"sound": false, "deck": "classic"}`)}
	s, hash := newSession(u.ID, t0)
	if err := a.CreateGuest(ctx, u, s); err != nil {
		t.Fatal(err)
	}
	got, err := a.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameUser(t, got, u)
	gs, gu, err := a.Session(ctx, hash)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gs, s) {
		t.Errorf("session:\n got %+v\nwant %+v", gs, s)
	}
	sameUser(t, gu, u)
	other := sha256.Sum256([]byte("no such token"))
	if _, _, err := a.Session(ctx, other[:]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session(unknown hash) = %v, want ErrNotFound", err)
	}
	if _, err := a.User(ctx, store.NewID()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("User(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := a.UserByUsername(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByUsername(unknown) = %v, want ErrNotFound", err)
	}
	// A guest is not found by its display name.
	if _, err := a.UserByUsername(ctx, u.DisplayName); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByUsername(a guest's display name) = %v, want ErrNotFound", err)
	}
}

// A guest created without a session (a seat taken over a connection with
// no account) is a user like any other, with no session at all.
func testSeatGuest(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	u := store.User{ID: store.NewID(), DisplayName: "Bot 7", Role: store.RolePlayer, CreatedAt: t0, LastSeenAt: t0,
		IsActive: true, Preferences: json.RawMessage(`{}`)}
	if err := a.CreateGuest(ctx, u, store.Session{}); err != nil {
		t.Fatal(err)
	}
	got, err := a.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameUser(t, got, u)
	ss, err := a.Sessions(ctx, u.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 0 {
		t.Errorf("a seat guest has sessions %+v, want none", ss)
	}
}

func testRegister(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	g, gs := mustGuest(t, a, "Guest")
	s, hash := newSession(g.ID, t0.Add(time.Minute))
	if err := a.RegisterGuest(ctx, g.ID, "Alice_1", "alice@example.com", "$argon2id$v=19$x", s); err != nil {
		t.Fatal(err)
	}
	u, err := a.UserByUsername(ctx, "aLiCe_1")
	if err != nil {
		t.Fatalf("UserByUsername ignoring case: %v", err)
	}
	if u.ID != g.ID || u.Username != "Alice_1" || u.Email != "alice@example.com" || u.PasswordHash != "$argon2id$v=19$x" ||
		u.DisplayName != "Guest" || !u.IsActive {
		t.Errorf("registered guest: %+v; want the same id, the credentials and the display name kept", u)
	}
	// The guest's session was revoked; the new one is live.
	live, err := a.Sessions(ctx, g.ID, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(live) != 1 || live[0].ID != s.ID {
		t.Errorf("live sessions after registering: %+v, want only %s", live, s.ID)
	}
	if old, _, err := a.Session(ctx, gs.TokenHash); err != nil || old.RevokedAt.IsZero() {
		t.Errorf("the guest's session: %+v, %v; want it revoked", old, err)
	}
	if got, _, err := a.Session(ctx, hash); err != nil || got.ID != s.ID || !got.RevokedAt.IsZero() {
		t.Errorf("the new session: %+v, %v", got, err)
	}
	// Registering again: not a guest any more.
	s2, _ := newSession(g.ID, t0)
	if err := a.RegisterGuest(ctx, g.ID, "other", "", "h", s2); !errors.Is(err, store.ErrNotGuest) {
		t.Errorf("RegisterGuest of a registered user = %v, want ErrNotGuest", err)
	}
	if err := a.RegisterGuest(ctx, store.NewID(), "other", "", "h", s2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RegisterGuest of an unknown user = %v, want ErrNotFound", err)
	}
}

func testRegisterTaken(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	mustRegistered(t, a, "bob")
	first, _ := mustGuest(t, a, "G1")
	s, _ := newSession(first.ID, t0)
	if err := a.RegisterGuest(ctx, first.ID, "first", "same@example.com", "h", s); err != nil {
		t.Fatal(err)
	}
	g, gs := mustGuest(t, a, "G2")
	s, _ = newSession(g.ID, t0)
	if err := a.RegisterGuest(ctx, g.ID, "BOB", "", "h", s); !errors.Is(err, store.ErrUsernameTaken) {
		t.Errorf("RegisterGuest(BOB) with bob taken = %v, want ErrUsernameTaken", err)
	}
	if err := a.RegisterGuest(ctx, g.ID, "carol", "same@example.com", "h", s); !errors.Is(err, store.ErrEmailTaken) {
		t.Errorf("RegisterGuest with a taken email = %v, want ErrEmailTaken", err)
	}
	// Nothing changed: still a guest, its session live.
	u, err := a.User(ctx, g.ID)
	if err != nil || u.Username != "" || u.PasswordHash != "" || u.Email != "" {
		t.Errorf("after refused registrations: %+v, %v; want an untouched guest", u, err)
	}
	if got, _, err := a.Session(ctx, gs.TokenHash); err != nil || !got.RevokedAt.IsZero() {
		t.Errorf("the guest's session after refused registrations: %+v, %v; want it live", got, err)
	}
	// Two guests racing for one name: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		g, _ := mustGuest(t, a, fmt.Sprint("R", i))
		name := []string{"racer", "RACER", "other", "Other"}[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, _ := newSession(g.ID, t0)
			errs[i] = a.RegisterGuest(ctx, g.ID, name, "", "h", s)
		}()
	}
	wg.Wait()
	won := map[bool]int{}
	for _, err := range errs {
		if err != nil && !errors.Is(err, store.ErrUsernameTaken) {
			t.Errorf("racing registration: %v", err)
		}
		won[err == nil]++
	}
	if won[true] != 2 {
		t.Errorf("racing for two names, %d registrations won, want 2 (%v)", won[true], errs)
	}
}

func testLinkGuest(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	acct, _ := mustRegistered(t, a, "dana")
	g, gs := mustGuest(t, a, "Played")
	s, _ := newSession(acct.ID, t0.Add(time.Hour))
	linked, err := a.StartSession(ctx, s, g.ID)
	if err != nil || !linked {
		t.Fatalf("StartSession linking a guest = %v, %v; want linked", linked, err)
	}
	if id, err := a.CanonicalUserID(ctx, g.ID); err != nil || id != acct.ID {
		t.Errorf("CanonicalUserID(guest) = %q, %v; want %q", id, err, acct.ID)
	}
	if id, err := a.CanonicalUserID(ctx, acct.ID); err != nil || id != acct.ID {
		t.Errorf("CanonicalUserID(account) = %q, %v; want itself", id, err)
	}
	for _, id := range []string{"cpu_sofia", "g_abc", store.NewID()} {
		if got, err := a.CanonicalUserID(ctx, id); err != nil || got != id {
			t.Errorf("CanonicalUserID(%q) = %q, %v; want itself", id, got, err)
		}
	}
	guest, err := a.User(ctx, g.ID)
	if err != nil || guest.IsActive {
		t.Errorf("linked guest: %+v, %v; want inactive", guest, err)
	}
	if old, _, err := a.Session(ctx, gs.TokenHash); err != nil || old.RevokedAt.IsZero() {
		t.Errorf("linked guest's session: %+v, %v; want revoked", old, err)
	}
	u, err := a.User(ctx, acct.ID)
	if err != nil || !u.LastSeenAt.Equal(s.CreatedAt) {
		t.Errorf("account after login: last seen %v, %v; want %v", u.LastSeenAt, err, s.CreatedAt)
	}
	// A second guest links too; a stale one (already linked, or registered,
	// or unknown) does not, and the login still succeeds.
	g2, _ := mustGuest(t, a, "Second")
	s2, _ := newSession(acct.ID, t0)
	if linked, err := a.StartSession(ctx, s2, g2.ID); err != nil || !linked {
		t.Errorf("second guest: %v, %v; want linked", linked, err)
	}
	other, _ := mustRegistered(t, a, "erin")
	for _, stale := range []string{g.ID, other.ID, store.NewID(), acct.ID, ""} {
		s3, _ := newSession(acct.ID, t0)
		if linked, err := a.StartSession(ctx, s3, stale); err != nil || linked {
			t.Errorf("StartSession with stale guest %q = %v, %v; want a session and no link", stale, linked, err)
		}
	}
	if got, err := a.CanonicalUserID(ctx, other.ID); err != nil || got != other.ID {
		t.Errorf("a registered account is never linked: CanonicalUserID = %q, %v", got, err)
	}
	want := []string{g.ID, g2.ID}
	if want[0] > want[1] {
		want[0], want[1] = want[1], want[0]
	}
	if got, err := a.LinkedGuests(ctx, acct.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("LinkedGuests = %v, %v; want %v", got, err, want)
	}
	// A linked guest cannot register any more.
	s4, _ := newSession(g.ID, t0)
	if err := a.RegisterGuest(ctx, g.ID, "latecomer", "", "h", s4); !errors.Is(err, store.ErrNotGuest) {
		t.Errorf("RegisterGuest of a linked guest = %v, want ErrNotGuest", err)
	}
}

func testSessions(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	u, first := mustGuest(t, a, "Sess")
	var ss []store.Session
	for i := range 3 {
		s, _ := newSession(u.ID, t0.Add(time.Duration(i+1)*time.Minute))
		if _, err := a.StartSession(ctx, s, ""); err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	short, _ := newSession(u.ID, t0.Add(5*time.Minute))
	short.ExpiresAt = t0.Add(10 * time.Minute)
	if _, err := a.StartSession(ctx, short, ""); err != nil {
		t.Fatal(err)
	}
	ids := func(now time.Time) []string {
		t.Helper()
		list, err := a.Sessions(ctx, u.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	if got, want := ids(t0.Add(6*time.Minute)), []string{short.ID, ss[2].ID, ss[1].ID, ss[0].ID, first.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("Sessions, newest first = %v, want %v", got, want)
	}
	if got, want := ids(t0.Add(10*time.Minute)), []string{ss[2].ID, ss[1].ID, ss[0].ID, first.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("Sessions once one expired = %v, want %v", got, want)
	}
	// Touch: last use, sliding expiry and the user's last_seen_at.
	at, exp := t0.Add(20*time.Minute), t0.Add(40*24*time.Hour)
	if err := a.TouchSession(ctx, ss[0].ID, at, exp); err != nil {
		t.Fatal(err)
	}
	got, usr, err := a.Session(ctx, ss[0].TokenHash)
	if err != nil || !got.LastUsedAt.Equal(at) || !got.ExpiresAt.Equal(exp) || !usr.LastSeenAt.Equal(at) {
		t.Errorf("after touch: session %+v, user last seen %v, %v", got, usr.LastSeenAt, err)
	}
	// Revoke one; another user's session is not found.
	if err := a.RevokeSession(ctx, u.ID, ss[1].ID, at); err != nil {
		t.Fatal(err)
	}
	if err := a.RevokeSession(ctx, u.ID, ss[1].ID, at.Add(time.Hour)); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if got, _, _ := a.Session(ctx, ss[1].TokenHash); !got.RevokedAt.Equal(at) {
		t.Errorf("revoked at %v, want %v (the first revocation)", got.RevokedAt, at)
	}
	other, _ := mustGuest(t, a, "Other")
	if err := a.RevokeSession(ctx, other.ID, ss[2].ID, at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoking another user's session = %v, want ErrNotFound", err)
	}
	if err := a.RevokeSession(ctx, u.ID, store.NewID(), at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoking an unknown session = %v, want ErrNotFound", err)
	}
	// A revoked session is not touched back to life.
	if err := a.TouchSession(ctx, ss[1].ID, at.Add(time.Minute), exp); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := a.Session(ctx, ss[1].TokenHash); got.RevokedAt.IsZero() || !got.LastUsedAt.Equal(ss[1].CreatedAt) {
		t.Errorf("touching a revoked session changed it: %+v", got)
	}
	// Revoke all but one.
	n, err := a.RevokeSessions(ctx, u.ID, ss[2].ID, at)
	if err != nil || n != 2 {
		t.Errorf("RevokeSessions = %d, %v; want 2 (first and ss[0])", n, err)
	}
	if got, want := ids(at), []string{ss[2].ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("after RevokeSessions: %v, want %v", got, want)
	}
	if n, err := a.RevokeSessions(ctx, u.ID, "", at); err != nil || n != 1 {
		t.Errorf("RevokeSessions(all) = %d, %v; want 1", n, err)
	}
	// Purge: revoked or expired before the cut-off go; the other user's
	// live session stays.
	n, err = a.PurgeSessions(ctx, at.Add(time.Second))
	if err != nil || n != 5 {
		t.Errorf("PurgeSessions = %d, %v; want 5", n, err)
	}
	if _, _, err := a.Session(ctx, short.TokenHash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("purged session: %v, want ErrNotFound", err)
	}
	if list, err := a.Sessions(ctx, other.ID, at); err != nil || len(list) != 1 {
		t.Errorf("the other user's sessions after purge: %d, %v; want 1", len(list), err)
	}
}

func testProfile(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	u, _ := mustRegistered(t, a, "frank")
	mustRegisteredEmail(t, a, "gina", "gina@example.com")
	p := store.Profile{DisplayName: "Frankie", Email: "frank@example.com", Preferences: json.RawMessage(`{"theme":"dark","n":[1,2]}`)}
	if err := a.UpdateProfile(ctx, u.ID, p); err != nil {
		t.Fatal(err)
	}
	got, err := a.User(ctx, u.ID)
	if err != nil || got.DisplayName != "Frankie" || got.Email != "frank@example.com" || !sameJSON(got.Preferences, p.Preferences) {
		t.Errorf("after UpdateProfile: %+v, %v", got, err)
	}
	if err := a.UpdateProfile(ctx, u.ID, store.Profile{DisplayName: "F", Email: "gina@example.com"}); !errors.Is(err, store.ErrEmailTaken) {
		t.Errorf("UpdateProfile to a taken email = %v, want ErrEmailTaken", err)
	}
	if err := a.UpdateProfile(ctx, u.ID, store.Profile{DisplayName: "F"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.User(ctx, u.ID); got.Email != "" || !sameJSON(got.Preferences, []byte(`{}`)) {
		t.Errorf("clearing email and preferences: %+v", got)
	}
	if err := a.UpdateProfile(ctx, store.NewID(), p); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateProfile(unknown) = %v, want ErrNotFound", err)
	}
}

func mustRegisteredEmail(t *testing.T, a store.Accounts, username, email string) store.User {
	t.Helper()
	g, _ := mustGuest(t, a, username)
	s, _ := newSession(g.ID, t0)
	if err := a.RegisterGuest(context.Background(), g.ID, username, email, "h", s); err != nil {
		t.Fatal(err)
	}
	return g
}

func testPasswords(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	u, keep := mustRegistered(t, a, "hank")
	other, _ := newSession(u.ID, t0)
	if _, err := a.StartSession(ctx, other, ""); err != nil {
		t.Fatal(err)
	}
	// A rehash applies only over the hash it replaces.
	if ok, err := a.ReplacePasswordHash(ctx, u.ID, "stale", "new"); err != nil || ok {
		t.Errorf("ReplacePasswordHash over a stale hash = %v, %v; want false", ok, err)
	}
	if ok, err := a.ReplacePasswordHash(ctx, u.ID, u.PasswordHash, "rehashed"); err != nil || !ok {
		t.Errorf("ReplacePasswordHash = %v, %v; want true", ok, err)
	}
	if err := a.ChangePassword(ctx, u.ID, "changed", keep.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, _ := a.User(ctx, u.ID)
	if got.PasswordHash != "changed" {
		t.Errorf("hash after ChangePassword = %q", got.PasswordHash)
	}
	list, err := a.Sessions(ctx, u.ID, t0.Add(time.Minute))
	if err != nil || len(list) != 1 || list[0].ID != keep.ID {
		t.Errorf("sessions after ChangePassword: %+v, %v; want only the kept one", list, err)
	}
	g, _ := mustGuest(t, a, "NoPassword")
	if err := a.ChangePassword(ctx, g.ID, "x", "", t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ChangePassword of a guest = %v, want ErrNotFound", err)
	}
}

func testDeleteUser(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	u := mustRegisteredEmail(t, a, "ivy", "ivy@example.com")
	if err := a.UpdateProfile(ctx, u.ID, store.Profile{DisplayName: "Ivy", Email: "ivy@example.com",
		Preferences: json.RawMessage(`{"x":1}`)}); err != nil {
		t.Fatal(err)
	}
	s, _ := newSession(u.ID, t0)
	if _, err := a.StartSession(ctx, s, ""); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Hour)
	if err := a.DeleteUser(ctx, u.ID, "Player 1a2b3c", at); err != nil {
		t.Fatal(err)
	}
	got, err := a.User(ctx, u.ID)
	if err != nil {
		t.Fatalf("a deleted user's row stays: %v", err)
	}
	want := store.User{ID: u.ID, DisplayName: "Player 1a2b3c", Role: store.RolePlayer, CreatedAt: t0,
		LastSeenAt: t0, DeletedAt: at, Preferences: json.RawMessage(`{}`)}
	sameUser(t, got, want)
	if list, err := a.Sessions(ctx, u.ID, at); err != nil || len(list) != 0 {
		t.Errorf("sessions of a deleted user: %v, %v; want none", list, err)
	}
	if _, err := a.UserByUsername(ctx, "ivy"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByUsername(deleted) = %v, want ErrNotFound", err)
	}
	// The username and email are free again.
	again := mustRegisteredEmail(t, a, "IVY", "ivy@example.com")
	if again.ID == u.ID {
		t.Error("a new registration reused the deleted id")
	}
	if err := a.DeleteUser(ctx, store.NewID(), "x", at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteUser(unknown) = %v, want ErrNotFound", err)
	}
}

func testLastAdmin(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	root := mustAdmin(t, a, "root1")
	audit := func(id string) store.AuditEntry {
		return store.AuditEntry{At: t0, ActorID: root.ID, Action: "set_role", TargetID: id, Detail: json.RawMessage(`{"role":"player"}`)}
	}
	before, err := a.AuditLog(ctx, store.AuditQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetRole(ctx, root.ID, store.RolePlayer, audit(root.ID)); !errors.Is(err, store.ErrLastAdmin) {
		t.Errorf("demoting the last admin = %v, want ErrLastAdmin", err)
	}
	if err := a.DeleteUser(ctx, root.ID, "x", t0); !errors.Is(err, store.ErrLastAdmin) {
		t.Errorf("deleting the last admin = %v, want ErrLastAdmin", err)
	}
	after, _ := a.AuditLog(ctx, store.AuditQuery{Limit: 100})
	if len(after) != len(before) {
		t.Errorf("a refused change wrote to the audit log: %d entries, then %d", len(before), len(after))
	}
	if got, _ := a.User(ctx, root.ID); got.Role != store.RoleAdmin || !got.IsActive {
		t.Errorf("the last admin after refused changes: %+v", got)
	}
	// Promoting an admin again is fine; with two, one may step down.
	if err := a.SetRole(ctx, root.ID, store.RoleAdmin, audit(root.ID)); err != nil {
		t.Errorf("promoting an admin again: %v", err)
	}
	second := mustAdmin(t, a, "root2")
	if err := a.SetRole(ctx, root.ID, store.RolePlayer, audit(root.ID)); err != nil {
		t.Errorf("demoting one of two admins: %v", err)
	}
	if err := a.DeleteUser(ctx, second.ID, "x", t0); !errors.Is(err, store.ErrLastAdmin) {
		t.Errorf("deleting the remaining admin = %v, want ErrLastAdmin", err)
	}
	if err := a.SetRole(ctx, store.NewID(), store.RoleAdmin, audit(root.ID)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetRole(unknown) = %v, want ErrNotFound", err)
	}
}

// testConcurrentDemote: admins demoting each other at the same moment
// never leave the platform without one.
func testConcurrentDemote(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	var survivor store.User
	for round := range 5 {
		x := mustAdmin(t, a, fmt.Sprint("x", round))
		y := mustAdmin(t, a, fmt.Sprint("y", round))
		if round > 0 { // leave x and y the only admins
			if err := a.SetRole(ctx, survivor.ID, store.RolePlayer, store.AuditEntry{At: t0, Action: "set_role", TargetID: survivor.ID}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pair := range [][2]store.User{{x, y}, {y, x}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = a.SetRole(ctx, pair[1].ID, store.RolePlayer,
					store.AuditEntry{At: t0, ActorID: pair[0].ID, Action: "set_role", TargetID: pair[1].ID})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil && !errors.Is(err, store.ErrLastAdmin) {
				t.Fatalf("concurrent demote: %v", err)
			}
		}
		var admins []store.User
		for _, u := range []store.User{x, y} {
			if got, _ := a.User(ctx, u.ID); got.Role == store.RoleAdmin {
				admins = append(admins, got)
			}
		}
		if len(admins) != 1 || (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: %d admins left, errors %v; want exactly one demotion", round, len(admins), errs)
		}
		survivor = admins[0]
	}
}

func testBans(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	admin := mustAdmin(t, a, "judge")
	u, _ := mustRegistered(t, a, "troll")
	ban := func(reason string, from time.Time, until time.Time) store.Ban {
		t.Helper()
		b, err := a.AddBan(ctx, store.Ban{UserID: u.ID, Reason: reason, CreatedBy: admin.ID, CreatedAt: from, ExpiresAt: until},
			store.AuditEntry{At: from, ActorID: admin.ID, Action: "ban", TargetID: u.ID, Detail: json.RawMessage(`{"reason":"` + reason + `"}`)})
		if err != nil {
			t.Fatalf("AddBan(%s): %v", reason, err)
		}
		if b.ID == 0 {
			t.Fatal("AddBan returned no id")
		}
		return b
	}
	active := func(now time.Time) (store.Ban, bool) {
		t.Helper()
		b, err := a.ActiveBan(ctx, u.ID, now)
		if errors.Is(err, store.ErrNotFound) {
			return b, false
		}
		if err != nil {
			t.Fatal(err)
		}
		return b, true
	}
	if _, ok := active(t0); ok {
		t.Fatal("a user never banned has an active ban")
	}
	day := ban("spam", t0, t0.Add(24*time.Hour))
	if b, ok := active(t0.Add(time.Hour)); !ok || !reflect.DeepEqual(b, day) {
		t.Errorf("ActiveBan during the ban = %+v, %v; want %+v", b, ok, day)
	}
	if _, ok := active(t0.Add(-time.Second)); ok {
		t.Error("a ban is in force before it was made")
	}
	if _, ok := active(t0.Add(24 * time.Hour)); ok {
		t.Error("a ban is still in force at its expiry")
	}
	week := ban("again", t0.Add(time.Hour), t0.Add(7*24*time.Hour))
	if b, _ := active(t0.Add(2 * time.Hour)); b.ID != week.ID {
		t.Errorf("with two bans, ActiveBan = %d, want the longer %d", b.ID, week.ID)
	}
	forever := ban("for good", t0.Add(2*time.Hour), time.Time{})
	if b, _ := active(t0.Add(3 * time.Hour)); b.ID != forever.ID || !b.ExpiresAt.IsZero() {
		t.Errorf("with a permanent ban, ActiveBan = %+v, want %d", b, forever.ID)
	}
	lift := t0.Add(4 * time.Hour)
	n, err := a.LiftBans(ctx, u.ID, admin.ID, lift, store.AuditEntry{At: lift, ActorID: admin.ID, Action: "unban", TargetID: u.ID})
	if err != nil || n != 3 {
		t.Errorf("LiftBans = %d, %v; want 3", n, err)
	}
	if _, ok := active(lift); ok {
		t.Error("a ban is in force after LiftBans")
	}
	if n, err := a.LiftBans(ctx, u.ID, admin.ID, lift, store.AuditEntry{At: lift, ActorID: admin.ID, Action: "unban", TargetID: u.ID}); err != nil || n != 0 {
		t.Errorf("LiftBans with nothing in force = %d, %v; want 0", n, err)
	}
	hist, err := a.Bans(ctx, u.ID)
	if err != nil || len(hist) != 3 || hist[0].ID != forever.ID || hist[2].ID != day.ID {
		t.Fatalf("Bans = %+v, %v; want three, newest first", hist, err)
	}
	if !hist[0].LiftedAt.Equal(lift) || hist[0].LiftedBy != admin.ID || hist[0].Reason != "for good" || hist[0].CreatedBy != admin.ID {
		t.Errorf("lifted ban: %+v", hist[0])
	}
	// Only one unban was audited: the second lifted nothing.
	log, err := a.AuditLog(ctx, store.AuditQuery{TargetID: u.ID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if want := []string{"unban", "ban", "ban", "ban"}; !reflect.DeepEqual(actions, want) {
		t.Errorf("audit of the bans: %v, want %v", actions, want)
	}
	var detail map[string]any
	if err := json.Unmarshal(log[1].Detail, &detail); err != nil || detail["reason"] != "for good" || detail["ban_id"] != float64(forever.ID) {
		t.Errorf("audit detail of a ban: %s (%v); want its reason and ban_id %d", log[1].Detail, err, forever.ID)
	}
	// Admins cannot be banned; unknown users neither.
	if _, err := a.AddBan(ctx, store.Ban{UserID: admin.ID, Reason: "x", CreatedAt: t0}, store.AuditEntry{At: t0, Action: "ban"}); !errors.Is(err, store.ErrIsAdmin) {
		t.Errorf("banning an admin = %v, want ErrIsAdmin", err)
	}
	if _, err := a.AddBan(ctx, store.Ban{UserID: store.NewID(), Reason: "x", CreatedAt: t0}, store.AuditEntry{At: t0, Action: "ban"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("banning an unknown user = %v, want ErrNotFound", err)
	}
}

func testAuditLog(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	admin := mustAdmin(t, a, "auditor")
	x, _ := mustRegistered(t, a, "xena")
	y, _ := mustRegistered(t, a, "yuri")
	for i := range 6 {
		target := x
		if i%2 == 1 {
			target = y
		}
		role := store.RoleAdmin
		if i >= 2 {
			role = store.RolePlayer
		}
		if i < 4 {
			if err := a.SetRole(ctx, target.ID, role, store.AuditEntry{At: t0.Add(time.Duration(i) * time.Second), ActorID: admin.ID,
				Action: "set_role", TargetID: target.ID, Detail: json.RawMessage(fmt.Sprintf(`{"role":%q,"i":%d}`, role, i))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Operator entries have no actor.
	if err := a.SetRole(ctx, x.ID, store.RolePlayer, store.AuditEntry{At: t0.Add(time.Minute), Action: "set_role", TargetID: x.ID}); err != nil {
		t.Fatal(err)
	}
	all, err := a.AuditLog(ctx, store.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 { // auditor's own promotion, four, the operator's
		t.Fatalf("AuditLog: %d entries, want 6", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID {
			t.Errorf("AuditLog not newest first: %d after %d", all[i].ID, all[i-1].ID)
		}
	}
	if all[0].ActorID != "" || all[0].TargetID != x.ID || !all[0].At.Equal(t0.Add(time.Minute)) {
		t.Errorf("operator entry: %+v", all[0])
	}
	if e := all[1]; e.ActorID != admin.ID || e.Action != "set_role" || !sameJSON(e.Detail, []byte(`{"role":"player","i":3}`)) {
		t.Errorf("entry: %+v (detail %s)", e, e.Detail)
	}
	page, err := a.AuditLog(ctx, store.AuditQuery{Before: all[1].ID, Limit: 2})
	if err != nil || len(page) != 2 || page[0].ID != all[2].ID || page[1].ID != all[3].ID {
		t.Errorf("second page: %+v, %v", page, err)
	}
	ys, err := a.AuditLog(ctx, store.AuditQuery{TargetID: y.ID, Limit: 10})
	if err != nil || len(ys) != 2 {
		t.Errorf("entries about y: %d, %v; want 2", len(ys), err)
	}
	// An action on no account (an admin ending a game) has no target.
	if err := a.AddAudit(ctx, store.AuditEntry{At: t0.Add(2 * time.Minute), ActorID: admin.ID, Action: "end_game",
		Detail: json.RawMessage(`{"game_id":"g1"}`)}); err != nil {
		t.Fatal(err)
	}
	latest, err := a.AuditLog(ctx, store.AuditQuery{Limit: 1})
	if err != nil || len(latest) != 1 || latest[0].Action != "end_game" || latest[0].TargetID != "" ||
		latest[0].ActorID != admin.ID || !sameJSON(latest[0].Detail, []byte(`{"game_id":"g1"}`)) {
		t.Errorf("AddAudit: latest %+v, %v", latest, err)
	}
	if err := a.AddAudit(ctx, store.AuditEntry{At: t0, ActorID: "nope", Action: "end_game"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddAudit with a bad actor = %v, want ErrInvalid", err)
	}
	for _, q := range []store.AuditQuery{{Limit: 0}, {Limit: 1001}, {Limit: 1, TargetID: "nope"}} {
		if _, err := a.AuditLog(ctx, q); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("AuditLog(%+v) = %v, want ErrInvalid", q, err)
		}
	}
}

func testFindUsers(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	for _, n := range []string{"sam", "Sam_2", "samx", "sa_m", "saXm", "tom"} {
		mustRegistered(t, a, n)
	}
	mustGuest(t, a, "sam-guest")
	names := func(prefix string, limit int) []string {
		t.Helper()
		us, err := a.FindUsers(ctx, prefix, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out
	}
	if got, want := names("SAM", 10), []string{"sam", "Sam_2", "samx"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FindUsers(SAM) = %v, want %v", got, want)
	}
	if got, want := names("sa_", 10), []string{"sa_m"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FindUsers(sa_): '_' must match itself only: %v, want %v", got, want)
	}
	if got := names("", 2); len(got) != 2 || got[0] != "sa_m" {
		t.Errorf("FindUsers('', 2) = %v, want the first two in order", got)
	}
	if got := names("%", 10); len(got) != 0 {
		t.Errorf("FindUsers(%%) = %v, want none", got)
	}
	if _, err := a.FindUsers(ctx, "", 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("FindUsers limit 0 = %v, want ErrInvalid", err)
	}
}

func testAccountsInvalid(t *testing.T, a store.Accounts) {
	ctx := context.Background()
	u, _ := mustGuest(t, a, "Valid")
	bad := "6F1A0C4E-0000-4000-8000-000000000000"
	s, _ := newSession(u.ID, t0)
	checks := map[string]error{
		"User":           func() error { _, err := a.User(ctx, bad); return err }(),
		"CreateGuest":    a.CreateGuest(ctx, store.User{ID: "x", DisplayName: "x", CreatedAt: t0}, s),
		"RegisterGuest":  a.RegisterGuest(ctx, bad, "n", "", "h", s),
		"StartSession":   func() error { _, err := a.StartSession(ctx, store.Session{ID: "1", UserID: u.ID}, ""); return err }(),
		"StartSession2":  func() error { _, err := a.StartSession(ctx, s, "guest"); return err }(),
		"Sessions":       func() error { _, err := a.Sessions(ctx, "", t0); return err }(),
		"RevokeSession":  a.RevokeSession(ctx, u.ID, "s", t0),
		"TouchSession":   a.TouchSession(ctx, bad, t0, t0),
		"DeleteUser":     a.DeleteUser(ctx, bad, "x", t0),
		"SetRole":        a.SetRole(ctx, bad, store.RoleAdmin, store.AuditEntry{}),
		"ActiveBan":      func() error { _, err := a.ActiveBan(ctx, bad, t0); return err }(),
		"LinkedGuests":   func() error { _, err := a.LinkedGuests(ctx, bad); return err }(),
		"UpdateProfile":  a.UpdateProfile(ctx, bad, store.Profile{}),
		"ChangePassword": a.ChangePassword(ctx, bad, "h", "", t0),
	}
	for name, err := range checks {
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s with a malformed id = %v, want ErrInvalid", name, err)
		}
	}
	// Nothing was stored by the refused calls.
	if list, err := a.Sessions(ctx, u.ID, t0); err != nil || len(list) != 1 {
		t.Errorf("sessions after refused calls: %d, %v; want the guest's one", len(list), err)
	}
}
