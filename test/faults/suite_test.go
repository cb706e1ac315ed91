// Package faults_test runs the operator (every controller, as cmd/main.go
// wires them through internal/manager) through a matrix of failures: of the
// Okta org (injected into the simulator, internal/oktasim faults), of the
// Kubernetes API (a client interceptor) and of the manager itself (killed
// mid-create). Each spec has its own namespace, simulated org and manager,
// so that one spec can kill its manager and start a fresh one, and so that
// the simulator's state can be checked for duplicates and orphans.
//
// Run: KUBEBUILDER_ASSETS=bin/k8s/<version> go test ./test/faults/... -v -ginkgo.v
// (make test sets KUBEBUILDER_ASSETS). FAULT_MATRIX_OUT=<file> also writes
// the matrix as a markdown table.
package faults_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/manager"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/test/operatorenv"
)

const (
	operatorNamespace = "okta-system" // as in testdata/rbac/kustomization.yaml
	operatorUser      = "system:serviceaccount:" + operatorNamespace + ":controller-manager"
	apiToken          = "00FAULT-matrix-api-token-value-5d1e"

	// resync and requestTimeout are short so that the matrix runs in
	// seconds: a slow answer past requestTimeout is a timeout.
	resync         = 2 * time.Second
	requestTimeout = 2 * time.Second
	// maxBackoff caps the retry delay of failing objects; the default is
	// two minutes, shortened so that the bound is tested in seconds.
	maxBackoff = 5 * time.Second
	orgCheck   = 2 * time.Second
)

var (
	testEnv        *envtest.Environment
	k8s            client.Client
	scheme         *runtime.Scheme
	suiteCtx       context.Context
	suiteCancel    context.CancelFunc
	operatorConfig *rest.Config
	logs           = &operatorenv.LockedBuffer{Tee: GinkgoWriter}

	matrixMu sync.Mutex
	matrix   []matrixRow
)

func TestFaults(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Fault matrix")
}

var _ = BeforeSuite(func() {
	logf.SetLogger(zap.New(zap.WriteTo(logs), zap.UseDevMode(true)))
	SetDefaultEventuallyPollingInterval(200 * time.Millisecond)
	suiteCtx, suiteCancel = context.WithCancel(context.Background())

	scheme = runtime.NewScheme()
	Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	Expect(assurancev1alpha1.AddToScheme(scheme)).To(Succeed())
	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := testEnv.Start()
	Expect(err).NotTo(HaveOccurred(), "start envtest; run the tests with 'make test' or set KUBEBUILDER_ASSETS")
	k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
	Expect(k8s.Create(suiteCtx, &corev1.Namespace{ObjectMeta: ctrl.ObjectMeta{Name: operatorNamespace}})).To(Succeed())
	operatorConfig, err = operatorenv.ApplyShippedRBAC(suiteCtx, testEnv, k8s, filepath.Join("testdata", "rbac"), operatorNamespace)
	Expect(err).NotTo(HaveOccurred())
})

var _ = AfterSuite(func() {
	writeMatrix()
	if suiteCancel != nil {
		suiteCancel()
	}
	if testEnv != nil {
		Expect(testEnv.Stop()).To(Succeed())
	}
})

// managerOptions are the failures a spec injects into its manager's
// Kubernetes client.
type managerOptions struct {
	// statusWrite is called before every write of a status subresource
	// (patch or update); an error fails the write. kill stops the manager
	// as a crash would: its context is cancelled and every later write of
	// its client fails.
	statusWrite func(obj client.Object, kill func()) error
}

