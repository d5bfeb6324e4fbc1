package account_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golf/account"
	"golf/store"
	"golf/store/postgres"
	"golf/store/postgres/pgtest"
	"golf/store/sqlite"
)

// clock is a settable time source: expiry is tested by moving it, never by
// sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// cheap parameters keep the flows fast; password_test covers the real ones.
var cheap = account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

type fixture struct {
	svc   *account.Service
	st    store.Accounts
	clock *clock
}

// backends opens a fresh store per backend: SQLite always, PostgreSQL when
// GOLF_TEST_DATABASE_URL is set.
func eachBackend(t *testing.T, cfg account.Config, fn func(t *testing.T, f *fixture)) {
	open := map[string]func(t *testing.T) store.Accounts{
		"sqlite": func(t *testing.T) store.Accounts {
			s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "golf.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		"postgres": func(t *testing.T) store.Accounts {
			s, err := postgres.Open(context.Background(), pgtest.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := open[name](t)
			c := &clock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
			cfg := cfg
			cfg.Clock = c.Now
			if cfg.Hasher == nil {
				h, err := account.NewHasher(cheap, 2, -1)
				if err != nil {
					t.Fatal(err)
				}
				cfg.Hasher = h
			}
			svc, err := account.New(st, cfg)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, &fixture{svc: svc, st: st, clock: c})
		})
	}
}

var phone = account.Device{UserAgent: "Mozilla/5.0 (Phone)", IP: "::ffff:198.51.100.4"}

func (f *fixture) guest(t *testing.T, name string) account.Auth {
	t.Helper()
	a, err := f.svc.NewGuest(context.Background(), name, phone)
	if err != nil {
		t.Fatalf("NewGuest(%s): %v", name, err)
	}
	return a
}

func (f *fixture) registered(t *testing.T, username, password string) account.Auth {
	t.Helper()
	g := f.guest(t, "Guest "+username)
	a, err := f.svc.Register(context.Background(), g.User.ID, username, password, "", phone)
	if err != nil {
		t.Fatalf("Register(%s): %v", username, err)
	}
	return a
}

func wantCode(t *testing.T, what string, err error, code account.Code) {
	t.Helper()
	var e *account.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Errorf("%s: %v, want code %s", what, err, code)
	}
}

func TestGuestRegisterKeepsID(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		g := f.guest(t, "  Wanderer ")
		if !g.User.Guest || g.User.DisplayName != "Wanderer" || g.Session.IP != "198.51.100.4" || len(string(g.Token)) != 43 {
			t.Errorf("new guest: %+v, session %+v, token length %d", g.User, g.Session, len(string(g.Token)))
		}
		u, sess, err := f.svc.Authenticate(ctx, string(g.Token))
		if err != nil || u.ID != g.User.ID || sess.ID != g.Session.ID || !sess.Current {
			t.Fatalf("Authenticate(guest token) = %+v, %+v, %v", u, sess, err)
		}
		f.clock.Advance(time.Hour)
		r, err := f.svc.Register(ctx, g.User.ID, "Alice", "correct horse", "Alice@Example.com", phone)
		if err != nil {
			t.Fatal(err)
		}
		if r.User.ID != g.User.ID || r.User.Guest || r.User.Username != "Alice" || r.User.Email != "alice@example.com" ||
			r.User.DisplayName != "Wanderer" {
			t.Errorf("registered: %+v; want the guest's id and name, the new credentials", r.User)
		}
		if r.Token == g.Token || r.Session.ID == g.Session.ID {
			t.Error("registering kept the guest's session: a new one was wanted")
		}
		_, _, err = f.svc.Authenticate(ctx, string(g.Token))
		wantCode(t, "the guest's token after registering", err, account.CodeInvalidSession)
		if u, _, err := f.svc.Authenticate(ctx, string(r.Token)); err != nil || u.ID != g.User.ID || u.Guest {
			t.Errorf("Authenticate(new token) = %+v, %v", u, err)
		}
		// Sign in again, ignoring the username's case.
		l, err := f.svc.Login(ctx, "aLiCe", "correct horse", phone, "")
		if err != nil || l.User.ID != g.User.ID {
			t.Errorf("Login = %+v, %v", l.User, err)
		}
		_, err = f.svc.Register(ctx, g.User.ID, "Alice2", "correct horse", "", phone)
		wantCode(t, "registering twice", err, account.CodeAlreadyRegistered)
	})
}

