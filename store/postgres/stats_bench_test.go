package postgres

import (
	"testing"

	"golf/store/storetest"
)

// BenchmarkProjection: go test -run '^$' -bench Projection -benchtime 500x ./store/postgres/
func BenchmarkProjection(b *testing.B) { storetest.BenchProjection(b, openTemp(b)) }

// BenchmarkProjectionSingle: a transaction per game.
func BenchmarkProjectionSingle(b *testing.B) { storetest.BenchProjectionSingle(b, openTemp(b)) }

// BenchmarkRebuild: go test -run '^$' -bench Rebuild -benchtime 500x ./store/postgres/
func BenchmarkRebuild(b *testing.B) { storetest.BenchRebuild(b, openTemp(b)) }
