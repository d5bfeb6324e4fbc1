// Package metrics holds the server's Prometheus collectors: one registry
// per Metrics (never the default one), the Go runtime and process
// collectors, and the golf_* series the other packages feed through the
// methods below. cli builds one and hands it to web (web.Deps), live
// (live.Config.Observer) and the store (Observe).
//
// Every method is safe on a nil *Metrics and does nothing there: metrics
// off (GOLF_METRICS=off) is a nil pointer, not a branch at each call.
//
// Labels come from small fixed sets (a route pattern, a command type, a
// phase, an outcome): never a room code, a game id, a user id or a raw
// path, so the number of series stays bounded whatever clients send.
package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Latency buckets, in seconds. A move's round trip is about a millisecond
// on an idle server (docs/BENCHMARKS.md); the buckets reach into seconds
// for a store or a Redis that stalls.
var (
	fastBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}
	slowBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	// batchBuckets count the Appends in one group commit (at most 256).
	batchBuckets = []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}
)

// Metrics is the server's collectors and their registry.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpSeconds  *prometheus.HistogramVec
	panics       *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec

	socketsOpen   prometheus.Gauge
	socketsOpened prometheus.Counter
	socketsClosed *prometheus.CounterVec

	commands       *prometheus.CounterVec
	commandSeconds *prometheus.HistogramVec

	appendSeconds *prometheus.HistogramVec
	commitSeconds prometheus.Histogram
	batchAppends  prometheus.Histogram

	cacheLookups   *prometheus.CounterVec
	publishSeconds *prometheus.HistogramVec
	forwardSeconds *prometheus.HistogramVec

	cpuTurns  *prometheus.CounterVec
	recovered prometheus.Counter
	takeovers prometheus.Counter

	tables tablesCollector
	stats  statsCollectors
}

// New returns Metrics with their own registry, holding the Go runtime's
// and the process's collectors besides golf's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	f := factory{m.reg}

	m.httpRequests = f.counterVec("golf_http_requests_total", "HTTP requests answered, by route pattern and status code.", "route", "code")
	m.httpSeconds = f.histogramVec("golf_http_request_duration_seconds", "Time to answer an HTTP request, by route pattern (WebSocket upgrades excluded).", prometheus.DefBuckets, "route")
	m.panics = f.counterVec("golf_panics_total", "Panics recovered, by where: http (a handler), websocket (a session), table (a game's goroutine).", "where")
	m.rateLimited = f.counterVec("golf_rate_limited_total", "Requests or frames refused by a rate limit, by limit.", "limit")

	m.socketsOpen = f.gauge("golf_websocket_connections", "WebSocket connections open now.")
	m.socketsOpened = f.counter("golf_websocket_connections_opened_total", "WebSocket connections accepted.")
	m.socketsClosed = f.counterVec("golf_websocket_connections_closed_total", "WebSocket connections closed, by close code.", "code")

	m.commands = f.counterVec("golf_commands_total", "Client commands answered, by frame type and outcome (ok, rejected, unavailable).", "type", "outcome")
	m.commandSeconds = f.histogramVec("golf_command_ack_seconds", "Time from a command's frame arriving to its answer (acknowledgement or error) written to the socket, by frame type.", slowBuckets, "type")

	m.appendSeconds = f.histogramVec("golf_store_append_seconds", "Time a store Append waited for its verdict (group-commit queue and transaction), by outcome (ok, conflict, error).", slowBuckets, "outcome")
	m.commitSeconds = f.histogram("golf_store_commit_seconds", "Time one group-commit transaction took.", slowBuckets)
	m.batchAppends = f.histogram("golf_store_commit_batch_appends", "Appends written by one group-commit transaction (not counting the account rows it may carry).", batchBuckets)

	m.cacheLookups = f.counterVec("golf_cache_lookups_total", "Games rebuilt with the Redis state cache, by result: hit (used), miss (none cached), stale (refused: not the log's), error.", "result")
	m.publishSeconds = f.histogramVec("golf_bus_publish_seconds", "Time to publish a message on Redis, by destination: game (a writer's change) or instance (a forwarded command or its answer).", fastBuckets, "to")
	m.forwardSeconds = f.histogramVec("golf_forward_seconds", "Time from a replica forwarding a command to the writer's answer, by outcome (ok, rejected, unavailable).", slowBuckets, "outcome")

	m.cpuTurns = f.counterVec("golf_cpu_turns_total", "Commands the server played for a seat: cpu (a CPU player) or standin (an absent human).", "player")
	m.recovered = f.counter("golf_games_recovered_total", "Active games reopened from the store as their writer: at start, or found orphaned by the scan.")
	m.takeovers = f.counter("golf_lease_takeovers_total", "Games this instance took over from another writer (a replica promoted).")

	m.stats.init(f)
	m.tables.init()
	m.reg.MustRegister(&m.tables)

	// Series with a known, fixed set of labels exist from the start at 0,
	// so rate() and alerts see them before the first event.
	for _, w := range []string{"http", "websocket", "table"} {
		m.panics.WithLabelValues(w)
	}
	for _, r := range []string{"hit", "miss", "stale", "error"} {
		m.cacheLookups.WithLabelValues(r)
	}
	for _, p := range []string{"cpu", "standin"} {
		m.cpuTurns.WithLabelValues(p)
	}
	for _, o := range []string{"ok", "conflict", "error"} {
		m.appendSeconds.WithLabelValues(o)
	}
	return m
}

