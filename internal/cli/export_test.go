package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/export"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

const exportToken = "export-cli-test-token"

// exportOrg is a simulated org holding the guide's objects (a posture
// check, an iOS and a macOS policy, the rule in Okta Dashboard) and a
// Terraform-made rule; it records every request sent once it is made.
type exportOrg struct {
	url, tokenFile string
	mu             sync.Mutex
	recording      bool
	requests       []string
}

func newExportOrg(t *testing.T) *exportOrg {
	t.Helper()
	o := &exportOrg{}
	sim := oktasim.New(oktasim.Options{APITokens: []string{exportToken}, RateLimits: oktasim.RateLimits{Disabled: true}})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		if o.recording {
			o.requests = append(o.requests, r.Method+" "+r.URL.Path)
		}
		o.mu.Unlock()
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	o.url = server.URL
	o.tokenFile = filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(o.tokenFile, []byte(exportToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	admin, err := okta.New(okta.Config{OrgURL: server.URL, Credentials: okta.APIToken(exportToken), HTTPClient: server.Client()})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = admin.CreatePostureCheck(ctx, okta.PostureCheck{Name: "Device posture check macOS", VariableName: "macOSFirewall", Platform: okta.PlatformMacOS,
		MappingType: "CHECKBOX", Query: "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;"})
	must(err)
	yes, no := true, false
	ios, err := admin.CreateDeviceAssurance(ctx, okta.DeviceAssurance{Name: "Device assurance iOS", Platform: okta.PlatformIOS, Jailbreak: &no,
		OSVersion:   &okta.OSVersion{DynamicVersionRequirement: &okta.DynamicVersionRequirement{Type: "EXACT_ANY_SUPPORTED", LatestSecurityPatch: &yes}},
		GracePeriod: &okta.GracePeriod{Type: "BY_DURATION", Expiry: "P30D"}, DisplayRemediationMode: "SHOW"})
	must(err)
	mac, err := admin.CreateDeviceAssurance(ctx, okta.DeviceAssurance{Name: "Device assurance macOS", Platform: okta.PlatformMacOS,
		OSVersion:           &okta.OSVersion{Minimum: "14.4"},
		DevicePostureChecks: &okta.DevicePostureChecks{Include: []okta.PostureCheckRequirement{{VariableName: "macOSFirewall", Value: "1"}}}})
	must(err)
	policies, err := admin.ListPolicies(ctx, okta.PolicyListOptions{Type: okta.PolicyTypeAccess, Q: "Okta Dashboard"})
	must(err)
	one := 1
	_, err = admin.CreatePolicyRule(ctx, policies[0].ID, okta.PolicyRule{Name: "Device Assurance Rule", Priority: &one,
		Conditions: &okta.RuleConditions{Device: &okta.DeviceCondition{Registered: &yes, Managed: &yes,
			Assurance: &okta.AssuranceCondition{Include: []string{ios.ID, mac.ID}}}},
		Actions: &okta.RuleActions{AppSignOn: &okta.AppSignOnAction{Access: "ALLOW", VerificationMethod: &okta.VerificationMethod{
			Type: "ASSURANCE", FactorMode: "2FA", ReauthenticateIn: "PT2H",
			Constraints: okta.ConstraintList{{Knowledge: &okta.KnowledgeConstraint{AuthenticatorConstraint: okta.AuthenticatorConstraint{Types: []string{"password"}}}}}}}},
	}, true)
	must(err)
	two := 2
	_, err = admin.CreatePolicyRule(ctx, policies[0].ID, okta.PolicyRule{Name: "Terraform rule", Priority: &two,
		Conditions: &okta.RuleConditions{Device: &okta.DeviceCondition{Registered: &yes, Assurance: &okta.AssuranceCondition{Include: []string{ios.ID}}},
			ELCondition: &okta.ELCondition{}},
		Actions: &okta.RuleActions{AppSignOn: &okta.AppSignOnAction{Access: "ALLOW", VerificationMethod: &okta.VerificationMethod{
			Type: "ASSURANCE", FactorMode: "2FA", Constraints: okta.ConstraintList{{}}}}},
	}, true)
	must(err)

	o.mu.Lock()
	o.recording = true
	o.mu.Unlock()
	return o
}

// writes are the requests other than GET the org received since it was made.
func (o *exportOrg) writes() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, r := range o.requests {
		if !strings.HasPrefix(r, http.MethodGet+" ") {
			out = append(out, r)
		}
	}
	return out
}

func runExportCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(append([]string{"export"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExportWritesAFolderAndOnlyReads(t *testing.T) {
	org := newExportOrg(t)
	dir := t.TempDir()
	code, stdout, stderr := runExportCLI("--org-url", org.url, "--allow-insecure-http", "--api-token-file", org.tokenFile, "-o", dir, "--namespace", "team-a")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout: %s", stdout)
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	want := []string{
		"deviceassurancepolicies/device-assurance-ios.yaml",
		"deviceassurancepolicies/device-assurance-macos.yaml",
		"deviceposturechecks/device-posture-check-macos.yaml",
		"kustomization.yaml",
		"signinrulebindings/okta-dashboard-device-assurance-rule.yaml",
		"signinrulebindings/okta-dashboard-terraform-rule.yaml",
	}
	if !slices.Equal(files, want) {
		t.Errorf("files: %v", files)
	}
	if s := "wrote 1 DevicePostureChecks, 2 DeviceAssurancePolicies and 2 SignInRuleBindings to " + dir; !strings.Contains(stderr, s) {
		t.Errorf("stderr does not say %q:\n%s", s, stderr)
	}
	if strings.Contains(stderr, "warning:") {
		t.Errorf("an object would not round-trip:\n%s", stderr)
	}
	if strings.Contains(stderr, "VariableNameConflict") {
		t.Errorf("the exported checks adopt their Okta checks: nothing to warn about:\n%s", stderr)
	}
	check, err := os.ReadFile(filepath.Join(dir, "deviceposturechecks", "device-posture-check-macos.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^  adopt:\n    id: dch\w+\n`).Match(check) {
		t.Errorf("the posture check is not adopted by ID:\n%s", check)
	}
	policy, err := os.ReadFile(filepath.Join(dir, "deviceassurancepolicies", "device-assurance-macos.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(policy), "    - checkRef:\n        name: device-posture-check-macos\n") || strings.Contains(string(policy), "variableName") {
		t.Errorf("the macOS policy does not require the exported check by checkRef:\n%s", policy)
	}
	binding, err := os.ReadFile(filepath.Join(dir, "signinrulebindings", "okta-dashboard-terraform-rule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(binding), "          constraints:\n          - {}\n") || strings.Contains(string(binding), "elCondition") {
		t.Errorf("the Terraform-made rule:\n%s", binding)
	}
	if w := org.writes(); len(w) > 0 {
		t.Errorf("the export sent %v", w)
	}
}

func TestExportToStandardOutputWithTheTokenFromTheEnvironment(t *testing.T) {
	org := newExportOrg(t)
	t.Setenv(TokenEnv, exportToken)
	code, stdout, stderr := runExportCLI("--org-url", org.url, "--allow-insecure-http", "-o", "-",
		"--policy", "Okta Dashboard", "--all-rules", "--posture-checks=false", "--org-ref", "ClusterOktaOrg/prod")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	docs := strings.Split(stdout, "---\n")
	if len(docs) != 5 {
		t.Fatalf("%d documents, want 2 policies and 3 rules:\n%s", len(docs), stdout)
	}
	// Policies first, then bindings by name: the Catch-all Rule is okta-dashboard-catch-all-rule.
	if !strings.Contains(docs[2], "name: Catch-all Rule") || !strings.Contains(docs[2], "orgRef:\n    kind: ClusterOktaOrg\n    name: prod\n") {
		t.Errorf("the Catch-all Rule:\n%s", docs[2])
	}
	if w := org.writes(); len(w) > 0 {
		t.Errorf("the export sent %v", w)
	}
}

func TestExportRefusesBadFlags(t *testing.T) {
	org := newExportOrg(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--org-url", org.url, "--allow-insecure-http", "--api-token-file", org.tokenFile}, "-o DIR"},
		{[]string{"--org-url", org.url, "--allow-insecure-http", "--api-token-file", org.tokenFile, "-o", "-", "--org-ref", "prod"}, "--org-ref"},
		{[]string{"--org-url", org.url, "--allow-insecure-http", "--api-token-file", org.tokenFile, "-o", "-", "--policy", "Nope"}, `no app sign-in policy named "Nope"`},
		{[]string{"--org-url", org.url, "-o", "-", "--api-token-file", org.tokenFile}, "http only with --allow-insecure-http"},
	} {
		code, _, stderr := runExportCLI(tt.args...)
		if code != ExitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want it to say %q", tt.args, code, stderr, tt.want)
		}
	}
}

// driftingAPI answers the reads of an export with a policy that the API
// cannot hold as Okta does; every other call fails.
type driftingAPI struct{ okta.API }

func (driftingAPI) ListPostureChecks(context.Context) ([]okta.PostureCheckResponse, error) {
	return nil, nil
}

func (driftingAPI) ListDeviceAssurances(context.Context) ([]okta.DeviceAssuranceResponse, error) {
	no := false
	return []okta.DeviceAssuranceResponse{{ID: "daeDrift000000000001", DeviceAssurance: okta.DeviceAssurance{
		Name: "Odd", Platform: okta.PlatformIOS, Jailbreak: &no, ThirdPartySignalProviders: &okta.ThirdPartySignalProviders{}}}}, nil
}

func (driftingAPI) ListPolicies(context.Context, okta.PolicyListOptions) ([]okta.Policy, error) {
	return nil, nil
}

func (driftingAPI) ListPolicyRules(context.Context, string) ([]okta.PolicyRuleResponse, error) {
	return nil, errors.New("no rules")
}

// An object that would not apply without a write is still written, named
// with its fields on standard error, and the exit code is 2.
func TestExportExitsTwoWhenAnObjectWouldNotRoundTrip(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := exportFrom(context.Background(), okta.ReadOnly(driftingAPI{}), export.Options{}, "-", &stdout, &stderr)
	var exit exitError
	if !errors.As(err, &exit) || exit.code != ExitChanges {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(stdout.String(), "name: Odd") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	want := `warning: DeviceAssurancePolicy odd (Okta policy daeDrift000000000001 "Odd" (IOS)): applying it would change thirdPartySignalProviders in Okta`
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}
