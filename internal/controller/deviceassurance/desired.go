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
	spec.ManagedSpec = assurancev1alpha1.ManagedSpec{}
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
