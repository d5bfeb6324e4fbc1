package stats

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"golf/store"
)

// TestRateMatchesOpenSkill compares Rate with vectors OpenSkill 5.0.1
// computed (testdata/openskill.json, made by its rate() with default
// options): ties, 2–6 players, uneven priors.
func TestRateMatchesOpenSkill(t *testing.T) {
	b, err := os.ReadFile("testdata/openskill.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Cases []struct {
			Before   []store.Rating `json:"before"`
			Placings []int          `json:"placings"`
			After    []store.Rating `json:"after"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) < 40 {
		t.Fatalf("%d cases", len(v.Cases))
	}
	for k, c := range v.Cases {
		got := append([]store.Rating(nil), c.Before...)
		Rate(c.Placings, got)
		for i := range got {
			if math.Abs(got[i].Mu-c.After[i].Mu) > 1e-9 || math.Abs(got[i].Sigma-c.After[i].Sigma) > 1e-9 {
				t.Errorf("case %d (placings %v) player %d: got %+v, OpenSkill %+v", k, c.Placings, i, got[i], c.After[i])
			}
		}
	}
}

func TestRateProperties(t *testing.T) {
	rs := []store.Rating{NewRating(), NewRating(), NewRating()}
	Rate([]int{2, 1, 3}, rs)
	if !(rs[1].Mu > rs[0].Mu && rs[0].Mu > rs[2].Mu) {
		t.Errorf("the winner must gain most and the last lose most: %+v", rs)
	}
	for _, r := range rs {
		if r.Sigma >= initialSigma {
			t.Errorf("a game must shrink the uncertainty: %+v", r)
		}
	}
	tie := []store.Rating{NewRating(), NewRating()}
	Rate([]int{1, 1}, tie)
	if tie[0] != tie[1] || math.Abs(tie[0].Mu-initialMu) > 1e-12 {
		t.Errorf("a tie between equals changes no mean: %+v", tie)
	}
	one := []store.Rating{NewRating()}
	Rate([]int{1}, one)
	if one[0] != NewRating() {
		t.Errorf("a game of one rates nothing: %+v", one)
	}
	if d := Display(NewRating()); math.Abs(d) > 1e-12 {
		t.Errorf("a new player displays %v, want 0", d)
	}
}
