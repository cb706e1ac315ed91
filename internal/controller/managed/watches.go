package managed

import (
	"context"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
)

// OrgRefIndex indexes the managed objects by the org they use (the default
// org when orgRef is omitted; an OktaOrg without its namespace, which the
// object shares), so that a change of an org (it becomes Ready, its
// credentials rotate) wakes exactly the objects that depend on it.
const OrgRefIndex = "spec.orgRef"

// SetupWithManager registers the controller. Status-only changes of an
// object do not trigger a pass (the status is the controller's own
// output); a change of its org's readiness does, and so do the kind's own
// watches and the drift watcher's events.
func (r *Reconciler[T]) SetupWithManager(ctx context.Context, mgr ctrl.Manager) error {
	if err := RegisterIndexes(ctx, mgr); err != nil {
		return err
	}
	r.cache = mgr.GetClient()
	b := ctrl.NewControllerManagedBy(mgr).
		For(r.New(), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&assurancev1alpha1.OktaOrg{}, handler.EnqueueRequestsFromMapFunc(r.usingOktaOrg),
			builder.WithPredicates(outcome.OrgReadinessChanged)).
		Watches(&assurancev1alpha1.ClusterOktaOrg{}, handler.EnqueueRequestsFromMapFunc(r.usingClusterOktaOrg),
			builder.WithPredicates(outcome.OrgReadinessChanged)).
		WithOptions(lifecycle.ControllerOptions(r.Concurrency, r.MaxBackoff)).
		Named(strings.ToLower(r.Kind))
	if w, ok := r.External.(Watcher); ok {
		b = w.Watch(b, r.cache)
	}
	if r.DriftEvents != nil {
		b = b.WatchesRawSource(r.DriftEvents)
	}
	return b.Complete(r)
}

// usingOktaOrg maps an OktaOrg to the objects of its namespace that use it.
func (r *Reconciler[T]) usingOktaOrg(ctx context.Context, org client.Object) []reconcile.Request {
	return r.using(ctx, lifecycle.OrgKeyOf(assurancev1alpha1.OrgKindOktaOrg, org.GetName()), client.InNamespace(org.GetNamespace()))
}

// usingClusterOktaOrg maps a ClusterOktaOrg to the objects, in any
// namespace, that use it.
func (r *Reconciler[T]) usingClusterOktaOrg(ctx context.Context, org client.Object) []reconcile.Request {
	return r.using(ctx, lifecycle.OrgKeyOf(assurancev1alpha1.OrgKindClusterOktaOrg, org.GetName()))
}

func (r *Reconciler[T]) using(ctx context.Context, key string, opts ...client.ListOption) []reconcile.Request {
	list := r.NewList()
	if err := r.cache.List(ctx, list, append(opts, client.MatchingFields{OrgRefIndex: key})...); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "list the objects that use an org", "kind", r.Kind, "org", key)
		return nil
	}
	return Requests(list)
}

// Requests are the reconcile requests of the items of list.
func Requests(list client.ObjectList) []reconcile.Request {
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil
	}
	out := make([]reconcile.Request, 0, len(items))
	for _, item := range items {
		if obj, ok := item.(client.Object); ok {
			out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(obj)})
		}
	}
	return out
}

// orgRefOf is the OrgRefIndex value of a managed object.
func orgRefOf(obj client.Object) []string {
	m, ok := obj.(Object)
	if !ok {
		return nil
	}
	return []string{lifecycle.OrgKey(m.GetManagedSpec().OrgRef)}
}

// registered remembers the field indexers the indexes were registered with:
// every controller needs them, and an index can be registered only once.
var registered sync.Map

// RegisterIndexes registers, once per manager, the field indexes the
// controllers read: each managed kind by org, and each reference between
// kinds by the names it holds.
func RegisterIndexes(ctx context.Context, mgr ctrl.Manager) error {
	indexer := mgr.GetFieldIndexer()
	if _, done := registered.LoadOrStore(indexer, true); done {
		return nil
	}
	for _, obj := range []client.Object{&assurancev1alpha1.DeviceAssurancePolicy{}, &assurancev1alpha1.DevicePostureCheck{}, &assurancev1alpha1.SignInRuleBinding{}} {
		if err := indexer.IndexField(ctx, obj, OrgRefIndex, orgRefOf); err != nil {
			return err
		}
		if err := indexer.IndexField(ctx, obj, OktaIDIndex, OktaIDsOf); err != nil {
			return err
		}
	}
	for _, ref := range References {
		if err := indexer.IndexField(ctx, ref.Referrer, ref.Index, ref.names); err != nil {
			return err
		}
	}
	return nil
}