func TestRegisterRefusals(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.registered(t, "taken", "password1")
		other := f.guest(t, "Other")
		if _, err := f.svc.Register(ctx, other.User.ID, "other", "password2", "shared@example.com", phone); err != nil {
			t.Fatal(err)
		}
		g := f.guest(t, "Newcomer")
		tests := []struct {
			username, password, email string
			code                      account.Code
		}{
			{"TAKEN", "password1", "", account.CodeUsernameTaken},
			{"fresh", "password1", "SHARED@example.com", account.CodeEmailTaken},
			{"admin", "password1", "", account.CodeUsernameReserved},
			{"Maya", "password1", "", account.CodeUsernameReserved},
			{"no spaces", "password1", "", account.CodeInvalidUsername},
			{"fresh", "short", "", account.CodeInvalidPassword},
			{"fresh", "password1", "not-an-email", account.CodeInvalidEmail},
			{"x", "short", "nope", account.CodeInvalidInput},
		}
		for _, tt := range tests {
			_, err := f.svc.Register(ctx, g.User.ID, tt.username, tt.password, tt.email, phone)
			wantCode(t, "Register("+tt.username+")", err, tt.code)
		}
		var e *account.Error
		_, err := f.svc.Register(ctx, g.User.ID, "x", "short", "nope", phone)
		if errors.As(err, &e) && len(e.Fields) != 3 {
			t.Errorf("three bad fields: %d field errors, want 3: %v", len(e.Fields), err)
		}
		// Nothing changed: still a guest with its session.
		if u, _, err := f.svc.Authenticate(ctx, string(g.Token)); err != nil || !u.Guest {
			t.Errorf("after refused registrations: %+v, %v; want the same guest", u, err)
		}
		_, err = f.svc.NewGuest(ctx, "Sofia", phone)
		wantCode(t, "a guest named like a CPU", err, account.CodeInvalidDisplayName)
		_, err = f.svc.NewGuest(ctx, "", phone)
		wantCode(t, "a guest without a name", err, account.CodeInvalidDisplayName)
		_, err = f.svc.Register(ctx, store.NewID(), "fresh", "password1", "", phone)
		wantCode(t, "Register of an unknown user", err, account.CodeUserNotFound)
	})
}

func TestLoginLinksGuest(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		acct := f.registered(t, "bob", "bobs password")
		// On another device, Bob plays as a guest, then signs in.
		g := f.guest(t, "Bob on the train")
		l, err := f.svc.Login(ctx, "bob", "bobs password", phone, g.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		if l.User.ID != acct.User.ID {
			t.Errorf("Login returned user %s, want the account %s", l.User.ID, acct.User.ID)
		}
		if id, err := f.svc.CanonicalUserID(ctx, g.User.ID); err != nil || id != acct.User.ID {
			t.Errorf("CanonicalUserID(the guest) = %q, %v; want the account", id, err)
		}
		_, _, err = f.svc.Authenticate(ctx, string(g.Token))
		wantCode(t, "the merged guest's token", err, account.CodeInvalidSession)
		if u, err := f.svc.User(ctx, g.User.ID); err != nil || u.Active {
			t.Errorf("the merged guest: %+v, %v; want inactive", u, err)
		}
		// A guest id that is not a live guest (another account, garbage) is
		// ignored: the sign-in works and nothing is linked.
		other := f.registered(t, "carol", "carols password")
		for _, bogus := range []string{other.User.ID, "not-a-uuid"} {
			if _, err := f.svc.Login(ctx, "bob", "bobs password", phone, bogus); err != nil {
				t.Errorf("Login with guest %q: %v", bogus, err)
			}
		}
		if id, _ := f.svc.CanonicalUserID(ctx, other.User.ID); id != other.User.ID {
			t.Errorf("an account was linked into another: %s", id)
		}
	})
}

