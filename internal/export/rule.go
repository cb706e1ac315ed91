package export

import (
	"fmt"
	"sort"
	"strings"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Okta's values that mean "no restriction" or that it fills in for what a
// rule leaves out (docs/okta-api-behaviour.md, R18).
const (
	riskAny               = "ANY"
	networkAnywhere       = "ANYWHERE"
	kmsiNotAllowed        = "NOT_ALLOWED"
	defaultReauthenticate = "PT12H"
	requirementRequired   = "REQUIRED"
)

// RuleSpec is the rule of a SignInRuleBinding that keeps the Okta rule
// observed as it is: the inverse of the controller's desiredRule
// (internal/controller/signinrule/desired.go), with each device assurance
// policy ID of conditions.device.assurance.include named by its
// DeviceAssurancePolicy (policies maps Okta IDs to object names; an ID it
// lacks is an error), and without what Okta adds on its own
// (docs/okta-api-behaviour.md, R18 and R19) and the controller ignores
// (internal/controller/signinrule/compare.go): empty lists and objects,
// riskScore ANY, network ANYWHERE, keepMeSignedIn NOT_ALLOWED without a
// frequency, an ASSURANCE reauthenticateIn of PT12H, userPresence REQUIRED.
// Lists of strings, sets of IDs and enum values, are sorted.
//
// The Catch-all Rule (system) keeps only its name and actions: a binding
// manages nothing else of it. A rule that is not ACTIVE says so in status.
//
// Two shapes that other tools (Terraform) leave in an org are not valid
// specs as Okta holds them; notes says what became of them:
//   - conditions.elCondition {} (an expression-less condition) is left out:
//     Okta drops it when it stores a rule (R19) and the controller compares
//     it as absent, so leaving it out changes nothing;
//   - an empty constraint, constraints: [{}], which Okta keeps (R20,
//     tfprov-258) and the controller compares by position, is written as
//     it is: the API accepts an empty constraint for this reason.
func RuleSpec(observed *okta.PolicyRuleResponse, policies map[string]string) (rule assurancev1alpha1.SignInRule, notes []string, err error) {
	system := observed.System != nil && *observed.System
	body := okta.PolicyRule{Name: observed.Name, Actions: observed.Actions}
	if !system {
		body.Priority, body.Conditions = observed.Priority, observed.Conditions
	}
	m := toMap(body)
	if !system && observed.Status != "" && observed.Status != string(assurancev1alpha1.RuleStatusActive) {
		m["status"] = observed.Status
	}
	if err := nameAssurances(m, policies); err != nil {
		return rule, nil, err
	}
	notes = dropRuleDefaults(m)
	sortStringLists(m)
	prune(m)
	err = fromMap(m, &rule)
	return rule, notes, err
}

// nameAssurances replaces the device assurance policy IDs of a rule with
// {name} references, sorted by name.
func nameAssurances(m map[string]any, policies map[string]string) error {
	assurance := object(m, "conditions", "device", "assurance")
	if assurance == nil {
		return nil
	}
	ids, _ := assurance["include"].([]any)
	var names, missing []string
	for _, item := range ids {
		id, _ := item.(string)
		name, ok := policies[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		names = append(names, name)
	}
	if len(missing) > 0 {
		return fmt.Errorf("it requires device assurance policies that are not exported: %s", strings.Join(missing, ", "))
	}
	sort.Strings(names)
	refs := make([]any, 0, len(names))
	for _, name := range names {
		refs = append(refs, map[string]any{"name": name})
	}
	assurance["include"] = refs
	return nil
}

// dropRuleDefaults removes what Okta adds to a rule that leaves it out.
func dropRuleDefaults(m map[string]any) (notes []string) {
	if c := object(m, "conditions"); c != nil {
		if risk := object(c, "riskScore"); risk != nil && risk["level"] == riskAny {
			delete(c, "riskScore")
		}
		if network := object(c, "network"); network != nil && network["connection"] == networkAnywhere &&
			isEmpty(network["include"]) && isEmpty(network["exclude"]) {
			delete(c, "network")
		}
		if el, ok := c["elCondition"]; ok && el != nil && isEmpty(object(c, "elCondition")["condition"]) {
			delete(c, "elCondition")
			notes = append(notes, "conditions.elCondition is empty in Okta ({}, as Terraform writes it): left out, as Okta itself drops it")
		}
	}
	appSignOn := object(m, "actions", "appSignOn")
	if kmsi := object(appSignOn, "keepMeSignedIn"); kmsi != nil && kmsi["postAuth"] == kmsiNotAllowed && isEmpty(kmsi["postAuthPromptFrequency"]) {
		delete(appSignOn, "keepMeSignedIn")
	}
	vm := object(appSignOn, "verificationMethod")
	if vm == nil {
		return notes
	}
	if vm["type"] == okta.VerificationAssurance && vm["reauthenticateIn"] == defaultReauthenticate {
		delete(vm, "reauthenticateIn")
	}
	constraints, _ := vm["constraints"].([]any)
	for _, c := range constraints {
		// Alone, it is kept: the constraint would be left empty.
		if possession := object(asObject(c), "possession"); len(possession) > 1 && possession["userPresence"] == requirementRequired {
			delete(possession, "userPresence")
		}
	}
	return notes
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	default:
		return false
	}
}
