package posturecheck_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/posturecheck"
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

func TestDevicePostureCheckController(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "DevicePostureCheck controller")
}

var _ = BeforeSuite(func() {
	suite = controllertest.StartSuite(statusFault, resync)
	ctx, env, k8s, admin = suite.Ctx, suite.Env, suite.K8s, suite.Admin
	writes, orgs = suite.Writes, suite.Orgs
	Expect(posturecheck.New(suite.Options(orgs, resync, 2)).SetupWithManager(ctx, suite.Manager)).To(Succeed())
	suite.Run()
})

var _ = AfterSuite(func() { suite.Stop() })

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
