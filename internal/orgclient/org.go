package orgclient

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// Org is the kind-independent view of an OktaOrg or ClusterOktaOrg, so that
// one reconciler and one cache serve both kinds.
type Org struct {
	// Kind is OktaOrg or ClusterOktaOrg.
	Kind v1alpha1.OrgKind
	// Key is the object's name, and namespace for an OktaOrg.
	Key types.NamespacedName
	// UID and Generation identify the spec a client was built from; the UID
	// tells a re-created org (generation 1 again) from the old one.
	UID        types.UID
	Generation int64
	// SecretNamespace is where the org's Secrets are read from: the
	// OktaOrg's own namespace, or the operator's for a ClusterOktaOrg.
	SecretNamespace string
	// Spec is the connection spec.
	Spec *v1alpha1.OktaOrgSpec
	// NamespaceSelector limits a ClusterOktaOrg's users; nil selects all.
	NamespaceSelector *metav1.LabelSelector
	// Tenants are a ClusterOktaOrg's grants to namespaces.
	Tenants []v1alpha1.TenantGrant
	// Status points into the object, so that a reconciler can set it.
	Status *v1alpha1.OktaOrgStatus
}

// View returns the Org view of an *OktaOrg or *ClusterOktaOrg;
// clusterResourceNamespace is where a ClusterOktaOrg's Secrets live.
func View(obj client.Object, clusterResourceNamespace string) (Org, error) {
	switch o := obj.(type) {
	case *v1alpha1.OktaOrg:
		return Org{
			Kind: v1alpha1.OrgKindOktaOrg, Key: client.ObjectKeyFromObject(o), UID: o.UID, Generation: o.Generation,
			SecretNamespace: o.Namespace, Spec: &o.Spec, Status: &o.Status,
		}, nil
	case *v1alpha1.ClusterOktaOrg:
		return Org{
			Kind: v1alpha1.OrgKindClusterOktaOrg, Key: client.ObjectKeyFromObject(o), UID: o.UID, Generation: o.Generation,
			SecretNamespace: clusterResourceNamespace, Spec: &o.Spec.OktaOrgSpec,
			NamespaceSelector: o.Spec.NamespaceSelector, Tenants: o.Spec.Tenants, Status: &o.Status,
		}, nil
	default:
		return Org{}, fmt.Errorf("orgclient: %T is not an OktaOrg or ClusterOktaOrg", obj)
	}
}

// NewObject returns an empty object of kind.
func NewObject(kind v1alpha1.OrgKind) (client.Object, error) {
	switch kind {
	case v1alpha1.OrgKindOktaOrg:
		return &v1alpha1.OktaOrg{}, nil
	case v1alpha1.OrgKindClusterOktaOrg:
		return &v1alpha1.ClusterOktaOrg{}, nil
	default:
		return nil, fmt.Errorf("orgclient: unknown org kind %q", kind)
	}
}

// SecretRef returns the Secret key that holds the org's credential: the API
// token or the OAuth private key.
func SecretRef(spec *v1alpha1.OktaOrgSpec) (v1alpha1.SecretKeyReference, bool) {
	switch {
	case spec.APIToken != nil:
		return spec.APIToken.SecretRef, true
	case spec.OAuth != nil:
		return spec.OAuth.PrivateKeySecretRef, true
	default:
		return v1alpha1.SecretKeyReference{}, false
	}
}

// SecretNames returns the names of the Secrets the spec refers to; the
// controllers index orgs by them to react to Secret changes.
func SecretNames(spec *v1alpha1.OktaOrgSpec) []string {
	if ref, ok := SecretRef(spec); ok {
		return []string{ref.Name}
	}
	return nil
}

func (o Org) String() string {
	if o.Key.Namespace == "" {
		return fmt.Sprintf("%s %s", o.Kind, o.Key.Name)
	}
	return fmt.Sprintf("%s %s", o.Kind, o.Key)
}