func TestBadCredentials(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.registered(t, "dave", "daves password")
		var msgs []string
		for _, c := range []struct{ user, pw string }{
			{"dave", "wrong password"},
			{"nobody", "daves password"},
			{"dave", ""},
			{"", ""},
			{strings.Repeat("d", 500), "x"},
		} {
			_, err := f.svc.Login(ctx, c.user, c.pw, phone, "")
			if !errors.Is(err, account.ErrBadCredentials) {
				t.Errorf("Login(%.10q, %q) = %v, want bad_credentials", c.user, c.pw, err)
				continue
			}
			msgs = append(msgs, err.Error())
		}
		for _, m := range msgs {
			if m != msgs[0] {
				t.Errorf("bad credentials differ: %q vs %q (must not tell which)", m, msgs[0])
			}
		}
		// A guest's display name is no username.
		f.guest(t, "Eve")
		_, err := f.svc.Login(ctx, "Eve", "", phone, "")
		wantCode(t, "Login as a guest's display name", err, account.CodeBadCredentials)
	})
}

func TestLogout(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		a := f.registered(t, "erin", "erins password")
		laptop, err := f.svc.Login(ctx, "erin", "erins password", account.Device{UserAgent: "Laptop", IP: "203.0.113.9"}, "")
		if err != nil {
			t.Fatal(err)
		}
		tablet, err := f.svc.Login(ctx, "erin", "erins password", account.Device{UserAgent: "Tablet"}, "")
		if err != nil {
			t.Fatal(err)
		}
		list, err := f.svc.Sessions(ctx, a.User.ID, laptop.Session.ID)
		if err != nil || len(list) != 3 {
			t.Fatalf("Sessions = %d, %v; want 3", len(list), err)
		}
		for _, s := range list {
			if s.Current != (s.ID == laptop.Session.ID) {
				t.Errorf("session %s (%s): Current = %v", s.ID, s.UserAgent, s.Current)
			}
		}
		if err := f.svc.Logout(ctx, string(laptop.Token)); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.Authenticate(ctx, string(laptop.Token))
		wantCode(t, "a logged-out token", err, account.CodeInvalidSession)
		if err := f.svc.Logout(ctx, string(laptop.Token)); err != nil {
			t.Errorf("logging out twice: %v", err)
		}
		for _, junk := range []string{"", "x", strings.Repeat("A", 43)} {
			if err := f.svc.Logout(ctx, junk); err != nil {
				t.Errorf("Logout(%q): %v", junk, err)
			}
			_, _, err := f.svc.Authenticate(ctx, junk)
			wantCode(t, "Authenticate(junk)", err, account.CodeInvalidSession)
		}
		// Revoke a session from the list; another user cannot.
		mallory := f.registered(t, "mallory", "mallorys password")
		err = f.svc.RevokeSession(ctx, mallory.User.ID, tablet.Session.ID)
		wantCode(t, "revoking another user's session", err, account.CodeSessionNotFound)
		if _, _, err := f.svc.Authenticate(ctx, string(tablet.Token)); err != nil {
			t.Errorf("the tablet after a refused revoke: %v", err)
		}
		if err := f.svc.RevokeSession(ctx, a.User.ID, tablet.Session.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.Authenticate(ctx, string(tablet.Token))
		wantCode(t, "a revoked session", err, account.CodeInvalidSession)
		// Everywhere.
		if n, err := f.svc.LogoutAll(ctx, a.User.ID); err != nil || n != 1 {
			t.Errorf("LogoutAll = %d, %v; want 1 (the first session)", n, err)
		}
		_, _, err = f.svc.Authenticate(ctx, string(a.Token))
		wantCode(t, "after LogoutAll", err, account.CodeInvalidSession)
		if _, _, err := f.svc.Authenticate(ctx, string(mallory.Token)); err != nil {
			t.Errorf("another user's session after LogoutAll: %v", err)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	cfg := account.Config{SessionIdle: time.Hour, SessionMax: 3 * time.Hour, TouchEvery: time.Minute}
	eachBackend(t, cfg, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		g := f.guest(t, "Sleeper")
		start := f.clock.Now()
		if !g.Session.ExpiresAt.Equal(start.Add(time.Hour)) {
			t.Errorf("a new session expires at %v, want idle time ahead", g.Session.ExpiresAt)
		}
		// Used within the idle time: each use slides the expiry.
		for range 2 {
			f.clock.Advance(50 * time.Minute)
			_, s, err := f.svc.Authenticate(ctx, string(g.Token))
			if err != nil {
				t.Fatalf("used after 50 minutes: %v", err)
			}
			if !s.ExpiresAt.Equal(f.clock.Now().Add(time.Hour)) || !s.LastUsedAt.Equal(f.clock.Now()) {
				t.Errorf("after a use: %+v; want expiry slid to an hour from now", s)
			}
		}
		// Uses closer together than TouchEvery are not written.
		f.clock.Advance(30 * time.Second)
		_, s, _ := f.svc.Authenticate(ctx, string(g.Token))
		if !s.LastUsedAt.Equal(f.clock.Now().Add(-30 * time.Second)) {
			t.Errorf("a use 30 s after the last was recorded: last used %v", s.LastUsedAt)
		}
		u, _ := f.svc.User(ctx, g.User.ID)
		if !u.LastSeenAt.Equal(s.LastUsedAt) {
			t.Errorf("user last seen %v, want the last recorded use %v", u.LastSeenAt, s.LastUsedAt)
		}
		// Unused for an hour: expired.
		f.clock.Advance(time.Hour)
		_, _, err := f.svc.Authenticate(ctx, string(g.Token))
		wantCode(t, "unused for an hour", err, account.CodeSessionExpired)

		// However often it is used, a session ends SessionMax after it began.
		h := f.guest(t, "Insomniac")
		begun := f.clock.Now()
		for f.clock.Now().Before(begun.Add(3*time.Hour - 40*time.Minute)) {
			f.clock.Advance(40 * time.Minute)
			if _, _, err := f.svc.Authenticate(ctx, string(h.Token)); err != nil {
				t.Fatalf("used every 40 minutes, at %v: %v", f.clock.Now().Sub(begun), err)
			}
		}
		f.clock.Advance(begun.Add(3 * time.Hour).Sub(f.clock.Now()))
		_, _, err = f.svc.Authenticate(ctx, string(h.Token))
		wantCode(t, "at SessionMax", err, account.CodeSessionExpired)
		list, _ := f.svc.Sessions(ctx, h.User.ID, "")
		if len(list) != 0 {
			t.Errorf("expired sessions listed: %+v", list)
		}
		// Purge drops what ended long enough ago.
		f.clock.Advance(48 * time.Hour)
		if n, err := f.svc.PurgeSessions(ctx, 24*time.Hour); err != nil || n != 2 {
			t.Errorf("PurgeSessions = %d, %v; want 2", n, err)
		}
	})
}

func TestBanExpires(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.registered(t, "warden", "wardens password")
		if err := f.svc.SetRoleAsOperator(ctx, "WARDEN", account.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		troll := f.registered(t, "troll", "trolls password")
		_, err := f.svc.Ban(ctx, troll.User.ID, admin.User.ID, "revenge", time.Hour)
		wantCode(t, "a player banning", err, account.CodeForbidden)
		_, err = f.svc.Ban(ctx, admin.User.ID, admin.User.ID, "oops", time.Hour)
		wantCode(t, "an admin banning themself", err, account.CodeTargetIsAdmin)
		_, err = f.svc.Ban(ctx, admin.User.ID, troll.User.ID, "  ", time.Hour)
		wantCode(t, "a ban without reason", err, account.CodeBadRequest)
		_, err = f.svc.Ban(ctx, admin.User.ID, store.NewID(), "who?", time.Hour)
		wantCode(t, "banning nobody", err, account.CodeUserNotFound)

		b, err := f.svc.Ban(ctx, admin.User.ID, troll.User.ID, "flooding the chat", 2*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		until := f.clock.Now().Add(2 * time.Hour)
		if !b.ExpiresAt.Equal(until) || b.CreatedBy != admin.User.ID {
			t.Errorf("ban: %+v", b)
		}
		_, _, err = f.svc.Authenticate(ctx, string(troll.Token))
		var e *account.Error
		if !errors.As(err, &e) || e.Code != account.CodeBanned || !e.Until.Equal(until) || !strings.Contains(e.Msg, "flooding the chat") {
			t.Errorf("a banned user's session: %v (until %v), want banned until %v with the reason", err, e.Until, until)
		}
		_, err = f.svc.Login(ctx, "troll", "trolls password", phone, "")
		wantCode(t, "a banned user signing in", err, account.CodeBanned)
		_, err = f.svc.Login(ctx, "troll", "wrong password", phone, "")
		wantCode(t, "a banned user with a wrong password", err, account.CodeBadCredentials)
		// Two hours later it is over, with nothing run in between.
		f.clock.Advance(2 * time.Hour)
		if _, _, err := f.svc.Authenticate(ctx, string(troll.Token)); err != nil {
			t.Errorf("after the ban expired: %v", err)
		}
		err = f.svc.Unban(ctx, admin.User.ID, troll.User.ID)
		wantCode(t, "unbanning after expiry", err, account.CodeNotBanned)
		// A permanent ban lasts until lifted.
		if _, err := f.svc.Ban(ctx, admin.User.ID, troll.User.ID, "again", 0); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(10 * 365 * 24 * time.Hour)
		_, err = f.svc.Login(ctx, "troll", "trolls password", phone, "")
		wantCode(t, "ten years into a permanent ban", err, account.CodeBanned)
		if err := f.svc.Unban(ctx, admin.User.ID, troll.User.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Login(ctx, "troll", "trolls password", phone, ""); err != nil {
			t.Errorf("after Unban: %v", err)
		}
		bans, err := f.svc.Bans(ctx, admin.User.ID, troll.User.ID)
		if err != nil || len(bans) != 2 || bans[0].LiftedBy != admin.User.ID || bans[1].Reason != "flooding the chat" {
			t.Errorf("Bans = %+v, %v", bans, err)
		}
		log, err := f.svc.AuditLog(ctx, admin.User.ID, account.AuditQuery{TargetID: troll.User.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range log {
			actions = append(actions, a.Action)
		}
		if want := "unban ban ban"; strings.Join(actions, " ") != want {
			t.Errorf("audit log of troll: %v, want %s", actions, want)
		}
		_, err = f.svc.AuditLog(ctx, troll.User.ID, account.AuditQuery{})
		wantCode(t, "a player reading the audit log", err, account.CodeForbidden)
	})
}

func TestLastAdmin(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		alice := f.registered(t, "alice", "alices password")
		bob := f.registered(t, "bob", "bobs password")
		if err := f.svc.SetRoleAsOperator(ctx, "alice", account.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		err := f.svc.SetRole(ctx, alice.User.ID, alice.User.ID, account.RolePlayer)
		wantCode(t, "the last admin demoting themself", err, account.CodeLastAdmin)
		err = f.svc.DeleteAccount(ctx, alice.User.ID, "alices password")
		wantCode(t, "the last admin deleting their account", err, account.CodeLastAdmin)
		err = f.svc.SetRoleAsOperator(ctx, "alice", account.RolePlayer)
		wantCode(t, "the operator demoting the last admin", err, account.CodeLastAdmin)
		err = f.svc.SetRole(ctx, bob.User.ID, bob.User.ID, account.RoleAdmin)
		wantCode(t, "a player promoting themself", err, account.CodeForbidden)
		err = f.svc.SetRole(ctx, alice.User.ID, bob.User.ID, account.Role("god"))
		wantCode(t, "an unknown role", err, account.CodeBadRequest)
		g := f.guest(t, "Drifter")
		err = f.svc.SetRole(ctx, alice.User.ID, g.User.ID, account.RoleAdmin)
		wantCode(t, "promoting a guest", err, account.CodeBadRequest)

		if err := f.svc.SetRole(ctx, alice.User.ID, bob.User.ID, account.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetRole(ctx, alice.User.ID, alice.User.ID, account.RolePlayer); err != nil {
			t.Errorf("one of two admins stepping down: %v", err)
		}
		// The demotion takes effect at once, without signing in again.
		_, err = f.svc.FindUsers(ctx, alice.User.ID, "", 10)
		wantCode(t, "a demoted admin", err, account.CodeForbidden)
		users, err := f.svc.FindUsers(ctx, bob.User.ID, "AL", 10)
		if err != nil || len(users) != 1 || users[0].ID != alice.User.ID || users[0].Role != account.RolePlayer {
			t.Errorf("FindUsers(AL) = %+v, %v", users, err)
		}
		log, err := f.svc.AuditLog(ctx, bob.User.ID, account.AuditQuery{})
		if err != nil || len(log) != 3 {
			t.Fatalf("AuditLog = %+v, %v; want 3 role changes", log, err)
		}
		if log[2].ActorID != "" || log[1].ActorID != alice.User.ID || log[0].TargetID != alice.User.ID {
			t.Errorf("audit log: %+v", log)
		}
		var d map[string]string
		if err := json.Unmarshal(log[0].Detail, &d); err != nil || d["role"] != "player" || d["was"] != "admin" {
			t.Errorf("audit detail %s (%v)", log[0].Detail, err)
		}
	})
}

func TestDeleteAccount(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		g := f.guest(t, "Ivy")
		a, err := f.svc.Register(ctx, g.User.ID, "ivy", "ivys password", "ivy@example.com", phone)
		if err != nil {
			t.Fatal(err)
		}
		prefs := json.RawMessage(`{"theme":"dark"}`)
		if _, err := f.svc.UpdateProfile(ctx, a.User.ID, account.ProfileChange{Preferences: prefs}); err != nil {
			t.Fatal(err)
		}
		err = f.svc.DeleteAccount(ctx, a.User.ID, "wrong password")
		wantCode(t, "deleting with a wrong password", err, account.CodeBadCredentials)
		if err := f.svc.DeleteAccount(ctx, a.User.ID, "ivys password"); err != nil {
			t.Fatal(err)
		}
		u, err := f.svc.User(ctx, a.User.ID)
		if err != nil {
			t.Fatalf("the deleted user's row must stay for its games: %v", err)
		}
		if u.Username != "" || u.Email != "" || u.Active || u.Guest || u.DeletedAt.IsZero() || string(u.Preferences) != "{}" ||
			u.DisplayName != account.AnonymousName(a.User.ID) || !strings.HasPrefix(u.DisplayName, "Player ") {
			t.Errorf("deleted user: %+v", u)
		}
		raw, err := f.st.User(ctx, a.User.ID)
		if err != nil || raw.PasswordHash != "" {
			t.Errorf("deleted user's stored hash %q, %v; want none", raw.PasswordHash, err)
		}
		_, _, err = f.svc.Authenticate(ctx, string(a.Token))
		wantCode(t, "a deleted user's token", err, account.CodeInvalidSession)
		_, err = f.svc.Login(ctx, "ivy", "ivys password", phone, "")
		wantCode(t, "signing in to a deleted account", err, account.CodeBadCredentials)
		// The username and email are free.
		h := f.guest(t, "New Ivy")
		if again, err := f.svc.Register(ctx, h.User.ID, "Ivy", "another password", "ivy@example.com", phone); err != nil || again.User.ID == a.User.ID {
			t.Errorf("registering the freed name: %+v, %v", again.User, err)
		}
		// A guest deletes itself without a password.
		k := f.guest(t, "Passerby")
		if err := f.svc.DeleteAccount(ctx, k.User.ID, ""); err != nil {
			t.Errorf("a guest deleting itself: %v", err)
		}
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		a := f.registered(t, "judy", "first password")
		other, err := f.svc.Login(ctx, "judy", "first password", phone, "")
		if err != nil {
			t.Fatal(err)
		}
		err = f.svc.ChangePassword(ctx, a.User.ID, a.Session.ID, "not it", "second password")
		wantCode(t, "a wrong current password", err, account.CodeBadCredentials)
		err = f.svc.ChangePassword(ctx, a.User.ID, a.Session.ID, "first password", "short")
		wantCode(t, "a too short new password", err, account.CodeInvalidPassword)
		if err := f.svc.ChangePassword(ctx, a.User.ID, a.Session.ID, "first password", "second password"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Authenticate(ctx, string(a.Token)); err != nil {
			t.Errorf("the session that changed the password: %v", err)
		}
		_, _, err = f.svc.Authenticate(ctx, string(other.Token))
		wantCode(t, "another session after a password change", err, account.CodeInvalidSession)
		_, err = f.svc.Login(ctx, "judy", "first password", phone, "")
		wantCode(t, "the old password", err, account.CodeBadCredentials)
		if _, err := f.svc.Login(ctx, "judy", "second password", phone, ""); err != nil {
			t.Errorf("the new password: %v", err)
		}
		g := f.guest(t, "NoPass")
		err = f.svc.ChangePassword(ctx, g.User.ID, g.Session.ID, "", "some password")
		wantCode(t, "a guest changing a password", err, account.CodeBadCredentials)
	})
}

// TestRehashOnLogin: after the parameters change, the next sign-in
// replaces the old hash, and both old and new verify along the way.
func TestRehashOnLogin(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		a := f.registered(t, "kim", "kims password")
		before, _ := f.st.User(ctx, a.User.ID)
		stronger, err := account.NewHasher(account.Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, 1, -1)
		if err != nil {
			t.Fatal(err)
		}
		svc2, err := account.New(f.st, account.Config{Clock: f.clock.Now, Hasher: stronger})
		if err != nil {
			t.Fatal(err)
		}
		if !stronger.NeedsRehash(before.PasswordHash) {
			t.Fatal("the old hash does not need a rehash under new parameters")
		}
		if _, err := svc2.Login(ctx, "kim", "kims password", phone, ""); err != nil {
			t.Fatalf("login with an old-parameter hash: %v", err)
		}
		after, _ := f.st.User(ctx, a.User.ID)
		if after.PasswordHash == before.PasswordHash || stronger.NeedsRehash(after.PasswordHash) ||
			!strings.HasPrefix(after.PasswordHash, "$argon2id$v=19$m=128,t=2,p=1$") {
			t.Errorf("hash after login: %q (before %q); want rehashed with the new parameters", after.PasswordHash, before.PasswordHash)
		}
		if _, err := f.svc.Login(ctx, "kim", "kims password", phone, ""); err != nil {
			t.Errorf("the old service with the new hash: %v", err)
		}
	})
}

func TestUpdateProfile(t *testing.T) {
	t.Parallel()
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		a := f.registered(t, "lena", "lenas password")
		b := f.registered(t, "max", "maxs password")
		if _, err := f.svc.UpdateProfile(ctx, b.User.ID, account.ProfileChange{Email: ptr("max@example.com")}); err != nil {
			t.Fatal(err)
		}
		u, err := f.svc.UpdateProfile(ctx, a.User.ID, account.ProfileChange{DisplayName: ptr(" Lena L. "),
			Preferences: json.RawMessage(`{"sound":true}`)})
		if err != nil || u.DisplayName != "Lena L." || u.Email != "" {
			t.Errorf("UpdateProfile = %+v, %v", u, err)
		}
		got, _ := f.svc.User(ctx, a.User.ID)
		var p map[string]bool
		if json.Unmarshal(got.Preferences, &p) != nil || !p["sound"] || got.DisplayName != "Lena L." {
			t.Errorf("stored profile: %+v", got)
		}
		_, err = f.svc.UpdateProfile(ctx, a.User.ID, account.ProfileChange{Email: ptr("MAX@example.com")})
		wantCode(t, "a taken email", err, account.CodeEmailTaken)
		_, err = f.svc.UpdateProfile(ctx, a.User.ID, account.ProfileChange{DisplayName: ptr(""), Preferences: json.RawMessage(`[1]`)})
		wantCode(t, "two bad fields", err, account.CodeInvalidInput)
		if after, _ := f.svc.User(ctx, a.User.ID); after.DisplayName != "Lena L." {
			t.Errorf("a refused update changed the name to %q", after.DisplayName)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestTokenNotPrinted(t *testing.T) {
	tok := account.Token("c2VjcmV0LXRva2VuLXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw")
	a := account.Auth{Token: tok}
	for _, s := range []string{
		func() string { b, _ := json.Marshal(a); return string(b) }(),
		strings.Join([]string{tok.String(), tok.GoString()}, " "),
		func() string { return strings.TrimSpace(strings.ReplaceAll(fmtAll(a), "\n", " ")) }(),
	} {
		if strings.Contains(s, string(tok)) {
			t.Errorf("the token leaked: %s", s)
		}
	}
}

// fmtAll prints v every way a log line might.
func fmtAll(v account.Auth) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v %+v %#v %s", v, v, v, v.Token)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("auth", "auth", v, "token", v.Token)
	slog.New(slog.NewTextHandler(&b, nil)).Info("auth", "auth", v, "token", v.Token)
	return b.String()
}

func TestStandingAndAdminActions(t *testing.T) {
	eachBackend(t, account.Config{}, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.registered(t, "warden", "warden's password")
		if err := f.svc.SetRoleAsOperator(ctx, "warden", account.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		p := f.registered(t, "inmate", "inmate's password")
		if err := f.svc.Standing(ctx, p.User.ID); err != nil {
			t.Errorf("standing of a player: %v", err)
		}
		if _, err := f.svc.Ban(ctx, admin.User.ID, p.User.ID, "cheating", time.Hour); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "standing while banned", f.svc.Standing(ctx, p.User.ID), account.CodeBanned)
		f.clock.Advance(time.Hour)
		if err := f.svc.Standing(ctx, p.User.ID); err != nil {
			t.Errorf("standing after the ban: %v", err)
		}
		// A guest linked into an account stands as the account does.
		g := f.guest(t, "Phone")
		if _, err := f.svc.Login(ctx, "inmate", "inmate's password", phone, g.User.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Standing(ctx, g.User.ID); err != nil {
			t.Errorf("standing of a linked guest: %v", err)
		}
		if _, err := f.svc.Ban(ctx, admin.User.ID, p.User.ID, "again", 0); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "linked guest of a banned account", f.svc.Standing(ctx, g.User.ID), account.CodeBanned)
		wantCode(t, "unknown user", f.svc.Standing(ctx, "00000000-0000-4000-8000-000000000000"), account.CodeUserNotFound)

		wantCode(t, "player CheckAdmin", f.svc.CheckAdmin(ctx, p.User.ID), account.CodeForbidden)
		if err := f.svc.CheckAdmin(ctx, admin.User.ID); err != nil {
			t.Errorf("CheckAdmin: %v", err)
		}
		wantCode(t, "player RecordAction", f.svc.RecordAction(ctx, p.User.ID, account.ActionEndGame, nil), account.CodeForbidden)
		if err := f.svc.RecordAction(ctx, admin.User.ID, account.ActionEndGame, map[string]any{"game_id": "g"}); err != nil {
			t.Fatal(err)
		}
		es, err := f.svc.AuditLog(ctx, admin.User.ID, account.AuditQuery{Limit: 1})
		if err != nil || len(es) != 1 || es[0].Action != account.ActionEndGame || es[0].TargetID != "" {
			t.Errorf("audit: %+v, %v", es, err)
		}
	})
}
