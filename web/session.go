package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"golf/live"
)

// session is one WebSocket connection. Its reader goroutine (the HTTP
// handler) decodes frames and passes them to the table; a writer
// goroutine encodes what the table delivers. The two meet only in the
// bounded queue, so a slow reader never holds up a table: when the queue
// is full the session ends itself with 1013 and the client resumes.
//
// The writer runs only while there is something to write: the first frame
// queued starts one, which exits when the queue is empty. Encoding a state
// frame takes a 16 KB stack (appendState's frame alone is 6.7 KB), which
// a writer waiting between frames kept: 16 KB per connection, idle most of
// the time (docs/BENCHMARKS.md, "Issue 16, second pass").
type session struct {
	srv    *Server
	conn   *websocket.Conn
	log    *slog.Logger
	invite string // the invite link without its room code
	rid    string // the upgrade request's id (requestid.go)
	cmds   commandClock
	user   string                 // the user its seats are (identity.go); "" until known, or without accounts
	addr   string                 // the client's address (security.go), for limits and kicks
	guest  string                 // without accounts: the guest id it queued as (quickplay.go)
	queued atomic.Pointer[string] // the player id waiting for quick play, or nil
	table  atomic.Pointer[live.Table]

	qmu     sync.Mutex
	pending []any         // queued for the writer, at most SendQueue
	writing bool          // a writer runs (or has closed the connection: none may start again)
	wrote   chan struct{} // closed once the writer has closed the connection
	// attached: the connection has been in a room (its first-frame
	// deadline is over).
	attached atomic.Bool

	done   chan struct{} // closed when the session ends
	once   sync.Once
	code   websocket.StatusCode
	reason string

	// Writer's own: the frame being encoded (from the server's pool for
	// a run of the writer), the room's invite link, made once per room,
	// and what the last state frame sent (keep.go).
	wbuf       []byte
	inviteRoom string
	inviteURL  string
	sent       sentView
	watchdog   *time.Timer // send's

	pings atomic.Pointer[time.Timer] // runs ping

	// Reader's own.
	buf     bytes.Buffer
	tokens  float64
	last    time.Time
	strikes int
}

// closeAfter is queued after a last frame: the writer sends what is before
// it, then closes the connection with code.
type closeAfter struct {
	code   websocket.StatusCode
	reason string
}

// maxKeptFrame is the largest frame buffer kept for the next writer
// (state frames are 2–4 KB).
const maxKeptFrame = 16 << 10

// errTooLarge is the reader's own error for an oversized frame.
var errTooLarge = errors.New("frame too large")

func newSession(srv *Server, conn *websocket.Conn, invite string) *session {
	return &session{
		srv: srv, conn: conn, invite: invite,
		log:    srv.log,
		done:   make(chan struct{}),
		wrote:  make(chan struct{}),
		tokens: float64(srv.cfg.Burst),
		last:   time.Now(),
	}
}

// Addr implements live.Addresser: the client's address.
func (s *session) Addr() string { return s.addr }

// Deliver implements live.Client. It never blocks.
func (s *session) Deliver(m live.Message) { s.enqueue(m) }

func (s *session) enqueue(m any) {
	select {
	case <-s.done:
		return
	default:
	}
	s.qmu.Lock()
	if len(s.pending) >= s.srv.cfg.SendQueue {
		s.qmu.Unlock()
		s.log.Info("slow client disconnected", "queue", s.srv.cfg.SendQueue)
		s.end(websocket.StatusTryAgainLater, "too slow: resume")
		return
	}
	s.pending = append(s.pending, m)
	start := !s.writing
	s.writing = true
	s.qmu.Unlock()
	if start {
		go s.writer()
	}
}

// end marks the session over; the writer closes the connection with code.
func (s *session) end(code websocket.StatusCode, reason string) {
	s.once.Do(func() {
		s.code, s.reason = code, reason
		close(s.done)
		s.qmu.Lock()
		start := !s.writing
		s.writing = true
		s.qmu.Unlock()
		if start {
			go s.writer()
		}
	})
}

func (s *session) reject(id int64, err error) { s.enqueue(&live.Reject{ID: id, Err: err}) }

