package web

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestAPIUnknownRouteJSON: under /api/ even the router's own answers (no
// such route, a method the route does not take) are JSON errors with a
// code, like every other API error (docs/api.md); pages stay as they are.
func TestAPIUnknownRouteJSON(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, c := range []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{"GET", "/api/nonexistent", http.StatusNotFound, "not_found", ""},
		{"GET", "/api/users/x/y/z", http.StatusNotFound, "not_found", ""},
		{"POST", "/api/nonexistent", http.StatusMethodNotAllowed, "method_not_allowed", "GET, HEAD"},
		{"DELETE", "/api/rules", http.StatusMethodNotAllowed, "method_not_allowed", "GET, HEAD"},
	} {
		req, _ := http.NewRequest(c.method, ts.ts.URL+c.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e apiError
		err = json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if res.StatusCode != c.status || err != nil || e.Code != c.code || e.Message == "" ||
			res.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d %q %+v (%v), want %d %s", c.method, c.path, res.StatusCode, res.Header.Get("Content-Type"), e, err, c.status, c.code)
		}
		if c.allow != "" && res.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, res.Header.Get("Allow"), c.allow)
		}
	}
	// Outside /api/ a missing page is still the file server's.
	res, err := http.Get(ts.ts.URL + "/nonexistent")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") == "application/json" {
		t.Errorf("GET /nonexistent: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