// Registry returns the registry, for tests and tools.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// HTTPRequest counts one answered request. route is the pattern that
// matched (http.Request.Pattern), "" if none did.
func (m *Metrics) HTTPRequest(route string, code int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.httpRequests.WithLabelValues(route, codeLabel(code)).Inc()
	if code != http.StatusSwitchingProtocols {
		m.httpSeconds.WithLabelValues(route).Observe(took.Seconds())
	}
}

// Panic counts a recovered panic: where is http, websocket or table.
func (m *Metrics) Panic(where string) {
	if m == nil {
		return
	}
	m.panics.WithLabelValues(where).Inc()
}

// RateLimited counts one request or frame a limit refused. limit names
// the limit (a fixed name such as "login" or "frames", never a key).
func (m *Metrics) RateLimited(limit string) {
	if m == nil {
		return
	}
	m.rateLimited.WithLabelValues(limit).Inc()
}

// SocketOpened counts an accepted WebSocket.
func (m *Metrics) SocketOpened() {
	if m == nil {
		return
	}
	m.socketsOpened.Inc()
	m.socketsOpen.Inc()
}

// SocketClosed counts a WebSocket closed with a close code.
func (m *Metrics) SocketClosed(code int) {
	if m == nil {
		return
	}
	m.socketsOpen.Dec()
	m.socketsClosed.WithLabelValues(codeLabel(code)).Inc()
}

// Command counts one answered client command and the time it took from
// its frame to its answer. typ is a frame type of the protocol (or
// "invalid" for a frame that did not decode); outcome is ok, rejected or
// unavailable.
func (m *Metrics) Command(typ, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.commands.WithLabelValues(typ, outcome).Inc()
	m.commandSeconds.WithLabelValues(typ).Observe(took.Seconds())
}

// Appended implements store.Observer.
func (m *Metrics) Appended(wait time.Duration, outcome string) {
	if m == nil {
		return
	}
	m.appendSeconds.WithLabelValues(outcome).Observe(wait.Seconds())
}

// Committed implements store.Observer.
func (m *Metrics) Committed(appends int, took time.Duration) {
	if m == nil {
		return
	}
	m.commitSeconds.Observe(took.Seconds())
	m.batchAppends.Observe(float64(appends))
}

// CacheLookup counts a game rebuilt with the state cache: hit, miss,
// stale or error (live.Observer).
func (m *Metrics) CacheLookup(result string) {
	if m == nil {
		return
	}
	m.cacheLookups.WithLabelValues(result).Inc()
}

// Published times one Redis publish, to a game or an instance
// (live.Observer).
func (m *Metrics) Published(to string, took time.Duration) {
	if m == nil {
		return
	}
	m.publishSeconds.WithLabelValues(to).Observe(took.Seconds())
}

// Forwarded times a forwarded command's round trip (live.Observer).
func (m *Metrics) Forwarded(outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.forwardSeconds.WithLabelValues(outcome).Observe(took.Seconds())
}

// CPUTurn counts a command the server played for a seat: player is cpu or
// standin (live.Observer).
func (m *Metrics) CPUTurn(player string) {
	if m == nil {
		return
	}
	m.cpuTurns.WithLabelValues(player).Inc()
}

// GamesRecovered counts games reopened from the store (live.Observer).
func (m *Metrics) GamesRecovered(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.recovered.Add(float64(n))
}

// TookOver counts a game taken over from another writer (live.Observer).
func (m *Metrics) TookOver() {
	if m == nil {
		return
	}
	m.takeovers.Inc()
}

// TablePanicked counts a panic recovered in a table's goroutine
// (live.Observer).
func (m *Metrics) TablePanicked() { m.Panic("table") }

// CountTables sets what the room and game gauges read at each scrape:
// count returns the tables open here (replicas included) and the games
// this instance writes, by phase. live.Manager.Census is one.
func (m *Metrics) CountTables(count func() (rooms int, games map[string]int)) {
	if m == nil {
		return
	}
	m.tables.set(count)
}

// codeLabel is a status or close code as a label value.
func codeLabel(code int) string {
	if code >= 100 && code < 600 {
		return httpCodes[code]
	}
	return strconv.Itoa(code)
}

// httpCodes spares an allocation per request.
var httpCodes = func() []string {
	s := make([]string, 600)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

// factory registers each collector as it builds it.
type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.reg.MustRegister(c)
	return c
}

func (f factory) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) gauge(name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	f.reg.MustRegister(g)
	return g
}

func (f factory) histogram(name, help string, buckets []float64) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
	f.reg.MustRegister(h)
	return h
}

func (f factory) histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	f.reg.MustRegister(h)
	return h
}

// tablesCollector reads the room and game counts at scrape time: the
// tables keep no counters of their own.
type tablesCollector struct {
	rooms, games *prometheus.Desc

	mu    sync.Mutex
	count func() (int, map[string]int)
}

func (c *tablesCollector) init() {
	c.rooms = prometheus.NewDesc("golf_rooms", "Tables open on this instance, replicas of other instances' games included.", nil, nil)
	c.games = prometheus.NewDesc("golf_games", "Games this instance writes, by phase (summed over instances, each game counts once).", []string{"phase"}, nil)
}

func (c *tablesCollector) set(count func() (int, map[string]int)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count = count
}

func (c *tablesCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.rooms
	ch <- c.games
}

func (c *tablesCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	count := c.count
	c.mu.Unlock()
	rooms, games := 0, map[string]int(nil)
	if count != nil {
		rooms, games = count()
	}
	ch <- prometheus.MustNewConstMetric(c.rooms, prometheus.GaugeValue, float64(rooms))
	for phase, n := range games {
		ch <- prometheus.MustNewConstMetric(c.games, prometheus.GaugeValue, float64(n), phase)
	}
}
