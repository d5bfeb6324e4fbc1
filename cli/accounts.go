package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"golf/account"
	"golf/store"
)

// accountsConfig is what golf serve reads for accounts (docs/operations.md).
type accountsConfig struct {
	service account.Config
	// purgeKeep is how long ended sessions are kept before the periodic
	// purge deletes them; purgeEvery how often it runs.
	purgeKeep, purgeEvery time.Duration
	// adminUser and adminPasswordFile bootstrap the first admin: at start,
	// if no user holds adminUser, it is created with the password in the
	// file and made an admin (GOLF_ADMIN_USER, GOLF_ADMIN_PASSWORD_FILE).
	adminUser, adminPasswordFile string
}

func defaultAccountsConfig() accountsConfig {
	return accountsConfig{purgeKeep: 7 * 24 * time.Hour, purgeEvery: time.Hour}
}

// openAccounts builds the account service over the store's accounts
// tables (both backends keep them beside the games).
func openAccounts(st store.Store, cfg account.Config) (*account.Service, error) {
	as, ok := st.(store.Accounts)
	if !ok {
		return nil, fmt.Errorf("the %T store keeps no accounts", st)
	}
	return account.New(as, cfg)
}

// purgeSessions deletes long-ended sessions every interval until ctx ends.
func purgeSessions(ctx context.Context, svc *account.Service, keep, every time.Duration, log *slog.Logger) {
	tk := time.NewTicker(every)
	defer tk.Stop()
	for {
		n, err := svc.PurgeSessions(ctx, keep)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("session purge failed", "err", err)
		case n > 0:
			log.Info("ended sessions purged", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tk.C:
		}
	}
}

// bootstrapAdmin makes the first admin from GOLF_ADMIN_USER and the
// password in GOLF_ADMIN_PASSWORD_FILE (a secret file, never a variable:
// environments leak into process listings and crash reports). It does
// nothing if a user already holds the name, so it is safe to leave set.
func bootstrapAdmin(ctx context.Context, svc *account.Service, cfg accountsConfig, log *slog.Logger) error {
	if cfg.adminUser == "" {
		return nil
	}
	if cfg.adminPasswordFile == "" {
		return errors.New("GOLF_ADMIN_USER is set: set GOLF_ADMIN_PASSWORD_FILE to a file holding the password")
	}
	b, err := os.ReadFile(cfg.adminPasswordFile)
	if err != nil {
		return fmt.Errorf("GOLF_ADMIN_PASSWORD_FILE: %w", err)
	}
	created, err := createUser(ctx, svc, cfg.adminUser, strings.TrimRight(string(b), "\r\n"), true)
	if err != nil {
		return fmt.Errorf("bootstrap admin %q: %w", cfg.adminUser, err)
	}
	if created {
		log.Info("admin created", "username", cfg.adminUser)
	}
	return nil
}

// createUser registers username with password (a guest made and
// registered at once, its sessions then revoked: an operator's user has
// none), and makes it an admin if admin. It reports false, and changes
// nothing, if the username is taken.
func createUser(ctx context.Context, svc *account.Service, username, password string, admin bool) (bool, error) {
	if err := account.CheckUsername(username); err != nil {
		return false, err
	}
	if err := account.CheckPassword(password, username); err != nil {
		return false, err
	}
	g, err := svc.NewGuest(ctx, username, account.Device{})
	if err != nil {
		return false, err
	}
	a, err := svc.Register(ctx, g.User.ID, username, password, "", account.Device{})
	if errors.Is(err, account.ErrUsernameTaken) {
		svc.DeleteAccount(ctx, g.User.ID, "")
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := svc.LogoutAll(ctx, a.User.ID); err != nil {
		return true, err
	}
	if admin {
		if err := svc.SetRoleAsOperator(ctx, username, account.RoleAdmin); err != nil {
			return true, err
		}
	}
	return true, nil
}
