package managed

import (
	"context"
	"reflect"
	"slices"
	"sort"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// Reference is one way objects of a kind (the referrers) name objects of
// another kind in their namespace (the targets): a binding's rule names
// DeviceAssurancePolicies, a policy names DevicePostureChecks. The names
// come from the referrer's API type.
type Reference struct {
	// Kind is the referrers' kind, for messages.
	Kind string
	// Index is the field index of the referrers by the names they hold.
	Index string
	// Referrer is an empty referrer; NewList an empty list of them.
	Referrer client.Object
	NewList  func() client.ObjectList
	// Names are the targets a referrer names, sorted, once each.
	Names func(client.Object) []string
}

// The references between the managed kinds.
var (
	// BindingsNamePolicies: a SignInRuleBinding's rule includes
	// DeviceAssurancePolicies by name.
	BindingsNamePolicies = Reference{
		Kind: "SignInRuleBinding", Index: "spec.rule.conditions.device.assurance.include.name",
		Referrer: &assurancev1alpha1.SignInRuleBinding{},
		NewList:  func() client.ObjectList { return &assurancev1alpha1.SignInRuleBindingList{} },
		Names: func(o client.Object) []string {
			return o.(*assurancev1alpha1.SignInRuleBinding).DeviceAssurancePolicyNames()
		},
	}
	// PoliciesNameChecks: a DeviceAssurancePolicy requires
	// DevicePostureChecks by checkRef.
	PoliciesNameChecks = Reference{
		Kind: "DeviceAssurancePolicy", Index: "spec.devicePostureChecks.include.checkRef.name",
		Referrer: &assurancev1alpha1.DeviceAssurancePolicy{},
		NewList:  func() client.ObjectList { return &assurancev1alpha1.DeviceAssurancePolicyList{} },
		Names: func(o client.Object) []string {
			return o.(*assurancev1alpha1.DeviceAssurancePolicy).PostureCheckNames()
		},
	}
	// References are all of them, for RegisterIndexes.
	References = []Reference{BindingsNamePolicies, PoliciesNameChecks}
)

// names is the index function: nothing for an object of another type.
func (r Reference) names(obj client.Object) []string {
	if !sameType(obj, r.Referrer) {
		return nil
	}
	return r.Names(obj)
}

// UsedBy names, sorted, the referrers of target's namespace that name it,
// read with c. It lists the namespace rather than reading an index, so
// that it can read the API server directly: deletion must not trust a
// cache that may not have seen a new referrer yet. A referrer being
// deleted still counts: its Okta object exists until its finalizer runs.
func (r Reference) UsedBy(ctx context.Context, c client.Reader, target client.Object) ([]string, error) {
	list := r.NewList()
	if err := c.List(ctx, list, client.InNamespace(target.GetNamespace())); err != nil {
		return nil, err
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, item := range items {
		if obj, ok := item.(client.Object); ok && slices.Contains(r.Names(obj), target.GetName()) {
			names = append(names, obj.GetName())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Referrers lists the referrers of namespace that name name, from the
// manager's index (cache must have it: RegisterIndexes).
func (r Reference) Referrers(ctx context.Context, cache client.Reader, namespace, name string) (client.ObjectList, error) {
	list := r.NewList()
	err := cache.List(ctx, list, client.InNamespace(namespace), client.MatchingFields{r.Index: name})
	return list, err
}

// EnqueueReferrers wakes the referrers that name a target, e.g. the
// bindings waiting for a policy to get its Okta ID.
func (r Reference) EnqueueReferrers(cache client.Reader) handler.EventHandler {
	return handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, target client.Object) []reconcile.Request {
		list, err := r.Referrers(ctx, cache, target.GetNamespace(), target.GetName())
		if err != nil {
			ctrl.LoggerFrom(ctx).Error(err, "list the objects that name an object", "kind", r.Kind, "name", target.GetName())
			return nil
		}
		return Requests(list)
	})
}

// EnqueueTargets wakes the targets a referrer names (Targets).
func (r Reference) EnqueueTargets() handler.EventHandler {
	return handler.EnqueueRequestsFromMapFunc(r.Targets)
}

// Targets are the requests of the targets a referrer names, e.g. a policy
// waiting to be deleted once no binding names it. On an update
// controller-runtime maps the old and the new object, so a target the
// referrer dropped is woken too.
func (r Reference) Targets(_ context.Context, obj client.Object) []reconcile.Request {
	if !sameType(obj, r.Referrer) {
		return nil
	}
	names := r.Names(obj)
	out := make([]reconcile.Request, 0, len(names))
	for _, name := range names {
		out = append(out, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: obj.GetNamespace(), Name: name}})
	}
	return out
}

// NamesChanged passes the referrer events that can release a target: a
// referrer created or deleted, and an update that changes the names it
// holds. Its status patches, at every resync, do not.
func (r Reference) NamesChanged() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			return !slices.Equal(r.names(e.ObjectOld), r.names(e.ObjectNew))
		},
	}
}

func sameType(a, b client.Object) bool {
	return reflect.TypeOf(a) == reflect.TypeOf(b)
}
