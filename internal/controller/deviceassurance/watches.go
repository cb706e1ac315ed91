package deviceassurance

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
)

// orgRefIndex indexes DeviceAssurancePolicies by the org they use, so that a
// change of an org (it becomes Ready, its credentials rotate) wakes exactly
// the policies that depend on it.
const orgRefIndex = "spec.orgRef"

// orgRefOf is the index value: the default org when orgRef is omitted.
func orgRefOf(obj client.Object) []string {
	p, ok := obj.(*assurancev1alpha1.DeviceAssurancePolicy)
	if !ok {
		return nil
	}
	return []string{lifecycle.OrgKey(p.Spec.OrgRef)}
}

func indexOrgRefs(ctx context.Context, mgr ctrl.Manager) error {
	return mgr.GetFieldIndexer().IndexField(ctx, &assurancev1alpha1.DeviceAssurancePolicy{}, orgRefIndex, orgRefOf)
}

// policiesUsingOktaOrg maps an OktaOrg to the policies of its namespace
// that use it.
func (r *Reconciler) policiesUsingOktaOrg(ctx context.Context, org client.Object) []reconcile.Request {
	return r.policiesUsing(ctx, lifecycle.OrgKeyOf(assurancev1alpha1.OrgKindOktaOrg, org.GetName()), client.InNamespace(org.GetNamespace()))
}

// policiesUsingClusterOktaOrg maps a ClusterOktaOrg to the policies, in any
// namespace, that use it.
func (r *Reconciler) policiesUsingClusterOktaOrg(ctx context.Context, org client.Object) []reconcile.Request {
	return r.policiesUsing(ctx, lifecycle.OrgKeyOf(assurancev1alpha1.OrgKindClusterOktaOrg, org.GetName()))
}

func (r *Reconciler) policiesUsing(ctx context.Context, key string, opts ...client.ListOption) []reconcile.Request {
	list := &assurancev1alpha1.DeviceAssurancePolicyList{}
	if err := r.List(ctx, list, append(opts, client.MatchingFields{orgRefIndex: key})...); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "list the policies that use an org", "org", key)
		return nil
	}
	requests := make([]reconcile.Request, 0, len(list.Items))
	for _, p := range list.Items {
		requests = append(requests, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: p.Namespace, Name: p.Name}})
	}
	return requests
}
