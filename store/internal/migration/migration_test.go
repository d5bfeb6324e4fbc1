package migration

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		want    []int64
		wantErr string
	}{
		{"ordered", fstest.MapFS{"00002_b.sql": file("B"), "00001_a.sql": file("A")}, []int64{1, 2}, ""},
		{"gap", fstest.MapFS{"00001_a.sql": file("A"), "00003_c.sql": file("C")}, nil, "expected version 2"},
		{"repeat", fstest.MapFS{"00001_a.sql": file("A"), "00001_b.sql": file("B")}, nil, "expected version 2"},
		{"bad name", fstest.MapFS{"1_a.sql": file("A")}, nil, "NNNNN_words.sql"},
		{"empty", fstest.MapFS{}, nil, "no migrations"},
		{"not from zero", fstest.MapFS{"00000_a.sql": file("A")}, nil, "expected version 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Load(tt.fsys)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load: err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, m := range ms {
				got = append(got, m.Version)
			}
			if len(got) != len(tt.want) || got[0] != tt.want[0] || got[len(got)-1] != tt.want[len(tt.want)-1] {
				t.Fatalf("versions = %v, want %v", got, tt.want)
			}
			if ms[0].SQL != "A" {
				t.Errorf("first migration SQL = %q, want A", ms[0].SQL)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	known := []Migration{{Version: 1, Name: "00001_a.sql"}, {Version: 2, Name: "00002_b.sql"}}
	if err := Check(known, map[int64]string{1: "00001_a.sql", 3: "00003_new.sql"}); err != nil {
		t.Errorf("newer version recorded: %v, want nil", err)
	}
	if err := Check(known, map[int64]string{1: "00001_other.sql"}); err == nil {
		t.Error("renamed migration: nil error, want one")
	}
}
