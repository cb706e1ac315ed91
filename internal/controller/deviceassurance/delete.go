package deviceassurance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// bindingRecheck backs up the binding watch while a policy waits for the
// bindings that use it.
const bindingRecheck = 30 * time.Second

// finalize deletes the Okta policy (or leaves it, for Orphan) and then
// releases the object.
func (r *Reconciler) finalize(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy, api okta.DeviceAssuranceAPI, orgErr error) outcome.Outcome {
	if !controllerutil.ContainsFinalizer(obj, Finalizer) {
		return outcome.Outcome{}
	}
	if effectiveDeletionPolicy(obj) == assurancev1alpha1.DeletionPolicyDelete && hasPolicy(obj) {
		if orgErr != nil {
			return outcome.Waiting(outcome.ReasonOrgNotReady, "cannot delete the Okta policy until the org is ready: "+orgErr.Error(), outcome.OrgRecheck)
		}
		users, err := r.bindingsUsing(ctx, obj)
		if err != nil {
			return outcome.Transient(outcome.ReasonProgressing, err)
		}
		if len(users) > 0 {
			return outcome.Waiting(outcome.ReasonInUse, "waiting for SignInRuleBinding "+strings.Join(users, ", ")+
				" to stop using this policy before deleting it from Okta", bindingRecheck)
		}
		if out, done := r.deletePolicy(ctx, obj, api); !done {
			return out
		}
	}
	if err := lifecycle.RemoveFinalizer(ctx, r.Client, obj, Finalizer); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err)
	}
	return outcome.Outcome{}
}

// hasPolicy is true when the object owns a policy in Okta, or may own one
// from a create whose result was never recorded.
func hasPolicy(obj *assurancev1alpha1.DeviceAssurancePolicy) bool {
	return obj.Status.ID != "" || obj.Status.PendingCreate != nil
}

// deletePolicy deletes the object's policy; done is false while it must be
// retried.
func (r *Reconciler) deletePolicy(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy, api okta.DeviceAssuranceAPI) (outcome.Outcome, bool) {
	id := obj.Status.ID
	if id == "" {
		found, out, ok := r.findPendingCreate(ctx, obj, api)
		if !ok {
			return out, false
		}
		if found == "" {
			return outcome.Outcome{}, true
		}
		id = found
	}
	err := api.DeleteDeviceAssurance(ctx, id)
	switch {
	case err == nil, okta.IsNotFound(err):
		r.Recorder.Eventf(obj, nil, "Normal", "Deleted", "Delete", "Deleted Okta policy %s", id)
		return outcome.Outcome{}, true
	case okta.IsConflict(err):
		// Okta refuses to delete a policy that an app sign-in rule uses; the
		// rule must drop it first. Retry with backoff until it does.
		lifecycle.Warn(r.Recorder, obj, "DeleteBlocked", "Delete", err)
		return outcome.Outcome{Reason: outcome.ReasonInUse, Err: err,
			Message: fmt.Sprintf("Okta policy %s is used by an app sign-in policy rule; remove it from the rule (or delete the rule) first: %v", id, err)}, false
	default:
		lifecycle.Warn(r.Recorder, obj, "DeleteFailed", "Delete", err)
		return outcome.Failed("delete the policy", err, r.now()), false
	}
}

// findPendingCreate looks for the policy an unrecorded create may have made.
func (r *Reconciler) findPendingCreate(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy, api okta.DeviceAssuranceAPI) (string, outcome.Outcome, bool) {
	// Only the name and platform matter here, not the posture checks.
	desired, err := desiredPolicy(obj, nil)
	if err != nil {
		return "", outcome.Stall(outcome.ReasonInvalidSpec, err.Error()), false
	}
	desired.Name = obj.Status.PendingCreate.Name
	matches, err := namedPolicies(ctx, api, desired)
	if err != nil {
		return "", outcome.Failed("list the org's policies", err, r.now()), false
	}
	if len(matches) != 1 {
		return "", outcome.Outcome{}, true
	}
	return matches[0].ID, outcome.Outcome{}, true
}
