package web

import (
	"encoding/json"
	"net/http"

	"golf/game"
)

// rulesJSON is GET /api/rules: the engine's own description of its
// settings, options and presets (game.DescribeRules), so the client's
// settings screen can never disagree with the engine.
func rulesJSON() ([]byte, error) {
	doc, err := game.DescribeRules()
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

func (s *Server) apiRules(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(s.rules)
}

func (s *Server) apiProfiles(w http.ResponseWriter, r *http.Request) {
	type profile struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		Style     string `json:"style"`
		Character string `json:"character"`
		Expert    bool   `json:"expert"` // seated only when the host names it
	}
	out := []profile{}
	for _, p := range s.live.Roster() {
		out = append(out, profile{p.ID, p.Name, p.Style, p.Character, p.Expert})
	}
	writeJSON(w, http.StatusOK, out)
}
