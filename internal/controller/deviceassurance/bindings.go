package deviceassurance

import (
	"context"
	"sort"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// bindingsUsing returns the SignInRuleBindings of obj's namespace whose rule
// names obj. Okta refuses to delete a policy a rule uses, so the policy
// waits for them: deleting a folder of YAML at once removes the rules first
// and the policies after, without a 409 loop.
func (r *Reconciler) bindingsUsing(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy) ([]string, error) {
	list := &assurancev1alpha1.SignInRuleBindingList{}
	if err := r.List(ctx, list, client.InNamespace(obj.Namespace)); err != nil {
		return nil, err
	}
	var names []string
	for i := range list.Items {
		for _, policy := range policiesNamedIn(&list.Items[i]) {
			if policy == obj.Name {
				names = append(names, list.Items[i].Name)
				break
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

// policiesNamedIn lists the DeviceAssurancePolicy names a binding's rule
// refers to.
func policiesNamedIn(b *assurancev1alpha1.SignInRuleBinding) []string {
	c := b.Spec.Rule.Conditions
	if c == nil || c.Device == nil || c.Device.Assurance == nil {
		return nil
	}
	var names []string
	for _, ref := range c.Device.Assurance.Include {
		if ref.Name != "" {
			names = append(names, ref.Name)
		}
	}
	return names
}

// policiesOfBinding wakes the policies a binding names, so that one waiting
// to be deleted proceeds once the binding lets go of it.
func policiesOfBinding(_ context.Context, obj client.Object) []reconcile.Request {
	b, ok := obj.(*assurancev1alpha1.SignInRuleBinding)
	if !ok {
		return nil
	}
	names := policiesNamedIn(b)
	requests := make([]reconcile.Request, 0, len(names))
	for _, name := range names {
		requests = append(requests, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: b.Namespace, Name: name}})
	}
	return requests
}
