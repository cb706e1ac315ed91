package posturecheck

import (
	"context"
	"slices"
	"sort"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// policiesUsing returns the DeviceAssurancePolicies of obj's namespace that
// name obj by checkRef. Okta refuses to delete a check a policy includes,
// so the check waits for them: deleting a folder of YAML at once removes
// the policies first and the checks after, without a 409 loop. A policy
// being deleted still counts: its Okta policy exists until its finalizer
// runs.
func (r *Reconciler) policiesUsing(ctx context.Context, obj *assurancev1alpha1.DevicePostureCheck) ([]string, error) {
	list := &assurancev1alpha1.DeviceAssurancePolicyList{}
	if err := r.List(ctx, list, client.InNamespace(obj.Namespace)); err != nil {
		return nil, err
	}
	var names []string
	for i := range list.Items {
		if slices.Contains(checksNamedIn(&list.Items[i]), obj.Name) {
			names = append(names, list.Items[i].Name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// checksNamedIn lists the DevicePostureCheck names a policy refers to by
// checkRef, sorted and without duplicates.
func checksNamedIn(p *assurancev1alpha1.DeviceAssurancePolicy) []string {
	if p.Spec.DevicePostureChecks == nil {
		return nil
	}
	var names []string
	for _, item := range p.Spec.DevicePostureChecks.Include {
		if item.CheckRef != nil && item.CheckRef.Name != "" {
			names = append(names, item.CheckRef.Name)
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// checksOfPolicy wakes the checks a policy names, so that one waiting to be
// deleted proceeds once the policy lets go of it. On an update
// controller-runtime maps the old and the new object, so a check the policy
// dropped is woken too.
func checksOfPolicy(_ context.Context, obj client.Object) []reconcile.Request {
	p, ok := obj.(*assurancev1alpha1.DeviceAssurancePolicy)
	if !ok {
		return nil
	}
	names := checksNamedIn(p)
	requests := make([]reconcile.Request, 0, len(names))
	for _, name := range names {
		requests = append(requests, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: p.Namespace, Name: name}})
	}
	return requests
}

// checkRefsChanged passes the policy events that can release a check: a
// policy created or deleted, and an update that changes which checks it
// names. The policy's status patches, at every resync, do not.
var checkRefsChanged = predicate.Funcs{
	UpdateFunc: func(e event.UpdateEvent) bool {
		old, okOld := e.ObjectOld.(*assurancev1alpha1.DeviceAssurancePolicy)
		updated, okNew := e.ObjectNew.(*assurancev1alpha1.DeviceAssurancePolicy)
		if !okOld || !okNew {
			return true
		}
		return !slices.Equal(checksNamedIn(old), checksNamedIn(updated))
	},
}
