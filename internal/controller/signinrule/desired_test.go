package signinrule

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// TestSampleIsTheGuidesRule: the sample binding, with its device assurance
// policy's ID filled in, is the guide's PUT rule body field for field.
func TestSampleIsTheGuidesRule(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "config", "samples", "assurance_v1alpha1_signinrulebinding.yaml"))
	must(t, err)
	var obj assurancev1alpha1.SignInRuleBinding
	must(t, yaml.Unmarshal(raw, &obj))
	rule, err := desiredRule(&obj.Spec.Rule, map[string]string{"device-assurance-ios": "dae3m8o4rWhwReDeM1c5"})
	must(t, err)
	got, err := json.Marshal(rule)
	must(t, err)

	const guidePutBody = `{"name":"Device Assurance Rule","type":"ACCESS_POLICY","priority":1,
		"conditions":{"device":{"managed":true,"registered":true,"assurance":{"include":["dae3m8o4rWhwReDeM1c5"]}}},
		"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H",
		"constraints":[{"knowledge":{"types":["password"]}}]}}}}`
	var gotMap, wantMap map[string]any
	must(t, json.Unmarshal(got, &gotMap))
	must(t, json.Unmarshal([]byte(guidePutBody), &wantMap))
	if !reflect.DeepEqual(gotMap, wantMap) {
		t.Errorf("desired rule =\n%s\nwant the guide's body\n%s", got, guidePutBody)
	}
	if names := obj.DeviceAssurancePolicyNames(); !reflect.DeepEqual(names, []string{"device-assurance-ios"}) {
		t.Errorf("DeviceAssurancePolicyNames = %v", names)
	}
}

func TestDesiredRuleKeepsOktaIDsAndNeedsEveryName(t *testing.T) {
	spec := assurancev1alpha1.SignInRule{
		Name:   "r",
		Status: assurancev1alpha1.RuleStatusInactive,
		Conditions: &assurancev1alpha1.RuleConditions{Device: &assurancev1alpha1.DeviceCondition{
			Assurance: &assurancev1alpha1.AssuranceCondition{Include: []assurancev1alpha1.DeviceAssuranceReference{{ID: "daeUnmanaged"}, {Name: "managed"}}},
		}},
		Actions: assurancev1alpha1.RuleActions{AppSignOn: assurancev1alpha1.AppSignOnAction{Access: "DENY"}},
	}
	rule, err := desiredRule(&spec, map[string]string{"managed": "daeManaged"})
	must(t, err)
	if got := rule.Conditions.Device.Assurance.Include; !reflect.DeepEqual(got, []string{"daeUnmanaged", "daeManaged"}) {
		t.Errorf("include = %v", got)
	}
	if rule.Priority != nil || rule.Type != "ACCESS_POLICY" {
		t.Errorf("rule = %+v", rule)
	}
	if _, err := desiredRule(&spec, nil); err == nil {
		t.Error("a name without an ID must be refused")
	}
}
