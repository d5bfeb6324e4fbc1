package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape reads the handler's answer with Prometheus's text parser.
func scrape(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	ts := httptest.NewServer(m.Handler())
	defer ts.Close()
	resp, err := http.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// value is the counter, gauge or histogram count of the series with labels.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, lp := range m.Label {
				if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// TestEverySeriesMoves feeds each method once and reads it back from
// /metrics, as Prometheus would.
func TestEverySeriesMoves(t *testing.T) {
	t.Parallel()
	m := New()
	m.HTTPRequest("GET /api/rules", 200, time.Millisecond)
	m.HTTPRequest("", 404, time.Millisecond)
	m.HTTPRequest("GET /ws", 101, time.Hour) // counted, not timed
	m.Panic("http")
	m.RateLimited("login")
	m.SocketOpened()
	m.SocketOpened()
	m.SocketClosed(1000)
	m.Command("swap", "ok", 2*time.Millisecond)
	m.Command("draw", "rejected", time.Millisecond)
	m.Appended(3*time.Millisecond, "ok")
	m.Committed(5, 2*time.Millisecond)
	m.CacheLookup("hit")
	m.Published("game", 100*time.Microsecond)
	m.Forwarded("ok", 4*time.Millisecond)
	m.CPUTurn("cpu")
	m.CPUTurn("standin")
	m.GamesRecovered(3)
	m.TookOver()
	m.TablePanicked()
	m.CountTables(func() (int, map[string]int) { return 7, map[string]int{"playing": 4, "waiting": 2} })

	fams := scrape(t, m)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"golf_http_requests_total", []string{"route", "GET /api/rules", "code", "200"}, 1},
		{"golf_http_requests_total", []string{"route", "unmatched", "code", "404"}, 1},
		{"golf_http_requests_total", []string{"route", "GET /ws", "code", "101"}, 1},
		{"golf_http_request_duration_seconds", []string{"route", "GET /api/rules"}, 1},
		{"golf_http_request_duration_seconds", []string{"route", "GET /ws"}, -1},
		{"golf_panics_total", []string{"where", "http"}, 1},
		{"golf_panics_total", []string{"where", "table"}, 1},
		{"golf_panics_total", []string{"where", "websocket"}, 0},
		{"golf_rate_limited_total", []string{"limit", "login"}, 1},
		{"golf_websocket_connections", nil, 1},
		{"golf_websocket_connections_opened_total", nil, 2},
		{"golf_websocket_connections_closed_total", []string{"code", "1000"}, 1},
		{"golf_commands_total", []string{"type", "swap", "outcome", "ok"}, 1},
		{"golf_commands_total", []string{"type", "draw", "outcome", "rejected"}, 1},
		{"golf_command_ack_seconds", []string{"type", "swap"}, 1},
		{"golf_store_append_seconds", []string{"outcome", "ok"}, 1},
		{"golf_store_append_seconds", []string{"outcome", "conflict"}, 0},
		{"golf_store_commit_seconds", nil, 1},
		{"golf_store_commit_batch_appends", nil, 1},
		{"golf_cache_lookups_total", []string{"result", "hit"}, 1},
		{"golf_cache_lookups_total", []string{"result", "stale"}, 0},
		{"golf_bus_publish_seconds", []string{"to", "game"}, 1},
		{"golf_forward_seconds", []string{"outcome", "ok"}, 1},
		{"golf_cpu_turns_total", []string{"player", "cpu"}, 1},
		{"golf_cpu_turns_total", []string{"player", "standin"}, 1},
		{"golf_games_recovered_total", nil, 3},
		{"golf_lease_takeovers_total", nil, 1},
		{"golf_rooms", nil, 7},
		{"golf_games", []string{"phase", "playing"}, 4},
		{"golf_games", []string{"phase", "waiting"}, 2},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	// The batch histogram holds the batch's size, not its time.
	if h := fams["golf_store_commit_batch_appends"].Metric[0].Histogram; h.GetSampleSum() != 5 {
		t.Errorf("batch sizes sum to %v, want 5", h.GetSampleSum())
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
		if fams[name] == nil {
			t.Errorf("no %s: the Go and process collectors are missing", name)
		}
	}
	// Prometheus's naming rules: counters end in _total, units are base
	// units spelt out, every name is valid.
	for name, f := range fams {
		if !model.IsValidLegacyMetricName(name) {
			t.Errorf("%s: not a valid metric name", name)
		}
		if !strings.HasPrefix(name, "golf_") {
			continue
		}
		if (f.GetType() == dto.MetricType_COUNTER) != strings.HasSuffix(name, "_total") {
			t.Errorf("%s is a %v: counters, and only they, end in _total", name, f.GetType())
		}
		if strings.Contains(name, "_ms") || strings.Contains(name, "millis") {
			t.Errorf("%s: durations are in seconds", name)
		}
	}
}

// Metrics off is a nil *Metrics: every method is a no-op.
func TestNilMetrics(t *testing.T) {
	t.Parallel()
	var m *Metrics
	m.HTTPRequest("GET /", 200, time.Millisecond)
	m.Panic("http")
	m.RateLimited("x")
	m.SocketOpened()
	m.SocketClosed(1000)
	m.Command("swap", "ok", time.Millisecond)
	m.Appended(time.Millisecond, "ok")
	m.Committed(1, time.Millisecond)
	m.CacheLookup("hit")
	m.Published("game", time.Millisecond)
	m.Forwarded("ok", time.Millisecond)
	m.CPUTurn("cpu")
	m.GamesRecovered(1)
	m.TookOver()
	m.TablePanicked()
	m.CountTables(nil)
}

// Two Metrics never share a series: no global registry.
func TestSeparateRegistries(t *testing.T) {
	t.Parallel()
	a, b := New(), New()
	a.SocketOpened()
	if got := value(scrape(t, b), "golf_websocket_connections_opened_total"); got != 0 {
		t.Errorf("b sees %v connections opened on a", got)
	}
	ts := httptest.NewServer(a.Handler())
	defer ts.Close()
	resp, err := http.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want the text format", ct)
	}
	if !strings.Contains(string(body), "golf_websocket_connections_opened_total 1") {
		t.Errorf("a's scrape lacks its counter:\n%.500s", body)
	}
}
