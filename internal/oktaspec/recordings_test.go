package oktaspec

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

// TestCorrectedDocumentAcceptsRealOrgs proves that the corrected document
// describes what real orgs do: every recorded request and response
// validates. A new failure here is either a new spec defect (add it to
// Defects with its reason) or a broken correction.
func TestCorrectedDocumentAcceptsRealOrgs(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := fixtures.Recordings()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 400 {
		t.Fatalf("only %d recordings; the fixtures are missing", len(recs))
	}
	for _, r := range recs {
		t.Run(r.Name, func(t *testing.T) {
			req := recordedRequest(t, r)
			err := v.ValidateRequest(req, body(r.RequestBody))
			if IsNotAnOperation(err) {
				t.Skipf("%s %s is outside the document's subset of the API", r.Method, r.Path)
			}
			if err != nil {
				t.Errorf("request: %v", err)
			}
			if err := v.ValidateResponse(req, body(r.RequestBody), r.Status, recordedHeader(r), body(r.ResponseBody)); err != nil {
				t.Errorf("response %d: %v", r.Status, err)
			}
		})
	}
}

var templateParam = regexp.MustCompile(`\{[A-Za-z]+\}`)

func recordedRequest(t *testing.T, r fixtures.Recording) *http.Request {
	t.Helper()
	path := templateParam.ReplaceAllString(r.Path, "id0000000000000000000")
	req, err := http.NewRequestWithContext(t.Context(), r.Method, "https://example.okta.com"+path, bytes.NewReader(body(r.RequestBody)))
	if err != nil {
		t.Fatal(err)
	}
	if len(body(r.RequestBody)) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	return req
}

func recordedHeader(r fixtures.Recording) http.Header {
	h := http.Header{}
	for k, vs := range r.ResponseHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	if h.Get("Content-Type") == "" && len(body(r.ResponseBody)) > 0 {
		h.Set("Content-Type", "application/json")
	}
	return h
}

func body(raw []byte) []byte {
	if s := strings.TrimSpace(string(raw)); s == "" || s == "null" {
		return nil
	}
	return raw
}
