package deviceassurance_test

import (
	"context"
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
	testEnv     *envtest.Environment
	k8s         client.Client
	ctx         context.Context
	cancel      context.CancelFunc
	scheme      = runtime.NewScheme()
	sim         *httptest.Server
	admin       *okta.Client // plays a person editing the org by hand
	writes      *countingTransport
	specCheck   *oktaspec.Transport
	orgs        = &switchableResolver{}
	statusFault = &faultInjector{}
)

func TestDeviceAssurancePolicyController(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "DeviceAssurancePolicy controller")
}

var _ = BeforeSuite(func() {
	logf.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	SetDefaultEventuallyTimeout(30 * time.Second)
	SetDefaultEventuallyPollingInterval(100 * time.Millisecond)
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
	orgs.set(newOktaClient(writes), nil)

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

func startManager(cfg *rest.Config) {
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
	Expect(err).NotTo(HaveOccurred())
	direct, err := client.NewWithWatch(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
	r := &deviceassurance.Reconciler{
		Client:   interceptor.NewClient(direct, interceptor.Funcs{SubResourcePatch: statusFault.patch}),
		Orgs:     orgs,
		Recorder: mgr.GetEventRecorder("deviceassurancepolicy-controller"),
		Resync:   resync,
	}
	Expect(r.SetupWithManager(ctx, mgr, 2)).To(Succeed())
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

func (s *switchableResolver) Resolve(context.Context, string, *assurancev1alpha1.OrgReference) (okta.API, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.api, s.err
}

// countingTransport counts the operator's requests to Okta by method.
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
	c.count[req.Method]++
	c.mu.Unlock()
	return c.base.RoundTrip(req)
}

func (c *countingTransport) writes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count[http.MethodPost] + c.count[http.MethodPut] + c.count[http.MethodDelete]
}

func (c *countingTransport) reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count[http.MethodGet]
}

// faultInjector fails the next status patch that records an Okta ID for a
// chosen object, as if the API server were unreachable right after the
// POST.
type faultInjector struct {
	armedFor atomic.Value // object name
	fired    atomic.Int32
}

var errInjected = errors.New("injected: the API server is unreachable")

func (f *faultInjector) patch(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
	if name, _ := f.armedFor.Load().(string); name != "" && name == obj.GetName() {
		if p, ok := obj.(*assurancev1alpha1.DeviceAssurancePolicy); ok && p.Status.ID != "" {
			f.armedFor.Store("")
			f.fired.Add(1)
			return errInjected
		}
	}
	return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
}

func simPolicies() []okta.DeviceAssuranceResponse {
	list, err := admin.ListDeviceAssurances(ctx)
	Expect(err).NotTo(HaveOccurred())
	return list
}

func simPoliciesNamed(name string) []okta.DeviceAssuranceResponse {
	var out []okta.DeviceAssuranceResponse
	for _, p := range simPolicies() {
		if strings.EqualFold(p.Name, name) {
			out = append(out, p)
		}
	}
	return out
}
