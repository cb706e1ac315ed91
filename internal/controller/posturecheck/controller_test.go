package posturecheck_test

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
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// The guide's macOS firewall check (docs/okta-api-behaviour.md §2, DevicePostureChecksMacOSRequest),
// its remediation link with the https scheme the CRD requires (Okta's
// example has none); each test gives it a variableName of its own.
const (
	guideCheck = `
name: Device posture check macOS
description: Query macOS devices to check if firewall is enabled
platform: MACOS
mappingType: CHECKBOX
query: SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;
remediationSettings:
  message: {customText: It is our company policy that all devices must have a firewall enabled.}
  link: {customUrl: "https://example.myremediationurl.com/docs"}`
	editedQuery = "SELECT CASE WHEN global_state = 2 THEN 1 ELSE 0 END AS firewall_blocks_all FROM alf;"
)

var objectCounter atomic.Int32

func newCheck(specYAML string) *assurancev1alpha1.DevicePostureCheck {
	n := objectCounter.Add(1)
	obj := &assurancev1alpha1.DevicePostureCheck{}
	obj.Namespace = "default"
	obj.Name = fmt.Sprintf("check-%d", n)
	Expect(yaml.Unmarshal([]byte(specYAML), &obj.Spec)).To(Succeed())
	obj.Spec.VariableName = fmt.Sprintf("suiteCheck%d", n)
	return obj
}

// simBody is the org's check as JSON, without what Okta owns.
func simBody(id string) map[string]any {
	c, err := admin.GetPostureCheck(ctx, id)
	Expect(err).NotTo(HaveOccurred())
	return controllertest.JSONMap(c.PostureCheck)
}

// policyNaming is a DeviceAssurancePolicy of obj's namespace that requires
// obj by checkRef. No DeviceAssurancePolicy controller runs in this suite:
// the object alone must hold the check's deletion back.
func policyNaming(obj *assurancev1alpha1.DevicePostureCheck) *assurancev1alpha1.DeviceAssurancePolicy {
	p := &assurancev1alpha1.DeviceAssurancePolicy{}
	p.Namespace, p.Name = obj.Namespace, "requires-"+obj.Name
	Expect(yaml.Unmarshal([]byte(`{platform: MACOS, osVersion: {minimum: "14.4"}}`), &p.Spec)).To(Succeed())
	p.Spec.DevicePostureChecks = &assurancev1alpha1.DevicePostureChecks{Include: []assurancev1alpha1.DevicePostureCheckValue{
		{CheckRef: &assurancev1alpha1.LocalObjectReference{Name: obj.Name}, Value: "1"},
	}}
	return p
}

