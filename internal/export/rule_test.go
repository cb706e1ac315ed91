package export

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

// The rules as Okta returns them and the rule each exports to: Okta's
// defaults are gone, device assurance policies are named, the shapes other
// tools leave are written so that the API accepts them, and each spec
// round-trips to no change.
func TestRuleSpec(t *testing.T) {
	policies := map[string]string{"dae3m8o4rWhwReDeM1c5": "device-assurance-ios", "daeq6i8si6RF7mjJ01d7": "device-assurance-macos"}
	for _, tt := range []struct {
		name, okta, want string
		notes            []string
	}{{
		name: "the guide's rule, with the defaults Okta adds (R18)",
		okta: `{"id":"rul7yut96gmsOzKAA1d6","status":"ACTIVE","name":"Device Assurance Rule","priority":1,"system":false,"type":"ACCESS_POLICY",
			"conditions":{"people":{"users":{"exclude":[]}},"network":{"connection":"ANYWHERE"},"riskScore":{"level":"ANY"},"userType":{"include":[],"exclude":[]},
			"device":{"registered":true,"managed":true,"assurance":{"include":["daeq6i8si6RF7mjJ01d7","dae3m8o4rWhwReDeM1c5"]}}},
			"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H",
			"constraints":[{"knowledge":{"types":["password"]}}]},"keepMeSignedIn":{"postAuth":"NOT_ALLOWED"}}},
			"_links":{"self":{"href":"https://example.okta.com/api/v1/policies/rst7xus97faIAgmti1d7/rules/rul7yut96gmsOzKAA1d6"}}}`,
		want: `{name: Device Assurance Rule, priority: 1,
			conditions: {device: {managed: true, registered: true, assurance: {include: [{name: device-assurance-ios}, {name: device-assurance-macos}]}}},
			actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 2FA, reauthenticateIn: PT2H,
			constraints: [{knowledge: {types: [password]}}]}}}}`,
	}, {
		name: "a Terraform-made rule: Okta kept an empty constraint (tfprov-276)",
		okta: `{"id":"rulvtxbzqcE1ThUv81d7","status":"ACTIVE","name":"Rule5-updatedTF-23/02/26","priority":5,"system":false,
			"conditions":{"people":{"users":{"exclude":[]}},"network":{"connection":"ANYWHERE"},"riskScore":{"level":"ANY"},"userType":{"include":[],"exclude":[]}},
			"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H","inactivityPeriod":"PT1H",
			"constraints":[{}]},"keepMeSignedIn":{"postAuth":"NOT_ALLOWED"}}},"type":"ACCESS_POLICY"}`,
		want: `{name: Rule5-updatedTF-23/02/26, priority: 5,
			actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 2FA, reauthenticateIn: PT2H, inactivityPeriod: PT1H,
			constraints: [{}]}}}}`,
	}, {
		name: "an empty constraint beside a real one keeps its position",
		okta: `{"name":"Two","priority":3,"status":"ACTIVE","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"2FA",
			"constraints":[{"possession":{"deviceBound":"REQUIRED"}},{}]}}}}`,
		want: `{name: Two, priority: 3, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 2FA,
			constraints: [{possession: {deviceBound: REQUIRED}}, {}]}}}}`,
	}, {
		name: "an empty elCondition and empty platform lists, as Terraform sends them (spec-115)",
		okta: `{"name":"OAMP rule with device conditions","priority":0,"status":"ACTIVE","system":false,
			"conditions":{"userType":{"include":[],"exclude":[]},"network":{"connection":"ANYWHERE"},"people":{"users":{"exclude":[],"include":[]},"groups":{"include":[],"exclude":[]}},
			"device":{"registered":true,"managed":true,"assurance":{"include":["dae3m8o4rWhwReDeM1c5"]}},"riskScore":{"level":"ANY"},"platform":{"include":[]},"elCondition":{}},
			"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"1FA","reauthenticateIn":"PT0S",
			"constraints":[{"possession":{"phishingResistant":"REQUIRED","userVerification":"OPTIONAL"}}],"type":"ASSURANCE"}}}}`,
		want: `{name: OAMP rule with device conditions, priority: 0,
			conditions: {device: {registered: true, managed: true, assurance: {include: [{name: device-assurance-ios}]}}},
			actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 1FA, reauthenticateIn: PT0S,
			constraints: [{possession: {phishingResistant: REQUIRED, userVerification: OPTIONAL}}]}}}}`,
		notes: []string{"elCondition is empty in Okta"},
	}, {
		name: "the Catch-all Rule keeps only its name and actions",
		okta: `{"id":"rul0catchall00000001","status":"ACTIVE","name":"Catch-all Rule","priority":99,"system":true,"conditions":null,
			"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT12H",
			"constraints":[{"possession":{"required":true,"deviceBound":"REQUIRED"}}]},"keepMeSignedIn":{"postAuth":"NOT_ALLOWED"}}}}`,
		want: `{name: Catch-all Rule, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 2FA,
			constraints: [{possession: {required: true, deviceBound: REQUIRED}}]}}}}`,
	}, {
		name: "an inactive chain rule with people, zones, platforms and a prompt frequency; sets sorted",
		okta: `{"name":"Chains","priority":2,"status":"INACTIVE","system":false,
			"conditions":{"people":{"groups":{"include":["00g2","00g1"]},"users":{"exclude":["00u1"]}},"network":{"connection":"ZONE","exclude":["nzo2","nzo1"]},
			"platform":{"include":[{"type":"DESKTOP","os":{"type":"MACOS"}},{"type":"OTHER","os":{"type":"OTHER","expression":""}}],"exclude":[]},
			"riskScore":{"level":"HIGH"},"userType":{"include":["oty1"],"exclude":[]},"elCondition":{"condition":"device.provider.wsc.fireWall == \"GOOD\""}},
			"actions":{"appSignOn":{"access":"ALLOW","keepMeSignedIn":{"postAuth":"ALLOWED","postAuthPromptFrequency":"PT50H"},
			"verificationMethod":{"type":"AUTH_METHOD_CHAIN","chains":[{"authenticationMethods":[{"key":"okta_password","method":"password"}],
			"next":[{"authenticationMethods":[{"key":"okta_verify","method":"push","userVerificationMethods":["PIN","BIOMETRICS"]}],"reauthenticateIn":"PT12H"}]}]}}}}`,
		want: `{name: Chains, priority: 2, status: INACTIVE,
			conditions: {people: {groups: {include: ["00g1", "00g2"]}, users: {exclude: ["00u1"]}}, network: {connection: ZONE, exclude: [nzo1, nzo2]},
			platform: {include: [{type: DESKTOP, os: {type: MACOS}}, {type: OTHER, os: {type: OTHER, expression: ""}}]},
			riskScore: {level: HIGH}, userType: {include: [oty1]}, elCondition: {condition: 'device.provider.wsc.fireWall == "GOOD"'}},
			actions: {appSignOn: {access: ALLOW, keepMeSignedIn: {postAuth: ALLOWED, postAuthPromptFrequency: PT50H},
			verificationMethod: {type: AUTH_METHOD_CHAIN, chains: [{authenticationMethods: [{key: okta_password, method: password}],
			next: [{authenticationMethods: [{key: okta_verify, method: push, userVerificationMethods: [BIOMETRICS, PIN]}], reauthenticateIn: PT12H}]}]}}}}`,
	}, {
		name: "userPresence REQUIRED is Okta's default, unless it is all the constraint holds",
		okta: `{"name":"Presence","priority":4,"status":"ACTIVE","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"2FA",
			"constraints":[{"possession":{"userPresence":"REQUIRED","deviceBound":"REQUIRED"}},{"possession":{"userPresence":"REQUIRED"}},
			{"knowledge":{"types":["password"],"required":false,"excludedAuthenticationMethods":[{"key":"okta_email"}]}}]}}}}`,
		want: `{name: Presence, priority: 4, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 2FA,
			constraints: [{possession: {deviceBound: REQUIRED}}, {possession: {userPresence: REQUIRED}},
			{knowledge: {types: [password], required: false, excludedAuthenticationMethods: [{key: okta_email}]}}]}}}}`,
	}, {
		name: "a DENY rule with an ID_PROOFING method",
		okta: `{"name":"Deny","priority":0,"status":"ACTIVE","conditions":{"riskScore":{"level":"HIGH"}},"actions":{"appSignOn":{"access":"DENY",
			"verificationMethod":{"type":"ID_PROOFING","id":"0oa1"}}}}`,
		want: `{name: Deny, priority: 0, conditions: {riskScore: {level: HIGH}}, actions: {appSignOn: {access: DENY,
			verificationMethod: {type: ID_PROOFING, id: "0oa1"}}}}`,
	}} {
		t.Run(tt.name, func(t *testing.T) {
			var observed okta.PolicyRuleResponse
			if err := json.Unmarshal([]byte(tt.okta), &observed); err != nil {
				t.Fatal(err)
			}
			got, notes, err := RuleSpec(&observed, policies)
			if err != nil {
				t.Fatal(err)
			}
			var want assurancev1alpha1.SignInRule
			if err := yaml.UnmarshalStrict([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			assertSameYAML(t, want, got)
			if len(notes) != len(tt.notes) {
				t.Errorf("notes: %q, want %q", notes, tt.notes)
			}
			for i := range min(len(notes), len(tt.notes)) {
				if !strings.Contains(notes[i], tt.notes[i]) {
					t.Errorf("note %q does not say %q", notes[i], tt.notes[i])
				}
			}
			assertRuleRoundTrips(t, got, policies, &observed)
		})
	}
}

func TestRuleSpecNamesTheMissingPolicy(t *testing.T) {
	observed := okta.PolicyRuleResponse{PolicyRule: okta.PolicyRule{Name: "r", Conditions: &okta.RuleConditions{
		Device: &okta.DeviceCondition{Registered: ptr(true), Assurance: &okta.AssuranceCondition{Include: []string{"daeKnown", "daeGone"}}}},
		Actions: &okta.RuleActions{AppSignOn: &okta.AppSignOnAction{Access: "ALLOW"}}}}
	_, _, err := RuleSpec(&observed, map[string]string{"daeKnown": "known"})
	if err == nil || !strings.Contains(err.Error(), "daeGone") || strings.Contains(err.Error(), "daeKnown") {
		t.Fatalf("err = %v, want one naming daeGone only", err)
	}
}

// Every rule that a real org answered with exports to a rule that its
// controller finds equal to it.
func TestRuleSpecOfEveryRecordedRule(t *testing.T) {
	recordings, err := fixtures.Recordings()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recordings {
		if r.Status != http.StatusOK || !strings.Contains(r.Path, "/rules") || strings.Contains(r.Path, "/lifecycle/") {
			continue
		}
		for i, observed := range decodeOneOrMany[okta.PolicyRuleResponse](t, r.Name, r.ResponseBody) {
			if observed.Name == "" {
				continue
			}
			policies := map[string]string{}
			if c := observed.Conditions; c != nil && c.Device != nil && c.Device.Assurance != nil {
				for _, id := range c.Device.Assurance.Include {
					policies[id] = "p-" + strings.ToLower(id)
				}
			}
			rule, _, err := RuleSpec(&observed, policies)
			if err != nil {
				t.Errorf("%s[%d]: %v", r.Name, i, err)
				continue
			}
			assertRuleRoundTrips(t, rule, policies, &observed)
			n++
		}
	}
	if n < 100 {
		t.Errorf("only %d recorded rules were exported", n)
	}
}

func assertRuleRoundTrips(t *testing.T, rule assurancev1alpha1.SignInRule, policies map[string]string, observed *okta.PolicyRuleResponse) {
	t.Helper()
	ids := map[string]string{}
	for id, name := range policies {
		ids[name] = id
	}
	obj := &assurancev1alpha1.SignInRuleBinding{Spec: assurancev1alpha1.SignInRuleBindingSpec{Rule: rule}}
	fields, err := signinrule.Drift(obj, ids, observed)
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) > 0 {
		t.Errorf("%q: applying the exported rule would change %v", observed.Name, fields)
	}
}

func ptr[T any](v T) *T { return &v }
