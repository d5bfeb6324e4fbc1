package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"golf/backup"
)

// dataDirFlag adds --data-dir, where the SQLite file is when no database
// URL names one: $GOLF_DATA_DIR, as for golf serve.
func dataDirFlag(fs *flag.FlagSet) *string {
	return fs.String("data-dir", envOr("GOLF_DATA_DIR", "./data"), "the SQLite file's directory when the database URL is empty")
}

func backupCommand() command {
	return command{"backup", "write a consistent backup of the database while the servers run", runBackup}
}

func restoreCommand() command {
	return command{"restore", "restore a backup into a new database, then verify it", runRestore}
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf backup --to DIR [--keep N] [--every DURATION] [--database-url URL] [--data-dir DIR]")
		fmt.Fprintln(stderr, "\nWrites DIR/golf-YYYYMMDDTHHMMSSZ.db (SQLite) or .dump (PostgreSQL, with pg_dump), a")
		fmt.Fprintln(stderr, "consistent snapshot taken while the servers go on writing, then deletes all but the")
		fmt.Fprintln(stderr, "newest N backups. With --every it repeats until stopped.")
		fs.PrintDefaults()
	}
	url := databaseFlag(fs)
	dataDir := dataDirFlag(fs)
	to := fs.String("to", "", "the directory to write the backup to (required)")
	keep := fs.Int("keep", 0, "how many backups to keep in the directory, this one included; 0 keeps all")
	every := fs.Duration("every", 0, "take a backup now and then at this interval until stopped (e.g. 24h); 0: once")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *to == "" || *keep < 0 || *every < 0 {
		fs.Usage()
		return 2
	}
	db, err := backup.Locate(*url, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "golf backup: %v\n", err)
		return 1
	}
	once := func() error {
		r, err := backup.Create(ctx, db, *to, backup.Options{Keep: *keep})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d games, %d events backed up to %s (%d bytes) in %v\n",
			db, r.Games, r.Events, r.File, r.Size, r.Took.Round(time.Millisecond))
		for _, p := range r.Removed {
			fmt.Fprintf(stdout, "removed %s\n", p)
		}
		return nil
	}
	if *every == 0 {
		if err := once(); err != nil {
			fmt.Fprintf(stderr, "golf backup: %v\n", err)
			return 1
		}
		return 0
	}
	// Scheduled: a failed backup is logged and the next one tried on time;
	// a container restart policy would otherwise hammer the database.
	log := slog.New(slog.NewTextHandler(stderr, nil))
	log.Info("backups scheduled", "every", *every, "to", *to, "keep", *keep, "store", db.String())
	t := time.NewTicker(*every)
	defer t.Stop()
	for {
		if err := once(); err != nil && ctx.Err() == nil {
			log.Error("backup failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return 0
		case <-t.C:
		}
	}
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf restore [--database-url URL] [--data-dir DIR] FILE")
		fmt.Fprintln(stderr, "\nRestores a backup made by golf backup into a new database: a SQLite file that does")
		fmt.Fprintln(stderr, "not exist yet, or an empty PostgreSQL database (create it first; needs pg_restore),")
		fmt.Fprintln(stderr, "then checks every game as golf verify does. Exits 1 if either fails.")
		fs.PrintDefaults()
	}
	url := databaseFlag(fs)
	dataDir := dataDirFlag(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	db, err := backup.Locate(*url, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "golf restore: %v\n", err)
		return 1
	}
	r, err := backup.Restore(ctx, db, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "golf restore: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %d games, %d events restored from %s in %v\n",
		db, r.Games, r.Events, r.File, r.Took.Round(time.Millisecond))
	target := db.URL
	if !db.Postgres() {
		target = "sqlite:" + db.Path
	}
	return runVerify(ctx, []string{"--database-url", target, "--redis-url", ""}, stdout, stderr)
}
