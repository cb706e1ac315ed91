package orgclient

import (
	"context"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func TestClientConfigErrors(t *testing.T) {
	const ns = "team-a"
	oauthSpec := func(secretName string) v1alpha1.OktaOrgSpec {
		return v1alpha1.OktaOrgSpec{URL: "https://example.okta.com", OAuth: &v1alpha1.OAuthAuth{
			ClientID: "0oa1", PrivateKeySecretRef: v1alpha1.SecretKeyReference{Name: secretName, Key: "key.pem"}}}
	}
	caSpec := tokenSpec("https://example.okta.com", "okta", "token")
	caSpec.CABundle = "not a certificate " + plantedToken
	httpSpec := tokenSpec("http://127.0.0.1:8080", "okta", "token")
	tests := []struct {
		name   string
		spec   v1alpha1.OktaOrgSpec
		secret map[string]string
		reason string
		want   string
	}{
		{"no Secret", tokenSpec("https://example.okta.com", "missing", "token"), nil,
			ReasonSecretNotFound, "Secret team-a/missing not found"},
		{"no key", tokenSpec("https://example.okta.com", "okta", "other"), map[string]string{"token": plantedToken},
			ReasonSecretKeyMissing, `Secret team-a/okta has no key "other"`},
		{"empty key", tokenSpec("https://example.okta.com", "okta", "token"), map[string]string{"token": " \n"},
			ReasonSecretKeyMissing, `Secret team-a/okta has no key "token", or it is empty`},
		{"not a PEM key", oauthSpec("okta"), map[string]string{"key.pem": plantedToken},
			ReasonInvalidPrivateKey, `Secret team-a/okta key "key.pem": okta: no PEM block`},
		{"bad CA bundle", caSpec, map[string]string{"token": plantedToken},
			ReasonInvalidCABundle, "spec.caBundle holds no PEM certificate"},
		{"plain http not allowed", httpSpec, map[string]string{"token": plantedToken},
			ReasonInvalidSpec, "allowInsecureHTTP"},
	}
	local := ConnectionPolicy{AllowedHosts: append([]string{"127.0.0.1"}, DefaultAllowedHosts...)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs := []client.Object{}
			if tt.secret != nil {
				objs = append(objs, secret(ns, "okta", tt.secret))
			}
			c := NewCache(newFakeClient(t, objs...), operatorNamespace, WithConnectionPolicy(local))
			org, _ := c.View(oktaOrg(ns, "org", tt.spec))
			_, err := c.Client(context.Background(), org)
			ce, ok := AsConfigError(err)
			if !ok {
				t.Fatalf("err = %v, want a ConfigError", err)
			}
			if ce.Reason != tt.reason || !strings.Contains(ce.Message, tt.want) {
				t.Errorf("got %s: %q, want %s containing %q", ce.Reason, ce.Message, tt.reason, tt.want)
			}
			if strings.Contains(err.Error(), plantedToken) {
				t.Errorf("error leaks the Secret's value: %q", err)
			}
		})
	}
}

func TestClientIsReusedUntilSpecOrSecretChanges(t *testing.T) {
	ctx := context.Background()
	s := secret("team-a", "okta", map[string]string{"token": plantedToken})
	kc := newFakeClient(t, s)
	c := NewCache(kc, operatorNamespace)
	obj := oktaOrg("team-a", "org", tokenSpec("https://example.okta.com", "okta", "token"))
	org, _ := c.View(obj)

	first := mustClient(t, c, org)
	if again := mustClient(t, c, org); again != first {
		t.Error("unchanged org and Secret built a new client")
	}

	s.Data["token"] = []byte("rotated")
	if err := kc.Update(ctx, s); err != nil {
		t.Fatal(err)
	}
	rotated := mustClient(t, c, org)
	if rotated == first {
		t.Error("a rotated Secret kept the old client")
	}

	obj.Generation = 2
	org, _ = c.View(obj)
	if mustClient(t, c, org) == rotated {
		t.Error("a new generation kept the old client")
	}
}

func TestTransportsAreSharedBySameTLSSettings(t *testing.T) {
	kc := newFakeClient(t, secret("a", "okta", map[string]string{"token": "t1"}), secret("b", "okta", map[string]string{"token": "t2"}),
		secret(operatorNamespace, "okta", map[string]string{"token": "t3"}))
	c := NewCache(kc, operatorNamespace, WithConnectionPolicy(ConnectionPolicy{AllowInsecure: true}))
	for _, obj := range []client.Object{
		oktaOrg("a", "one", tokenSpec("https://one.okta.com", "okta", "token")),
		oktaOrg("b", "two", tokenSpec("https://two.okta.com", "okta", "token")),
	} {
		org, _ := c.View(obj)
		mustClient(t, c, org)
	}
	if len(c.transports) != 1 {
		t.Fatalf("two orgs with the system roots use %d transports, want 1", len(c.transports))
	}
	insecure := tokenSpec("https://three.okta.com", "okta", "token")
	insecure.InsecureSkipTLSVerify = true
	org, _ := c.View(clusterOktaOrg("three", insecure, nil))
	mustClient(t, c, org)
	if len(c.transports) != 2 {
		t.Fatalf("different TLS settings use %d transports, want 2", len(c.transports))
	}
	c.Forget(org.Kind, org.Key)
	if len(c.transports) != 1 {
		t.Errorf("after Forget, %d transports remain, want 1", len(c.transports))
	}
}

