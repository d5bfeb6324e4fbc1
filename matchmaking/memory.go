package matchmaking

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// Memory is a Queue in this process, for one instance alone.
type Memory struct {
	mu      sync.Mutex
	tickets map[string]Ticket
	seats   map[string]memSeat
}

type memSeat struct {
	seat  Seat
	until time.Time
}

// NewMemory returns an empty in-process queue.
func NewMemory() *Memory {
	return &Memory{tickets: map[string]Ticket{}, seats: map[string]memSeat{}}
}

// Join implements Queue.
func (m *Memory) Join(_ context.Context, t Ticket) error {
	if t.Size < MinSize || t.Size > MaxSize {
		return ErrSize
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tickets[t.Player] = t
	delete(m.seats, t.Player)
	return nil
}

// Leave implements Queue.
func (m *Memory) Leave(_ context.Context, player string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.tickets[player]
	delete(m.tickets, player)
	return ok, nil
}

// Take implements Queue.
func (m *Memory) Take(_ context.Context, now time.Time, wait time.Duration) ([]Group, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var groups []Group
	for size := MinSize; size <= MaxSize; size++ {
		var q []Ticket
		for _, t := range m.tickets {
			if t.Size == size {
				q = append(q, t)
			}
		}
		// The order Redis keeps: by time queued, then by player id.
		slices.SortFunc(q, func(a, b Ticket) int {
			return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.Player, b.Player))
		})
		for len(q) >= size {
			groups = append(groups, Group{Size: size, Players: q[:size:size]})
			q = q[size:]
		}
		if len(q) > 0 && !now.Before(q[0].Since.Add(wait)) {
			groups = append(groups, Group{Size: size, Players: q})
		}
	}
	for _, g := range groups {
		for _, t := range g.Players {
			delete(m.tickets, t.Player)
		}
	}
	return groups, nil
}

// Seat implements Queue.
func (m *Memory) Seat(_ context.Context, player string, s Seat, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seats[player] = memSeat{seat: s, until: time.Now().Add(ttl)}
	return nil
}

// Poll implements Queue.
func (m *Memory) Poll(_ context.Context, players []string) (map[string]Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]Status, len(players))
	now := time.Now()
	for _, p := range players {
		var st Status
		if s, ok := m.seats[p]; ok {
			if now.Before(s.until) {
				seat := s.seat
				st.Seat = &seat
			} else {
				delete(m.seats, p)
			}
		}
		_, st.Waiting = m.tickets[p]
		out[p] = st
	}
	return out, nil
}
