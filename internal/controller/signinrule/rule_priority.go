package signinrule

import (
	"context"
	"fmt"
	"sync"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
)

// policyLocks serializes the read-compare-write of all bindings that share
// one Okta policy: Okta shifts the other rules of a policy when one moves
// (docs/okta-api-behaviour.md, R25), so two bindings that read, then write,
// concurrently can undo each other's priorities forever.
type policyLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// lock takes the lock of key and returns its release.
func (l *policyLocks) lock(key string) func() {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*sync.Mutex{}
	}
	m, ok := l.locks[key]
	if !ok {
		m = &sync.Mutex{}
		l.locks[key] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// orgKeyOf is the org of a binding: the default org when orgRef is
// omitted; an OktaOrg is qualified by the namespace it lives in.
func orgKeyOf(obj *assurancev1alpha1.SignInRuleBinding) string {
	ref := obj.Spec.OrgRef
	if ref != nil && ref.Kind == assurancev1alpha1.OrgKindOktaOrg {
		return obj.Namespace + "/" + lifecycle.OrgKey(ref)
	}
	return lifecycle.OrgKey(ref)
}

// sameOrg selects the bindings that use the same org as obj.
func sameOrg(obj *assurancev1alpha1.SignInRuleBinding) []client.ListOption {
	key := client.MatchingFields{managed.OrgRefIndex: lifecycle.OrgKey(obj.Spec.OrgRef)}
	if ref := obj.Spec.OrgRef; ref != nil && ref.Kind == assurancev1alpha1.OrgKindOktaOrg {
		return []client.ListOption{client.InNamespace(obj.Namespace), key}
	}
	return []client.ListOption{key}
}

// policyKey identifies an Okta policy across bindings: its org and its ID.
func policyKey(obj *assurancev1alpha1.SignInRuleBinding, policyID string) string {
	return orgKeyOf(obj) + "/" + policyID
}

// checkPriority refuses to write when an earlier binding (by
// creationTimestamp, then namespace and name) asks for the same priority in
// the same policy: both would move the other's rule on every pass.
func (e *external) checkPriority(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding, policyID string) (outcome.Outcome, bool) {
	want := obj.Spec.Rule.Priority
	if want == nil || e.cache == nil {
		return outcome.Outcome{}, true
	}
	list := &assurancev1alpha1.SignInRuleBindingList{}
	if err := e.cache.List(ctx, list, sameOrg(obj)...); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, fmt.Errorf("list the bindings of the org: %w", err)), false
	}
	for i := range list.Items {
		other := &list.Items[i]
		if other.UID == obj.UID || !other.DeletionTimestamp.IsZero() || !samePolicy(other, obj, policyID) ||
			other.Spec.Rule.Priority == nil || *other.Spec.Rule.Priority != *want || !earlier(other, obj) {
			continue
		}
		return outcome.Waiting(ReasonPriorityConflict, fmt.Sprintf("SignInRuleBinding %s/%s already asks for priority %d in Okta policy %s; choose another spec.rule.priority",
			other.Namespace, other.Name, *want, policyID), conflictRecheck), false
	}
	return outcome.Outcome{}, true
}

// earlier orders bindings by creationTimestamp, then namespace and name.
func earlier(a, b *assurancev1alpha1.SignInRuleBinding) bool {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	}
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}

// samePolicy tells whether other writes to the policy obj resolved to
// policyID: by its recorded policy, or, before its first pass is recorded,
// by a spec that names the same policy.
func samePolicy(other, obj *assurancev1alpha1.SignInRuleBinding, policyID string) bool {
	if other.Status.PolicyID != "" {
		return other.Status.PolicyID == policyID
	}
	ref := other.Spec.Policy
	return ref.ID == policyID || (ref.Name != "" && ref.Name == obj.Spec.Policy.Name)
}

// bindingsSharingPriority maps a binding that is deleted or changes its
// spec to the other bindings of its org that ask for the same priority, so
// that one waiting in PriorityConflict proceeds as soon as it can.
func (e *external) bindingsSharingPriority(ctx context.Context, obj client.Object) []reconcile.Request {
	b, ok := obj.(*assurancev1alpha1.SignInRuleBinding)
	if !ok || b.Spec.Rule.Priority == nil {
		return nil
	}
	list := &assurancev1alpha1.SignInRuleBindingList{}
	if err := e.cache.List(ctx, list, sameOrg(b)...); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "list the bindings of an org")
		return nil
	}
	var same []reconcile.Request
	for _, other := range list.Items {
		if other.UID != b.UID && other.Spec.Rule.Priority != nil && *other.Spec.Rule.Priority == *b.Spec.Rule.Priority {
			same = append(same, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&other)})
		}
	}
	return same
}
