package oktasim

import (
	"net/http"
	"slices"
	"sort"
)

const (
	ruleEntity      = "RuleEntity" // 404 suffix for an unknown rule (tfprov-086)
	maxRulesPerPoly = 100          // "max 100 rules per policy" (docs/okta-api-behaviour.md §3.1)
)

var ruleKeyOrder = keyOrder{
	"":                                                   {"id", "status", "name", "priority", "created", "lastUpdated", "system", "conditions", "actions", "_links", "type"},
	"conditions":                                         {"people", "network", "device", "platform", "riskScore", "elCondition", "userType"},
	"conditions.people":                                  {"users", "groups"},
	"conditions.people.users":                            {"include", "exclude"},
	"conditions.people.groups":                           {"include", "exclude"},
	"conditions.network":                                 {"connection", "include", "exclude"},
	"conditions.device":                                  {"registered", "managed", "assurance"},
	"conditions.platform":                                {"include", "exclude"},
	"conditions.platform.include[]":                      {"type", "os"},
	"conditions.platform.include[].os":                   {"type", "expression", "version"},
	"conditions.platform.exclude[]":                      {"type", "os"},
	"conditions.platform.exclude[].os":                   {"type", "expression", "version"},
	"conditions.userType":                                {"include", "exclude"},
	"actions.appSignOn":                                  {"access", "verificationMethod", "keepMeSignedIn"},
	"actions.appSignOn.keepMeSignedIn":                   {"postAuth", "postAuthPromptFrequency"},
	"actions.appSignOn.verificationMethod":               {"factorMode", "type", "chains", "reauthenticateIn", "inactivityPeriod", "constraints"},
	"actions.appSignOn.verificationMethod.constraints[]": {"knowledge", "possession"},
	"actions.appSignOn.verificationMethod.constraints[].knowledge":                 {"required", "types", "methods", "reauthenticateIn"},
	"actions.appSignOn.verificationMethod.constraints[].possession":                {"required", "hardwareProtection", "deviceBound", "phishingResistant", "userPresence", "userVerification"},
	"actions.appSignOn.verificationMethod.chains[]":                                {"authenticationMethods", "next", "reauthenticateIn"},
	"actions.appSignOn.verificationMethod.chains[].authenticationMethods[]":        {"key", "userVerification", "method"},
	"actions.appSignOn.verificationMethod.chains[].next[]":                         {"authenticationMethods", "next", "reauthenticateIn"},
	"actions.appSignOn.verificationMethod.chains[].next[].authenticationMethods[]": {"key", "userVerification", "method"},
	"_links":            {"activate", "self", "deactivate"},
	"_links.self":       {"href", "hints"},
	"_links.activate":   {"href", "hints"},
	"_links.deactivate": {"href", "hints"},
}

// renderRule builds a rule response. _links depend on state: ACTIVE has
// deactivate, INACTIVE has activate, the system rule only self with GET
// and PUT; type comes after _links (docs/okta-api-behaviour.md, R23,
// tfprov-246).
func renderRule(pol *accessPolicy, rule *policyRule, base string) any {
	href := base + "/api/v1/policies/" + pol.id + "/rules/" + rule.id
	links := map[string]any{}
	switch {
	case rule.system:
		links["self"] = link(href, "GET", "PUT")
	case rule.status == statusActive:
		links["self"] = link(href, "GET", "PUT", "DELETE")
		links["deactivate"] = link(href+"/lifecycle/deactivate", "POST")
	default:
		links["self"] = link(href, "GET", "PUT", "DELETE")
		links["activate"] = link(href+"/lifecycle/activate", "POST")
	}
	var conditions any
	if rule.conditions != nil {
		conditions = copyMap(rule.conditions)
	}
	out := map[string]any{
		"id": rule.id, "status": rule.status, "name": rule.name, "priority": rule.priority,
		"created": formatOktaTime(rule.created), "lastUpdated": formatOktaTime(rule.updated),
		"system": rule.system, "conditions": conditions, "actions": copyMap(rule.actions),
		"_links": links, "type": typeAccessPolicy,
	}
	return ordered(out, ruleKeyOrder)
}

// sortedRules returns the rules by priority; the list endpoint returns them
// in that order, catch-all last (tfprov-089, tfprov-101).
func sortedRules(pol *accessPolicy) []*policyRule {
	rules := slices.Clone(pol.rules)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].priority < rules[j].priority })
	return rules
}

// lookupRule resolves the policy and rule of a request; callers hold o.mu.
func (o *Org) lookupRule(r *http.Request) (*accessPolicy, *policyRule, *apiError) {
	pol := o.findPolicy(r.PathValue("policyId"))
	if pol == nil {
		return nil, nil, notFoundError(r.PathValue("policyId"), policyEntity)
	}
	rule := pol.findRule(r.PathValue("ruleId"))
	if rule == nil {
		return nil, nil, notFoundError(r.PathValue("ruleId"), ruleEntity)
	}
	return pol, rule, nil
}

