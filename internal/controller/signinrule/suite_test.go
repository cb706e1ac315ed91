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
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// resync is short so that out-of-band changes are seen within the test.
const resync = time.Second

var (
	env    *controllertest.Env
	k8s    client.Client
	admin  *okta.Client // plays a person editing the org by hand
	ctx    context.Context
	cancel context.CancelFunc
	// writes counts the rule writes of the binding controller.
	writes      *controllertest.CountingTransport
	ruleOrgs    = &controllertest.Resolver{}
	policyOrgs  = &controllertest.Resolver{}
	statusFault = &controllertest.StatusFault{Recorded: func(obj client.Object) bool {
		b, ok := obj.(*assurancev1alpha1.SignInRuleBinding)
		return ok && b.Status.RuleID != ""
	}}
)

func TestSignInRuleBindingController(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "SignInRuleBinding controller")
}

var _ = BeforeSuite(func() {
	logf.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	SetDefaultEventuallyTimeout(30 * time.Second)
	SetDefaultEventuallyPollingInterval(100 * time.Millisecond)
	SetDefaultConsistentlyDuration(4 * resync)
	SetDefaultConsistentlyPollingInterval(resync / 4)
	ctx, cancel = context.WithCancel(context.Background())
	var err error
	env, err = controllertest.Start()
	Expect(err).NotTo(HaveOccurred())
	k8s, admin = env.K8s, env.Admin
	writes = &controllertest.CountingTransport{Base: env.SpecCheck, IsWrite: func(req *http.Request) bool {
		return strings.Contains(req.URL.Path, "/rules")
	}}
	rulesAPI, err := env.NewOktaClient(writes)
	Expect(err).NotTo(HaveOccurred())
	ruleOrgs.Set(rulesAPI, nil)
	policiesAPI, err := env.NewOktaClient(env.SpecCheck)
	Expect(err).NotTo(HaveOccurred())
	policyOrgs.Set(policiesAPI, nil)
	startManager()
})

var _ = AfterSuite(func() {
	cancel()
	Expect(env.Stop()).To(Succeed())
	Expect(env.SpecFindings()).To(BeEmpty(), "the operator's Okta traffic must match Okta's OpenAPI document")
})

// startManager runs both reconcilers: bindings depend on policies.
func startManager() {
	mgr, direct, err := env.NewManager(statusFault)
	Expect(err).NotTo(HaveOccurred())
	policies := &deviceassurance.Reconciler{
		Client:   direct,
		Orgs:     policyOrgs,
		Recorder: mgr.GetEventRecorder("deviceassurancepolicy-controller"),
		Resync:   resync,
	}
	Expect(policies.SetupWithManager(ctx, mgr, 2)).To(Succeed())
	rules := &signinrule.Reconciler{
		Client:   direct,
		Orgs:     ruleOrgs,
		Recorder: mgr.GetEventRecorder("signinrulebinding-controller"),
		Resync:   resync,
	}
	Expect(rules.SetupWithManager(ctx, mgr, 4)).To(Succeed())
	go func() {
		defer GinkgoRecover()
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
}

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
