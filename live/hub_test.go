package live

import (
	"context"
	"errors"
	"sync"
	"time"
)

// hub is an in-memory stand-in for the shared Redis, for testing the
// cluster logic under testing/synctest: leases expire on the bubble's
// clock, and the bus delivers each instance's messages in order on a
// goroutine of its own. The real Redis implementation (package cluster)
// has its own tests, and the process tests run on it.
type hub struct {
	mu     sync.Mutex
	ttl    time.Duration
	leases map[string]hubLease
	rooms  map[string]string
	cache  map[string]hubState
	subs   map[string]map[*node]bool
	nodes  map[string]*node
	// drop, if set, is asked about every publication to a game's
	// channel and every send, per receiver: true loses it.
	drop func(to *node, msg []byte) bool
}

type hubLease struct {
	holder string
	until  time.Time
}

type hubState struct {
	seq  int64
	data []byte
}

var errDown = errors.New("hub: instance is down")

func newHub(ttl time.Duration) *hub {
	return &hub{ttl: ttl, leases: map[string]hubLease{}, rooms: map[string]string{},
		cache: map[string]hubState{}, subs: map[string]map[*node]bool{}, nodes: map[string]*node{}}
}

// node is one instance's connection to the hub.
type node struct {
	h       *hub
	id      string
	queue   chan func()
	handler func(string, []byte)
	down    bool // killed or cut off: every call fails, nothing is delivered
	deaf    bool // receives nothing, but its calls work
}

// node connects an instance; stop it with close.
func (h *hub) node(id string) *node {
	n := &node{h: h, id: id, queue: make(chan func(), 100000)}
	h.mu.Lock()
	h.nodes[id] = n
	h.mu.Unlock()
	go func() {
		for f := range n.queue {
			f()
		}
	}()
	return n
}

func (n *node) close() { close(n.queue) }

// kill makes the instance unreachable, as kill -9 would: its leases stay
// until they expire.
func (n *node) kill() {
	n.h.mu.Lock()
	defer n.h.mu.Unlock()
	n.down = true
}

func (n *node) check() error {
	if n.down {
		return errDown
	}
	return nil
}

func (n *node) Instance() string { return n.id }

func (n *node) TTL() time.Duration { return n.h.ttl }

func (n *node) Acquire(ctx context.Context, gameID string) (string, error) {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return "", err
	}
	l, ok := h.leases[gameID]
	if !ok || !l.until.After(time.Now()) {
		h.leases[gameID] = hubLease{n.id, time.Now().Add(h.ttl)}
		return n.id, nil
	}
	return l.holder, nil
}

func (n *node) Renew(ctx context.Context, gameID, code string) (string, error) {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return "", err
	}
	l, ok := h.leases[gameID]
	if ok && l.until.After(time.Now()) && l.holder != n.id {
		return l.holder, nil
	}
	h.leases[gameID] = hubLease{n.id, time.Now().Add(h.ttl)}
	if code != "" {
		if _, taken := h.rooms[code]; !taken {
			h.rooms[code] = gameID
		}
	}
	return n.id, nil
}

func (n *node) Release(ctx context.Context, gameID string) error {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return err
	}
	if l := h.leases[gameID]; l.holder == n.id {
		delete(h.leases, gameID)
	}
	return nil
}

// holder returns a game's lease holder, as the hub sees it now.
func (h *hub) holder(gameID string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.leases[gameID]; ok && l.until.After(time.Now()) {
		return l.holder
	}
	return ""
}

func (n *node) ClaimRoom(ctx context.Context, code, gameID string) (bool, error) {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return false, err
	}
	if cur, ok := h.rooms[code]; ok {
		return cur == gameID, nil
	}
	h.rooms[code] = gameID
	return true, nil
}

func (n *node) LookupRoom(ctx context.Context, code string) (string, error) {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return "", err
	}
	return h.rooms[code], nil
}

func (n *node) ReleaseRoom(ctx context.Context, code, gameID string) error {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return err
	}
	if h.rooms[code] == gameID {
		delete(h.rooms, code)
	}
	return nil
}

func (n *node) SaveState(ctx context.Context, gameID string, seq int64, data []byte) error {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return err
	}
	if cur, ok := h.cache[gameID]; !ok || seq >= cur.seq {
		h.cache[gameID] = hubState{seq, append([]byte(nil), data...)}
	}
	return nil
}

func (n *node) LoadState(ctx context.Context, gameID string) (int64, []byte, error) {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return 0, nil, err
	}
	s := h.cache[gameID]
	return s.seq, s.data, nil
}

func (n *node) StateSeq(ctx context.Context, gameID string) (int64, error) {
	seq, _, err := n.LoadState(ctx, gameID)
	return seq, err
}

func (n *node) Publish(ctx context.Context, gameID string, msg []byte) error {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return err
	}
	for to := range h.subs[gameID] {
		h.deliver(to, gameID, msg)
	}
	return nil
}

func (n *node) Send(ctx context.Context, instance string, msg []byte) error {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return err
	}
	if to := h.nodes[instance]; to != nil {
		h.deliver(to, "", msg)
	}
	return nil
}

// deliver queues msg for to's handler; the hub's lock is held.
func (h *hub) deliver(to *node, gameID string, msg []byte) {
	if to.down || to.deaf || (h.drop != nil && h.drop(to, msg)) {
		return
	}
	msg = append([]byte(nil), msg...)
	to.queue <- func() {
		h.mu.Lock()
		f, down := to.handler, to.down
		h.mu.Unlock()
		if f != nil && !down {
			f(gameID, msg)
		}
	}
}

func (n *node) Subscribe(ctx context.Context, gameID string) error {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := n.check(); err != nil {
		return err
	}
	if h.subs[gameID] == nil {
		h.subs[gameID] = map[*node]bool{}
	}
	h.subs[gameID][n] = true
	return nil
}

func (n *node) Unsubscribe(ctx context.Context, gameID string) error {
	h := n.h
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs[gameID], n)
	return nil
}

func (n *node) Listen(f func(string, []byte)) {
	n.h.mu.Lock()
	defer n.h.mu.Unlock()
	n.handler = f
}
