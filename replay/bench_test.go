package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"golf/store"
	"golf/store/sqlite"
)

// The longest game: 9 rounds, 6 players (docs/BENCHMARKS.md, "Replay").

func BenchmarkExport9x6(b *testing.B) {
	doc := fixedDoc(b, 42, 6, 9)
	recs := make([]store.Record, len(doc.Events))
	for i, e := range doc.Events {
		recs[i] = store.Record{GameID: doc.Game.ID, Seq: e.Seq, At: e.At, Data: e.Event}
	}
	row := store.Game{ID: doc.Game.ID, Status: "completed", CreatedAt: doc.Game.CreatedAt, CompletedAt: doc.Game.CompletedAt}
	var size int
	for b.Loop() {
		d, err := Build(row, recs)
		if err != nil {
			b.Fatal(err)
		}
		out, err := Encode(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "file-bytes")
	b.ReportMetric(float64(len(recs)), "events")
}

func BenchmarkImportCheck9x6(b *testing.B) {
	file := encoded(b, fixedDoc(b, 42, 6, 9))
	for b.Loop() {
		if _, err := Decode(file); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServeReplay9x6 is GET /api/games/{id}/replay's work: load the
// log from SQLite, fold it, a view per event, JSON, gzip.
func BenchmarkServeReplay9x6(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "golf.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	id := store.NewGameID()
	var n int64
	for _, g := range play(b, 42, 6, 9) {
		if err := st.Append(ctx, id, n, g); err != nil {
			b.Fatal(err)
		}
		n += int64(len(g))
	}
	svc := New(st, nil)
	var raw, zipped int
	for b.Loop() {
		r, err := svc.Replay(ctx, id, Open, Viewer{})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if err := r.WriteJSON(zw); err != nil {
			b.Fatal(err)
		}
		zw.Close()
		zipped = buf.Len()
		if raw == 0 {
			j, _ := json.Marshal(r)
			raw = len(j)
		}
	}
	b.ReportMetric(float64(raw), "json-bytes")
	b.ReportMetric(float64(zipped), "gzip-bytes")
}
