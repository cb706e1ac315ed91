package posturecheck

import (
	"context"
	"fmt"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// createOrRecover gives an object without an Okta ID its check: the one an
// interrupted create of its own made, or a new one. It never creates a
// second check: a create is recorded in the status before it is sent, and a
// pass that finds that record looks in the org first, by the variableName,
// which is unique in the org and cannot change.
func createOrRecover(ctx context.Context, p *pass, desired okta.PostureCheck) outcome.Outcome {
	existing, err := checkWithVariableName(ctx, p.API, desired.VariableName)
	if err != nil {
		return p.Failed("list the org's posture checks", err)
	}
	switch {
	case existing != nil && p.Obj.Status.PendingCreate != nil:
		// An earlier pass created it but could not record its ID.
		if out, ok := p.Claim(ctx, existing.ID); !ok {
			return out
		}
		p.Recovered(existing.ID)
		return update(ctx, p, desired, existing)
	case existing != nil:
		return outcome.Waiting(ReasonVariableNameConflict, fmt.Sprintf("Okta posture check %s (%q) already has variableName %q and this object did not create it; "+
			"delete it in Okta, or choose another spec.variableName", existing.ID, existing.Name, desired.VariableName), conflictRecheck)
	}
	return create(ctx, p, desired)
}

// create sends the POST once and records the new check.
func create(ctx context.Context, p *pass, desired okta.PostureCheck) outcome.Outcome {
	created, out, ok := managed.Create(ctx, p, desired.Name,
		func(ctx context.Context) (*okta.PostureCheckResponse, error) {
			return p.API.CreatePostureCheck(ctx, desired)
		})
	if !ok {
		return out
	}
	recordObserved(&p.Obj.Status, created)
	return p.Created(created.ID, created.RequestID)
}

// recreate replaces a check that was deleted outside Kubernetes.
func recreate(ctx context.Context, p *pass, desired okta.PostureCheck) outcome.Outcome {
	gone := p.Obj.Status.ID
	p.Recreating(gone)
	// The deleted check's ID stays until something takes its place.
	out := createOrRecover(ctx, p, desired)
	if p.Obj.Status.ID == gone {
		p.Obj.Status.ID = ""
	}
	return out
}

// Forget clears the check from the status.
func (external) Forget(obj *assurancev1alpha1.DevicePostureCheck) { obj.Status.ID = "" }

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
