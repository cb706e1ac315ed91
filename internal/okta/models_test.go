package okta

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCatchAllRuleConditionsNullSurvives(t *testing.T) {
	var got PolicyRuleResponse
	if err := json.Unmarshal([]byte(ruleResponse), &got); err != nil {
		t.Fatal(err)
	}
	if got.Conditions != nil || got.System == nil || !*got.System || got.Priority == nil || *got.Priority != 99 {
		t.Fatalf("decoded %+v", got)
	}
	body, err := json.Marshal(got.PolicyRule)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"conditions":null`) {
		t.Errorf("conditions: null lost: %s", body)
	}
	for _, readOnly := range []string{`"id"`, `"status"`, `"created"`, `"lastUpdated"`, `"_links"`} {
		if strings.Contains(string(body), readOnly) {
			t.Errorf("read-only %s sent: %s", readOnly, body)
		}
	}
}

func TestEncodingIsExact(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"false booleans and zero distance are sent", DeviceAssurance{
			Platform: PlatformAndroid, Jailbreak: ptr(false),
			OSVersion: &OSVersion{DynamicVersionRequirement: &DynamicVersionRequirement{Type: "EXACT", DistanceFromLatestMajor: ptr(0), LatestSecurityPatch: ptr(false)}},
		}, `{"platform":"ANDROID","osVersion":{"dynamicVersionRequirement":{"type":"EXACT","distanceFromLatestMajor":0,"latestSecurityPatch":false}},"jailbreak":false}`},
		{"empty optionals are omitted", DeviceAssurance{Name: "x", Platform: PlatformIOS}, `{"name":"x","platform":"IOS"}`},
		{"userType lists are always sent", RuleConditions{UserType: &UserTypeCondition{}}, `{"userType":{"include":[],"exclude":[]}}`},
		{"empty platform condition stays an object", RuleConditions{Platform: &PlatformCondition{}}, `{"platform":{}}`},
		{"empty OS expression is kept, nil dropped", PlatformOS{Type: "OTHER", Expression: ptr("")}, `{"type":"OTHER","expression":""}`},
		{"priority 0 is sent", PolicyRule{Name: "r", Priority: ptr(0)}, `{"name":"r","priority":0,"conditions":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestLenientDecoding(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		check func(VerificationMethod) bool
	}{
		{"lower-case constraint values are kept as read", `{"type":"ASSURANCE","constraints":[{"knowledge":{"types":["password"]},"possession":{"methods":["push"]}}]}`,
			func(v VerificationMethod) bool {
				return v.Constraints[0].Knowledge.Types[0] == "password" && v.Constraints[0].Possession.Methods[0] == "push"
			}},
		{"constraints as a single object", `{"type":"ASSURANCE","constraints":{"possession":{"deviceBound":"REQUIRED"}}}`,
			func(v VerificationMethod) bool {
				return len(v.Constraints) == 1 && v.Constraints[0].Possession.DeviceBound == "REQUIRED"
			}},
		{"unknown keys are ignored", `{"type":"ASSURANCE","somethingNew":{"a":1},"factorMode":"2FA"}`,
			func(v VerificationMethod) bool { return v.FactorMode == "2FA" }},
		{"chains", `{"type":"AUTH_METHOD_CHAIN","chains":[{"authenticationMethods":[{"key":"okta_password","method":"password"}],"next":[{"authenticationMethods":[{"key":"okta_verify","method":"push","userVerification":"REQUIRED"}]}],"reauthenticateIn":"PT43800H"}]}`,
			func(v VerificationMethod) bool {
				return v.Chains[0].Next[0].AuthenticationMethods[0].UserVerification == "REQUIRED" && v.Chains[0].ReauthenticateIn == "PT43800H"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v VerificationMethod
			if err := json.Unmarshal([]byte(tt.json), &v); err != nil {
				t.Fatal(err)
			}
			if !tt.check(v) {
				t.Errorf("decoded %+v", v)
			}
		})
	}
	var s FlexString
	for in, want := range map[string]FlexString{`"a"`: "a", `0`: "0", `null`: "", `10013`: "10013"} {
		if err := json.Unmarshal([]byte(in), &s); err != nil || s != want {
			t.Errorf("FlexString(%s) = %q, %v", in, s, err)
		}
	}
	if err := json.Unmarshal([]byte(`{}`), &s); err == nil {
		t.Error("FlexString must refuse an object")
	}
}
