package deviceassurance

import (
	"context"
	"fmt"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// HasOktaObject is true when the object owns a policy in Okta, or may own
// one from a create whose result was never recorded.
func (e *external) HasOktaObject(obj *assurancev1alpha1.DeviceAssurancePolicy) bool {
	return obj.Status.ID != "" || obj.Status.PendingCreate != nil
}

// Delete deletes the object's policy; done is false while it must be
// retried.
func (e *external) Delete(ctx context.Context, p *pass) (outcome.Outcome, bool) {
	id := p.Obj.Status.ID
	if id == "" {
		found, out, ok := findPendingCreate(ctx, p)
		if !ok {
			return out, false
		}
		if found == "" {
			return outcome.Outcome{}, true
		}
		id = found
		if out, stop := p.LeaveIfManagedElsewhere(ctx, id); stop {
			return out, out.Err == nil
		}
	}
	err := p.API.DeleteDeviceAssurance(ctx, id)
	switch {
	case err == nil, okta.IsNotFound(err):
		p.Event("Deleted", "Delete", "Deleted Okta policy %s", id)
		return outcome.Outcome{}, true
	case okta.IsConflict(err):
		// Okta refuses to delete a policy that an app sign-in rule uses; the
		// rule must drop it first. Retry with backoff until it does.
		p.Warn("DeleteBlocked", "Delete", err)
		return outcome.Outcome{Reason: outcome.ReasonInUse, Err: err,
			Message: fmt.Sprintf("Okta policy %s is used by an app sign-in policy rule; remove it from the rule (or delete the rule) first: %v", id, err)}, false
	default:
		p.Warn("DeleteFailed", "Delete", err)
		return p.Failed("delete the policy", err), false
	}
}

// findPendingCreate looks for the policy an unrecorded create may have
// made: the one with the name it was sent with, on the object's platform.
func findPendingCreate(ctx context.Context, p *pass) (string, outcome.Outcome, bool) {
	matches, err := namedPolicies(ctx, p.API, p.Obj.Status.PendingCreate.Name, okta.Platform(p.Obj.Spec.Platform))
	if err != nil {
		return "", p.Failed("list the org's policies", err), false
	}
	if len(matches) != 1 {
		return "", outcome.Outcome{}, true
	}
	return matches[0].ID, outcome.Outcome{}, true
}
