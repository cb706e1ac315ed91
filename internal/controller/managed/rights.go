package managed

import (
	"context"
	"errors"
	"slices"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// ReasonNotGranted is the reason of Ready (and Stalled) while the object
// asks for something the org's tenants entries do not grant its
// namespace.
const ReasonNotGranted = "NotGranted"

// permitted checks, before any Okta call, that the object's namespace may
// do what the object asks in its org: use the org at all, adopt, have one
// more object of its kind, and what its kind checks itself. It records the
// rights in the pass for the checks that need what Okta holds (the
// Catch-all Rule).
func (r *Reconciler[T]) permitted(ctx context.Context, p *Pass[T]) (outcome.Outcome, bool) {
	resolver, ok := r.Orgs.(RightsResolver)
	if !ok {
		p.Rights = tenancy.Everything("", p.Obj.GetNamespace())
		return outcome.Outcome{}, true
	}
	rights, err := resolver.Rights(ctx, p.Obj.GetNamespace(), p.Obj.GetManagedSpec().OrgRef)
	if err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err), false
	}
	p.Rights = rights
	checks := []error{rights.Use()}
	if p.Obj.WantsAdoption() {
		checks = append(checks, rights.Adoption())
	}
	if permitter, ok := r.External.(Permitter[T]); ok {
		checks = append(checks, permitter.Permits(rights, p.Obj))
	}
	if p.Obj.OktaID() == "" && rights.Capped(r.Kind) {
		position, err := r.position(ctx, p.Obj)
		if err != nil {
			return outcome.Transient(outcome.ReasonProgressing, err), false
		}
		checks = append(checks, rights.Quota(r.Kind, position))
	}
	if err := errors.Join(checks...); err != nil {
		return NotGranted(err), false
	}
	return outcome.Outcome{}, true
}

// NotGranted is the outcome of a refusal of the tenancy rules: stalled
// until the spec, or the cluster admin's grant, changes.
func NotGranted(err error) outcome.Outcome {
	return outcome.Stall(ReasonNotGranted, err.Error())
}

// position is the object's rank, oldest first, among the objects of its
// kind in its namespace that use its org: the quota refuses the newest.
func (r *Reconciler[T]) position(ctx context.Context, obj T) (int, error) {
	list := r.NewList()
	if err := r.Client.List(ctx, list, client.InNamespace(obj.GetNamespace())); err != nil {
		return 0, err
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return 0, err
	}
	org := lifecycle.OrgKey(obj.GetManagedSpec().OrgRef)
	var same []client.Object
	for _, item := range items {
		if m, ok := item.(Object); ok && lifecycle.OrgKey(m.GetManagedSpec().OrgRef) == org {
			same = append(same, m)
		}
	}
	slices.SortFunc(same, func(a, b client.Object) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	})
	return slices.IndexFunc(same, func(o client.Object) bool { return o.GetUID() == obj.GetUID() }), nil
}
