package okta

import (
	"context"
	"net/http"
	"testing"
)

const (
	daID     = "daekwr3rzajxbHUsN1d7"
	policyID = "rstvovweoyY2o0afX1d7"
	ruleID   = "rulvovweozNAcGlal1d7"
)

// windowsPolicy is desired state as a controller would build it.
var windowsPolicy = DeviceAssurance{
	Name:     "Windows",
	Platform: PlatformWindows,
	OSVersionConstraints: []OSVersionConstraint{
		{MajorVersionConstraint: "WINDOWS_11", DynamicVersionRequirement: &DynamicVersionRequirement{Type: "MINIMUM", DistanceFromLatestMajor: ptr(0), LatestSecurityPatch: ptr(true)}},
		{MajorVersionConstraint: "WINDOWS_10", DynamicVersionRequirement: &DynamicVersionRequirement{Type: "NOT_ALLOWED"}},
	},
	DiskEncryptionType:    &IncludeCondition{Include: []string{"ALL_INTERNAL_VOLUMES"}},
	SecureHardwarePresent: ptr(false),
	GracePeriod:           &GracePeriod{Type: "BY_DURATION", Expiry: "P30D"},
}

const windowsPolicyJSON = `{"name":"Windows","platform":"WINDOWS",
 "osVersionConstraints":[
  {"majorVersionConstraint":"WINDOWS_11","dynamicVersionRequirement":{"type":"MINIMUM","distanceFromLatestMajor":0,"latestSecurityPatch":true}},
  {"majorVersionConstraint":"WINDOWS_10","dynamicVersionRequirement":{"type":"NOT_ALLOWED"}}],
 "diskEncryptionType":{"include":["ALL_INTERNAL_VOLUMES"]},
 "secureHardwarePresent":false,
 "gracePeriod":{"type":"BY_DURATION","expiry":"P30D"}}`

// daResponse is a real create response (pysdk-001) with server-added fields.
const daResponse = `{"name":"Test Android Device Assurance Policy","platform":"ANDROID","id":"daeq6vypx52UDLS9D1d7",
 "osVersion":{"minimum":"11"},"jailbreak":false,"createdDate":"2025-09-18T17:40:15.000Z","createdBy":"00unkw1sfbTw08c0g1d7",
 "lastUpdate":"2025-09-18T17:40:15.000Z","lastUpdatedBy":"00unkw1sfbTw08c0g1d7","resourceType":"DeviceAssurancePolicyEntity",
 "resourceDisplayName":{"value":"Test Android Device Assurance Policy","sensitive":false},"resourceId":"daeq6vypx52UDLS9D1d7",
 "_links":{"self":{"href":"https://test.okta.com/api/v1/device-assurances/daeq6vypx52UDLS9D1d7","hints":{"allow":["GET","PUT","DELETE"]}}}}`

var assuranceRule = PolicyRule{
	Name:     "Managed devices",
	Priority: ptr(0),
	Conditions: &RuleConditions{
		Device:  &DeviceCondition{Registered: ptr(true), Managed: ptr(false), Assurance: &AssuranceCondition{Include: []string{daID}}},
		Network: &NetworkCondition{Connection: "ANYWHERE"},
	},
	Actions: &RuleActions{AppSignOn: &AppSignOnAction{
		Access: "ALLOW",
		VerificationMethod: &VerificationMethod{
			Type: VerificationAssurance, FactorMode: "2FA", ReauthenticateIn: "PT2H",
			Constraints: ConstraintList{{Knowledge: &KnowledgeConstraint{AuthenticatorConstraint{Types: []string{"password"}}}}},
		},
	}},
}

const assuranceRuleJSON = `{"name":"Managed devices","type":"ACCESS_POLICY","priority":0,
 "conditions":{"device":{"registered":true,"managed":false,"assurance":{"include":["daekwr3rzajxbHUsN1d7"]}},"network":{"connection":"ANYWHERE"}},
 "actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"2FA","reauthenticateIn":"PT2H",
  "constraints":[{"knowledge":{"types":["password"]}}]}}}}`

const ruleResponse = `{"id":"rulvovweozNAcGlal1d7","status":"ACTIVE","name":"Catch-all Rule","priority":99,"created":"2026-03-02T09:12:35.000Z",
 "lastUpdated":"2026-03-02T09:12:51.000Z","system":true,"conditions":null,"actions":{"appSignOn":{"access":"ALLOW",
 "verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H","constraints":[{"possession":{"required":false,"deviceBound":"REQUIRED"}}]},
 "keepMeSignedIn":{"postAuth":"NOT_ALLOWED"}}},"type":"ACCESS_POLICY"}`

