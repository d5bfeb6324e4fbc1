package web

import (
	"encoding/json"
	"net/http"
)

// writeJSON answers with v as JSON. Answers describe live state, so no
// cache keeps them (GET /api/rules, which does not change, sets its own).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// apiError is an HTTP error body: the code and message of the WebSocket
// protocol's error frame (docs/protocol.md).
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, apiError{Code: code, Message: msg})
}
