package replay

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"golf/game"
	"golf/store"
)

// Store is what the service needs of a backend: the log and the replay
// storage (both backends implement both).
type Store interface {
	store.Store
	store.Replays
}

// Viewer is who asks: a signed-in user (ID, and the guest ids linked into
// the account, whose games are theirs), an admin, or nobody (zero).
type Viewer struct {
	ID     string
	Linked []string
	Admin  bool
}

// owns reports whether the viewer sat in the game or imported it.
func (v Viewer) owns(g store.Game) bool {
	if v.ID == "" {
		return false
	}
	if g.Imported {
		return g.ImportedBy == v.ID
	}
	for _, id := range g.PlayerIDs {
		if id == v.ID || slices.Contains(v.Linked, id) {
			return true
		}
	}
	return false
}

// Service serves exports, imports, replays and visibility over a store.
type Service struct {
	st  Store
	now func() time.Time
}

// New returns a Service over st; now is the clock (nil: time.Now).
func New(st Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now}
}

// game returns the row of a game the viewer may open, or ErrNotFound
// (missing, malformed id, or private and not theirs: the same answer).
func (s *Service) game(ctx context.Context, id string, v Viewer) (store.Game, error) {
	if store.CheckGameID(id) != nil {
		return store.Game{}, ErrNotFound
	}
	g, err := s.st.Game(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Game{}, ErrNotFound
	}
	if err != nil {
		return store.Game{}, fmt.Errorf("replay: %w", err)
	}
	if g.Visibility == store.Private && !v.Admin && !v.owns(g) {
		return store.Game{}, ErrNotFound
	}
	return g, nil
}

