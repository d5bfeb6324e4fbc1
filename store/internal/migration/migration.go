// Package migration reads a backend's numbered SQL migrations. Each backend
// applies them itself, all pending ones in one transaction under its own
// lock, and records each in schema_migrations.
package migration

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
)

// Migration is one numbered SQL file, e.g. 00001_events.sql.
type Migration struct {
	Version int64
	Name    string // the file name
	SQL     string
}

var fileName = regexp.MustCompile(`^([0-9]{5})_[a-z0-9_]+\.sql$`)

// Load reads every *.sql file at the root of fsys. Names must be
// NNNNN_words.sql and the numbers must run 1, 2, 3… without gaps, so two
// branches that both add migration 3 fail loudly instead of skipping one.
func Load(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []Migration
	for _, name := range names {
		m := fileName.FindStringSubmatch(path.Base(name))
		if m == nil {
			return nil, fmt.Errorf("migration %s: name is not NNNNN_words.sql", name)
		}
		v, _ := strconv.ParseInt(m[1], 10, 64)
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return int(a.Version - b.Version) })
	for i, m := range ms {
		if m.Version != int64(i+1) {
			return nil, fmt.Errorf("migration %s: expected version %d (numbers must run 1, 2, 3… without gaps or repeats)", m.Name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migrations found")
	}
	return ms, nil
}

// Check compares what a database says it applied with the known
// migrations: a recorded version must carry the same file name. Versions
// beyond the known ones are allowed (a newer binary migrated the database
// during a rolling upgrade; migrations only ever add).
func Check(known []Migration, applied map[int64]string) error {
	for _, m := range known {
		if name, ok := applied[m.Version]; ok && name != m.Name {
			return fmt.Errorf("schema_migrations: version %d was applied as %s, this binary knows it as %s", m.Version, name, m.Name)
		}
	}
	return nil
}
