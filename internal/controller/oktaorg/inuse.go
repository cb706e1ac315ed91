package oktaorg

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// Finalizer keeps an org until no DeviceAssurancePolicy or SignInRuleBinding
// uses it: they need its credentials to delete their Okta objects, so an org
// deleted together with them (a whole folder, an Argo CD prune) must go last.
const Finalizer = "assurance.okta-operator.dev/org-in-use"

// inUseRecheck is how often an org being deleted looks for its users again.
const inUseRecheck = 5 * time.Second

// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs,verbs=update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs/finalizers;clusteroktaorgs/finalizers,verbs=update
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies;signinrulebindings,verbs=get;list;watch

// holdWhileUsed adds the finalizer to a live org, and releases a deleted
// org once nothing uses it. released is true when the org is gone for good
// and needs no check; users are what still hold a deleted org.
func (r *Reconciler) holdWhileUsed(ctx context.Context, obj client.Object) (released bool, users []string, err error) {
	if obj.GetDeletionTimestamp().IsZero() {
		if controllerutil.ContainsFinalizer(obj, Finalizer) {
			return false, nil, nil
		}
		before := obj.DeepCopyObject().(client.Object)
		controllerutil.AddFinalizer(obj, Finalizer)
		return false, nil, r.client.Patch(ctx, obj, client.MergeFrom(before))
	}
	if !controllerutil.ContainsFinalizer(obj, Finalizer) {
		return true, nil, nil
	}
	users, err = r.users(ctx, obj)
	if err != nil || len(users) > 0 {
		return false, users, err
	}
	before := obj.DeepCopyObject().(client.Object)
	controllerutil.RemoveFinalizer(obj, Finalizer)
	return true, nil, client.IgnoreNotFound(r.client.Patch(ctx, obj, client.MergeFrom(before)))
}

// users lists the objects that use the org, as "Kind namespace/name".
func (r *Reconciler) users(ctx context.Context, org client.Object) ([]string, error) {
	var opts []client.ListOption
	if r.kind == v1alpha1.OrgKindOktaOrg {
		opts = append(opts, client.InNamespace(org.GetNamespace()))
	}
	var users []string
	policies := &v1alpha1.DeviceAssurancePolicyList{}
	if err := r.client.List(ctx, policies, opts...); err != nil {
		return nil, err
	}
	for i := range policies.Items {
		if p := &policies.Items[i]; r.refersTo(p.Spec.OrgRef, org) {
			users = append(users, fmt.Sprintf("DeviceAssurancePolicy %s/%s", p.Namespace, p.Name))
		}
	}
	bindings := &v1alpha1.SignInRuleBindingList{}
	if err := r.client.List(ctx, bindings, opts...); err != nil {
		return nil, err
	}
	for i := range bindings.Items {
		if b := &bindings.Items[i]; r.refersTo(b.Spec.OrgRef, org) {
			users = append(users, fmt.Sprintf("SignInRuleBinding %s/%s", b.Namespace, b.Name))
		}
	}
	sort.Strings(users)
	return users, nil
}

// refersTo tells whether ref (nil: the ClusterOktaOrg "default") names org.
func (r *Reconciler) refersTo(ref *v1alpha1.OrgReference, org client.Object) bool {
	if ref == nil {
		ref = &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindClusterOktaOrg, Name: v1alpha1.DefaultOrgName}
	}
	return ref.Kind == r.kind && ref.Name == org.GetName()
}

func describeUsers(users []string) string {
	const shown = 5
	if len(users) > shown {
		return strings.Join(users[:shown], ", ") + fmt.Sprintf(" and %d more", len(users)-shown)
	}
	return strings.Join(users, ", ")
}
