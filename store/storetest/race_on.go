//go:build race

package storetest

// raceDetector: the race detector slows modernc's SQLite some twenty
// times, so the longest suites play fewer games under it (CI runs -race;
// `go test ./...` plays them all). What they check does not change.
const raceDetector = true
