package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golf/game"
	"golf/store"
	"golf/store/sqlite"
)

// A game's single writer appends each command's events after the count it
// last saw; a stale count is refused with store.ErrConflict, so a second
// writer can never fork the log.
func Example() {
	dir, _ := os.MkdirTemp("", "golf")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "golf.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	id := store.NewGameID()
	var st game.State
	evs, _ := game.Decide(&st, game.CreateGameCmd("ann", "Ann", "ABCD", game.DefaultSettings()))
	fmt.Println("first append:", s.Append(ctx, id, 0, evs))
	err = s.Append(ctx, id, 0, evs) // a second writer that saw the empty log
	fmt.Println("stale append is a conflict:", errors.Is(err, store.ErrConflict))

	log, _ := s.Load(ctx, id)
	for _, r := range log {
		fmt.Println(r.Seq, r.Type, r.PlayerID)
	}
	g, _ := s.Game(ctx, id)
	fmt.Println(g.RoomCode, g.Status)
	// Output:
	// first append: <nil>
	// stale append is a conflict: true
	// 1 GameCreated ann
	// 2 PlayerJoined ann
	// ABCD active
}
