package deviceassurance

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

// createOrAdopt gives an object without an Okta ID its policy: the one it
// was told to adopt, the one an interrupted create of its own made, or a new
// one. It never creates a second policy: a create is recorded in the status
// before it is sent, and a pass that finds that record looks in the org
// first.
func (r *Reconciler) createOrAdopt(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy,
	api okta.DeviceAssuranceAPI, desired okta.DeviceAssurance) outcome.Outcome {
	if adopt := obj.Spec.Adopt; adopt != nil && adopt.ID != "" {
		return r.adoptByID(ctx, obj, api, desired, adopt.ID)
	}
	matches, err := namedPolicies(ctx, api, desired)
	if err != nil {
		return outcome.Failed("list the org's policies", err, r.now())
	}
	ours := obj.Status.PendingCreate != nil
	adoptByName := obj.Spec.Adopt != nil && obj.Spec.Adopt.ByName
	switch {
	case len(matches) > 1 && (ours || adoptByName):
		return outcome.Stall(ReasonAmbiguousName, fmt.Sprintf("%d Okta policies are named %q on %s; rename all but one, or adopt one by id",
			len(matches), desired.Name, desired.Platform))
	case len(matches) == 1 && ours:
		// An earlier pass created it but could not record its ID.
		r.Recorder.Eventf(obj, nil, "Normal", "Created", "Create", "Recorded Okta policy %s, created by an interrupted pass", matches[0].ID)
		obj.Status.PendingCreate = nil
		return r.update(ctx, obj, api, desired, &matches[0])
	case len(matches) == 1 && adoptByName:
		return r.adopt(ctx, obj, api, desired, &matches[0])
	case len(matches) > 0:
		return outcome.Waiting(ReasonNameConflict, fmt.Sprintf("Okta policy %s is already named %q on %s and this object did not create it; "+
			"set spec.adopt to manage it, or choose another spec.name", matches[0].ID, desired.Name, desired.Platform), nameConflictRecheck)
	}
	return r.create(ctx, obj, api, desired)
}

// create records the intent, sends the POST, and records the ID at once.
func (r *Reconciler) create(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy,
	api okta.DeviceAssuranceAPI, desired okta.DeviceAssurance) outcome.Outcome {
	before := obj.DeepCopy()
	obj.Status.PendingCreate = &assurancev1alpha1.PendingCreate{Name: desired.Name, RequestedAt: metav1.NewTime(r.now())}
	if err := r.Status().Patch(ctx, obj, client.MergeFrom(before)); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, fmt.Errorf("record the create: %w", err))
	}
	created, err := api.CreateDeviceAssurance(ctx, desired)
	if err != nil {
		if okta.Class(err) == okta.ClassInvalid || okta.Class(err) == okta.ClassRateLimited {
			// Okta refused it: nothing was created.
			obj.Status.PendingCreate = nil
		}
		lifecycle.Warn(r.Recorder, obj, "CreateFailed", "Create", err)
		return outcome.Failed("create the policy", err, r.now())
	}
	obj.Status.PendingCreate = nil
	recordObserved(&obj.Status, created.ID, audit(created))
	now := metav1.NewTime(r.now())
	obj.Status.LastSyncTime = &now
	r.Recorder.Eventf(obj, nil, "Normal", "Created", "Create", "Created Okta policy %s%s", created.ID, lifecycle.RequestRef(created.RequestID))
	return outcome.Synced("Okta policy " + created.ID + " matches the spec")
}

// recreate replaces a policy that was deleted outside Kubernetes.
func (r *Reconciler) recreate(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy,
	api okta.DeviceAssuranceAPI, desired okta.DeviceAssurance) outcome.Outcome {
	r.Recorder.Eventf(obj, nil, "Warning", "Recreating", "Create", "Okta policy %s was deleted outside Kubernetes; creating it again", obj.Status.ID)
	obj.Status.ID = ""
	obj.Status.Adopted = false
	return r.createOrAdopt(ctx, obj, api, desired)
}

func (r *Reconciler) adoptByID(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy,
	api okta.DeviceAssuranceAPI, desired okta.DeviceAssurance, id string) outcome.Outcome {
	observed, err := api.GetDeviceAssurance(ctx, id)
	if okta.IsNotFound(err) {
		return outcome.Stall(ReasonAdoptionFailed, "spec.adopt.id: the org has no device assurance policy "+id)
	}
	if err != nil {
		return outcome.Failed("read the policy to adopt", err, r.now())
	}
	if observed.Platform != desired.Platform {
		return outcome.Stall(ReasonAdoptionFailed, fmt.Sprintf("spec.adopt.id: policy %s is for %s, not %s", id, observed.Platform, desired.Platform))
	}
	return r.adopt(ctx, obj, api, desired, observed)
}

func (r *Reconciler) adopt(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy,
	api okta.DeviceAssuranceAPI, desired okta.DeviceAssurance, observed *okta.DeviceAssuranceResponse) outcome.Outcome {
	obj.Status.Adopted = true
	r.Recorder.Eventf(obj, nil, "Normal", "Adopted", "Adopt", "Adopted Okta policy %s", observed.ID)
	return r.update(ctx, obj, api, desired, observed)
}

// namedPolicies lists the org's policies with the desired name and platform.
func namedPolicies(ctx context.Context, api okta.DeviceAssuranceAPI, desired okta.DeviceAssurance) ([]okta.DeviceAssuranceResponse, error) {
	all, err := api.ListDeviceAssurances(ctx)
	if err != nil {
		return nil, err
	}
	var matches []okta.DeviceAssuranceResponse
	for _, p := range all {
		if p.Name == desired.Name && p.Platform == desired.Platform {
			matches = append(matches, p)
		}
	}
	return matches, nil
}
