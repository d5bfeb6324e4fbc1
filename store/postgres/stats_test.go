package postgres

import (
	"context"
	"testing"

	"golf/store/postgres/pgtest"
	"golf/store/storetest"
)

func TestStats(t *testing.T) {
	storetest.RunStats(t, func(t *testing.T) (storetest.StatsDB, func() storetest.StatsDB) {
		url := pgtest.URL(t)
		open := func() storetest.StatsDB {
			s, err := Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		return open(), open
	})
}
