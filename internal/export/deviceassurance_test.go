package export

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

// The policies as Okta returns them, one or more per platform, and the
// spec each exports to: what Okta adds (HIDE, hours, its list order,
// read-only fields) is gone, and the spec round-trips to no change.
func TestPolicySpec(t *testing.T) {
	for _, tt := range []struct {
		name, okta, want string
	}{{
		name: "ANDROID with Okta's read-only fields and its HIDE default",
		okta: `{"id":"daeq6vypx52UDLS9D1d7","name":"Test Android","platform":"ANDROID","osVersion":{"minimum":"11"},"jailbreak":false,
			"displayRemediationMode":"HIDE","createdDate":"2025-09-18T17:40:15.000Z","createdBy":"00unkw1sfbTw08c0g1d7",
			"resourceType":"DeviceAssurancePolicyEntity","resourceDisplayName":{"value":"Test Android","sensitive":false},"resourceId":"daeq6vypx52UDLS9D1d7",
			"_links":{"self":{"href":"https://example.okta.com/api/v1/device-assurances/daeq6vypx52UDLS9D1d7"}}}`,
		want: `{name: Test Android, platform: ANDROID, osVersion: {minimum: "11"}, jailbreak: false}`,
	}, {
		name: "ANDROID with Android Device Trust, its sets in Okta's order",
		okta: `{"name":"Android trust","platform":"ANDROID","osVersion":{"dynamicVersionRequirement":{"type":"MINIMUM","distanceFromLatestMajor":0,"latestSecurityPatch":false}},
			"diskEncryptionType":{"include":["USER","FULL"]},"screenLockType":{"include":["PASSCODE","BIOMETRIC"]},"secureHardwarePresent":true,
			"thirdPartySignalProviders":{"androidDeviceTrust":{"deviceIntegrityLevel":"MEETS_STRONG_INTEGRITY","screenLockComplexity":"HIGH","requireMajorVersionUpdate":true}},
			"callerContext":{"managedApp":true}}`,
		want: `{name: Android trust, platform: ANDROID,
			osVersion: {dynamicVersionRequirement: {type: MINIMUM, distanceFromLatestMajor: 0, latestSecurityPatch: false}},
			diskEncryptionType: {include: [FULL, USER]}, screenLockType: {include: [BIOMETRIC, PASSCODE]}, secureHardwarePresent: true,
			thirdPartySignalProviders: {androidDeviceTrust: {deviceIntegrityLevel: MEETS_STRONG_INTEGRITY, screenLockComplexity: HIGH, requireMajorVersionUpdate: true}},
			callerContext: {managedApp: true}}`,
	}, {
		name: "IOS, the guide's policy: P30D came back as PT720H",
		okta: `{"id":"dae3m8o4rWhwReDeM1c5","name":"Device assurance iOS","platform":"IOS",
			"osVersion":{"dynamicVersionRequirement":{"type":"EXACT_ANY_SUPPORTED","latestSecurityPatch":true}},"jailbreak":false,
			"gracePeriod":{"type":"BY_DURATION","expiry":"PT720H"},"displayRemediationMode":"SHOW"}`,
		want: `{name: Device assurance iOS, platform: IOS, osVersion: {dynamicVersionRequirement: {type: EXACT_ANY_SUPPORTED, latestSecurityPatch: true}},
			jailbreak: false, gracePeriod: {type: BY_DURATION, expiry: P30D}, displayRemediationMode: SHOW}`,
	}, {
		name: "IOS with a grace period of hours and one until a date",
		okta: `{"name":"iOS hours","platform":"IOS","screenLockType":{"include":["BIOMETRIC"]},"gracePeriod":{"type":"BY_DURATION","expiry":"PT36H"}}`,
		want: `{name: iOS hours, platform: IOS, screenLockType: {include: [BIOMETRIC]}, gracePeriod: {type: BY_DURATION, expiry: PT36H}}`,
	}, {
		name: "MACOS with posture checks required by variableName, sorted",
		okta: `{"name":"Mac","platform":"MACOS","osVersion":{"minimum":"14.4"},"diskEncryptionType":{"include":["ALL_INTERNAL_VOLUMES"]},
			"secureHardwarePresent":true,"screenLockType":{"include":["PASSCODE"]},
			"devicePostureChecks":{"include":[{"variableName":"macOSFirewall","value":"1"},{"variableName":"macFileVault","value":"1"}]},
			"gracePeriod":{"type":"BY_DATE_TIME","expiry":"2026-12-01T00:00:00.000Z"}}`,
		want: `{name: Mac, platform: MACOS, osVersion: {minimum: "14.4"}, diskEncryptionType: {include: [ALL_INTERNAL_VOLUMES]},
			secureHardwarePresent: true, screenLockType: {include: [PASSCODE]},
			devicePostureChecks: {include: [{variableName: macFileVault, value: "1"}, {variableName: macOSFirewall, value: "1"}]},
			gracePeriod: {type: BY_DATE_TIME, expiry: "2026-12-01T00:00:00.000Z"}}`,
	}, {
		name: "MACOS with Chrome Device Trust",
		okta: `{"name":"Mac DTC","platform":"MACOS","thirdPartySignalProviders":{"dtc":{"browserVersion":{"minimum":"120.0.6099.109"},
			"keyTrustLevel":"CHROME_BROWSER_HW_KEY","osFirewall":true,"osVersion":{"minimum":"14.4.1"},"screenLockSecured":true}}}`,
		want: `{name: Mac DTC, platform: MACOS, thirdPartySignalProviders: {dtc: {browserVersion: {minimum: "120.0.6099.109"},
			keyTrustLevel: CHROME_BROWSER_HW_KEY, osFirewall: true, osVersion: {minimum: "14.4.1"}, screenLockSecured: true}}}`,
	}, {
		name: "WINDOWS with osVersionConstraints in Okta's order",
		okta: `{"name":"Windows","platform":"WINDOWS","osVersionConstraints":[
			{"majorVersionConstraint":"WINDOWS_11","dynamicVersionRequirement":{"type":"MINIMUM","distanceFromLatestMajor":0,"latestSecurityPatch":true}},
			{"majorVersionConstraint":"WINDOWS_10","dynamicVersionRequirement":{"type":"NOT_ALLOWED"}}],
			"diskEncryptionType":{"include":["ALL_INTERNAL_VOLUMES"]},"secureHardwarePresent":true,"screenLockType":{"include":["PASSCODE","BIOMETRIC"]},
			"thirdPartySignalProviders":{"dtc":{"antivirusEnabled":true,"secureBootEnabled":true,"crowdStrikeCustomerId":"cid","windowsMachineDomain":"corp.example.com"}},
			"displayRemediationMode":"SHOW"}`,
		want: `{name: Windows, platform: WINDOWS, osVersionConstraints: [
			{majorVersionConstraint: WINDOWS_10, dynamicVersionRequirement: {type: NOT_ALLOWED}},
			{majorVersionConstraint: WINDOWS_11, dynamicVersionRequirement: {type: MINIMUM, distanceFromLatestMajor: 0, latestSecurityPatch: true}}],
			diskEncryptionType: {include: [ALL_INTERNAL_VOLUMES]}, secureHardwarePresent: true, screenLockType: {include: [BIOMETRIC, PASSCODE]},
			thirdPartySignalProviders: {dtc: {antivirusEnabled: true, secureBootEnabled: true, crowdStrikeCustomerId: cid, windowsMachineDomain: corp.example.com}},
			displayRemediationMode: SHOW}`,
	}, {
		name: "WINDOWS with a static minimum",
		okta: `{"name":"Windows static","platform":"WINDOWS","osVersion":{"minimum":"10.0.22631.3155"}}`,
		want: `{name: Windows static, platform: WINDOWS, osVersion: {minimum: "10.0.22631.3155"}}`,
	}, {
		name: "CHROMEOS with Chrome Device Trust and a device posture IdP",
		okta: `{"name":"ChromeOS","platform":"CHROMEOS","thirdPartySignalProviders":{
			"dtc":{"allowScreenLock":true,"managedDevice":true,"keyTrustLevel":"CHROME_OS_VERIFIED_MODE","osVersion":{"minimum":"120.0.6099.235"}},
			"devicePostureIdP":{"compliant":true,"managed":true}},"displayRemediationMode":"HIDE"}`,
		want: `{name: ChromeOS, platform: CHROMEOS, thirdPartySignalProviders: {
			dtc: {allowScreenLock: true, managedDevice: true, keyTrustLevel: CHROME_OS_VERIFIED_MODE, osVersion: {minimum: "120.0.6099.235"}},
			devicePostureIdP: {compliant: true, managed: true}}}`,
	}} {
		t.Run(tt.name, func(t *testing.T) {
			var observed okta.DeviceAssuranceResponse
			if err := json.Unmarshal([]byte(tt.okta), &observed); err != nil {
				t.Fatal(err)
			}
			got, err := PolicySpec(observed.DeviceAssurance)
			if err != nil {
				t.Fatal(err)
			}
			var want assurancev1alpha1.DeviceAssurancePolicySpec
			if err := yaml.UnmarshalStrict([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			assertSameYAML(t, want, got)
			assertPolicyRoundTrips(t, got, observed.DeviceAssurance)
		})
	}
}

func TestReadableDuration(t *testing.T) {
	for in, want := range map[string]string{
		"PT720H": "P30D", "P30D": "P30D", "P1W": "P7D", "PT36H": "PT36H", "PT90M": "PT90M", "PT1H30M": "PT90M",
		"PT61S": "PT61S", "PT0S": "PT0S", "P1M": "P1M", "P1Y2D": "P1Y2D", "nonsense": "nonsense",
	} {
		if got := readableDuration(in); got != want {
			t.Errorf("readableDuration(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every device assurance policy that a real org answered with, on every
// platform, exports to a spec that its controller finds equal to it.
func TestPolicySpecOfEveryRecordedPolicy(t *testing.T) {
	recordings, err := fixtures.Recordings()
	if err != nil {
		t.Fatal(err)
	}
	platforms := map[okta.Platform]int{}
	for _, r := range recordings {
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Path, "/api/v1/device-assurances") || r.Method == http.MethodDelete {
			continue
		}
		for i, observed := range decodeOneOrMany[okta.DeviceAssuranceResponse](t, r.Name, r.ResponseBody) {
			spec, err := PolicySpec(observed.DeviceAssurance)
			if err != nil {
				t.Errorf("%s[%d]: %v", r.Name, i, err)
				continue
			}
			assertPolicyRoundTrips(t, spec, observed.DeviceAssurance)
			platforms[observed.Platform]++
		}
	}
	for _, p := range []okta.Platform{okta.PlatformAndroid, okta.PlatformChromeOS, okta.PlatformIOS, okta.PlatformMacOS, okta.PlatformWindows} {
		if platforms[p] == 0 {
			t.Errorf("no recorded %s policy was exported", p)
		}
	}
}

func assertPolicyRoundTrips(t *testing.T, spec assurancev1alpha1.DeviceAssurancePolicySpec, observed okta.DeviceAssurance) {
	t.Helper()
	obj := &assurancev1alpha1.DeviceAssurancePolicy{Spec: spec}
	obj.Name = "exported"
	fields, err := deviceassurance.Drift(obj, nil, observed)
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) > 0 {
		t.Errorf("%q: applying the exported spec would change %v", observed.Name, fields)
	}
}

// assertSameYAML compares two values by their YAML, which says where they
// differ.
func assertSameYAML(t *testing.T, want, got any) {
	t.Helper()
	w, err := yaml.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	g, err := yaml.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(w) != string(g) {
		t.Errorf("got:\n%s\nwant:\n%s", g, w)
	}
}

// decodeOneOrMany decodes a response body that is one object or a list.
func decodeOneOrMany[T any](t *testing.T, name string, raw json.RawMessage) []T {
	t.Helper()
	trimmed := strings.TrimSpace(string(raw))
	if strings.HasPrefix(trimmed, "[") {
		var many []T
		if err := json.Unmarshal(raw, &many); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return many
	}
	if !strings.HasPrefix(trimmed, "{") {
		return nil
	}
	var one T
	if err := json.Unmarshal(raw, &one); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return []T{one}
}
