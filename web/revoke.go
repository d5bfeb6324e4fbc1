package web

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/coder/websocket"

	"golf/live"
)

// A session signed out, a password changed, an account closed or a user
// banned ends that user's live sockets at once, not at their next
// command. Each instance indexes its own sockets by user and session;
// with several instances the revocation is also published on the
// cluster's bus (Deps.Notices), and every instance closes its own.

// Notices carries small messages to every instance, this one included
// (package cluster, over Redis). Delivery is at most once.
type Notices interface {
	Publish(ctx context.Context, msg []byte) error
	// Listen sets the receiver of every message published (by any
	// instance, this one included).
	Listen(func(msg []byte))
}

// Close reasons, as the socket's close frame and the error code before it
// say them (docs/protocol.md).
const (
	closeSignedOut = "signed_out" // the session was revoked, or the account closed
	closeBanned    = "banned"     // an admin banned the user
)

// revocation says which sockets must close: every one of User's, or only
// those of Session, or all but those of Except.
type revocation struct {
	User    string `json:"u"`
	Session string `json:"s,omitempty"`
	Except  string `json:"x,omitempty"`
	Reason  string `json:"r"`
	Message string `json:"m,omitempty"`
}

// connKey is what a socket is indexed by: the user it acts for and the
// account session that opened it ("" for none: a bot's ephemeral guest,
// a seat token's holder).
type connKey struct{ user, session string }

// connIndex is this instance's sockets by user.
type connIndex struct {
	mu     sync.Mutex
	keys   map[*session]connKey
	byUser map[string]map[*session]struct{}
}

func newConnIndex() *connIndex {
	return &connIndex{keys: map[*session]connKey{}, byUser: map[string]map[*session]struct{}{}}
}

// set indexes sess under k (replacing what it was under).
func (c *connIndex) set(sess *session, k connKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(sess)
	if k.user == "" {
		return
	}
	c.keys[sess] = k
	m := c.byUser[k.user]
	if m == nil {
		m = map[*session]struct{}{}
		c.byUser[k.user] = m
	}
	m[sess] = struct{}{}
}

func (c *connIndex) drop(sess *session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(sess)
}

func (c *connIndex) dropLocked(sess *session) {
	k, ok := c.keys[sess]
	if !ok {
		return
	}
	delete(c.keys, sess)
	if m := c.byUser[k.user]; m != nil {
		delete(m, sess)
		if len(m) == 0 {
			delete(c.byUser, k.user)
		}
	}
}

// rekey moves the sockets of session old to user's session next: a guest
// who registers or signs in keeps the sockets it has, and they now belong
// to the session that replaced the guest's.
func (c *connIndex) rekey(old, user, next string) {
	if old == "" {
		return
	}
	c.mu.Lock()
	var moved []*session
	for sess, k := range c.keys {
		if k.session == old {
			moved = append(moved, sess)
		}
	}
	c.mu.Unlock()
	for _, sess := range moved {
		c.set(sess, connKey{user, next})
	}
}

// match returns the sockets a revocation closes.
func (c *connIndex) match(rv revocation) []*session {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*session
	for sess := range c.byUser[rv.User] {
		k := c.keys[sess]
		if (rv.Session == "" || k.session == rv.Session) && (rv.Except == "" || k.session != rv.Except) {
			out = append(out, sess)
		}
	}
	return out
}

// count returns how many sockets a user has here (for tests).
func (c *connIndex) count(user string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byUser[user])
}

// revoked closes the sockets rv names, here and, through the notices, on
// every other instance.
func (s *Server) revoked(rv revocation) {
	s.closeRevoked(rv)
	if s.notices == nil {
		return
	}
	b, _ := json.Marshal(rv) // strings only: cannot fail
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := s.notices.Publish(ctx, b); err != nil {
		s.log.Warn("cannot tell the other instances of a revocation", "err", err)
	}
}

// onNotice takes a revocation another instance (or this one) published.
func (s *Server) onNotice(msg []byte) {
	var rv revocation
	if err := json.Unmarshal(msg, &rv); err != nil || rv.User == "" {
		s.log.Warn("bad revocation notice", "len", len(msg), "err", err)
		return
	}
	s.closeRevoked(rv)
}

func (s *Server) closeRevoked(rv revocation) {
	for _, sess := range s.conns.match(rv) {
		s.conns.drop(sess)
		msg := rv.Message
		if msg == "" {
			msg = "you were signed out"
			if rv.Reason == closeBanned {
				msg = "you are banned"
			}
		}
		sess.enqueue(&live.Reject{Err: &live.Error{Code: live.Code(rv.Reason), Msg: msg}})
		sess.enqueue(closeAfter{websocket.StatusPolicyViolation, rv.Reason})
	}
}
