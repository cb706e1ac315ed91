package posturecheck

import (
	"context"
	"fmt"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// typeBuiltIn is the type of Okta's own checks (docs/okta-api-behaviour.md
// §2): defined by Okta, read-only, never adopted.
const typeBuiltIn = "BUILTIN"

// createOrAdopt gives an object without an Okta ID its check: the one it
// was told to adopt, the one an interrupted create of its own made, or a
// new one. It never creates a second check: a create is recorded in the
// status before it is sent, and a pass that finds that record looks in the
// org first, by the variableName, which is unique in the org and cannot
// change.
func createOrAdopt(ctx context.Context, p *pass, desired okta.PostureCheck) outcome.Outcome {
	obj := p.Obj
	if adopt := obj.Spec.Adopt; adopt != nil && adopt.ID != "" {
		return adoptByID(ctx, p, desired, adopt.ID)
	}
	existing, err := checkWithVariableName(ctx, p.API, desired.VariableName)
	if err != nil {
		return p.Failed("list the org's posture checks", err)
	}
	adoptByVariableName := obj.Spec.Adopt != nil && obj.Spec.Adopt.ByVariableName
	switch {
	case existing != nil && obj.Status.PendingCreate != nil:
		// An earlier pass created it but could not record its ID.
		if out, ok := p.Claim(ctx, existing.ID); !ok {
			return out
		}
		p.Recovered(existing.ID)
		return update(ctx, p, desired, existing)
	case existing != nil && adoptByVariableName:
		return adopt(ctx, p, desired, existing, "spec.adopt.byVariableName")
	case existing != nil:
		return outcome.Waiting(ReasonVariableNameConflict, fmt.Sprintf("Okta posture check %s (%q) already has variableName %q and this object did not create it; "+
			"set spec.adopt to manage it, delete it in Okta, or choose another spec.variableName", existing.ID, existing.Name, desired.VariableName), conflictRecheck)
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

// recreate replaces a check that was deleted outside Kubernetes. The new
// one is this object's own, not adopted: it is deleted with the object.
func recreate(ctx context.Context, p *pass, desired okta.PostureCheck) outcome.Outcome {
	gone := p.Obj.Status.ID
	p.Recreating(gone)
	p.Obj.Status.Adopted = false
	// The deleted check's ID stays until something takes its place.
	out := createOrAdopt(ctx, p, desired)
	if p.Obj.Status.ID == gone {
		forget(p.Obj)
	}
	return out
}

// Forget clears the check from the status.
func (external) Forget(obj *assurancev1alpha1.DevicePostureCheck) { forget(obj) }

func forget(obj *assurancev1alpha1.DevicePostureCheck) {
	obj.Status.ID = ""
	obj.Status.Adopted = false
}

// adoptByID takes over the check spec.adopt.id names.
func adoptByID(ctx context.Context, p *pass, desired okta.PostureCheck, id string) outcome.Outcome {
	observed, err := p.API.GetPostureCheck(ctx, id)
	if okta.IsNotFound(err) {
		return outcome.Stall(ReasonAdoptionFailed, "spec.adopt.id: the org has no posture check "+id)
	}
	if err != nil {
		return p.Failed("read the posture check to adopt", err)
	}
	return adopt(ctx, p, desired, observed, "spec.adopt.id")
}

// adopt takes over an existing check, after refusing one the spec cannot
// manage: the object then owns it and makes it match the spec.
func adopt(ctx context.Context, p *pass, desired okta.PostureCheck, observed *okta.PostureCheckResponse, field string) outcome.Outcome {
	if reason := unadoptable(desired, observed); reason != "" {
		return outcome.Stall(ReasonAdoptionFailed, field+": "+reason)
	}
	if out, ok := p.Claim(ctx, observed.ID); !ok {
		return out
	}
	p.Obj.Status.Adopted = true
	p.Event("Adopted", "Adopt", "Adopted Okta posture check %s", observed.ID)
	return update(ctx, p, desired, observed)
}

// unadoptable says why the spec cannot manage the observed check, or is
// empty. Okta's built-in checks are read-only; the variableName (which
// policies require the check by) and the platform cannot change, so a PUT
// could not make the check match a spec that differs in them.
func unadoptable(desired okta.PostureCheck, observed *okta.PostureCheckResponse) string {
	switch {
	case observed.Type == typeBuiltIn:
		return fmt.Sprintf("posture check %s (%q) is one of Okta's built-in (BUILTIN) checks, which cannot be changed or deleted; "+
			"require it in policies by variableName %q instead", observed.ID, observed.Name, observed.VariableName)
	case observed.VariableName != desired.VariableName:
		return fmt.Sprintf("posture check %s has variableName %q, not %q (spec.variableName), and a check's variableName cannot change; "+
			"adopt it with an object whose spec.variableName is %q", observed.ID, observed.VariableName, desired.VariableName, observed.VariableName)
	case observed.Platform != desired.Platform:
		return fmt.Sprintf("posture check %s is for %s, not %s (spec.platform), and a check's platform cannot change",
			observed.ID, observed.Platform, desired.Platform)
	}
	return ""
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