// serve runs the session until the connection ends.
func (s *session) serve() {
	// Stored before it is set: ping sets it again.
	pings := time.AfterFunc(time.Hour, s.ping)
	pings.Stop()
	s.pings.Store(pings)
	pings.Reset(s.srv.cfg.PingInterval)
	if !s.readLoop() {
		s.end(websocket.StatusNormalClosure, "")
	}
	pings.Stop()
	<-s.wrote
	s.forgetQueue()
	if t := s.table.Load(); t != nil {
		t.Detach(s)
	}
}

// readLoop reads frames until the connection fails, or until it has queued
// a closeAfter (it returns true then: the writer closes the connection).
//
// A connection has HandshakeTimeout from its upgrade to be in a room: one
// deadline, which failed create, join, resume or watch frames do not move.
// Past it the connection is closed with 1008 (docs/protocol.md). The
// deadline is a timer, not the read's context: a read whose context ends
// drops the connection without a close frame.
func (s *session) readLoop() bool {
	defer s.recoverSession("read")
	ctx := context.Background()
	deadline := time.AfterFunc(s.srv.cfg.HandshakeTimeout, func() {
		if s.table.Load() == nil && !s.attached.Load() {
			s.log.Info("no room joined before the deadline: disconnected")
			s.end(websocket.StatusPolicyViolation, "no room joined in time")
		}
	})
	defer deadline.Stop()
	for {
		data, err := s.read(ctx)
		switch {
		case errors.Is(err, errTooLarge):
			s.enqueue(&live.Reject{Err: &live.Error{Code: "too_large", Msg: "frames are limited to " + itoa(s.srv.cfg.MaxFrame) + " bytes"}})
			s.enqueue(closeAfter{websocket.StatusMessageTooBig, "frame too large"})
			return true
		case err != nil:
			return false
		}
		if !s.allow(time.Now()) {
			s.srv.metrics.RateLimited("ws_frame")
			// Every refused frame is answered, with its id when it has one,
			// so a client waiting for its command's answer hears why.
			s.reject(frameID(data), &live.Error{Code: CodeRateLimited, Msg: "too many frames; slow down"})
			if s.strikes > s.srv.cfg.Burst {
				s.log.Info("client flooding: disconnected")
				s.enqueue(closeAfter{websocket.StatusPolicyViolation, "rate limit"})
				return true
			}
			continue
		}
		attached := s.attached.Load()
		r, err := decodeFrame(data)
		s.commandIn(r, err)
		if !attached && err == nil && !sessionTypes[r.Type] && !queueTypes[r.Type] {
			err = badRequest("the first frame must be create, join, resume, watch or queue")
		}
		if err != nil {
			s.reject(r.ID, err)
			// A create the rules refuse (a setting's name or value) is a
			// create that fails: the connection stays for another try.
			if code, _, _ := live.ErrorCode(err); !attached && (code == string(live.CodeBadRequest) || !sessionTypes[r.Type]) {
				s.enqueue(closeAfter{websocket.StatusPolicyViolation, "bad first frame"})
				return true
			}
			continue
		}
		s.handle(ctx, r)
		// A queued connection waits for its seat with no deadline (quick
		// play): it counts as attached.
		if !attached && (s.table.Load() != nil || s.queued.Load() != nil) {
			s.attached.Store(true)
			deadline.Stop()
		}
	}
}

// frameID reads the id of a frame that will not be decoded (it was over
// the rate limit), or 0.
func frameID(data []byte) int64 {
	var f struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(data, &f) != nil || f.ID < 0 {
		return 0
	}
	return f.ID
}

// read returns the next text frame, or errTooLarge.
func (s *session) read(ctx context.Context) ([]byte, error) {
	typ, r, err := s.conn.Reader(ctx)
	if err != nil {
		return nil, err
	}
	s.buf.Reset()
	max := int64(s.srv.cfg.MaxFrame)
	if _, err := s.buf.ReadFrom(io.LimitReader(r, max+1)); err != nil {
		return nil, err
	}
	if int64(s.buf.Len()) > max {
		return nil, errTooLarge
	}
	if typ != websocket.MessageText {
		return []byte("binary"), nil // not JSON: bad_request
	}
	return s.buf.Bytes(), nil
}

