package deviceassurance_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus/testutil"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// The guide's iOS policy: created, then edited with a grace period and
// remediation instructions (Okta's guide "Configure a device assurance policy").
const (
	guideCreate = `
name: Device assurance iOS
platform: IOS
osVersion:
  dynamicVersionRequirement: {type: EXACT_ANY_SUPPORTED, latestSecurityPatch: true}
jailbreak: false`
	guideEdit = guideCreate + `
gracePeriod: {type: BY_DURATION, expiry: P30D}
displayRemediationMode: SHOW`
	guidePutBody = `{"name":"Device assurance iOS","osVersion":{"dynamicVersionRequirement":{"type":"EXACT_ANY_SUPPORTED","latestSecurityPatch":true}},
		"jailbreak":false,"platform":"IOS","gracePeriod":{"type":"BY_DURATION","expiry":"P30D"},"displayRemediationMode":"SHOW"}`
)

var objectCounter atomic.Int32

func newPolicy(specYAML string) *assurancev1alpha1.DeviceAssurancePolicy {
	obj := &assurancev1alpha1.DeviceAssurancePolicy{}
	obj.Namespace = "default"
	obj.Name = fmt.Sprintf("policy-%d", objectCounter.Add(1))
	Expect(yaml.Unmarshal([]byte(specYAML), &obj.Spec)).To(Succeed())
	return obj
}

func simBody(id string) map[string]any {
	p, err := admin.GetDeviceAssurance(ctx, id)
	Expect(err).NotTo(HaveOccurred())
	return controllertest.JSONMap(p.DeviceAssurance)
}

