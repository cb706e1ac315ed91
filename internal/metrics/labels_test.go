package metrics

import (
	"fmt"
	"testing"
)

func TestEndpointLabelsAreAFixedSet(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/device-assurances":                                                           "/api/v1/device-assurances",
		"/api/v1/device-assurances/dae3m8o4rWhwReDeM1c5":                                      "/api/v1/device-assurances/{id}",
		"/api/v1/device-posture-checks/default":                                               "/api/v1/device-posture-checks/default",
		"/api/v1/policies/rst7xus97faIAgmti1d7/rules/rul2jy7jLUlnO3ng00g4":                    "/api/v1/policies/{id}/rules/{id}",
		"/api/v1/policies/rst7xus97faIAgmti1d7/rules/rul2jy7jLUlnO3ng00g4/lifecycle/activate": "/api/v1/policies/{id}/rules/{id}/lifecycle/activate",
		"/api/v1/logs":                            "/api/v1/logs",
		"/oauth2/v1/token":                        "/oauth2/v1/token",
		"/api/v1/policies/not-an-id/anything":     OtherLabel,
		"/api/v1/users/00u1/whatever-a-link-says": OtherLabel,
	} {
		if got := Endpoint(path); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestOrgLabelsAreBounded(t *testing.T) {
	var orgs boundedLabel // as orgLabels, which other tests use
	var last string
	for i := range maxLabelValues + 10 {
		last = orgs.value(fmt.Sprintf("OktaOrg tenant-%d/org", i))
	}
	if last != OtherLabel {
		t.Errorf("the %dth org got its own label %q", maxLabelValues+10, last)
	}
	if got := orgs.value("OktaOrg tenant-0/org"); got != "OktaOrg tenant-0/org" {
		t.Errorf("an org seen first keeps its label: %q", got)
	}
}
