package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

var (
	objectsDesc = prometheus.NewDesc("okta_assurance_objects",
		"Managed objects by kind, Ready status and reason, and whether they are Stalled (a person must act).",
		[]string{"kind", "ready", "reason", "stalled"}, nil)
	orgReadyDesc = prometheus.NewDesc("okta_assurance_org_ready",
		"1 when an org object is Ready, else 0, with the reason of its Ready condition; org as in okta_assurance_okta_requests_total.",
		[]string{"org", "reason"}, nil)
	orgCapabilityDesc = prometheus.NewDesc("okta_assurance_org_capability_available",
		"1 when an org's access token holds the OAuth scope a kind or feature (capability) needs, else 0 with that scope (missing_scope); from the org's status.capabilities.",
		[]string{"org", "capability", "missing_scope"}, nil)
	logPollFailingDesc = prometheus.NewDesc("okta_assurance_system_log_poll_failing",
		"1 when the last System Log read of an org with drift detection failed, else 0.",
		[]string{"org"}, nil)
	logPollAgeDesc = prometheus.NewDesc("okta_assurance_system_log_last_poll_timestamp_seconds",
		"When the System Log of an org was last read successfully (Unix time).",
		[]string{"org"}, nil)
)

// StatusCollector reports, at each scrape, what the objects' and orgs'
// status say, read from the manager's cache: no state of its own, and
// series per org (few) but never per managed object (many).
type StatusCollector struct {
	Reader client.Reader
	// NoSystemLogWatcher says that the manager runs without the System Log
	// watcher: no org's log is read, whatever its status says of reads
	// before.
	NoSystemLogWatcher bool
	// Timeout bounds one scrape's reads (10 s when zero).
	Timeout time.Duration
}

// Describe implements prometheus.Collector.
func (c *StatusCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- objectsDesc
	ch <- orgReadyDesc
	ch <- orgCapabilityDesc
	ch <- logPollFailingDesc
	ch <- logPollAgeDesc
}

// Collect implements prometheus.Collector.
func (c *StatusCollector) Collect(ch chan<- prometheus.Metric) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c.collectObjects(ctx, ch)
	c.collectOrgs(ctx, ch)
}

type objectKey struct{ kind, ready, reason, stalled string }

func (c *StatusCollector) collectObjects(ctx context.Context, ch chan<- prometheus.Metric) {
	counts := map[objectKey]int{}
	add := func(kind string, conditions []metav1.Condition) {
		k := objectKey{kind: kind, ready: string(metav1.ConditionUnknown), stalled: "false"}
		if ready := meta.FindStatusCondition(conditions, assurancev1alpha1.ConditionReady); ready != nil {
			k.ready, k.reason = string(ready.Status), ready.Reason
		}
		if meta.IsStatusConditionTrue(conditions, assurancev1alpha1.ConditionStalled) {
			k.stalled = "true"
		}
		counts[k]++
	}
	// The cache's objects are read, not copied: a scrape at 10,000
	// objects must not copy them all.
	for _, kind := range []struct {
		name string
		list client.ObjectList
	}{
		{"DeviceAssurancePolicy", &assurancev1alpha1.DeviceAssurancePolicyList{}},
		{"DevicePostureCheck", &assurancev1alpha1.DevicePostureCheckList{}},
		{"SignInRuleBinding", &assurancev1alpha1.SignInRuleBindingList{}},
	} {
		for _, obj := range c.list(ctx, kind.list) {
			if m, ok := obj.(interface {
				GetManagedStatus() *assurancev1alpha1.ManagedStatus
			}); ok {
				add(kind.name, m.GetManagedStatus().Conditions)
			}
		}
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(objectsDesc, prometheus.GaugeValue, float64(n), k.kind, k.ready, k.reason, k.stalled)
	}
}

// list returns the items of list from the cache, none when it cannot.
func (c *StatusCollector) list(ctx context.Context, list client.ObjectList) []runtime.Object {
	if c.Reader.List(ctx, list, client.UnsafeDisableDeepCopy) != nil {
		return nil
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil
	}
	return items
}

func (c *StatusCollector) collectOrgs(ctx context.Context, ch chan<- prometheus.Metric) {
	for _, obj := range c.list(ctx, &assurancev1alpha1.OktaOrgList{}) {
		o := obj.(*assurancev1alpha1.OktaOrg)
		collectOrg(ch, OrgLabel("OktaOrg "+o.Namespace+"/"+o.Name), &o.Spec, &o.Status, !c.NoSystemLogWatcher)
	}
	for _, obj := range c.list(ctx, &assurancev1alpha1.ClusterOktaOrgList{}) {
		o := obj.(*assurancev1alpha1.ClusterOktaOrg)
		collectOrg(ch, OrgLabel("ClusterOktaOrg "+o.Name), &o.Spec.OktaOrgSpec, &o.Status, !c.NoSystemLogWatcher)
	}
}

// collectOrg reports one org. The System Log series describe the watcher's
// reads of an org it reads now: an org whose drift detection was turned
// off, or whose token lost okta.logs.read, after a read keeps that read in
// its status, which says nothing of today.
func collectOrg(ch chan<- prometheus.Metric, org string, spec *assurancev1alpha1.OktaOrgSpec, status *assurancev1alpha1.OktaOrgStatus,
	watcherRuns bool) {
	ready, reason := 0.0, ""
	if c := meta.FindStatusCondition(status.Conditions, assurancev1alpha1.ConditionReady); c != nil {
		reason = c.Reason
		if c.Status == metav1.ConditionTrue {
			ready = 1
		}
	}
	ch <- prometheus.MustNewConstMetric(orgReadyDesc, prometheus.GaugeValue, ready, org, reason)
	for _, capability := range status.Capabilities {
		available := 0.0
		if capability.Available {
			available = 1
		}
		ch <- prometheus.MustNewConstMetric(orgCapabilityDesc, prometheus.GaugeValue, available,
			org, string(capability.Name), string(capability.MissingScope))
	}
	if dw := status.DriftWatch; dw != nil && watcherRuns && assurancev1alpha1.SystemLogRead(spec, status) {
		failing := 0.0
		if dw.Message != "" {
			failing = 1
		}
		ch <- prometheus.MustNewConstMetric(logPollFailingDesc, prometheus.GaugeValue, failing, org)
		if dw.LastPollTime != nil {
			ch <- prometheus.MustNewConstMetric(logPollAgeDesc, prometheus.GaugeValue, float64(dw.LastPollTime.Unix()), org)
		}
	}
}

// RegisterStatusCollector registers c with the manager's registry; a
// collector registered before (a second manager in one test process) stays.
func RegisterStatusCollector(c *StatusCollector) error {
	err := ctrlmetrics.Registry.Register(c)
	if _, ok := errors.AsType[prometheus.AlreadyRegisteredError](err); ok {
		return nil
	}
	return err
}
