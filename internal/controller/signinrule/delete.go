package signinrule

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// finalize deletes the Okta rule (or leaves it, for Orphan and for the
// Catch-all Rule) and then releases the object.
func (r *Reconciler) finalize(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding, api okta.PolicyAPI, orgErr error) outcome.Outcome {
	if !controllerutil.ContainsFinalizer(obj, Finalizer) {
		return outcome.Outcome{}
	}
	if effectiveDeletionPolicy(obj) == assurancev1alpha1.DeletionPolicyDelete && hasRule(obj) {
		if orgErr != nil {
			return outcome.Waiting(outcome.ReasonOrgNotReady, "cannot delete the Okta rule until the org is ready: "+orgErr.Error(), outcome.OrgRecheck)
		}
		if out, done := r.releaseRule(ctx, obj, api); !done {
			return out
		}
	}
	if err := lifecycle.RemoveFinalizer(ctx, r.Client, obj, Finalizer); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err)
	}
	return outcome.Outcome{}
}

// hasRule is true when the binding holds a rule in Okta, or may hold one
// from a create whose result was never recorded.
func hasRule(obj *assurancev1alpha1.SignInRuleBinding) bool {
	return obj.Status.PolicyID != "" && (obj.Status.RuleID != "" || obj.Status.PendingCreate != nil)
}

// releaseRule applies the deletion policy to the binding's rule: Delete
// deletes it (a rule already gone is done), Orphan leaves it, and the
// Catch-all Rule is never deleted. done is false while it must be retried.
func (r *Reconciler) releaseRule(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding, api okta.PolicyAPI) (outcome.Outcome, bool) {
	if effectiveDeletionPolicy(obj) == assurancev1alpha1.DeletionPolicyOrphan {
		return outcome.Outcome{}, true
	}
	policyID, id := obj.Status.PolicyID, obj.Status.RuleID
	if id == "" {
		matches, err := namedRules(ctx, api, policyID, obj.Status.PendingCreate.Name)
		if err != nil && !okta.IsNotFound(err) {
			return outcome.Failed("list the policy's rules", err, r.now()), false
		}
		if len(matches) != 1 {
			return outcome.Outcome{}, true
		}
		id = matches[0].ID
	}
	unlock := r.locks.lock(policyKey(obj, policyID))
	defer unlock()
	rule, err := api.GetPolicyRule(ctx, policyID, id)
	switch {
	case okta.IsNotFound(err):
		return outcome.Outcome{}, true
	case err != nil:
		return outcome.Failed("read the rule", err, r.now()), false
	case isSystem(rule):
		r.Recorder.Eventf(obj, nil, "Normal", "Released", "Delete", "Released the Catch-all Rule %s, which is never deleted", id)
		return outcome.Outcome{}, true
	}
	err = api.DeletePolicyRule(ctx, policyID, id)
	if err != nil && !okta.IsNotFound(err) {
		lifecycle.Warn(r.Recorder, obj, "DeleteFailed", "Delete", err)
		return outcome.Failed("delete the rule", err, r.now()), false
	}
	r.Recorder.Eventf(obj, nil, "Normal", "Deleted", "Delete", "Deleted Okta rule %s of policy %s", id, policyID)
	return outcome.Outcome{}, true
}
