package stats

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"golf/store"
)

// Directory resolves the name in a profile's address (/u/{name},
// /api/users/{name}) to the id statistics are kept under. The accounts
// store does it by username once it is wired; until then names are ids.
type Directory interface {
	PlayerID(ctx context.Context, name string) (string, error)
}

// IDs is the Directory whose names are the player ids themselves (a guest's
// id, cpu:maya).
type IDs struct{}

// PlayerID returns name.
func (IDs) PlayerID(_ context.Context, name string) (string, error) { return name, nil }

// ErrUnknownPlayer is returned for a name or id with no statistics.
var ErrUnknownPlayer = errors.New("stats: unknown player")

// QueryError is a request the service cannot answer as asked: Field names
// the parameter.
type QueryError struct{ Field, Msg string }

func (e *QueryError) Error() string { return "stats: " + e.Field + ": " + e.Msg }

// Config is the service's settings.
type Config struct {
	// MinGames is the games a player needs on the boards by win rate and by
	// average score (GOLF_LEADERBOARD_MIN_GAMES; the seed's 25).
	MinGames int
	PageSize int              // board rows per page
	Now      func() time.Time // the clock that names this month and week
}

// DefaultConfig is the production configuration.
func DefaultConfig() Config { return Config{MinGames: 25, PageSize: 50, Now: time.Now} }

// historyPage is how many games a history page holds.
const historyPage = 20

// recentGames is how many of a player's latest games the profile's chart
// of round scores draws from.
const recentGames = 10

// maxPage bounds the page numbers accepted: deep pages cost their offset.
const maxPage = 10_000

// Service answers the leaderboards, profiles and histories.
type Service struct {
	st  store.Stats
	dir Directory
	cfg Config
}

// NewService returns a Service over st; dir nil means IDs.
func NewService(st store.Stats, dir Directory, cfg Config) *Service {
	d := DefaultConfig()
	cfg.MinGames = cmp.Or(cfg.MinGames, d.MinGames)
	cfg.PageSize = cmp.Or(cfg.PageSize, d.PageSize)
	if cfg.Now == nil {
		cfg.Now = d.Now
	}
	if dir == nil {
		dir = IDs{}
	}
	return &Service{st: st, dir: dir, cfg: cfg}
}

// MinGames returns the boards' minimum games.
func (s *Service) MinGames() int { return s.cfg.MinGames }

// BoardQuery is a leaderboard request (GET /api/leaderboard).
type BoardQuery struct {
	By       string // wins, games, avg, rating
	Period   string // all, month, week
	Humans   bool   // games with two or more humans only
	Standard bool   // standard rules only
	Page     int    // from 1
}

// Row is one player's line on a board.
type Row struct {
	Rank         int      `json:"rank"`
	PlayerID     string   `json:"player_id"`
	Name         string   `json:"name"`
	CPU          bool     `json:"cpu"`
	GamesPlayed  int      `json:"games_played"`
	GamesWon     int      `json:"games_won"`
	WinRate      float64  `json:"win_rate"` // percent, one decimal
	RoundsPlayed int      `json:"rounds_played"`
	RoundsWon    int      `json:"rounds_won"`
	AvgScore     *float64 `json:"avg_score"` // points per round, one decimal; null without rounds
	Knockouts    int      `json:"knockouts"`
	Rating       Shown    `json:"rating"`
}

// Shown is a rating as displayed: mu − 3σ, with its parts.
type Shown struct {
	Value float64 `json:"value"` // mu − 3σ, one decimal
	Mu    float64 `json:"mu"`
	Sigma float64 `json:"sigma"`
}

func show(r store.Rating) Shown {
	return Shown{Value: round1(Display(r)), Mu: round2(r.Mu), Sigma: round2(r.Sigma)}
}

// Board is one page of a leaderboard.
type Board struct {
	By        string `json:"by"`
	Period    string `json:"period"`
	PeriodKey string `json:"period_key"` // all, month:2026-03, week:2026-03-02
	Vs        string `json:"vs"`         // all, humans
	Rules     string `json:"rules"`      // all, standard
	MinGames  int    `json:"min_games"`  // for wins and avg; 1 for the others
	Page      int    `json:"page"`
	PageSize  int    `json:"page_size"`
	More      bool   `json:"more"`
	Rows      []Row  `json:"rows"`
	// Me is the viewer's own row with its rank, wherever it is; null when
	// the viewer is unknown or not on the board.
	Me *Row `json:"me"`
}

