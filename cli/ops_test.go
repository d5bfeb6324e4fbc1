package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a log both the server and the test touch.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs golf serve with vars and returns its URL, its log and a
// stop function that waits for a clean exit.
func startServe(t *testing.T, vars map[string]string) (string, *lockedBuffer, func()) {
	t.Helper()
	vars["GOLF_ADDR"], vars["GOLF_DATA_DIR"] = "127.0.0.1:0", t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &lockedBuffer{}
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		exit <- serve(ctx, nil, func(k string) string { return vars[k] }, pw, logs)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve: %v\n%s", err, logs)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("no URL in %q", line)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-exit:
			if code != 0 {
				t.Errorf("serve exited %d\n%s", code, logs)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return strings.Fields(line[i:])[0], logs, stop
}

func status(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeProbesAndMetrics: golf serve answers /health and /ready (the
// store checked), serves /metrics with golf's and the runtime's series,
// and golf health passes against it.
func TestServeProbesAndMetrics(t *testing.T) {
	url, _, _ := startServe(t, map[string]string{"GOLF_LOG_LEVEL": "warn"})
	if code, body := status(t, url+"/health"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/health: %d %s", code, body)
	}
	if code, body := status(t, url+"/ready"); code != 200 || !strings.Contains(body, `"store":{"status":"ok"`) {
		t.Errorf("/ready: %d %s", code, body)
	}
	code, body := status(t, url+"/metrics")
	for _, want := range []string{"golf_websocket_connections 0", "golf_rooms 0", `golf_http_requests_total{code="200",route="GET /ready"} 1`, "go_goroutines", "process_cpu_seconds_total"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics: %d, no %q", code, want)
		}
	}
	if c, out, errOut := run(t, "health", "--url", url+"/health"); c != 0 || strings.TrimSpace(out) != "ok" {
		t.Errorf("golf health: %d %q %q", c, out, errOut)
	}
}

// TestServeMetricsAddr: with GOLF_METRICS_ADDR, /metrics is there and
// not on the public address; with GOLF_METRICS=off, nowhere.
func TestServeMetricsAddr(t *testing.T) {
	url, logs, stop := startServe(t, map[string]string{"GOLF_METRICS_ADDR": "127.0.0.1:0"})
	m := regexp.MustCompile(`msg="metrics listening" addr=(\S+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no metrics address in the log:\n%s", logs)
	}
	if code, body := status(t, "http://"+m[1]+"/metrics"); code != 200 || !strings.Contains(body, "golf_store_commit_seconds") {
		t.Errorf("private /metrics: %d", code)
	}
	if code, _ := status(t, url+"/metrics"); code != 404 {
		t.Errorf("public /metrics: %d, want 404", code)
	}
	stop()

	url, _, _ = startServe(t, map[string]string{"GOLF_METRICS": "off"})
	if code, _ := status(t, url+"/metrics"); code != 404 {
		t.Errorf("/metrics with GOLF_METRICS=off: %d, want 404", code)
	}
	if code, _ := status(t, url+"/ready"); code != 200 {
		t.Errorf("/ready with metrics off: %d", code)
	}
}
