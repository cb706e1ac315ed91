package oktasim

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestCreateRuleAddsDefaults(t *testing.T) {
	o := newTestOrg(t, Options{})
	policyID := o.firstPolicyID()
	// tfprov-078/112: empty platform and elCondition objects are sent.
	rule := simpleRule("defaults", 0)
	rule["conditions"] = map[string]any{"network": map[string]any{"connection": "ANYWHERE"},
		"platform": map[string]any{}, "elCondition": map[string]any{}}
	delete(rule["actions"].(map[string]any)["appSignOn"].(map[string]any)["verificationMethod"].(map[string]any), "reauthenticateIn")
	r := o.do("POST", "/api/v1/policies/"+policyID+"/rules", rule)
	mustStatus(t, r, 200)
	body := r.object()
	if id, _ := body["id"].(string); !strings.HasPrefix(id, "rul") || !idPattern.MatchString(id) {
		t.Errorf("rule id %q", id)
	}
	wantConditions := map[string]any{
		"people":    map[string]any{"users": map[string]any{"exclude": []any{}}},
		"network":   map[string]any{"connection": "ANYWHERE"},
		"riskScore": map[string]any{"level": "ANY"},
		"userType":  map[string]any{"include": []any{}, "exclude": []any{}},
	}
	if !reflect.DeepEqual(body["conditions"], wantConditions) {
		t.Errorf("conditions = %v", body["conditions"])
	}
	if body["status"] != "ACTIVE" || body["system"] != false {
		t.Errorf("status %v system %v", body["status"], body["system"])
	}
	appSignOn := dig(body, "actions", "appSignOn")
	if got := dig(appSignOn, "keepMeSignedIn", "postAuth"); got != "NOT_ALLOWED" {
		t.Errorf("keepMeSignedIn.postAuth = %v", got)
	}
	if got := dig(appSignOn, "verificationMethod", "reauthenticateIn"); got != "PT12H" {
		t.Errorf("reauthenticateIn = %v", got)
	}
	wantOrder := []string{"id", "status", "name", "priority", "created", "lastUpdated", "system", "conditions", "actions", "_links", "type"}
	if got := keysInOrder(t, r.raw); !reflect.DeepEqual(got, wantOrder) {
		t.Errorf("key order %v", got)
	}
	links := body["_links"].(map[string]any)
	if _, ok := links["deactivate"]; !ok || links["activate"] != nil {
		t.Errorf("ACTIVE rule links %v", links)
	}
}

