package export

import (
	"strings"
	"testing"
)

func TestDNSName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Device assurance iOS", "device-assurance-ios"},
		{"Okta Dashboard Device Assurance Rule", "okta-dashboard-device-assurance-rule"},
		{"  --Rule5-updatedTF-23/02/26--", "rule5-updatedtf-23-02-26"},
		{"Überprüfung: macOS ≥ 14", "berpr-fung-macos-14"},
		{"ÄÖÜ", "fallback"},
		{"", "fallback"},
		{strings.Repeat("a", 70), strings.Repeat("a", 63)},
		{strings.Repeat("a", 62) + " b", strings.Repeat("a", 62)},
	} {
		if got := dnsName(tt.in, "fallback"); got != tt.want {
			t.Errorf("dnsName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	reqs := []nameRequest{
		{ID: "dae1", Base: "device-assurance", Qualifier: "ios"},
		{ID: "dae2", Base: "device-assurance", Qualifier: "android"},
		{ID: "dae3", Base: "mac", Qualifier: "macos"},
		{ID: "daeB", Base: "windows", Qualifier: "windows"},
		{ID: "daeA", Base: "windows", Qualifier: "windows"},
		// A base equal to another's qualified name keeps it.
		{ID: "dae4", Base: "device-assurance-ios", Qualifier: "ios"},
	}
	want := map[string]string{
		"dae1": "device-assurance-ios-2",
		"dae2": "device-assurance-android",
		"dae3": "mac",
		"daeA": "windows-daea",
		"daeB": "windows-daeb",
		"dae4": "device-assurance-ios",
	}
	check := func(got map[string]string) {
		t.Helper()
		for id, name := range want {
			if got[id] != name {
				t.Errorf("%s: got %q, want %q", id, got[id], name)
			}
		}
	}
	check(uniqueNames(reqs))
	// The names do not depend on the order the org lists its objects in.
	reversed := make([]nameRequest, len(reqs))
	for i, r := range reqs {
		reversed[len(reqs)-1-i] = r
	}
	check(uniqueNames(reversed))
}

func TestUniqueNamesFitLongBases(t *testing.T) {
	base := strings.Repeat("x", 63)
	got := uniqueNames([]nameRequest{{ID: "rulA", Base: base}, {ID: "rulB", Base: base}})
	for id, name := range got {
		if len(name) > maxNameLength || strings.HasSuffix(name, "-") {
			t.Errorf("%s: %q is not a DNS-1123 label", id, name)
		}
	}
	if got["rulA"] == got["rulB"] {
		t.Errorf("both are named %q", got["rulA"])
	}
}
