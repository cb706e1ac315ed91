package driftwatch_test

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func iosPolicy(name string) *assurancev1alpha1.DeviceAssurancePolicy {
	return &assurancev1alpha1.DeviceAssurancePolicy{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: assurancev1alpha1.DeviceAssurancePolicySpec{
			Platform:  assurancev1alpha1.PlatformIOS,
			Jailbreak: ptr.To(false),
		},
	}
}

func readyPolicy(name string) *assurancev1alpha1.DeviceAssurancePolicy {
	p := &assurancev1alpha1.DeviceAssurancePolicy{}
	Eventually(func(g Gomega) {
		g.Expect(k8s.Get(ctx, client.ObjectKey{Namespace: "default", Name: name}, p)).To(Succeed())
		g.Expect(meta.IsStatusConditionTrue(p.Status.Conditions, assurancev1alpha1.ConditionReady)).To(BeTrue(), "%v", p.Status.Conditions)
	}).Should(Succeed())
	return p
}

var _ = Describe("the System Log watcher", Ordered, func() {
	var policies []*assurancev1alpha1.DeviceAssurancePolicy

	BeforeAll(func() {
		for i := range 5 {
			p := iosPolicy(fmt.Sprintf("watched-%d", i))
			Expect(k8s.Create(ctx, p)).To(Succeed())
		}
		for i := range 5 {
			policies = append(policies, readyPolicy(fmt.Sprintf("watched-%d", i)))
		}
	})

	It("reads on from a cursor it persists in the org's status, and does not count the operator's own writes", func() {
		Eventually(func(g Gomega) {
			dw := defaultOrg().Status.DriftWatch
			g.Expect(dw).NotTo(BeNil())
			g.Expect(dw.Cursor).NotTo(BeEmpty())
			g.Expect(dw.LastPollTime).NotTo(BeNil())
			g.Expect(dw.Message).To(BeEmpty())
		}).Should(Succeed())
		Consistently(func() int64 { return defaultOrg().Status.DriftWatch.OutOfBandChanges }, 3*time.Second).Should(BeZero(),
			"the five creates were the operator's own")
	})

	It("reverts a console edit within seconds, although the full resync is an hour away", func() {
		target := policies[0]
		admin := env.Admin
		observed, err := admin.GetDeviceAssurance(ctx, target.Status.ID)
		Expect(err).NotTo(HaveOccurred())
		edited := observed.DeviceAssurance
		edited.Jailbreak = ptr.To(true)
		start := time.Now()
		_, err = admin.ReplaceDeviceAssurance(ctx, target.Status.ID, edited)
		Expect(err).NotTo(HaveOccurred())

		Eventually(func(g Gomega) {
			got, err := admin.GetDeviceAssurance(ctx, target.Status.ID)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got.Jailbreak).To(HaveValue(BeFalse()))
		}, 10*time.Second).Should(Succeed())
		GinkgoWriter.Printf("console edit reverted in %s\n", time.Since(start).Round(10*time.Millisecond))

		p := &assurancev1alpha1.DeviceAssurancePolicy{}
		Eventually(func(g Gomega) {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(target), p)).To(Succeed())
			g.Expect(p.Status.LastOutOfBandChange).NotTo(BeNil())
			g.Expect(p.Status.LastOutOfBandChange.EventType).To(Equal("device.assurance.policy.update"))
			g.Expect(p.Status.LastOutOfBandChange.EventID).NotTo(BeEmpty())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			dw := defaultOrg().Status.DriftWatch
			g.Expect(dw.OutOfBandChanges).To(BeNumerically("==", 1), "the revert is the operator's own")
			g.Expect(dw.LastOutOfBandChange).NotTo(BeNil())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			evs := &corev1.EventList{}
			g.Expect(k8s.List(ctx, evs, client.InNamespace("default"))).To(Succeed())
			found := false
			for _, e := range evs.Items {
				found = found || (e.Reason == "OutOfBandChange" && e.InvolvedObject.Name == target.Name)
			}
			g.Expect(found).To(BeTrue())
		}).Should(Succeed())
		// The event named the edited policy only.
		untouched := &assurancev1alpha1.DeviceAssurancePolicy{}
		Expect(k8s.Get(ctx, client.ObjectKeyFromObject(policies[1]), untouched)).To(Succeed())
		Expect(untouched.Status.LastOutOfBandChange).To(BeNil())
	})

	It("recreates a policy deleted in the console", func() {
		target := policies[1]
		Expect(env.Admin.DeleteDeviceAssurance(ctx, target.Status.ID)).To(Succeed())
		p := &assurancev1alpha1.DeviceAssurancePolicy{}
		Eventually(func(g Gomega) {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(target), p)).To(Succeed())
			g.Expect(p.Status.ID).NotTo(Equal(target.Status.ID))
			g.Expect(p.Status.ID).NotTo(BeEmpty())
			_, err := env.Admin.GetDeviceAssurance(ctx, p.Status.ID)
			g.Expect(err).NotTo(HaveOccurred())
		}, 10*time.Second).Should(Succeed())
		_, err := env.Admin.GetDeviceAssurance(ctx, target.Status.ID)
		Expect(okta.IsNotFound(err)).To(BeTrue())
	})

	It("costs one System Log read a poll and no object read when the org is idle", func() {
		time.Sleep(2 * time.Second) // let the recreate settle
		logsBefore, daBefore := requestCount("GET", "/api/v1/logs"), requestCount("GET", "/api/v1/device-assurances")
		writesBefore := requestCount("PUT", "/api/v1/device-assurances") + requestCount("POST", "/api/v1/device-assurances")
		// Several polls, however long a busy machine takes for them (a
		// count per second would be a timed assertion): each reads the
		// System Log and nothing else.
		Eventually(func() int { return requestCount("GET", "/api/v1/logs") - logsBefore }).Should(BeNumerically(">=", 3),
			"the 1 s poll interval keeps polling")
		Expect(requestCount("GET", "/api/v1/device-assurances") - daBefore).To(BeZero())
		Expect(requestCount("PUT", "/api/v1/device-assurances") + requestCount("POST", "/api/v1/device-assurances") - writesBefore).To(BeZero())
	})
})
