package okta

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktaspec"
)

// fakeClock is a Clock whose Sleep returns at once and records the wait,
// so that retry tests neither sleep nor depend on timing.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// seenRequest is what a test server received.
type seenRequest struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// recorder is a test server handler that records requests and answers
// from a queue of responses (the last one repeats).
type recorder struct {
	mu        sync.Mutex
	seen      []seenRequest
	responses []cannedResponse
}

type cannedResponse struct {
	status int
	header map[string]string
	body   string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.seen = append(r.seen, seenRequest{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, req.Header.Clone(), body})
	resp := r.responses[0]
	if len(r.responses) > 1 {
		r.responses = r.responses[1:]
	}
	r.mu.Unlock()
	for k, v := range resp.header {
		w.Header().Set(k, v)
	}
	if resp.body != "" && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.status)
	_, _ = io.WriteString(w, resp.body)
}

func (r *recorder) requests() []seenRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seenRequest(nil), r.seen...)
}

// newTestClient starts a server answering with responses and returns a
// client for it that uses an SSWS token and a fake clock.
func newTestClient(t *testing.T, responses ...cannedResponse) (*Client, *recorder, *fakeClock) {
	t.Helper()
	rec := &recorder{responses: responses}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	clock := newFakeClock()
	c, err := New(Config{
		OrgURL: srv.URL, Credentials: APIToken(testToken), HTTPClient: specChecked(t, srv.Client()), Clock: clock,
		Retry: RetryConfig{MaxAttempts: 4, InitialBackoff: time.Second, MaxBackoff: 8 * time.Second, MaxTotalWait: time.Minute},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, rec, clock
}

// specChecked wraps hc's transport so that every request the client sends
// is validated against Okta's OpenAPI document (corrected for its known
// defects, internal/oktaspec); the test fails on any finding. Responses are
// canned by the tests themselves, so only requests count here.
func specChecked(t *testing.T, hc *http.Client) *http.Client {
	t.Helper()
	transport, err := oktaspec.NewTransport(hc.Transport)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, f := range transport.Findings() {
			if f.Status == 0 {
				t.Errorf("the client sent a request the Okta API does not define: %s", f)
			}
		}
	})
	out := *hc
	out.Transport = transport
	return &out
}

const testToken = "00SECRETtokenValue-do-not-leak"

func ok(body string) cannedResponse { return cannedResponse{status: http.StatusOK, body: body} }

func status(code int, body string) cannedResponse { return cannedResponse{status: code, body: body} }

// jsonEqual compares two JSON texts semantically.
func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	gj, _ := json.Marshal(g)
	wj, _ := json.Marshal(w)
	if string(gj) != string(wj) {
		t.Errorf("body\n got %s\nwant %s", gj, wj)
	}
}

func ptr[T any](v T) *T { return &v }
