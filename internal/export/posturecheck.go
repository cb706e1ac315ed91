package export

import (
	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// typeCustom is the type of the posture checks the operator manages;
// Okta's own (BUILTIN) checks are not exported.
const typeCustom = "CUSTOM"

// isCustom tells whether a check is a custom one: a check listed without a
// type is.
func isCustom(c okta.PostureCheck) bool {
	return c.Type == "" || c.Type == typeCustom
}

// PostureCheckSpec is the spec of a DevicePostureCheck that keeps the Okta
// custom check observed as it is: the inverse of the controller's
// desiredCheck (internal/controller/posturecheck/desired.go), without what
// Okta owns (the type, always CUSTOM, and the defaults of BUILTIN checks'
// remediation, null on custom ones, docs/okta-api-behaviour.md §2).
func PostureCheckSpec(observed okta.PostureCheck) assurancev1alpha1.DevicePostureCheckSpec {
	spec := assurancev1alpha1.DevicePostureCheckSpec{
		Name:         observed.Name,
		Description:  observed.Description,
		VariableName: observed.VariableName,
		Platform:     assurancev1alpha1.PostureCheckPlatform(observed.Platform),
		MappingType:  assurancev1alpha1.PostureCheckMappingType(observed.MappingType),
		Query:        observed.Query,
	}
	if r := observed.RemediationSettings; r != nil {
		var out assurancev1alpha1.PostureCheckRemediation
		if r.Message != nil && r.Message.CustomText != "" {
			out.Message = &assurancev1alpha1.PostureCheckRemediationMessage{CustomText: r.Message.CustomText}
		}
		if r.Link != nil && r.Link.CustomURL != "" {
			out.Link = &assurancev1alpha1.PostureCheckRemediationLink{CustomURL: r.Link.CustomURL}
		}
		if out.Message != nil || out.Link != nil {
			spec.RemediationSettings = &out
		}
	}
	return spec
}
