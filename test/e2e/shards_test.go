//go:build e2e

package e2e_test

import (
	"fmt"
	"os"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/localenv"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/shard"
)

// Two manager Deployments split the cluster by label (--watch-label-selector),
// each leader-elected, each serving its own Okta org; an org object that
// would let the second shard spend the first shard's org is refused. The
// specs run on a cluster of their own: the suite's unsharded manager would
// serve everything.
var _ = Describe("two manager shards", Ordered, func() {
	var suiteEnv *localenv.Env
	var orgA, orgB string // the two Okta orgs' URLs

	apply := func(manifest string) {
		_, err := env.Kubectl(ctx, manifest, "apply", "-f", "-")
		Expect(err).NotTo(HaveOccurred())
	}
	clusterOrg := func(name, shardLabel, url string) string {
		return fmt.Sprintf(`apiVersion: assurance.okta-operator.dev/v1alpha1
kind: ClusterOktaOrg
metadata: {name: %s, labels: {shard: %s}}
spec: {url: %s, allowInsecureHTTP: true, apiToken: {secretRef: {name: okta-api-token, key: token}}}
`, name, shardLabel, url)
	}
	policy := func(name, shardLabel, org string) string {
		return fmt.Sprintf(`apiVersion: assurance.okta-operator.dev/v1alpha1
kind: DeviceAssurancePolicy
metadata: {name: %s, namespace: default, labels: {shard: %s}}
spec: {platform: IOS, jailbreak: false, orgRef: {kind: ClusterOktaOrg, name: %s}}
`, name, shardLabel, org)
	}
	leaseHolder := func(name string) string {
		return kubectl("-n", localenv.OperatorNamespace, "get", "lease", name, "-o", "jsonpath={.spec.holderIdentity}")
	}

	BeforeAll(func() {
		suiteEnv = env
		var err error
		env, err = localenv.Start(ctx, localenv.Options{RepoRoot: repo, Assets: os.Getenv("KUBEBUILDER_ASSETS"), Dir: GinkgoT().TempDir()})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(func() {
			env.Stop()
			env = suiteEnv
		})
		Expect(env.ConnectDefaultOrg(ctx)).To(Succeed()) // the namespace and the token; the default org is in no shard
		orgA = env.SimURL
		orgB, err = env.StartOtherOrg(ctx)
		Expect(err).NotTo(HaveOccurred())
		for _, s := range []string{"a", "b"} {
			_, err := env.StartManager(ctx, "--watch-label-selector=shard="+s, "--leader-elect", "--org-check-interval=5s")
			Expect(err).NotTo(HaveOccurred())
		}
	})

	It("serves each org and its objects from one shard only", func() {
		apply(clusterOrg("org-a", "a", orgA) + "---\n" + clusterOrg("org-b", "b", orgB))
		for i := range 3 {
			apply(policy(fmt.Sprintf("a-%d", i), "a", "org-a") + "---\n" + policy(fmt.Sprintf("b-%d", i), "b", "org-b"))
		}
		for i := range 3 {
			waitReady(fmt.Sprintf("dap/a-%d", i))
			waitReady(fmt.Sprintf("dap/b-%d", i))
		}
		Expect(policyNamesAt(orgA)).To(Equal(map[string]int{"a-0": 1, "a-1": 1, "a-2": 1}))
		Expect(policyNamesAt(orgB)).To(Equal(map[string]int{"b-0": 1, "b-1": 1, "b-2": 1}))

		Expect(leaseHolder(shard.LeaseName(orgA))).To(Equal("shard=a"))
		Expect(leaseHolder(shard.LeaseName(orgB))).To(Equal("shard=b"))
		// One leader per shard.
		leases := kubectl("-n", localenv.OperatorNamespace, "get", "lease", "-o", "name")
		Expect(strings.Count(leases, ".okta-assurance-operator.okta-operator.dev")).To(Equal(2), leases)
	})

	It("refuses a shard an org that another shard serves, and says which", func() {
		apply(clusterOrg("org-a-again", "b", orgA) + "---\n" + policy("trespass", "b", "org-a-again"))
		Eventually(func() string { return reasonOf("dap/trespass") }).Should(Equal("OrgNotReady"))
		conds, _ := statusOf("dap/trespass")["conditions"].([]any)
		Expect(fmt.Sprint(conds)).To(ContainSubstring(`(ServedByAnotherShard): the Okta org %s is served by the manager shard "shard=a"`, orgA))
		Consistently(func() map[string]int { return policyNamesAt(orgA) }, "5s", "500ms").ShouldNot(HaveKey("trespass"))
		Expect(leaseHolder(shard.LeaseName(orgA))).To(Equal("shard=a"))
		// Shard b leaves the org object's status to the shard that serves it.
		Expect(statusOf("clusteroktaorg/org-a-again")).To(BeEmpty())
	})

	It("never writes the API token to a shard's log", func() {
		for _, m := range env.Managers() {
			Expect(logOf(m)).NotTo(BeEmpty())
			Expect(logOf(m)).NotTo(ContainSubstring(env.SimToken))
		}
	})
})
