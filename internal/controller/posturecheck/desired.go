// Package posturecheck reconciles DevicePostureCheck objects into Okta
// custom device posture checks (osquery checks with their remediation).
package posturecheck

import (
	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// typeCustom is the only type of check that can be created or replaced.
const typeCustom = "CUSTOM"

// oktaName is the display name of the check in Okta.
func oktaName(obj *assurancev1alpha1.DevicePostureCheck) string {
	if obj.Spec.Name != "" {
		return obj.Spec.Name
	}
	return obj.Name
}

// desiredCheck is the full body to send to Okta: every writable field of the
// check, built from the spec (orgRef and deletionPolicy are the operator's
// own). Okta's PUT replaces the whole check, so nothing may be left out.
func desiredCheck(obj *assurancev1alpha1.DevicePostureCheck) okta.PostureCheck {
	spec := obj.Spec
	check := okta.PostureCheck{
		Name:         oktaName(obj),
		Description:  spec.Description,
		VariableName: spec.VariableName,
		Platform:     okta.Platform(spec.Platform),
		Type:         typeCustom,
		MappingType:  string(spec.MappingType),
		Query:        spec.Query,
	}
	if r := spec.RemediationSettings; r != nil && (r.Message != nil || r.Link != nil) {
		check.RemediationSettings = &okta.RemediationSettings{}
		if r.Message != nil {
			check.RemediationSettings.Message = &okta.RemediationMessage{CustomText: r.Message.CustomText}
		}
		if r.Link != nil {
			check.RemediationSettings.Link = &okta.RemediationLink{CustomURL: r.Link.CustomURL}
		}
	}
	return check
}