var _ = Describe("DevicePostureCheck controller", func() {
	It("creates the guide's macOS firewall check, applies an edit with one PUT, and then stays write-free", func() {
		obj := newCheck(guideCheck)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		created := controllertest.Ready(suite, obj)
		Expect(created.Status.ID).To(MatchRegexp(`^dch[A-Za-z0-9]{17}$`))
		Expect(created.Status.Type).To(Equal("CUSTOM"))
		Expect(created.Status.CreatedDate).NotTo(BeNil())
		Expect(created.Status.CreatedBy).NotTo(BeEmpty())
		Expect(created.Status.LastSyncTime).NotTo(BeNil())
		Expect(created.Status.PendingCreate).To(BeNil(), "cleared once the ID is recorded")
		Expect(created.Finalizers).To(ContainElement("assurance.okta-operator.dev/device-posture-check"))
		Expect(simBody(created.Status.ID)).To(Equal(map[string]any{
			"name": "Device posture check macOS", "description": "Query macOS devices to check if firewall is enabled",
			"variableName": obj.Spec.VariableName, "platform": "MACOS", "type": "CUSTOM", "mappingType": "CHECKBOX",
			"query": "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
			"remediationSettings": map[string]any{
				"message": map[string]any{"customText": "It is our company policy that all devices must have a firewall enabled."},
				"link":    map[string]any{"customUrl": "https://example.myremediationurl.com/docs"}},
		}))

		res := controllertest.KStatus(created)
		Expect(res.Status).To(Equal(status.CurrentStatus), "kstatus: %s", res.Message)

		before := writes.Writes()
		created.Spec.Query = editedQuery
		created.Spec.RemediationSettings.Link = nil
		Expect(k8s.Update(ctx, created)).To(Succeed())
		Eventually(func() any { return simBody(created.Status.ID)["query"] }).Should(Equal(editedQuery))
		controllertest.Ready(suite, obj)
		Expect(simBody(created.Status.ID)["remediationSettings"]).To(Equal(map[string]any{
			"message": map[string]any{"customText": "It is our company policy that all devices must have a firewall enabled."}}),
			"the PUT replaced the whole check")
		Expect(writes.Writes()-before).To(Equal(1), "one PUT for the edit")
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElements(
			MatchRegexp(`^Created Okta posture check dch\w+ \[requestId \S+\]$`),
			MatchRegexp(`^Updated query, remediationSettings in Okta posture check dch\w+ \[requestId \S+\]$`)))

		By("passing several resyncs with nothing to do")
		idleWrites, idleReads := writes.Writes(), writes.Reads()
		Consistently(writes.Writes, 4*resync, resync/4).Should(Equal(idleWrites))
		Expect(writes.Reads()).To(BeNumerically(">", idleReads), "the resyncs did read the org")
		suite.DeleteAndWait(obj)
	})

	It("names the check after the object when spec.name is empty", func() {
		obj := newCheck(`{platform: WINDOWS, mappingType: TEXTBOX, query: "SELECT version FROM os_version;"}`)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID
		Expect(simBody(id)).To(HaveKeyWithValue("name", obj.Name))
		Expect(simBody(id)).NotTo(HaveKey("remediationSettings"))
		suite.DeleteAndWait(obj)
	})

	It("reverts an out-of-band edit and recreates an out-of-band delete", func() {
		obj := newCheck(guideCheck)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID

		edited := okta.PostureCheck{Name: "edited by hand", VariableName: obj.Spec.VariableName, Platform: okta.PlatformMacOS,
			Type: "CUSTOM", MappingType: "CHECKBOX", Query: "SELECT 1;"}
		_, err := admin.ReplacePostureCheck(ctx, id, edited)
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() any { return simBody(id)["name"] }).Should(Equal("Device posture check macOS"))
		Expect(simBody(id)).To(HaveKey("remediationSettings"))
		Expect(simBody(id)).To(HaveKeyWithValue("query", obj.Spec.Query))
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElement(
			MatchRegexp(`^Updated description, name, query, remediationSettings in Okta posture check ` + id)))

		Expect(admin.DeletePostureCheck(ctx, id)).To(Succeed())
		Eventually(func(g Gomega) string { return controllertest.Get(suite, obj)(g).Status.ID }).ShouldNot(Equal(id))
		newID := controllertest.Ready(suite, obj).Status.ID
		Expect(newID).NotTo(BeEmpty())
		Expect(simBody(newID)).To(HaveKeyWithValue("variableName", obj.Spec.VariableName))
		Expect(simChecksWithVariable(obj.Spec.VariableName)).To(HaveLen(1))
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElement(
			"Okta posture check " + id + " was deleted outside Kubernetes; creating it again"))
		suite.DeleteAndWait(obj)
	})

	It("only reports an out-of-band edit under driftPolicy Report, and reverts it with one PUT once switched to Correct", func() {
		obj := newCheck(guideCheck)
		obj.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyReport
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID
		Expect(id).NotTo(BeEmpty(), "Report still creates the check")

		before := writes.Writes()
		reported := testutil.ToFloat64(metrics.DriftReported.WithLabelValues("DevicePostureCheck"))
		c, err := admin.GetPostureCheck(ctx, id)
		Expect(err).NotTo(HaveOccurred())
		edited := c.PostureCheck
		edited.Query = editedQuery
		edited.RemediationSettings.Link.CustomURL = "example.com/edited"
		_, err = admin.ReplacePostureCheck(ctx, id, edited)
		Expect(err).NotTo(HaveOccurred())

		Eventually(func(g Gomega) {
			drifted := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionDrifted)(g)
			g.Expect(drifted).NotTo(BeNil())
			g.Expect(drifted.Status).To(Equal(metav1.ConditionTrue))
			g.Expect(drifted.Reason).To(Equal("DriftDetected"))
			g.Expect(drifted.Message).To(Equal("Okta differs from the spec in: query, remediationSettings.link.customUrl"))
		}).Should(Succeed())
		Consistently(func() any { return simBody(id)["query"] }, 4*resync, resync/4).Should(Equal(editedQuery),
			"the edit is left alone over several resyncs")
		Expect(writes.Writes()-before).To(Equal(0), "no write under Report")
		Expect(controllertest.ReadyReasonMessage(suite, obj)(Default)).To(And(HavePrefix("DriftReported: Okta posture check "+id),
			ContainSubstring("query, remediationSettings.link.customUrl")))
		Expect(testutil.ToFloat64(metrics.DriftReported.WithLabelValues("DevicePostureCheck"))-reported).To(Equal(1.0),
			"reported once, not at every resync")
		Eventually(func() []eventsv1.Event { return suite.EventsWithReason(obj, "DriftDetected") }).Should(HaveLen(1))
		event := suite.EventsWithReason(obj, "DriftDetected")[0]
		Expect(event.Type).To(Equal("Warning"))
		Expect(event.Note).To(ContainSubstring("differs from the spec in: query, remediationSettings.link.customUrl"))
		Expect(event.Series).To(BeNil(), "sent once")

		By("switching to Correct")
		correcting := controllertest.Get(suite, obj)(Default)
		correcting.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyCorrect
		Expect(k8s.Update(ctx, correcting)).To(Succeed())
		Eventually(func() any { return simBody(id)["query"] }).Should(Equal(obj.Spec.Query))
		corrected := controllertest.Ready(suite, obj)
		Expect(corrected.Status.Conditions).NotTo(ContainElement(HaveField("Type", assurancev1alpha1.ConditionDrifted)))
		Expect(controllertest.ReadyReasonMessage(suite, obj)(Default)).To(HavePrefix("Synced: "))
		Consistently(writes.Writes, 2*resync, resync/4).Should(Equal(before+1), "exactly one PUT")
		suite.DeleteAndWait(obj)
	})

	It("does not recreate a check deleted out of band under driftPolicy Report, and stalls until a person decides", func() {
		obj := newCheck(guideCheck)
		obj.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyReport
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID

		Expect(admin.DeletePostureCheck(ctx, id)).To(Succeed())
		Eventually(func(g Gomega) {
			stalled := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionStalled)(g)
			g.Expect(stalled).NotTo(BeNil())
			g.Expect(stalled.Reason).To(Equal("DeletedInOkta"))
		}).Should(Succeed())
		Consistently(func() []okta.PostureCheckResponse { return simChecksWithVariable(obj.Spec.VariableName) }, 3*resync, resync/4).Should(BeEmpty())
		Eventually(func() []eventsv1.Event { return suite.EventsWithReason(obj, "DeletedInOkta") }).Should(HaveLen(1))

		correcting := controllertest.Get(suite, obj)(Default)
		correcting.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyCorrect
		Expect(k8s.Update(ctx, correcting)).To(Succeed())
		Expect(controllertest.Ready(suite, obj).Status.ID).NotTo(Equal(id))
		Expect(simChecksWithVariable(obj.Spec.VariableName)).To(HaveLen(1))
		suite.DeleteAndWait(obj)
	})

	It("deletes the Okta check with the object, or keeps it with Orphan", func() {
		deleted := newCheck(guideCheck)
		orphan := newCheck(guideCheck)
		orphan.Spec.DeletionPolicy = assurancev1alpha1.DeletionPolicyOrphan
		Expect(k8s.Create(ctx, deleted)).To(Succeed())
		Expect(k8s.Create(ctx, orphan)).To(Succeed())
		deletedID, orphanID := controllertest.Ready(suite, deleted).Status.ID, controllertest.Ready(suite, orphan).Status.ID

		suite.DeleteAndWait(deleted)
		suite.DeleteAndWait(orphan)
		_, err := admin.GetPostureCheck(ctx, deletedID)
		Expect(okta.IsNotFound(err)).To(BeTrue(), "the check is gone from the org")
		_, err = admin.GetPostureCheck(ctx, orphanID)
		Expect(err).NotTo(HaveOccurred(), "the orphaned check stays")
		Expect(admin.DeletePostureCheck(ctx, orphanID)).To(Succeed())
	})

	It("does not create a second check when the status write after the POST fails", func() {
		obj := newCheck(guideCheck)
		statusFault.Arm(obj.Name)
		fired := statusFault.Fired()
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		controllertest.Ready(suite, obj)
		Expect(statusFault.Fired()).To(Equal(fired+1), "the status write after the POST failed once")
		Consistently(func() int { return len(simChecksWithVariable(obj.Spec.VariableName)) }, 2*resync, resync/4).Should(Equal(1))
		Expect(controllertest.Get(suite, obj)(Default).Status.ID).To(Equal(simChecksWithVariable(obj.Spec.VariableName)[0].ID))
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElement(
			MatchRegexp(`^Recorded Okta posture check dch\w+, created by an interrupted pass$`)))
		suite.DeleteAndWait(obj)
	})

	It("waits to delete a check until no DeviceAssurancePolicy names it by checkRef", func() {
		obj := newCheck(guideCheck)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID
		policy := policyNaming(obj)
		Expect(k8s.Create(ctx, policy)).To(Succeed())

		Expect(k8s.Delete(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReasonMessage(suite, obj)).Should(And(HavePrefix("InUse: "), ContainSubstring("DeviceAssurancePolicy "+policy.Name)))
		Consistently(func() error { _, err := admin.GetPostureCheck(ctx, id); return err }, 2*resync, resync/4).
			Should(Succeed(), "not deleted while a policy names it")

		By("the policy letting go of the check")
		Expect(k8s.Get(ctx, client.ObjectKeyFromObject(policy), policy)).To(Succeed())
		policy.Spec.DevicePostureChecks.Include = []assurancev1alpha1.DevicePostureCheckValue{{VariableName: "oktaBuiltInMacOSFirewall", Value: "1"}}
		Expect(k8s.Update(ctx, policy)).To(Succeed())
		// The watch wakes the check well before the 30s recheck.
		Eventually(suite.Released(obj), 10*time.Second).Should(BeTrue())
		_, err := admin.GetPostureCheck(ctx, id)
		Expect(okta.IsNotFound(err)).To(BeTrue())
		Expect(k8s.Delete(ctx, policy)).To(Succeed())
	})

	It("proceeds when the DeviceAssurancePolicy naming it is deleted", func() {
		obj := newCheck(guideCheck)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID
		policy := policyNaming(obj)
		Expect(k8s.Create(ctx, policy)).To(Succeed())

		Expect(k8s.Delete(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReasonMessage(suite, obj)).Should(HavePrefix("InUse: "))
		Expect(k8s.Delete(ctx, policy)).To(Succeed())
		Eventually(suite.Released(obj), 10*time.Second).Should(BeTrue())
		_, err := admin.GetPostureCheck(ctx, id)
		Expect(okta.IsNotFound(err)).To(BeTrue())
	})

	It("reports InUse while an Okta policy not managed here includes the check, and deletes it once released", func() {
		obj := newCheck(guideCheck)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		id := controllertest.Ready(suite, obj).Status.ID

		var daPolicy okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(fmt.Sprintf(`{"name":"uses-%s","platform":"MACOS","osVersion":{"minimum":"14.4"},
			"devicePostureChecks":{"include":[{"variableName":%q,"value":"1"}]}}`, obj.Name, obj.Spec.VariableName)), &daPolicy)).To(Succeed())
		user, err := admin.CreateDeviceAssurance(ctx, daPolicy)
		Expect(err).NotTo(HaveOccurred())

		Expect(k8s.Delete(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReasonMessage(suite, obj)).Should(And(HavePrefix("InUse: "), ContainSubstring("409")))
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElement(ContainSubstring("in use")))
		_, err = admin.GetPostureCheck(ctx, id)
		Expect(err).NotTo(HaveOccurred(), "Okta kept it")

		Expect(admin.DeleteDeviceAssurance(ctx, user.ID)).To(Succeed())
		Eventually(suite.Released(obj)).Should(BeTrue())
		_, err = admin.GetPostureCheck(ctx, id)
		Expect(okta.IsNotFound(err)).To(BeTrue())
	})

	It("reports a variableName that a check it did not create already has, without touching it", func() {
		obj := newCheck(guideCheck)
		made, err := admin.CreatePostureCheck(ctx, okta.PostureCheck{Name: "made by hand", VariableName: obj.Spec.VariableName,
			Platform: okta.PlatformMacOS, Type: "CUSTOM", MappingType: "CHECKBOX", Query: "SELECT 1;"})
		Expect(err).NotTo(HaveOccurred())

		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReasonMessage(suite, obj)).Should(And(HavePrefix("VariableNameConflict: "), ContainSubstring(made.ID)))
		Expect(simBody(made.ID)).To(HaveKeyWithValue("name", "made by hand"), "untouched")
		Expect(simChecksWithVariable(obj.Spec.VariableName)).To(HaveLen(1))

		suite.DeleteAndWait(obj)
		_, err = admin.GetPostureCheck(ctx, made.ID)
		Expect(err).NotTo(HaveOccurred(), "a check the object never owned is not deleted")
		Expect(admin.DeletePostureCheck(ctx, made.ID)).To(Succeed())
	})

	It("waits for a missing org and then proceeds", func() {
		working, _ := orgs.Resolve(ctx, "", nil)
		orgs.Set(nil, errors.New(`ClusterOktaOrg "default" not found`))
		DeferCleanup(func() { orgs.Set(working, nil) })

		obj := newCheck(guideCheck)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReasonMessage(suite, obj)).Should(HavePrefix("OrgNotReady: "))
		Expect(simChecksWithVariable(obj.Spec.VariableName)).To(BeEmpty())

		orgs.Set(working, nil)
		Expect(controllertest.Ready(suite, obj).Status.ID).NotTo(BeEmpty())
		suite.DeleteAndWait(obj)
	})
})

