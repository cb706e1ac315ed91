package posturecheck

import (
	"encoding/json"
	"testing"

	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func TestDesiredCheckIsTheFullBody(t *testing.T) {
	tests := []struct {
		name, objName, spec string
		want                string
	}{
		{"the guide's request (docs/okta-api-behaviour.md §2), without Okta's nulls", "firewall", `
orgRef: {kind: OktaOrg, name: prod}
deletionPolicy: Orphan
name: Device posture check macOS
description: Query macOS devices to check if firewall is enabled
variableName: macOSFirewall
platform: MACOS
mappingType: CHECKBOX
query: SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;
remediationSettings:
  message: {customText: It is our company policy that all devices must have a firewall enabled.}
  link: {customUrl: example.myremediationurl.com/docs}`,
			`{"name":"Device posture check macOS","description":"Query macOS devices to check if firewall is enabled",
			 "variableName":"macOSFirewall","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX",
			 "query":"SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
			 "remediationSettings":{"message":{"customText":"It is our company policy that all devices must have a firewall enabled."},
			  "link":{"customUrl":"example.myremediationurl.com/docs"}}}`},
		{"name defaults to metadata.name", "os-version", `{variableName: osVersion, platform: WINDOWS, mappingType: TEXTBOX, query: "SELECT version FROM os_version;"}`,
			`{"name":"os-version","variableName":"osVersion","platform":"WINDOWS","type":"CUSTOM","mappingType":"TEXTBOX","query":"SELECT version FROM os_version;"}`},
		{"a message without a link", "m", `{variableName: v, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;", remediationSettings: {message: {customText: t}}}`,
			`{"name":"m","variableName":"v","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX","query":"SELECT 1;","remediationSettings":{"message":{"customText":"t"}}}`},
		{"empty remediation settings are left out", "e", `{variableName: v, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;", remediationSettings: {}}`,
			`{"name":"e","variableName":"v","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX","query":"SELECT 1;"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := &assurancev1alpha1.DevicePostureCheck{}
			obj.Name = tt.objName
			must(t, yaml.Unmarshal([]byte(tt.spec), &obj.Spec))
			got, err := json.Marshal(desiredCheck(obj))
			must(t, err)
			var gotMap, wantMap map[string]any
			must(t, json.Unmarshal(got, &gotMap))
			must(t, json.Unmarshal([]byte(tt.want), &wantMap))
			if !jsonEqual(gotMap, wantMap) {
				t.Errorf("body\n %s\nwant\n %s", got, tt.want)
			}
		})
	}
}

func jsonEqual(a, b map[string]any) bool {
	ra, errA := json.Marshal(a)
	rb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ra) == string(rb)
}
