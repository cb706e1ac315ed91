package export

import (
	"encoding/json"
	"testing"

	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/posturecheck"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func TestPostureCheckSpec(t *testing.T) {
	for _, tt := range []struct {
		name, okta, want string
	}{{
		name: "the guide's check, with Okta's read-only fields",
		okta: `{"id":"dch3m8o4rWhwReDeM1c5","name":"Device posture check macOS","description":"Query macOS devices to check if firewall is enabled",
			"variableName":"macOSFirewall","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX",
			"query":"SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
			"remediationSettings":{"message":{"customText":"It is our company policy that all devices must have a firewall enabled.","defaultI18nKey":null},
			"link":{"customUrl":"https://intranet.example.com/docs/firewall","defaultUrl":null}},
			"createdDate":"2025-09-18T17:40:15.000Z","createdBy":"00unkw1sfbTw08c0g1d7","_links":{"self":{"href":"https://example.okta.com/api/v1/device-posture-checks/dch3m8o4rWhwReDeM1c5"}}}`,
		want: `{name: Device posture check macOS, description: Query macOS devices to check if firewall is enabled,
			variableName: macOSFirewall, platform: MACOS, mappingType: CHECKBOX,
			query: "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
			remediationSettings: {message: {customText: It is our company policy that all devices must have a firewall enabled.},
			link: {customUrl: "https://intranet.example.com/docs/firewall"}}}`,
	}, {
		name: "a WINDOWS text box check without remediation: Okta's nulls and empty objects are left out",
		okta: `{"name":"Build","variableName":"winBuild","platform":"WINDOWS","type":"CUSTOM","mappingType":"TEXTBOX",
			"query":"SELECT build FROM os_version;","remediationSettings":{"message":{"customText":null},"link":{}}}`,
		want: `{name: Build, variableName: winBuild, platform: WINDOWS, mappingType: TEXTBOX, query: "SELECT build FROM os_version;"}`,
	}, {
		name: "only a remediation link",
		okta: `{"name":"Disk","variableName":"macDisk","platform":"MACOS","mappingType":"CHECKBOX","query":"SELECT 1;",
			"remediationSettings":{"link":{"customUrl":"https://example.com/disk"}}}`,
		want: `{name: Disk, variableName: macDisk, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;",
			remediationSettings: {link: {customUrl: "https://example.com/disk"}}}`,
	}} {
		t.Run(tt.name, func(t *testing.T) {
			var observed okta.PostureCheckResponse
			if err := json.Unmarshal([]byte(tt.okta), &observed); err != nil {
				t.Fatal(err)
			}
			got := PostureCheckSpec(observed.PostureCheck)
			var want assurancev1alpha1.DevicePostureCheckSpec
			if err := yaml.UnmarshalStrict([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			assertSameYAML(t, want, got)
			obj := &assurancev1alpha1.DevicePostureCheck{Spec: got}
			if fields := posturecheck.Drift(obj, observed.PostureCheck); len(fields) > 0 {
				t.Errorf("applying the exported spec would change %v", fields)
			}
		})
	}
}

func TestIsCustom(t *testing.T) {
	for typ, want := range map[string]bool{"": true, "CUSTOM": true, "BUILTIN": false} {
		if got := isCustom(okta.PostureCheck{Type: typ}); got != want {
			t.Errorf("isCustom(type %q) = %v", typ, got)
		}
	}
}
