package posturecheck

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// guideBody is the guide's macOS check as the operator sends it.
const guideBody = `{"name":"Device posture check macOS","description":"Query macOS devices to check if firewall is enabled",
 "variableName":"macOSFirewall","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX",
 "query":"SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
 "remediationSettings":{"message":{"customText":"Enable the firewall."},"link":{"customUrl":"example.myremediationurl.com/docs"}}}`

func TestDriftIgnoresWhatOktaOwns(t *testing.T) {
	tests := []struct {
		name              string
		desired, observed string
		want              []string
	}{
		{"identical", guideBody, guideBody, nil},
		{"Okta's response with read-only fields and default nulls (docs/okta-api-behaviour.md §2)", guideBody,
			`{"id":"dch3m8o4rWhwReDeM1c5","name":"Device posture check macOS","description":"Query macOS devices to check if firewall is enabled",
			 "variableName":"macOSFirewall","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX",
			 "query":"SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
			 "remediationSettings":{"message":{"defaultI18nKey":null,"customText":"Enable the firewall."},"link":{"defaultUrl":null,"customUrl":"example.myremediationurl.com/docs"}},
			 "createdDate":"2019-10-02T18:03:07.000Z","createdBy":"00u217pyf72CdUrBt1c5","lastUpdate":"2019-10-02T18:03:07.000Z",
			 "lastUpdatedBy":"00u217pyf72CdUrBt1c5","_links":{"self":{"href":"https://x.okta.com/api/v1/device-posture-checks/dch3m8o4rWhwReDeM1c5"}}}`, nil},
		{"no remediation: Okta's nulls and empty objects",
			`{"name":"a","variableName":"v","platform":"WINDOWS","type":"CUSTOM","mappingType":"TEXTBOX","query":"SELECT 1;"}`,
			`{"name":"a","variableName":"v","platform":"WINDOWS","type":"CUSTOM","mappingType":"TEXTBOX","query":"SELECT 1;","description":null,
			 "remediationSettings":{"message":{"defaultI18nKey":null,"customText":null},"link":{}}}`, nil},
		{"a missing type is CUSTOM",
			`{"name":"a","variableName":"v","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX","query":"SELECT 1;"}`,
			`{"name":"a","variableName":"v","platform":"MACOS","mappingType":"CHECKBOX","query":"SELECT 1;"}`, nil},
		{"an Okta default remediation key is not the operator's",
			`{"name":"a","variableName":"v","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX","query":"SELECT 1;"}`,
			`{"name":"a","variableName":"v","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX","query":"SELECT 1;",
			 "remediationSettings":{"message":{"defaultI18nKey":"posture.check.x"},"link":{"defaultUrl":"https://example.com"}}}`, nil},
		{"an edited query", guideBody, replace(guideBody, "global_state = 0", "global_state = 1"), []string{"query"}},
		{"a removed remediation link",
			`{"name":"a","variableName":"v","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX","query":"SELECT 1;","remediationSettings":{"message":{"customText":"t"}}}`,
			`{"name":"a","variableName":"v","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX","query":"SELECT 1;","remediationSettings":{"message":{"customText":"t"},"link":{"customUrl":"u"}}}`,
			[]string{"remediationSettings"}},
		{"a renamed check and a new description", guideBody,
			`{"name":"b","variableName":"macOSFirewall","platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX",
			 "query":"SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
			 "remediationSettings":{"message":{"customText":"Enable the firewall."},"link":{"customUrl":"example.myremediationurl.com/docs"}}}`,
			[]string{"description", "name"}},
		{"another mapping type", guideBody, replace(guideBody, "CHECKBOX", "TEXTBOX"), []string{"mappingType"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var desired, observed okta.PostureCheckResponse
			must(t, json.Unmarshal([]byte(tt.desired), &desired))
			must(t, json.Unmarshal([]byte(tt.observed), &observed))
			if got := drift(desired.PostureCheck, observed.PostureCheck); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("drift = %v, want %v", got, tt.want)
			}
		})
	}
}

func replace(s, old, replacement string) string {
	return strings.Replace(s, old, replacement, 1)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
