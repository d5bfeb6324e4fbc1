package metrics

import (
	"testing"
	"time"
)

// The cost of one observation on the paths of a move: the command's
// answer, the store's append and commit, a publish.

func BenchmarkCommand(b *testing.B) {
	m := New()
	for b.Loop() {
		m.Command("swap", "ok", 700*time.Microsecond)
	}
}

func BenchmarkAppendAndCommit(b *testing.B) {
	m := New()
	for b.Loop() {
		m.Appended(500*time.Microsecond, "ok")
		m.Committed(4, 400*time.Microsecond)
	}
}

func BenchmarkHTTPRequest(b *testing.B) {
	m := New()
	for b.Loop() {
		m.HTTPRequest("GET /api/rooms/{code}", 200, 300*time.Microsecond)
	}
}

func BenchmarkNil(b *testing.B) {
	var m *Metrics
	for b.Loop() {
		m.Command("swap", "ok", 700*time.Microsecond)
	}
}

// BenchmarkParallelCommand: every session's writer goroutine observes
// into the same histogram.
func BenchmarkParallelCommand(b *testing.B) {
	m := New()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Command("swap", "ok", 700*time.Microsecond)
		}
	})
}
