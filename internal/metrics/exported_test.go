package metrics

import (
	"context"
	"flag"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

var update = flag.Bool("update", false, "rewrite "+exportedMetricsFile+" from the collectors")

// exportedMetricsFile lists the series names the manager serves; the
// alerts and the dashboard in config/prometheus are checked against it
// (test/monitoring), so a renamed metric fails there rather than in a
// silent panel.
const exportedMetricsFile = "testdata/exported-metrics.txt"

// exportedPrefixes are the families the list holds: the operator's own,
// and controller-runtime's controller and work queue metrics, which the
// alerts and the dashboard use. Go runtime and process metrics are left
// out: their names change with the Go version and the platform.
var exportedPrefixes = []string{"okta_assurance_", "controller_runtime_", "workqueue_"}

func TestExportedMetrics(t *testing.T) {
	giveEveryVecASeries()
	reconcileOnce(t)
	reg := prometheus.NewRegistry()
	status := statusCollectorWithEverySeries(t)
	reg.MustRegister(status)
	families, err := prometheus.Gatherers{ctrlmetrics.Registry, reg}.Gather()
	if err != nil {
		t.Fatal(err)
	}
	requireGathered(t, families, append(slices.Clone(collectors), status))
	got := seriesNames(families)
	if *update {
		if err := os.WriteFile(exportedMetricsFile, []byte(strings.Join(got, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(exportedMetricsFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.Fields(string(want)), got); diff != "" {
		t.Errorf("%s differs from the metrics the manager exports (-file +exported); if the change is meant, "+
			"rewrite it with `go test ./internal/metrics -run ExportedMetrics -update` and check the alerts "+
			"and dashboard with `cd test/monitoring && go test ./...`:\n%s", exportedMetricsFile, diff)
	}
}

// giveEveryVecASeries makes each of the package's vectors serve a series
// (a vector without one is not gathered) without changing any count.
func giveEveryVecASeries() {
	org, endpoint := "ClusterOktaOrg exported-metrics", "/api/v1/logs"
	OktaRequests.WithLabelValues(org, "GET", endpoint, "200").Add(0)
	OktaRateLimitRemaining.WithLabelValues(org, endpoint).Add(0)
	OktaRateLimitLimit.WithLabelValues(org, endpoint).Add(0)
	WritesAvoided.WithLabelValues("ExportedKind").Add(0)
	DriftCorrected.WithLabelValues("ExportedKind").Add(0)
	DriftReported.WithLabelValues("ExportedKind").Add(0)
	OutOfBandChanges.WithLabelValues(org, "policy.rule.update").Add(0)
	TimeToReady.WithLabelValues("ExportedKind")
}

// statusCollectorWithEverySeries reads an org that has polled its System
// Log and one object, so that each of its metrics has a series.
func statusCollectorWithEverySeries(t *testing.T) *StatusCollector {
	scheme := runtime.NewScheme()
	if err := assurancev1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	polled := metav1.Now()
	org := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: "default"}}
	org.Status.DriftWatch = &assurancev1alpha1.DriftWatchStatus{LastPollTime: &polled}
	org.Status.Capabilities = []assurancev1alpha1.OrgCapability{{Name: assurancev1alpha1.CapabilityDriftDetection, Available: true}}
	reader := fake.NewClientBuilder().WithScheme(scheme).WithObjects(org, policy("exported")).Build()
	return &StatusCollector{Reader: reader}
}

// reconcileOnce runs one request through a controller-runtime controller,
// as the manager's controllers do, so that controller-runtime's controller
// and work queue metrics have series.
func reconcileOnce(t *testing.T) {
	var once sync.Once
	reconciled := make(chan struct{})
	c, err := controller.NewUnmanaged("exported-metrics", controller.Options{
		SkipNameValidation: ptr.To(true), // -count=2 runs this twice in one process
		Logger:             logr.Discard(),
		Reconciler: reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) {
			once.Do(func() { close(reconciled) })
			return reconcile.Result{}, nil
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan event.GenericEvent, 1)
	if err := c.Watch(source.Channel(events, &handler.EnqueueRequestForObject{})); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan error, 1)
	go func() { stopped <- c.Start(ctx) }()
	events <- event.GenericEvent{Object: policy("exported")}
	select {
	case <-reconciled:
	case <-time.After(30 * time.Second):
		t.Error("the controller did not reconcile within 30 s")
	}
	// Start returns once the workers are done, so the reconcile's own
	// metrics (its duration) are recorded by then.
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
}

// fqName is the name in a Desc's String, the only place a Desc shows it.
var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// requireGathered fails for each metric of collectors that families lack:
// a metric without a series in this test would be missing from the list.
func requireGathered(t *testing.T, families []*dto.MetricFamily, collectors []prometheus.Collector) {
	t.Helper()
	gathered := map[string]bool{}
	for _, f := range families {
		gathered[f.GetName()] = true
	}
	descs := make(chan *prometheus.Desc)
	go func() {
		for _, c := range collectors {
			c.Describe(descs)
		}
		close(descs)
	}()
	for d := range descs {
		m := fqName.FindStringSubmatch(d.String())
		if m == nil {
			t.Errorf("no metric name in %s", d)
			continue
		}
		if !gathered[m[1]] {
			t.Errorf("%s has no series in this test: give it one in giveEveryVecASeries or statusCollectorWithEverySeries", m[1])
		}
	}
}

// seriesNames are the sorted names of the series families serve, limited
// to exportedPrefixes: a histogram serves _bucket, _sum and _count, a
// summary its own name, _sum and _count.
func seriesNames(families []*dto.MetricFamily) []string {
	var names []string
	for _, f := range families {
		name := f.GetName()
		if !slices.ContainsFunc(exportedPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		switch f.GetType() {
		case dto.MetricType_HISTOGRAM:
			names = append(names, name+"_bucket", name+"_sum", name+"_count")
		case dto.MetricType_SUMMARY:
			names = append(names, name, name+"_sum", name+"_count")
		default:
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
