// Package deviceassurance reconciles DeviceAssurancePolicy objects into Okta
// device assurance policies.
package deviceassurance

import (
	"encoding/json"
	"fmt"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// oktaName is the display name of the policy in Okta.
func oktaName(obj *assurancev1alpha1.DeviceAssurancePolicy) string {
	if obj.Spec.Name != "" {
		return obj.Spec.Name
	}
	return obj.Name
}

// desiredPolicy is the full body to send to Okta: the spec without the
// operator's own fields. The spec mirrors Okta's JSON field for field (the
// API types' round-trip test proves it for every documented and recorded
// body), so a JSON conversion carries every field without a hand-written
// mapping that could forget one.
//
// variables maps the DevicePostureCheck names of checkRef items to their
// variableName, which is what Okta knows them by.
func desiredPolicy(obj *assurancev1alpha1.DeviceAssurancePolicy, variables map[string]string) (okta.DeviceAssurance, error) {
	spec := obj.Spec.DeepCopy()
	spec.OrgRef = nil
	spec.DeletionPolicy = ""
	spec.Adopt = nil
	spec.Name = oktaName(obj)
	if spec.DevicePostureChecks != nil {
		for i, item := range spec.DevicePostureChecks.Include {
			if item.CheckRef != nil {
				spec.DevicePostureChecks.Include[i].VariableName = variables[item.CheckRef.Name]
				spec.DevicePostureChecks.Include[i].CheckRef = nil
			}
		}
	}

	raw, err := json.Marshal(spec)
	if err != nil {
		return okta.DeviceAssurance{}, err
	}
	var policy okta.DeviceAssurance
	if err := json.Unmarshal(raw, &policy); err != nil {
		return okta.DeviceAssurance{}, fmt.Errorf("convert spec to an Okta body: %w", err)
	}
	return policy, nil
}

// effectiveDeletionPolicy applies the default: Delete for a policy this
// object created, Orphan for one it adopted.
func effectiveDeletionPolicy(obj *assurancev1alpha1.DeviceAssurancePolicy) assurancev1alpha1.DeletionPolicy {
	if obj.Spec.DeletionPolicy != "" {
		return obj.Spec.DeletionPolicy
	}
	if obj.Status.Adopted {
		return assurancev1alpha1.DeletionPolicyOrphan
	}
	return assurancev1alpha1.DeletionPolicyDelete
}
