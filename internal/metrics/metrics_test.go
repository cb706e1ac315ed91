package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestEndpointCollapsesIDs(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/device-assurances":                                                           "/api/v1/device-assurances",
		"/api/v1/device-assurances/dae3m8o4rWhwReDeM1c5":                                      "/api/v1/device-assurances/{id}",
		"/api/v1/policies/rst7xus97faIAgmti1d7/rules/rul7yut96gmsOzKAA1d6/lifecycle/activate": "/api/v1/policies/{id}/rules/{id}/lifecycle/activate",
		"/oauth2/v1/token": "/oauth2/v1/token",
	} {
		if got := Endpoint(path); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestTransportCountsRequestsAndRateLimits(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Rate-Limit-Remaining", "41")
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := &http.Client{Transport: Transport("ClusterOktaOrg test-metrics", http.DefaultTransport)}
	for range 2 {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, srv.URL+"/api/v1/device-assurances/dae3m8o4rWhwReDeM1c5", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	got := testutil.ToFloat64(OktaRequests.WithLabelValues("ClusterOktaOrg test-metrics", "DELETE", "/api/v1/device-assurances/{id}", "204"))
	if got != 2 {
		t.Errorf("requests counted = %v, want 2", got)
	}
	if got := testutil.ToFloat64(OktaRateLimitRemaining.WithLabelValues("ClusterOktaOrg test-metrics", "/api/v1/device-assurances/{id}")); got != 41 {
		t.Errorf("rate limit remaining = %v, want 41", got)
	}
}
