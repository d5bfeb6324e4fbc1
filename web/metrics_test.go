package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"golf/metrics"
	"golf/store/sqlite"
)

// scrape GETs /metrics as Prometheus does and parses it with its text parser.
func scrape(t *testing.T, ts *testServer) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(ts.ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// sum adds up the series of a family whose labels include labels (name,
// value pairs): counters and gauges by value, histograms by count.
func sum(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	total := 0.0
	f := fams[name]
	if f == nil {
		return 0
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.Label {
				found = found || l.GetName() == labels[i] && l.GetValue() == labels[i+1]
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		case m.Histogram != nil:
			total += float64(m.Histogram.GetSampleCount())
		}
	}
	return total
}

// histogramSum adds up the sums of a histogram family's series.
func histogramSum(fams map[string]*dto.MetricFamily, name string) float64 {
	total := 0.0
	if f := fams[name]; f != nil {
		for _, m := range f.Metric {
			total += m.Histogram.GetSampleSum()
		}
	}
	return total
}

// withMetrics wires Metrics as cli does: web, live and the store.
func withMetrics(m *metrics.Metrics) func(*testSetup) {
	return func(s *testSetup) {
		s.Deps.Metrics = m
		s.Live.Observer = m
		s.Live.Store.(*sqlite.Store).Observe(m)
	}
}

// TestMetricsAfterAGame plays a whole game over real sockets and reads
// /metrics before and after: the command, socket and append series move
// by exactly what the game did.
func TestMetricsAfterAGame(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	ts := newTestServer(t, withMetrics(m))
	m.CountTables(ts.live.Census)
	before := scrape(t, ts)

	ann := create(t, ts, "Ann", map[string]any{"rounds": 1})
	ann.send(map[string]any{"type": "add_cpu"})
	ann.until(func(f *frame) bool { return f.View != nil && len(f.View.Seats) == 2 })
	ann.send(map[string]any{"type": "start"})
	final := ann.play()
	if final == nil {
		t.Fatal("the game did not end")
	}
	acks := 0
	for _, f := range ann.received() {
		if f.Type == "state" && f.Ack != 0 {
			acks++
		}
		if f.Type == "error" {
			t.Fatalf("an error frame: %s", f.raw)
		}
	}
	during := scrape(t, ts)
	if got := sum(during, "golf_websocket_connections") - sum(before, "golf_websocket_connections"); got != 1 {
		t.Errorf("open connections went up by %v during the game, want 1", got)
	}
	if got := sum(during, "golf_games", "phase", "game_over"); got != 1 {
		t.Errorf("golf_games{phase=game_over} = %v, want 1", got)
	}
	if got := sum(during, "golf_rooms"); got != 1 {
		t.Errorf("golf_rooms = %v, want 1", got)
	}

	ann.conn.Close(websocket.StatusNormalClosure, "bye")
	// The upgrade's handler returns as soon as the session's goroutine
	// starts, so the request is counted long before the session ends:
	// wait for the session's own close to be counted.
	var after map[string]*dto.MetricFamily
	for deadline := time.Now().Add(30 * time.Second); ; {
		after = scrape(t, ts)
		if sum(after, "golf_websocket_connections_closed_total") > sum(before, "golf_websocket_connections_closed_total") &&
			sum(after, "golf_http_requests_total", "route", "GET /ws") > sum(before, "golf_http_requests_total", "route", "GET /ws") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the closed connection is still counted open")
		}
		time.Sleep(10 * time.Millisecond)
	}
	delta := func(name string, labels ...string) float64 {
		return sum(after, name, labels...) - sum(before, name, labels...)
	}

	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"golf_websocket_connections", nil, 0},
		{"golf_websocket_connections_opened_total", nil, 1},
		// 1000, or 1006 if a frame was on its way as the client closed.
		{"golf_websocket_connections_closed_total", nil, 1},
		{"golf_http_requests_total", []string{"route", "GET /ws", "code", "101"}, 1},
		{"golf_commands_total", []string{"type", "create", "outcome", "ok"}, 1},
		{"golf_commands_total", []string{"type", "add_cpu", "outcome", "ok"}, 1},
		{"golf_commands_total", []string{"type", "start", "outcome", "ok"}, 1},
		// Every command answered: the create's welcome, then one ack each.
		{"golf_commands_total", []string{"outcome", "ok"}, float64(1 + acks)},
		{"golf_commands_total", []string{"outcome", "rejected"}, 0},
		{"golf_command_ack_seconds", nil, float64(1 + acks)},
		{"golf_panics_total", nil, 0},
	} {
		if got := delta(c.name, c.labels...); got != c.want {
			t.Errorf("%s%v went up by %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	// One append per command that changed the game: Ann's and the CPU's.
	cpu := delta("golf_cpu_turns_total", "player", "cpu")
	if cpu == 0 {
		t.Error("no CPU turn counted")
	}
	appends := delta("golf_store_append_seconds", "outcome", "ok")
	if appends != float64(1+acks)+cpu {
		t.Errorf("%v appends, want %v (Ann's %d commands and %v CPU turns)", appends, float64(1+acks)+cpu, 1+acks, cpu)
	}
	// The group commits wrote exactly those appends.
	if batched := histogramSum(after, "golf_store_commit_batch_appends") - histogramSum(before, "golf_store_commit_batch_appends"); batched != appends {
		t.Errorf("batches wrote %v appends, the appenders saw %v", batched, appends)
	}
	if delta("golf_store_commit_seconds") < 1 {
		t.Error("no commit timed")
	}
	// The scrapes themselves are counted, by their route.
	if got := delta("golf_http_requests_total", "route", "GET /metrics", "code", "200"); got < 2 {
		t.Errorf("GET /metrics counted %v times", got)
	}
}

// TestMetricsOff: without Deps.Metrics there is no /metrics route (it
// falls through to the client's files) and nothing is counted.
func TestMetricsOff(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	resp, err := http.Get(ts.ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics with metrics off: %s, want 404", resp.Status)
	}
}

// TestPrivateMetrics: with metrics on their own address, the public
// handler does not serve them.
func TestPrivateMetrics(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	ts := newTestServer(t, func(s *testSetup) {
		withMetrics(m)(s)
		s.PrivateMetrics = true
	})
	resp, err := http.Get(ts.ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the public handler: %s, want 404", resp.Status)
	}
	// The requests are still counted, for the private endpoint to show.
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range fams {
		found = found || f.GetName() == "golf_http_requests_total"
	}
	if !found {
		t.Error("the public request was not counted")
	}
}