// startManager starts a manager as cmd/main.go configures it, running as
// the operator's service account, and returns the function that stops it
// and waits until it has stopped.
func startManager(opts managerOptions) (stop func()) {
	ctx, cancel := context.WithCancel(suiteCtx)
	var killedMu sync.Mutex
	killed := false
	kill := func() {
		killedMu.Lock()
		killed = true
		killedMu.Unlock()
		cancel()
	}
	dead := func() error {
		killedMu.Lock()
		defer killedMu.Unlock()
		if killed {
			return errors.New("fault matrix: the manager was killed")
		}
		return nil
	}
	statusWrite := func(sub string, obj client.Object) error {
		if err := dead(); err != nil {
			return err
		}
		if sub == "status" && opts.statusWrite != nil {
			return opts.statusWrite(obj, kill)
		}
		return nil
	}
	funcs := interceptor.Funcs{
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, o ...client.SubResourcePatchOption) error {
			if err := statusWrite(sub, obj); err != nil {
				return err
			}
			return c.SubResource(sub).Patch(ctx, obj, patch, o...)
		},
		SubResourceUpdate: func(ctx context.Context, c client.Client, sub string, obj client.Object, o ...client.SubResourceUpdateOption) error {
			if err := statusWrite(sub, obj); err != nil {
				return err
			}
			return c.SubResource(sub).Update(ctx, obj, o...)
		},
		Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, patch client.Patch, o ...client.PatchOption) error {
			if err := dead(); err != nil {
				return err
			}
			return c.Patch(ctx, obj, patch, o...)
		},
		Update: func(ctx context.Context, c client.WithWatch, obj client.Object, o ...client.UpdateOption) error {
			if err := dead(); err != nil {
				return err
			}
			return c.Update(ctx, obj, o...)
		},
		Create: func(ctx context.Context, c client.WithWatch, obj client.Object, o ...client.CreateOption) error {
			if err := dead(); err != nil {
				return err
			}
			return c.Create(ctx, obj, o...)
		},
		Delete: func(ctx context.Context, c client.WithWatch, obj client.Object, o ...client.DeleteOption) error {
			if err := dead(); err != nil {
				return err
			}
			return c.Delete(ctx, obj, o...)
		},
	}
	mgr, err := ctrl.NewManager(operatorConfig, ctrl.Options{
		Scheme:  scheme,
		Metrics: metricsserver.Options{BindAddress: "0"},
		Cache:   manager.CacheOptions(operatorNamespace),
		// Every spec starts a manager with the same controllers in one process.
		Controller: config.Controller{SkipNameValidation: ptr.To(true)},
		NewClient: func(cfg *rest.Config, o client.Options) (client.Client, error) {
			c, err := client.NewWithWatch(cfg, o)
			if err != nil {
				return nil, err
			}
			return interceptor.NewClient(c, funcs), nil
		},
	})
	Expect(err).NotTo(HaveOccurred())
	Expect(manager.SetupControllers(ctx, mgr, manager.Options{
		OrgConnections:           orgclient.LocalSimulatorPolicy(),
		ClusterResourceNamespace: operatorNamespace,
		Resync:                   resync,
		Concurrency:              2,
		OktaRequestTimeout:       requestTimeout,
		OrgCheckInterval:         orgCheck,
		MaxBackoff:               maxBackoff,
	})).To(Succeed())
	done := make(chan struct{})
	go func() {
		defer GinkgoRecover()
		defer close(done)
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
	return func() {
		cancel()
		Eventually(done).WithTimeout(time.Minute).Should(BeClosed(), "the manager stops")
	}
}

// matrixRow is one line of the fault matrix summary.
type matrixRow struct {
	Fault        string
	Objects      string
	DuringFault  string // the not-Ready conditions seen while the fault lasted
	Recovery     string // how long after the fault ended every object was Ready
	OktaPolicies string // duplicates, orphans, lost
	Outcome      string
}

func recordRow(r matrixRow) {
	line := fmt.Sprintf("FAULT MATRIX | %s | %s | %s | %s | %s | %s", r.Fault, r.Objects, r.DuringFault, r.Recovery, r.OktaPolicies, r.Outcome)
	_, _ = fmt.Fprintln(GinkgoWriter, line)
	AddReportEntry("fault matrix", line)
	matrixMu.Lock()
	defer matrixMu.Unlock()
	matrix = append(matrix, r)
}

// writeMatrix prints the summary and writes it to $FAULT_MATRIX_OUT as a
// markdown table.
func writeMatrix() {
	matrixMu.Lock()
	defer matrixMu.Unlock()
	var b strings.Builder
	b.WriteString("| Fault | Objects | While the fault lasts | Ready after the fault | Okta policies | Outcome |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	esc := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
	for _, r := range matrix {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", esc(r.Fault), esc(r.Objects), esc(r.DuringFault),
			esc(r.Recovery), esc(r.OktaPolicies), esc(r.Outcome))
	}
	_, _ = fmt.Fprint(GinkgoWriter, "\n"+b.String())
	if path := os.Getenv("FAULT_MATRIX_OUT"); path != "" {
		Expect(os.WriteFile(path, []byte(b.String()), 0o600)).To(Succeed())
	}
}
