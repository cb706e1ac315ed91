package posturecheck

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

// policyRecheck backs up the DeviceAssurancePolicy watch while a check
// waits for the policies that use it.
const policyRecheck = 30 * time.Second

// finalize deletes the Okta check (or leaves it, for Orphan) and then
// releases the object.
func (r *Reconciler) finalize(ctx context.Context, obj *assurancev1alpha1.DevicePostureCheck, api okta.PostureCheckAPI, orgErr error) outcome.Outcome {
	if !controllerutil.ContainsFinalizer(obj, Finalizer) {
		return outcome.Outcome{}
	}
	if effectiveDeletionPolicy(obj) == assurancev1alpha1.DeletionPolicyDelete && hasCheck(obj) {
		if orgErr != nil {
			return outcome.Waiting(outcome.ReasonOrgNotReady, "cannot delete the Okta posture check until the org is ready: "+orgErr.Error(), outcome.OrgRecheck)
		}
		users, err := r.policiesUsing(ctx, obj)
		if err != nil {
			return outcome.Transient(outcome.ReasonProgressing, err)
		}
		if len(users) > 0 {
			return outcome.Waiting(outcome.ReasonInUse, "waiting for DeviceAssurancePolicy "+strings.Join(users, ", ")+
				" to stop using this check before deleting it from Okta", policyRecheck)
		}
		if out, done := r.deleteCheck(ctx, obj, api); !done {
			return out
		}
	}
	if err := lifecycle.RemoveFinalizer(ctx, r.Client, obj, Finalizer); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err)
	}
	return outcome.Outcome{}
}

// hasCheck is true when the object owns a check in Okta, or may own one
// from a create whose result was never recorded.
func hasCheck(obj *assurancev1alpha1.DevicePostureCheck) bool {
	return obj.Status.ID != "" || obj.Status.PendingCreate != nil
}

// deleteCheck deletes the object's check; done is false while it must be
// retried.
func (r *Reconciler) deleteCheck(ctx context.Context, obj *assurancev1alpha1.DevicePostureCheck, api okta.PostureCheckAPI) (outcome.Outcome, bool) {
	id := obj.Status.ID
	if id == "" {
		// A create may have reached Okta without its ID being recorded: the
		// check it made is the one with this variableName.
		found, err := checkWithVariableName(ctx, api, obj.Spec.VariableName)
		if err != nil {
			return outcome.Failed("list the org's posture checks", err, r.now()), false
		}
		if found == nil {
			return outcome.Outcome{}, true
		}
		id = found.ID
	}
	err := api.DeletePostureCheck(ctx, id)
	switch {
	case err == nil, okta.IsNotFound(err):
		r.Recorder.Eventf(obj, nil, "Normal", "Deleted", "Delete", "Deleted Okta posture check %s", id)
		return outcome.Outcome{}, true
	case okta.IsConflict(err):
		// Okta refuses to delete a check that a device assurance policy
		// includes, here one not managed in this namespace. Retry with
		// backoff until the policy drops it.
		lifecycle.Warn(r.Recorder, obj, "DeleteBlocked", "Delete", err)
		return outcome.Outcome{Reason: outcome.ReasonInUse, Err: err,
			Message: fmt.Sprintf("Okta posture check %s is included by a device assurance policy; remove it from the policy (or delete the policy) first: %v", id, err)}, false
	default:
		lifecycle.Warn(r.Recorder, obj, "DeleteFailed", "Delete", err)
		return outcome.Failed("delete the posture check", err, r.now()), false
	}
}
