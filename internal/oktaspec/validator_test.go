package oktaspec

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestValidatorChecksSubtypeProperties proves the corrections make the
// validator strict where it matters: per-platform and per-type properties
// behind a discriminator are checked, and corrected values pass.
func TestValidatorChecksSubtypeProperties(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, body string
		wantErr          string
	}{
		{"iOS policy", "/api/v1/device-assurances",
			`{"name":"x","platform":"IOS","jailbreak":false,"osVersion":{"minimum":"17.4"}}`, ""},
		{"grace period in hours, as real orgs return it", "/api/v1/device-assurances",
			`{"name":"x","platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"PT720H"}}`, ""},
		{"iOS jailbreak is a boolean", "/api/v1/device-assurances",
			`{"name":"x","platform":"IOS","jailbreak":"no"}`, "/jailbreak"},
		{"dynamic requirement type is an enum", "/api/v1/device-assurances",
			`{"name":"x","platform":"MACOS","osVersion":{"dynamicVersionRequirement":{"type":"NOPE"}}}`, "/osVersion/dynamicVersionRequirement/type"},
		{"Windows constraint needs its major version", "/api/v1/device-assurances",
			`{"name":"x","platform":"WINDOWS","osVersionConstraints":[{"minimum":"10.0.22000.0"}]}`, "majorVersionConstraint"},
		{"unknown platform", "/api/v1/device-assurances", `{"name":"x","platform":"MARS"}`, `discriminator property "platform" has invalid value`},
		{"lower-case constraint types, as Okta's guide sends them", "/api/v1/policies/rst1/rules",
			`{"name":"x","type":"ACCESS_POLICY","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"2FA","constraints":[{"knowledge":{"types":["password"]}}]}}}}`, ""},
		{"constraint types are an enum", "/api/v1/policies/rst1/rules",
			`{"name":"x","type":"ACCESS_POLICY","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","constraints":[{"knowledge":{"types":["bogus"]}}]}}}}`, "/types/0"},
		{"access is ALLOW or DENY", "/api/v1/policies/rst1/rules",
			`{"name":"x","type":"ACCESS_POLICY","actions":{"appSignOn":{"access":"MAYBE"}}}`, "/appSignOn/access"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "https://example.okta.com"+tt.path, bytes.NewReader([]byte(tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			err = v.ValidateRequest(req, []byte(tt.body))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("valid body refused: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("invalid body accepted")
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error does not name %s: %v", tt.wantErr, err)
			}
		})
	}
}
