package signinrule

import (
	"context"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
)

// assurancePolicies are the DeviceAssurancePolicies a rule names. One of
// another org would point the rule at a policy that does not exist there.
var assurancePolicies = managed.Dependency[*assurancev1alpha1.DeviceAssurancePolicy]{
	Kind: "DeviceAssurancePolicy", Owner: "binding", Ready: "to have an Okta ID",
	New:         func() *assurancev1alpha1.DeviceAssurancePolicy { return &assurancev1alpha1.DeviceAssurancePolicy{} },
	ForeignHint: "name policies of the binding's org, or refer to others by id",
}

// resolveDependencies maps each DeviceAssurancePolicy the rule names to
// its Okta ID and records them in the status; ok is false while one of
// them has no ID yet, and then nothing is written to Okta.
func (e *external) resolveDependencies(ctx context.Context, p *pass) (map[string]string, outcome.Outcome, bool) {
	policies, out, ok := managed.ResolveDependencies(ctx, e.client, p, p.Obj.DeviceAssurancePolicyNames(), assurancePolicies)
	ids := make(map[string]string, len(policies))
	resolved := make([]assurancev1alpha1.ResolvedDeviceAssurance, 0, len(policies))
	for _, policy := range policies {
		ids[policy.Name] = policy.Status.ID
		resolved = append(resolved, assurancev1alpha1.ResolvedDeviceAssurance{Name: policy.Name, ID: policy.Status.ID})
	}
	p.Obj.Status.DeviceAssurances = resolved
	return ids, out, ok
}
