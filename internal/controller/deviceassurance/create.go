package deviceassurance

import (
	"context"
	"fmt"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// createOrAdopt gives an object without an Okta ID its policy: the one it
// was told to adopt, the one an interrupted create of its own made, or a new
// one. It never creates a second policy: a create is recorded in the status
// before it is sent, and a pass that finds that record looks in the org
// first.
func createOrAdopt(ctx context.Context, p *pass, desired okta.DeviceAssurance) outcome.Outcome {
	obj := p.Obj
	if adopt := obj.Spec.Adopt; adopt != nil && adopt.ID != "" {
		return adoptByID(ctx, p, desired, adopt.ID)
	}
	ours := obj.Status.PendingCreate != nil
	adoptByName := obj.Spec.Adopt != nil && obj.Spec.Adopt.ByName
	if names, ok := p.API.(orgclient.NameChecker); ok && !ours && !adoptByName {
		return createIfFree(ctx, p, names, desired)
	}
	name := desired.Name
	if ours {
		// What the interrupted create sent, whatever the spec says now.
		name = obj.Status.PendingCreate.Name
	}
	matches, err := namedPolicies(ctx, p.API, name, desired.Platform)
	if err != nil {
		return p.Failed("list the org's policies", err)
	}
	switch {
	case len(matches) > 1 && (ours || adoptByName):
		return outcome.Stall(ReasonAmbiguousName, fmt.Sprintf("%d Okta policies are named %q on %s; rename all but one, or adopt one by id",
			len(matches), name, desired.Platform))
	case len(matches) == 1 && ours:
		// An earlier pass created it but could not record its ID.
		if out, ok := p.Claim(ctx, matches[0].ID); !ok {
			return out
		}
		p.Recovered(matches[0].ID)
		return update(ctx, p, desired, &matches[0])
	case len(matches) == 1 && adoptByName:
		return adopt(ctx, p, desired, &matches[0])
	case len(matches) > 0:
		return nameConflict(matches[0].ID, name, desired.Platform)
	}
	return create(ctx, p, desired)
}

// createIfFree creates the policy when the org's name ledger holds no
// policy of its name and platform and no other object is creating one:
// the name check of a create without a list of its own. Only a create
// that no earlier pass began comes here; one that did lists the org, to
// find what it made.
func createIfFree(ctx context.Context, p *pass, names orgclient.NameChecker, desired okta.DeviceAssurance) outcome.Outcome {
	check, err := names.ReserveDeviceAssuranceName(ctx, desired.Name, desired.Platform)
	if err != nil {
		return p.Failed("list the org's policies", err)
	}
	defer check.Release()
	switch {
	case len(check.Taken) > 0:
		return nameConflict(check.Taken[0], desired.Name, desired.Platform)
	case check.Creating:
		return outcome.Waiting(ReasonNameConflict, fmt.Sprintf("another object is creating an Okta policy named %q on %s at this moment; "+
			"choose another spec.name, or set spec.adopt to manage that policy once it exists", desired.Name, desired.Platform), nameCreatingRecheck)
	}
	return create(ctx, p, desired)
}

func nameConflict(id, name string, platform okta.Platform) outcome.Outcome {
	return outcome.Waiting(ReasonNameConflict, fmt.Sprintf("Okta policy %s is already named %q on %s and this object did not create it; "+
		"set spec.adopt to manage it, or choose another spec.name", id, name, platform), nameConflictRecheck)
}

// create sends the POST once and records the new policy.
func create(ctx context.Context, p *pass, desired okta.DeviceAssurance) outcome.Outcome {
	created, out, ok := managed.Create(ctx, p, desired.Name,
		func(ctx context.Context) (*okta.DeviceAssuranceResponse, error) {
			return p.API.CreateDeviceAssurance(ctx, desired)
		})
	if !ok {
		return out
	}
	recordObserved(&p.Obj.Status, created)
	return p.Created(created.ID, created.RequestID)
}

// recreate replaces a policy that was deleted outside Kubernetes. The new
// one is this object's own, not adopted: it is deleted with the object.
//
// The deleted policy's ID stays in the status until something takes its
// place, so that no status write of the pass shows the object Ready without
// a policy.
func recreate(ctx context.Context, p *pass, desired okta.DeviceAssurance) outcome.Outcome {
	gone := p.Obj.Status.ID
	p.Recreating(gone)
	p.Obj.Status.Adopted = false
	out := createOrAdopt(ctx, p, desired)
	if p.Obj.Status.ID == gone {
		forget(p.Obj)
	}
	return out
}

// Forget clears the policy from the status.
func (e *external) Forget(obj *assurancev1alpha1.DeviceAssurancePolicy) { forget(obj) }

func forget(obj *assurancev1alpha1.DeviceAssurancePolicy) {
	obj.Status.ID = ""
	obj.Status.Adopted = false
}

func adoptByID(ctx context.Context, p *pass, desired okta.DeviceAssurance, id string) outcome.Outcome {
	observed, err := p.API.GetDeviceAssurance(ctx, id)
	if okta.IsNotFound(err) {
		return outcome.Stall(ReasonAdoptionFailed, "spec.adopt.id: the org has no device assurance policy "+id)
	}
	if err != nil {
		return p.Failed("read the policy to adopt", err)
	}
	if observed.Platform != desired.Platform {
		return outcome.Stall(ReasonAdoptionFailed, fmt.Sprintf("spec.adopt.id: policy %s is for %s, not %s", id, observed.Platform, desired.Platform))
	}
	return adopt(ctx, p, desired, observed)
}

func adopt(ctx context.Context, p *pass, desired okta.DeviceAssurance, observed *okta.DeviceAssuranceResponse) outcome.Outcome {
	if out, ok := p.Claim(ctx, observed.ID); !ok {
		return out
	}
	p.Obj.Status.Adopted = true
	p.Event("Adopted", "Adopt", "Adopted Okta policy %s", observed.ID)
	return update(ctx, p, desired, observed)
}

// namedPolicies lists the org's policies with this name and platform.
func namedPolicies(ctx context.Context, api okta.DeviceAssuranceAPI, name string, platform okta.Platform) ([]okta.DeviceAssuranceResponse, error) {
	all, err := api.ListDeviceAssurances(ctx)
	if err != nil {
		return nil, err
	}
	var matches []okta.DeviceAssuranceResponse
	for _, policy := range all {
		if policy.Name == name && policy.Platform == platform {
			matches = append(matches, policy)
		}
	}
	return matches, nil
}
