package deviceassurance

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func TestDriftIgnoresOktasOwnRewrites(t *testing.T) {
	tests := []struct {
		name              string
		desired, observed string
		want              []string
	}{
		{"identical", `{"name":"a","platform":"IOS","jailbreak":false}`, `{"name":"a","platform":"IOS","jailbreak":false}`, nil},
		{"P30D comes back as PT720H (tfprov-051)",
			`{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"P30D"}}`,
			`{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"PT720H"},"displayRemediationMode":"HIDE"}`, nil},
		{"P1W equals P7D", `{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"P1W"}}`,
			`{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"PT168H"}}`, nil},
		{"a missing remediation mode is HIDE (docs/okta-api-behaviour.md, R4)", `{"name":"a","platform":"IOS","displayRemediationMode":"HIDE"}`,
			`{"name":"a","platform":"IOS"}`, nil},
		{"sets are reordered (docs/okta-api-behaviour.md, R8)",
			`{"name":"a","platform":"ANDROID","diskEncryptionType":{"include":["FULL","USER"]},"screenLockType":{"include":["PASSCODE","BIOMETRIC"]}}`,
			`{"name":"a","platform":"ANDROID","diskEncryptionType":{"include":["USER","FULL"]},"screenLockType":{"include":["BIOMETRIC","PASSCODE"]}}`, nil},
		{"Windows constraints in another order",
			`{"name":"a","platform":"WINDOWS","osVersionConstraints":[{"majorVersionConstraint":"WINDOWS_11","minimum":"10.0.22000.0"},{"majorVersionConstraint":"WINDOWS_10","minimum":"10.0.19045.0"}]}`,
			`{"name":"a","platform":"WINDOWS","osVersionConstraints":[{"majorVersionConstraint":"WINDOWS_10","minimum":"10.0.19045.0"},{"majorVersionConstraint":"WINDOWS_11","minimum":"10.0.22000.0"}]}`, nil},
		{"an out-of-band edit", `{"name":"a","platform":"IOS","jailbreak":false}`, `{"name":"a","platform":"IOS","jailbreak":true}`, []string{"jailbreak"}},
		{"a removed grace period", `{"name":"a","platform":"IOS"}`,
			`{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"PT720H"}}`, []string{"gracePeriod"}},
		{"a different duration", `{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"P30D"}}`,
			`{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"PT72H"}}`, []string{"gracePeriod"}},
		{"a date-time is compared as written", `{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DATE_TIME","expiry":"2026-12-01T00:00:00Z"}}`,
			`{"name":"a","platform":"IOS","gracePeriod":{"type":"BY_DATE_TIME","expiry":"2026-12-02T00:00:00Z"}}`, []string{"gracePeriod"}},
		{"a renamed policy", `{"name":"b","platform":"IOS"}`, `{"name":"a","platform":"IOS"}`, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var desired, observed okta.DeviceAssurance
			must(t, json.Unmarshal([]byte(tt.desired), &desired))
			must(t, json.Unmarshal([]byte(tt.observed), &observed))
			if got := drift(desired, observed); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("drift = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCanonicalDuration(t *testing.T) {
	for in, want := range map[string]string{
		"P30D": "PT2592000S", "PT720H": "PT2592000S", "P1W": "PT604800S", "PT90M": "PT5400S",
		"P1DT1H": "PT90000S", "P1M": "P1M", "P1Y": "P1Y", "2026-01-01T00:00:00Z": "2026-01-01T00:00:00Z",
	} {
		if got := canonicalDuration(in); got != want {
			t.Errorf("canonicalDuration(%q) = %q, want %q", in, got, want)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
