package okta

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

const serverDate = "Sun, 29 Nov 2026 12:00:00 GMT" // reset 1795953630 is 30 s later

func rateLimited(reset string) cannedResponse {
	return cannedResponse{status: http.StatusTooManyRequests, body: bodyRateLimited, header: map[string]string{
		"Date": serverDate, "X-Rate-Limit-Limit": "600", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": reset,
	}}
}

func TestRetryAfterRateLimitWaitsForTheReset(t *testing.T) {
	c, rec, clock := newTestClient(t, rateLimited("1795953630"), ok(`[]`))
	if _, err := c.ListDeviceAssurances(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
	// reset − Date + 1 s (docs/okta-api-behaviour.md §6).
	if got := clock.slept(); len(got) != 1 || got[0] != 31*time.Second {
		t.Errorf("slept %v, want [31s]", got)
	}
}

func TestALongRateLimitWaitIsLeftToTheCaller(t *testing.T) {
	c, rec, clock := newTestClient(t, rateLimited("1795953630"), ok(`[]`))
	c.retry.MaxRateLimitWait = 5 * time.Second
	_, err := c.ListDeviceAssurances(context.Background())
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Reset.IsZero() {
		t.Fatalf("err = %v, want the 429 with its reset, for the caller to wait", err)
	}
	if n := len(rec.requests()); n != 1 || len(clock.slept()) != 0 {
		t.Fatalf("%d requests and waits %v, want 1 request and no wait", n, clock.slept())
	}
	// A reset within the bound (a concurrency 429's second) is still waited.
	c2, rec2, _ := newTestClient(t, rateLimited("1795953602"), ok(`[]`))
	c2.retry.MaxRateLimitWait = 5 * time.Second
	if _, err := c2.ListDeviceAssurances(context.Background()); err != nil || len(rec2.requests()) != 2 {
		t.Fatalf("short reset: err %v after %d requests, want success after 2", err, len(rec2.requests()))
	}
}

func TestRetriesAreBounded(t *testing.T) {
	tests := []struct {
		name      string
		responses []cannedResponse
		call      func(*Client) error
		requests  int
		sleeps    int
		class     ErrorClass
	}{
		{"GET 5xx stops after MaxAttempts", []cannedResponse{status(503, bodyServerError)},
			func(c *Client) error { _, err := c.GetPolicy(context.Background(), policyID); return err }, 4, 3, ClassTransient},
		{"PUT 5xx then success", []cannedResponse{status(500, bodyServerError), ok(daResponse)},
			func(c *Client) error {
				_, err := c.ReplaceDeviceAssurance(context.Background(), daID, windowsPolicy)
				return err
			}, 2, 1, ClassUnknown},
		{"DELETE 429 then success", []cannedResponse{rateLimited("1795953630"), status(204, "")},
			func(c *Client) error { return c.DeletePolicyRule(context.Background(), policyID, ruleID) }, 2, 1, ClassUnknown},
		{"lifecycle POST is idempotent and retried", []cannedResponse{status(502, ""), status(204, "")},
			func(c *Client) error { return c.ActivatePolicyRule(context.Background(), policyID, ruleID) }, 2, 1, ClassUnknown},
		{"reset beyond the total wait is not waited for", []cannedResponse{rateLimited("1795954000")},
			func(c *Client) error { _, err := c.ListDeviceAssurances(context.Background()); return err }, 1, 0, ClassRateLimited},
		{"create POST is not retried on 5xx", []cannedResponse{status(500, bodyServerError), ok(daResponse)},
			func(c *Client) error {
				_, err := c.CreateDeviceAssurance(context.Background(), windowsPolicy)
				return err
			}, 1, 0, ClassTransient},
		{"create POST is not retried on 429", []cannedResponse{rateLimited("1795953630"), ok(ruleResponse)},
			func(c *Client) error {
				_, err := c.CreatePolicyRule(context.Background(), policyID, assuranceRule, true)
				return err
			}, 1, 0, ClassRateLimited},
		{"invalid is not retried", []cannedResponse{status(400, bodyInvalid)},
			func(c *Client) error {
				_, err := c.ReplaceDeviceAssurance(context.Background(), daID, windowsPolicy)
				return err
			}, 1, 0, ClassInvalid},
		{"not found is not retried", []cannedResponse{status(404, bodyNotFound)},
			func(c *Client) error { _, err := c.GetDeviceAssurance(context.Background(), daID); return err }, 1, 0, ClassNotFound},
		// 423: Okta is reconciling the priorities of a policy's rules.
		{"GET 423 then success", []cannedResponse{status(423, bodyPolicyLocked), ok(ruleResponse)},
			func(c *Client) error {
				_, err := c.GetPolicyRule(context.Background(), policyID, ruleID)
				return err
			}, 2, 1, ClassUnknown},
		{"PUT 423 twice then success", []cannedResponse{status(423, bodyPolicyLocked), status(423, bodyPolicyLocked), ok(ruleResponse)},
			func(c *Client) error {
				_, err := c.ReplacePolicyRule(context.Background(), policyID, ruleID, assuranceRule)
				return err
			}, 3, 2, ClassUnknown},
		{"DELETE 423 then success", []cannedResponse{status(423, bodyPolicyLocked), status(204, "")},
			func(c *Client) error { return c.DeletePolicyRule(context.Background(), policyID, ruleID) }, 2, 1, ClassUnknown},
		{"activate 423 then success", []cannedResponse{status(423, bodyPolicyLocked), status(204, "")},
			func(c *Client) error { return c.ActivatePolicyRule(context.Background(), policyID, ruleID) }, 2, 1, ClassUnknown},
		{"deactivate 423 then success", []cannedResponse{status(423, ""), status(204, "")},
			func(c *Client) error { return c.DeactivatePolicyRule(context.Background(), policyID, ruleID) }, 2, 1, ClassUnknown},
		{"423 stops after MaxAttempts", []cannedResponse{status(423, bodyPolicyLocked)},
			func(c *Client) error {
				_, err := c.ReplacePolicyRule(context.Background(), policyID, ruleID, assuranceRule)
				return err
			}, 4, 3, ClassLocked},
		{"create POST is not retried on 423", []cannedResponse{status(423, bodyPolicyLocked), ok(ruleResponse)},
			func(c *Client) error {
				_, err := c.CreatePolicyRule(context.Background(), policyID, assuranceRule, true)
				return err
			}, 1, 0, ClassLocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec, clock := newTestClient(t, tt.responses...)
			err := tt.call(c)
			if Class(err) != tt.class {
				t.Errorf("Class = %v, want %v (%v)", Class(err), tt.class, err)
			}
			if n := len(rec.requests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			if n := len(clock.slept()); n != tt.sleeps {
				t.Errorf("%d sleeps, want %d", n, tt.sleeps)
			}
		})
	}
}

func TestLockedRetryBacksOffLike5xx(t *testing.T) {
	c, _, clock := newTestClient(t, status(423, bodyPolicyLocked), status(423, bodyPolicyLocked), status(204, ""))
	if err := c.DeletePolicyRule(context.Background(), policyID, ruleID); err != nil {
		t.Fatal(err)
	}
	// newTestClient: InitialBackoff 1 s, jittered to [0.5 s, 1 s], then [1 s, 2 s].
	got := clock.slept()
	if len(got) != 2 || got[0] < 500*time.Millisecond || got[0] > time.Second || got[1] < time.Second || got[1] > 2*time.Second {
		t.Errorf("slept %v, want a short exponential backoff", got)
	}
}

// A concurrency 429 (Limit and Remaining 0) says nothing of the request's
// bucket: its figures are kept, and the 429's own go to BucketConcurrency,
// so that callers gating on the figures wait for its reset.
func TestConcurrency429IsRecordedApart(t *testing.T) {
	window := map[string]string{"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Remaining": "42", "X-Rate-Limit-Reset": "1795953660"}
	concurrency := map[string]string{"Date": serverDate, "X-Rate-Limit-Limit": "0", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "1795953605"}
	c, _, _ := newTestClient(t, cannedResponse{status: 200, body: `[]`, header: window},
		cannedResponse{status: 429, body: bodyRateLimited, header: concurrency})
	ctx := context.Background()
	if _, err := c.ListDeviceAssurances(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateDeviceAssurance(ctx, windowsPolicy)
	var rlErr *RateLimitError
	if !errors.As(err, &rlErr) || !rlErr.Concurrency() {
		t.Fatalf("err = %v, want a concurrency 429", err)
	}
	got := c.RateLimits()
	if da := got[BucketDeviceAssurances]; da.Limit != 50 || da.Remaining != 42 {
		t.Errorf("device-assurances figures %+v, want the window's (50, 42)", da)
	}
	if cc, ok := got[BucketConcurrency]; !ok || cc.Limit != 0 || !cc.Reset.Equal(time.Unix(1795953605, 0)) {
		t.Errorf("concurrency figures %+v (recorded %v)", cc, ok)
	}
}

// A window 429 updates its bucket's figures, so that the next callers see
// Remaining 0 until the reset.
func TestWindow429UpdatesItsBucket(t *testing.T) {
	c, _, _ := newTestClient(t, rateLimited("1795953630"))
	_, err := c.CreateDeviceAssurance(context.Background(), windowsPolicy)
	if !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	da := c.RateLimits()[BucketDeviceAssurances]
	if da.Limit != 600 || da.Remaining != 0 || !da.Reset.Equal(time.Unix(1795953630, 0)) {
		t.Errorf("figures %+v", da)
	}
	if _, ok := c.RateLimits()[BucketConcurrency]; ok {
		t.Error("a window 429 was recorded as a concurrency 429")
	}
}

func TestBackoffIsJitteredExponentialAndCapped(t *testing.T) {
	cfg := RetryConfig{InitialBackoff: time.Second, MaxBackoff: 4 * time.Second}
	for attempt, ceiling := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 9: 4 * time.Second} {
		for range 50 {
			if d := backoff(cfg, attempt); d < ceiling/2 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, ceiling/2, ceiling)
			}
		}
	}
}