func (s *Service) board(q BoardQuery) (store.Board, error) {
	b := store.Board{By: store.Measure(q.By), MinGames: s.cfg.MinGames}
	switch b.By {
	case store.ByWins, store.ByGames, store.ByAvg, store.ByRating:
	default:
		return b, &QueryError{"by", "want wins, games, avg or rating"}
	}
	now := s.cfg.Now()
	switch q.Period {
	case "all":
		b.Period = store.PeriodAll
	case "month":
		b.Period = store.MonthPeriod(now)
	case "week":
		b.Period = store.WeekPeriod(now)
	default:
		return b, &QueryError{"period", "want all, month or week"}
	}
	if q.Humans {
		b.Scope |= store.ScopeHumans
	}
	if q.Standard {
		b.Scope |= store.ScopeStandard
	}
	if b.By == store.ByGames || b.By == store.ByRating {
		b.MinGames = 1
	}
	return b, nil
}

// Leaderboard returns a page of a board and, when viewer is a player id,
// the viewer's own row.
func (s *Service) Leaderboard(ctx context.Context, q BoardQuery, viewer string) (Board, error) {
	b, err := s.board(q)
	if err != nil {
		return Board{}, err
	}
	if q.Page < 1 || q.Page > maxPage {
		return Board{}, &QueryError{"page", fmt.Sprintf("want 1 to %d", maxPage)}
	}
	rows, more, err := s.st.Leaderboard(ctx, b, (q.Page-1)*s.cfg.PageSize, s.cfg.PageSize)
	if err != nil {
		return Board{}, err
	}
	out := Board{By: q.By, Period: q.Period, PeriodKey: b.Period, Vs: "all", Rules: "all", MinGames: b.MinGames,
		Page: q.Page, PageSize: s.cfg.PageSize, More: more, Rows: make([]Row, 0, len(rows))}
	if q.Humans {
		out.Vs = "humans"
	}
	if q.Standard {
		out.Rules = "standard"
	}
	for _, r := range rows {
		out.Rows = append(out.Rows, row(r))
	}
	if viewer != "" {
		me, err := s.st.BoardRank(ctx, b, viewer)
		switch {
		case err == nil:
			r := row(me)
			out.Me = &r
		case !errors.Is(err, store.ErrNotFound):
			return Board{}, err
		}
	}
	return out, nil
}

func row(r store.BoardRow) Row {
	out := Row{Rank: r.Rank, PlayerID: r.PlayerID, Name: r.Name, CPU: r.CPU, GamesPlayed: r.GamesPlayed,
		GamesWon: r.GamesWon, RoundsPlayed: r.RoundsPlayed, RoundsWon: r.RoundsWon, Knockouts: r.Knockouts,
		Rating: show(r.Rating), WinRate: percent(r.GamesWon, r.GamesPlayed)}
	out.AvgScore = ratio(r.TotalPoints, r.RoundsPlayed)
	return out
}

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round1(float64(a) * 100 / float64(b))
}

func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	v := round1(float64(a) / float64(b))
	return &v
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Figures are the additive figures of a set of games, with their rates.
type Figures struct {
	GamesPlayed  int      `json:"games_played"`
	GamesWon     int      `json:"games_won"`
	WinRate      float64  `json:"win_rate"`
	RoundsPlayed int      `json:"rounds_played"`
	RoundsWon    int      `json:"rounds_won"`
	TotalPoints  int      `json:"total_points"`
	AvgScore     *float64 `json:"avg_score"`
}

func figures(c store.Counts) Figures {
	return Figures{GamesPlayed: c.GamesPlayed, GamesWon: c.GamesWon, WinRate: percent(c.GamesWon, c.GamesPlayed),
		RoundsPlayed: c.RoundsPlayed, RoundsWon: c.RoundsWon, TotalPoints: c.TotalPoints,
		AvgScore: ratio(c.TotalPoints, c.RoundsPlayed)}
}

// Profile is a player's statistics (GET /api/users/{name}).
type Profile struct {
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
	CPU      bool   `json:"cpu"`
	Figures
	BestRound   *int     `json:"best_round_score"`
	WorstRound  *int     `json:"worst_round_score"`
	Knockouts   int      `json:"knockouts"`
	Blunders    int      `json:"blunders"`
	GradedTurns int      `json:"graded_turns"`
	BlunderRate *float64 `json:"blunder_rate"` // blunders per 100 graded turns
	// VsHumans are the figures of games with two or more humans.
	VsHumans   Figures   `json:"vs_humans"`
	Rating     Shown     `json:"rating"`
	LastGameAt time.Time `json:"last_game_at"`
	// RecentRounds are the round scores of the latest games, oldest first:
	// the profile's chart.
	RecentRounds []int `json:"recent_rounds"`
}

func (s *Service) resolve(ctx context.Context, name string) (string, error) {
	if name == "" || len(name) > 100 {
		return "", fmt.Errorf("%w: %.100q", ErrUnknownPlayer, name)
	}
	id, err := s.dir.PlayerID(ctx, name)
	if err != nil {
		return "", err
	}
	return id, nil
}

