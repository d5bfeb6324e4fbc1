package commit

import "runtime"

// waitABit lets other goroutines run while a test polls for a queue length
// that they are about to reach. Polling state, not time, keeps the tests
// free of wall-clock assumptions.
func waitABit() { runtime.Gosched() }
