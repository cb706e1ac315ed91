package signinrule

import (
	"context"
	"fmt"
	"strings"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// resolvePolicy finds the app sign-in policy of the binding, by ID or by
// exact name, and records its ID; ok is false when the pass must stop.
func (e *external) resolvePolicy(ctx context.Context, p *pass) (string, outcome.Outcome, bool) {
	obj := p.Obj
	api := p.API
	ref := obj.Spec.Policy
	if ref.ID != "" {
		policy, err := api.GetPolicy(ctx, ref.ID)
		if okta.IsNotFound(err) {
			return "", outcome.Waiting(ReasonPolicyNotFound, "the org has no policy "+ref.ID, policyRecheck), false
		}
		if err != nil {
			return "", p.Failed("read the policy", err), false
		}
		if policy.Type != okta.PolicyTypeAccess {
			return "", outcome.Stall(ReasonNotAnAppSignInPolicy, fmt.Sprintf("spec.policy.id: policy %s is a %s policy, not an app sign-in policy (ACCESS_POLICY)",
				ref.ID, policy.Type)), false
		}
		return policy.ID, outcome.Outcome{}, true
	}
	// q matches name prefixes, case-insensitively: keep the exact matches.
	listed, err := api.ListPolicies(ctx, okta.PolicyListOptions{Type: okta.PolicyTypeAccess, Q: ref.Name})
	if err != nil {
		return "", p.Failed("list the app sign-in policies", err), false
	}
	var ids []string
	for _, p := range listed {
		if p.Name == ref.Name && p.Type == okta.PolicyTypeAccess {
			ids = append(ids, p.ID)
		}
	}
	switch len(ids) {
	case 0:
		return "", outcome.Waiting(ReasonPolicyNotFound, fmt.Sprintf("the org has no app sign-in policy named %q", ref.Name), policyRecheck), false
	case 1:
		return ids[0], outcome.Outcome{}, true
	default:
		return "", outcome.Stall(ReasonAmbiguousPolicy, fmt.Sprintf("%d app sign-in policies are named %q (%s); rename all but one, or set spec.policy.id",
			len(ids), ref.Name, strings.Join(ids, ", "))), false
	}
}

// movePolicy records the policy; when the spec now names another policy
// than the one that holds the rule, it first releases the old rule as a
// deletion of the binding would, then lets the pass create or adopt the
// rule in the new policy.
func (e *external) movePolicy(ctx context.Context, p *pass, policyID string) (outcome.Outcome, bool) {
	obj := p.Obj
	old := obj.Status.PolicyID
	if old != "" && old != policyID && hasRule(obj) {
		if out, done := e.releaseRule(ctx, p); !done {
			return out, false
		}
		p.Event("Moved", "Move", "Released the rule of Okta policy %s; the rule now belongs to policy %s", old, policyID)
		forget(obj)
		obj.Status.PendingCreate = nil
	}
	obj.Status.PolicyID = policyID
	return outcome.Outcome{}, true
}