var _ = Describe("DeviceAssurancePolicy controller", func() {
	It("creates the guide's iOS policy, applies its edit with one PUT, and then stays write-free", func() {
		obj := newPolicy(guideCreate)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		created := controllertest.Ready(suite, obj)
		Expect(created.Status.ID).To(MatchRegexp(`^dae[A-Za-z0-9]{17}$`))
		Expect(created.Status.CreatedDate).NotTo(BeNil())
		Expect(created.Finalizers).To(ContainElement("assurance.okta-operator.dev/device-assurance-policy"))

		res := controllertest.KStatus(created)
		Expect(res.Status).To(Equal(status.CurrentStatus), "kstatus: %s", res.Message)

		before := writes.Writes()
		Expect(yaml.Unmarshal([]byte(guideEdit), &created.Spec)).To(Succeed())
		Expect(k8s.Update(ctx, created)).To(Succeed())
		Eventually(func() map[string]any { return simBody(created.Status.ID) }).Should(
			HaveKeyWithValue("displayRemediationMode", "SHOW"))
		controllertest.Ready(suite, obj)

		var want map[string]any
		Expect(json.Unmarshal([]byte(guidePutBody), &want)).To(Succeed())
		want["gracePeriod"] = map[string]any{"type": "BY_DURATION", "expiry": "PT720H"} // as real orgs return it
		Expect(simBody(created.Status.ID)).To(Equal(want), "the org holds exactly the guide's PUT body")
		Expect(writes.Writes()-before).To(Equal(1), "one PUT for the edit")
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElements(
			MatchRegexp(`^Created Okta policy dae\w+ \[requestId \S+\]$`),
			MatchRegexp(`^Updated displayRemediationMode, gracePeriod in Okta policy dae\w+ \[requestId \S+\]$`)))

		By("passing several resyncs with nothing to do")
		idleWrites, idleReads := writes.Writes(), writes.Reads()
		avoided := testutil.ToFloat64(metrics.WritesAvoided.WithLabelValues("DeviceAssurancePolicy"))
		Consistently(writes.Writes, 4*resync, resync/4).Should(Equal(idleWrites))
		Expect(writes.Reads()).To(BeNumerically(">", idleReads), "the resyncs did read the org")
		Expect(testutil.ToFloat64(metrics.WritesAvoided.WithLabelValues("DeviceAssurancePolicy"))).To(BeNumerically(">", avoided),
			"the metric counts the writes the compare avoided")
		suite.DeleteAndWait(obj)
	})

	It("reverts an out-of-band edit and recreates an out-of-band delete", func() {
		obj := newPolicy(guideCreate)
		obj.Spec.Name = "reverts-edits"
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID

		var edited okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"Device assurance iOS","platform":"IOS","jailbreak":true}`), &edited)).To(Succeed())
		edited.Name = "reverts-edits"
		_, err := admin.ReplaceDeviceAssurance(ctx, id, edited)
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() any { return simBody(id)["jailbreak"] }).Should(BeFalse())
		Eventually(func() any { return simBody(id)["osVersion"] }).ShouldNot(BeNil())

		Expect(admin.DeleteDeviceAssurance(ctx, id)).To(Succeed())
		Eventually(func(g Gomega) string { return controllertest.Get(suite, obj)(g).Status.ID }).ShouldNot(Equal(id))
		newID := controllertest.Ready(suite, obj).Status.ID
		Expect(simBody(newID)).To(HaveKeyWithValue("jailbreak", false))
		suite.DeleteAndWait(obj)
	})

	It("only reports an out-of-band edit under driftPolicy Report, and reverts it with one PUT once switched to Correct", func() {
		obj := newPolicy(`{platform: MACOS, name: observe-mode, osVersion: {minimum: "14.4"}, diskEncryptionType: {include: [ALL_INTERNAL_VOLUMES]}, driftPolicy: Report}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		created := controllertest.Ready(suite, obj)
		id := created.Status.ID
		Expect(id).NotTo(BeEmpty(), "Report still creates the policy")
		Expect(created.Status.Conditions).NotTo(ContainElement(HaveField("Type", assurancev1alpha1.ConditionDrifted)))

		before := writes.Writes()
		reported := testutil.ToFloat64(metrics.DriftReported.WithLabelValues("DeviceAssurancePolicy"))
		var edited okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"observe-mode","platform":"MACOS","osVersion":{"minimum":"14.0"},
			"diskEncryptionType":{"include":["ALL_INTERNAL_VOLUMES"]},"screenLockType":{"include":["PASSCODE"]}}`), &edited)).To(Succeed())
		_, err := admin.ReplaceDeviceAssurance(ctx, id, edited)
		Expect(err).NotTo(HaveOccurred())

		Eventually(func(g Gomega) {
			drifted := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionDrifted)(g)
			g.Expect(drifted).NotTo(BeNil())
			g.Expect(drifted.Status).To(Equal(metav1.ConditionTrue))
			g.Expect(drifted.Reason).To(Equal("DriftDetected"))
			g.Expect(drifted.Message).To(Equal("Okta differs from the spec in: osVersion.minimum, screenLockType"))
		}).Should(Succeed())
		Consistently(func() any { return simBody(id)["osVersion"] }, 4*resync, resync/4).Should(
			Equal(map[string]any{"minimum": "14.0"}), "the edit is left alone over several resyncs")
		Expect(writes.Writes()-before).To(Equal(0), "no write under Report")

		observed := controllertest.Ready(suite, obj)
		readyCond := meta.FindStatusCondition(observed.Status.Conditions, assurancev1alpha1.ConditionReady)
		Expect(readyCond.Reason).To(Equal("DriftReported"))
		Expect(readyCond.Message).To(ContainSubstring("osVersion.minimum, screenLockType"))
		Expect(controllertest.KStatus(observed).Status).To(Equal(status.CurrentStatus), "observe mode is reconciled as configured")
		Expect(testutil.ToFloat64(metrics.DriftReported.WithLabelValues("DeviceAssurancePolicy"))-reported).To(Equal(1.0),
			"reported once, not at every resync")
		Eventually(func() []eventsv1.Event { return suite.EventsWithReason(obj, "DriftDetected") }).Should(HaveLen(1))
		event := suite.EventsWithReason(obj, "DriftDetected")[0]
		Expect(event.Type).To(Equal("Warning"))
		Expect(event.Note).To(Equal("Okta policy " + id + " differs from the spec in: osVersion.minimum, screenLockType; not corrected (spec.driftPolicy is Report)"))
		Expect(event.Series).To(BeNil(), "sent once")

		By("switching to Correct")
		correcting := controllertest.Get(suite, obj)(Default)
		correcting.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyCorrect
		Expect(k8s.Update(ctx, correcting)).To(Succeed())
		Eventually(func() any { return simBody(id)["osVersion"] }).Should(Equal(map[string]any{"minimum": "14.4"}))
		corrected := controllertest.Ready(suite, obj)
		Expect(corrected.Status.Conditions).NotTo(ContainElement(HaveField("Type", assurancev1alpha1.ConditionDrifted)))
		Expect(meta.FindStatusCondition(corrected.Status.Conditions, assurancev1alpha1.ConditionReady).Reason).To(Equal("Synced"))
		Expect(simBody(id)).NotTo(HaveKey("screenLockType"))
		Consistently(writes.Writes, 2*resync, resync/4).Should(Equal(before+1), "exactly one PUT")
		suite.DeleteAndWait(obj)
	})

	It("does not recreate a policy deleted out of band under driftPolicy Report, and stalls until a person decides", func() {
		obj := newPolicy(`{platform: IOS, jailbreak: false, name: observe-deleted, driftPolicy: Report}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID

		Expect(admin.DeleteDeviceAssurance(ctx, id)).To(Succeed())
		Eventually(func(g Gomega) {
			stalled := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionStalled)(g)
			g.Expect(stalled).NotTo(BeNil())
			g.Expect(stalled.Reason).To(Equal("DeletedInOkta"))
			g.Expect(stalled.Message).To(ContainSubstring("set spec.driftPolicy to Correct to recreate it, or delete this object"))
		}).Should(Succeed())
		Expect(controllertest.ReadyReason(suite, obj)(Default)).To(Equal("DeletedInOkta"))
		Consistently(func() []okta.DeviceAssuranceResponse { return simPoliciesNamed("observe-deleted") }, 3*resync, resync/4).Should(BeEmpty())
		Expect(controllertest.Get(suite, obj)(Default).Status.ID).To(Equal(id), "the ID is kept for a later Correct")
		Eventually(func() []eventsv1.Event { return suite.EventsWithReason(obj, "DeletedInOkta") }).Should(HaveLen(1))

		versions := suite.RecordVersions(obj, &assurancev1alpha1.DeviceAssurancePolicyList{})
		defer versions.Stop()
		correcting := controllertest.Get(suite, obj)(Default)
		correcting.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyCorrect
		Expect(k8s.Update(ctx, correcting)).To(Succeed())
		recreated := controllertest.Ready(suite, obj)
		Expect(recreated.Status.ID).NotTo(Equal(id))
		Expect(simPoliciesNamed("observe-deleted")).To(HaveLen(1))

		By("the pass that recreates it clears Drifted and Stalled in the same status write")
		var first *assurancev1alpha1.DeviceAssurancePolicy
		Eventually(func() any {
			found := versions.First(func(o client.Object) bool {
				return controllertest.ReadyAt(o.(*assurancev1alpha1.DeviceAssurancePolicy), correcting.Generation)
			})
			first, _ = found.(*assurancev1alpha1.DeviceAssurancePolicy)
			return first
		}).ShouldNot(BeNil(), "versions: %s", versions)
		Expect(first.Status.Conditions).NotTo(ContainElement(HaveField("Type", assurancev1alpha1.ConditionDrifted)))
		Expect(first.Status.Conditions).NotTo(ContainElement(HaveField("Type", assurancev1alpha1.ConditionStalled)))
		suite.DeleteAndWait(obj)
	})

	It("deletes with the object a policy it recreated after the policy it adopted was deleted in Okta", func() {
		var existing okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"adopted-then-recreated","platform":"IOS","jailbreak":false}`), &existing)).To(Succeed())
		made, err := admin.CreateDeviceAssurance(ctx, existing)
		Expect(err).NotTo(HaveOccurred())
		obj := newPolicy(`{platform: IOS, name: adopted-then-recreated, jailbreak: false, adopt: {byName: true}}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		adopted := controllertest.Ready(suite, obj)
		Expect(adopted.Status.ID).To(Equal(made.ID))
		Expect(adopted.Status.Adopted).To(BeTrue())

		Expect(admin.DeleteDeviceAssurance(ctx, made.ID)).To(Succeed())
		Eventually(func(g Gomega) string { return controllertest.Get(suite, obj)(g).Status.ID }).ShouldNot(Or(Equal(made.ID), BeEmpty()))
		recreated := controllertest.Ready(suite, obj)
		Expect(recreated.Status.ID).NotTo(BeEmpty())
		Expect(recreated.Status.Adopted).To(BeFalse(), "the operator made the new policy: it is the object's own")

		suite.DeleteAndWait(obj)
		_, err = admin.GetDeviceAssurance(ctx, recreated.Status.ID)
		Expect(okta.IsNotFound(err)).To(BeTrue(), "the recreated policy is deleted with its object, not orphaned: %v", err)
	})

	It("adopts a policy under driftPolicy Report without writing to it", func() {
		var existing okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"observe-adopted","platform":"WINDOWS","osVersion":{"minimum":"10.0.19045"}}`), &existing)).To(Succeed())
		made, err := admin.CreateDeviceAssurance(ctx, existing)
		Expect(err).NotTo(HaveOccurred())

		before := writes.Writes()
		obj := newPolicy(`{platform: WINDOWS, name: observe-adopted, osVersion: {minimum: "10.0.22631"}, adopt: {byName: true}, driftPolicy: Report}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, obj)).Should(Equal("DriftReported"))
		adopted := controllertest.Ready(suite, obj)
		Expect(adopted.Status.ID).To(Equal(made.ID))
		Expect(adopted.Status.Adopted).To(BeTrue())
		Expect(meta.FindStatusCondition(adopted.Status.Conditions, assurancev1alpha1.ConditionDrifted).Message).To(
			Equal("Okta differs from the spec in: osVersion.minimum"))
		Consistently(func() any { return simBody(made.ID)["osVersion"] }, 2*resync, resync/4).Should(Equal(map[string]any{"minimum": "10.0.19045"}))
		Expect(writes.Writes()).To(Equal(before))
		suite.DeleteAndWait(obj)
		_, err = admin.GetDeviceAssurance(ctx, made.ID)
		Expect(err).NotTo(HaveOccurred(), "an adopted policy is orphaned by default")
	})

	It("makes no Okta call while suspended, and catches up when resumed", func() {
		obj := newPolicy(`{platform: IOS, jailbreak: false, name: suspended}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID

		suspended := controllertest.Get(suite, obj)(Default)
		suspended.Spec.Suspend = true
		Expect(k8s.Update(ctx, suspended)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, obj)).Should(Equal("Suspended"))
		var edited okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"suspended","platform":"IOS","jailbreak":true}`), &edited)).To(Succeed())
		_, err := admin.ReplaceDeviceAssurance(ctx, id, edited)
		Expect(err).NotTo(HaveOccurred())
		Consistently(func() any { return simBody(id)["jailbreak"] }, 3*resync, resync/4).Should(BeTrue(), "the edit is left alone")
		Expect(controllertest.Get(suite, obj)(Default).Status.Conditions).NotTo(ContainElement(HaveField("Type", assurancev1alpha1.ConditionReconciling)))

		resumed := controllertest.Get(suite, obj)(Default)
		resumed.Spec.Suspend = false
		Expect(k8s.Update(ctx, resumed)).To(Succeed())
		Eventually(func() any { return simBody(id)["jailbreak"] }).Should(BeFalse())
		controllertest.Ready(suite, obj)
		suite.DeleteAndWait(obj)
	})

	It("deletes the Okta policy with the object, or keeps it with Orphan", func() {
		deleted := newPolicy(`{platform: MACOS, osVersion: {minimum: "14.4"}}`)
		orphan := newPolicy(`{platform: MACOS, osVersion: {minimum: "14.5"}, deletionPolicy: Orphan}`)
		Expect(k8s.Create(ctx, deleted)).To(Succeed())
		Expect(k8s.Create(ctx, orphan)).To(Succeed())
		deletedID, orphanID := controllertest.Ready(suite, deleted).Status.ID, controllertest.Ready(suite, orphan).Status.ID

		suite.DeleteAndWait(deleted)
		suite.DeleteAndWait(orphan)
		_, err := admin.GetDeviceAssurance(ctx, deletedID)
		Expect(okta.IsNotFound(err)).To(BeTrue(), "the policy is gone from the org")
		_, err = admin.GetDeviceAssurance(ctx, orphanID)
		Expect(err).NotTo(HaveOccurred(), "the orphaned policy stays")
	})

	It("waits to delete a policy until no SignInRuleBinding names it", func() {
		obj := newPolicy(`{platform: IOS, jailbreak: false, name: used-by-a-binding}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID

		user := &assurancev1alpha1.SignInRuleBinding{}
		user.Namespace, user.Name = obj.Namespace, "uses-"+obj.Name
		user.Spec.Policy.Name = "Default Policy"
		user.Spec.Rule = assurancev1alpha1.SignInRule{Name: "r", Actions: assurancev1alpha1.RuleActions{AppSignOn: assurancev1alpha1.AppSignOnAction{Access: "ALLOW"}},
			Conditions: &assurancev1alpha1.RuleConditions{Device: &assurancev1alpha1.DeviceCondition{Registered: ptr.To(true),
				Assurance: &assurancev1alpha1.AssuranceCondition{Include: []assurancev1alpha1.DeviceAssuranceReference{{Name: obj.Name}}}}}}
		Expect(k8s.Create(ctx, user)).To(Succeed())

		Expect(k8s.Delete(ctx, obj)).To(Succeed())
		Eventually(func(g Gomega) string {
			c := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionReady)(g)
			g.Expect(c).NotTo(BeNil())
			return c.Reason + ": " + c.Message
		}).Should(And(HavePrefix("InUse"), ContainSubstring(user.Name)))
		_, err := admin.GetDeviceAssurance(ctx, id)
		Expect(err).NotTo(HaveOccurred(), "not deleted while named by a binding")

		Expect(k8s.Delete(ctx, user)).To(Succeed())
		Eventually(suite.Released(obj)).Should(BeTrue())
		_, err = admin.GetDeviceAssurance(ctx, id)
		Expect(okta.IsNotFound(err)).To(BeTrue())
	})

	It("waits for a DevicePostureCheck it names, then requires it by its variableName", func() {
		obj := newPolicy(`{platform: MACOS, osVersion: {minimum: "14.4"}, name: needs-firewall,
			devicePostureChecks: {include: [{checkRef: {name: firewall}, value: "1"}]}, displayRemediationMode: SHOW}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		dependencies := func(g Gomega) string {
			c := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionDependenciesReady)(g)
			g.Expect(c).NotTo(BeNil())
			return string(c.Status) + " " + c.Message
		}
		Eventually(dependencies).Should(And(HavePrefix("False"), ContainSubstring("firewall (not found)")))
		Expect(simPoliciesNamed("needs-firewall")).To(BeEmpty(), "nothing is sent before the check exists")

		check := &assurancev1alpha1.DevicePostureCheck{}
		check.Namespace, check.Name = obj.Namespace, "firewall"
		check.Spec = assurancev1alpha1.DevicePostureCheckSpec{VariableName: "macOSFirewall", Platform: "MACOS",
			MappingType: "CHECKBOX", Query: "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;"}
		Expect(k8s.Create(ctx, check)).To(Succeed())
		Consistently(dependencies, 2*resync, resync/4).Should(And(HavePrefix("False"), ContainSubstring("waiting for DevicePostureCheck firewall")))

		// What the DevicePostureCheck controller does once the check exists in Okta.
		var wire okta.PostureCheck
		Expect(json.Unmarshal([]byte(`{"name":"firewall","variableName":"macOSFirewall","platform":"MACOS","type":"CUSTOM",
			"mappingType":"CHECKBOX","query":"SELECT 1;"}`), &wire)).To(Succeed())
		made, err := admin.CreatePostureCheck(ctx, wire)
		Expect(err).NotTo(HaveOccurred())
		check.Status.ID = made.ID
		Expect(k8s.Status().Update(ctx, check)).To(Succeed())

		id := controllertest.Ready(suite, obj).Status.ID
		Expect(simBody(id)["devicePostureChecks"]).To(Equal(map[string]any{
			"include": []any{map[string]any{"variableName": "macOSFirewall", "value": "1"}}}))
		Eventually(dependencies).Should(HavePrefix("True"))
		suite.DeleteAndWait(obj)
	})

	It("stalls with every cause when Okta refuses the policy, and recovers when the spec is fixed", func() {
		obj := newPolicy(`{platform: MACOS, osVersion: {minimum: "14.4"}, devicePostureChecks: {include: [{variableName: noSuchCheck, value: "1"}]}}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(func(g Gomega) {
			stalledCond := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionStalled)(g)
			g.Expect(stalledCond).NotTo(BeNil())
			g.Expect(stalledCond.Reason).To(Equal("OktaRejected"))
			g.Expect(stalledCond.Message).To(ContainSubstring("E0000001"))
			g.Expect(stalledCond.Message).To(ContainSubstring("noSuchCheck"))
		}).Should(Succeed())
		Expect(controllertest.Get(suite, obj)(Default).Status.PendingCreate).To(BeNil(), "nothing was created")

		fixed := controllertest.Get(suite, obj)(Default)
		fixed.Spec.DevicePostureChecks = nil
		Expect(k8s.Update(ctx, fixed)).To(Succeed())
		Expect(controllertest.Ready(suite, obj).Status.Conditions).NotTo(ContainElement(HaveField("Type", assurancev1alpha1.ConditionStalled)))
		suite.DeleteAndWait(obj)
	})

	It("waits for a missing org and then proceeds", func() {
		working, _ := orgs.Resolve(ctx, "", nil)
		orgs.Set(nil, errors.New(`ClusterOktaOrg "default" not found`))
		DeferCleanup(func() { orgs.Set(working, nil) })

		obj := newPolicy(`{platform: IOS, jailbreak: false, name: waits-for-org}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, obj)).Should(Equal("OrgNotReady"))
		Expect(simPoliciesNamed("waits-for-org")).To(BeEmpty())

		orgs.Set(working, nil)
		Expect(controllertest.Ready(suite, obj).Status.ID).NotTo(BeEmpty())
		suite.DeleteAndWait(obj)
	})

	It("does not create a second policy when the status write after the POST fails", func() {
		obj := newPolicy(`{platform: ANDROID, osVersion: {minimum: "14"}, name: never-twice}`)
		statusFault.Arm(obj.Name)
		fired := statusFault.Fired()
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		controllertest.Ready(suite, obj)
		Expect(statusFault.Fired()).To(Equal(fired+1), "the status write after the POST failed once")
		Consistently(func() int { return len(simPoliciesNamed("never-twice")) }, 2*resync, resync/4).Should(Equal(1))
		Expect(controllertest.Get(suite, obj)(Default).Status.ID).To(Equal(simPoliciesNamed("never-twice")[0].ID))
		suite.DeleteAndWait(obj)
	})

	It("reports a name conflict instead of taking over a policy it did not create, and adopts when asked", func() {
		var existing okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"made-by-hand","platform":"WINDOWS","osVersion":{"minimum":"10.0.19045"}}`), &existing)).To(Succeed())
		made, err := admin.CreateDeviceAssurance(ctx, existing)
		Expect(err).NotTo(HaveOccurred())

		obj := newPolicy(`{platform: WINDOWS, name: made-by-hand, osVersion: {minimum: "10.0.22631"}}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, obj)).Should(Equal("NameConflict"))
		Expect(simBody(made.ID)["osVersion"]).To(Equal(map[string]any{"minimum": "10.0.19045"}), "untouched")

		adopting := controllertest.Get(suite, obj)(Default)
		adopting.Spec.Adopt = &assurancev1alpha1.Adoption{ByName: true}
		Expect(k8s.Update(ctx, adopting)).To(Succeed())
		adopted := controllertest.Ready(suite, obj)
		Expect(adopted.Status.ID).To(Equal(made.ID))
		Expect(adopted.Status.Adopted).To(BeTrue())
		Expect(simBody(made.ID)["osVersion"]).To(Equal(map[string]any{"minimum": "10.0.22631"}))

		suite.DeleteAndWait(obj)
		_, err = admin.GetDeviceAssurance(ctx, made.ID)
		Expect(err).NotTo(HaveOccurred(), "an adopted policy is orphaned by default")
	})

	It("adopts by ID and refuses an ID of another platform", func() {
		var existing okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(`{"name":"adopt-by-id","platform":"IOS","jailbreak":false}`), &existing)).To(Succeed())
		made, err := admin.CreateDeviceAssurance(ctx, existing)
		Expect(err).NotTo(HaveOccurred())

		wrong := newPolicy(`{platform: MACOS, osVersion: {minimum: "14"}}`)
		wrong.Spec.Adopt = &assurancev1alpha1.Adoption{ID: made.ID}
		Expect(k8s.Create(ctx, wrong)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, wrong)).Should(Equal("AdoptionFailed"))

		right := newPolicy(`{platform: IOS, name: adopt-by-id, jailbreak: false, deletionPolicy: Delete}`)
		right.Spec.Adopt = &assurancev1alpha1.Adoption{ID: made.ID}
		Expect(k8s.Create(ctx, right)).To(Succeed())
		Expect(controllertest.Ready(suite, right).Status.ID).To(Equal(made.ID))
		suite.DeleteAndWait(right)
		_, err = admin.GetDeviceAssurance(ctx, made.ID)
		Expect(okta.IsNotFound(err)).To(BeTrue(), "deletionPolicy: Delete overrides the adoption default")
		suite.DeleteAndWait(wrong)
	})

	It("records Okta's audit fields and the sync time, and clears the create marker", func() {
		obj := newPolicy(`{platform: IOS, jailbreak: false}`)
		obj.Spec.Name = "records-intent"
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		done := controllertest.Ready(suite, obj)
		Expect(done.Status.PendingCreate).To(BeNil(), "cleared once the ID is recorded")
		Expect(done.Status.LastSyncTime).NotTo(BeNil())
		Expect(done.Status.LastSyncTime.Time).To(BeTemporally("~", time.Now(), time.Minute))
		Expect(ptr.Deref(done.Spec.Jailbreak, true)).To(BeFalse())
		Expect(done.Status.CreatedBy).NotTo(BeEmpty())
		suite.DeleteAndWait(obj)
	})
})
