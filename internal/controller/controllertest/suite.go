package controllertest

import (
	"context"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
)

// Suite is what a controller suite starts before its specs: the control
// plane and the simulated org (Env), one manager whose controllers read and
// write through a direct client, and the context they run in.
type Suite struct {
	*Env
	Ctx     context.Context
	Manager ctrl.Manager
	// Direct is the controllers' client: no cache, status patches through
	// the suite's StatusFault.
	Direct client.Client
	// Writes counts the Okta requests of the controllers that reach the
	// org through Orgs, which resolves every org to the simulated one.
	Writes *CountingTransport
	Orgs   *Resolver

	cancel context.CancelFunc
}

// StartSuite starts a suite (call it in BeforeSuite): Ginkgo's log sink,
// Eventually every 100 ms for up to 30 s, Consistently over four resyncs,
// the environment and a manager; register the controllers with Options,
// then Run.
func StartSuite(fault *StatusFault, resync time.Duration) *Suite {
	logf.SetLogger(zap.New(zap.WriteTo(ginkgo.GinkgoWriter), zap.UseDevMode(true)))
	gomega.SetDefaultEventuallyTimeout(30 * time.Second)
	gomega.SetDefaultEventuallyPollingInterval(100 * time.Millisecond)
	gomega.SetDefaultConsistentlyDuration(4 * resync)
	gomega.SetDefaultConsistentlyPollingInterval(resync / 4)
	s := &Suite{}
	s.Ctx, s.cancel = context.WithCancel(context.Background())
	var err error
	s.Env, err = Start()
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	s.Manager, s.Direct, err = s.NewManager(fault)
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	s.Writes = &CountingTransport{Base: s.SpecCheck}
	api, err := s.NewOktaClient(s.Writes)
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	s.Orgs = &Resolver{}
	s.Orgs.Set(api, nil)
	return s
}

// Options are the options of a controller of the suite that reaches its
// org through orgs and resyncs every resync.
func (s *Suite) Options(orgs managed.OrgResolver, resync time.Duration, concurrency int) managed.Options {
	return managed.Options{
		Client: s.Direct, Orgs: orgs, Recorder: s.Manager.GetEventRecorder("okta-assurance-operator"),
		Resync: resync, Concurrency: concurrency,
	}
}

// Run starts the manager.
func (s *Suite) Run() {
	go func() {
		defer ginkgo.GinkgoRecover()
		gomega.Expect(s.Manager.Start(s.Ctx)).To(gomega.Succeed())
	}()
}

// Stop ends the suite (call it in AfterSuite) and checks that the
// operator's Okta traffic matched Okta's OpenAPI document.
func (s *Suite) Stop() {
	s.cancel()
	gomega.Expect(s.Env.Stop()).To(gomega.Succeed())
	gomega.Expect(s.SpecFindings()).To(gomega.BeEmpty(), "the operator's Okta traffic must match Okta's OpenAPI document")
}
