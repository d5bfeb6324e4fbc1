package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"

	"golf/store"
	"golf/store/postgres"
	"golf/store/sqlite"
)

// database is an open store as the store commands see it.
type database interface {
	store.Store
	Version(ctx context.Context) (int64, error)
}

// databaseFlag adds --database-url. Its default is $DATABASE_URL; empty
// means the embedded SQLite file $GOLF_DATA_DIR/golf.db (./data/golf.db).
func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database-url", os.Getenv("DATABASE_URL"),
		"postgres://… for PostgreSQL, or sqlite:PATH; empty: the SQLite file in $GOLF_DATA_DIR (default ./data)")
}

// openDatabase opens (and so migrates) the store that url names, and
// describes it without credentials.
func openDatabase(ctx context.Context, url string) (database, string, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			return nil, "", fmt.Errorf("database url: %w", err)
		}
		desc := fmt.Sprintf("PostgreSQL database %q on %s:%d", cfg.Database, cfg.Host, cfg.Port)
		s, err := postgres.Open(ctx, url)
		return s, desc, err
	case strings.HasPrefix(url, "sqlite:"), url == "":
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			dir := os.Getenv("GOLF_DATA_DIR")
			if dir == "" {
				dir = "data"
			}
			path = filepath.Join(dir, "golf.db")
		}
		s, err := sqlite.Open(ctx, path)
		return s, "SQLite database " + path, err
	}
	return nil, "", fmt.Errorf("database url %.20q…: want postgres://… or sqlite:PATH", url)
}

// runMigrate applies pending migrations and prints the schema version.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf migrate [--database-url URL]")
		fmt.Fprintln(stderr, "\nApplies pending schema migrations and prints the schema version.")
		fs.PrintDefaults()
	}
	url := databaseFlag(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	db, desc, err := openDatabase(ctx, *url)
	if err != nil {
		fmt.Fprintf(stderr, "golf migrate: %v\n", err)
		return 1
	}
	defer db.Close()
	v, err := db.Version(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "golf migrate: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: schema version %d\n", desc, v)
	return 0
}
