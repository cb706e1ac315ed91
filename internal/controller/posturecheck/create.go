package posturecheck

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// createOrRecover gives an object without an Okta ID its check: the one an
// interrupted create of its own made, or a new one. It never creates a
// second check: a create is recorded in the status before it is sent, and a
// pass that finds that record looks in the org first, by the variableName,
// which is unique in the org and cannot change.
func (r *Reconciler) createOrRecover(ctx context.Context, obj *assurancev1alpha1.DevicePostureCheck,
	api okta.PostureCheckAPI, desired okta.PostureCheck) outcome.Outcome {
	existing, err := checkWithVariableName(ctx, api, desired.VariableName)
	if err != nil {
		return outcome.Failed("list the org's posture checks", err, r.now())
	}
	switch {
	case existing != nil && obj.Status.PendingCreate != nil:
		// An earlier pass created it but could not record its ID.
		r.Recorder.Eventf(obj, nil, "Normal", "Recovered", "Create", "Recorded Okta posture check %s, created by an interrupted pass", existing.ID)
		obj.Status.PendingCreate = nil
		return r.update(ctx, obj, api, desired, existing)
	case existing != nil:
		return outcome.Waiting(ReasonVariableNameConflict, fmt.Sprintf("Okta posture check %s (%q) already has variableName %q and this object did not create it; "+
			"delete it in Okta, or choose another spec.variableName", existing.ID, existing.Name, desired.VariableName), conflictRecheck)
	}
	return r.create(ctx, obj, api, desired)
}

// create records the intent, sends the POST, and records the ID at once.
func (r *Reconciler) create(ctx context.Context, obj *assurancev1alpha1.DevicePostureCheck,
	api okta.PostureCheckAPI, desired okta.PostureCheck) outcome.Outcome {
	before := obj.DeepCopy()
	obj.Status.PendingCreate = &assurancev1alpha1.PendingCreate{Name: desired.Name, RequestedAt: metav1.NewTime(r.now())}
	if err := r.Status().Patch(ctx, obj, client.MergeFrom(before)); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, fmt.Errorf("record the create: %w", err))
	}
	created, err := api.CreatePostureCheck(ctx, desired)
	if err != nil {
		if okta.Class(err) == okta.ClassInvalid || okta.Class(err) == okta.ClassRateLimited {
			// Okta refused it: nothing was created.
			obj.Status.PendingCreate = nil
		}
		lifecycle.Warn(r.Recorder, obj, "CreateFailed", "Create", err)
		return outcome.Failed("create the posture check", err, r.now())
	}
	obj.Status.PendingCreate = nil
	recordObserved(&obj.Status, created)
	now := metav1.NewTime(r.now())
	obj.Status.LastSyncTime = &now
	r.Recorder.Eventf(obj, nil, "Normal", "Created", "Create", "Created Okta posture check %s%s", created.ID, lifecycle.RequestRef(created.RequestID))
	return outcome.Synced("Okta posture check " + created.ID + " matches the spec")
}

// recreate replaces a check that was deleted outside Kubernetes.
func (r *Reconciler) recreate(ctx context.Context, obj *assurancev1alpha1.DevicePostureCheck,
	api okta.PostureCheckAPI, desired okta.PostureCheck) outcome.Outcome {
	r.Recorder.Eventf(obj, nil, "Warning", "Recreating", "Create", "Okta posture check %s was deleted outside Kubernetes; creating it again", obj.Status.ID)
	obj.Status.ID = ""
	return r.createOrRecover(ctx, obj, api, desired)
}

// checkWithVariableName finds the org's check with variableName, or nil.
func checkWithVariableName(ctx context.Context, api okta.PostureCheckAPI, variableName string) (*okta.PostureCheckResponse, error) {
	all, err := api.ListPostureChecks(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].VariableName == variableName {
			return &all[i], nil
		}
	}
	return nil, nil
}
