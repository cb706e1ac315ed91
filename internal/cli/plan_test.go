package cli

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

func simulatedOrg(t *testing.T) (url, tokenFile string) {
	t.Helper()
	const token = "cli-test-token"
	sim := httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{token}, RateLimits: oktasim.RateLimits{Disabled: true}}))
	t.Cleanup(sim.Close)
	tokenFile = filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return sim.URL, tokenFile
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

var guidePolicy = filepath.Join("..", "..", "config", "samples", "guide", "01-device-assurance-policy.yaml")

func TestPlanExitsTwoWhenSomethingWouldChange(t *testing.T) {
	url, token := simulatedOrg(t)
	code, out, stderr := runCLI("plan", "-f", guidePolicy, "--org-url", url, "--allow-insecure-http", "--api-token-file", token, "-o", "json")
	if code != ExitChanges {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitChanges, stderr)
	}
	var got struct {
		HasChanges bool `json:"hasChanges"`
		Changes    []struct {
			Kind, Name, Action string
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("-o json is not JSON: %v\n%s", err, out)
	}
	if !got.HasChanges || len(got.Changes) != 1 || got.Changes[0].Action != "create" || got.Changes[0].Name != "device-assurance-ios" {
		t.Fatalf("plan %+v", got)
	}

	code, out, _ = runCLI("plan", "-f", guidePolicy, "--org-url", url, "--allow-insecure-http", "--api-token-file", token, "-o", "markdown")
	if code != ExitChanges || !strings.Contains(out, "| DeviceAssurancePolicy `default/device-assurance-ios` | create |") {
		t.Fatalf("markdown (exit %d):\n%s", code, out)
	}
}

func TestPlanFailsClearlyWithoutCredentialsOrWithABadOutput(t *testing.T) {
	url, token := simulatedOrg(t)
	t.Setenv(TokenEnv, "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "-f", guidePolicy, "--org-url", url, "--allow-insecure-http"}, "no credentials"},
		{[]string{"plan", "-f", guidePolicy, "--org-url", url, "--api-token-file", token}, "--org-url"},
		{[]string{"plan", "-f", guidePolicy, "--org-url", url, "--allow-insecure-http", "--api-token-file", token, "-o", "yaml"}, "--output"},
		{[]string{"plan", "--org-url", url}, "filename"},
	} {
		code, _, stderr := runCLI(tt.args...)
		if code != ExitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want 1 and %q", tt.args, code, stderr, tt.want)
		}
		if strings.Contains(stderr, "cli-test-token") {
			t.Errorf("%v: the token is in the error", tt.args)
		}
	}
}

func TestRenderNeedsNoOrg(t *testing.T) {
	code, out, stderr := runCLI("render", "-f", guidePolicy)
	if code != ExitOK || !strings.Contains(out, "POST /api/v1/device-assurances") || !strings.Contains(out, `"name": "Device assurance iOS"`) {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
}

func TestRenderFindsTheSignInPoliciesBindingsName(t *testing.T) {
	manifests := filepath.Join(t.TempDir(), "rules.yaml")
	rule := func(name, policy string) string {
		return `apiVersion: assurance.okta-operator.dev/v1alpha1
kind: SignInRuleBinding
metadata: {name: ` + name + `}
spec:
  policy: ` + policy + `
  rule: {name: ` + name + `, priority: 1, actions: {appSignOn: {access: ALLOW}}}
`
	}
	yaml := rule("by-name", "{name: Payments Portal}") + "---\n" + rule("by-id", "{id: rstPAYMENTSPORTAL001}")
	if err := os.WriteFile(manifests, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI("render", "-f", manifests)
	if code != ExitOK || strings.Count(out, "POST /api/v1/policies/") != 2 || !strings.Contains(out, "POST /api/v1/policies/rstPAYMENTSPORTAL001/rules") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
}
