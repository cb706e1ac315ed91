package oktasim

import (
	"slices"
	"strings"
)

// normalizeRuleConditions applies what the org does to the conditions of
// a non-system rule on create and replace (docs/okta-api-behaviour.md, R18 and
// R19): nulls and empty objects are dropped, then the defaults are added.
func normalizeRuleConditions(in map[string]any, variant OrgVariant) map[string]any {
	c := copyMap(in)
	if c == nil || dropEmpty(c) == nil {
		c = map[string]any{}
	}
	if _, ok := c["people"]; !ok {
		c["people"] = map[string]any{"users": map[string]any{"exclude": []any{}}}
	}
	userType := ensureObject(c, "userType")
	for _, k := range []string{"include", "exclude"} {
		if _, ok := userType[k]; !ok {
			userType[k] = []any{}
		}
	}
	if _, ok := c["riskScore"]; !ok && !variant.OmitRiskScoreDefault {
		c["riskScore"] = map[string]any{"level": "ANY"}
	}
	if platform, ok := objectAt(c, "platform"); ok {
		if _, has := platform["exclude"]; !has {
			platform["exclude"] = []any{}
		}
	}
	return c
}

// normalizeRuleActions applies the action defaults and the silent pruning
// of docs/okta-api-behaviour.md, R18 and R20.
func normalizeRuleActions(in map[string]any) map[string]any {
	a := copyMap(in)
	if a == nil || dropEmpty(a) == nil {
		a = map[string]any{}
	}
	appSignOn := ensureObject(a, "appSignOn")
	if _, ok := appSignOn["keepMeSignedIn"]; !ok {
		appSignOn["keepMeSignedIn"] = map[string]any{"postAuth": "NOT_ALLOWED"}
	}
	if vm, ok := objectAt(appSignOn, "verificationMethod"); ok {
		normalizeVerificationMethod(vm)
	}
	return a
}

// verificationMethodKeys are the keys each verification method type
// keeps; the org drops the others without an error
// (docs/okta-api-behaviour.md, R20): factorMode and inactivityPeriod under
// AUTH_METHOD_CHAIN (tfprov-087), chains under ASSURANCE (tfprov-248).
var verificationMethodKeys = map[any][]string{
	"ASSURANCE":         {"type", "factorMode", "reauthenticateIn", "inactivityPeriod", "constraints"},
	"AUTH_METHOD_CHAIN": {"type", "chains", "reauthenticateIn"},
}

// normalizeVerificationMethod prunes vm to the keys of its type, then:
//   - ASSURANCE gets reauthenticateIn PT12H when absent (tfprov-364), and
//     its constraints keep only knowledge/possession, so a chain-shaped
//     constraint becomes {} (tfprov-258);
//   - constraint types and methods come back lower case
//     (docs/okta-api-behaviour.md §3.5).
func normalizeVerificationMethod(vm map[string]any) {
	if keep, known := verificationMethodKeys[vm["type"]]; known {
		for k := range vm {
			if !slices.Contains(keep, k) {
				delete(vm, k)
			}
		}
	}
	if vm["type"] != "ASSURANCE" {
		return
	}
	if _, ok := vm["reauthenticateIn"]; !ok {
		vm["reauthenticateIn"] = "PT12H"
	}
	constraints, _ := vm["constraints"].([]any)
	for i, item := range constraints {
		constraints[i] = pruneConstraint(item)
	}
}

var constraintKinds = []string{"knowledge", "possession"}

func pruneConstraint(item any) any {
	m, ok := item.(map[string]any)
	if !ok {
		return map[string]any{}
	}
	out := map[string]any{}
	for _, kind := range constraintKinds {
		if c, ok := objectAt(m, kind); ok {
			lowerList(c, "types")
			lowerList(c, "methods")
			out[kind] = c
		}
	}
	return out
}

func lowerList(m map[string]any, key string) {
	values, ok := stringList(m[key])
	if !ok {
		return
	}
	for i, v := range values {
		values[i] = strings.ToLower(v)
	}
	m[key] = toAnyList(values)
}

// validateRule checks a rule body; assuranceExists tells whether a device
// assurance id exists. The catch-all rule keeps priority 99, so its
// priority is not checked.
func validateRule(body map[string]any, system bool, assuranceExists func(string) bool) *apiError {
	var v validation
	if name, _ := stringAt(body, "name"); name == "" {
		v.add("name", "name: The field cannot be left blank.")
	}
	if t, ok := body["type"]; ok && t != typeAccessPolicy {
		v.add("type", "type: The rule type must be ACCESS_POLICY for an app sign-in policy.")
	}
	if p, ok := body["priority"]; ok && p != nil && !system {
		if n, isInt := intValue(p); !isInt || n < 0 || n >= catchAllPriority {
			v.add("priority", "priority: The priority must be an integer from 0 to 98.")
		}
	}
	conditions, _ := objectAt(body, "conditions")
	validateDeviceCondition(&v, conditions, assuranceExists)
	actions, _ := objectAt(body, "actions")
	appSignOn, _ := objectAt(actions, "appSignOn")
	if access, ok := appSignOn["access"]; ok && access != "ALLOW" && access != "DENY" {
		v.add("actions", "actions.appSignOn.access: The field must be ALLOW or DENY.")
	}
	if vm, ok := objectAt(appSignOn, "verificationMethod"); ok {
		if t := vm["type"]; !slices.Contains([]any{"ASSURANCE", "AUTH_METHOD_CHAIN", "ID_PROOFING"}, t) {
			v.add("actions", "actions.appSignOn.verificationMethod.type: The field must be ASSURANCE, AUTH_METHOD_CHAIN or ID_PROOFING.")
		}
	}
	return v.err()
}

// validateDeviceCondition: "When the managed property is passed, you must
// also include the registered property and set it to true"
// (docs/okta-api-behaviour.md §3.3, §10 item 5), and every assurance id must
// exist.
func validateDeviceCondition(v *validation, conditions map[string]any, assuranceExists func(string) bool) {
	device, ok := objectAt(conditions, "device")
	if !ok {
		return
	}
	if _, hasManaged := device["managed"]; hasManaged && device["registered"] != true {
		v.add("conditions.device", "conditions.device.registered: When managed is passed, registered must be included and set to true.")
	}
	for _, id := range ruleAssuranceIDs(conditions) {
		if !assuranceExists(id) {
			v.add("conditions.device", "conditions.device.assurance.include: Device assurance policy %s does not exist.", id)
		}
	}
}
