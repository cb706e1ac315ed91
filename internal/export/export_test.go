package export

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// fakeOrg is an org as Reader lists it.
type fakeOrg struct {
	checks   []okta.PostureCheckResponse
	policies []okta.DeviceAssuranceResponse
	signIn   []okta.Policy
	rules    map[string][]okta.PolicyRuleResponse
	listed   []string
}

func (o *fakeOrg) ListPostureChecks(context.Context) ([]okta.PostureCheckResponse, error) {
	o.listed = append(o.listed, "posture checks")
	return o.checks, nil
}

func (o *fakeOrg) ListDeviceAssurances(context.Context) ([]okta.DeviceAssuranceResponse, error) {
	o.listed = append(o.listed, "device assurances")
	return o.policies, nil
}

func (o *fakeOrg) ListPolicies(_ context.Context, opts okta.PolicyListOptions) ([]okta.Policy, error) {
	o.listed = append(o.listed, "policies "+opts.Type)
	return o.signIn, nil
}

func (o *fakeOrg) ListPolicyRules(_ context.Context, policyID string) ([]okta.PolicyRuleResponse, error) {
	o.listed = append(o.listed, "rules of "+policyID)
	return o.rules[policyID], nil
}

func decode[T any](t *testing.T, raw string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// guideOrg holds the guide's objects (a posture check, the iOS and macOS
// policies, the rule in Okta Dashboard) and what an org has besides:
// Okta's built-in check, two policies of one name on two platforms, a rule
// without device assurance, the Catch-all Rules, the account management
// policy, and two app sign-in policies with the same name.
func guideOrg(t *testing.T) *fakeOrg {
	dashboard := okta.Policy{ID: "rstDashboard00000001", Name: "Okta Dashboard", Type: okta.PolicyTypeAccess,
		Embedded: &okta.PolicyEmbedded{ResourceType: "APP"}}
	account := okta.Policy{ID: "rstAccount0000000001", Name: "Okta account management policy", Type: okta.PolicyTypeAccess,
		Embedded: &okta.PolicyEmbedded{ResourceType: "END_USER_ACCOUNT_MANAGEMENT"}}
	dupA := okta.Policy{ID: "rstDupA0000000000001", Name: "Team app", Type: okta.PolicyTypeAccess}
	dupB := okta.Policy{ID: "rstDupB0000000000001", Name: "Team app", Type: okta.PolicyTypeAccess}
	catchAll := func(id string) okta.PolicyRuleResponse {
		return decode[okta.PolicyRuleResponse](t, `{"id":"`+id+`","name":"Catch-all Rule","priority":99,"system":true,"status":"ACTIVE","conditions":null,
			"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"2FA","reauthenticateIn":"PT12H"}}}}`)
	}
	assuranceRule := func(id, name string, priority int, policies ...string) okta.PolicyRuleResponse {
		ids, _ := json.Marshal(policies)
		return decode[okta.PolicyRuleResponse](t, `{"id":"`+id+`","name":"`+name+`","priority":`+strconv.Itoa(priority)+`,"system":false,"status":"ACTIVE",
			"conditions":{"people":{"users":{"exclude":[]}},"riskScore":{"level":"ANY"},"userType":{"include":[],"exclude":[]},
			"device":{"registered":true,"managed":true,"assurance":{"include":`+string(ids)+`}}},
			"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H",
			"constraints":[{"knowledge":{"types":["password"]}}]},"keepMeSignedIn":{"postAuth":"NOT_ALLOWED"}}}}`)
	}
	return &fakeOrg{
		checks: []okta.PostureCheckResponse{
			decode[okta.PostureCheckResponse](t, `{"id":"dchFirewall000000001","name":"Device posture check macOS","variableName":"macOSFirewall",
				"platform":"MACOS","type":"CUSTOM","mappingType":"CHECKBOX","query":"SELECT 1 FROM alf;"}`),
			decode[okta.PostureCheckResponse](t, `{"id":"dchbuiltin0macfirewl","name":"Firewall enabled (built-in)","variableName":"oktaBuiltInMacOSFirewall",
				"platform":"MACOS","type":"BUILTIN","mappingType":"CHECKBOX","query":"SELECT 1;"}`),
		},
		policies: []okta.DeviceAssuranceResponse{
			decode[okta.DeviceAssuranceResponse](t, `{"id":"daeMac00000000000001","name":"Device assurance macOS","platform":"MACOS",
				"osVersion":{"minimum":"14.4"},"devicePostureChecks":{"include":[{"variableName":"oktaBuiltInMacOSFirewall","value":"1"},
				{"variableName":"macOSFirewall","value":"1"}]},"displayRemediationMode":"SHOW"}`),
			decode[okta.DeviceAssuranceResponse](t, `{"id":"dae3m8o4rWhwReDeM1c5","name":"Device assurance iOS","platform":"IOS",
				"osVersion":{"dynamicVersionRequirement":{"type":"EXACT_ANY_SUPPORTED","latestSecurityPatch":true}},"jailbreak":false,
				"gracePeriod":{"type":"BY_DURATION","expiry":"PT720H"},"displayRemediationMode":"SHOW"}`),
			decode[okta.DeviceAssuranceResponse](t, `{"id":"daeSameA000000000001","name":"Mobile","platform":"ANDROID","jailbreak":false,"displayRemediationMode":"HIDE"}`),
			decode[okta.DeviceAssuranceResponse](t, `{"id":"daeSameI000000000001","name":"Mobile","platform":"IOS","jailbreak":false,"displayRemediationMode":"HIDE"}`),
		},
		signIn: []okta.Policy{dashboard, account, dupA, dupB},
		rules: map[string][]okta.PolicyRuleResponse{
			dashboard.ID: {
				assuranceRule("rul7yut96gmsOzKAA1d6", "Device Assurance Rule", 1, "dae3m8o4rWhwReDeM1c5", "daeMac00000000000001"),
				decode[okta.PolicyRuleResponse](t, `{"id":"rulPlain000000000001","name":"Plain","priority":2,"status":"ACTIVE",
					"actions":{"appSignOn":{"access":"ALLOW"}}}`),
				catchAll("rulCatchDash00000001"),
			},
			account.ID: {assuranceRule("rulAccount0000000001", "Account rule", 0, "daeSameI000000000001"), catchAll("rulCatchAcct00000001")},
			dupA.ID:    {assuranceRule("rulDupA0000000000001", "Mobile rule", 0, "daeSameA000000000001"), catchAll("rulCatchDupA00000001")},
			dupB.ID:    {catchAll("rulCatchDupB00000001")},
		},
	}
}

func names(r *Result) []string {
	out := make([]string, 0, len(r.Objects))
	for _, o := range r.Objects {
		out = append(out, o.Kind+"/"+o.Name)
	}
	return out
}

func TestRunExportsTheOrg(t *testing.T) {
	org := guideOrg(t)
	result, err := Run(context.Background(), org, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"DevicePostureCheck/device-posture-check-macos",
		"DeviceAssurancePolicy/device-assurance-ios",
		"DeviceAssurancePolicy/device-assurance-macos",
		"DeviceAssurancePolicy/mobile-android",
		"DeviceAssurancePolicy/mobile-ios",
		"SignInRuleBinding/okta-dashboard-device-assurance-rule",
		"SignInRuleBinding/team-app-mobile-rule",
	}
	if got := names(result); !slices.Equal(got, want) {
		t.Errorf("objects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if drifted := result.Drifted(); len(drifted) > 0 {
		t.Errorf("would not round-trip: %+v", drifted)
	}
	if slices.Contains(org.listed, "rules of rstAccount0000000001") {
		t.Error("the account management policy is not an app sign-in policy: its rules are not read unless named")
	}
	assertManifest(t, result, "SignInRuleBinding/okta-dashboard-device-assurance-rule", `apiVersion: assurance.okta-operator.dev/v1alpha1
kind: SignInRuleBinding
metadata:
  name: okta-dashboard-device-assurance-rule
spec:
  adopt:
    id: rul7yut96gmsOzKAA1d6
  policy:
    name: Okta Dashboard
  rule:
    actions:
      appSignOn:
        access: ALLOW
        verificationMethod:
          constraints:
          - knowledge:
              types:
              - password
          factorMode: 2FA
          reauthenticateIn: PT2H
          type: ASSURANCE
    conditions:
      device:
        assurance:
          include:
          - name: device-assurance-ios
          - name: device-assurance-macos
        managed: true
        registered: true
    name: Device Assurance Rule
    priority: 1
`)
	assertManifest(t, result, "DeviceAssurancePolicy/device-assurance-ios", `apiVersion: assurance.okta-operator.dev/v1alpha1
kind: DeviceAssurancePolicy
metadata:
  name: device-assurance-ios
spec:
  adopt:
    id: dae3m8o4rWhwReDeM1c5
  displayRemediationMode: SHOW
  gracePeriod:
    expiry: P30D
    type: BY_DURATION
  jailbreak: false
  name: Device assurance iOS
  osVersion:
    dynamicVersionRequirement:
      latestSecurityPatch: true
      type: EXACT_ANY_SUPPORTED
  platform: IOS
`)
	// Checks are adopted by ID too.
	assertManifest(t, result, "DevicePostureCheck/device-posture-check-macos", `apiVersion: assurance.okta-operator.dev/v1alpha1
kind: DevicePostureCheck
metadata:
  name: device-posture-check-macos
spec:
  adopt:
    id: dchFirewall000000001
  mappingType: CHECKBOX
  name: Device posture check macOS
  platform: MACOS
  query: SELECT 1 FROM alf;
  variableName: macOSFirewall
`)
	// The policy requires the exported check by checkRef, Okta's built-in one
	// (not exported) by variableName.
	assertManifest(t, result, "DeviceAssurancePolicy/device-assurance-macos", `apiVersion: assurance.okta-operator.dev/v1alpha1
kind: DeviceAssurancePolicy
metadata:
  name: device-assurance-macos
spec:
  adopt:
    id: daeMac00000000000001
  devicePostureChecks:
    include:
    - checkRef:
        name: device-posture-check-macos
      value: "1"
    - value: "1"
      variableName: oktaBuiltInMacOSFirewall
  displayRemediationMode: SHOW
  name: Device assurance macOS
  osVersion:
    minimum: "14.4"
  platform: MACOS
`)
	// Two app sign-in policies are named "Team app": the binding names its policy by ID.
	if m := manifestOf(t, result, "SignInRuleBinding/team-app-mobile-rule"); !strings.Contains(m, "policy:\n    id: rstDupA0000000000001\n") {
		t.Errorf("the policy is not named by ID:\n%s", m)
	}
}

func TestRunWithOptions(t *testing.T) {
	org := guideOrg(t)
	result, err := Run(context.Background(), org, Options{
		Namespace: "team-a", OrgRef: &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindOktaOrg, Name: "prod"},
		Policies: []string{"Okta Dashboard", "Okta account management policy"}, AllRules: true, SkipPostureChecks: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"DeviceAssurancePolicy/device-assurance-ios",
		"DeviceAssurancePolicy/device-assurance-macos",
		"DeviceAssurancePolicy/mobile-android",
		"DeviceAssurancePolicy/mobile-ios",
		"SignInRuleBinding/okta-account-management-policy-account-rule",
		"SignInRuleBinding/okta-account-management-policy-catch-all-rule",
		"SignInRuleBinding/okta-dashboard-catch-all-rule",
		"SignInRuleBinding/okta-dashboard-device-assurance-rule",
		"SignInRuleBinding/okta-dashboard-plain",
	}
	if got := names(result); !slices.Equal(got, want) {
		t.Errorf("objects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if slices.Contains(org.listed, "posture checks") {
		t.Error("posture checks were listed")
	}
	// Without the check objects, policies require every check by variableName.
	if m := manifestOf(t, result, "DeviceAssurancePolicy/device-assurance-macos"); strings.Contains(m, "checkRef") ||
		!strings.Contains(m, "variableName: macOSFirewall\n") {
		t.Errorf("the policy does not require its checks by variableName:\n%s", m)
	}
	if drifted := result.Drifted(); len(drifted) > 0 {
		t.Errorf("would not round-trip: %+v", drifted)
	}
	for _, o := range result.Objects {
		if !strings.Contains(string(o.Manifest), "metadata:\n  name: "+o.Name+"\n  namespace: team-a\n") ||
			!strings.Contains(string(o.Manifest), "  orgRef:\n    kind: OktaOrg\n    name: prod\n") {
			t.Errorf("%s lacks the namespace or the orgRef:\n%s", o.Name, o.Manifest)
		}
	}
	assertManifest(t, result, "SignInRuleBinding/okta-dashboard-catch-all-rule", `apiVersion: assurance.okta-operator.dev/v1alpha1
kind: SignInRuleBinding
metadata:
  name: okta-dashboard-catch-all-rule
  namespace: team-a
spec:
  adopt:
    id: rulCatchDash00000001
  orgRef:
    kind: OktaOrg
    name: prod
  policy:
    name: Okta Dashboard
  rule:
    actions:
      appSignOn:
        access: ALLOW
        verificationMethod:
          factorMode: 2FA
          type: ASSURANCE
    name: Catch-all Rule
`)
}

func TestRunRefuses(t *testing.T) {
	org := guideOrg(t)
	if _, err := Run(context.Background(), org, Options{Policies: []string{"Okta Dashboard", "Nope"}}); err == nil ||
		!strings.Contains(err.Error(), `"Nope"`) || strings.Contains(err.Error(), `"Okta Dashboard"`) {
		t.Errorf("an unknown --policy: err = %v", err)
	}

	org = guideOrg(t)
	org.policies = org.policies[1:] // the macOS policy is gone, the rule still names it
	_, err := Run(context.Background(), org, Options{})
	if err == nil || !strings.Contains(err.Error(), "daeMac00000000000001") || !strings.Contains(err.Error(), `"Device Assurance Rule"`) {
		t.Errorf("a rule naming a policy that is not exported: err = %v", err)
	}
}

// An object that would not round-trip is returned with the fields that
// applying it would change.
func TestRunReportsWhatWouldNotRoundTrip(t *testing.T) {
	org := guideOrg(t)
	// An empty object the API has no place for: the spec leaves it out, Okta keeps it.
	org.policies[0].ThirdPartySignalProviders = &okta.ThirdPartySignalProviders{}
	result, err := Run(context.Background(), org, Options{})
	if err != nil {
		t.Fatal(err)
	}
	drifted := result.Drifted()
	if len(drifted) != 1 || drifted[0].Name != "device-assurance-macos" || !slices.Equal(drifted[0].Drift, []string{"thirdPartySignalProviders"}) {
		t.Errorf("drifted: %+v", drifted)
	}
}

func TestRunIsDeterministic(t *testing.T) {
	first, err := Run(context.Background(), guideOrg(t), Options{AllRules: true})
	if err != nil {
		t.Fatal(err)
	}
	org := guideOrg(t)
	slices.Reverse(org.checks)
	slices.Reverse(org.policies)
	slices.Reverse(org.signIn)
	for id := range org.rules {
		slices.Reverse(org.rules[id])
	}
	for i := range org.policies {
		if det := org.policies[i].DiskEncryptionType; det != nil {
			slices.Reverse(det.Include)
		}
	}
	second, err := Run(context.Background(), org, Options{AllRules: true})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := first.WriteStream(&a); err != nil {
		t.Fatal(err)
	}
	if err := second.WriteStream(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("the org listed in another order exports differently:\n%s\n---- vs ----\n%s", a.String(), b.String())
	}
}

func TestParseOrgRef(t *testing.T) {
	for in, want := range map[string]string{
		"ClusterOktaOrg/prod": "ClusterOktaOrg/prod", "OktaOrg/team": "OktaOrg/team",
		"prod": "error", "ClusterOktaOrg/": "error", "Org/prod": "error", "OktaOrg/a/b": "error",
	} {
		ref, err := ParseOrgRef(in)
		got := "error"
		if err == nil {
			got = string(ref.Kind) + "/" + ref.Name
		}
		if got != want {
			t.Errorf("ParseOrgRef(%q) = %s (%v), want %s", in, got, err, want)
		}
	}
}

func TestWriteDir(t *testing.T) {
	result, err := Run(context.Background(), guideOrg(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	stale := filepath.Join(dir, "signinrulebindings", "gone.yaml")
	other := filepath.Join(dir, "signinrulebindings", "README.md")
	for _, f := range []string{stale, other} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := result.WriteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(removed, []string{"signinrulebindings/gone.yaml"}) {
		t.Errorf("removed %v", removed)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file that is no manifest was removed: %v", err)
	}
	for _, o := range result.Objects {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(Path(o))))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, o.Manifest) {
			t.Errorf("%s holds:\n%s", Path(o), got)
		}
	}
	kustomization, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- deviceposturechecks/device-posture-check-macos.yaml
- deviceassurancepolicies/device-assurance-ios.yaml
- deviceassurancepolicies/device-assurance-macos.yaml
- deviceassurancepolicies/mobile-android.yaml
- deviceassurancepolicies/mobile-ios.yaml
- signinrulebindings/okta-dashboard-device-assurance-rule.yaml
- signinrulebindings/team-app-mobile-rule.yaml
`
	if string(kustomization) != want {
		t.Errorf("kustomization.yaml:\n%s", kustomization)
	}
}

func TestWriteStream(t *testing.T) {
	result, err := Run(context.Background(), guideOrg(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := result.WriteStream(&out); err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(out.String(), "---\n")
	if len(docs) != len(result.Objects) {
		t.Fatalf("%d documents, want %d", len(docs), len(result.Objects))
	}
	for i, doc := range docs {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil || m["kind"] != result.Objects[i].Kind {
			t.Errorf("document %d: %v %v", i, m["kind"], err)
		}
	}
}

func manifestOf(t *testing.T, result *Result, kindName string) string {
	t.Helper()
	for _, o := range result.Objects {
		if o.Kind+"/"+o.Name == kindName {
			return string(o.Manifest)
		}
	}
	t.Fatalf("no %s", kindName)
	return ""
}

func assertManifest(t *testing.T, result *Result, kindName, want string) {
	t.Helper()
	if got := manifestOf(t, result, kindName); got != want {
		t.Errorf("%s:\n%s\nwant:\n%s", kindName, got, want)
	}
}
