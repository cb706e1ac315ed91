package oktasim

import (
	"net/http"
)

// writeJSON writes v as application/json with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshalNoEscape(v)
	if err != nil {
		http.Error(w, "oktasim: cannot encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body) //nolint:gosec // a JSON body served as application/json, not HTML
}

// writeError writes an Okta error body.
func writeError(w http.ResponseWriter, e *apiError) {
	for k, vs := range e.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeJSON(w, e.status, e.body())
}

// writeNoContent answers 204 with an empty body and no Content-Type, as
// recorded for deletes and lifecycle calls (docs/okta-api-behaviour.md, R13
// and R26).
func writeNoContent(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNoContent)
}

// baseURL is the org URL as the caller reached it; it is used in _links
// and Link headers.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
