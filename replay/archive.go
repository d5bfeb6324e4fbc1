package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FileName is the download name of a game's export: golf-<code>-<date>.json,
// the date the game completed (UTC).
func FileName(d *Document) string {
	code := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, d.Game.RoomCode)
	if code == "" {
		code = "game"
	}
	return fmt.Sprintf("golf-%s-%s.json", code, d.Game.CompletedAt.UTC().Format("2006-01-02"))
}

// Encode writes d as the export file's bytes: indented JSON, one trailing
// newline.
func Encode(d *Document) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("replay: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// Archived is one game the archive wrote and removed.
type Archived struct {
	ID   string
	File string
}

// Archive writes every game that ended before before to an export file in
// dir (golf-<code>-<date>-<id>.json), reads the file back and checks that
// it folds to the same final state as the stored log, and only then removes
// the game's events (its row stays, marked archived). It stops at the
// first error, having archived what it reports.
func (s *Service) Archive(ctx context.Context, before time.Time, dir string) ([]Archived, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	var done []Archived
	for {
		ids, err := s.st.ArchivableGames(ctx, before, 100)
		if err != nil {
			return done, fmt.Errorf("archive: %w", err)
		}
		if len(ids) == 0 {
			return done, nil
		}
		for _, id := range ids {
			a, err := s.archiveOne(ctx, id, dir)
			if err != nil {
				return done, fmt.Errorf("archive: game %s: %w", id, err)
			}
			done = append(done, a)
		}
	}
}

func (s *Service) archiveOne(ctx context.Context, id, dir string) (Archived, error) {
	g, err := s.st.Game(ctx, id)
	if err != nil {
		return Archived{}, err
	}
	recs, err := s.st.Load(ctx, id)
	if err != nil {
		return Archived{}, err
	}
	doc, err := Build(g, recs)
	if err != nil {
		return Archived{}, err
	}
	b, err := Encode(doc)
	if err != nil {
		return Archived{}, err
	}
	path := filepath.Join(dir, strings.TrimSuffix(FileName(doc), ".json")+"-"+id+".json")
	if err := writeFileSync(path, b); err != nil {
		return Archived{}, err
	}
	// Read back what is on disk, not what was meant to be written.
	onDisk, err := os.ReadFile(path)
	if err != nil {
		return Archived{}, err
	}
	c, err := Decode(onDisk)
	if err != nil {
		return Archived{}, fmt.Errorf("the written file does not fold: %w", err)
	}
	stored, err := Build(g, recs) // the log folded again, independently of the file
	if err != nil {
		return Archived{}, err
	}
	if err := sameFinal(c, stored); err != nil {
		return Archived{}, err
	}
	if err := s.st.ArchiveGame(ctx, id, s.now()); err != nil {
		return Archived{}, err
	}
	return Archived{ID: id, File: path}, nil
}

// sameFinal compares the state a file folds to with the stored log's.
func sameFinal(c *Checked, stored *Document) error {
	a, err := c.State.Snapshot()
	if err != nil {
		return err
	}
	sc, err := Decode(mustEncode(stored))
	if err != nil {
		return fmt.Errorf("the stored log does not fold: %w", err)
	}
	b, err := sc.State.Snapshot()
	if err != nil {
		return err
	}
	if !bytes.Equal(a, b) || len(c.Events) != len(sc.Events) {
		return fmt.Errorf("the file folds to a different final state than the stored log")
	}
	return nil
}

func mustEncode(d *Document) []byte {
	b, _ := Encode(d)
	return b
}

// writeFileSync writes a file and syncs it (and its directory) before the
// events it holds are removed from the store.
func writeFileSync(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
