package orgclient

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// Rights returns what namespace may do in the org ref names (nil: the
// ClusterOktaOrg "default"): everything in its own OktaOrg or in a
// ClusterOktaOrg without tenants entries, otherwise what the entries that
// select the namespace grant. A missing org grants everything here:
// Resolve reports it.
func (c *Cache) Rights(ctx context.Context, namespace string, ref *v1alpha1.OrgReference) (tenancy.Rights, error) {
	if ref == nil {
		ref = &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindClusterOktaOrg, Name: v1alpha1.DefaultOrgName}
	}
	name := describeRef(namespace, ref)
	org, err := c.getOrg(ctx, namespace, ref)
	switch {
	case apierrors.IsNotFound(err):
		return tenancy.Everything(name, namespace), nil
	case err != nil:
		return tenancy.Rights{}, err
	case org.Kind != v1alpha1.OrgKindClusterOktaOrg || len(org.Tenants) == 0:
		return tenancy.Everything(name, namespace), nil
	}
	var ns corev1.Namespace
	if err := c.reader.Get(ctx, types.NamespacedName{Name: namespace}, &ns); err != nil {
		return tenancy.Rights{}, fmt.Errorf("reading Namespace %s: %w", namespace, err)
	}
	return tenancy.Of(name, namespace, ns.Labels, org.Tenants), nil
}