func TestOAuthClientFromPEM(t *testing.T) {
	kc := newFakeClient(t, secret(operatorNamespace, "oauth", map[string]string{"key.pem": ecKeyPEM(t)}))
	c := NewCache(kc, operatorNamespace)
	spec := v1alpha1.OktaOrgSpec{URL: "https://example.okta.com", OAuth: &v1alpha1.OAuthAuth{
		ClientID: "0oa1", PrivateKeySecretRef: v1alpha1.SecretKeyReference{Name: "oauth", Key: "key.pem"}}}
	org, _ := c.View(clusterOktaOrg("default", spec, nil))
	mustClient(t, c, org)
	if got := ExplicitScopes(org.Spec); got != nil {
		t.Errorf("without spec.oauth.scopes the client must use the default scopes, got %v", got)
	}
	org.Spec.OAuth.Scopes = []v1alpha1.OAuthScope{"okta.deviceAssurance.read", "okta.logs.read"}
	if got := ExplicitScopes(org.Spec); strings.Join(got, " ") != "okta.deviceAssurance.read okta.logs.read" {
		t.Errorf("explicit scopes = %v", got)
	}
}

func mustClient(t *testing.T, c *Cache, org Org) any {
	t.Helper()
	api, err := c.Client(context.Background(), org)
	if err != nil {
		t.Fatalf("Client(%s): %v", org, err)
	}
	return api
}

func TestSecretsAreReadWhereOrgsPoint(t *testing.T) {
	// cached stands for the manager's cache, which holds the operator
	// namespace's Secrets only; direct for its API reader.
	cached := newFakeClient(t, secret(operatorNamespace, "okta", map[string]string{"token": plantedToken}),
		secret("team-b", "okta", map[string]string{"token": plantedToken}))
	direct := newFakeClient(t, secret("team-a", "okta", map[string]string{"token": plantedToken}))
	c := NewCache(cached, operatorNamespace, WithOktaOrgSecretReader(direct))
	spec := tokenSpec("https://example.okta.com", "okta", "token")

	org, _ := c.View(oktaOrg("team-a", "org", spec))
	mustClient(t, c, org) // only direct has it
	org, _ = c.View(clusterOktaOrg("default", spec, nil))
	mustClient(t, c, org) // only cached has it

	org, _ = c.View(oktaOrg("team-b", "org", spec))
	_, err := c.Client(context.Background(), org)
	if ce, ok := AsConfigError(err); !ok || ce.Reason != ReasonSecretNotFound {
		t.Errorf("an OktaOrg's Secret read from the cache, not the direct reader: err = %v", err)
	}
}

func TestForbiddenSecret(t *testing.T) {
	const ns = "team-a"
	forbidden := interceptor.Funcs{Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
		if _, ok := obj.(*corev1.Secret); ok {
			return apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, key.Name,
				errors.New(`User "system:serviceaccount:okta-assurance-system:okta-assurance-controller-manager" cannot get resource "secrets" in API group "" in the namespace "team-a"`))
		}
		return c.Get(ctx, key, obj, opts...)
	}}
	obj := oktaOrg(ns, "org", tokenSpec("https://example.okta.com", "okta", "token"))
	markReady(&obj.Status)
	cached := newFakeClient(t, obj, secret(ns, "okta", map[string]string{"token": plantedToken}))
	direct := fake.NewClientBuilder().WithScheme(newScheme(t)).WithObjects(secret(ns, "okta", map[string]string{"token": plantedToken})).
		WithInterceptorFuncs(forbidden).Build()
	c := NewCache(cached, operatorNamespace, WithOktaOrgSecretReader(direct))

	org, _ := c.View(obj)
	_, err := c.Client(context.Background(), org)
	ce, ok := AsConfigError(err)
	if !ok || ce.Reason != ReasonSecretForbidden {
		t.Fatalf("err = %v; want a ConfigError %s", err, ReasonSecretForbidden)
	}
	for _, want := range []string{"Secret team-a/okta", "RoleBinding in team-a", "ClusterRole " + SecretReaderClusterRole, "cannot get resource"} {
		if !strings.Contains(ce.Message, want) {
			t.Errorf("message %q does not contain %q", ce.Message, want)
		}
	}
	if !IsSecretReason(ce.Reason) {
		t.Errorf("%s is not a Secret reason", ce.Reason)
	}

	_, err = c.Resolve(context.Background(), ns, &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "org"})
	var nr *NotReadyError
	if !errors.As(err, &nr) || nr.Reason != ReasonSecretForbidden {
		t.Errorf("Resolve = %v; want a NotReadyError %s", err, ReasonSecretForbidden)
	}
	if strings.Contains(err.Error(), plantedToken) {
		t.Errorf("error leaks the token: %q", err)
	}
}