// Visible reports whether the viewer may open the game: false for a
// private game that is not theirs, as for a missing one.
func (s *Service) Visible(ctx context.Context, id string, v Viewer) (bool, error) {
	_, err := s.game(ctx, id, v)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// finished returns a visible ended game's row and log: ErrUnfinished for a
// game in progress (its row says nothing more), ErrArchived.
func (s *Service) finished(ctx context.Context, id string, v Viewer) (store.Game, []store.Record, error) {
	g, err := s.game(ctx, id, v)
	if err != nil {
		return g, nil, err
	}
	if g.Status == "active" {
		return g, nil, ErrUnfinished
	}
	if !g.ArchivedAt.IsZero() {
		return g, nil, ErrArchived
	}
	recs, err := s.st.Load(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return g, nil, ErrNotFound
	}
	if err != nil {
		return g, nil, fmt.Errorf("replay: %w", err)
	}
	return g, recs, nil
}

// Export returns a finished game's export document.
func (s *Service) Export(ctx context.Context, id string, v Viewer) (*Document, error) {
	g, recs, err := s.finished(ctx, id, v)
	if err != nil {
		return nil, err
	}
	return Build(g, recs)
}

// Info is what a game's page shows before its replay loads, and the
// recent games list's rows.
type Info struct {
	ID          string           `json:"id"`
	RoomCode    string           `json:"room_code"`
	Status      string           `json:"status"`
	Visibility  store.Visibility `json:"visibility"`
	Imported    bool             `json:"imported"`
	CreatedAt   time.Time        `json:"created_at"`
	CompletedAt *time.Time       `json:"completed_at"`
	PlayerIDs   []string         `json:"player_ids"`
	WinnerID    string           `json:"winner_id,omitempty"`
	Rounds      int              `json:"rounds"`
	// Mine: the viewer sat in the game or imported it (they may change its
	// visibility).
	Mine bool `json:"mine"`
	// Players and Totals are read from the log's PlayerJoined and GameEnded
	// events (public facts), when it is here.
	Players []Player          `json:"players"`
	Totals  []game.GamePlayer `json:"totals"`
}

func info(g store.Game, v Viewer) Info {
	i := Info{ID: g.ID, RoomCode: g.RoomCode, Status: g.Status, Visibility: g.Visibility, Imported: g.Imported,
		CreatedAt: g.CreatedAt.UTC(), PlayerIDs: g.PlayerIDs, WinnerID: g.WinnerID, Rounds: g.NumRounds, Mine: v.owns(g)}
	if i.PlayerIDs == nil {
		i.PlayerIDs = []string{}
	}
	if !g.CompletedAt.IsZero() {
		t := g.CompletedAt.UTC()
		i.CompletedAt = &t
	}
	return i
}

// Info returns a visible game's summary (games in progress included: it
// names no card).
func (s *Service) Info(ctx context.Context, id string, v Viewer) (Info, error) {
	g, err := s.game(ctx, id, v)
	if err != nil {
		return Info{}, err
	}
	i := info(g, v)
	return i, s.people(ctx, &i)
}

// people fills in the players' names and the final totals from the log,
// decoding only the events that hold them.
func (s *Service) people(ctx context.Context, i *Info) error {
	i.Players, i.Totals = []Player{}, []game.GamePlayer{}
	recs, err := s.st.Load(ctx, i.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // archived
	}
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	started := false
	for _, r := range recs {
		switch r.Type {
		case "GameStarted":
			started = true
			continue
		case "PlayerJoined", "GameEnded":
		case "PlayerLeft":
			if started {
				continue // a seat left mid-game keeps its place
			}
		default:
			continue
		}
		e, err := r.Event()
		if err != nil {
			return fmt.Errorf("replay: game %s event %d: %w", i.ID, r.Seq, err)
		}
		switch e := e.(type) {
		case game.PlayerJoined:
			i.Players = append(i.Players, Player{ID: e.PlayerID, Name: e.Name, CPU: e.CPU, Profile: e.Profile, Seat: len(i.Players)})
		case game.PlayerLeft:
			// In the lobby a leaver gives up their place (rules: the join
			// order is the seat order), so the seats after it move up.
			i.Players = slices.DeleteFunc(i.Players, func(p Player) bool { return p.ID == e.PlayerID })
			for k := range i.Players {
				i.Players[k].Seat = k
			}
		case game.GameEnded:
			i.Totals = e.Players
		}
	}
	if len(i.PlayerIDs) == 0 {
		// The store records the players when the game starts; until then
		// they are the lobby's seats.
		for _, p := range i.Players {
			i.PlayerIDs = append(i.PlayerIDs, p.ID)
		}
	}
	return nil
}

// SetVisibility changes a game's visibility. The host (who created the
// game) may set it at any time; a player of a finished game, or its
// importer, may too (to make their link private, or share it again);
// admins may always. Anyone else gets ErrForbidden, or ErrNotFound for a
// private game they cannot see.
func (s *Service) SetVisibility(ctx context.Context, id string, vis store.Visibility, v Viewer) error {
	if !vis.Valid() {
		return fmt.Errorf("replay: visibility %q: %w", vis, store.ErrInvalid)
	}
	g, err := s.game(ctx, id, v)
	if err != nil {
		return err
	}
	allowed := v.Admin || (g.Status != "active" && v.owns(g))
	if !allowed && v.ID != "" && !g.Imported {
		host, err := s.host(ctx, id)
		if err != nil {
			return err
		}
		allowed = host != "" && (host == v.ID || slices.Contains(v.Linked, host))
	}
	if !allowed {
		return ErrForbidden
	}
	if err := s.st.SetVisibility(ctx, id, vis); err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	return nil
}

// host returns the id of the player who created a game ("" if its log is
// gone), from its first event.
func (s *Service) host(ctx context.Context, id string) (string, error) {
	recs, err := s.st.Load(ctx, id)
	if errors.Is(err, store.ErrNotFound) || len(recs) == 0 {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("replay: %w", err)
	}
	e, err := recs[0].Event()
	if err != nil {
		return "", fmt.Errorf("replay: game %s: %w", id, err)
	}
	if c, ok := e.(game.GameCreated); ok {
		return c.HostID, nil
	}
	return "", nil
}

// Recent returns a page of public finished games, newest first, and the
// cursor of the next page ("" when there is none).
func (s *Service) Recent(ctx context.Context, q store.PublicQuery) ([]Info, bool, error) {
	q.Limit++
	gs, err := s.st.PublicGames(ctx, q)
	if err != nil {
		return nil, false, fmt.Errorf("replay: %w", err)
	}
	more := len(gs) == q.Limit
	if more {
		gs = gs[:q.Limit-1]
	}
	out := make([]Info, len(gs))
	for i, g := range gs {
		out[i] = info(g, Viewer{})
		if err := s.people(ctx, &out[i]); err != nil {
			return nil, false, err
		}
	}
	return out, more, nil
}
