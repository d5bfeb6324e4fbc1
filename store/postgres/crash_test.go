package postgres

import (
	"context"
	"os"
	"testing"

	"golf/store"
	"golf/store/postgres/pgtest"
	"golf/store/storetest"
)

// TestCrash kills a process that is appending (SIGKILL) and checks that
// every Append it acknowledged survived.
func TestCrash(t *testing.T) {
	storetest.CrashChild(func(ctx context.Context) (store.Store, error) {
		return Open(ctx, os.Getenv("GOLF_CRASH_DB"))
	})
	url := pgtest.URL(t)
	storetest.Crash(t, "TestCrash", []string{"GOLF_CRASH_DB=" + url}, func() store.Store {
		s, err := Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
