package observemode

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
)

func TestReports(t *testing.T) {
	for policy, want := range map[assurancev1alpha1.DriftPolicy]bool{
		"":                                   false, // stored before the CRD had the field
		assurancev1alpha1.DriftPolicyCorrect: false,
		assurancev1alpha1.DriftPolicyReport:  true,
	} {
		if got := Reports(policy); got != want {
			t.Errorf("Reports(%q) = %v, want %v", policy, got, want)
		}
	}
}

func TestMessages(t *testing.T) {
	tests := []struct {
		name   string
		got    string
		expect string
	}{
		{"one field", Message([]string{"jailbreak"}), "Okta differs from the spec in: jailbreak"},
		{"several fields", Message([]string{"osVersion.minimum", "screenLockType"}),
			"Okta differs from the spec in: osVersion.minimum, screenLockType"},
		{"ready", ReadyMessage("Okta policy dae1", []string{"jailbreak", "osVersion"}),
			"Okta policy dae1 differs from the spec in: jailbreak, osVersion; spec.driftPolicy is Report, so the operator does not write it"},
		{"deleted", DeletedMessage("Okta rule rul1 of policy rst1"),
			"Okta rule rul1 of policy rst1 was deleted outside Kubernetes; spec.driftPolicy is Report, so it is not created again: " +
				"set spec.driftPolicy to Correct to recreate it, or delete this object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.expect {
				t.Errorf("got %q\nwant %q", tt.got, tt.expect)
			}
		})
	}
}

func TestDetail(t *testing.T) {
	tests := []struct {
		name       string
		fields     []string
		want, have map[string]any
		expect     []string
	}{
		{
			name:   "a nested scalar",
			fields: []string{"osVersion"},
			want:   map[string]any{"osVersion": map[string]any{"minimum": "14.4"}},
			have:   map[string]any{"osVersion": map[string]any{"minimum": "14.5"}},
			expect: []string{"osVersion.minimum"},
		},
		{
			name:   "a nested list stays at the list",
			fields: []string{"screenLockType"},
			want:   map[string]any{"screenLockType": map[string]any{"include": []any{"BIOMETRIC"}}},
			have:   map[string]any{"screenLockType": map[string]any{"include": []any{"PASSCODE"}}},
			expect: []string{"screenLockType.include"},
		},
		{
			name:   "several levels deep, a key on one side only, sorted",
			fields: []string{"remediationSettings", "name"},
			want: map[string]any{"name": "a", "remediationSettings": map[string]any{
				"message": map[string]any{"customText": "x"}, "link": map[string]any{"customUrl": "u"}}},
			have: map[string]any{"name": "b", "remediationSettings": map[string]any{
				"message": map[string]any{"customText": "y"}, "link": map[string]any{}}},
			expect: []string{"name", "remediationSettings.link.customUrl", "remediationSettings.message.customText"},
		},
		{
			name:   "an object on one side only stays at the object",
			fields: []string{"gracePeriod"},
			want:   map[string]any{"gracePeriod": map[string]any{"type": "BY_DURATION"}},
			have:   map[string]any{},
			expect: []string{"gracePeriod"},
		},
		{
			name:   "a null against a missing key",
			fields: []string{"osVersion"},
			want:   map[string]any{"osVersion": map[string]any{"minimum": nil}},
			have:   map[string]any{"osVersion": map[string]any{}},
			expect: []string{"osVersion.minimum"},
		},
		{
			name:   "no fields",
			expect: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detail(tt.fields, tt.want, tt.have); !reflect.DeepEqual(got, tt.expect) {
				t.Errorf("Detail = %q, want %q", got, tt.expect)
			}
		})
	}
}

func TestObservedReportsOnlyChangesOfTheFields(t *testing.T) {
	recorder := events.NewFakeRecorder(10)
	r := Reporter{Recorder: recorder, Kind: "TestKind"}
	obj := &assurancev1alpha1.DeviceAssurancePolicy{}
	var conditions []metav1.Condition
	counted := func() float64 { return testutil.ToFloat64(metrics.DriftReported.WithLabelValues("TestKind")) }
	before := counted()

	out, drifted := r.Observed(obj, &conditions, 3, "Okta policy dae1", []string{"jailbreak"})
	if !drifted || !out.Ready || out.Reason != ReasonDriftReported || out.Stalled || !strings.Contains(out.Message, "jailbreak") {
		t.Fatalf("Observed = %+v, %v", out, drifted)
	}
	c := meta.FindStatusCondition(conditions, assurancev1alpha1.ConditionDrifted)
	if c == nil || c.Status != metav1.ConditionTrue || c.Reason != ReasonDriftDetected ||
		c.Message != "Okta differs from the spec in: jailbreak" || c.ObservedGeneration != 3 {
		t.Fatalf("Drifted = %+v", c)
	}
	if got := drain(recorder); len(got) != 1 || got[0] != "Warning DriftDetected Okta policy dae1 differs from the spec in: jailbreak; not corrected (spec.driftPolicy is Report)" {
		t.Fatalf("events = %q", got)
	}

	r.Observed(obj, &conditions, 3, "Okta policy dae1", []string{"jailbreak"})
	if got := drain(recorder); len(got) != 0 {
		t.Errorf("the same fields again sent %q", got)
	}
	r.Observed(obj, &conditions, 3, "Okta policy dae1", []string{"jailbreak", "osVersion.minimum"})
	if got := drain(recorder); len(got) != 1 || !strings.Contains(got[0], "jailbreak, osVersion.minimum") {
		t.Errorf("new fields sent %q", got)
	}
	if got := counted() - before; got != 2 {
		t.Errorf("drift_reported_total grew by %v, want 2", got)
	}

	out, drifted = r.Observed(obj, &conditions, 4, "Okta policy dae1", nil)
	if drifted || out.Reason != "" {
		t.Errorf("no fields: %+v, %v", out, drifted)
	}
	if meta.FindStatusCondition(conditions, assurancev1alpha1.ConditionDrifted) != nil {
		t.Errorf("Drifted is kept without a difference: %+v", conditions)
	}
}

func TestDeletedStallsAndReportsOnce(t *testing.T) {
	recorder := events.NewFakeRecorder(10)
	r := Reporter{Recorder: recorder, Kind: "TestKind"}
	obj := &assurancev1alpha1.DevicePostureCheck{}
	conditions := []metav1.Condition{}
	r.Observed(obj, &conditions, 1, "Okta posture check dch1", []string{"query"})
	drain(recorder)

	for range 2 {
		out := r.Deleted(obj, &conditions, 2, "Okta posture check dch1")
		if out.Ready || !out.Stalled || out.Reason != ReasonDeletedInOkta || out.Message != DeletedMessage("Okta posture check dch1") {
			t.Fatalf("Deleted = %+v", out)
		}
	}
	if got := drain(recorder); len(got) != 1 || !strings.HasPrefix(got[0], "Warning DeletedInOkta Okta posture check dch1 was deleted") {
		t.Errorf("events = %q", got)
	}
	c := meta.FindStatusCondition(conditions, assurancev1alpha1.ConditionDrifted)
	if c == nil || c.Reason != ReasonDeletedInOkta || c.Status != metav1.ConditionTrue {
		t.Errorf("Drifted = %+v", c)
	}
	Clear(&conditions)
	if len(conditions) != 0 {
		t.Errorf("Clear left %+v", conditions)
	}
}

func drain(recorder *events.FakeRecorder) []string {
	var out []string
	for {
		select {
		case e := <-recorder.Events:
			out = append(out, e)
		default:
			return out
		}
	}
}