// listRules answers a bare array without a Link header
// (docs/okta-api-behaviour.md, R27).
func (o *Org) listRules(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	pol := o.findPolicy(r.PathValue("policyId"))
	if pol == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	out := make([]any, 0, len(pol.rules))
	for _, rule := range sortedRules(pol) {
		out = append(out, renderRule(pol, rule, baseURL(r)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (o *Org) getRule(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	pol, rule, e := o.lookupRule(r)
	if e != nil {
		return e
	}
	writeJSON(w, http.StatusOK, renderRule(pol, rule, baseURL(r)))
	return nil
}

// checkRuleBody validates a decoded rule body; callers hold o.mu.
func (o *Org) checkRuleBody(body map[string]any, system bool) (map[string]any, *apiError) {
	exists := func(id string) bool { return o.findDeviceAssurance(id) != nil }
	if e := validateRule(body, system, exists); e != nil {
		return nil, e
	}
	return body, nil
}

// createRule answers 200 with the new rule; ?activate=false creates it
// INACTIVE (docs/okta-api-behaviour.md §3.2).
func (o *Org) createRule(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	raw, err := decodeObject(r.Body)
	o.mu.Lock()
	defer o.mu.Unlock()
	pol := o.findPolicy(r.PathValue("policyId"))
	if pol == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	if err != nil {
		return malformedBodyError()
	}
	body, e := o.checkRuleBody(raw, false)
	if e != nil {
		return e
	}
	if len(pol.rules) >= maxRulesPerPoly {
		return validationError("rules", "A policy can have at most 100 rules.")
	}
	now := o.clock()
	rule := &policyRule{id: newID(prefixRule), status: statusActive, created: now, updated: now}
	if r.URL.Query().Get("activate") == "false" {
		rule.status = statusInactive
	}
	applyRuleBody(rule, body, o.variant)
	pol.rules = append(pol.rules, rule)
	placeRule(pol, rule, requestedPriority(body, pol))
	o.recordEvent(r, p, "policy.rule.add", "Add policy rule", ruleTargets(pol, rule))
	writeJSON(w, http.StatusOK, renderRule(pol, rule, baseURL(r)))
	return nil
}

// applyRuleBody stores the replaceable parts of a non-system rule.
func applyRuleBody(rule *policyRule, body map[string]any, variant OrgVariant) {
	rule.name, _ = stringAt(body, "name")
	conditions, _ := objectAt(body, "conditions")
	rule.conditions = normalizeRuleConditions(conditions, variant)
	actions, _ := objectAt(body, "actions")
	rule.actions = normalizeRuleActions(actions)
}

// replaceRule is a full replace (docs/okta-api-behaviour.md, R21). The
// Catch-all Rule keeps its name, priority 99 and null conditions; only its
// actions change (tfprov-099, tfprov-102).
func (o *Org) replaceRule(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	raw, err := decodeObject(r.Body)
	o.mu.Lock()
	defer o.mu.Unlock()
	pol, rule, e := o.lookupRule(r)
	if e != nil {
		return e
	}
	if err != nil {
		return malformedBodyError()
	}
	body, e := o.checkRuleBody(raw, rule.system)
	if e != nil {
		return e
	}
	if rule.system {
		actions, _ := objectAt(body, "actions")
		rule.actions = normalizeRuleActions(actions)
	} else {
		applyRuleBody(rule, body, o.variant)
		placeRule(pol, rule, requestedPriority(body, pol))
	}
	rule.updated = o.clock()
	o.recordEvent(r, p, "policy.rule.update", "Update policy rule", ruleTargets(pol, rule))
	writeJSON(w, http.StatusOK, renderRule(pol, rule, baseURL(r)))
	return nil
}

// deleteRule answers 204. The Catch-all Rule cannot be deleted
// (docs/okta-api-behaviour.md §3.1) and its self link does not allow DELETE
// (docs/okta-api-behaviour.md, R23), so it gets 405.
func (o *Org) deleteRule(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	pol, rule, e := o.lookupRule(r)
	if e != nil {
		return e
	}
	if rule.system {
		return methodNotAllowedError()
	}
	pol.rules = slices.DeleteFunc(pol.rules, func(x *policyRule) bool { return x == rule })
	o.recordEvent(r, p, "policy.rule.delete", "Delete policy rule", ruleTargets(pol, rule))
	writeNoContent(w)
	return nil
}

func (o *Org) activateRule(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	return o.setRuleStatus(w, r, p, statusActive, "policy.rule.activate", "Activate policy rule")
}

// deactivateRule answers 204; a later GET shows INACTIVE
// (docs/okta-api-behaviour.md, R26).
func (o *Org) deactivateRule(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	return o.setRuleStatus(w, r, p, statusInactive, "policy.rule.deactivate", "Deactivate policy rule")
}

// setRuleStatus runs a lifecycle call; the system rule has no lifecycle
// links (docs/okta-api-behaviour.md, R23) and gets 405.
func (o *Org) setRuleStatus(w http.ResponseWriter, r *http.Request, p *principal, status, eventType, message string) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	pol, rule, e := o.lookupRule(r)
	if e != nil {
		return e
	}
	if rule.system {
		return methodNotAllowedError()
	}
	if rule.status != status {
		rule.status, rule.updated = status, o.clock()
		o.recordEvent(r, p, eventType, message, ruleTargets(pol, rule))
	}
	writeNoContent(w)
	return nil
}