// allow takes a token from the connection's bucket.
func (s *session) allow(now time.Time) bool {
	cfg := &s.srv.cfg
	s.tokens = min(float64(cfg.Burst), s.tokens+now.Sub(s.last).Seconds()*cfg.Rate)
	s.last = now
	if s.tokens >= 1 {
		s.tokens--
		s.strikes = 0
		return true
	}
	s.strikes++
	return false
}

func (s *session) handle(ctx context.Context, r request) {
	t := s.table.Load()
	if queueTypes[r.Type] {
		if t != nil {
			s.reject(r.ID, badRequest("this connection is already in room %s", t.RoomCode()))
			return
		}
		s.queue(ctx, r)
		return
	}
	if socialTypes[r.Type] {
		if t == nil {
			s.reject(r.ID, badRequest("send create, join, resume or watch first"))
			return
		}
		s.say(ctx, t, r)
		return
	}
	if !sessionTypes[r.Type] {
		if t == nil {
			s.reject(r.ID, badRequest("send create, join, resume or watch first"))
			return
		}
		if err := t.Do(ctx, s, r.ID, r.Action); err != nil {
			s.reject(r.ID, err)
		}
		return
	}
	if t != nil {
		s.reject(r.ID, badRequest("this connection is already in room %s", t.RoomCode()))
		return
	}
	if s.queued.Load() != nil {
		s.reject(r.ID, badRequest("you are in the quick-play queue: leave it first"))
		return
	}
	var err error
	var user string
	if r.Type == "create" {
		if err = s.srv.allowCreate(ctx, s); err == nil {
			if user, err = s.srv.seatUser(ctx, s, r.Name); err == nil {
				t, err = s.srv.live.CreateRoom(ctx, s, user, r.Name, r.Settings, r.RoomSet)
			}
		}
	} else if err = s.srv.allowLookup(ctx, s); err == nil {
		t, err = s.srv.live.Lookup(ctx, r.Room)
	}
	if err == nil && r.Type != "create" {
		switch r.Type {
		case "join":
			if user, err = s.srv.seatUser(ctx, s, r.Name); err == nil {
				err = t.JoinAs(ctx, s, user, r.Name)
			}
		case "resume":
			if err = s.srv.checkSeat(ctx, s, t, r.Token); err == nil {
				err = t.Resume(ctx, s, r.Token)
			}
		case "watch":
			err = t.Watch(ctx, s)
		}
	}
	if err != nil {
		s.reject(r.ID, err)
		return
	}
	s.table.Store(t)
}

// writer writes the queued frames until the queue is empty, or the
// session ends: then it closes the connection. Only one runs at a time.
func (s *session) writer() {
	idle := false // it stops for want of frames, not because the connection closed
	defer func() {
		if !idle {
			close(s.wrote) // writing stays true: no writer starts again
		}
	}()
	defer s.recoverSession("write")
	buf, _ := s.srv.frames.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	s.wbuf = (*buf)[:0]
	for {
		select {
		case <-s.done:
			s.conn.Close(s.code, s.reason)
			return
		default:
		}
		s.qmu.Lock()
		if len(s.pending) == 0 {
			// The buffer goes back before another writer may start.
			if cap(s.wbuf) <= maxKeptFrame {
				*buf = s.wbuf[:0]
				s.srv.frames.Put(buf)
			}
			s.wbuf = nil
			idle = true
			s.writing = false
			s.qmu.Unlock()
			return
		}
		m := s.pending[0]
		copy(s.pending, s.pending[1:])
		s.pending[len(s.pending)-1] = nil
		s.pending = s.pending[:len(s.pending)-1]
		s.qmu.Unlock()
		if !s.write(m) {
			return
		}
		s.commandOut(m)
		if u, ok := m.(*live.Update); ok {
			u.Release() // written: the table may reuse it
		}
	}
}

