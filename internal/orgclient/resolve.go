package orgclient

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Resolver gives controllers an Okta client for the org an object refers to.
type Resolver interface {
	// Resolve returns the client for ref (nil ref = the ClusterOktaOrg "default") as used from namespace.
	// When the org is missing, not Ready, a ClusterOktaOrg whose namespaceSelector does not select
	// namespace, or Ready without the OAuth scope of the capability WithCapability put in ctx, it
	// returns a *NotReadyError (Kind, Name, Reason, Message) and no client.
	Resolve(ctx context.Context, namespace string, ref *v1alpha1.OrgReference) (okta.API, error)
}

// Resolve implements Resolver. Errors other than *NotReadyError are
// failures to read from the API server, worth a retry with backoff.
func (c *Cache) Resolve(ctx context.Context, namespace string, ref *v1alpha1.OrgReference) (okta.API, error) {
	if ref == nil {
		ref = &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindClusterOktaOrg, Name: v1alpha1.DefaultOrgName}
	}
	notReady := func(reason, format string, args ...any) error {
		return &NotReadyError{Kind: string(ref.Kind), Name: ref.Name, Reason: reason, Message: fmt.Sprintf(format, args...)}
	}
	org, err := c.getOrg(ctx, namespace, ref)
	if apierrors.IsNotFound(err) {
		return nil, notReady(ReasonOrgNotFound, "%s not found", describeRef(namespace, ref))
	}
	if err != nil {
		return nil, err
	}
	if selected, err := c.selects(ctx, org.NamespaceSelector, namespace); err != nil {
		return nil, err
	} else if !selected {
		return nil, notReady(ReasonNamespaceNotSelected, "the namespaceSelector of ClusterOktaOrg %s does not select namespace %s", ref.Name, namespace)
	}
	if err := c.Claim(ctx, org); err != nil {
		if conflict, ok := AsShardConflict(err); ok {
			return nil, notReady(ReasonServedByAnotherShard, "%s", conflict.Error())
		}
		return nil, err
	}
	if ready, msg := isReady(org); !ready {
		return nil, notReady(ReasonOrgNotReady, "%s", msg)
	}
	if capability, unavailable := org.Status.Unavailable(CapabilityFrom(ctx)); unavailable {
		return nil, notReady(ReasonMissingScope, "%s", capability.Message)
	}
	e, err := c.entry(ctx, org)
	if ce, ok := AsConfigError(err); ok {
		// The org was Ready, but its Secret changed since; its controller
		// is about to say so too.
		return nil, notReady(ce.Reason, "%s", ce.Message)
	}
	if err != nil {
		return nil, err
	}
	id := orgID{kind: org.Kind, key: org.Key}
	if !c.enforceCapacity {
		return c.snapshots.wrap(id, org.Spec.URL, e.api), nil
	}
	return c.snapshots.wrap(id, org.Spec.URL, &governed{api: e.client, gate: e.api.gate, enforce: true, percent: int(org.Spec.CapacityPercent), now: c.now}), nil
}

func (c *Cache) getOrg(ctx context.Context, namespace string, ref *v1alpha1.OrgReference) (Org, error) {
	obj, err := NewObject(ref.Kind)
	if err != nil {
		return Org{}, &NotReadyError{Kind: string(ref.Kind), Name: ref.Name, Reason: ReasonInvalidSpec, Message: err.Error()}
	}
	key := types.NamespacedName{Name: ref.Name}
	if ref.Kind == v1alpha1.OrgKindOktaOrg {
		key.Namespace = namespace
	}
	if err := c.reader.Get(ctx, key, obj); err != nil {
		return Org{}, err
	}
	return c.View(obj)
}

// selects reports whether selector (nil: everything) selects namespace.
func (c *Cache) selects(ctx context.Context, selector *metav1.LabelSelector, namespace string) (bool, error) {
	if selector == nil {
		return true, nil
	}
	sel, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil {
		return false, nil //nolint:nilerr // an invalid selector selects nothing; the API server validates it anyway
	}
	var ns corev1.Namespace
	if err := c.reader.Get(ctx, types.NamespacedName{Name: namespace}, &ns); err != nil {
		return false, fmt.Errorf("reading Namespace %s: %w", namespace, err)
	}
	return sel.Matches(labels.Set(ns.Labels)), nil
}

// isReady tells whether the org's controller verified its current spec.
func isReady(org Org) (bool, string) {
	cond := apimeta.FindStatusCondition(org.Status.Conditions, v1alpha1.ConditionReady)
	switch {
	case cond == nil:
		return false, fmt.Sprintf("%s has not been checked yet", org)
	case cond.Status != metav1.ConditionTrue:
		return false, fmt.Sprintf("%s: %s: %s", org, cond.Reason, cond.Message)
	case org.Status.ObservedGeneration != org.Generation:
		return false, fmt.Sprintf("%s changed and has not been checked yet", org)
	default:
		return true, ""
	}
}

func describeRef(namespace string, ref *v1alpha1.OrgReference) string {
	if ref.Kind == v1alpha1.OrgKindOktaOrg {
		return fmt.Sprintf("OktaOrg %s/%s", namespace, ref.Name)
	}
	return fmt.Sprintf("ClusterOktaOrg %s", ref.Name)
}