// Profile returns the statistics of the player a profile name names.
func (s *Service) Profile(ctx context.Context, name string) (Profile, error) {
	id, err := s.resolve(ctx, name)
	if err != nil {
		return Profile{}, err
	}
	p, err := s.st.PlayerStats(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Profile{}, fmt.Errorf("%w: %s", ErrUnknownPlayer, name)
	}
	if err != nil {
		return Profile{}, err
	}
	out := Profile{PlayerID: p.PlayerID, Name: p.Name, CPU: p.CPU,
		Figures: figures(store.Counts{GamesPlayed: p.GamesPlayed, GamesWon: p.GamesWon, RoundsPlayed: p.RoundsPlayed,
			RoundsWon: p.RoundsWon, TotalPoints: p.TotalPoints}),
		BestRound: p.BestRound, WorstRound: p.WorstRound, Knockouts: p.Knockouts, Blunders: p.Blunders,
		GradedTurns: p.GradedTurns, VsHumans: figures(p.Humans), Rating: show(p.Rating), LastGameAt: p.LastGameAt,
		RecentRounds: []int{}}
	if p.GradedTurns > 0 {
		v := round1(float64(p.Blunders) * 100 / float64(p.GradedTurns))
		out.BlunderRate = &v
	}
	games, _, err := s.st.PlayerGames(ctx, id, 0, recentGames)
	if err != nil {
		return Profile{}, err
	}
	for _, g := range slices.Backward(games) {
		for _, pl := range g.Players {
			if pl.PlayerID == id {
				out.RecentRounds = append(out.RecentRounds, pl.RoundScores...)
			}
		}
	}
	return out, nil
}

// History is a page of a player's finished games (GET
// /api/users/{name}/games).
type History struct {
	PlayerID string        `json:"player_id"`
	Page     int           `json:"page"`
	PageSize int           `json:"page_size"`
	More     bool          `json:"more"`
	Games    []HistoryGame `json:"games"`
}

// HistoryGame is one game of a history.
type HistoryGame struct {
	GameID   string    `json:"game_id"`
	EndedAt  time.Time `json:"ended_at"`
	Rules    string    `json:"rules"` // the preset's name, or "custom"
	Standard bool      `json:"standard"`
	VsHumans bool      `json:"vs_humans"`
	Rounds   int       `json:"rounds"`
	// The player's own line.
	Placing int  `json:"placing"`
	Total   int  `json:"total"`
	Won     bool `json:"won"`
	// Every seat, in seat order.
	Players []HistoryPlayer `json:"players"`
	Replay  string          `json:"replay"` // the replay page
}

// HistoryPlayer is one seat of a game in a history.
type HistoryPlayer struct {
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
	CPU      bool   `json:"cpu"`
	Total    int    `json:"total"`
	Placing  int    `json:"placing"`
	Won      bool   `json:"won"`
	Departed bool   `json:"departed"`
}

// History returns a page (from 1) of a player's games, newest first.
func (s *Service) History(ctx context.Context, name string, page int) (History, error) {
	if page < 1 || page > maxPage {
		return History{}, &QueryError{"page", fmt.Sprintf("want 1 to %d", maxPage)}
	}
	id, err := s.resolve(ctx, name)
	if err != nil {
		return History{}, err
	}
	if _, err := s.st.PlayerStats(ctx, id); errors.Is(err, store.ErrNotFound) {
		return History{}, fmt.Errorf("%w: %s", ErrUnknownPlayer, name)
	} else if err != nil {
		return History{}, err
	}
	games, more, err := s.st.PlayerGames(ctx, id, (page-1)*historyPage, historyPage)
	if err != nil {
		return History{}, err
	}
	out := History{PlayerID: id, Page: page, PageSize: historyPage, More: more, Games: make([]HistoryGame, 0, len(games))}
	for _, g := range games {
		h := HistoryGame{GameID: g.GameID, EndedAt: g.CompletedAt, Rules: cmp.Or(g.Preset, "custom"),
			Standard: g.Standard, VsHumans: g.VsHumans, Rounds: g.Rounds, Replay: "/replay/" + g.GameID}
		for _, p := range g.Players {
			h.Players = append(h.Players, HistoryPlayer{PlayerID: p.PlayerID, Name: p.Name, CPU: p.CPU,
				Total: p.Total, Placing: p.Placing, Won: p.Won, Departed: p.Departed})
			if p.PlayerID == id {
				h.Placing, h.Total, h.Won = p.Placing, p.Total, p.Won
			}
		}
		out.Games = append(out.Games, h)
	}
	return out, nil
}

// Relink moves the statistics a guest earned into the account it was just
// linked into (signing in from a guest: docs/stats.md, "Identity"), so the
// account's profile and boards show them at once. The projector's
// Relinks pass does the same for any link this call did not finish.
func (s *Service) Relink(ctx context.Context, guest, account string) (int, error) {
	return s.st.Relink(ctx, guest, account, Model{})
}
