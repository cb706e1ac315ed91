package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func condition(t, status, reason string) metav1.Condition {
	return metav1.Condition{Type: t, Status: metav1.ConditionStatus(status), Reason: reason}
}

func policy(name string, conds ...metav1.Condition) *assurancev1alpha1.DeviceAssurancePolicy {
	p := &assurancev1alpha1.DeviceAssurancePolicy{ObjectMeta: metav1.ObjectMeta{Namespace: "team-a", Name: name}}
	p.Status.Conditions = conds
	return p
}

func TestStatusCollectorCountsObjectsAndReportsOrgs(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := assurancev1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	polled := metav1.NewTime(time.Unix(1700000000, 0))
	ready := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: "default"}}
	ready.Status.Conditions = []metav1.Condition{condition("Ready", "True", "Connected")}
	ready.Status.DriftWatch = &assurancev1alpha1.DriftWatchStatus{LastPollTime: &polled, Message: "reading the System Log: 403"}
	ready.Status.Capabilities = []assurancev1alpha1.OrgCapability{
		{Name: assurancev1alpha1.CapabilityDeviceAssurancePolicy, Available: true},
		{Name: assurancev1alpha1.CapabilityDriftDetection, Available: true},
	}
	// Orgs whose System Log is no longer read keep their last read in
	// their status: no System Log series for them.
	noLogsScope := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: "no-logs-scope"}}
	noLogsScope.Status.Conditions = []metav1.Condition{condition("Ready", "True", "Connected")}
	noLogsScope.Status.DriftWatch = &assurancev1alpha1.DriftWatchStatus{LastPollTime: &polled, Message: "reading the System Log: 403"}
	noLogsScope.Status.Capabilities = []assurancev1alpha1.OrgCapability{
		{Name: assurancev1alpha1.CapabilityDriftDetection, MissingScope: "okta.logs.read"},
	}
	driftOff := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: "drift-off"}}
	driftOff.Spec.DriftDetection = &assurancev1alpha1.DriftDetection{Mode: assurancev1alpha1.DriftDetectionOff}
	driftOff.Status.Conditions = []metav1.Condition{condition("Ready", "True", "Connected")}
	driftOff.Status.DriftWatch = &assurancev1alpha1.DriftWatchStatus{LastPollTime: &polled}
	broken := &assurancev1alpha1.OktaOrg{ObjectMeta: metav1.ObjectMeta{Namespace: "team-a", Name: "okta"}}
	broken.Status.Conditions = []metav1.Condition{condition("Ready", "False", "Unauthorized")}
	objs := []client.Object{
		policy("a", condition("Ready", "True", "Synced")),
		policy("b", condition("Ready", "True", "Synced")),
		policy("c", condition("Ready", "False", "OktaRejected"), condition("Stalled", "True", "OktaRejected")),
		policy("new"),
		ready, broken, noLogsScope, driftOff,
	}
	c := &StatusCollector{Reader: fake.NewClientBuilder().WithScheme(scheme).WithObjects(objs...).Build()}

	want := `
# HELP okta_assurance_objects Managed objects by kind, Ready status and reason, and whether they are Stalled (a person must act).
# TYPE okta_assurance_objects gauge
okta_assurance_objects{kind="DeviceAssurancePolicy",ready="False",reason="OktaRejected",stalled="true"} 1
okta_assurance_objects{kind="DeviceAssurancePolicy",ready="True",reason="Synced",stalled="false"} 2
okta_assurance_objects{kind="DeviceAssurancePolicy",ready="Unknown",reason="",stalled="false"} 1
# HELP okta_assurance_org_capability_available 1 when an org's access token holds the OAuth scope a kind or feature (capability) needs, else 0 with that scope (missing_scope); from the org's status.capabilities.
# TYPE okta_assurance_org_capability_available gauge
okta_assurance_org_capability_available{capability="DeviceAssurancePolicy",missing_scope="",org="ClusterOktaOrg default"} 1
okta_assurance_org_capability_available{capability="DriftDetection",missing_scope="",org="ClusterOktaOrg default"} 1
okta_assurance_org_capability_available{capability="DriftDetection",missing_scope="okta.logs.read",org="ClusterOktaOrg no-logs-scope"} 0
# HELP okta_assurance_org_ready 1 when an org object is Ready, else 0, with the reason of its Ready condition; org as in okta_assurance_okta_requests_total.
# TYPE okta_assurance_org_ready gauge
okta_assurance_org_ready{org="ClusterOktaOrg default",reason="Connected"} 1
okta_assurance_org_ready{org="ClusterOktaOrg drift-off",reason="Connected"} 1
okta_assurance_org_ready{org="ClusterOktaOrg no-logs-scope",reason="Connected"} 1
okta_assurance_org_ready{org="OktaOrg team-a/okta",reason="Unauthorized"} 0
# HELP okta_assurance_system_log_last_poll_timestamp_seconds When the System Log of an org was last read successfully (Unix time).
# TYPE okta_assurance_system_log_last_poll_timestamp_seconds gauge
okta_assurance_system_log_last_poll_timestamp_seconds{org="ClusterOktaOrg default"} 1.7e+09
# HELP okta_assurance_system_log_poll_failing 1 when the last System Log read of an org with drift detection failed, else 0.
# TYPE okta_assurance_system_log_poll_failing gauge
okta_assurance_system_log_poll_failing{org="ClusterOktaOrg default"} 1
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}

	// A manager without the watcher reads no org's log.
	c.NoSystemLogWatcher = true
	if n := testutil.CollectAndCount(c, "okta_assurance_system_log_poll_failing", "okta_assurance_system_log_last_poll_timestamp_seconds"); n != 0 {
		t.Errorf("%d System Log series from a manager without the watcher", n)
	}
}
