package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// sendPair is a session's connection, server side, and its client's.
func sendPair(t testing.TB, writeTimeout time.Duration) (*session, *websocket.Conn) {
	t.Helper()
	accepted := make(chan *websocket.Conn, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		accepted <- c
		<-r.Context().Done()
	}))
	t.Cleanup(ts.Close)
	client, _, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	client.SetReadLimit(-1)
	t.Cleanup(func() { client.CloseNow() })
	srv := &Server{cfg: Config{WriteTimeout: writeTimeout, SendQueue: 1, Burst: 1},
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s := newSession(srv, <-accepted, "")
	t.Cleanup(func() { s.conn.CloseNow() })
	return s, client
}

// TestSendTimesOut: a client that stops reading gets its connection
// closed once a frame has waited WriteTimeout to be written, and the
// session ends; frames to a reading client go through.
func TestSendTimesOut(t *testing.T) {
	s, client := sendPair(t, 300*time.Millisecond)
	for i := range 3 {
		if !s.send([]byte(`{"type":"state"}`)) {
			t.Fatalf("frame %d not sent to a reading client", i)
		}
		if _, b, err := client.Read(context.Background()); err != nil || string(b) != `{"type":"state"}` {
			t.Fatalf("frame %d read as %q, %v", i, b, err)
		}
	}
	// 64 MB cannot fit in the sockets' buffers: the write blocks until
	// the watchdog closes the connection.
	start := time.Now()
	if s.send(make([]byte, 64<<20)) {
		t.Fatal("a 64 MB frame to a client that does not read was sent")
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the write gave up after %v (timeout 300ms)", took)
	}
	select {
	case <-s.done:
	default:
		t.Error("the session goes on after a write timed out")
	}
	if s.code != websocket.StatusAbnormalClosure {
		t.Errorf("session ended with %d, want %d", s.code, websocket.StatusAbnormalClosure)
	}
}

// BenchmarkSend writes a state-sized frame to a client reading on
// loopback: the session's part of every frame after its encoding.
func BenchmarkSend(b *testing.B) {
	s, client := sendPair(b, 10*time.Second)
	go func() {
		for {
			if _, _, err := client.Read(context.Background()); err != nil {
				return
			}
		}
	}()
	frame := []byte(`{"type":"state","pad":"` + strings.Repeat("x", 2900) + `"}`)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		if !s.send(frame) {
			b.Fatal("not sent")
		}
	}
}

// BenchmarkDeliver queues a state-sized frame and waits for the client to
// read it: the hand-off from a table to the session's writer, the write
// and the read, one frame at a time (so a writer starts for each).
func BenchmarkDeliver(b *testing.B) {
	s, client := sendPair(b, 10*time.Second)
	s.srv.cfg.SendQueue = 64
	got := make(chan struct{})
	go func() {
		for {
			if _, _, err := client.Read(context.Background()); err != nil {
				return
			}
			got <- struct{}{}
		}
	}()
	frame := rawFrame(`{"type":"state","pad":"` + strings.Repeat("x", 2900) + `"}`)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		s.enqueue(frame)
		<-got
	}
}
