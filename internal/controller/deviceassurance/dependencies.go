package deviceassurance

import (
	"context"

	"k8s.io/apimachinery/pkg/api/meta"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
)

// postureChecks are the DevicePostureChecks a policy names by checkRef.
var postureChecks = managed.Dependency[*assurancev1alpha1.DevicePostureCheck]{
	Kind: "DevicePostureCheck", Owner: "policy", Ready: "to exist in Okta",
	New:         func() *assurancev1alpha1.DevicePostureCheck { return &assurancev1alpha1.DevicePostureCheck{} },
	ForeignHint: "refer to checks of the policy's org, or to others by variableName",
}

// resolvePostureChecks maps each DevicePostureCheck the policy names to its
// variableName, once the check exists in the policy's org; ok is false while
// one does not, and then nothing is written to Okta (Okta would refuse an
// unknown variableName). DependenciesReady is present only on policies that
// name checks.
func (e *external) resolvePostureChecks(ctx context.Context, p *pass) (map[string]string, outcome.Outcome, bool) {
	names := p.Obj.PostureCheckNames()
	if len(names) == 0 {
		meta.RemoveStatusCondition(p.Conditions(), assurancev1alpha1.ConditionDependenciesReady)
		return nil, outcome.Outcome{}, true
	}
	checks, out, ok := managed.ResolveDependencies(ctx, e.client, p, names, postureChecks)
	if !ok {
		return nil, out, false
	}
	variables := make(map[string]string, len(checks))
	for _, check := range checks {
		variables[check.Name] = check.Spec.VariableName
	}
	return variables, outcome.Outcome{}, true
}
