package signinrule

import (
	"context"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// HasOktaObject is true when the binding holds a rule in Okta, or may hold
// one from a create whose result was never recorded.
func (e *external) HasOktaObject(obj *assurancev1alpha1.SignInRuleBinding) bool { return hasRule(obj) }

func hasRule(obj *assurancev1alpha1.SignInRuleBinding) bool {
	return obj.Status.PolicyID != "" && (obj.Status.RuleID != "" || obj.Status.PendingCreate != nil)
}

// Delete deletes the binding's rule, unless it is the Catch-all Rule.
func (e *external) Delete(ctx context.Context, p *pass) (outcome.Outcome, bool) {
	return e.releaseRule(ctx, p)
}

// releaseRule applies the deletion policy to the binding's rule: Delete
// deletes it (a rule already gone is done), Orphan leaves it, and the
// Catch-all Rule is never deleted. done is false while it must be retried.
func (e *external) releaseRule(ctx context.Context, p *pass) (outcome.Outcome, bool) {
	obj := p.Obj
	api := p.API
	if managed.EffectiveDeletionPolicy(obj) == assurancev1alpha1.DeletionPolicyOrphan {
		return outcome.Outcome{}, true
	}
	policyID, id := obj.Status.PolicyID, obj.Status.RuleID
	if id == "" {
		matches, err := namedRules(ctx, api, policyID, obj.Status.PendingCreate.Name)
		if err != nil && !okta.IsNotFound(err) {
			return p.Failed("list the policy's rules", err), false
		}
		if len(matches) != 1 {
			return outcome.Outcome{}, true
		}
		id = matches[0].ID
		if out, stop := p.LeaveIfManagedElsewhere(ctx, id); stop {
			return out, out.Err == nil
		}
	}
	unlock := e.locks.lock(policyKey(obj, policyID))
	defer unlock()
	rule, err := api.GetPolicyRule(ctx, policyID, id)
	switch {
	case okta.IsNotFound(err):
		return outcome.Outcome{}, true
	case err != nil:
		return p.Failed("read the rule", err), false
	case isSystem(rule):
		p.Event("Released", "Delete", "Released the Catch-all Rule %s, which is never deleted", id)
		return outcome.Outcome{}, true
	}
	err = api.DeletePolicyRule(ctx, policyID, id)
	if err != nil && !okta.IsNotFound(err) {
		p.Warn("DeleteFailed", "Delete", err)
		return p.Failed("delete the rule", err), false
	}
	p.Event("Deleted", "Delete", "Deleted Okta rule %s of policy %s", id, policyID)
	return outcome.Outcome{}, true
}
