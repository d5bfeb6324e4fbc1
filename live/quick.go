package live

import (
	"context"
	"strconv"
	"strings"

	"golf/game"
)

// QuickSeat is a human a quick-play match seats.
type QuickSeat struct {
	PlayerID string
	Name     string
}

// OpenQuick opens a room for a quick-play match and starts its game: the
// first player hosts, the others join in order, CPU personalities fill
// the table up to size, and the game is dealt at once. Nobody is attached
// yet: each player comes with the seat token returned for them (by player
// id) and resumes; until then a missing player's seat is played for after
// the grace period, like any disconnected player's.
func (m *Manager) OpenQuick(ctx context.Context, players []QuickSeat, size int) (string, map[string]string, error) {
	if len(players) == 0 || len(players) > size || size > game.MaxPlayers {
		return "", nil, badRequest("a quick-play table seats 1 to %d players", size)
	}
	t, err := m.openNew(ctx)
	if err != nil {
		return "", nil, err
	}
	tokens := make(map[string]string, len(players))
	err = t.call(ctx, func() error {
		host := players[0]
		if err := t.exec(game.CreateGameCmd(host.PlayerID, host.Name, t.roomCode, game.DefaultSettings()), nil, 0); err != nil {
			t.closing, t.ended = true, true
			return err
		}
		for _, p := range players[1:] {
			// Strangers may share a name: the later one gets a number, as
			// names are unique in a room (names.go).
			if err := t.exec(game.JoinCmd(p.PlayerID, t.freeName(p.PlayerID, p.Name)), nil, 0); err != nil {
				t.closing, t.ended = true, true
				return err
			}
		}
		hostMember := &member{id: host.PlayerID}
		for t.st.NumSeats() < size {
			if err := t.addCPU(hostMember, 0, ""); err != nil {
				break // every personality is seated: play with fewer
			}
		}
		start := game.Command{Kind: game.CmdStartGame, By: host.PlayerID, Seed: game.NewSeed()}
		if err := t.exec(start, nil, 0); err != nil {
			t.closing, t.ended = true, true
			return err
		}
		for _, p := range players {
			tokens[p.PlayerID] = seatToken(m.cfg.Secret, t.gameID, p.PlayerID)
		}
		t.log.Info("quick-play table opened", "humans", len(players), "seats", t.st.NumSeats())
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return t.roomCode, tokens, nil
}

// freeName is name if no seated player has it, else name with the first
// number that makes it free ("Ann 2"), cut to fit the longest name.
func (t *Table) freeName(id, name string) string {
	if !t.nameTaken(id, name) {
		return name
	}
	for n := 2; ; n++ {
		suffix := " " + strconv.Itoa(n)
		base := []rune(name)
		if max := game.MaxNameLen - len(suffix); len(base) > max {
			base = base[:max]
		}
		if c := strings.TrimRight(string(base), " ") + suffix; !t.nameTaken(id, c) {
			return c
		}
	}
}

// NewGuestID returns a fresh guest player id, for a player without an
// account who queues for quick play before holding any seat.
func NewGuestID() string { return newPlayerID() }
