package deviceassurance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// resync is short so that out-of-band changes are seen within the test.
const resync = time.Second

var (
	suite       *controllertest.Suite
	env         *controllertest.Env
	k8s         client.Client
	admin       *okta.Client // plays a person editing the org by hand
	ctx         context.Context
	writes      *controllertest.CountingTransport
	orgs        *controllertest.Resolver
	statusFault = &controllertest.StatusFault{}
)

func TestDeviceAssurancePolicyController(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "DeviceAssurancePolicy controller")
}

var _ = BeforeSuite(func() {
	suite = controllertest.StartSuite(statusFault, resync)
	ctx, env, k8s, admin = suite.Ctx, suite.Env, suite.K8s, suite.Admin
	writes, orgs = suite.Writes, suite.Orgs
	Expect(deviceassurance.New(suite.Options(orgs, resync, 2)).SetupWithManager(ctx, suite.Manager)).To(Succeed())
	suite.Run()
})

var _ = AfterSuite(func() { suite.Stop() })

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
