package posturecheck

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
)

// orgRefIndex indexes DevicePostureChecks by the org they use, so that a
// change of an org (it becomes Ready, its credentials rotate) wakes exactly
// the checks that depend on it.
const orgRefIndex = "spec.orgRef"

// orgRefOf is the index value: the default org when orgRef is omitted.
func orgRefOf(obj client.Object) []string {
	c, ok := obj.(*assurancev1alpha1.DevicePostureCheck)
	if !ok {
		return nil
	}
	return []string{lifecycle.OrgKey(c.Spec.OrgRef)}
}

func indexOrgRefs(ctx context.Context, mgr ctrl.Manager) error {
	return mgr.GetFieldIndexer().IndexField(ctx, &assurancev1alpha1.DevicePostureCheck{}, orgRefIndex, orgRefOf)
}

// checksUsingOktaOrg maps an OktaOrg to the checks of its namespace that
// use it.
func (r *Reconciler) checksUsingOktaOrg(ctx context.Context, org client.Object) []reconcile.Request {
	return r.checksUsing(ctx, lifecycle.OrgKeyOf(assurancev1alpha1.OrgKindOktaOrg, org.GetName()), client.InNamespace(org.GetNamespace()))
}

// checksUsingClusterOktaOrg maps a ClusterOktaOrg to the checks, in any
// namespace, that use it.
func (r *Reconciler) checksUsingClusterOktaOrg(ctx context.Context, org client.Object) []reconcile.Request {
	return r.checksUsing(ctx, lifecycle.OrgKeyOf(assurancev1alpha1.OrgKindClusterOktaOrg, org.GetName()))
}

func (r *Reconciler) checksUsing(ctx context.Context, key string, opts ...client.ListOption) []reconcile.Request {
	list := &assurancev1alpha1.DevicePostureCheckList{}
	if err := r.List(ctx, list, append(opts, client.MatchingFields{orgRefIndex: key})...); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "list the posture checks that use an org", "org", key)
		return nil
	}
	requests := make([]reconcile.Request, 0, len(list.Items))
	for _, c := range list.Items {
		requests = append(requests, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: c.Namespace, Name: c.Name}})
	}
	return requests
}
