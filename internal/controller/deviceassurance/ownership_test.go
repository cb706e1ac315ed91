package deviceassurance_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// inNamespace creates namespace ns (once) and moves obj there.
func inNamespace(ns string, obj *assurancev1alpha1.DeviceAssurancePolicy) *assurancev1alpha1.DeviceAssurancePolicy {
	if err := k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil && !apierrors.IsAlreadyExists(err) {
		Expect(err).NotTo(HaveOccurred())
	}
	obj.Namespace = ns
	return obj
}

var _ = Describe("one Okta policy, one owner", func() {
	It("refuses to adopt by name a policy that an object of another namespace manages, writes nothing, and deleting it leaves the policy", func() {
		owner := newPolicy(`{platform: IOS, name: shared-by-name, jailbreak: false}`)
		Expect(k8s.Create(ctx, owner)).To(Succeed())
		id := controllertest.Ready(suite, owner).Status.ID

		before := writes.Writes()
		intruder := inNamespace("team-b", newPolicy(`{platform: IOS, name: shared-by-name, jailbreak: true, adopt: {byName: true}, deletionPolicy: Delete}`))
		Expect(k8s.Create(ctx, intruder)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, intruder)).Should(Equal("AlreadyManaged"))
		refused := controllertest.Get(suite, intruder)(Default)
		Expect(refused.Status.ID).To(BeEmpty(), "the intruder holds no Okta ID")
		message := meta.FindStatusCondition(refused.Status.Conditions, assurancev1alpha1.ConditionReady).Message
		Expect(message).To(ContainSubstring("already managed by an object in another namespace"))
		Expect(message).NotTo(ContainSubstring(owner.Namespace + "/"))
		Expect(message).NotTo(ContainSubstring(owner.Name), "another namespace's object is not named")
		Consistently(writes.Writes, "3s", "250ms").Should(Equal(before), "no write to the owner's policy")
		Expect(simBody(id)).To(HaveKeyWithValue("jailbreak", false))

		suite.DeleteAndWait(intruder)
		_, err := admin.GetDeviceAssurance(ctx, id)
		Expect(err).NotTo(HaveOccurred(), "deleting the refused object leaves the owner's policy in Okta")
		Expect(controllertest.Ready(suite, owner).Status.ID).To(Equal(id))
		suite.DeleteAndWait(owner)
	})

	It("refuses to adopt by ID a policy that another object of the namespace manages, and names that object", func() {
		owner := newPolicy(`{platform: MACOS, name: shared-by-id, osVersion: {minimum: "14.0"}}`)
		Expect(k8s.Create(ctx, owner)).To(Succeed())
		id := controllertest.Ready(suite, owner).Status.ID

		second := newPolicy(`{platform: MACOS, name: shared-by-id, osVersion: {minimum: "14.0"}}`)
		second.Spec.Adopt = &assurancev1alpha1.Adoption{ID: id}
		Expect(k8s.Create(ctx, second)).To(Succeed())
		Eventually(controllertest.ReadyReasonMessage(suite, second)).Should(And(
			HavePrefix("AlreadyManaged: "), ContainSubstring("already managed by DeviceAssurancePolicy "+owner.Name)))

		Expect(controllertest.Get(suite, second)(Default).Status.Adopted).To(BeFalse())
		suite.DeleteAndWait(second)
		_, err := admin.GetDeviceAssurance(ctx, id)
		Expect(err).NotTo(HaveOccurred(), "deleting the refused object leaves the policy")
		suite.DeleteAndWait(owner)
	})

	It("keeps an adopted policy with the object that adopted it first when two adopt it by name", func() {
		var existing okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"adopted-twice","platform":"ANDROID","jailbreak":false}`), &existing)).To(Succeed())
		made, err := admin.CreateDeviceAssurance(ctx, existing)
		Expect(err).NotTo(HaveOccurred())
		first := newPolicy(`{platform: ANDROID, name: adopted-twice, jailbreak: false, adopt: {byName: true}}`)
		Expect(k8s.Create(ctx, first)).To(Succeed())
		Expect(controllertest.Ready(suite, first).Status.ID).To(Equal(made.ID))

		second := inNamespace("team-c", newPolicy(`{platform: ANDROID, name: adopted-twice, jailbreak: false, adopt: {byName: true}}`))
		Expect(k8s.Create(ctx, second)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, second)).Should(Equal("AlreadyManaged"))
		Consistently(func() string { return controllertest.Get(suite, first)(Default).Status.ID }, "2s", "250ms").Should(Equal(made.ID))
		suite.DeleteAndWait(second)
		suite.DeleteAndWait(first)
		_, err = admin.GetDeviceAssurance(ctx, made.ID)
		Expect(err).NotTo(HaveOccurred(), "an adopted policy is orphaned by default")
		Expect(admin.DeleteDeviceAssurance(ctx, made.ID)).To(Succeed())
	})
})

var _ = Describe("two objects holding one Okta policy", func() {
	It("lets the one created first keep it, and the other let go of it without a write", func() {
		first := newPolicy(`{platform: IOS, name: held-twice, jailbreak: false}`)
		Expect(k8s.Create(ctx, first)).To(Succeed())
		id := controllertest.Ready(suite, first).Status.ID

		// A second object that took the same policy at the same moment (as
		// two adoptions racing past a cache that had seen neither would),
		// suspended while its status is set as the race left it.
		second := newPolicy(`{platform: IOS, name: held-twice, jailbreak: true, suspend: true, deletionPolicy: Delete}`)
		Expect(k8s.Create(ctx, second)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, second)).Should(Equal("Suspended"))
		raced := controllertest.Get(suite, second)(Default)
		raced.Status.ID, raced.Status.Adopted = id, true
		Expect(k8s.Status().Update(ctx, raced)).To(Succeed())
		before := writes.Writes()
		resumed := controllertest.Get(suite, second)(Default)
		resumed.Spec.Suspend = false
		Expect(k8s.Update(ctx, resumed)).To(Succeed())

		Eventually(controllertest.ReadyReason(suite, second)).Should(Equal("AlreadyManaged"))
		Expect(controllertest.Get(suite, second)(Default).Status.ID).To(BeEmpty(), "the later object let go of the policy")
		Expect(controllertest.Ready(suite, first).Status.ID).To(Equal(id))
		Consistently(writes.Writes, "2s", "250ms").Should(Equal(before), "no write to the policy")
		Expect(simBody(id)).To(HaveKeyWithValue("jailbreak", false))
		suite.DeleteAndWait(second)
		_, err := admin.GetDeviceAssurance(ctx, id)
		Expect(err).NotTo(HaveOccurred(), "deleting the later object leaves the policy")
		suite.DeleteAndWait(first)
	})
})

var _ = Describe("a namespace the org stops serving", func() {
	It("releases its objects on deletion and leaves their Okta policies, instead of waiting for ever", func() {
		obj := newPolicy(`{platform: IOS, name: namespace-left, jailbreak: false}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID

		api, _ := orgs.Resolve(ctx, "", nil)
		orgs.Set(nil, &orgclient.NotReadyError{Kind: "ClusterOktaOrg", Name: "default", Reason: orgclient.ReasonNamespaceNotSelected,
			Message: "the namespaceSelector of ClusterOktaOrg default does not select namespace default"})
		DeferCleanup(func() { orgs.Set(api, nil) })

		suite.DeleteAndWait(obj)
		_, err := admin.GetDeviceAssurance(ctx, id)
		Expect(err).NotTo(HaveOccurred(), "the policy stays in Okta for the admin")
		Expect(suite.EventNotes(obj)).To(ContainElement(ContainSubstring("Left Okta policy " + id + " in Okta: the org no longer serves this namespace")))
		Expect(admin.DeleteDeviceAssurance(ctx, id)).To(Succeed())
	})
})
