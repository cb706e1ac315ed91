package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
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
		w.Header().Set("X-Rate-Limit-Limit", "50")
		w.Header().Set("X-Rate-Limit-Remaining", "41")
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	// The metrics are the process's: start from no series, so that the
	// test counts the same with -count=N.
	OktaRequests.DeletePartialMatch(prometheus.Labels{"org": "ClusterOktaOrg test-metrics"})
	c := &http.Client{Transport: Transport("ClusterOktaOrg test-metrics", http.DefaultTransport)}
	for range 2 {
		deleteDeviceAssurance(t, c, srv.URL)
	}
	got := testutil.ToFloat64(OktaRequests.WithLabelValues("ClusterOktaOrg test-metrics", "DELETE", "/api/v1/device-assurances/{id}", "204"))
	if got != 2 {
		t.Errorf("requests counted = %v, want 2", got)
	}
	if got := testutil.ToFloat64(OktaRateLimitRemaining.WithLabelValues("ClusterOktaOrg test-metrics", "/api/v1/device-assurances/{id}")); got != 41 {
		t.Errorf("rate limit remaining = %v, want 41", got)
	}
	if got := testutil.ToFloat64(OktaRateLimitLimit.WithLabelValues("ClusterOktaOrg test-metrics", "/api/v1/device-assurances/{id}")); got != 50 {
		t.Errorf("rate limit limit = %v, want 50", got)
	}
}

func TestTransportMakesUpNoRateLimitsForResponsesWithoutHeaders(t *testing.T) {
	// A proxy's error page has no X-Rate-Limit-* headers: a series at 0
	// would read as an exhausted bucket.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	org := "ClusterOktaOrg test-no-headers"
	deleteDeviceAssurance(t, &http.Client{Transport: Transport(org, http.DefaultTransport)}, srv.URL)
	for name, gauge := range map[string]*prometheus.GaugeVec{"limit": OktaRateLimitLimit, "remaining": OktaRateLimitRemaining} {
		if n := gauge.DeletePartialMatch(prometheus.Labels{"org": org}); n != 0 {
			t.Errorf("a response without headers made %d rate limit %s series", n, name)
		}
	}
}

// deleteDeviceAssurance sends one DELETE of a device assurance policy
// through c to the server at base.
func deleteDeviceAssurance(t *testing.T, c *http.Client, base string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, base+"/api/v1/device-assurances/dae3m8o4rWhwReDeM1c5", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
}

func TestTimeToReadyHistogram(t *testing.T) {
	TimeToReady.DeleteLabelValues("HistogramKind") // the process's histogram: start empty on every -count
	ObserveTimeToReady("HistogramKind", 1500*time.Millisecond)
	ObserveTimeToReady("HistogramKind", -time.Second)
	families, err := ctrlmetrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var count uint64
	var sum float64
	for _, f := range families {
		if f.GetName() != "okta_assurance_time_to_ready_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "kind" && l.GetValue() == "HistogramKind" {
					count, sum = m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()
				}
			}
		}
	}
	if count != 2 || sum != 1.5 {
		t.Errorf("%d samples summing to %v, want 2 summing to 1.5 (a negative duration counts as 0)", count, sum)
	}
	if b := TimeToReadyBuckets; b[0] != 0.1 || b[len(b)-1] != 1800 {
		t.Errorf("buckets %v do not span 0.1 s to 30 min", b)
	}
}

func TestNewMetricsAreRegistered(t *testing.T) {
	DriftReported.WithLabelValues("TestKind").Inc()
	OutOfBandChanges.WithLabelValues("ClusterOktaOrg test", "policy.rule.update").Inc()
	ObserveTimeToReady("TestKind", time.Second)
	families, err := ctrlmetrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, f := range families {
		found[f.GetName()] = true
	}
	for _, name := range []string{"okta_assurance_drift_reported_total", "okta_assurance_out_of_band_changes_total", "okta_assurance_time_to_ready_seconds"} {
		if !found[name] {
			t.Errorf("%s is not registered on controller-runtime's registry", name)
		}
	}
}

// TestKindCountersStartAtZero: a kind's counters exist at 0 before their
// first increment, which increase() can then see.
func TestKindCountersStartAtZero(t *testing.T) {
	StartKindCounters("StartedKind")
	for name, c := range map[string]*prometheus.CounterVec{
		"writes avoided": WritesAvoided, "drift corrected": DriftCorrected, "drift reported": DriftReported} {
		value, ok := seriesOf(t, c, "StartedKind")
		if !ok || value != 0 {
			t.Errorf("%s: series %v, value %v; want a series at 0", name, ok, value)
		}
	}
}

// seriesOf returns the value of c's series whose kind label is kind.
func seriesOf(t *testing.T, c prometheus.Collector, kind string) (float64, bool) {
	t.Helper()
	ch := make(chan prometheus.Metric, 64)
	go func() { c.Collect(ch); close(ch) }()
	value, found := 0.0, false
	for m := range ch {
		var pb dto.Metric
		if err := m.Write(&pb); err != nil {
			t.Fatal(err)
		}
		for _, l := range pb.GetLabel() {
			if l.GetName() == "kind" && l.GetValue() == kind {
				value, found = pb.GetCounter().GetValue(), true
			}
		}
	}
	return value, found
}