// droppingServer closes the connection of the first n requests after
// reading them, as a lost response would look, then answers with body.
func droppingServer(t *testing.T, n int32, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var seen atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if seen.Add(1) <= n {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func clientFor(t *testing.T, srv *httptest.Server, transport http.RoundTripper) (*Client, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	hc := srv.Client()
	if transport != nil {
		hc = &http.Client{Transport: transport}
	}
	hc = specChecked(t, hc)
	c, err := New(Config{OrgURL: srv.URL, Credentials: APIToken(testToken), HTTPClient: hc, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return c, clock
}

func TestPostIsNotResentAfterTheConnectionDropped(t *testing.T) {
	srv, seen := droppingServer(t, 1, daResponse)
	c, clock := clientFor(t, srv, nil)
	_, err := c.CreateDeviceAssurance(context.Background(), windowsPolicy)
	var transportErr *TransportError
	if !errors.As(err, &transportErr) || !transportErr.Sent || !IsTransient(err) {
		t.Fatalf("want a sent TransportError, got %v", err)
	}
	if seen.Load() != 1 || len(clock.slept()) != 0 {
		t.Errorf("POST sent %d times, want once", seen.Load())
	}
}

func TestGetIsRetriedAfterTheConnectionDropped(t *testing.T) {
	srv, seen := droppingServer(t, 1, `[]`)
	c, _ := clientFor(t, srv, nil)
	if _, err := c.ListDeviceAssurances(context.Background()); err != nil {
		t.Fatal(err)
	}
	if seen.Load() != 2 {
		t.Errorf("GET sent %d times, want 2", seen.Load())
	}
}

func TestPostIsRetriedWhenNothingWasSent(t *testing.T) {
	srv, seen := droppingServer(t, 0, daResponse)
	var dials atomic.Int32
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, errors.New("connection refused")
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	c, clock := clientFor(t, srv, transport)
	if _, err := c.CreateDeviceAssurance(context.Background(), windowsPolicy); err != nil {
		t.Fatal(err)
	}
	if seen.Load() != 1 || len(clock.slept()) != 1 {
		t.Errorf("server saw %d requests after %d waits, want 1 after 1", seen.Load(), len(clock.slept()))
	}
}

func TestEveryAttemptHasADeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(srv.Close)
	c, err := New(Config{
		OrgURL: srv.URL, Credentials: APIToken(testToken), HTTPClient: srv.Client(), Clock: newFakeClock(),
		RequestTimeout: 20 * time.Millisecond, Retry: RetryConfig{MaxAttempts: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetPolicy(context.Background(), policyID)
	if !IsTransient(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want a transient timeout, got %v", err)
	}
}

// cancellingClock cancels the caller's context when asked to sleep.
type cancellingClock struct {
	*fakeClock
	cancel context.CancelFunc
}

func (c *cancellingClock) Sleep(ctx context.Context, _ time.Duration) error {
	c.cancel()
	return ctx.Err()
}

func TestWaitingIsCancelledByTheContext(t *testing.T) {
	rec := &recorder{responses: []cannedResponse{status(503, bodyServerError)}}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := &cancellingClock{fakeClock: newFakeClock(), cancel: cancel}
	c, err := New(Config{OrgURL: srv.URL, Credentials: APIToken(testToken), HTTPClient: srv.Client(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListPostureChecks(ctx)
	if !errors.Is(err, context.Canceled) || !IsTransient(err) {
		t.Errorf("want the 503 joined with context.Canceled, got %v", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d requests after cancellation, want 1", n)
	}
}
