package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golf/backup"
)

func TestBackupAndRestoreSQLite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "sqlite:" + filepath.Join(dir, "golf.db")
	seed(t, src)
	out := filepath.Join(dir, "backups")
	code, stdout, stderr := run(t, "backup", "--to", out, "--keep", "2", "--database-url", src)
	if code != 0 || !strings.Contains(stdout, "2 games") {
		t.Fatalf("backup: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	names, err := backup.List(out)
	if err != nil || len(names) != 1 {
		t.Fatalf("backups %q, %v: want one", names, err)
	}
	file := filepath.Join(out, names[0])

	dst := filepath.Join(dir, "restored", "golf.db")
	code, stdout, stderr = run(t, "restore", "--database-url", "sqlite:"+dst, file)
	if code != 0 || !strings.Contains(stdout, "2 games") || !strings.Contains(stdout, "0 failed") {
		t.Fatalf("restore: exit %d, stdout %q, stderr %q; want it restored and verified", code, stdout, stderr)
	}
	verifyClean(t, "sqlite:"+dst)

	// --data-dir names the default file, as GOLF_DATA_DIR does for serve.
	other := filepath.Join(dir, "other")
	code, _, stderr = run(t, "restore", "--database-url", "", "--data-dir", other, file)
	if code != 0 {
		t.Fatalf("restore --data-dir: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(other, "golf.db")); err != nil {
		t.Fatal(err)
	}
}

func TestBackupBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "sqlite:" + filepath.Join(dir, "golf.db")
	seed(t, src)
	names := []string{"golf-20260101T000000Z.db"}
	os.WriteFile(filepath.Join(dir, names[0]), []byte("not a database"), 0o600)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"backup", "--database-url", src}, 2, "Usage: golf backup"},
		{[]string{"backup", "--to", dir, "--keep", "-1", "--database-url", src}, 2, "Usage: golf backup"},
		{[]string{"backup", "--to", dir, "--database-url", "mysql://x"}, 1, "want postgres://"},
		{[]string{"backup", "--to", dir, "--database-url", "sqlite:" + filepath.Join(dir, "none.db")}, 1, "no such file"},
		{[]string{"restore", "--database-url", src}, 2, "Usage: golf restore"},
		{[]string{"restore", "--database-url", src, filepath.Join(dir, names[0])}, 1, "not a SQLite database"},
		{[]string{"restore", "--database-url", "sqlite:" + filepath.Join(dir, "new.db"), filepath.Join(dir, "nope.db")}, 1, "no such file"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "new.db")); !os.IsNotExist(err) {
		t.Error("a failed restore created the target")
	}
}

func TestBackupEvery(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "sqlite:" + filepath.Join(dir, "golf.db")
	seed(t, src)
	out := filepath.Join(dir, "backups")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var stdout, stderr bytes.Buffer
	go func() {
		// A new backup each second: each one needs its own name.
		done <- Run(ctx, []string{"backup", "--to", out, "--keep", "2", "--every", "1s", "--database-url", src}, &stdout, &stderr)
	}()
	deadline := time.Now().Add(time.Minute)
	for {
		names, _ := backup.List(out)
		if len(names) >= 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if names, _ := backup.List(out); len(names) != 2 {
		t.Fatalf("%d backups after two runs: %q; stderr %q", len(names), names, stderr.String())
	}
	if !strings.Contains(stderr.String(), "backups scheduled") {
		t.Errorf("stderr %q: want the schedule logged", stderr.String())
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != healthPath {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	code, stdout, stderr := run(t, "health", "--url", srv.URL+healthPath)
	if code != 0 || stdout != "ok\n" {
		t.Errorf("healthy server: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	status = http.StatusServiceUnavailable
	code, _, stderr = run(t, "health", "--url", srv.URL+healthPath)
	if code != 1 || !strings.Contains(stderr, "503") {
		t.Errorf("stopping server: exit %d, stderr %q; want 1 and the status", code, stderr)
	}
	srv.Close()
	if code, _, _ = run(t, "health", "--url", srv.URL+healthPath, "--timeout", "1s"); code != 1 {
		t.Errorf("no server: exit %d, want 1", code)
	}
	if code, _, _ = run(t, "health", "extra"); code != 2 {
		t.Errorf("an argument: exit %d, want 2", code)
	}
}

func TestHealthURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"":             "http://127.0.0.1:8000" + healthPath,
		":9000":        "http://127.0.0.1:9000" + healthPath,
		"0.0.0.0:8080": "http://127.0.0.1:8080" + healthPath,
		"[::]:8080":    "http://127.0.0.1:8080" + healthPath,
		"10.1.2.3:80":  "http://10.1.2.3:80" + healthPath,
		"[::1]:8000":   "http://[::1]:8000" + healthPath,
	} {
		if got := healthURL(addr); got != want {
			t.Errorf("healthURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
