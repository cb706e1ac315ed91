package integration_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// A create decides whether its policy's name is free from the org's name
// ledger, not from a list of its own: these specs hold the ledger to what
// the list promised, for objects of several namespaces and org objects
// that name the same Okta org.
var _ = Describe("policy names on one Okta org", Ordered, func() {
	namespaces := []string{"names-a", "names-b", "names-c"}
	orgs := []string{"names-org-1", "names-org-2"} // two objects, one Okta org

	BeforeAll(func() {
		for _, ns := range namespaces {
			Expect(k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metaName(ns)})).To(Succeed())
		}
		Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: operatorNamespace, Name: "okta-names-token"},
			StringData: map[string]string{"token": plantedToken}})).To(Succeed())
		for _, name := range orgs {
			org := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metaName(name)}
			org.Spec.URL, org.Spec.AllowInsecureHTTP = sim.URL, true
			org.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta-names-token", Key: "token"}}
			Expect(k8s.Create(ctx, org)).To(Succeed())
			Eventually(isReady(org, func() []metav1.Condition { return org.Status.Conditions })).Should(Succeed())
		}
	})

	policyIn := func(ns, org, name, specYAML string) *assurancev1alpha1.DeviceAssurancePolicy {
		p := policyFrom(name, specYAML)
		p.Namespace = ns
		p.Spec.OrgRef = &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindClusterOktaOrg, Name: org}
		return p
	}
	oktaPoliciesNamed := func(name string) []string {
		all, err := admin().ListDeviceAssurances(ctx)
		Expect(err).NotTo(HaveOccurred())
		var ids []string
		for _, p := range all {
			if p.Name == name {
				ids = append(ids, p.ID)
			}
		}
		return ids
	}
	reason := func(p *assurancev1alpha1.DeviceAssurancePolicy) func(g Gomega) string {
		return func(g Gomega) string {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(p), p)).To(Succeed())
			if c := meta.FindStatusCondition(p.Status.Conditions, assurancev1alpha1.ConditionReady); c != nil && c.ObservedGeneration == p.Generation {
				return c.Reason
			}
			return ""
		}
	}

	It("gives a name that objects of three namespaces claim at the same moment to exactly one of them", func() {
		claimants := make([]*assurancev1alpha1.DeviceAssurancePolicy, 0, len(namespaces))
		for i, ns := range namespaces {
			claimants = append(claimants, policyIn(ns, orgs[i%len(orgs)], "contested", `{platform: IOS, name: Contested, jailbreak: false}`))
		}
		var wg sync.WaitGroup
		for _, p := range claimants {
			wg.Go(func() {
				defer GinkgoRecover()
				Expect(k8s.Create(ctx, p)).To(Succeed())
			})
		}
		wg.Wait()

		reasons := map[string]int{}
		for _, p := range claimants {
			Eventually(reason(p)).Should(BeElementOf("Synced", "NameConflict"), "%s/%s", p.Namespace, p.Name)
			reasons[reason(p)(Default)]++
		}
		Expect(reasons).To(Equal(map[string]int{"Synced": 1, "NameConflict": 2}))
		ids := oktaPoliciesNamed("Contested")
		Expect(ids).To(HaveLen(1), "one Okta policy")
		for _, p := range claimants {
			if meta.IsStatusConditionTrue(p.Status.Conditions, assurancev1alpha1.ConditionReady) {
				Expect(p.Status.ID).To(Equal(ids[0]))
				continue
			}
			Expect(p.Status.ID).To(BeEmpty())
			// Within moments the others see the winner's policy itself.
			Eventually(func(g Gomega) string {
				g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(p), p)).To(Succeed())
				return meta.FindStatusCondition(p.Status.Conditions, assurancev1alpha1.ConditionReady).Message
			}).Should(HavePrefix(fmt.Sprintf("Okta policy %s is already named %q on IOS and this object did not create it", ids[0], "Contested")))
		}
	})

	It("finds a policy made in the console before a create, once the ledger is older than its max age", func() {
		warm := policyIn(namespaces[0], orgs[0], "warm", `{platform: ANDROID, name: Warm, jailbreak: false}`)
		Expect(k8s.Create(ctx, warm)).To(Succeed())
		Eventually(reason(warm)).Should(Equal("Synced"))
		// The ledger answered warm's check. Within its max age (here a
		// tenth of the suite's 2 s resync; 10 s at most) a policy made by
		// hand is seen only through the System Log; after it, the next
		// create lists the org, as each create did before the ledger.
		time.Sleep(time.Second)

		var byHand okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"From the console","platform":"ANDROID","jailbreak":true}`), &byHand)).To(Succeed())
		made, err := admin().CreateDeviceAssurance(ctx, byHand)
		Expect(err).NotTo(HaveOccurred())
		late := policyIn(namespaces[1], orgs[1], "late", `{platform: ANDROID, name: From the console, jailbreak: false}`)
		Expect(k8s.Create(ctx, late)).To(Succeed())
		Eventually(reason(late)).Should(Equal("NameConflict"))
		Expect(oktaPoliciesNamed("From the console")).To(Equal([]string{made.ID}))
	})
})
