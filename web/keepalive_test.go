package web

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coder/websocket"

	"golf/live"
)

// TestPingCutsOffSilentClient: a client in a room that stops reading
// (so it answers no ping) is disconnected with 1008 "no pong", and the
// server forgets its session. (A client answers pings only while it
// reads: coder/websocket answers them in its reader.)
func TestPingCutsOffSilentClient(t *testing.T) {
	ts := newTestServer(t, func(s *testSetup) {
		s.PingInterval = 20 * time.Millisecond
		s.HandshakeTimeout = time.Hour // only the pings may end it
	})
	ctx := context.Background()
	conn, _, err := websocket.Dial(ctx, ts.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"v":1,"id":1,"type":"create","name":"Quiet"}`)); err != nil {
		t.Fatal(err)
	}
	// No read from here: the server's pings go unanswered.
	var sess *session
	for sess == nil {
		ts.srv.mu.Lock()
		for s := range ts.srv.sessions {
			sess = s
		}
		ts.srv.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	<-sess.done
	if sess.code != websocket.StatusPolicyViolation || sess.reason != "no pong" {
		t.Errorf("session ended with %d %q, want 1008 \"no pong\"", sess.code, sess.reason)
	}
	// And it is forgotten.
	for sessions := 1; sessions > 0; time.Sleep(5 * time.Millisecond) {
		ts.srv.mu.Lock()
		sessions = len(ts.srv.sessions)
		ts.srv.mu.Unlock()
	}
}

// TestSlowClientTryAgainLater: a session whose queue is full when a frame
// comes (its writer is stuck) ends with 1013 (the client resumes), and
// delivering to it does not block the table.
func TestSlowClientTryAgainLater(t *testing.T) {
	s, _ := sendPair(t, time.Minute) // SendQueue 1
	s.writing = true                 // as if a writer were busy with a client that does not read
	s.Deliver(&live.Reject{ID: 1, Err: errors.New("one")})
	select {
	case <-s.done:
		t.Fatal("the session ended with its queue not yet full")
	default:
	}
	s.Deliver(&live.Reject{ID: 2, Err: errors.New("two")})
	select {
	case <-s.done:
	default:
		t.Fatal("the session goes on with its queue overflowing")
	}
	if s.code != websocket.StatusTryAgainLater {
		t.Errorf("session ended with %d, want %d", s.code, websocket.StatusTryAgainLater)
	}
}
