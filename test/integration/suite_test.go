// Package integration_test runs every controller as cmd/main.go wires them
// (internal/manager) against a real kube-apiserver and a simulated Okta org,
// driven only through Kubernetes objects. The manager runs as the operator's
// service account with exactly the RBAC of config/rbac, so every spec also
// proves that the shipped permissions suffice.
package integration_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/manager"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/test/operatorenv"
)

const (
	operatorNamespace = "okta-system" // as in testdata/rbac/kustomization.yaml
	teamNamespace     = "team-a"
	// operatorUser is the identity of the operator's service account
	// (config/rbac/service_account.yaml) in operatorNamespace.
	operatorUser = "system:serviceaccount:" + operatorNamespace + ":controller-manager"
	// plantedToken is the org's API token; it must never show up in a log
	// line, an event or a status.
	plantedToken  = "00PLANTED-secret-api-token-value-7f3a"
	rotatedToken  = "00ROTATED-secret-api-token-value-91c2"
	oauthClientID = "0oaintegration"
	// scopedClientID is a service app that, like oauthClientID, was not
	// granted okta.devicePostureChecks.manage; one spec grants it.
	scopedClientID = "0oanoposturechecks"
)

var (
	testEnv  *envtest.Environment
	k8s      client.Client
	ctx      context.Context
	cancel   context.CancelFunc
	sim      *httptest.Server
	simOrg   *oktasim.Org
	logs     = &operatorenv.LockedBuffer{Tee: GinkgoWriter}
	oauthKey []byte // PEM of the service app's private key
)

func TestIntegration(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Operator integration")
}

var _ = BeforeSuite(func() {
	logf.SetLogger(zap.New(zap.WriteTo(logs), zap.UseDevMode(true)))
	SetDefaultEventuallyTimeout(30 * time.Second)
	SetDefaultEventuallyPollingInterval(100 * time.Millisecond)
	ctx, cancel = context.WithCancel(context.Background())

	scheme := runtime.NewScheme()
	Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	Expect(assurancev1alpha1.AddToScheme(scheme)).To(Succeed())
	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := testEnv.Start()
	Expect(err).NotTo(HaveOccurred(), "start envtest; run the tests with 'make test'")
	k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
	for _, ns := range []string{operatorNamespace, teamNamespace} {
		Expect(k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metaName(ns)})).To(Succeed())
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	der, err := x509.MarshalPKCS8PrivateKey(key)
	Expect(err).NotTo(HaveOccurred())
	oauthKey = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	simOrg = oktasim.New(oktasim.Options{
		APITokens:  []string{plantedToken},
		RateLimits: oktasim.RateLimits{Disabled: true},
		OAuthClients: []oktasim.OAuthClient{{
			ClientID: oauthClientID, PublicKeys: []jose.JSONWebKey{oktasim.NewPublicKey(&key.PublicKey, "k1")},
			Scopes: []string{"okta.deviceAssurance.manage", "okta.policies.manage", "okta.logs.read"},
		}, {
			ClientID: scopedClientID, PublicKeys: []jose.JSONWebKey{oktasim.NewPublicKey(&key.PublicKey, "k1")},
			Scopes: []string{"okta.deviceAssurance.manage", "okta.policies.manage", "okta.logs.read"},
		}},
	})
	sim = httptest.NewServer(simOrg)

	operatorConfig, err := operatorenv.ApplyShippedRBAC(ctx, testEnv, k8s, filepath.Join("testdata", "rbac"), operatorNamespace)
	Expect(err).NotTo(HaveOccurred())

	mgr, err := ctrl.NewManager(operatorConfig, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"},
		Cache: manager.CacheOptions(operatorNamespace)})
	Expect(err).NotTo(HaveOccurred())
	Expect(manager.SetupControllers(ctx, mgr, manager.Options{
		OrgConnections:           orgclient.LocalSimulatorPolicy(),
		ClusterResourceNamespace: operatorNamespace,
		Resync:                   2 * time.Second,
		Concurrency:              2,
		OktaRequestTimeout:       10 * time.Second,
		OrgCheckInterval:         2 * time.Second,
		OktaTransport:            objectRequests.transport,
	})).To(Succeed())
	go func() {
		defer GinkgoRecover()
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
})

var _ = AfterSuite(func() {
	cancel()
	sim.Close()
	Expect(testEnv.Stop()).To(Succeed())
})
