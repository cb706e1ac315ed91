package posturecheck

import (
	"context"
	"fmt"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// HasOktaObject is true when the object owns a check in Okta, or may own
// one from a create whose result was never recorded.
func (external) HasOktaObject(obj *assurancev1alpha1.DevicePostureCheck) bool {
	return obj.Status.ID != "" || obj.Status.PendingCreate != nil
}

// Delete deletes the object's check; done is false while it must be
// retried.
func (external) Delete(ctx context.Context, p *pass) (outcome.Outcome, bool) {
	id := p.Obj.Status.ID
	if id == "" {
		// A create may have reached Okta without its ID being recorded: the
		// check it made is the one with this variableName.
		found, err := checkWithVariableName(ctx, p.API, p.Obj.Spec.VariableName)
		if err != nil {
			return p.Failed("list the org's posture checks", err), false
		}
		if found == nil {
			return outcome.Outcome{}, true
		}
		id = found.ID
		if out, stop := p.LeaveIfManagedElsewhere(ctx, id); stop {
			return out, out.Err == nil
		}
	}
	err := p.API.DeletePostureCheck(ctx, id)
	switch {
	case err == nil, okta.IsNotFound(err):
		p.Event("Deleted", "Delete", "Deleted Okta posture check %s", id)
		return outcome.Outcome{}, true
	case okta.IsConflict(err):
		// Okta refuses to delete a check that a device assurance policy
		// includes, here one not managed in this namespace. Retry with
		// backoff until the policy drops it.
		p.Warn("DeleteBlocked", "Delete", err)
		return outcome.Outcome{Reason: outcome.ReasonInUse, Err: err,
			Message: fmt.Sprintf("Okta posture check %s is included by a device assurance policy; remove it from the policy (or delete the policy) first: %v", id, err)}, false
	default:
		p.Warn("DeleteFailed", "Delete", err)
		return p.Failed("delete the posture check", err), false
	}
}
