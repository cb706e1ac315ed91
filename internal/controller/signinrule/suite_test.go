package signinrule_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktaspec"
)

const (
	simToken = "suite-token"
	// resync is short so that out-of-band changes are seen within the test.
	resync = time.Second
)

var (
	testEnv   *envtest.Environment
	k8s       client.Client
	ctx       context.Context
	cancel    context.CancelFunc
	scheme    = runtime.NewScheme()
	sim       *httptest.Server
	admin     *okta.Client // plays a person editing the org by hand
	writes    *countingTransport
	specCheck *oktaspec.Transport
	// ruleOrgs serves the SignInRuleBinding reconciler, policyOrgs the
	// DeviceAssurancePolicy one: only the former's traffic is counted.
	ruleOrgs    = &switchableResolver{}
	policyOrgs  = &switchableResolver{}
	statusFault = &faultInjector{}
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
	Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	Expect(assurancev1alpha1.AddToScheme(scheme)).To(Succeed())

	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := testEnv.Start()
	Expect(err).NotTo(HaveOccurred(), "start envtest; run the tests with 'make test'")
	k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())

	sim = httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{simToken}, RateLimits: oktasim.RateLimits{Disabled: true}}))
	admin = newOktaClient(http.DefaultTransport)
	specCheck, err = oktaspec.NewTransport(nil)
	Expect(err).NotTo(HaveOccurred())
	writes = &countingTransport{base: specCheck}
	ruleOrgs.set(newOktaClient(writes), nil)
	policyOrgs.set(newOktaClient(specCheck), nil)

	startManager(cfg)
})

var _ = AfterSuite(func() {
	cancel()
	sim.Close()
	Expect(testEnv.Stop()).To(Succeed())
	for _, f := range specCheck.Findings() {
		GinkgoWriter.Println(f.String())
	}
	Expect(specCheck.Findings()).To(BeEmpty(), "the operator's Okta traffic must match Okta's OpenAPI document")
})

// startManager runs the DeviceAssurancePolicy and the SignInRuleBinding
// reconcilers in one manager, as cmd/main.go does.
func startManager(cfg *rest.Config) {
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
	Expect(err).NotTo(HaveOccurred())
	// Like the DeviceAssurancePolicy suite, the reconcilers read objects
	// directly, so a pass never acts on a stale copy of its own status.
	direct, err := client.NewWithWatch(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
	policies := &deviceassurance.Reconciler{
		Client:   direct,
		Orgs:     policyOrgs,
		Recorder: mgr.GetEventRecorder("deviceassurancepolicy-controller"),
		Resync:   resync,
	}
	Expect(policies.SetupWithManager(ctx, mgr, 2)).To(Succeed())
	rules := &signinrule.Reconciler{
		Client:   interceptor.NewClient(direct, interceptor.Funcs{SubResourcePatch: statusFault.patch}),
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

func newOktaClient(transport http.RoundTripper) *okta.Client {
	c, err := okta.New(okta.Config{OrgURL: sim.URL, Credentials: okta.APIToken(simToken), HTTPClient: &http.Client{Transport: transport}})
	Expect(err).NotTo(HaveOccurred())
	return c
}

// switchableResolver stands in for the org resolver: tests make the org
// unavailable and available again.
type switchableResolver struct {
	mu  sync.Mutex
	api okta.API
	err error
}

func (s *switchableResolver) set(api okta.API, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.api, s.err = api, err
}

func (s *switchableResolver) get() (okta.API, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.api, s.err
}

func (s *switchableResolver) Resolve(context.Context, string, *assurancev1alpha1.OrgReference) (okta.API, error) {
	return s.get()
}

// countingTransport counts the rule reconciler's writes to Okta rules.
type countingTransport struct {
	base  http.RoundTripper
	mu    sync.Mutex
	count map[string]int
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if c.count == nil {
		c.count = map[string]int{}
	}
	if req.Method != http.MethodGet && strings.Contains(req.URL.Path, "/rules") {
		c.count["write"]++
	} else if req.Method == http.MethodGet {
		c.count["read"]++
	}
	c.mu.Unlock()
	return c.base.RoundTrip(req)
}

func (c *countingTransport) writes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count["write"]
}

func (c *countingTransport) reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count["read"]
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
	req, err := http.NewRequestWithContext(ctx, method, sim.URL+path, reader)
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Authorization", "SSWS "+simToken)
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

// faultInjector fails the next status patch that records a rule ID for a
// chosen binding, as if the API server were unreachable right after the
// POST.
type faultInjector struct {
	armedFor atomic.Value // object name
	fired    atomic.Int32
}

var errInjected = errors.New("injected: the API server is unreachable")

func (f *faultInjector) patch(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
	if name, _ := f.armedFor.Load().(string); name != "" && name == obj.GetName() {
		if b, ok := obj.(*assurancev1alpha1.SignInRuleBinding); ok && b.Status.RuleID != "" {
			f.armedFor.Store("")
			f.fired.Add(1)
			return errInjected
		}
	}
	return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
}
