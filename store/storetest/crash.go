package storetest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golf/game"
	"golf/store"
)

// crashEnv marks the re-executed test binary as the crash child.
const crashEnv = "GOLF_STORETEST_CRASH_CHILD"

// CrashChild is the child half of Crash. A backend's test calls it first
// thing; it returns at once unless this process is the child, which opens
// the store, appends to several games at once forever, printing
// "ack GAME COUNT" after each Append that returned nil, until it is killed.
func CrashChild(open func(ctx context.Context) (store.Store, error)) {
	if os.Getenv(crashEnv) != "1" {
		return
	}
	s, err := open(context.Background())
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			id := store.NewGameID()
			for n := int64(0); ; n++ {
				if err := s.Append(context.Background(), id, n, []game.Event{joined(fmt.Sprintf("g%d-%d", g, n))}); err != nil {
					fmt.Println("append:", err)
					os.Exit(4)
				}
				mu.Lock()
				fmt.Fprintf(out, "ack %s %d\n", id, n+1)
				out.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// Crash re-executes this test binary as a CrashChild (with env added),
// kills it with SIGKILL once it has acknowledged enough Appends, then checks
// with reopen that every acknowledged event is in the store, in order and
// without gaps (DESIGN guarantee 4: nothing acknowledged is lost).
func Crash(t *testing.T, testName string, env []string, reopen func() store.Store) {
	cmd := exec.Command(os.Args[0], "-test.run=^"+testName+"$")
	cmd.Env = append(append(os.Environ(), crashEnv+"=1"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]int64{}
	sc := bufio.NewScanner(stdout)
	for n := 0; n < 400 && sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ack" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: %s", sc.Text())
		}
		c, _ := strconv.ParseInt(f[2], 10, 64)
		acked[f[1]] = max(acked[f[1]], c)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup runs
		t.Fatal(err)
	}
	// Acks printed before the kill landed also count.
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "ack" {
			c, _ := strconv.ParseInt(f[2], 10, 64)
			acked[f[1]] = max(acked[f[1]], c)
		}
	}
	cmd.Wait()
	if len(acked) == 0 {
		t.Fatal("child acknowledged nothing")
	}
	s := reopen()
	defer s.Close()
	for id, n := range acked {
		recs, err := s.Load(context.Background(), id)
		if err != nil {
			t.Fatalf("game %s (%d acknowledged): %v", id, n, err)
		}
		if int64(len(recs)) < n {
			t.Errorf("game %s: %d events acknowledged, %d survived the kill", id, n, len(recs))
		}
		for i, r := range recs {
			if r.Seq != int64(i+1) {
				t.Fatalf("game %s: record %d has sequence number %d", id, i+1, r.Seq)
			}
		}
	}
}
