package deploy

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golf/metrics"
)

// dashboard is the part of a Grafana dashboard the test reads.
type dashboard struct {
	Title  string  `json:"title"`
	UID    string  `json:"uid"`
	Panels []panel `json:"panels"`
}

type panel struct {
	ID      int    `json:"id"`
	Type    string `json:"type"`
	Title   string `json:"title"`
	GridPos struct {
		H, W, X, Y int
	} `json:"gridPos"`
	Targets []struct {
		Expr  string `json:"expr"`
		RefID string `json:"refId"`
	} `json:"targets"`
	Datasource *struct {
		UID string `json:"uid"`
	} `json:"datasource"`
}

// registered returns every series family the server's registry holds,
// with each method fed once so that every labelled family has a series.
func registered(t *testing.T) map[string]bool {
	t.Helper()
	m := metrics.New()
	m.HTTPRequest("GET /", 200, time.Millisecond)
	m.Panic("http")
	m.RateLimited("login")
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
	m.StatsLag(3, time.Second)
	m.StatsProjected(1)
	m.StatsRelinked(1)
	m.CountTables(func() (int, map[string]int) { return 1, map[string]int{"playing": 1} })
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range fams {
		names[f.GetName()] = true
		switch f.GetType().String() {
		case "HISTOGRAM":
			names[f.GetName()+"_bucket"] = true
			fallthrough
		case "SUMMARY":
			names[f.GetName()+"_sum"], names[f.GetName()+"_count"] = true, true
		}
	}
	return names
}

// metricName matches the series a PromQL expression selects: names of
// golf's, the Go runtime's and the process's collectors.
var metricName = regexp.MustCompile(`\b(?:golf|go|process)_[a-zA-Z0-9_]+\b`)

// TestGrafanaDashboard: every series the dashboard queries exists in the
// server's registry, every golf series has a panel, and the JSON is a
// dashboard Grafana imports (panels laid out, queries on the
// datasource variable).
func TestGrafanaDashboard(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("grafana/golf.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	if d.Title == "" || d.UID == "" || len(d.Panels) < 10 {
		t.Fatalf("dashboard %q (uid %q) with %d panels", d.Title, d.UID, len(d.Panels))
	}
	have := registered(t)
	queried := map[string]bool{}
	ids := map[int]bool{}
	for _, p := range d.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d twice", p.ID)
		}
		ids[p.ID] = true
		if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q: grid position %+v", p.Title, p.GridPos)
		}
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 || p.Datasource == nil || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q: %d queries, datasource %+v", p.Title, len(p.Targets), p.Datasource)
		}
		for _, tg := range p.Targets {
			if strings.Count(tg.Expr, "(") != strings.Count(tg.Expr, ")") || strings.Count(tg.Expr, "[") != strings.Count(tg.Expr, "]") {
				t.Errorf("panel %q: unbalanced query %s", p.Title, tg.Expr)
			}
			names := metricName.FindAllString(tg.Expr, -1)
			if len(names) == 0 {
				t.Errorf("panel %q: query %s reads no series", p.Title, tg.Expr)
			}
			for _, n := range names {
				queried[n] = true
				if !have[n] {
					t.Errorf("panel %q queries %s, which the server does not export", p.Title, n)
				}
			}
		}
	}
	// Every golf series is on the dashboard.
	var missing []string
	for n := range have {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
		if !strings.HasPrefix(n, "golf_") || queried[base] || queried[base+"_bucket"] || queried[base+"_count"] || queried[base+"_sum"] {
			continue
		}
		missing = append(missing, n)
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("series without a panel: %v", missing)
	}
}