func TestRuleNormalisationTable(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]any
		want map[string]any
	}{
		{"auth method chain drops factorMode and inactivityPeriod (tfprov-087)",
			map[string]any{"appSignOn": map[string]any{"access": "ALLOW", "verificationMethod": map[string]any{
				"factorMode": "2FA", "inactivityPeriod": "PT1H", "reauthenticateIn": "PT0S", "type": "AUTH_METHOD_CHAIN", "chains": []any{}}}},
			map[string]any{"appSignOn": map[string]any{"access": "ALLOW", "keepMeSignedIn": map[string]any{"postAuth": "NOT_ALLOWED"},
				"verificationMethod": map[string]any{"reauthenticateIn": "PT0S", "type": "AUTH_METHOD_CHAIN", "chains": []any{}}}}},
		{"chain-shaped constraint under ASSURANCE becomes {} (tfprov-258)",
			map[string]any{"appSignOn": map[string]any{"verificationMethod": map[string]any{"type": "ASSURANCE", "reauthenticateIn": "PT2H",
				"constraints": []any{map[string]any{"authenticationMethods": []any{map[string]any{"key": "okta_password"}}}}}}},
			map[string]any{"appSignOn": map[string]any{"keepMeSignedIn": map[string]any{"postAuth": "NOT_ALLOWED"},
				"verificationMethod": map[string]any{"type": "ASSURANCE", "reauthenticateIn": "PT2H", "constraints": []any{map[string]any{}}}}}},
		{"constraint types come back lower case",
			map[string]any{"appSignOn": map[string]any{"keepMeSignedIn": map[string]any{"postAuth": "ALLOWED"},
				"verificationMethod": map[string]any{"type": "ASSURANCE", "reauthenticateIn": "PT2H",
					"constraints": []any{map[string]any{"knowledge": map[string]any{"types": []any{"PASSWORD"}}}}}}},
			map[string]any{"appSignOn": map[string]any{"keepMeSignedIn": map[string]any{"postAuth": "ALLOWED"},
				"verificationMethod": map[string]any{"type": "ASSURANCE", "reauthenticateIn": "PT2H",
					"constraints": []any{map[string]any{"knowledge": map[string]any{"types": []any{"password"}}}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := normalizeRuleActions(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
	// platform: nulls dropped, "" kept, exclude [] added (tfprov-076, tfprov-114).
	got := normalizeRuleConditions(map[string]any{"platform": map[string]any{"include": []any{
		map[string]any{"type": "DESKTOP", "os": map[string]any{"type": "MACOS", "expression": nil}},
		map[string]any{"type": "DESKTOP", "os": map[string]any{"type": "OTHER", "expression": ""}}}}}, OrgVariant{})
	wantPlatform := map[string]any{"include": []any{
		map[string]any{"type": "DESKTOP", "os": map[string]any{"type": "MACOS"}},
		map[string]any{"type": "DESKTOP", "os": map[string]any{"type": "OTHER", "expression": ""}}}, "exclude": []any{}}
	if !reflect.DeepEqual(got["platform"], wantPlatform) {
		t.Errorf("platform = %v", got["platform"])
	}
}

func TestRulePriorityInsertionShiftsRules(t *testing.T) {
	o := newTestOrg(t, Options{})
	policyID := o.firstPolicyID()
	ids := map[string]string{}
	for i, name := range []string{"A", "B", "C"} {
		r := o.do("POST", "/api/v1/policies/"+policyID+"/rules", simpleRule(name, i))
		mustStatus(t, r, 200)
		ids[name] = r.object()["id"].(string)
	}
	inserted := o.do("POST", "/api/v1/policies/"+policyID+"/rules", simpleRule("X", 1))
	mustStatus(t, inserted, 200)
	if inserted.object()["priority"] != jsonInt(1) {
		t.Fatalf("inserted priority %v, want 1 (echoed as sent)", inserted.object()["priority"])
	}
	list := o.do("GET", "/api/v1/policies/"+policyID+"/rules", nil)
	mustStatus(t, list, 200)
	if list.header.Get("Link") != "" {
		t.Errorf("rule list has a Link header")
	}
	got := make([]string, 0, len(list.array()))
	for _, item := range list.array() {
		m := item.(map[string]any)
		got = append(got, fmt.Sprintf("%s:%v", m["name"], m["priority"]))
	}
	want := []string{"A:0", "X:1", "B:2", "C:3", "Catch-all Rule:99"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("priorities %v, want %v", got, want)
	}
	// Moving C to 0 through PUT shifts the run starting at 0.
	mustStatus(t, o.do("PUT", "/api/v1/policies/"+policyID+"/rules/"+ids["C"], simpleRule("C", 0)), 200)
	a := o.do("GET", "/api/v1/policies/"+policyID+"/rules/"+ids["A"], nil)
	if a.object()["priority"] != jsonInt(1) {
		t.Errorf("A priority %v after C moved to 0, want 1", a.object()["priority"])
	}
}

func jsonInt(n int) any { return jsonNumber(fmt.Sprint(n)) }

func TestCatchAllRule(t *testing.T) {
	o := newTestOrg(t, Options{})
	policyID := o.firstPolicyID()
	list := o.do("GET", "/api/v1/policies/"+policyID+"/rules", nil)
	mustStatus(t, list, 200)
	if len(list.array()) != 1 {
		t.Fatalf("a fresh policy has %d rules, want only the catch-all", len(list.array()))
	}
	catchAll := list.array()[0].(map[string]any)
	if catchAll["name"] != "Catch-all Rule" || catchAll["system"] != true || catchAll["priority"] != jsonInt(99) || catchAll["conditions"] != nil {
		t.Fatalf("catch-all = %v", catchAll)
	}
	if _, ok := catchAll["conditions"]; !ok {
		t.Error("catch-all must carry conditions: null")
	}
	links := catchAll["_links"].(map[string]any)
	if len(links) != 1 || !reflect.DeepEqual(dig(links, "self", "hints", "allow"), []any{"GET", "PUT"}) {
		t.Errorf("catch-all links %v", links)
	}
	id := catchAll["id"].(string)
	assertError(t, o.do("DELETE", "/api/v1/policies/"+policyID+"/rules/"+id, nil), 405, "E0000022", "")
	// Its action can be replaced (tfprov-099); conditions stay null.
	put := o.do("PUT", "/api/v1/policies/"+policyID+"/rules/"+id, map[string]any{
		"name": "Catch-all Rule", "priority": 99, "system": true, "type": "ACCESS_POLICY",
		"actions": map[string]any{"appSignOn": map[string]any{"access": "ALLOW", "verificationMethod": map[string]any{
			"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT2H"}}}})
	mustStatus(t, put, 200)
	if put.object()["conditions"] != nil || dig(put.object(), "actions", "appSignOn", "verificationMethod", "reauthenticateIn") != "PT2H" {
		t.Errorf("catch-all PUT: %s", put.raw)
	}
}

func TestRuleLifecycleAndInactiveCreate(t *testing.T) {
	o := newTestOrg(t, Options{})
	policyID := o.firstPolicyID()
	r := o.do("POST", "/api/v1/policies/"+policyID+"/rules?activate=false", simpleRule("inactive", 0))
	mustStatus(t, r, 200)
	if r.object()["status"] != "INACTIVE" {
		t.Fatalf("status %v", r.object()["status"])
	}
	links := r.object()["_links"].(map[string]any)
	if links["activate"] == nil || links["deactivate"] != nil {
		t.Errorf("INACTIVE links %v", links)
	}
	if raw := string(r.raw); strings.Index(raw, `"activate":`) > strings.Index(raw, `"self":`) {
		t.Errorf("INACTIVE links must list activate before self (tfprov-246): %s", raw)
	}
	id := r.object()["id"].(string)
	rulePath := "/api/v1/policies/" + policyID + "/rules/" + id
	act := o.do("POST", rulePath+"/lifecycle/activate", nil)
	mustStatus(t, act, 204)
	if len(act.raw) != 0 {
		t.Errorf("activate body %q", act.raw)
	}
	if got := o.do("GET", rulePath, nil).object()["status"]; got != "ACTIVE" {
		t.Errorf("after activate: %v", got)
	}
	mustStatus(t, o.do("POST", rulePath+"/lifecycle/deactivate", nil), 204)
	if got := o.do("GET", rulePath, nil).object()["status"]; got != "INACTIVE" {
		t.Errorf("after deactivate: %v", got)
	}
}

func TestRuleErrors(t *testing.T) {
	o := newTestOrg(t, Options{})
	policyID := o.firstPolicyID()
	managed := simpleRule("managed only", 0)
	managed["conditions"] = map[string]any{"device": map[string]any{"managed": true}}
	assertError(t, o.do("POST", "/api/v1/policies/"+policyID+"/rules", managed), 400, "E0000001", "Api validation failed: conditions.device")
	assertError(t, o.do("GET", "/api/v1/policies/rst9i73m5mugHWJtS1d7", nil), 404, "E0000007",
		"Not found: Resource not found: rst9i73m5mugHWJtS1d7 (RuleSetEntity)")
	assertError(t, o.do("GET", "/api/v1/policies/"+policyID+"/rules/rul95u96sgXzGWKJY1d7", nil), 404, "E0000007",
		"Not found: Resource not found: rul95u96sgXzGWKJY1d7 (RuleEntity)")
	assertError(t, o.do("POST", "/api/v1/policies/"+policyID+"/rules", `{"name":`), 400, "E0000003", "")
}

func TestAtMostHundredRulesPerPolicy(t *testing.T) {
	o := newTestOrg(t, Options{})
	policyID := o.firstPolicyID()
	for i := range 99 {
		mustStatus(t, o.do("POST", "/api/v1/policies/"+policyID+"/rules", simpleRule(fmt.Sprint("r", i), min(i, 98))), 200)
	}
	assertError(t, o.do("POST", "/api/v1/policies/"+policyID+"/rules", simpleRule("one too many", 0)), 400, "E0000001", "")
}

func TestPlaceRuleTable(t *testing.T) {
	tests := []struct {
		name     string
		existing []int
		insert   int
		want     []int // existing rules' priorities after the insert, then the new rule's
	}{
		{"free slot keeps everything", []int{0, 2}, 1, []int{0, 2, 1}},
		{"collision shifts the run only", []int{0, 1, 2, 5}, 1, []int{0, 2, 3, 5, 1}},
		{"echoed beyond the count", nil, 4, []int{4}},
		{"overflow at the catch-all renumbers", []int{10, 97, 98}, 97, []int{0, 2, 3, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol := &accessPolicy{rules: []*policyRule{{system: true, priority: catchAllPriority}}}
			for _, p := range tc.existing {
				pol.rules = append(pol.rules, &policyRule{priority: p})
			}
			rule := &policyRule{}
			pol.rules = append(pol.rules, rule)
			placeRule(pol, rule, tc.insert)
			got := make([]int, 0, len(pol.rules))
			for _, r := range pol.rules[1:] {
				got = append(got, r.priority)
			}
			if !reflect.DeepEqual(got, tc.want) || pol.rules[0].priority != catchAllPriority {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestOrgVariantOmitsDefaults(t *testing.T) {
	o := newTestOrg(t, Options{Variant: OrgVariant{OmitRemediationModeDefault: true, OmitRiskScoreDefault: true}})
	da := o.do("POST", "/api/v1/device-assurances", androidDA("no HIDE"))
	if _, ok := da.object()["displayRemediationMode"]; ok {
		t.Errorf("displayRemediationMode added: %s", da.raw)
	}
	rule := o.do("POST", "/api/v1/policies/"+o.firstPolicyID()+"/rules", simpleRule("no riskScore", 0))
	if _, ok := rule.object()["conditions"].(map[string]any)["riskScore"]; ok {
		t.Errorf("riskScore added: %s", rule.raw)
	}
}