var postureCheck = PostureCheck{
	Name: "Firewall", VariableName: "macOSFirewall", Platform: PlatformMacOS, Type: "CUSTOM", MappingType: "CHECKBOX",
	Query:               "SELECT 1;",
	RemediationSettings: &RemediationSettings{Message: &RemediationMessage{CustomText: "Enable the firewall"}},
}

const postureCheckJSON = `{"name":"Firewall","variableName":"macOSFirewall","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX",
 "query":"SELECT 1;","remediationSettings":{"message":{"customText":"Enable the firewall"}}}`

func TestEndpointsSendTheRightRequest(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		respond cannedResponse
		call    func(*Client) error
		method  string
		path    string
		query   string
		body    string // "" means no body
	}{
		{"list device assurances", ok(`[` + daResponse + `]`),
			func(c *Client) error { _, err := c.ListDeviceAssurances(ctx); return err },
			http.MethodGet, "/api/v1/device-assurances", "", ""},
		{"get device assurance", ok(daResponse),
			func(c *Client) error { _, err := c.GetDeviceAssurance(ctx, daID); return err },
			http.MethodGet, "/api/v1/device-assurances/" + daID, "", ""},
		{"create device assurance", ok(daResponse),
			func(c *Client) error { _, err := c.CreateDeviceAssurance(ctx, windowsPolicy); return err },
			http.MethodPost, "/api/v1/device-assurances", "", windowsPolicyJSON},
		{"replace device assurance", ok(daResponse),
			func(c *Client) error { _, err := c.ReplaceDeviceAssurance(ctx, daID, windowsPolicy); return err },
			http.MethodPut, "/api/v1/device-assurances/" + daID, "", windowsPolicyJSON},
		{"delete device assurance", status(http.StatusNoContent, ""),
			func(c *Client) error { return c.DeleteDeviceAssurance(ctx, daID) },
			http.MethodDelete, "/api/v1/device-assurances/" + daID, "", ""},
		{"id is path-escaped", status(http.StatusNoContent, ""),
			func(c *Client) error { return c.DeleteDeviceAssurance(ctx, "a/../b") },
			http.MethodDelete, "/api/v1/device-assurances/a%2F..%2Fb", "", ""},
		{"list posture checks", ok(`[]`),
			func(c *Client) error { _, err := c.ListPostureChecks(ctx); return err },
			http.MethodGet, "/api/v1/device-posture-checks", "", ""},
		{"list default posture checks", ok(`[]`),
			func(c *Client) error { _, err := c.ListDefaultPostureChecks(ctx); return err },
			http.MethodGet, "/api/v1/device-posture-checks/default", "", ""},
		{"get posture check", ok(`{"id":"dch3m8o4rWhwReDeM1c5"}`),
			func(c *Client) error { _, err := c.GetPostureCheck(ctx, "dch3m8o4rWhwReDeM1c5"); return err },
			http.MethodGet, "/api/v1/device-posture-checks/dch3m8o4rWhwReDeM1c5", "", ""},
		{"create posture check", ok(`{"id":"dch3m8o4rWhwReDeM1c5"}`),
			func(c *Client) error { _, err := c.CreatePostureCheck(ctx, postureCheck); return err },
			http.MethodPost, "/api/v1/device-posture-checks", "", postureCheckJSON},
		{"replace posture check", ok(`{"id":"dch3m8o4rWhwReDeM1c5"}`),
			func(c *Client) error {
				_, err := c.ReplacePostureCheck(ctx, "dch3m8o4rWhwReDeM1c5", postureCheck)
				return err
			},
			http.MethodPut, "/api/v1/device-posture-checks/dch3m8o4rWhwReDeM1c5", "", postureCheckJSON},
		{"delete posture check", status(http.StatusNoContent, ""),
			func(c *Client) error { return c.DeletePostureCheck(ctx, "dch3m8o4rWhwReDeM1c5") },
			http.MethodDelete, "/api/v1/device-posture-checks/dch3m8o4rWhwReDeM1c5", "", ""},
		{"list policies", ok(`[]`),
			func(c *Client) error {
				_, err := c.ListPolicies(ctx, PolicyListOptions{Type: PolicyTypeAccess, Q: "Okta Admin", Limit: 20})
				return err
			},
			http.MethodGet, "/api/v1/policies", "limit=20&q=Okta+Admin&type=ACCESS_POLICY", ""},
		{"get policy", ok(`{"id":"` + policyID + `","name":"p","type":"ACCESS_POLICY"}`),
			func(c *Client) error { _, err := c.GetPolicy(ctx, policyID); return err },
			http.MethodGet, "/api/v1/policies/" + policyID, "", ""},
		{"list rules", ok(`[` + ruleResponse + `]`),
			func(c *Client) error { _, err := c.ListPolicyRules(ctx, policyID); return err },
			http.MethodGet, "/api/v1/policies/" + policyID + "/rules", "", ""},
		{"get rule", ok(ruleResponse),
			func(c *Client) error { _, err := c.GetPolicyRule(ctx, policyID, ruleID); return err },
			http.MethodGet, "/api/v1/policies/" + policyID + "/rules/" + ruleID, "", ""},
		{"create active rule", ok(ruleResponse),
			func(c *Client) error { _, err := c.CreatePolicyRule(ctx, policyID, assuranceRule, true); return err },
			http.MethodPost, "/api/v1/policies/" + policyID + "/rules", "activate=true", assuranceRuleJSON},
		{"create inactive rule", ok(ruleResponse),
			func(c *Client) error { _, err := c.CreatePolicyRule(ctx, policyID, assuranceRule, false); return err },
			http.MethodPost, "/api/v1/policies/" + policyID + "/rules", "activate=false", assuranceRuleJSON},
		{"replace rule", ok(ruleResponse),
			func(c *Client) error { _, err := c.ReplacePolicyRule(ctx, policyID, ruleID, assuranceRule); return err },
			http.MethodPut, "/api/v1/policies/" + policyID + "/rules/" + ruleID, "", assuranceRuleJSON},
		{"delete rule", status(http.StatusNoContent, ""),
			func(c *Client) error { return c.DeletePolicyRule(ctx, policyID, ruleID) },
			http.MethodDelete, "/api/v1/policies/" + policyID + "/rules/" + ruleID, "", ""},
		{"activate rule", status(http.StatusNoContent, ""),
			func(c *Client) error { return c.ActivatePolicyRule(ctx, policyID, ruleID) },
			http.MethodPost, "/api/v1/policies/" + policyID + "/rules/" + ruleID + "/lifecycle/activate", "", ""},
		{"deactivate rule", status(http.StatusNoContent, ""),
			func(c *Client) error { return c.DeactivatePolicyRule(ctx, policyID, ruleID) },
			http.MethodPost, "/api/v1/policies/" + policyID + "/rules/" + ruleID + "/lifecycle/deactivate", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec, _ := newTestClient(t, tt.respond)
			if err := tt.call(c); err != nil {
				t.Fatal(err)
			}
			seen := rec.requests()
			if len(seen) != 1 {
				t.Fatalf("%d requests, want 1", len(seen))
			}
			got := seen[0]
			if got.Method != tt.method || got.Path != tt.path || got.RawQuery != tt.query {
				t.Errorf("sent %s %s?%s, want %s %s?%s", got.Method, got.Path, got.RawQuery, tt.method, tt.path, tt.query)
			}
			if got.Header.Get("Authorization") != "SSWS "+testToken {
				t.Errorf("Authorization header missing or wrong")
			}
			if got.Header.Get("Accept") != "application/json" || got.Header.Get("User-Agent") != DefaultUserAgent {
				t.Errorf("headers %v", got.Header)
			}
			if tt.body == "" {
				if len(got.Body) != 0 {
					t.Errorf("unexpected body %s", got.Body)
				}
				return
			}
			if got.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q", got.Header.Get("Content-Type"))
			}
			jsonEqual(t, got.Body, tt.body)
		})
	}
}

func TestResponsesDecodeReadOnlyFields(t *testing.T) {
	c, _, _ := newTestClient(t, ok(daResponse))
	got, err := c.GetDeviceAssurance(context.Background(), "daeq6vypx52UDLS9D1d7")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "daeq6vypx52UDLS9D1d7" || got.ResourceType != "DeviceAssurancePolicyEntity" ||
		got.CreatedDate == nil || got.Links["self"].Hints == nil || got.Platform != PlatformAndroid ||
		got.Jailbreak == nil || *got.Jailbreak || got.OSVersion.Minimum != "11" {
		t.Errorf("decoded %+v", got)
	}
	// The writable part re-encodes without any read-only field.
	body, err := encodeBody(got.DeviceAssurance)
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, body, `{"name":"Test Android Device Assurance Policy","platform":"ANDROID","osVersion":{"minimum":"11"},"jailbreak":false}`)
}
