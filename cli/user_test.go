package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golf/account"
	"golf/store/sqlite"
)

func TestUserCreateAndRole(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "GOLF_DATA_DIR" {
			return dir
		}
		return ""
	}
	ctx := context.Background()
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := user(ctx, args, strings.NewReader(stdin), getenv, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, out, errOut := run("the first admin's pw\n", "create", "--admin", "Alice"); code != 0 || !strings.Contains(out, "created Alice (admin)") {
		t.Fatalf("create: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run("another pw here\n", "create", "alice"); code != 1 || !strings.Contains(errOut, "taken") {
		t.Errorf("create a taken name: %d %q", code, errOut)
	}
	if code, _, errOut := run("short\n", "create", "bob"); code != 2 || !strings.Contains(errOut, "password") {
		t.Errorf("short password: %d %q", code, errOut)
	}
	if code, _, errOut := run("", "create", "bob"); code != 2 || !strings.Contains(errOut, "no password") {
		t.Errorf("no password: %d %q", code, errOut)
	}
	if code, _, _ := run("", "create", "--password", "x", "bob"); code != 2 {
		t.Errorf("a password flag is not a thing: %d", code)
	}
	if code, _, errOut := run("", "role", "alice", "player"); code != 1 || !strings.Contains(errOut, "at least one admin") {
		t.Errorf("demote the last admin: %d %q", code, errOut)
	}
	if code, _, _ := run("bob's password\n", "create", "bob"); code != 0 {
		t.Fatalf("create bob: %d", code)
	}
	if code, out, _ := run("", "role", "bob", "admin"); code != 0 || !strings.Contains(out, "bob is now admin") {
		t.Errorf("promote: %d %q", code, out)
	}

	st, err := sqlite.Open(ctx, filepath.Join(dir, "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := account.New(st, account.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Login(ctx, "alice", "the first admin's pw", account.Device{}, "")
	if err != nil || !a.User.IsAdmin() || a.User.Username != "Alice" {
		t.Fatalf("alice: %+v, %v", a.User, err)
	}
	// The operator's user has no session of its own but the one just opened.
	if ss, err := svc.Sessions(ctx, a.User.ID, ""); err != nil || len(ss) != 1 {
		t.Errorf("sessions: %d, %v", len(ss), err)
	}
}

func TestBootstrapAdmin(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "golf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := account.New(st, account.Config{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pwFile := filepath.Join(dir, "admin-password")
	if err := os.WriteFile(pwFile, []byte("bootstrap password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := accountsConfig{adminUser: "ops"}
	if err := bootstrapAdmin(ctx, svc, cfg, log); err == nil {
		t.Error("a bootstrap user with no password file was accepted")
	}
	cfg.adminPasswordFile = pwFile
	for range 2 { // the second start finds it there and changes nothing
		if err := bootstrapAdmin(ctx, svc, cfg, log); err != nil {
			t.Fatal(err)
		}
	}
	a, err := svc.Login(ctx, "ops", "bootstrap password", account.Device{}, "")
	if err != nil || !a.User.IsAdmin() {
		t.Fatalf("ops: %+v, %v", a.User, err)
	}
	os.WriteFile(pwFile, []byte("a changed password\n"), 0o600)
	if err := bootstrapAdmin(ctx, svc, cfg, log); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Login(ctx, "ops", "a changed password", account.Device{}, ""); !errors.Is(err, account.ErrBadCredentials) {
		t.Errorf("the bootstrap changed an existing user's password: %v", err)
	}
}
