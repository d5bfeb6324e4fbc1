package web

import (
	"encoding/json"
	"net/http"
	"strings"
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

// apiRouteErrors answers, under /api/, the router's own refusals (no such
// route: the pages' catch-all "GET /" or nothing matched; a method the
// route does not take) as JSON errors, so an API client always gets a
// code. The router still picks the status and the Allow header.
func apiRouteErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			if _, p := mux.Handler(r); p == "" || p == "GET /" {
				mux.ServeHTTP(&routeErrorWriter{ResponseWriter: w}, r)
				return
			}
		}
		mux.ServeHTTP(w, r)
	})
}

// routeErrorWriter turns a 404 or 405 answer into the JSON error.
type routeErrorWriter struct {
	http.ResponseWriter
	replaced bool
}

func (w *routeErrorWriter) WriteHeader(status int) {
	switch status {
	case http.StatusNotFound:
		w.replaced = true
		writeError(w.ResponseWriter, status, "not_found", "no such API route")
	case http.StatusMethodNotAllowed:
		w.replaced = true
		writeError(w.ResponseWriter, status, "method_not_allowed", "this route does not take that method")
	default:
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *routeErrorWriter) Write(b []byte) (int, error) {
	if w.replaced {
		return len(b), nil // the router's text, already answered as JSON
	}
	return w.ResponseWriter.Write(b)
}
