package deviceassurance_test

import (
	"context"
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
		p, ok := obj.(*assurancev1alpha1.DeviceAssurancePolicy)
		return ok && p.Status.ID != ""
	}}
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
	r := &deviceassurance.Reconciler{
		Client:   direct,
		Orgs:     orgs,
		Recorder: mgr.GetEventRecorder("deviceassurancepolicy-controller"),
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
