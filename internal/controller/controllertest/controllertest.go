// Package controllertest is the harness of the controllers' envtest suites:
// a real kube-apiserver and etcd with the operator's CRDs, a simulated Okta
// org, an admin Okta client that plays a person editing the org by hand,
// transports that validate and count the operator's Okta traffic, and the
// helpers the specs of every managed kind share (objects.go: Get, Ready,
// Condition, DeleteAndWait, EventNotes, KStatus, ...).
package controllertest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktaspec"
)

// SimToken is the simulated org's API token.
const SimToken = "suite-token"

// Env is a running test environment.
type Env struct {
	Config *rest.Config
	Scheme *runtime.Scheme
	// K8s reads and writes objects directly, without a cache.
	K8s client.Client
	// Sim serves the simulated org; Admin edits it as a person would.
	Sim   *httptest.Server
	Admin *okta.Client
	// SpecCheck validates every request of the operator's clients and
	// every answer against Okta's OpenAPI document.
	SpecCheck *oktaspec.Transport

	controlPlane *envtest.Environment
}

// Start starts the control plane with the CRDs of config/crd/bases and the
// simulated org (rate limits off; they have tests of their own).
func Start() (*Env, error) {
	e := &Env{Scheme: runtime.NewScheme()}
	if err := errors.Join(clientgoscheme.AddToScheme(e.Scheme), assurancev1alpha1.AddToScheme(e.Scheme)); err != nil {
		return nil, err
	}
	crds, err := crdDirectory()
	if err != nil {
		return nil, err
	}
	e.controlPlane = &envtest.Environment{CRDDirectoryPaths: []string{crds}, ErrorIfCRDPathMissing: true}
	if e.Config, err = e.controlPlane.Start(); err != nil {
		return nil, fmt.Errorf("start envtest (run the tests with 'make test', which builds kube-apiserver and etcd): %w", err)
	}
	if e.K8s, err = client.New(e.Config, client.Options{Scheme: e.Scheme}); err != nil {
		return nil, err
	}
	e.Sim = httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{SimToken}, RateLimits: oktasim.RateLimits{Disabled: true}}))
	if e.SpecCheck, err = oktaspec.NewTransport(nil); err != nil {
		return nil, err
	}
	e.Admin, err = e.NewOktaClient(http.DefaultTransport)
	return e, err
}

// Stop ends the simulator and the control plane.
func (e *Env) Stop() error {
	if e.Sim != nil {
		e.Sim.Close()
	}
	return e.controlPlane.Stop()
}

// NewManager returns a manager with metrics off, and a client that reads
// and writes directly (no cache), so that a test never sees a stale object,
// with its status patches going through fault (nil: none).
func (e *Env) NewManager(fault *StatusFault) (ctrl.Manager, client.Client, error) {
	mgr, err := ctrl.NewManager(e.Config, ctrl.Options{Scheme: e.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
	if err != nil {
		return nil, nil, err
	}
	direct, err := client.NewWithWatch(e.Config, client.Options{Scheme: e.Scheme})
	if err != nil {
		return nil, nil, err
	}
	if fault == nil {
		return mgr, direct, nil
	}
	return mgr, interceptor.NewClient(direct, interceptor.Funcs{SubResourcePatch: fault.Patch}), nil
}

// SpecFindings describes what of the operator's Okta traffic did not match
// Okta's OpenAPI document, or that no traffic was checked at all.
func (e *Env) SpecFindings() []string {
	if e.SpecCheck.Checked() == 0 {
		return []string{"no request went through the OpenAPI check"}
	}
	var out []string
	for _, f := range e.SpecCheck.Findings() {
		out = append(out, f.String())
	}
	return out
}

// NewOktaClient is an Okta client of the simulated org over transport.
func (e *Env) NewOktaClient(transport http.RoundTripper) (*okta.Client, error) {
	return okta.New(okta.Config{OrgURL: e.Sim.URL, Credentials: okta.APIToken(SimToken), HTTPClient: &http.Client{Transport: transport}})
}

// crdDirectory finds config/crd/bases from the module root, whatever the
// test's package directory.
func crdDirectory() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "config", "crd", "bases"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Resolver stands in for the org resolver: tests make the org unavailable
// and available again.
type Resolver struct {
	mu  sync.Mutex
	api okta.API
	err error
}

// Set makes Resolve return api and err.
func (s *Resolver) Set(api okta.API, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.api, s.err = api, err
}

// Resolve returns what Set gave.
func (s *Resolver) Resolve(context.Context, string, *assurancev1alpha1.OrgReference) (okta.API, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.api, s.err
}

// CountingTransport counts requests, for tests that an idle object costs
// reads and no writes.
type CountingTransport struct {
	Base http.RoundTripper
	// IsWrite says which requests are the writes under test; nil counts
	// every POST, PUT and DELETE.
	IsWrite func(*http.Request) bool

	writes, reads atomic.Int64
}

// RoundTrip counts req and sends it.
func (c *CountingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	switch {
	case req.Method == http.MethodGet:
		c.reads.Add(1)
	case c.IsWrite == nil || c.IsWrite(req):
		c.writes.Add(1)
	}
	return c.Base.RoundTrip(req)
}

// Writes is how many writes were sent.
func (c *CountingTransport) Writes() int { return int(c.writes.Load()) }

// Reads is how many GETs were sent.
func (c *CountingTransport) Reads() int { return int(c.reads.Load()) }

// StatusFault fails, once, the status patch of the object named by Arm that
// Recorded says holds an Okta ID, as if the API server were unreachable
// right after the create.
type StatusFault struct {
	// Recorded tells whether a status patch records the Okta ID; nil: the
	// object's status holds the ID of the Okta object it manages.
	Recorded func(obj client.Object) bool

	armed atomic.Value // object name
	fired atomic.Int32
}

// ErrInjected is the error a StatusFault returns.
var ErrInjected = errors.New("injected: the API server is unreachable")

// records tells whether a status patch of obj records an Okta ID: Recorded,
// or by default the ID the object manages.
func (f *StatusFault) records(obj client.Object) bool {
	if f.Recorded != nil {
		return f.Recorded(obj)
	}
	m, ok := obj.(interface{ OktaID() string })
	return ok && m.OktaID() != ""
}

// Arm fails the next status patch of name that records an ID.
func (f *StatusFault) Arm(name string) { f.armed.Store(name) }

// Fired is how many patches were failed.
func (f *StatusFault) Fired() int32 { return f.fired.Load() }

// Patch is an interceptor.Funcs SubResourcePatch.
func (f *StatusFault) Patch(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
	if name, _ := f.armed.Load().(string); name != "" && name == obj.GetName() && f.records(obj) {
		f.armed.Store("")
		f.fired.Add(1)
		return ErrInjected
	}
	return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
}
