package oktaspec

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Finding is one request or response that does not match the document.
type Finding struct {
	Method string
	Path   string
	// Status is the response status; 0 for a request finding.
	Status int
	Err    error
}

func (f Finding) String() string {
	if f.Status == 0 {
		return fmt.Sprintf("request %s %s: %v", f.Method, f.Path, f.Err)
	}
	return fmt.Sprintf("response %d to %s %s: %v", f.Status, f.Method, f.Path, f.Err)
}

// Transport is an http.RoundTripper for tests: it validates every request it
// sends and every response it receives against the document, and collects
// what does not match. Endpoints outside the Management API document (the
// OAuth token endpoint, the simulator's /_oktasim inspection) pass through
// unchecked.
type Transport struct {
	Base      http.RoundTripper
	Validator *Validator

	mu       sync.Mutex
	checked  int
	findings []Finding
}

// NewTransport wraps base (http.DefaultTransport when nil).
func NewTransport(base http.RoundTripper) (*Transport, error) {
	v, err := New()
	if err != nil {
		return nil, err
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &Transport{Base: base, Validator: v}, nil
}

// RoundTrip sends req and validates both directions.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := drain(&req.Body)
	if err != nil {
		return nil, err
	}
	checked := isManagementAPI(req.URL.Path)
	if checked {
		t.record(req, 0, t.Validator.ValidateRequest(req, reqBody))
	}
	resp, err := t.Base.RoundTrip(req)
	if err != nil || !checked {
		return resp, err
	}
	respBody, err := drain(&resp.Body)
	if err != nil {
		return nil, err
	}
	t.record(req, resp.StatusCode, t.Validator.ValidateResponse(req, reqBody, resp.StatusCode, resp.Header, respBody))
	return resp, nil
}

// Checked is how many requests were validated.
func (t *Transport) Checked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.checked
}

// Findings returns what did not match the document.
func (t *Transport) Findings() []Finding {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Finding(nil), t.findings...)
}

func (t *Transport) record(req *http.Request, status int, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if status == 0 {
		t.checked++
	}
	if err != nil {
		t.findings = append(t.findings, Finding{Method: req.Method, Path: req.URL.Path, Status: status, Err: err})
	}
}

func isManagementAPI(path string) bool {
	return strings.HasPrefix(path, "/api/v1/")
}

// drain reads a body and replaces it with an unread copy.
func drain(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(*body)
	_ = (*body).Close()
	if err != nil {
		return nil, err
	}
	*body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}
