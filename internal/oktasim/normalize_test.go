package oktasim

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalizeDuration(t *testing.T) {
	tests := map[string]string{
		"P30D": "PT720H", "P7D": "PT168H", "P1W": "PT168H", "P1DT2H": "PT26H", "PT12H": "PT12H",
		"PT30M": "PT30M", "P1DT30M": "PT24H30M", "P1M": "P1M", "P1Y": "P1Y", "bogus": "bogus",
	}
	for in, want := range tests {
		if got := normalizeDuration(in); got != want {
			t.Errorf("normalizeDuration(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalOrder(t *testing.T) {
	got := canonicalOrder([]any{"FULL", "USER"}, diskEncryptionValues["ANDROID"])
	if !reflect.DeepEqual(got, []string{"USER", "FULL"}) {
		t.Errorf("got %v (tfprov-042 returns USER, FULL)", got)
	}
}

func TestValidateDeviceAssuranceTable(t *testing.T) {
	dyn := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return map[string]any{"dynamicVersionRequirement": m}
	}
	tests := []struct {
		name  string
		body  map[string]any
		cause string // substring of the first cause; empty means valid
	}{
		{"ios dynamic EXACT_ANY_SUPPORTED", map[string]any{"name": "n", "platform": "IOS",
			"osVersion": dyn("type", "EXACT_ANY_SUPPORTED", "latestSecurityPatch", true)}, ""},
		{"EXACT_ANY_SUPPORTED with distance", map[string]any{"name": "n", "platform": "IOS",
			"osVersion": dyn("type", "EXACT_ANY_SUPPORTED", "distanceFromLatestMajor", 0)}, "can't specify"},
		{"MINIMUM without distance", map[string]any{"name": "n", "platform": "ANDROID", "osVersion": dyn("type", "MINIMUM")}, "must be 0 or 1"},
		{"distance 2", map[string]any{"name": "n", "platform": "MACOS", "osVersion": dyn("type", "EXACT", "distanceFromLatestMajor", 2)}, "must be 0 or 1"},
		{"windows osVersion dynamic", map[string]any{"name": "n", "platform": "WINDOWS", "osVersion": dyn("type", "MINIMUM", "distanceFromLatestMajor", 0)}, "osVersionConstraints"},
		{"windows constraints", map[string]any{"name": "n", "platform": "WINDOWS", "osVersionConstraints": []any{
			map[string]any{"majorVersionConstraint": "WINDOWS_11", "minimum": "10.0.22000.0"},
			map[string]any{"majorVersionConstraint": "WINDOWS_10", "dynamicVersionRequirement": map[string]any{"type": "NOT_ALLOWED"}}}}, ""},
		{"windows duplicate major", map[string]any{"name": "n", "platform": "WINDOWS", "osVersionConstraints": []any{
			map[string]any{"majorVersionConstraint": "WINDOWS_11", "minimum": "1"},
			map[string]any{"majorVersionConstraint": "WINDOWS_11", "minimum": "2"}}}, "different major"},
		{"osVersion and constraints", map[string]any{"name": "n", "platform": "WINDOWS", "osVersion": map[string]any{"minimum": "10"},
			"osVersionConstraints": []any{map[string]any{"majorVersionConstraint": "WINDOWS_11", "minimum": "1"}}}, "both"},
		{"android disk encryption value", map[string]any{"name": "n", "platform": "ANDROID",
			"diskEncryptionType": map[string]any{"include": []any{"ALL_INTERNAL_VOLUMES"}}}, "is not one of"},
		{"chromeos dtc only (tfprov-056)", map[string]any{"name": "n", "platform": "CHROMEOS",
			"thirdPartySignalProviders": map[string]any{"dtc": map[string]any{"allowScreenLock": true}}}, ""},
		{"dtc on iOS", map[string]any{"name": "n", "platform": "IOS", "jailbreak": false,
			"thirdPartySignalProviders": map[string]any{"dtc": map[string]any{"osFirewall": true}}}, "not supported"},
		{"windows-only dtc field on macOS", map[string]any{"name": "n", "platform": "MACOS",
			"thirdPartySignalProviders": map[string]any{"dtc": map[string]any{"crowdStrikeAgentId": "x"}}}, "not supported"},
		{"screenLockComplexity without screenLockType", map[string]any{"name": "n", "platform": "ANDROID",
			"thirdPartySignalProviders": map[string]any{"androidDeviceTrust": map[string]any{"screenLockComplexity": "HIGH"}}}, "screenLockType"},
		{"callerContext false", map[string]any{"name": "n", "platform": "ANDROID", "jailbreak": false,
			"callerContext": map[string]any{"managedApp": false}}, "must be true"},
		{"grace period date", map[string]any{"name": "n", "platform": "IOS", "jailbreak": false,
			"gracePeriod": map[string]any{"type": "BY_DATE_TIME", "expiry": "2024-12-01T00:00:00.00Z"}}, ""},
		{"grace period bad duration", map[string]any{"name": "n", "platform": "IOS", "jailbreak": false,
			"gracePeriod": map[string]any{"type": "BY_DURATION", "expiry": "30 days"}}, "duration"},
		{"missing name", map[string]any{"platform": "IOS", "jailbreak": false}, "name"},
		{"unknown platform", map[string]any{"name": "n", "platform": "LINUX"}, "platform"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := validateDeviceAssurance(tc.body, func(string, string) bool { return true })
			switch {
			case tc.cause == "" && e != nil:
				t.Errorf("unexpected error %v", e.causes)
			case tc.cause != "" && e == nil:
				t.Errorf("accepted, want a cause containing %q", tc.cause)
			case tc.cause != "" && !strings.Contains(strings.Join(e.causes, "|"), tc.cause):
				t.Errorf("causes %v, want %q", e.causes, tc.cause)
			}
		})
	}
}
