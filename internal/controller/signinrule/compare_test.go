package signinrule

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

// prunedByOkta are the recorded bodies that send fields of another
// verification method type, which Okta drops silently
// (docs/okta-api-behaviour.md, R20) and the CRD refuses; every other
// recorded body must come back without drift.
var prunedByOkta = map[string]bool{
	"tfprov-087-POST-rule-create": true, "tfprov-090-POST-rule-create": true, "tfprov-105-POST-rule-create": true,
	"tfprov-106-POST-rule-create": true, "tfprov-107-POST-rule-create": true, "tfprov-108-POST-rule-create": true,
	"tfprov-110-POST-rule-create": true, "tfprov-248-POST-rule-create": true, "tfprov-250-POST-rule-create": true,
	"tfprov-251-POST-rule-create": true,
}

// TestRecordedRulesComeBackWithoutDrift feeds every recorded rule create and
// replace through drift: the body sent is what the binding wants, the
// response what Okta then holds, with all its defaults (docs/okta-api-behaviour.md, R18), dropped
// empty objects (docs/okta-api-behaviour.md, R19), reordered keys and lower-case constraints.
func TestRecordedRulesComeBackWithoutDrift(t *testing.T) {
	recordings, err := fixtures.Recordings()
	must(t, err)
	checked := 0
	for _, r := range recordings {
		if !strings.Contains(r.Path, "/rules") || (r.Method != http.MethodPost && r.Method != http.MethodPut) || r.Status != http.StatusOK || len(r.RequestBody) < 3 {
			continue
		}
		var desired, observed okta.PolicyRuleResponse
		must(t, json.Unmarshal(r.RequestBody, &desired))
		must(t, json.Unmarshal(r.ResponseBody, &observed))
		got := drift(desired.PolicyRule, observed.PolicyRule)
		switch {
		case prunedByOkta[r.Name] && !reflect.DeepEqual(got, []string{"actions.appSignOn"}):
			t.Errorf("%s: drift = %v, want the pruned verification method", r.Name, got)
		case !prunedByOkta[r.Name] && got != nil:
			t.Errorf("%s: drift = %v, want none", r.Name, got)
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("checked %d recorded rule bodies, want the whole set", checked)
	}
}

func TestDrift(t *testing.T) {
	// guide is the guide's PUT rule body; okta is what a real org holds
	// after it (defaults of tfprov-114, lower-case types).
	const guide = `{"name":"Device Assurance Rule","type":"ACCESS_POLICY","priority":1,
		"conditions":{"device":{"managed":true,"registered":true,"assurance":{"include":["dae3m8o4rWhwReDeM1c5"]}}},
		"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H",
		"constraints":[{"knowledge":{"types":["password"]}}]}}}}`
	const guideInOkta = `{"id":"rul1","status":"ACTIVE","name":"Device Assurance Rule","priority":1,"system":false,
		"conditions":{"people":{"users":{"exclude":[]}},"device":{"registered":true,"managed":true,"assurance":{"include":["dae3m8o4rWhwReDeM1c5"]}},
		"riskScore":{"level":"ANY"},"userType":{"include":[],"exclude":[]}},
		"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H",
		"constraints":[{"knowledge":{"required":true,"types":["password"]}}]},"keepMeSignedIn":{"postAuth":"NOT_ALLOWED"}}},"type":"ACCESS_POLICY"}`

	tests := []struct {
		name              string
		desired, observed string
		want              []string
	}{
		{"the guide's rule with Okta's defaults", guide, guideInOkta, nil},
		{"upper-case constraint types", strings.Replace(guide, `["password"]`, `["PASSWORD"]`, 1), guideInOkta, nil},
		{"the org without the riskScore default (tfprov-365)", guide, strings.Replace(guideInOkta, `"riskScore":{"level":"ANY"},`, "", 1), nil},
		{"ASSURANCE reauthenticateIn defaults to PT12H (tfprov-364)",
			`{"name":"r","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"1FA"}}}}`,
			`{"name":"r","conditions":{"people":{"users":{"exclude":[]}},"network":{"connection":"ANYWHERE"}},
			 "actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"1FA","reauthenticateIn":"PT12H"},
			 "keepMeSignedIn":{"postAuth":"NOT_ALLOWED"}}}}`, nil},
		{"sets in another order",
			`{"name":"r","conditions":{"people":{"groups":{"include":["00g1","00g2"]}},"device":{"registered":true,"assurance":{"include":["dae1","dae2"]}}},"actions":{"appSignOn":{"access":"ALLOW"}}}`,
			`{"name":"r","conditions":{"people":{"groups":{"include":["00g2","00g1"]}},"device":{"registered":true,"assurance":{"include":["dae2","dae1"]}}},"actions":{"appSignOn":{"access":"ALLOW"}}}`, nil},
		{"an unset priority is not compared", `{"name":"r","actions":{"appSignOn":{"access":"ALLOW"}}}`,
			`{"name":"r","priority":7,"actions":{"appSignOn":{"access":"ALLOW"}}}`, nil},
		{"priority 0 is a priority", `{"name":"r","priority":0,"actions":{"appSignOn":{"access":"ALLOW"}}}`,
			`{"name":"r","priority":1,"actions":{"appSignOn":{"access":"ALLOW"}}}`, []string{"priority"}},
		{"an out-of-band edit of the factor mode", guide, strings.Replace(guideInOkta, `"factorMode":"2FA"`, `"factorMode":"1FA"`, 1), []string{"actions.appSignOn"}},
		{"a policy removed from the rule", guide, strings.Replace(guideInOkta, `"include":["dae3m8o4rWhwReDeM1c5"]`, `"include":["daeOther"]`, 1),
			[]string{"conditions.device"}},
		{"a condition added by hand", guide, strings.Replace(guideInOkta, `"riskScore":{"level":"ANY"}`, `"riskScore":{"level":"HIGH"}`, 1),
			[]string{"conditions.riskScore"}},
		{"a required constraint that was set to false by hand",
			strings.Replace(guide, `{"types":["password"]}`, `{"types":["password"],"required":true}`, 1),
			strings.Replace(guideInOkta, `"required":true`, `"required":false`, 1), []string{"actions.appSignOn"}},
		{"kmsi frequency dropped by a PUT (tfprov-362 → tfprov-364)",
			`{"name":"r","actions":{"appSignOn":{"access":"ALLOW","keepMeSignedIn":{"postAuth":"ALLOWED","postAuthPromptFrequency":"PT50H"}}}}`,
			`{"name":"r","actions":{"appSignOn":{"access":"ALLOW","keepMeSignedIn":{"postAuth":"ALLOWED"}}}}`, []string{"actions.appSignOn"}},
		{"a renamed rule", guide, strings.Replace(guideInOkta, `"Device Assurance Rule"`, `"Renamed"`, 1), []string{"name"}},
		{"an ASSURANCE constraint reduced to {} is not the one sent (tfprov-258)",
			`{"name":"r","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","constraints":[{"knowledge":{"types":["password"]}}]}}}}`,
			`{"name":"r","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","constraints":[{}]}}}}`, []string{"actions.appSignOn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var desired, observed okta.PolicyRuleResponse
			must(t, json.Unmarshal([]byte(tt.desired), &desired))
			must(t, json.Unmarshal([]byte(tt.observed), &observed))
			if got := drift(desired.PolicyRule, observed.PolicyRule); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("drift = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRecordedKeepMeSignedInLoss: the rule of tfprov-362 has a prompt
// frequency; the body of tfprov-364 does not ask for it, and moves the
// rule from priority 3 to 2.
func TestRecordedKeepMeSignedInLoss(t *testing.T) {
	before, put := recording(t, "tfprov-362"), recording(t, "tfprov-364")
	var observed, desired okta.PolicyRuleResponse
	must(t, json.Unmarshal(before.ResponseBody, &observed))
	must(t, json.Unmarshal(put.RequestBody, &desired))
	if got, want := drift(desired.PolicyRule, observed.PolicyRule), []string{"actions.appSignOn", "priority"}; !reflect.DeepEqual(got, want) {
		t.Errorf("drift = %v, want %v", got, want)
	}
}

// TestCatchAllActions: the recorded Catch-all Rule (tfprov-089) has null
// conditions; only its actions are compared.
func TestCatchAllActions(t *testing.T) {
	var rules []okta.PolicyRuleResponse
	must(t, json.Unmarshal(recording(t, "tfprov-089").ResponseBody, &rules))
	catchAll := rules[len(rules)-1]
	if !isSystem(&catchAll) || catchAll.Name != catchAllName {
		t.Fatalf("recording changed: %+v", catchAll)
	}
	var desired okta.PolicyRule
	must(t, json.Unmarshal([]byte(`{"name":"Catch-all Rule","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA",
		"type":"ASSURANCE","constraints":[{"possession":{"deviceBound":"REQUIRED","required":true}}]}}}}`), &desired))
	if got := actionsDrift(desired, catchAll.PolicyRule); got != nil {
		t.Errorf("actionsDrift = %v, want none", got)
	}
	desired.Actions.AppSignOn.Access = "DENY"
	if got := actionsDrift(desired, catchAll.PolicyRule); !reflect.DeepEqual(got, []string{"actions.appSignOn"}) {
		t.Errorf("actionsDrift = %v", got)
	}
	body := catchAllBody(desired, &catchAll)
	if body.Conditions != nil || body.System == nil || !*body.System || body.Name != catchAllName || *body.Priority != 99 {
		t.Errorf("catch-all body = %+v", body)
	}
}

func recording(t *testing.T, prefix string) fixtures.Recording {
	t.Helper()
	recordings, err := fixtures.Recordings()
	must(t, err)
	for _, r := range recordings {
		if strings.HasPrefix(r.Name, prefix+"-") {
			return r
		}
	}
	t.Fatalf("no recording %s", prefix)
	return fixtures.Recording{}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
