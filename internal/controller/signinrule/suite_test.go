package signinrule_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// resync is short so that out-of-band changes are seen within the test.
const resync = time.Second

var (
	suite *controllertest.Suite
	env   *controllertest.Env
	k8s   client.Client
	admin *okta.Client // plays a person editing the org by hand
	ctx   context.Context
	// writes counts the rule writes of the binding controller.
	writes      *controllertest.CountingTransport
	ruleOrgs    = &controllertest.Resolver{}
	policyOrgs  = &controllertest.Resolver{}
	statusFault = &controllertest.StatusFault{}
)

func TestSignInRuleBindingController(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "SignInRuleBinding controller")
}

var _ = BeforeSuite(func() {
	suite = controllertest.StartSuite(statusFault, resync)
	ctx, env, k8s, admin = suite.Ctx, suite.Env, suite.K8s, suite.Admin
	writes = &controllertest.CountingTransport{Base: env.SpecCheck, IsWrite: func(req *http.Request) bool {
		return strings.Contains(req.URL.Path, "/rules")
	}}
	rulesAPI, err := env.NewOktaClient(writes)
	Expect(err).NotTo(HaveOccurred())
	ruleOrgs.Set(rulesAPI, nil)
	policiesAPI, err := env.NewOktaClient(env.SpecCheck)
	Expect(err).NotTo(HaveOccurred())
	policyOrgs.Set(policiesAPI, nil)
	// Both controllers run: bindings depend on policies.
	Expect(deviceassurance.New(suite.Options(policyOrgs, resync, 2)).SetupWithManager(ctx, suite.Manager)).To(Succeed())
	Expect(signinrule.New(suite.Options(ruleOrgs, resync, 4)).SetupWithManager(ctx, suite.Manager)).To(Succeed())
	suite.Run()
})

var _ = AfterSuite(func() { suite.Stop() })

// simJSON sends a request to the simulated org as an admin and decodes the
// answer as generic JSON.
func simJSON(method, path string, body any) any {
	var reader *strings.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		Expect(err).NotTo(HaveOccurred())
		reader = strings.NewReader(string(raw))
	} else {
		reader = strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, method, env.Sim.URL+path, reader)
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Authorization", "SSWS "+controllertest.SimToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer func() { _ = resp.Body.Close() }()
	Expect(resp.StatusCode).To(BeNumerically("<", 300), "%s %s", method, path)
	var out any
	if resp.StatusCode != http.StatusNoContent {
		Expect(json.NewDecoder(resp.Body).Decode(&out)).To(Succeed())
	}
	return out
}

// newSimPolicy creates an app sign-in policy, as a person would in the
// Admin Console, and returns its ID.
func newSimPolicy(name string) string {
	out := simJSON(http.MethodPost, "/api/v1/policies", map[string]any{"type": "ACCESS_POLICY", "name": name})
	return out.(map[string]any)["id"].(string)
}

// simRule is the rule as the org returns it, without its links and times.
func simRule(policyID, ruleID string) map[string]any {
	out := simJSON(http.MethodGet, "/api/v1/policies/"+policyID+"/rules/"+ruleID, nil).(map[string]any)
	for _, k := range []string{"_links", "created", "lastUpdated"} {
		delete(out, k)
	}
	return out
}

func simRules(policyID string) []okta.PolicyRuleResponse {
	rules, err := admin.ListPolicyRules(ctx, policyID)
	Expect(err).NotTo(HaveOccurred())
	return rules
}

func simRuleNamed(policyID, name string) *okta.PolicyRuleResponse {
	for _, r := range simRules(policyID) {
		if r.Name == name {
			return &r
		}
	}
	return nil
}

func simPolicyNamed(name string) string {
	policies, err := admin.ListPolicies(ctx, okta.PolicyListOptions{Type: okta.PolicyTypeAccess, Q: name})
	Expect(err).NotTo(HaveOccurred())
	for _, p := range policies {
		if p.Name == name {
			return p.ID
		}
	}
	Fail("no policy named " + name)
	return ""
}
