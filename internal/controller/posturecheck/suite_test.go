package posturecheck_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/posturecheck"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// resync is short so that out-of-band changes are seen within the test.
const resync = time.Second

var (
	env         *controllertest.Env
	k8s         client.Client
	admin       *okta.Client // plays a person editing the org by hand
	ctx         context.Context
	cancel      context.CancelFunc
	writes      *controllertest.CountingTransport
	orgs        = &controllertest.Resolver{}
	statusFault = &controllertest.StatusFault{Recorded: func(obj client.Object) bool {
		c, ok := obj.(*assurancev1alpha1.DevicePostureCheck)
		return ok && c.Status.ID != ""
	}}
)

func TestDevicePostureCheckController(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "DevicePostureCheck controller")
}

var _ = BeforeSuite(func() {
	logf.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	SetDefaultEventuallyTimeout(30 * time.Second)
	SetDefaultEventuallyPollingInterval(100 * time.Millisecond)
	ctx, cancel = context.WithCancel(context.Background())
	var err error
	env, err = controllertest.Start()
	Expect(err).NotTo(HaveOccurred())
	k8s, admin = env.K8s, env.Admin
	writes = &controllertest.CountingTransport{Base: env.SpecCheck}
	api, err := env.NewOktaClient(writes)
	Expect(err).NotTo(HaveOccurred())
	orgs.Set(api, nil)

	mgr, direct, err := env.NewManager(statusFault)
	Expect(err).NotTo(HaveOccurred())
	r := &posturecheck.Reconciler{
		Client:   direct,
		Orgs:     orgs,
		Recorder: mgr.GetEventRecorder("deviceposturecheck-controller"),
		Resync:   resync,
	}
	Expect(r.SetupWithManager(ctx, mgr, 2)).To(Succeed())
	go func() {
		defer GinkgoRecover()
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
})

var _ = AfterSuite(func() {
	cancel()
	Expect(env.Stop()).To(Succeed())
	Expect(env.SpecFindings()).To(BeEmpty(), "the operator's Okta traffic must match Okta's OpenAPI document")
})

// simChecksWithVariable lists the org's checks with variableName.
func simChecksWithVariable(variableName string) []okta.PostureCheckResponse {
	list, err := admin.ListPostureChecks(ctx)
	Expect(err).NotTo(HaveOccurred())
	var out []okta.PostureCheckResponse
	for _, c := range list {
		if c.VariableName == variableName {
			out = append(out, c)
		}
	}
	return out
}