// madeByHand creates in the org, as a person would, the check obj's spec
// describes, changed by edit.
func madeByHand(obj *assurancev1alpha1.DevicePostureCheck, edit func(*okta.PostureCheck)) *okta.PostureCheckResponse {
	check := okta.PostureCheck{Name: obj.Spec.Name, Description: obj.Spec.Description, VariableName: obj.Spec.VariableName,
		Platform: okta.Platform(obj.Spec.Platform), Type: "CUSTOM", MappingType: string(obj.Spec.MappingType), Query: obj.Spec.Query}
	if r := obj.Spec.RemediationSettings; r != nil {
		check.RemediationSettings = &okta.RemediationSettings{}
		if r.Message != nil {
			check.RemediationSettings.Message = &okta.RemediationMessage{CustomText: r.Message.CustomText}
		}
		if r.Link != nil {
			check.RemediationSettings.Link = &okta.RemediationLink{CustomURL: r.Link.CustomURL}
		}
	}
	if edit != nil {
		edit(&check)
	}
	made, err := admin.CreatePostureCheck(ctx, check)
	Expect(err).NotTo(HaveOccurred())
	return made
}

var _ = Describe("adopting an existing posture check", func() {
	It("adopts a check by id without a write when it matches the spec, and leaves it in Okta on deletion", func() {
		obj := newCheck(guideCheck)
		made := madeByHand(obj, nil)
		obj.Spec.Adopt = &assurancev1alpha1.PostureCheckAdoption{ID: made.ID}

		before := writes.Writes()
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		adopted := controllertest.Ready(suite, obj)
		Expect(adopted.Status.ID).To(Equal(made.ID))
		Expect(adopted.Status.Adopted).To(BeTrue())
		Expect(adopted.Status.Type).To(Equal("CUSTOM"))
		Expect(adopted.Status.CreatedDate).NotTo(BeNil())
		Consistently(writes.Writes, 2*resync, resync/4).Should(Equal(before), "no POST, and no PUT for a check equal to the spec")
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElement("Adopted Okta posture check " + made.ID))
		Expect(simChecksWithVariable(obj.Spec.VariableName)).To(HaveLen(1))

		suite.DeleteAndWait(obj)
		_, err := admin.GetPostureCheck(ctx, made.ID)
		Expect(err).NotTo(HaveOccurred(), "an adopted check is orphaned by default")
		Expect(writes.Writes()).To(Equal(before))
		Expect(admin.DeletePostureCheck(ctx, made.ID)).To(Succeed())
	})

	It("adopts a check by id and writes the spec's fields with one PUT when they differ", func() {
		obj := newCheck(guideCheck)
		obj.Spec.DeletionPolicy = assurancev1alpha1.DeletionPolicyDelete
		made := madeByHand(obj, func(c *okta.PostureCheck) {
			c.Name, c.Query, c.RemediationSettings = "made by hand", "SELECT 1;", nil
		})
		obj.Spec.Adopt = &assurancev1alpha1.PostureCheckAdoption{ID: made.ID}

		before := writes.Writes()
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Expect(controllertest.Ready(suite, obj).Status.ID).To(Equal(made.ID))
		Eventually(func() any { return simBody(made.ID)["query"] }).Should(Equal(obj.Spec.Query))
		Expect(simBody(made.ID)).To(And(HaveKeyWithValue("name", obj.Spec.Name), HaveKey("remediationSettings")))
		Consistently(writes.Writes, 2*resync, resync/4).Should(Equal(before+1), "exactly one PUT, no POST")
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElements(
			"Adopted Okta posture check "+made.ID,
			MatchRegexp(`^Updated name, query, remediationSettings in Okta posture check `+made.ID)))

		suite.DeleteAndWait(obj)
		_, err := admin.GetPostureCheck(ctx, made.ID)
		Expect(okta.IsNotFound(err)).To(BeTrue(), "deletionPolicy: Delete overrides the adoption default")
	})

	It("reports a variableName conflict until asked to adopt by variableName, then adopts the check", func() {
		obj := newCheck(guideCheck)
		made := madeByHand(obj, func(c *okta.PostureCheck) { c.Description = "made by hand" })

		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReasonMessage(suite, obj)).Should(And(HavePrefix("VariableNameConflict: "), ContainSubstring("set spec.adopt")))
		Expect(simBody(made.ID)).To(HaveKeyWithValue("description", "made by hand"), "untouched")

		adopting := controllertest.Get(suite, obj)(Default)
		adopting.Spec.Adopt = &assurancev1alpha1.PostureCheckAdoption{ByVariableName: true}
		Expect(k8s.Update(ctx, adopting)).To(Succeed())
		adopted := controllertest.Ready(suite, obj)
		Expect(adopted.Status.ID).To(Equal(made.ID))
		Expect(adopted.Status.Adopted).To(BeTrue())
		Expect(simBody(made.ID)).To(HaveKeyWithValue("description", obj.Spec.Description))
		Expect(simChecksWithVariable(obj.Spec.VariableName)).To(HaveLen(1))

		suite.DeleteAndWait(obj)
		_, err := admin.GetPostureCheck(ctx, made.ID)
		Expect(err).NotTo(HaveOccurred(), "an adopted check is orphaned by default")
		Expect(admin.DeletePostureCheck(ctx, made.ID)).To(Succeed())
	})

	It("creates the check when adopting by variableName finds none, and deletes it with the object", func() {
		obj := newCheck(guideCheck)
		obj.Spec.Adopt = &assurancev1alpha1.PostureCheckAdoption{ByVariableName: true}
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		created := controllertest.Ready(suite, obj)
		Expect(created.Status.ID).NotTo(BeEmpty())
		Expect(created.Status.Adopted).To(BeFalse(), "the operator made it: it is the object's own")
		suite.DeleteAndWait(obj)
		_, err := admin.GetPostureCheck(ctx, created.Status.ID)
		Expect(okta.IsNotFound(err)).To(BeTrue())
	})

	It("refuses to adopt a check that another object manages, writes nothing, and deleting it leaves the check", func() {
		owner := newCheck(guideCheck)
		Expect(k8s.Create(ctx, owner)).To(Succeed())
		id := controllertest.Ready(suite, owner).Status.ID

		before := writes.Writes()
		second := newCheck(guideCheck)
		second.Spec.VariableName = owner.Spec.VariableName
		second.Spec.Query = editedQuery
		second.Spec.DeletionPolicy = assurancev1alpha1.DeletionPolicyDelete
		second.Spec.Adopt = &assurancev1alpha1.PostureCheckAdoption{ID: id}
		Expect(k8s.Create(ctx, second)).To(Succeed())
		Eventually(controllertest.ReadyReasonMessage(suite, second)).Should(And(
			HavePrefix("AlreadyManaged: "), ContainSubstring("already managed by DevicePostureCheck "+owner.Name)))
		refused := controllertest.Get(suite, second)(Default)
		Expect(refused.Status.ID).To(BeEmpty())
		Expect(refused.Status.Adopted).To(BeFalse())
		Consistently(writes.Writes, 2*resync, resync/4).Should(Equal(before), "no write to the owner's check")
		Expect(simBody(id)).To(HaveKeyWithValue("query", owner.Spec.Query))

		suite.DeleteAndWait(second)
		_, err := admin.GetPostureCheck(ctx, id)
		Expect(err).NotTo(HaveOccurred(), "deleting the refused object leaves the owner's check")
		Expect(controllertest.Ready(suite, owner).Status.ID).To(Equal(id))
		suite.DeleteAndWait(owner)
	})

	// A built-in check is refused the same way (TestUnadoptable): the
	// simulator's built-in checks answer nulls that Okta's OpenAPI document
	// does not allow, which the suite's traffic check would report.
	It("stalls, naming spec.adopt.id, on an unknown id or a check with another variableName", func() {
		other := newCheck(guideCheck)
		made := madeByHand(other, nil)

		before := writes.Writes()
		unknown := newCheck(guideCheck)
		unknown.Spec.Adopt = &assurancev1alpha1.PostureCheckAdoption{ID: "dchDoesNotExist00001"}
		renamed := newCheck(guideCheck)
		renamed.Spec.Adopt = &assurancev1alpha1.PostureCheckAdoption{ID: made.ID}
		for obj, message := range map[*assurancev1alpha1.DevicePostureCheck]string{
			unknown: "spec.adopt.id: the org has no posture check dchDoesNotExist00001",
			renamed: fmt.Sprintf("spec.adopt.id: posture check %s has variableName %q, not %q (spec.variableName)", made.ID, other.Spec.VariableName, renamed.Spec.VariableName),
		} {
			Expect(k8s.Create(ctx, obj)).To(Succeed())
			Eventually(func(g Gomega) {
				stalled := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionStalled)(g)
				g.Expect(stalled).NotTo(BeNil())
				g.Expect(stalled.Reason).To(Equal("AdoptionFailed"))
				g.Expect(controllertest.ReadyReasonMessage(suite, obj)(g)).To(HavePrefix("AdoptionFailed: " + message))
			}).Should(Succeed(), obj.Name)
			Expect(controllertest.Get(suite, obj)(Default).Status.ID).To(BeEmpty())
		}
		Expect(writes.Writes()).To(Equal(before), "nothing written")
		Expect(simBody(made.ID)).To(HaveKeyWithValue("variableName", other.Spec.VariableName))
		for _, obj := range []*assurancev1alpha1.DevicePostureCheck{unknown, renamed} {
			suite.DeleteAndWait(obj)
		}
		Expect(admin.DeletePostureCheck(ctx, made.ID)).To(Succeed())
	})
})
