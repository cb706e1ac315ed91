package oktaorg

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

func oauthOrg(scopes ...v1alpha1.OAuthScope) orgclient.Org {
	return orgclient.Org{Kind: v1alpha1.OrgKindClusterOktaOrg, Key: types.NamespacedName{Name: "default"}, SecretNamespace: "okta-system",
		Spec: &v1alpha1.OktaOrgSpec{URL: "https://example.okta.com", OAuth: &v1alpha1.OAuthAuth{ClientID: "0oaapp", Scopes: scopes,
			PrivateKeySecretRef: v1alpha1.SecretKeyReference{Name: "app", Key: "key.pem"}}}}
}

func TestCapabilitiesOf(t *testing.T) {
	denied := []okta.AccessDenial{{Method: "POST", Path: "/api/v1/policies/rst1/rules", Bucket: okta.BucketAPIv1}}
	got := capabilitiesOf(oauthOrg(), okta.Grants{Granted: []string{okta.ScopeDeviceAssuranceManage, okta.ScopePoliciesManage},
		Refused: []string{okta.ScopeDevicePostureChecksManage, okta.ScopeLogsRead}}, denied, true)
	byName := map[v1alpha1.OrgCapabilityName]v1alpha1.OrgCapability{}
	for _, c := range got {
		byName[c.Name] = c
	}
	if c := byName[v1alpha1.CapabilityDeviceAssurancePolicy]; !c.Available || c.MissingScope != "" || c.Message != "" {
		t.Errorf("DeviceAssurancePolicy: %+v", c)
	}
	if c := byName[v1alpha1.CapabilityDevicePostureCheck]; c.Available || c.MissingScope != okta.ScopeDevicePostureChecksManage ||
		c.Message != "ClusterOktaOrg default was not granted okta.devicePostureChecks.manage, which DevicePostureCheck needs: "+
			"grant it to the service app 0oaapp (Okta Admin Console > Applications > Applications > the app > Okta API Scopes); "+
			"the org's next check picks it up" {
		t.Errorf("DevicePostureCheck: %+v", c)
	}
	if c := byName[v1alpha1.CapabilityDriftDetection]; c.Available || c.MissingScope != okta.ScopeLogsRead ||
		!strings.Contains(c.Message, "the System Log is not read") {
		t.Errorf("DriftDetection: %+v", c)
	}
	if c := byName[v1alpha1.CapabilitySignInRuleBinding]; !c.Available ||
		!strings.Contains(c.Message, "Okta refused POST /api/v1/policies/rst1/rules with 403 E0000006: the admin role of the service app 0oaapp lacks the permission") {
		t.Errorf("SignInRuleBinding: %+v", c)
	}

	explicit := capabilitiesOf(oauthOrg("okta.deviceAssurance.manage"), okta.Grants{Granted: []string{okta.ScopeDeviceAssuranceManage}, Explicit: true}, nil, true)
	if c := explicit[1]; c.Available || !strings.HasPrefix(c.Message, "spec.oauth.scopes of ClusterOktaOrg default does not list okta.policies.manage") {
		t.Errorf("explicit scopes: %+v", c)
	}

	token := orgclient.Org{Kind: v1alpha1.OrgKindClusterOktaOrg, Key: types.NamespacedName{Name: "default"}, SecretNamespace: "okta-system",
		Spec: &v1alpha1.OktaOrgSpec{APIToken: &v1alpha1.APITokenAuth{SecretRef: v1alpha1.SecretKeyReference{Name: "okta", Key: "token"}}}}
	for _, c := range capabilitiesOf(token, okta.Grants{}, nil, true) {
		if !c.Available || c.MissingScope != "" || c.Message != "" {
			t.Errorf("an API token serves everything: %+v", c)
		}
	}
}

