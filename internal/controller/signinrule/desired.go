// Package signinrule reconciles SignInRuleBinding objects into rules of
// Okta app sign-in policies (ACCESS_POLICY).
package signinrule

import (
	"encoding/json"
	"fmt"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// catchAllName is the name real orgs give the system rule of every app
// sign-in policy (docs/okta-api-behaviour.md, R24; the spec's "Catch-all rule" is
// wrong).
const catchAllName = "Catch-all Rule"

// desiredRule is the full body to send to Okta: spec.rule without its
// status (applied with the lifecycle calls), with each
// conditions.device.assurance.include item replaced by its Okta ID. The
// spec mirrors Okta's JSON, so a JSON conversion carries every field
// without a hand-written mapping that could forget one. ids maps a
// DeviceAssurancePolicy name to its Okta ID.
func desiredRule(spec *assurancev1alpha1.SignInRule, ids map[string]string) (okta.PolicyRule, error) {
	raw, err := json.Marshal(spec)
	if err != nil {
		return okta.PolicyRule{}, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return okta.PolicyRule{}, err
	}
	delete(m, "status")
	m["type"] = okta.PolicyTypeAccess
	if err := resolveAssuranceIDs(m, ids); err != nil {
		return okta.PolicyRule{}, err
	}
	raw, err = json.Marshal(m)
	if err != nil {
		return okta.PolicyRule{}, err
	}
	var rule okta.PolicyRule
	if err := json.Unmarshal(raw, &rule); err != nil {
		return okta.PolicyRule{}, fmt.Errorf("convert spec.rule to an Okta body: %w", err)
	}
	return rule, nil
}

// resolveAssuranceIDs turns the include items {name} / {id} into ID strings.
func resolveAssuranceIDs(rule map[string]any, ids map[string]string) error {
	conditions, _ := rule["conditions"].(map[string]any)
	device, _ := conditions["device"].(map[string]any)
	assurance, _ := device["assurance"].(map[string]any)
	items, _ := assurance["include"].([]any)
	out := make([]any, 0, len(items))
	for _, item := range items {
		ref, _ := item.(map[string]any)
		if id, ok := ref["id"].(string); ok && id != "" {
			out = append(out, id)
			continue
		}
		name, _ := ref["name"].(string)
		id, ok := ids[name]
		if !ok {
			return fmt.Errorf("DeviceAssurancePolicy %q has no Okta ID", name)
		}
		out = append(out, id)
	}
	if assurance != nil {
		assurance["include"] = out
	}
	return nil
}

// catchAllBody is the PUT body for the Catch-all Rule: only its actions are
// managed; name and priority are Okta's, conditions stay null and system is
// sent as true, as the recorded clients do (tfprov-099).
func catchAllBody(desired okta.PolicyRule, observed *okta.PolicyRuleResponse) okta.PolicyRule {
	system := true
	return okta.PolicyRule{
		Name: observed.Name, Type: okta.PolicyTypeAccess, Priority: observed.Priority, System: &system,
		Conditions: nil, Actions: desired.Actions,
	}
}

func isSystem(rule *okta.PolicyRuleResponse) bool {
	return rule.System != nil && *rule.System
}

// wantsActive is the lifecycle state the spec asks for.
func wantsActive(obj *assurancev1alpha1.SignInRuleBinding) bool {
	return obj.Spec.Rule.Status != assurancev1alpha1.RuleStatusInactive
}
