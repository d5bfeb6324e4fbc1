package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golf/store"
	"golf/store/storetest"
)

// TestCrash kills a process that is appending (SIGKILL) and checks that
// every Append it acknowledged survived.
func TestCrash(t *testing.T) {
	storetest.CrashChild(func(ctx context.Context) (store.Store, error) {
		return Open(ctx, os.Getenv("GOLF_CRASH_DB"))
	})
	path := filepath.Join(t.TempDir(), "golf.db")
	storetest.Crash(t, "TestCrash", []string{"GOLF_CRASH_DB=" + path}, func() store.Store {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
