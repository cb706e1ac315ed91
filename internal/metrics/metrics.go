// Package metrics defines the operator's Prometheus metrics, served on the
// manager's metrics endpoint (controller-runtime's registry). Labels never
// carry a credential: only the org's kind and name, HTTP methods, endpoint
// templates and status codes.
package metrics

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

var (
	// OktaRequests counts the requests sent to Okta.
	OktaRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "okta_assurance_okta_requests_total",
		Help: "Requests sent to Okta, by org, HTTP method, endpoint template and status code (0: no response).",
	}, []string{"org", "method", "endpoint", "code"})

	// OktaRateLimitRemaining is the last X-Rate-Limit-Remaining Okta sent.
	OktaRateLimitRemaining = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "okta_assurance_okta_rate_limit_remaining",
		Help: "The last X-Rate-Limit-Remaining Okta reported, by org and endpoint template.",
	}, []string{"org", "endpoint"})

	// OktaRateLimitLimit is the last X-Rate-Limit-Limit Okta sent: the
	// remaining requests alone do not say how close a bucket is to empty,
	// since limits range from tens to thousands per minute.
	OktaRateLimitLimit = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "okta_assurance_okta_rate_limit_limit",
		Help: "The last X-Rate-Limit-Limit Okta reported (0 on a concurrency 429), by org and endpoint template.",
	}, []string{"org", "endpoint"})

	// WritesAvoided counts the passes that found an Okta object up to date
	// and therefore sent no write.
	WritesAvoided = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "okta_assurance_writes_avoided_total",
		Help: "Passes that compared an object with Okta, found no difference and sent no write, by kind.",
	}, []string{"kind"})

	// DriftCorrected counts the writes that reverted a difference found in
	// Okta (an edit of the spec, or a change made outside Kubernetes).
	DriftCorrected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "okta_assurance_drift_corrected_total",
		Help: "Writes that made an Okta object match its spec again, by kind.",
	}, []string{"kind"})

	// DriftReported counts the differences found in Okta and left as they
	// are because spec.driftPolicy is Report (counted once per difference,
	// not once per pass).
	DriftReported = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "okta_assurance_drift_reported_total",
		Help: "Differences between an Okta object and its spec found and reported, not corrected (spec.driftPolicy: Report), by kind.",
	}, []string{"kind"})

	// OutOfBandChanges counts the System Log events about the objects the
	// operator manages that the operator did not cause.
	OutOfBandChanges = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "okta_assurance_out_of_band_changes_total",
		Help: "System Log events about managed Okta objects that the operator did not cause, by org and event type.",
	}, []string{"org", "event_type"})

	// TimeToReady is how long a new generation of an object took to become
	// Ready; observe it with ObserveTimeToReady.
	TimeToReady = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "okta_assurance_time_to_ready_seconds",
		Help: "Seconds from the moment a generation of an object is first seen not Ready until it is Ready, by kind.",
		// 0.1 s (one pass, no wait) to 30 min (rate-limit windows, an org
		// made Ready by a person).
		Buckets: TimeToReadyBuckets,
	}, []string{"kind"})
)

// TimeToReadyBuckets are the upper bounds, in seconds, of TimeToReady's
// buckets.
var TimeToReadyBuckets = []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800}

// collectors are the package's metrics, all served by the manager; the
// list of exported metric names is checked against them.
var collectors = []prometheus.Collector{OktaRequests, OktaRateLimitRemaining, OktaRateLimitLimit, WritesAvoided,
	DriftCorrected, DriftReported, OutOfBandChanges, TimeToReady}

func init() {
	ctrlmetrics.Registry.MustRegister(collectors...)
}

// StartKindCounters gives the counters by kind a series at 0 for kind, so
// that their first increment after a manager starts is an increase:
// Prometheus' increase() and rate() read nothing from a series' first
// sample, and an alert on one difference would otherwise never fire.
func StartKindCounters(kind string) {
	WritesAvoided.WithLabelValues(kind)
	DriftCorrected.WithLabelValues(kind)
	DriftReported.WithLabelValues(kind)
}

// ObserveTimeToReady records that an object of kind became Ready d after
// its generation was first seen not Ready; a negative d (clock skew) counts
// as 0.
func ObserveTimeToReady(kind string, d time.Duration) {
	TimeToReady.WithLabelValues(kind).Observe(max(d, 0).Seconds())
}

// Transport counts the requests of one org's client and records its
// rate-limit figures.
func Transport(org string, base http.RoundTripper) http.RoundTripper {
	return &transport{org: OrgLabel(org), base: base}
}

type transport struct {
	org  string
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	endpoint := Endpoint(req.URL.Path)
	resp, err := t.base.RoundTrip(req)
	code := 0
	if resp != nil {
		code = resp.StatusCode
		setFromHeader(OktaRateLimitRemaining, resp.Header, "X-Rate-Limit-Remaining", t.org, endpoint)
		setFromHeader(OktaRateLimitLimit, resp.Header, "X-Rate-Limit-Limit", t.org, endpoint)
	}
	OktaRequests.WithLabelValues(t.org, req.Method, endpoint, strconv.Itoa(code)).Inc()
	return resp, err
}

// setFromHeader sets g's series to the integer in header name; a response
// without it (a proxy's error page) leaves the series at what Okta last
// said, or absent, rather than at a made-up 0.
func setFromHeader(g *prometheus.GaugeVec, h http.Header, name string, labels ...string) {
	if v, err := strconv.Atoi(h.Get(name)); err == nil {
		g.WithLabelValues(labels...).Set(float64(v))
	}
}

// oktaID matches the IDs Okta gives objects (dae…, rst…, rul…, dch…: 20
// characters), so that endpoints are counted per template, not per object.
var oktaID = regexp.MustCompile(`^[A-Za-z0-9]{20}$`)

// Endpoint is a request path with object IDs replaced by {id}, e.g.
// /api/v1/policies/{id}/rules/{id}; OtherLabel for a path the operator
// does not call, so that the label's values are a fixed set.
func Endpoint(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if oktaID.MatchString(p) {
			parts[i] = "{id}"
		}
	}
	if template := strings.Join(parts, "/"); knownEndpoint.MatchString(template) {
		return template
	}
	return OtherLabel
}
