package web

import (
	"context"
	"encoding/json"
	"net/http"

	"golf/game"
	"golf/live"
	"golf/matchmaking"
)

// Quick play (docs/protocol.md "Quick play"): a connection with no room
// sends queue; the matcher (package matchmaking) seats the player at a new
// table, on this instance or another, and the session then resumes the
// seat it was given, as a reconnecting client would. Also here: the list
// of public lobbies, GET /api/rooms.

// QuickOpener is the matchmaking.Opener that opens quick-play tables on m.
func QuickOpener(m *live.Manager) matchmaking.Opener {
	return func(ctx context.Context, g matchmaking.Group) (map[string]matchmaking.Seat, error) {
		players := make([]live.QuickSeat, len(g.Players))
		for i, p := range g.Players {
			players[i] = live.QuickSeat{PlayerID: p.Player, Name: p.Name}
		}
		room, tokens, err := m.OpenQuick(ctx, players, g.Size)
		if err != nil {
			return nil, err
		}
		seats := make(map[string]matchmaking.Seat, len(tokens))
		for id, tok := range tokens {
			seats[id] = matchmaking.Seat{Room: room, Token: tok}
		}
		return seats, nil
	}
}

// matched is queued for the session's writer when its player has a seat.
type matched struct{ seat matchmaking.Seat }

type queuedFrame struct {
	V      int    `json:"v"`
	Type   string `json:"type"`
	ID     int64  `json:"id,omitempty"`
	Size   int    `json:"size"`
	WaitMS int64  `json:"wait_ms"`
}

type matchedFrame struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	Room string `json:"room"`
}

// queue handles queue and leave_queue.
func (s *session) queue(ctx context.Context, r request) {
	q := s.srv.quick
	if r.Type == "leave_queue" {
		player := s.queued.Load()
		if player == nil {
			s.reject(r.ID, badRequest("you are not in the queue"))
			return
		}
		ok, err := q.Cancel(ctx, *player)
		if err != nil {
			s.log.Warn("quick play: cannot leave the queue", "err", err)
			s.reject(r.ID, live.ErrUnavailable)
			return
		}
		if ok {
			s.queued.Store(nil)
			b, _ := json.Marshal(queuedFrame{V: ProtocolVersion, Type: "queue_left", ID: r.ID})
			s.enqueue(rawFrame(b))
		}
		// Not ok: matched already; the seat follows (matched).
		return
	}
	if s.queued.Load() != nil {
		s.reject(r.ID, badRequest("you are in the queue already"))
		return
	}
	if r.Size < matchmaking.MinSize || r.Size > matchmaking.MaxSize {
		s.reject(r.ID, &live.Error{Code: live.CodeBadRequest, Msg: "size must be 2 to 6"})
		return
	}
	name, err := checkName(r.Name)
	if err != nil {
		s.reject(r.ID, err)
		return
	}
	player, err := s.srv.seatUser(ctx, s, name)
	if err != nil {
		s.reject(r.ID, err)
		return
	}
	// Each match opens a table: queueing counts against the room-creation
	// limit, per address and per user (limits.go).
	if err := s.srv.allowCreate(ctx, s); err != nil {
		s.reject(r.ID, err)
		return
	}
	if player == "" {
		if s.guest == "" {
			s.guest = live.NewGuestID()
		}
		player = s.guest
	}
	s.queued.Store(&player)
	err = q.Enqueue(ctx, player, name, r.Size, func(seat matchmaking.Seat) { s.enqueue(matched{seat}) })
	if err != nil {
		s.queued.Store(nil)
		s.log.Warn("quick play: cannot join the queue", "err", err)
		s.reject(r.ID, live.ErrUnavailable)
		return
	}
	b, _ := json.Marshal(queuedFrame{V: ProtocolVersion, Type: "queued", ID: r.ID, Size: r.Size, WaitMS: q.Wait().Milliseconds()})
	s.enqueue(rawFrame(b))
}

// checkName applies the rules' name check before a player is queued, so a
// bad name is refused now rather than when the table opens.
func checkName(name string) (string, error) {
	if !game.ValidName(name) {
		return "", &game.Error{Code: game.CodeInvalidName, Msg: "name must be 1–" + itoa(game.MaxNameLen) + " printable characters"}
	}
	return name, nil
}

// rawFrame is a frame encoded already.
type rawFrame []byte

// seated takes the session to its quick-play seat (on the writer's goroutine).
func (s *session) seated(m matched) {
	s.queued.Store(nil)
	b, _ := json.Marshal(matchedFrame{V: ProtocolVersion, Type: "matched", Room: m.seat.Room})
	if !s.send(b) {
		return
	}
	s.follow(&live.Moved{Room: m.seat.Room, Token: m.seat.Token})
}

// forgetQueue takes a session that ends while queued out of the queue.
func (s *session) forgetQueue() {
	if p := s.queued.Load(); p != nil {
		s.srv.quick.Forget(context.Background(), *p)
	}
}

// publicRoomsResponse is GET /api/rooms.
type publicRoomsResponse struct {
	Rooms []live.PublicRoom `json:"rooms"`
}

// apiRooms is GET /api/rooms: the public lobbies with a free seat, on
// every instance.
func (s *Server) apiRooms(w http.ResponseWriter, r *http.Request) {
	rooms, err := s.live.PublicRooms(r.Context())
	if err != nil {
		code, _, msg := live.ErrorCode(err)
		writeError(w, http.StatusServiceUnavailable, code, msg)
		return
	}
	if len(rooms) > maxListed {
		rooms = rooms[:maxListed]
	}
	writeJSON(w, http.StatusOK, publicRoomsResponse{Rooms: rooms})
}

// maxListed bounds GET /api/rooms.
const maxListed = 50
