package oktasim

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestBucketRateLimit(t *testing.T) {
	now := time.Date(2026, 4, 20, 3, 30, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	o := newTestOrg(t, Options{Now: clock, RateLimits: RateLimits{DeviceAssurances: 3}})
	wantReset := strconv.FormatInt(now.Add(time.Minute).Unix(), 10)
	for i := 1; i <= 3; i++ {
		r := o.do("GET", "/api/v1/device-assurances", nil)
		mustStatus(t, r, 200)
		if got := r.header.Get("X-Rate-Limit-Remaining"); got != strconv.Itoa(3-i) {
			t.Errorf("request %d: remaining %s", i, got)
		}
		if r.header.Get("X-Rate-Limit-Limit") != "3" || r.header.Get("X-Rate-Limit-Reset") != wantReset {
			t.Errorf("request %d: headers %v", i, r.header)
		}
	}
	limited := o.do("GET", "/api/v1/device-assurances", nil)
	assertError(t, limited, 429, "E0000047", "API call exceeded rate limit due to too many requests.")
	if limited.header.Get("X-Rate-Limit-Remaining") != "0" || limited.header.Get("X-Rate-Limit-Reset") != wantReset {
		t.Errorf("429 headers %v", limited.header)
	}
	// Other buckets are independent: the policies catch-all still answers.
	policies := o.do("GET", "/api/v1/policies?type=ACCESS_POLICY", nil)
	mustStatus(t, policies, 200)
	if policies.header.Get("X-Rate-Limit-Limit") != "50" {
		t.Errorf("catch-all default limit %q", policies.header.Get("X-Rate-Limit-Limit"))
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
}

func TestConcurrencyLimitReportsZeroLimit(t *testing.T) {
	org := New(Options{RateLimits: RateLimits{Concurrency: 1}})
	release := make(chan struct{})
	entered := make(chan struct{})
	blocking := org.wrap("GET /slow", bucketAPI, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		w.WriteHeader(http.StatusNoContent)
	}))
	done := make(chan struct{})
	go func() {
		defer close(done)
		blocking.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/slow", nil))
	}()
	<-entered
	rec := httptest.NewRecorder()
	org.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/api/v1/device-assurances", nil))
	close(release)
	<-done
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("X-Rate-Limit-Limit") != "0" || rec.Header().Get("X-Rate-Limit-Remaining") != "0" {
		t.Fatalf("concurrency 429: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}

func TestDisabledRateLimitsStillSendHeaders(t *testing.T) {
	o := newTestOrg(t, Options{RateLimits: RateLimits{Disabled: true, DeviceAssurances: 1}})
	for range 3 {
		r := o.do("GET", "/api/v1/device-assurances", nil)
		mustStatus(t, r, 200)
		if r.header.Get("X-Rate-Limit-Limit") != "1" {
			t.Errorf("headers %v", r.header)
		}
	}
}
