package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"golf/store/storetest"
)

func TestStats(t *testing.T) {
	storetest.RunStats(t, func(t *testing.T) (storetest.StatsDB, func() storetest.StatsDB) {
		path := filepath.Join(t.TempDir(), "golf.db")
		open := func() storetest.StatsDB {
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		return open(), open
	})
}
