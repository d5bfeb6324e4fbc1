package backup

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLocate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url, dataDir string
		want         Database
		err          bool
	}{
		{"", "", Database{Path: filepath.Join("data", "golf.db")}, false},
		{"", "/srv/golf", Database{Path: "/srv/golf/golf.db"}, false},
		{"sqlite:/tmp/x.db", "/srv/golf", Database{Path: "/tmp/x.db"}, false},
		{"sqlite:", "d", Database{Path: filepath.Join("d", "golf.db")}, false},
		{"postgres://u:pw@db:5432/golf?sslmode=require", "", Database{URL: "postgres://u:pw@db:5432/golf?sslmode=require"}, false},
		{"postgresql://db/golf", "", Database{URL: "postgresql://db/golf"}, false},
		{"mysql://db/golf", "", Database{}, true},
		{"sqlite:/tmp/x.db?mode=ro", "", Database{}, true},
		{"postgres://db:notaport/golf", "", Database{}, true},
	}
	for _, tt := range tests {
		got, err := Locate(tt.url, tt.dataDir)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("Locate(%q, %q) = %+v, %v; want %+v, error %v", tt.url, tt.dataDir, got, err, tt.want, tt.err)
		}
	}
	d, _ := Locate("postgres://golf:hunter2@db:5432/golf", "")
	if s := d.String(); strings.Contains(s, "hunter2") || !strings.Contains(s, `"golf" on db:5432`) {
		t.Errorf("String() = %q: want the database and host, never the password", s)
	}
}

func TestName(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	if got := Name(at, ".dump"); got != "golf-20260304T040607Z.dump" {
		t.Errorf("Name = %q", got)
	}
	if !backupName.MatchString(Name(at, ".db")) {
		t.Error("List would not recognize Name's own names")
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	touch := func(name string, age time.Duration) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		os.Chtimes(p, at, at)
	}
	for _, n := range []string{
		"golf-20260101T000000Z.db", "golf-20260102T000000Z.dump", "golf-20260103T000000Z.db",
		"golf-20260104T000000Z.db", "notes.txt", "golf-latest.db", "golf-20260101T000000Z.db.bak",
	} {
		touch(n, 0)
	}
	touch(".golf-golf-20250101T000000Z.db-abc.tmp", 48*time.Hour) // a killed backup's
	touch(".golf-golf-20260105T000000Z.db-def.tmp", time.Minute)  // one being written

	removed, err := Prune(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range removed {
		removed[i] = filepath.Base(removed[i])
	}
	want := []string{"golf-20260101T000000Z.db", "golf-20260102T000000Z.dump", ".golf-golf-20250101T000000Z.db-abc.tmp"}
	if !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	left, _ := os.ReadDir(dir)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	wantLeft := []string{".golf-golf-20260105T000000Z.db-def.tmp", "golf-20260101T000000Z.db.bak",
		"golf-20260103T000000Z.db", "golf-20260104T000000Z.db", "golf-latest.db", "notes.txt"}
	if !slices.Equal(names, wantLeft) {
		t.Errorf("left %q, want %q", names, wantLeft)
	}
	if removed, err := Prune(dir, 0); err != nil || len(removed) != 0 {
		t.Errorf("Prune(keep 0) removed %q, %v: want nothing", removed, err)
	}
}

func TestLibpqURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, password string
	}{
		{"postgres://golf:s3cr%40t@db:5432/golf?sslmode=require", "postgres://golf@db:5432/golf?sslmode=require", "s3cr@t"},
		{"postgres://db/golf", "postgres://db/golf", ""},
		{"postgres://u@db/golf?pool_max_conns=8&statement_cache_capacity=0&connect_timeout=5",
			"postgres://u@db/golf?connect_timeout=5", ""},
		{"postgres://u@db/golf?search_path=golf_a&application_name=x",
			"postgres://u@db/golf?application_name=x&options=-c+search_path%3Dgolf_a", ""},
		{"postgres://u@db/golf?options=-c+work_mem%3D64MB&search_path=a+b",
			"postgres://u@db/golf?options=-c+work_mem%3D64MB+-c+search_path%3Da%5C+b", ""},
	}
	for _, tt := range tests {
		got, pw, err := libpqURL(tt.in)
		if err != nil || got != tt.want || pw != tt.password {
			t.Errorf("libpqURL(%q) = %q, %q, %v; want %q, %q", tt.in, got, pw, err, tt.want, tt.password)
		}
	}
	_, _, err := libpqURL("postgres://u:hunter2@db:x:y/golf")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("a bad URL: error %v; want one without the password", err)
	}
}

func TestToolMajor(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{
		"pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n": 15,
		"pg_restore (PostgreSQL) 16.4\n":                        16,
		"pg_dump (PostgreSQL) 17beta1\n":                        17,
	} {
		if got, ok := toolMajor(in); !ok || got != want {
			t.Errorf("toolMajor(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	if _, ok := toolMajor("pg_dump 9"); ok {
		t.Error("toolMajor accepted a line without (PostgreSQL)")
	}
}
