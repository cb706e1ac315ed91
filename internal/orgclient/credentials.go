package orgclient

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// secretValue is one key of a Secret and the version it was read at.
type secretValue struct {
	data    []byte
	uid     types.UID
	version string
}

// readSecretKey reads ref from the org's Secret namespace: an OktaOrg's
// with the OktaOrg Secret reader (a direct GET), a ClusterOktaOrg's with the
// Cache's reader (the manager's cache of the operator's namespace). Errors
// name the Secret and key, never the data.
func (c *Cache) readSecretKey(ctx context.Context, org Org, ref v1alpha1.SecretKeyReference) (secretValue, error) {
	namespace, reader := org.SecretNamespace, c.reader
	if org.Kind == v1alpha1.OrgKindOktaOrg {
		reader = c.oktaOrgSecrets
	}
	var secret corev1.Secret
	err := reader.Get(ctx, types.NamespacedName{Namespace: namespace, Name: ref.Name}, &secret)
	switch {
	case apierrors.IsNotFound(err):
		return secretValue{}, configErrorf(ReasonSecretNotFound, "Secret %s/%s not found", namespace, ref.Name)
	case apierrors.IsForbidden(err) && org.Kind == v1alpha1.OrgKindOktaOrg:
		// The API server's message names the operator's identity and the
		// namespace, never a Secret's content.
		return secretValue{}, configErrorf(ReasonSecretForbidden,
			"the operator may not read Secret %s/%s (%v); to allow it, an owner of namespace %s creates a RoleBinding in %s "+
				"that binds the ClusterRole %s to the operator's service account",
			namespace, ref.Name, err, namespace, namespace, SecretReaderClusterRole)
	case apierrors.IsForbidden(err):
		return secretValue{}, configErrorf(ReasonSecretForbidden,
			"the operator may not read Secret %s/%s: its Role in namespace %s (config/rbac) is missing or not bound to it",
			namespace, ref.Name, namespace)
	case err != nil:
		return secretValue{}, fmt.Errorf("reading Secret %s/%s: %w", namespace, ref.Name, err)
	}
	data, ok := secret.Data[ref.Key]
	if !ok || len(strings.TrimSpace(string(data))) == 0 {
		return secretValue{}, configErrorf(ReasonSecretKeyMissing, "Secret %s/%s has no key %q, or it is empty", namespace, ref.Name, ref.Key)
	}
	return secretValue{data: data, uid: secret.UID, version: secret.ResourceVersion}, nil
}

// credentials builds the okta credentials from the value of the org's Secret key.
func credentials(org Org, ref v1alpha1.SecretKeyReference, value []byte) (okta.Credentials, error) {
	if org.Spec.APIToken != nil {
		// A trailing newline is what `kubectl create secret --from-file`
		// leaves; it is never part of a token.
		return okta.APIToken(strings.TrimSpace(string(value))), nil
	}
	oauth := org.Spec.OAuth
	key, err := okta.ParsePrivateKeyPEM(value)
	if err != nil {
		// ParsePrivateKeyPEM's errors never quote key material.
		return nil, configErrorf(ReasonInvalidPrivateKey, "Secret %s/%s key %q: %v", org.SecretNamespace, ref.Name, ref.Key, err)
	}
	switch key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
	default:
		return nil, configErrorf(ReasonInvalidPrivateKey, "Secret %s/%s key %q: a %T is not an RSA or EC private key",
			org.SecretNamespace, ref.Name, ref.Key, key)
	}
	return okta.PrivateKeyJWT{ClientID: oauth.ClientID, KeyID: oauth.KeyID, PrivateKey: key, Scopes: ExplicitScopes(org.Spec)}, nil
}

// ExplicitScopes returns spec.oauth.scopes, requested as they are; nil
// when the org uses the default scopes, or an API token.
func ExplicitScopes(spec *v1alpha1.OktaOrgSpec) []string {
	if spec.OAuth == nil || len(spec.OAuth.Scopes) == 0 {
		return nil
	}
	out := make([]string, 0, len(spec.OAuth.Scopes))
	for _, s := range spec.OAuth.Scopes {
		out = append(out, string(s))
	}
	return out
}
