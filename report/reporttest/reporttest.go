// Package reporttest is a fake Sentry for tests: an httptest server that
// takes envelopes as Sentry's ingestion endpoint does and keeps the events
// they hold.
package reporttest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Event is what a test checks of a received event; Raw is all of it.
type Event struct {
	Level     string            `json:"level"`
	Tags      map[string]string `json:"tags"`
	Release   string            `json:"release"`
	User      map[string]any    `json:"user"`
	Request   map[string]any    `json:"request"`
	Exception []struct {
		Type       string `json:"type"`
		Value      string `json:"value"`
		Stacktrace struct {
			Frames []struct {
				Function string `json:"function"`
				Module   string `json:"module"`
			} `json:"frames"`
		} `json:"stacktrace"`
	} `json:"exception"`
	Raw json.RawMessage `json:"-"`
}

// Server is a fake Sentry project.
type Server struct {
	DSN string

	ts     *httptest.Server
	mu     sync.Mutex
	events []Event
	bad    []string
	got    chan struct{}
}

// New starts a fake Sentry; it stops with the test.
func New(t testing.TB) *Server {
	s := &Server{got: make(chan struct{}, 1)}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.ts.Close)
	s.DSN = "http://testkey@" + strings.TrimPrefix(s.ts.URL, "http://") + "/42"
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.URL.Path != "/api/42/envelope/" {
		s.fail("request to " + r.URL.Path)
		http.NotFound(w, r)
		return
	}
	// An envelope: a header line, then items, each a header line and a
	// payload line.
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<24)
	sc.Scan()
	for sc.Scan() {
		var item struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(sc.Bytes(), &item); err != nil {
			s.fail("item header: " + err.Error())
			break
		}
		if !sc.Scan() {
			break
		}
		if item.Type != "event" {
			continue
		}
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			s.fail("event: " + err.Error())
			continue
		}
		ev.Raw = append(json.RawMessage(nil), sc.Bytes()...)
		s.mu.Lock()
		s.events = append(s.events, ev)
		s.mu.Unlock()
		select {
		case s.got <- struct{}{}:
		default:
		}
	}
	w.Write([]byte(`{}`))
}

func (s *Server) fail(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bad = append(s.bad, msg)
}

// Events returns the events received so far; it fails the test if a
// request was not a well-formed envelope.
func (s *Server) Events(t testing.TB) []Event {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.bad {
		t.Errorf("fake sentry: %s", b)
	}
	return append([]Event(nil), s.events...)
}

// Wait waits until n events have come, at most a minute.
func (s *Server) Wait(t testing.TB, n int) []Event {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		if evs := s.Events(t); len(evs) >= n || t.Failed() {
			return evs
		}
		select {
		case <-s.got:
		case <-deadline:
			t.Fatalf("fake sentry: %d events, want %d", len(s.Events(t)), n)
		}
	}
}