// TestCapabilitiesWithoutDriftDetection: an app kept without okta.logs.read
// on purpose (drift detection off for the org or the manager) is not
// reported as missing it.
func TestCapabilitiesWithoutDriftDetection(t *testing.T) {
	grants := okta.Grants{Granted: []string{okta.ScopeDeviceAssuranceManage, okta.ScopePoliciesManage, okta.ScopeDevicePostureChecksManage},
		Refused: []string{okta.ScopeLogsRead}}
	for _, c := range capabilitiesOf(oauthOrg(), grants, nil, false) {
		if !c.Available || c.MissingScope != "" || c.Message != "" {
			t.Errorf("with the System Log not read, nothing is missing: %+v", c)
		}
	}
	org := oauthOrg()
	org.Spec.DriftDetection = &v1alpha1.DriftDetection{Mode: v1alpha1.DriftDetectionOff}
	r := &Reconciler{}
	if r.logsRead(org) {
		t.Error("an org with spec.driftDetection.mode Off has its System Log read")
	}
	if r.logsRead(oauthOrg()) != true || (&Reconciler{opts: Options{DriftWatchOff: true}}).logsRead(oauthOrg()) {
		t.Error("logsRead follows the manager's watcher")
	}
}

func TestClassifyTellsAMissingScopeFromAMissingRole(t *testing.T) {
	now := time.Now()
	refused := &okta.APIError{Class: okta.ClassForbidden, Method: "POST", Path: "/oauth2/v1/token", StatusCode: 400,
		ErrorCode: "invalid_scope", ErrorSummary: "The following scopes are not granted to the client: okta.deviceAssurance.manage",
		MissingScope: okta.ScopeDeviceAssuranceManage}
	got := classify(refused, oauthOrg(), now)
	if got.reason != ReasonMissingScope || got.action != actionStallRecheck ||
		!strings.HasPrefix(got.message, "ClusterOktaOrg default was not granted okta.deviceAssurance.manage, which the operator needs for every kind") {
		t.Errorf("required scope refused: %+v", got)
	}
	got = classify(refused, oauthOrg("okta.deviceAssurance.manage", "okta.logs.read"), now)
	if got.reason != ReasonMissingScope || !strings.Contains(got.message, "spec.oauth.scopes") {
		t.Errorf("explicit scope refused: %+v", got)
	}
	role := &okta.APIError{Class: okta.ClassForbidden, Method: "GET", Path: "/api/v1/device-assurances", StatusCode: 403, ErrorCode: okta.CodeAccessDenied}
	got = classify(role, oauthOrg(), now)
	if got.reason != ReasonForbidden || !strings.Contains(got.message, "the admin role of the service app 0oaapp lacks the permission to list device assurance policies") {
		t.Errorf("role: %+v", got)
	}
	if got := classify(errors.Join(role), oauthOrg(), now); got.reason != ReasonForbidden {
		t.Errorf("wrapped: %+v", got)
	}
}

func TestCapabilityEvents(t *testing.T) {
	missing := v1alpha1.OrgCapability{Name: v1alpha1.CapabilityDevicePostureCheck, MissingScope: "okta.devicePostureChecks.manage", Message: "not granted"}
	granted := v1alpha1.OrgCapability{Name: v1alpha1.CapabilityDevicePostureCheck, Available: true}
	denied := v1alpha1.OrgCapability{Name: v1alpha1.CapabilityDevicePostureCheck, Available: true, Message: "Okta refused POST"}
	tests := []struct {
		name       string
		prev, next []v1alpha1.OrgCapability
		want       []readyTransition
	}{
		{"first check without a scope", nil, []v1alpha1.OrgCapability{missing},
			[]readyTransition{{corev1.EventTypeWarning, ReasonMissingScope, "not granted"}}},
		{"still without it", []v1alpha1.OrgCapability{missing}, []v1alpha1.OrgCapability{missing}, nil},
		{"granted", []v1alpha1.OrgCapability{missing}, []v1alpha1.OrgCapability{granted},
			[]readyTransition{{corev1.EventTypeNormal, ReasonCapabilityAvailable, "DevicePostureCheck is available: the access token holds okta.devicePostureChecks.manage"}}},
		{"a role refusal", []v1alpha1.OrgCapability{granted}, []v1alpha1.OrgCapability{denied},
			[]readyTransition{{corev1.EventTypeWarning, ReasonAdminRoleLacksPermission, "Okta refused POST"}}},
		{"nothing changed", []v1alpha1.OrgCapability{granted}, []v1alpha1.OrgCapability{granted}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, capabilityEvents(tt.prev, tt.next), cmp.AllowUnexported(readyTransition{})); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}
