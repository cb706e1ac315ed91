package fidelity_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktaspec"
	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

// TestClientAndSimulatorSpeakTheDocumentedAPI drives the client against the
// simulator through every operation the operator uses, with a transport
// that validates each request the client sends and each response the
// simulator returns against Okta's (corrected) OpenAPI document.
func TestClientAndSimulatorSpeakTheDocumentedAPI(t *testing.T) {
	transport, err := oktaspec.NewTransport(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := newSimClient(t, transport)

	createReplaceDeleteEveryFixture(t, c)
	guideFlow(t, c)

	n := transport.Checked()
	t.Logf("validated %d requests and their responses against Okta's OpenAPI document", n)
	if n < 150 {
		t.Errorf("only %d requests were validated", n)
	}
	for _, f := range transport.Findings() {
		t.Errorf("%s", f)
	}
}

func newSimClient(t *testing.T, transport http.RoundTripper) *okta.Client {
	t.Helper()
	org := oktasim.New(oktasim.Options{APITokens: []string{"fidelity-token"}, RateLimits: oktasim.RateLimits{Disabled: true}})
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	c, err := okta.New(okta.Config{
		OrgURL:      srv.URL,
		Credentials: okta.APIToken("fidelity-token"),
		HTTPClient:  &http.Client{Transport: transport},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// createReplaceDeleteEveryFixture sends every device assurance body that
// Okta documents or a real org accepted through the full lifecycle.
func createReplaceDeleteEveryFixture(t *testing.T, c *okta.Client) {
	t.Helper()
	ctx := t.Context()
	bodies, err := fixtures.DeviceAssuranceBodies()
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]bool{}
	for _, b := range bodies {
		if !b.Accepted {
			continue
		}
		var policy okta.DeviceAssurance
		if err := json.Unmarshal(b.Body, &policy); err != nil {
			t.Fatalf("%s: %v", b.Name, err)
		}
		createPostureChecks(t, c, policy, checks)
		created, err := c.CreateDeviceAssurance(ctx, policy)
		if err != nil {
			t.Fatalf("%s: create: %v", b.Name, err)
		}
		if _, err := c.ReplaceDeviceAssurance(ctx, created.ID, policy); err != nil {
			t.Fatalf("%s: replace: %v", b.Name, err)
		}
		if _, err := c.GetDeviceAssurance(ctx, created.ID); err != nil {
			t.Fatalf("%s: get: %v", b.Name, err)
		}
	}
	list, err := c.ListDeviceAssurances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if err := c.DeleteDeviceAssurance(ctx, p.ID); err != nil {
			t.Fatalf("delete %s: %v", p.ID, err)
		}
	}
	if _, err := c.GetDeviceAssurance(ctx, list[0].ID); !okta.IsNotFound(err) {
		t.Fatalf("get after delete: want not found, got %v", err)
	}
}

// guideFlow walks Okta's device assurance guide: create the iOS policy,
// edit it with a grace period, require it in an app sign-in rule, read the
// System Log, and see that a policy in use cannot be deleted.
func guideFlow(t *testing.T, c *okta.Client) {
	t.Helper()
	ctx := t.Context()
	var ios okta.DeviceAssurance
	mustUnmarshal(t, `{"name":"Device assurance iOS","osVersion":{"dynamicVersionRequirement":{"type":"EXACT_ANY_SUPPORTED","latestSecurityPatch":true}},"jailbreak":false,"platform":"IOS"}`, &ios)
	created, err := c.CreateDeviceAssurance(ctx, ios)
	if err != nil {
		t.Fatal(err)
	}
	mustUnmarshal(t, `{"name":"Device assurance iOS","osVersion":{"dynamicVersionRequirement":{"type":"EXACT_ANY_SUPPORTED","latestSecurityPatch":true}},"jailbreak":false,"platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"P30D"},"displayRemediationMode":"SHOW"}`, &ios)
	replaced, err := c.ReplaceDeviceAssurance(ctx, created.ID, ios)
	if err != nil {
		t.Fatal(err)
	}
	if replaced.GracePeriod == nil || replaced.GracePeriod.Expiry != "PT720H" {
		t.Errorf("grace period: want P30D back as PT720H (recordings tfprov-051), got %+v", replaced.GracePeriod)
	}

	policies, err := c.ListPolicies(ctx, okta.PolicyListOptions{Type: "ACCESS_POLICY"})
	if err != nil || len(policies) == 0 {
		t.Fatalf("list app sign-in policies: %v (%d)", err, len(policies))
	}
	policyID := policies[0].ID
	var rule okta.PolicyRule
	mustUnmarshal(t, strings.ReplaceAll(`{"name":"Device Assurance Rule","type":"ACCESS_POLICY","priority":1,
		"conditions":{"device":{"managed":true,"registered":true,"assurance":{"include":["DAE_ID"]}}},
		"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H",
		"constraints":[{"knowledge":{"types":["password"]}}]}}}}`, "DAE_ID", created.ID), &rule)
	r, err := c.CreatePolicyRule(ctx, policyID, rule, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReplacePolicyRule(ctx, policyID, r.ID, rule); err != nil {
		t.Fatal(err)
	}
	if err := c.DeactivatePolicyRule(ctx, policyID, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.ActivatePolicyRule(ctx, policyID, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListPolicyRules(ctx, policyID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteDeviceAssurance(ctx, created.ID); !okta.IsConflict(err) {
		t.Errorf("deleting a policy a rule uses: want conflict, got %v", err)
	}
	if err := c.DeletePolicyRule(ctx, policyID, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteDeviceAssurance(ctx, created.ID); err != nil {
		t.Fatal(err)
	}

	for _, eventType := range []string{"device.assurance.policy.add", "device.assurance.policy.update", "device.assurance.policy.delete"} {
		page, err := c.ListLogEvents(ctx, okta.LogQuery{Filter: `eventType eq "` + eventType + `"`, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Events) == 0 {
			t.Errorf("the System Log has no %s event", eventType)
		}
		for _, e := range page.Events {
			if e.EventType != eventType {
				t.Errorf("filter eventType eq %q returned a %s event", eventType, e.EventType)
			}
		}
	}
}

func createPostureChecks(t *testing.T, c *okta.Client, policy okta.DeviceAssurance, created map[string]bool) {
	t.Helper()
	if policy.DevicePostureChecks == nil {
		return
	}
	for _, req := range policy.DevicePostureChecks.Include {
		if created[req.VariableName] {
			continue
		}
		_, err := c.CreatePostureCheck(t.Context(), okta.PostureCheck{
			Name: req.VariableName, VariableName: req.VariableName, Platform: policy.Platform,
			Type: "CUSTOM", MappingType: "CHECKBOX", Query: "SELECT 1 AS passed;",
			Description: "Created by the fidelity test",
		})
		if err != nil {
			t.Fatalf("create posture check %s: %v", req.VariableName, err)
		}
		created[req.VariableName] = true
	}
}

func mustUnmarshal(t *testing.T, s string, into any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), into); err != nil {
		t.Fatal(err)
	}
}
