package managed

import (
	"testing"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func TestEffectiveDeletionPolicy(t *testing.T) {
	const (
		deleteP = assurancev1alpha1.DeletionPolicyDelete
		orphan  = assurancev1alpha1.DeletionPolicyOrphan
	)
	policy := func(p assurancev1alpha1.DeletionPolicy, adopted bool) Object {
		obj := &assurancev1alpha1.DeviceAssurancePolicy{}
		obj.Spec.DeletionPolicy, obj.Status.Adopted = p, adopted
		return obj
	}
	rule := func(p assurancev1alpha1.DeletionPolicy, adopted bool) Object {
		obj := &assurancev1alpha1.SignInRuleBinding{}
		obj.Spec.DeletionPolicy, obj.Status.Adopted = p, adopted
		return obj
	}
	check := func(p assurancev1alpha1.DeletionPolicy) Object {
		obj := &assurancev1alpha1.DevicePostureCheck{}
		obj.Spec.DeletionPolicy = p
		return obj
	}
	tests := []struct {
		name string
		obj  Object
		want assurancev1alpha1.DeletionPolicy
	}{
		{"a policy it created: Delete", policy("", false), deleteP},
		{"a policy it adopted: Orphan", policy("", true), orphan},
		{"an adopted policy, Delete asked for", policy(deleteP, true), deleteP},
		{"a created policy, Orphan asked for", policy(orphan, false), orphan},
		{"a rule it created: Delete", rule("", false), deleteP},
		{"a rule it adopted: Orphan", rule("", true), orphan},
		{"a check: Delete", check(""), deleteP},
		{"a check, Orphan asked for", check(orphan), orphan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EffectiveDeletionPolicy(tt.obj); got != tt.want {
				t.Errorf("EffectiveDeletionPolicy = %q, want %q", got, tt.want)
			}
		})
	}
}
