package oktasim

import (
	"strings"
	"testing"
)

func macOSFirewallCheck() map[string]any {
	return map[string]any{"name": "Device posture check macOS", "description": "Query macOS devices to check if firewall is enabled",
		"variableName": "macOSFirewall", "platform": "MACOS", "type": "CUSTOM", "mappingType": "CHECKBOX",
		"query": "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
		"remediationSettings": map[string]any{
			"message": map[string]any{"defaultI18nKey": nil, "customText": "It is our company policy that all devices must have a firewall enabled."},
			"link":    map[string]any{"defaultUrl": nil, "customUrl": "example.myremediationurl.com/docs"}}}
}

func TestPostureChecksAndInUseDelete(t *testing.T) {
	o := newTestOrg(t, Options{})
	created := o.do("POST", "/api/v1/device-posture-checks", macOSFirewallCheck())
	mustStatus(t, created, 200)
	pcID := created.object()["id"].(string)
	if !strings.HasPrefix(pcID, "dch") || !idPattern.MatchString(pcID) {
		t.Errorf("posture check id %q", pcID)
	}
	assertError(t, o.do("POST", "/api/v1/device-posture-checks", macOSFirewallCheck()), 400, "E0000001", "Api validation failed: variableName")

	defaults := o.do("GET", "/api/v1/device-posture-checks/default", nil)
	mustStatus(t, defaults, 200)
	for _, d := range defaults.array() {
		if d.(map[string]any)["type"] != "BUILTIN" {
			t.Errorf("default check %v is not BUILTIN", d)
		}
	}
	// A DA using the check (the posture-checks guide's macOS example).
	da := o.do("POST", "/api/v1/device-assurances", map[string]any{"name": "Device assurance macOS", "platform": "MACOS",
		"osVersion": map[string]any{"minimum": "14.4"}, "diskEncryptionType": map[string]any{"include": []any{"ALL_INTERNAL_VOLUMES"}},
		"screenLockType": map[string]any{"include": []any{"BIOMETRIC", "PASSCODE"}}, "secureHardwarePresent": true,
		"devicePostureChecks":    map[string]any{"include": []any{map[string]any{"variableName": "macOSFirewall", "value": "1"}}},
		"displayRemediationMode": "SHOW"})
	mustStatus(t, da, 200)
	assertError(t, o.do("POST", "/api/v1/device-assurances", map[string]any{"name": "x", "platform": "WINDOWS",
		"osVersion":           map[string]any{"minimum": "10.0.19045.0"},
		"devicePostureChecks": map[string]any{"include": []any{map[string]any{"variableName": "macOSFirewall", "value": "1"}}}}),
		400, "E0000001", "Api validation failed: devicePostureChecks")

	assertError(t, o.do("DELETE", "/api/v1/device-posture-checks/"+pcID, nil), 409, "", "Device posture check is in use and can't be deleted.")
	mustStatus(t, o.do("DELETE", "/api/v1/device-assurances/"+da.object()["id"].(string), nil), 204)
	mustStatus(t, o.do("DELETE", "/api/v1/device-posture-checks/"+pcID, nil), 204)
	assertError(t, o.do("GET", "/api/v1/device-posture-checks/"+pcID, nil), 404, "E0000007", "")

	logs := o.do("GET", "/api/v1/logs?filter="+`eventType+sw+"device.posture.check"`, nil)
	if got := eventTypes(logs); strings.Join(got, ",") != "device.posture.check.add,device.posture.check.delete" {
		t.Errorf("posture check events %v", got)
	}
}
