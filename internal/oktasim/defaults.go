package oktasim

const (
	statusActive   = "ACTIVE"
	statusInactive = "INACTIVE"

	catchAllName     = "Catch-all Rule" // not the spec's "Catch-all rule" (index, "spec and docs disagree")
	catchAllPriority = 99
)

// addDefaultPolicy gives a fresh org the app sign-in policies every real
// org starts with, each with its Catch-all Rule, in the order real orgs
// list them: the policies of Okta's own apps first, then the system policy
// "Any two factors" (pysdk-030, tfprov-383).
func (o *Org) addDefaultPolicy() {
	o.newAccessPolicy("Okta Admin Console", "", false, defaultCatchAllActions())
	o.newAccessPolicy("Okta Dashboard", "", false, defaultCatchAllActions())
	o.newAccessPolicy("Any two factors", "Require two factors to access.", true, defaultCatchAllActions())
}

// defaultCatchAllActions is the catch-all action of the recorded orgs:
// 2FA assurance with a device-bound possession factor, re-authentication
// every 12 hours (tfprov-089, docs/okta-api-behaviour.md, R24).
func defaultCatchAllActions() map[string]any {
	return map[string]any{"appSignOn": map[string]any{
		"access": "ALLOW",
		"verificationMethod": map[string]any{
			"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT12H",
			"constraints": []any{map[string]any{"possession": map[string]any{"required": true, "deviceBound": "REQUIRED"}}},
		},
		"keepMeSignedIn": map[string]any{"postAuth": "NOT_ALLOWED"},
	}}
}

// newAccessPolicy stores a policy with its Catch-all Rule: a new app
// sign-in policy always has that system rule at priority 99 with
// conditions null (docs/okta-api-behaviour.md §3.1, R24 and R25). Callers hold
// o.mu (or own o exclusively, during construction).
func (o *Org) newAccessPolicy(name, description string, system bool, catchAllActions map[string]any) *accessPolicy {
	now := o.clock()
	p := &accessPolicy{id: newID(prefixAccessPolicy), name: name, description: description, status: statusActive,
		system: system, priority: 1, created: now, updated: now}
	p.rules = []*policyRule{{id: newID(prefixRule), name: catchAllName, priority: catchAllPriority, status: statusActive,
		system: true, actions: catchAllActions, created: now, updated: now}}
	o.policies = append(o.policies, p)
	return p
}
