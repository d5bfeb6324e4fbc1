package cli

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestServeDebug: GOLF_DEBUG_ADDR is read, and the profiler answers there
// until it is stopped.
func TestServeDebug(t *testing.T) {
	t.Parallel()
	c, err := loadServeConfig(func(k string) string {
		if k == "GOLF_DEBUG_ADDR" {
			return "127.0.0.1:0"
		}
		return ""
	})
	if err != nil || c.debugAddr != "127.0.0.1:0" {
		t.Fatalf("debugAddr %q, %v", c.debugAddr, err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	addr, stop, err := serveDebugAt(c.debugAddr, log)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "heap profile") {
		t.Errorf("status %d, body %.80q", resp.StatusCode, body)
	}
	stop()
	if _, err := http.Get("http://" + addr + "/debug/pprof/"); err == nil {
		t.Error("the profiler still answers after stop")
	}
}
