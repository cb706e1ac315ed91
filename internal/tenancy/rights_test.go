package tenancy

import (
	"errors"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func team(name string) metav1.LabelSelector {
	return metav1.LabelSelector{MatchLabels: map[string]string{"team": name}}
}

var grants = []v1alpha1.TenantGrant{
	{Name: "payments", NamespaceSelector: team("payments"),
		SignInPolicies: []v1alpha1.SignInPolicyReference{{Name: "Payments App"}, {ID: "rstPAY"}},
		RulePriorities: &v1alpha1.PriorityBand{Min: 10, Max: 19},
		MaxObjects:     &v1alpha1.ObjectQuota{DeviceAssurancePolicies: ptr.To[int32](2)}},
	{Name: "payments-admin", NamespaceSelector: team("payments"), AllowAdoption: true,
		RulePriorities: &v1alpha1.PriorityBand{Min: 50, Max: 59},
		MaxObjects:     &v1alpha1.ObjectQuota{DeviceAssurancePolicies: ptr.To[int32](3)}},
	{Name: "security", NamespaceSelector: team("security"), AllowCatchAllRule: true, AllowPostureChecks: true, AllowDenyAccess: true,
		SignInPolicies: []v1alpha1.SignInPolicyReference{{Name: "Okta Dashboard"}}},
}

func TestRightsAreTheUnionOfTheGrantsThatSelectTheNamespace(t *testing.T) {
	payments := Of("ClusterOktaOrg shared", "team-a", map[string]string{"team": "payments"}, grants)
	security := Of("ClusterOktaOrg shared", "team-s", map[string]string{"team": "security"}, grants)
	stranger := Of("ClusterOktaOrg shared", "hostile", map[string]string{"team": "mallory"}, grants)
	everything := Of("ClusterOktaOrg shared", "solo", nil, nil)

	tests := []struct {
		name    string
		err     error
		refused string // a fragment of the message; empty: allowed
	}{
		{"payments: its own policy by name", payments.SignInPolicy(v1alpha1.SignInPolicyReference{Name: "Payments App"}), ""},
		{"payments: its own policy by id", payments.SignInPolicy(v1alpha1.SignInPolicyReference{ID: "rstPAY"}), ""},
		{"payments: the dashboard", payments.SignInPolicy(v1alpha1.SignInPolicyReference{Name: "Okta Dashboard"}), `name "Okta Dashboard" is not in signInPolicies`},
		{"payments: a name where the grant has an id", payments.SignInPolicy(v1alpha1.SignInPolicyReference{Name: "rstPAY"}), "signInPolicies"},
		{"payments: priority in the first band", payments.Priority(ptr.To[int32](12)), ""},
		{"payments: priority in the second band", payments.Priority(ptr.To[int32](55)), ""},
		{"payments: priority 0", payments.Priority(ptr.To[int32](0)), "priority 0 is outside rulePriorities 10–19, 50–59"},
		{"payments: no priority", payments.Priority(nil), "must set its priority"},
		{"payments: adoption from the second grant", payments.Adoption(), ""},
		{"payments: no Catch-all Rule", payments.CatchAllRule(), "allowCatchAllRule"},
		{"payments: no posture checks", payments.PostureChecks(), "allowPostureChecks"},
		{"payments: no DENY", payments.DenyAccess(), "allowDenyAccess"},
		{"payments: the third policy, the larger cap", payments.Quota(KindDeviceAssurancePolicy, 2), ""},
		{"payments: the fourth policy", payments.Quota(KindDeviceAssurancePolicy, 3), "maxObjects allows 3 DeviceAssurancePolicy objects, and this is number 4"},
		{"payments: bindings are not capped", payments.Quota(KindSignInRuleBinding, 100), ""},
		{"security: any priority", security.Priority(ptr.To[int32](0)), ""},
		{"security: no adoption", security.Adoption(), "allowAdoption"},
		{"security: Catch-all Rule, posture checks, DENY", errors.Join(security.CatchAllRule(), security.PostureChecks(), security.DenyAccess()), ""},
		{"a namespace no grant selects", stranger.Use(), "no tenants entry of ClusterOktaOrg shared selects namespace hostile"},
		{"a namespace no grant selects: no policy", stranger.SignInPolicy(v1alpha1.SignInPolicyReference{Name: "Payments App"}), "no tenants entry"},
		{"a namespace no grant selects: no band", stranger.Priority(ptr.To[int32](4)), "priority 4 is outside rulePriorities (none granted)"},
		{"no grants: everything", errors.Join(everything.Use(), everything.Adoption(), everything.Priority(ptr.To[int32](0)),
			everything.Quota(KindDeviceAssurancePolicy, 1000), everything.SignInPolicy(v1alpha1.SignInPolicyReference{Name: "Okta Dashboard"})), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			switch {
			case tt.refused == "" && tt.err != nil:
				t.Fatalf("refused: %v", tt.err)
			case tt.refused != "" && (tt.err == nil || !strings.Contains(tt.err.Error(), tt.refused)):
				t.Fatalf("err = %v, want a refusal containing %q", tt.err, tt.refused)
			}
		})
	}
	if err := payments.DenyAccess(); !strings.Contains(err.Error(), "(payments, payments-admin)") {
		t.Errorf("the refusal names the grants that select the namespace: %v", err)
	}
	if err := stranger.Use(); strings.Contains(err.Error(), "payments") {
		t.Errorf("a refusal never names grants of other namespaces: %v", err)
	}
}

func TestRateBudgetIsTheLargestShareOfTheGrantsThatSelectTheNamespace(t *testing.T) {
	shares := []v1alpha1.TenantGrant{
		{Name: "small", NamespaceSelector: team("a"), RateBudgetPercent: ptr.To[int32](10)},
		{Name: "larger", NamespaceSelector: team("a"), RateBudgetPercent: ptr.To[int32](25)},
		{Name: "capped", NamespaceSelector: team("b"), RateBudgetPercent: ptr.To[int32](10)},
		{Name: "uncapped", NamespaceSelector: team("b")},
	}
	for ns, want := range map[string]int{"a": 25, "b": 100} {
		if got := Of("ClusterOktaOrg shared", ns, map[string]string{"team": ns}, shares).RateBudgetPercent(); got != want {
			t.Errorf("namespace %s: RateBudgetPercent = %d, want %d", ns, got, want)
		}
	}
	if got := Everything("OktaOrg a/own", "a").RateBudgetPercent(); got != 100 {
		t.Errorf("an unrestricted namespace has a share of %d%%", got)
	}
}
