package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golf/replay"
	"golf/store"
)

// The replay commands (docs/replay.md): golf export, golf import, golf
// archive. Each opens the database golf serve uses.

func replayCommands() []command {
	return []command{
		{"export", "write a finished game's export file (golf export ID [--out FILE])", runExport},
		{"import", "import export files as new games, or restore archived ones", runImport},
		{"archive", "write old finished games to files and remove their events", runArchive},
	}
}

// openReplays opens the database and the replay service over it.
func openReplays(ctx context.Context, url string) (*replay.Service, database, error) {
	db, _, err := openDatabase(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	rs, ok := db.(replay.Store)
	if !ok {
		db.Close()
		return nil, nil, fmt.Errorf("the %T store keeps no replays", db)
	}
	return replay.New(rs, nil), db, nil
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf export [--out FILE] [--database-url URL] GAME_ID")
		fmt.Fprintln(stderr, "\nWrites a finished game's export file (docs/replay.md) to FILE, or to standard output.")
		fs.PrintDefaults()
	}
	url := databaseFlag(fs)
	out := fs.String("out", "", "the file to write; empty: standard output")
	if err := parseInterleaved(fs, args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	svc, db, err := openReplays(ctx, *url)
	if err != nil {
		fmt.Fprintf(stderr, "golf export: %v\n", err)
		return 1
	}
	defer db.Close()
	// The operator sees every game, private ones included.
	doc, err := svc.Export(ctx, fs.Arg(0), replay.Viewer{Admin: true})
	if err != nil {
		fmt.Fprintf(stderr, "golf export: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	b, err := replay.Encode(doc)
	if err != nil {
		fmt.Fprintf(stderr, "golf export: %v\n", err)
		return 1
	}
	if *out == "" {
		stdout.Write(b)
		return 0
	}
	if err := os.WriteFile(*out, b, 0o640); err != nil {
		fmt.Fprintf(stderr, "golf export: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (%d events, %d bytes)\n", *out, len(doc.Events), len(b))
	return 0
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf import [--owner USERNAME] [--database-url URL] FILE...")
		fmt.Fprintln(stderr, "\nChecks each export file by folding its events through the engine. A game the")
		fmt.Fprintln(stderr, "archive removed comes back under its own id; any other file becomes a new game,")
		fmt.Fprintln(stderr, "marked imported and private (to --owner, else to admins only), never counted in")
		fmt.Fprintln(stderr, "the statistics. A refused file stores nothing; the others go on.")
		fs.PrintDefaults()
	}
	url := databaseFlag(fs)
	owner := fs.String("owner", "", "the registered user the imported games belong to")
	if err := parseInterleaved(fs, args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	svc, db, err := openReplays(ctx, *url)
	if err != nil {
		fmt.Fprintf(stderr, "golf import: %v\n", err)
		return 1
	}
	defer db.Close()
	var v replay.Viewer
	if *owner != "" {
		as, ok := db.(store.Accounts)
		if !ok {
			fmt.Fprintln(stderr, "golf import: this store keeps no accounts")
			return 1
		}
		u, err := as.UserByUsername(ctx, *owner)
		if err != nil {
			fmt.Fprintf(stderr, "golf import: user %q: %v\n", *owner, err)
			return 1
		}
		v.ID = u.ID
	}
	failed := 0
	for _, path := range fs.Args() {
		msg, err := importFile(ctx, svc, path, v)
		if err != nil {
			fmt.Fprintf(stderr, "golf import: %s: %v\n", path, err)
			failed++
			continue
		}
		fmt.Fprintf(stdout, "%s: %s\n", path, msg)
	}
	if failed > 0 {
		return 1
	}
	return 0
}

func importFile(ctx context.Context, svc *replay.Service, path string, v replay.Viewer) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	c, err := replay.Read(f)
	if err != nil {
		return "", err
	}
	if svc.Archived(ctx, c.Doc.Game.ID) {
		inf, err := svc.Restore(ctx, c)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("restored game %s (%d events)", inf.ID, len(c.Events)), nil
	}
	inf, err := svc.Import(ctx, c, v)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("imported as game %s (%d events)", inf.ID, len(c.Events)), nil
}

func runArchive(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf archive --older-than AGE --to DIR [--database-url URL]")
		fmt.Fprintln(stderr, "\nWrites every game that ended more than AGE ago (90d, 36h…) to an export file in")
		fmt.Fprintln(stderr, "DIR, checks the file folds to the same final state as the stored events, then")
		fmt.Fprintln(stderr, "removes the game's events (its row stays). golf import FILE brings one back.")
		fs.PrintDefaults()
	}
	url := databaseFlag(fs)
	older := fs.String("older-than", "", "the age of the games to archive: 90d, 36h, 30m")
	dir := fs.String("to", "", "the directory the export files are written to")
	if err := parseInterleaved(fs, args); err != nil {
		return 2
	}
	age, err := parseAge(*older)
	if fs.NArg() > 0 || *dir == "" || err != nil {
		if err != nil {
			fmt.Fprintf(stderr, "golf archive: --older-than: %v\n", err)
		}
		fs.Usage()
		return 2
	}
	svc, db, err := openReplays(ctx, *url)
	if err != nil {
		fmt.Fprintf(stderr, "golf archive: %v\n", err)
		return 1
	}
	defer db.Close()
	done, err := svc.Archive(ctx, time.Now().Add(-age), *dir)
	for _, a := range done {
		fmt.Fprintf(stdout, "archived %s to %s\n", a.ID, filepath.Base(a.File))
	}
	if err != nil {
		fmt.Fprintf(stderr, "golf archive: %v (archived %d games before it)\n", err, len(done))
		return 1
	}
	fmt.Fprintf(stdout, "archived %d games to %s\n", len(done), *dir)
	return 0
}

// parseAge reads 90d (days) or any time.ParseDuration form; it must be
// positive.
func parseAge(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("required")
	}
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		days, err = strconv.Atoi(n)
		d = time.Duration(days) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q: want a positive age such as 90d or 36h", s)
	}
	return d, nil
}

// parseInterleaved parses flags given before or after the arguments
// (golf export ID --out FILE reads as well as golf export --out FILE ID).
func parseInterleaved(fs *flag.FlagSet, args []string) error {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, rest...))
}
