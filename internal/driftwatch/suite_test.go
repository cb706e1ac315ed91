package driftwatch_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/manager"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

const operatorNamespace = "okta-system"

var (
	env    *controllertest.Env
	k8s    client.Client
	ctx    context.Context
	cancel context.CancelFunc
)

func TestDriftWatch(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "System Log drift watcher")
}

// The manager runs as cmd/main.go wires it, with a full resync of an hour:
// within a spec, only the System Log watcher can notice a change made in
// the org by hand.
var _ = BeforeSuite(func() {
	logf.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	SetDefaultEventuallyTimeout(20 * time.Second)
	SetDefaultEventuallyPollingInterval(100 * time.Millisecond)
	ctx, cancel = context.WithCancel(context.Background())
	var err error
	env, err = controllertest.Start()
	Expect(err).NotTo(HaveOccurred())
	k8s = env.K8s
	Expect(k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: operatorNamespace}})).To(Succeed())
	Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "okta", Namespace: operatorNamespace},
		StringData: map[string]string{"token": controllertest.SimToken}})).To(Succeed())
	Expect(k8s.Create(ctx, &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: assurancev1alpha1.DefaultOrgName},
		Spec: assurancev1alpha1.ClusterOktaOrgSpec{OktaOrgSpec: assurancev1alpha1.OktaOrgSpec{
			URL: env.Sim.URL, AllowInsecureHTTP: true, CapacityPercent: 50,
			APIToken: &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta", Key: "token"}},
		}}})).To(Succeed())

	mgr, _, err := env.NewManager(nil)
	Expect(err).NotTo(HaveOccurred())
	Expect(manager.SetupControllers(ctx, mgr, manager.Options{
		OrgConnections:           orgclient.LocalSimulatorPolicy(),
		ClusterResourceNamespace: operatorNamespace,
		Resync:                   time.Hour,
		Concurrency:              4,
		OktaRequestTimeout:       5 * time.Second,
		OrgCheckInterval:         time.Hour,
		DriftPollInterval:        time.Second,
	})).To(Succeed())
	go func() {
		defer GinkgoRecover()
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
})

var _ = AfterSuite(func() {
	cancel()
	Expect(env.Stop()).To(Succeed())
})

// requestCount is how many requests the simulated org answered whose
// method and path template match.
func requestCount(method, template string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, env.Sim.URL+"/_oktasim/requests", nil)
	Expect(err).NotTo(HaveOccurred())
	resp, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	var rows []struct {
		Method, Template string
		Count            int
	}
	Expect(json.NewDecoder(resp.Body).Decode(&rows)).To(Succeed())
	n := 0
	for _, r := range rows {
		if r.Method == method && strings.HasPrefix(r.Template, template) {
			n += r.Count
		}
	}
	return n
}

func defaultOrg() *assurancev1alpha1.ClusterOktaOrg {
	org := &assurancev1alpha1.ClusterOktaOrg{}
	Expect(k8s.Get(ctx, client.ObjectKey{Name: assurancev1alpha1.DefaultOrgName}, org)).To(Succeed())
	return org
}
