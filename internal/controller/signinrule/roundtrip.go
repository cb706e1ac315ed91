package signinrule

import (
	"sort"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Drift is what a pass over obj would change in the Okta rule observed:
// the parts (name, priority, conditions.<x>, actions.appSignOn, status) in
// which the rule the controller would send differs from what Okta holds,
// compared as update compares them (the Catch-all Rule by its actions only),
// plus the part a Catch-all Rule binding would be stalled on
// (conditions, status); none when applying obj makes no write. ids maps
// the DeviceAssurancePolicy names of conditions.device.assurance.include to
// their Okta IDs. It lets a tool that writes specs (the export command)
// prove that each spec round-trips to no change.
func Drift(obj *assurancev1alpha1.SignInRuleBinding, ids map[string]string, observed *okta.PolicyRuleResponse) ([]string, error) {
	desired, err := desiredRule(&obj.Spec.Rule, ids)
	if err != nil {
		return nil, err
	}
	if isSystem(observed) {
		fields := actionsDrift(desired, observed.PolicyRule)
		if obj.Spec.Rule.Conditions != nil {
			fields = append(fields, "conditions")
		}
		if !wantsActive(obj) {
			fields = append(fields, "status")
		}
		sort.Strings(fields)
		return fields, nil
	}
	if desired.Priority == nil {
		desired.Priority = observed.Priority
	}
	return ruleDrift(obj, desired, observed), nil
}
