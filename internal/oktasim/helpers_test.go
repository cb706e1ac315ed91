package oktasim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const testToken = "test-api-token"

// testOrg is an org behind an httptest server.
type testOrg struct {
	t   *testing.T
	org *Org
	srv *httptest.Server
}

func newTestOrg(t *testing.T, opts Options) *testOrg {
	t.Helper()
	if opts.APITokens == nil {
		opts.APITokens = []string{testToken}
	}
	if opts.RateLimits == (RateLimits{}) {
		opts.RateLimits = RateLimits{Disabled: true}
	}
	org, err := NewOrg(opts)
	if err != nil {
		t.Fatalf("NewOrg: %v", err)
	}
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	return &testOrg{t: t, org: org, srv: srv}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   any
}

func (r response) object() map[string]any {
	m, _ := r.body.(map[string]any)
	return m
}

func (r response) array() []any {
	a, _ := r.body.([]any)
	return a
}

// do sends a request with an SSWS token; body may be a string or a value
// to encode.
func (o *testOrg) do(method, path string, body any) response {
	return o.doAuth(method, path, body, "SSWS "+testToken, nil)
}

func (o *testOrg) doAuth(method, path string, body any, authorization string, header http.Header) response {
	o.t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			o.t.Fatal(err)
		}
		reader = bytes.NewReader(data)
	}
	target := path
	if strings.HasPrefix(path, "/") {
		target = o.srv.URL + path
	}
	req, err := http.NewRequestWithContext(o.t.Context(), method, target, reader)
	if err != nil {
		o.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := o.srv.Client().Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		o.t.Fatal(err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&out.body); err != nil {
			o.t.Fatalf("%s %s: invalid JSON %q: %v", method, path, raw, err)
		}
	}
	return out
}

// mustStatus fails the test unless r has the wanted status.
func mustStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.raw)
	}
}

// assertError checks an Okta error body.
func assertError(t *testing.T, r response, status int, code, summary string) {
	t.Helper()
	mustStatus(t, r, status)
	body := r.object()
	if body["errorCode"] != code && (code != "" || body["errorCode"] != nil) {
		t.Errorf("errorCode %v, want %q; body %s", body["errorCode"], code, r.raw)
	}
	if summary != "" && body["errorSummary"] != summary {
		t.Errorf("errorSummary %q, want %q", body["errorSummary"], summary)
	}
	if id, _ := body["errorId"].(string); !strings.HasPrefix(id, "oae") || len(id) != errorIDLength {
		t.Errorf("errorId %q is not an oae… id", id)
	}
	if _, ok := body["errorCauses"].([]any); !ok {
		t.Errorf("errorCauses missing: %s", r.raw)
	}
}

// keysInOrder returns the top-level keys of a raw JSON object in order.
func keysInOrder(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// firstPolicyID returns the id of the first non-system app sign-in policy.
func (o *testOrg) firstPolicyID() string {
	o.t.Helper()
	r := o.do("GET", "/api/v1/policies?type=ACCESS_POLICY", nil)
	mustStatus(o.t, r, 200)
	for _, p := range r.array() {
		if m := p.(map[string]any); m["system"] == false {
			return m["id"].(string)
		}
	}
	o.t.Fatal("no non-system policy")
	return ""
}

func androidDA(name string) map[string]any {
	return map[string]any{"name": name, "platform": "ANDROID", "osVersion": map[string]any{"minimum": "12"}, "jailbreak": false}
}

func simpleRule(name string, priority int) map[string]any {
	return map[string]any{
		"name": name, "type": "ACCESS_POLICY", "priority": priority,
		"conditions": map[string]any{"network": map[string]any{"connection": "ANYWHERE"}},
		"actions": map[string]any{"appSignOn": map[string]any{"access": "ALLOW",
			"verificationMethod": map[string]any{"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT2H"}}},
	}
}

func jsonNumber(s string) any { return json.Number(s) }
