package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeStartsAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"GOLF_ADDR": "127.0.0.1:0", "GOLF_DATA_DIR": dir, "GOLF_LOG_LEVEL": "warn"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		exit <- serve(ctx, nil, func(k string) string { return vars[k] }, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("no URL in %q", line)
	}
	url := strings.Fields(line[i:])[0]
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
	resp, err = http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, f := range []string{"secret", "golf.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not created: %v", f, err)
		}
	}
	// The secret is kept: a restart issues the same seat tokens.
	s1, err := secretFile(dir)
	if err != nil || len(s1) < 32 {
		t.Fatalf("secret %q: %v", s1, err)
	}
}

func TestServeConfigErrors(t *testing.T) {
	for _, kv := range [][2]string{
		{"GOLF_GRACE", "soon"}, {"GOLF_MAX_ROOMS", "-1"}, {"GOLF_LOG_LEVEL", "loud"}, {"GOLF_SECRET", "short"}, {"GOLF_RATE", "x"},
		{"GOLF_METRICS", "maybe"}, {"GOLF_METRICS_ADDR", "9100"}, {"SENTRY_DSN", "sentry.example.com/1"},
	} {
		_, err := loadServeConfig(func(k string) string {
			if k == kv[0] {
				return kv[1]
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), kv[0]) {
			t.Errorf("%s=%s: err %v", kv[0], kv[1], err)
		}
	}
	// Several instances need a shared secret and a shared PostgreSQL.
	pg := "postgres://u@db/golf"
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"REDIS_URL": "redis://r", "DATABASE_URL": pg}, "GOLF_SECRET"},
		{map[string]string{"REDIS_URL": "redis://r", "GOLF_SECRET": strings.Repeat("s", 32)}, "DATABASE_URL"},
		{map[string]string{"REDIS_URL": "redis://r", "GOLF_SECRET": strings.Repeat("s", 32), "DATABASE_URL": "sqlite:/x"}, "DATABASE_URL"},
		{map[string]string{"REDIS_URL": "redis://r", "GOLF_SECRET": strings.Repeat("s", 32), "DATABASE_URL": pg, "GOLF_LEASE_TTL": "10ms"}, "GOLF_LEASE_TTL"},
		{map[string]string{"REDIS_URL": "redis://r", "GOLF_SECRET": strings.Repeat("s", 32), "DATABASE_URL": pg, "GOLF_INSTANCE_ID": "a b"}, "GOLF_INSTANCE_ID"},
		{map[string]string{"GOLF_FORWARD_TIMEOUT": "soon"}, "GOLF_FORWARD_TIMEOUT"},
		{map[string]string{"GOLF_QUICKPLAY_WAIT": "-5s"}, "GOLF_QUICKPLAY_WAIT"},
		{map[string]string{"GOLF_METRICS": "off", "GOLF_METRICS_ADDR": ":9100"}, "GOLF_METRICS_ADDR"},
	} {
		_, err := loadServeConfig(func(k string) string { return tc.vars[k] })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want one naming %s", tc.vars, err, tc.want)
		}
	}
	c, err := loadServeConfig(func(k string) string {
		return map[string]string{"REDIS_URL": "redis://r", "GOLF_SECRET": strings.Repeat("s", 32), "DATABASE_URL": pg, "GOLF_LEASE_TTL": "3s"}[k]
	})
	if err != nil || c.redis.LeaseTTL != 3*time.Second || c.redis.Prefix != "golf:" || c.redis.CacheTTL != time.Hour {
		t.Fatalf("cluster config %+v: %v", c.redis, err)
	}
	c, err = loadServeConfig(func(k string) string {
		return map[string]string{"GOLF_GRACE": "45s", "GOLF_ALLOWED_ORIGINS": "a.example, *.b.example"}[k]
	})
	if err != nil || c.live.Grace != 45*time.Second || len(c.web.AllowedOrigins) != 2 || c.addr != ":8000" {
		t.Fatalf("config %+v: %v", c, err)
	}
	if c.web.QuickplayWait != 15*time.Second {
		t.Errorf("default quick-play wait %v; want 15s", c.web.QuickplayWait)
	}
	c, err = loadServeConfig(func(k string) string { return map[string]string{"GOLF_QUICKPLAY_WAIT": "0s"}[k] })
	if err != nil || c.web.QuickplayWait != 0 {
		t.Errorf("GOLF_QUICKPLAY_WAIT=0s: %v, %v; want no wait", c.web.QuickplayWait, err)
	}
}

// TestServerSeatsTheLineup: the server offers the personalities then the
// expert, flagged so that only a host naming it seats it, and can make a
// player for every profile it offers.
func TestServerSeatsTheLineup(t *testing.T) {
	var ids []string
	for _, p := range (aiBots{}).Roster() {
		ids = append(ids, p.ID)
		if want := p.ID == "expert"; p.Expert != want {
			t.Errorf("%s: Expert = %v, want %v", p.ID, p.Expert, want)
		}
		if _, err := (aiBots{}).New(p.ID); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
	if want := "sofia maya priya marcus kenji diego river sage expert"; strings.Join(ids, " ") != want {
		t.Errorf("lineup %q, want %q", strings.Join(ids, " "), want)
	}
}
