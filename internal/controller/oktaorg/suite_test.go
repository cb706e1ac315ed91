package oktaorg_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	ctrlcache "sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/oktaorg"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/manager"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// operatorNamespace is the cluster resource namespace of the suite.
const operatorNamespace = "okta-operator-system"

var (
	testEnv   *envtest.Environment
	k8sClient client.Client
	resolver  orgclient.Resolver
	// managerCache is the manager's cache, to show what it holds.
	managerCache ctrlcache.Cache
	ctx          context.Context
	cancel       context.CancelFunc
	// logs holds every log line of the manager and the controllers.
	logs = &syncBuffer{}
)

func TestOktaOrgControllers(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "OktaOrg controllers")
}

var _ = BeforeSuite(func() {
	logger := zap.New(zap.WriteTo(io.MultiWriter(GinkgoWriter, logs)), zap.UseDevMode(true))
	ctrl.SetLogger(logger)
	ctx, cancel = context.WithCancel(context.Background())

	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := testEnv.Start()
	Expect(err).NotTo(HaveOccurred(), "start envtest; run the tests with 'make test', which builds kube-apiserver and etcd")

	scheme := runtime.NewScheme()
	Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	Expect(v1alpha1.AddToScheme(scheme)).To(Succeed())
	k8sClient, err = client.New(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
	createNamespace(operatorNamespace, nil)

	// Wired as internal/manager wires it: the cache holds the Secrets of
	// the operator's namespace only, OktaOrg Secrets are read directly.
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme: scheme, Logger: logger,
		Cache:                  manager.CacheOptions(operatorNamespace),
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
	})
	Expect(err).NotTo(HaveOccurred())
	// Short retries inside the okta client keep failing checks quick.
	managerCache = mgr.GetCache()
	cache := orgclient.NewCache(mgr.GetClient(), operatorNamespace, orgclient.WithOktaOrgSecretReader(mgr.GetAPIReader()),
		orgclient.WithConnectionPolicy(orgclient.LocalSimulatorPolicy()),
		orgclient.WithRetry(okta.RetryConfig{MaxAttempts: 2, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}))
	resolver = cache
	// The default check interval (5 minutes): a check the tests see comes
	// from a watch, a forced check (an annotation), or the Secret recheck.
	opts := oktaorg.Options{ProbeTimeout: 5 * time.Second, SecretRecheckInterval: time.Second}
	Expect(oktaorg.SetupOktaOrgWithManager(ctx, mgr, cache, opts)).To(Succeed())
	Expect(oktaorg.SetupClusterOktaOrgWithManager(ctx, mgr, cache, opts)).To(Succeed())
	go func() {
		defer GinkgoRecover()
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
})

var _ = AfterSuite(func() {
	cancel()
	Expect(testEnv.Stop()).To(Succeed())
})

// sim is an oktasim org served over httptest.
type sim struct {
	*httptest.Server
	org *oktasim.Org
}

func newSim(opts oktasim.Options) *sim { return startSim(opts, httptest.NewServer) }

func newTLSSim(opts oktasim.Options) *sim { return startSim(opts, httptest.NewTLSServer) }

func startSim(opts oktasim.Options, start func(http.Handler) *httptest.Server) *sim {
	opts.RateLimits.Disabled = true
	org := oktasim.New(opts)
	s := &sim{Server: start(org), org: org}
	DeferCleanup(s.Close)
	return s
}

// syncBuffer is a bytes.Buffer safe for the manager's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
