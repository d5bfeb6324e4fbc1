package live

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"

	"golf/game"
	"golf/store"
)

// memStore is an in-memory store.Store for the table's unit tests, with
// failures to inject. The web tests use the real SQLite store.
type memStore struct {
	mu   sync.Mutex
	logs map[string][]store.Record
	// fail, if set, is returned by the next Append instead of storing;
	// failAfter, by the next Append after it has stored; failLoad, by the
	// next LoadAfter.
	fail, failAfter, failLoad error
	// failLogs, if set, is returned by the next LoadLogs after it has
	// visited one game; loads and logLoads count the Load and LoadLogs
	// calls.
	failLogs        error
	loads, logLoads int
}

func newMemStore() *memStore { return &memStore{logs: map[string][]store.Record{}} }

func (s *memStore) Append(ctx context.Context, gameID string, expected int64, events []game.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail; err != nil {
		s.fail = nil
		return err
	}
	log := s.logs[gameID]
	if int64(len(log)) != expected {
		return store.ErrConflict
	}
	for _, e := range events {
		data, err := game.MarshalEvent(e)
		if err != nil {
			return err
		}
		log = append(log, store.Record{GameID: gameID, Seq: int64(len(log)) + 1, Type: e.Type(),
			PlayerID: e.Actor(), Data: json.RawMessage(data), At: time.Now()})
	}
	s.logs[gameID] = log
	if err := s.failAfter; err != nil {
		s.failAfter = nil
		return err
	}
	return nil
}

func (s *memStore) Load(ctx context.Context, gameID string) ([]store.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	return s.load(gameID)
}

func (s *memStore) load(gameID string) ([]store.Record, error) {
	log, ok := s.logs[gameID]
	if !ok {
		return nil, store.ErrNotFound
	}
	return slices.Clone(log), nil
}

func (s *memStore) LoadAfter(ctx context.Context, gameID string, after int64) ([]store.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.failLoad; err != nil {
		s.failLoad = nil
		return nil, err
	}
	log := s.logs[gameID]
	if after >= int64(len(log)) {
		return nil, nil
	}
	return slices.Clone(log[after:]), nil
}

func (s *memStore) LoadLogs(ctx context.Context, ids []string, fn func(string, []store.Record) error) error {
	s.mu.Lock()
	s.logLoads++
	fail := s.failLogs
	s.failLogs = nil
	s.mu.Unlock()
	for i, id := range ids {
		if fail != nil && i == 1 {
			return fail
		}
		s.mu.Lock()
		recs, err := s.load(id)
		s.mu.Unlock()
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(id, recs); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) Game(ctx context.Context, gameID string) (store.Game, error) {
	return store.Game{}, store.ErrNotFound
}

func (s *memStore) ActiveGames(ctx context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, log := range s.logs {
		if len(log) > 0 && log[len(log)-1].Type != "GameEnded" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

func (s *memStore) GameIDs(ctx context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id := range s.logs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

func (s *memStore) Ping(ctx context.Context) error { return nil }

func (s *memStore) Close() error { return nil }

// events decodes a game's whole log.
func (s *memStore) events(gameID string) []game.Event {
	s.mu.Lock()
	recs, _ := s.load(gameID)
	s.mu.Unlock()
	evs, err := storeRecords(recs)
	if err != nil {
		panic(err)
	}
	return evs
}

// append corrupts a game's log behind the table's back (another writer).
func (s *memStore) steal(gameID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs[gameID] = append(s.logs[gameID], store.Record{GameID: gameID, Type: "Foreign"})
}
