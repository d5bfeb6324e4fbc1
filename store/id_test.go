package store

import (
	"errors"
	"strings"
	"testing"
)

func TestNewGameID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewGameID()
		if err := CheckGameID(id); err != nil {
			t.Fatalf("NewGameID() = %q: %v", id, err)
		}
		if id[14] != '4' || !strings.ContainsRune("89ab", rune(id[19])) {
			t.Fatalf("NewGameID() = %q: want version 4, RFC 9562 variant", id)
		}
		if seen[id] {
			t.Fatalf("NewGameID() repeated %q", id)
		}
		seen[id] = true
	}
}

func TestCheckGameID(t *testing.T) {
	tests := []struct {
		id string
		ok bool
	}{
		{"0b5f1c3e-8a2d-4f6b-9c1e-7d3a5b2c4e6f", true},
		{"00000000-0000-0000-0000-000000000000", true},
		{"0B5F1C3E-8A2D-4F6B-9C1E-7D3A5B2C4E6F", false}, // one spelling only
		{"0b5f1c3e8a2d4f6b9c1e7d3a5b2c4e6f", false},
		{"{0b5f1c3e-8a2d-4f6b-9c1e-7d3a5b2c4e6}", false},
		{"0b5f1c3e-8a2d-4f6b-9c1e-7d3a5b2c4e6g", false},
		{"0b5f1c3e-8a2d-4f6b-9c1e_7d3a5b2c4e6f", false},
		{"", false},
		{"0b5f1c3e-8a2d-4f6b-9c1e-7d3a5b2c4e6f ", false},
	}
	for _, tt := range tests {
		err := CheckGameID(tt.id)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("CheckGameID(%q) = %v, want ok=%v (ErrInvalid otherwise)", tt.id, err, tt.ok)
		}
	}
}

func FuzzCheckGameID(f *testing.F) {
	f.Add(NewGameID())
	f.Add("not a uuid")
	f.Fuzz(func(t *testing.T, id string) {
		if CheckGameID(id) != nil {
			return
		}
		if len(id) != 36 || strings.ToLower(id) != id || strings.Count(id, "-") != 4 {
			t.Fatalf("CheckGameID accepted %q", id)
		}
	})
}
