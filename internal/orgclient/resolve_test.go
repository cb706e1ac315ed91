package orgclient

import (
	"context"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func TestResolve(t *testing.T) {
	spec := tokenSpec("https://example.okta.com", "okta", "token")
	readyDefault := clusterOktaOrg(v1alpha1.DefaultOrgName, spec, nil)
	markReady(&readyDefault.Status)
	selective := clusterOktaOrg("selective", spec, &metav1.LabelSelector{MatchLabels: map[string]string{"okta": "yes"}})
	markReady(&selective.Status)
	notChecked := oktaOrg("team-a", "new", spec)
	stale := oktaOrg("team-a", "stale", spec)
	markReady(&stale.Status)
	stale.Generation = 2
	failing := oktaOrg("team-a", "failing", spec)
	failing.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionFalse,
		Reason: "Unauthorized", Message: "the org rejected the credentials"}}
	ready := oktaOrg("team-a", "ready", spec)
	markReady(&ready.Status)
	readyNoSecret := oktaOrg("team-b", "ready", spec)
	markReady(&readyNoSecret.Status)

	kc := newFakeClient(t,
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-a", Labels: map[string]string{"okta": "yes"}}},
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-b"}},
		secret("team-a", "okta", map[string]string{"token": plantedToken}),
		secret(operatorNamespace, "okta", map[string]string{"token": plantedToken}),
		readyDefault, selective, notChecked, stale, failing, ready, readyNoSecret)
	c := NewCache(kc, operatorNamespace)

	tests := []struct {
		name      string
		namespace string
		ref       *v1alpha1.OrgReference
		reason    string // "" when a client is expected
		message   string
	}{
		{"nil ref is the default ClusterOktaOrg", "team-b", nil, "", ""},
		{"ready OktaOrg", "team-a", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "ready"}, "", ""},
		{"selected namespace", "team-a", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindClusterOktaOrg, Name: "selective"}, "", ""},
		{"namespace not selected", "team-b", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindClusterOktaOrg, Name: "selective"},
			ReasonNamespaceNotSelected, "does not select namespace team-b"},
		{"missing OktaOrg", "team-a", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "nope"},
			ReasonOrgNotFound, "OktaOrg team-a/nope not found"},
		{"OktaOrg of another namespace", "team-b", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "new"},
			ReasonOrgNotFound, "OktaOrg team-b/new not found"},
		{"missing ClusterOktaOrg", "team-a", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindClusterOktaOrg, Name: "nope"},
			ReasonOrgNotFound, "ClusterOktaOrg nope not found"},
		{"not checked yet", "team-a", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "new"},
			ReasonOrgNotReady, "has not been checked yet"},
		{"checked an older generation", "team-a", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "stale"},
			ReasonOrgNotReady, "changed and has not been checked yet"},
		{"Ready False", "team-a", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "failing"},
			ReasonOrgNotReady, "Unauthorized: the org rejected the credentials"},
		{"Ready but its Secret is gone", "team-b", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "ready"},
			ReasonSecretNotFound, "Secret team-b/okta not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api, err := c.Resolve(context.Background(), tt.namespace, tt.ref)
			if tt.reason == "" {
				if err != nil || api == nil {
					t.Fatalf("Resolve = %v, %v; want a client", api, err)
				}
				return
			}
			var nr *NotReadyError
			if !errors.As(err, &nr) || !IsNotReady(err) || api != nil {
				t.Fatalf("Resolve = %v, %v; want a NotReadyError and no client", api, err)
			}
			if nr.Reason != tt.reason || !strings.Contains(nr.Message, tt.message) {
				t.Errorf("got %s: %q; want %s containing %q", nr.Reason, nr.Message, tt.reason, tt.message)
			}
			if strings.Contains(err.Error(), plantedToken) {
				t.Errorf("error leaks the token: %q", err)
			}
		})
	}
}

func TestResolveReadErrorIsNotNotReady(t *testing.T) {
	c := NewCache(failingReader{}, operatorNamespace)
	_, err := c.Resolve(context.Background(), "team-a", nil)
	if err == nil || IsNotReady(err) {
		t.Fatalf("err = %v; want a plain error to retry with backoff", err)
	}
}

type failingReader struct{ client.Reader }

func (failingReader) Get(context.Context, client.ObjectKey, client.Object, ...client.GetOption) error {
	return errors.New("apiserver unavailable")
}

func TestResolveRefusesAKindTheOrgHasNoScopeFor(t *testing.T) {
	const msg = "ClusterOktaOrg default was not granted okta.devicePostureChecks.manage, which DevicePostureCheck needs"
	org := clusterOktaOrg(v1alpha1.DefaultOrgName, tokenSpec("https://example.okta.com", "okta", "token"), nil)
	markReady(&org.Status)
	org.Status.Capabilities = []v1alpha1.OrgCapability{
		{Name: v1alpha1.CapabilityDeviceAssurancePolicy, Available: true},
		{Name: v1alpha1.CapabilityDevicePostureCheck, Available: false, MissingScope: "okta.devicePostureChecks.manage", Message: msg},
	}
	c := NewCache(newFakeClient(t, org, secret(operatorNamespace, "okta", map[string]string{"token": plantedToken})), operatorNamespace)
	ctx := context.Background()

	_, err := c.Resolve(WithCapability(ctx, v1alpha1.CapabilityDevicePostureCheck), "team-a", nil)
	var nr *NotReadyError
	if !errors.As(err, &nr) || nr.Reason != ReasonMissingScope || nr.Message != msg {
		t.Fatalf("a posture check through an org without its scope: %v", err)
	}
	for _, capability := range []v1alpha1.OrgCapabilityName{v1alpha1.CapabilityDeviceAssurancePolicy, v1alpha1.CapabilitySignInRuleBinding, ""} {
		if api, err := c.Resolve(WithCapability(ctx, capability), "team-a", nil); err != nil || api == nil {
			t.Errorf("%q: %v; an available or unlisted capability resolves", capability, err)
		}
	}
}
