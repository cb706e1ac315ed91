package signinrule

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
)

const (
	// orgRefIndex indexes bindings by the org they use, so that a change of
	// an org wakes exactly the bindings that depend on it.
	orgRefIndex = "spec.orgRef"
	// DeviceAssuranceIndex indexes bindings by the names of the
	// DeviceAssurancePolicies of their namespace that their rule includes.
	// ReferencingBindings reads it.
	DeviceAssuranceIndex = "spec.rule.conditions.device.assurance.include.name"
)

// orgKeyOf is the org of a binding: the default org when orgRef is
// omitted; an OktaOrg is qualified by the namespace it lives in.
func orgKeyOf(obj *assurancev1alpha1.SignInRuleBinding) string {
	ref := obj.Spec.OrgRef
	if ref != nil && ref.Kind == assurancev1alpha1.OrgKindOktaOrg {
		return obj.Namespace + "/" + lifecycle.OrgKey(ref)
	}
	return lifecycle.OrgKey(ref)
}

// indexedOrgRef selects the bindings that use the same org as obj.
func indexedOrgRef(obj *assurancev1alpha1.SignInRuleBinding) []client.ListOption {
	ref := obj.Spec.OrgRef
	if ref != nil && ref.Kind == assurancev1alpha1.OrgKindOktaOrg {
		return []client.ListOption{client.InNamespace(obj.Namespace), client.MatchingFields{orgRefIndex: lifecycle.OrgKey(ref)}}
	}
	return []client.ListOption{client.MatchingFields{orgRefIndex: orgRefOf(obj)[0]}}
}

func orgRefOf(obj client.Object) []string {
	b, ok := obj.(*assurancev1alpha1.SignInRuleBinding)
	if !ok {
		return nil
	}
	return []string{lifecycle.OrgKey(b.Spec.OrgRef)}
}

func assuranceNamesOf(obj client.Object) []string {
	b, ok := obj.(*assurancev1alpha1.SignInRuleBinding)
	if !ok {
		return nil
	}
	return assuranceNames(b)
}

func indexBindings(ctx context.Context, mgr ctrl.Manager) error {
	indexer := mgr.GetFieldIndexer()
	if err := indexer.IndexField(ctx, &assurancev1alpha1.SignInRuleBinding{}, orgRefIndex, orgRefOf); err != nil {
		return err
	}
	return indexer.IndexField(ctx, &assurancev1alpha1.SignInRuleBinding{}, DeviceAssuranceIndex, assuranceNamesOf)
}

// ReferencingBindings lists the SignInRuleBindings whose rule includes the
// DeviceAssurancePolicy namespace/name. c must read from a cache that has
// DeviceAssuranceIndex (registered by SetupWithManager).
func ReferencingBindings(ctx context.Context, c client.Reader, namespace, name string) ([]assurancev1alpha1.SignInRuleBinding, error) {
	list := &assurancev1alpha1.SignInRuleBindingList{}
	if err := c.List(ctx, list, client.InNamespace(namespace), client.MatchingFields{DeviceAssuranceIndex: name}); err != nil {
		return nil, err
	}
	return list.Items, nil
}

// oktaIDChanged passes the DeviceAssurancePolicy events that matter to a
// binding: created, deleted, or its Okta ID set or changed.
var oktaIDChanged = predicate.Funcs{
	UpdateFunc: func(e event.UpdateEvent) bool {
		before, ok1 := e.ObjectOld.(*assurancev1alpha1.DeviceAssurancePolicy)
		after, ok2 := e.ObjectNew.(*assurancev1alpha1.DeviceAssurancePolicy)
		return !ok1 || !ok2 || before.Status.ID != after.Status.ID
	},
}

// bindingsNamingPolicy maps a DeviceAssurancePolicy to the bindings of its
// namespace that include it.
func (r *Reconciler) bindingsNamingPolicy(ctx context.Context, policy client.Object) []reconcile.Request {
	items, err := ReferencingBindings(ctx, r.cache, policy.GetNamespace(), policy.GetName())
	if err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "list the bindings that name a device assurance policy", "policy", policy.GetName())
		return nil
	}
	return requests(items)
}

// bindingsUsingOktaOrg maps an OktaOrg to the bindings of its namespace
// that use it.
func (r *Reconciler) bindingsUsingOktaOrg(ctx context.Context, org client.Object) []reconcile.Request {
	return r.bindingsUsing(ctx, lifecycle.OrgKeyOf(assurancev1alpha1.OrgKindOktaOrg, org.GetName()), client.InNamespace(org.GetNamespace()))
}

// bindingsUsingClusterOktaOrg maps a ClusterOktaOrg to the bindings, in any
// namespace, that use it.
func (r *Reconciler) bindingsUsingClusterOktaOrg(ctx context.Context, org client.Object) []reconcile.Request {
	return r.bindingsUsing(ctx, lifecycle.OrgKeyOf(assurancev1alpha1.OrgKindClusterOktaOrg, org.GetName()))
}

func (r *Reconciler) bindingsUsing(ctx context.Context, key string, opts ...client.ListOption) []reconcile.Request {
	list := &assurancev1alpha1.SignInRuleBindingList{}
	if err := r.cache.List(ctx, list, append(opts, client.MatchingFields{orgRefIndex: key})...); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "list the bindings that use an org", "org", key)
		return nil
	}
	return requests(list.Items)
}

func requests(items []assurancev1alpha1.SignInRuleBinding) []reconcile.Request {
	out := make([]reconcile.Request, 0, len(items))
	for _, b := range items {
		out = append(out, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: b.Namespace, Name: b.Name}})
	}
	return out
}
