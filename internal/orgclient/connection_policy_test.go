package orgclient

import (
	"context"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"
)

func TestConnectionPolicyRefusesOrgsThatCouldTurnTheOperatorAgainstTheCluster(t *testing.T) {
	insecureHTTP := tokenSpec("http://example.okta.com", "okta", "token")
	insecureHTTP.AllowInsecureHTTP = true
	skipVerify := tokenSpec("https://example.okta.com", "okta", "token")
	skipVerify.InsecureSkipTLSVerify = true
	custom := ConnectionPolicy{AllowedHosts: []string{"login.example.com", "*.corp.example"}}
	tests := []struct {
		name   string
		policy ConnectionPolicy
		org    client.Object
		reason string // empty: allowed
	}{
		{"an Okta org", ConnectionPolicy{}, oktaOrg("team-a", "org", tokenSpec("https://acme.okta.com", "okta", "token")), ""},
		{"a preview org", ConnectionPolicy{}, oktaOrg("team-a", "org", tokenSpec("https://acme.oktapreview.com", "okta", "token")), ""},
		{"an EMEA org, upper case", ConnectionPolicy{}, oktaOrg("team-a", "org", tokenSpec("https://ACME.okta-emea.com", "okta", "token")), ""},
		{"an in-cluster service", ConnectionPolicy{}, oktaOrg("team-a", "org", tokenSpec("https://kubernetes.default.svc", "okta", "token")), ReasonHostNotAllowed},
		{"the link-local metadata address", ConnectionPolicy{}, oktaOrg("team-a", "org", tokenSpec("https://169.254.169.254", "okta", "token")), ReasonHostNotAllowed},
		{"a look-alike domain", ConnectionPolicy{}, oktaOrg("team-a", "org", tokenSpec("https://acme.okta.com.evil.example", "okta", "token")), ReasonHostNotAllowed},
		{"a suffix that is not a subdomain", ConnectionPolicy{}, oktaOrg("team-a", "org", tokenSpec("https://evilokta.com", "okta", "token")), ReasonHostNotAllowed},
		{"a custom domain the admin did not allow", ConnectionPolicy{}, oktaOrg("team-a", "org", tokenSpec("https://login.example.com", "okta", "token")), ReasonHostNotAllowed},
		{"a custom domain the admin allowed", custom, oktaOrg("team-a", "org", tokenSpec("https://login.example.com", "okta", "token")), ""},
		{"a subdomain the admin allowed", custom, oktaOrg("team-a", "org", tokenSpec("https://sso.corp.example", "okta", "token")), ""},
		{"Okta's domains once the admin lists others", custom, oktaOrg("team-a", "org", tokenSpec("https://acme.okta.com", "okta", "token")), ReasonHostNotAllowed},
		{"plain HTTP without the flag", ConnectionPolicy{}, oktaOrg("team-a", "org", insecureHTTP), ReasonInsecureNotAllowed},
		{"no TLS verification without the flag", ConnectionPolicy{}, clusterOktaOrg("default", skipVerify, nil), ReasonInsecureNotAllowed},
		{"no TLS verification with the flag", ConnectionPolicy{AllowInsecure: true}, clusterOktaOrg("default", skipVerify, nil), ""},
		{"an OktaOrg in the operator's namespace", ConnectionPolicy{}, oktaOrg(operatorNamespace, "org", tokenSpec("https://acme.okta.com", "okta", "token")), ReasonOperatorNamespace},
		{"an OktaOrg with namespaced orgs off", ConnectionPolicy{DisableNamespacedOrgs: true}, oktaOrg("team-a", "org", tokenSpec("https://acme.okta.com", "okta", "token")), ReasonNamespacedOrgsDisabled},
		{"a ClusterOktaOrg with namespaced orgs off", ConnectionPolicy{DisableNamespacedOrgs: true}, clusterOktaOrg("default", tokenSpec("https://acme.okta.com", "okta", "token"), nil), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kc := newFakeClient(t, secret("team-a", "okta", map[string]string{"token": plantedToken}),
				secret(operatorNamespace, "okta", map[string]string{"token": plantedToken}))
			c := NewCache(kc, operatorNamespace, WithConnectionPolicy(tt.policy))
			org, err := c.View(tt.org)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Client(context.Background(), org)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			ce, ok := AsConfigError(err)
			if !ok || ce.Reason != tt.reason {
				t.Fatalf("err = %v, want a ConfigError %s", err, tt.reason)
			}
			if strings.Contains(err.Error(), plantedToken) {
				t.Errorf("error leaks the Secret: %v", err)
			}
		})
	}
}

func TestIsOktaHost(t *testing.T) {
	for host, want := range map[string]bool{"acme.okta.com": true, "acme.okta.com.": true, "okta.com": false, "127.0.0.1": false, "acme.okta.mil": true} {
		if got := IsOktaHost(host); got != want {
			t.Errorf("IsOktaHost(%q) = %v, want %v", host, got, want)
		}
	}
}