// write sends one queued item; false once the connection is closed.
func (s *session) write(m any) bool {
	var b []byte
	var err error
	switch m := m.(type) {
	case *live.Welcome:
		b, err = encodeWelcome(m, s.invite+m.Room)
		// The first state after a welcome is complete (docs/protocol.md).
		s.sent = sentView{}
	case *live.Update:
		if s.inviteRoom != m.Room.RoomCode {
			s.inviteRoom, s.inviteURL = m.Room.RoomCode, s.invite+m.Room.RoomCode
			s.sent.invite = false
		}
		b, err = appendState(s.wbuf[:0], m, s.inviteURL, time.Now().UnixMilli(), &s.sent)
		s.wbuf = b
	case *live.Reject:
		b = encodeError(m.ID, m.Err)
	case *live.Moved:
		s.follow(m)
		return true
	case *live.Chat:
		b, err = encodeChat(m)
	case rawFrame:
		b = m
	case matched:
		s.seated(m)
		return true
	case *live.Bye:
		return s.bye(m.Reason)
	case closeAfter:
		s.end(m.code, m.reason)
		s.conn.Close(m.code, m.reason)
		return false
	}
	if err != nil {
		s.log.Error("cannot encode frame", "err", err)
		return true
	}
	return s.send(b)
}

// send writes one frame. A frame that waits WriteTimeout to be written (a
// client that stopped reading) closes the connection, as a deadline would:
// one timer per session, reset for each frame, instead of a deadline
// context per frame (a timer, a context and the connection's watch of it,
// each time; docs/BENCHMARKS.md, "Issue 16"). Only the writer sends.
func (s *session) send(b []byte) bool {
	if s.watchdog == nil {
		s.watchdog = time.AfterFunc(s.srv.cfg.WriteTimeout, func() { s.conn.CloseNow() })
	} else {
		s.watchdog.Reset(s.srv.cfg.WriteTimeout)
	}
	err := s.conn.Write(context.Background(), websocket.MessageText, b)
	if !s.watchdog.Stop() {
		// It fired: the connection is closed, whatever Write said.
		err = errWriteTimeout
	}
	if err != nil {
		s.end(websocket.StatusAbnormalClosure, "")
		s.conn.CloseNow()
		return false
	}
	return true
}

var errWriteTimeout = errors.New("write timed out")

// bye closes the connection the way the protocol says for why.
func (s *session) bye(why live.ByeReason) bool {
	s.table.Store(nil)
	code, reason := websocket.StatusNormalClosure, string(why)
	switch why {
	case live.ByeKicked:
		s.send(encodeError(0, live.ErrKicked))
		code = websocket.StatusPolicyViolation
	case live.ByeReplaced:
		s.send(encodeError(0, &live.Error{Code: "replaced", Msg: "your seat was taken back on another connection"}))
	case live.ByeClosed:
		code, reason = websocket.StatusGoingAway, "room closed"
		if s.srv.closing.Load() {
			code, reason = websocket.StatusServiceRestart, "server restarting"
		}
	case live.ByeRestart:
		code, reason = websocket.StatusServiceRestart, "resume"
	}
	s.end(code, reason)
	s.conn.Close(code, reason)
	return false
}

// follow takes the client to the rematch's room.
func (s *session) follow(m *live.Moved) {
	s.table.Store(nil)
	ctx := context.Background()
	t, err := s.srv.live.Lookup(ctx, m.Room)
	if err == nil {
		if m.Token != "" {
			err = t.Resume(ctx, s, m.Token)
		}
		// Moved from another instance, the token may be for no seat there
		// (the player was not seated in the rematch): watch instead.
		if m.Token == "" || errors.Is(err, live.ErrBadToken) {
			err = t.Watch(ctx, s)
		}
	}
	if err != nil {
		s.send(encodeError(0, err))
		return
	}
	s.table.Store(t)
}

// ping is the keepalive, run by the session's ping timer every
// PingInterval: a client that does not answer within PingInterval is
// disconnected. No goroutine waits between pings: the timer's own runs
// for the ping's round trip, then sets the timer again. (A goroutine and
// a ticker per connection, waiting, were a third of the connections'
// goroutines; docs/BENCHMARKS.md, "Issue 16, second pass".)
func (s *session) ping() {
	select {
	case <-s.done:
		return
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.srv.cfg.PingInterval)
	err := s.conn.Ping(ctx)
	cancel()
	if err != nil {
		s.end(websocket.StatusPolicyViolation, "no pong")
		return
	}
	s.pings.Load().Reset(s.srv.cfg.PingInterval)
}
