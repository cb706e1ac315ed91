package outcome

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func TestOrgReadinessChanged(t *testing.T) {
	org := func(generation int64, ready metav1.ConditionStatus, reason string, remaining int32) *assurancev1alpha1.ClusterOktaOrg {
		o := &assurancev1alpha1.ClusterOktaOrg{}
		o.Generation = generation
		o.Status.Conditions = []metav1.Condition{{Type: assurancev1alpha1.ConditionReady, Status: ready, Reason: reason}}
		o.Status.RateLimits = []assurancev1alpha1.RateLimitStatus{{Bucket: "api-v1", Limit: 50, Remaining: remaining}}
		return o
	}
	postureChecks := func(available bool, message string) *assurancev1alpha1.ClusterOktaOrg {
		o := org(1, "True", "Connected", 49)
		o.Status.Capabilities = []assurancev1alpha1.OrgCapability{
			{Name: assurancev1alpha1.CapabilityDeviceAssurancePolicy, Available: true},
			{Name: assurancev1alpha1.CapabilityDevicePostureCheck, Available: available, Message: message},
		}
		return o
	}
	tests := []struct {
		name     string
		old, new *assurancev1alpha1.ClusterOktaOrg
		want     bool
	}{
		{"a missing scope is granted", postureChecks(false, "not granted"), postureChecks(true, ""), true},
		{"a scope is no longer granted", postureChecks(true, ""), postureChecks(false, "not granted"), true},
		{"a capability's message only", postureChecks(true, ""), postureChecks(true, "Okta refused POST with 403 E0000006"), false},
		{"rate-limit figures only", org(1, "True", "Connected", 40), org(1, "True", "Connected", 30), false},
		{"becomes Ready", org(1, "False", "SecretNotFound", 0), org(1, "True", "Connected", 49), true},
		{"loses Ready", org(1, "True", "Connected", 49), org(1, "False", "Unauthorized", 49), true},
		{"another failure", org(1, "False", "Unauthorized", 0), org(1, "False", "Forbidden", 0), true},
		{"spec edited", org(1, "True", "Connected", 49), org(2, "True", "Connected", 49), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OrgReadinessChanged.Update(event.UpdateEvent{ObjectOld: tt.old, ObjectNew: tt.new}); got != tt.want {
				t.Errorf("Update = %v, want %v", got, tt.want)
			}
		})
	}
}
