package signinrule_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus/testutil"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/controllertest"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

const (
	// guidePolicy is the guide's iOS device assurance policy.
	guidePolicy = `
platform: IOS
osVersion:
  dynamicVersionRequirement: {type: EXACT_ANY_SUPPORTED, latestSecurityPatch: true}
jailbreak: false`
	// guideRule is config/samples/assurance_v1alpha1_signinrulebinding.yaml,
	// the guide's PUT rule body; %s is the DeviceAssurancePolicy.
	guideRule = `
policy: {name: Okta Dashboard}
rule:
  name: %s
  priority: 1
  conditions:
    device:
      managed: true
      registered: true
      assurance:
        include: [{name: %s}]
  actions:
    appSignOn:
      access: ALLOW
      verificationMethod:
        factorMode: 2FA
        type: ASSURANCE
        reauthenticateIn: PT2H
        constraints: [{knowledge: {types: [password]}}]`
	// simpleRule is a rule without dependencies; %s are the policy ID, the
	// rule name and the priority.
	simpleRule = `
policy: {id: %s}
rule:
  name: %s
  priority: %d
  actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 2FA}}}`
)

var objectCounter atomic.Int32

func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, objectCounter.Add(1))
}

func newPolicy(name, specYAML string) *assurancev1alpha1.DeviceAssurancePolicy {
	obj := &assurancev1alpha1.DeviceAssurancePolicy{}
	obj.Namespace, obj.Name = "default", name
	Expect(yaml.Unmarshal([]byte(specYAML), &obj.Spec)).To(Succeed())
	obj.Spec.Name = name
	return obj
}

func newBinding(specYAML string) *assurancev1alpha1.SignInRuleBinding {
	obj := &assurancev1alpha1.SignInRuleBinding{}
	obj.Namespace, obj.Name = "default", uniqueName("binding")
	Expect(yaml.Unmarshal([]byte(specYAML), &obj.Spec)).To(Succeed())
	return obj
}

func policyReady(obj *assurancev1alpha1.DeviceAssurancePolicy) string {
	var id string
	Eventually(func(g Gomega) {
		out := controllertest.Get(suite, obj)(g)
		g.Expect(meta.IsStatusConditionTrue(out.Status.Conditions, assurancev1alpha1.ConditionReady)).To(BeTrue())
		id = out.Status.ID
	}).Should(Succeed())
	return id
}

func asJSON(s string) any {
	var out any
	Expect(json.Unmarshal([]byte(s), &out)).To(Succeed())
	return out
}

var _ = Describe("SignInRuleBinding controller", func() {
	It("reproduces the guide's rule exactly, and then stays write-free", func() {
		dap := newPolicy(uniqueName("device-assurance-ios"), guidePolicy)
		Expect(k8s.Create(ctx, dap)).To(Succeed())
		daeID := policyReady(dap)

		obj := newBinding(fmt.Sprintf(guideRule, "Device Assurance Rule", dap.Name))
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		done := controllertest.Ready(suite, obj)
		dashboard := simPolicyNamed("Okta Dashboard")
		Expect(done.Status.PolicyID).To(Equal(dashboard))
		Expect(done.Status.RuleID).To(MatchRegexp(`^rul[A-Za-z0-9]{17}$`))
		Expect(done.Status.Priority).To(Equal(ptr.To[int32](1)))
		Expect(done.Status.DeviceAssurances).To(Equal([]assurancev1alpha1.ResolvedDeviceAssurance{{Name: dap.Name, ID: daeID}}))
		Expect(meta.IsStatusConditionTrue(done.Status.Conditions, assurancev1alpha1.ConditionDependenciesReady)).To(BeTrue())
		Expect(done.Status.PendingCreate).To(BeNil())
		Expect(done.Status.LastSyncTime).NotTo(BeNil())
		Expect(done.Finalizers).To(ContainElement(signinrule.Finalizer))
		Expect(controllertest.KStatus(done).Status).To(Equal(status.CurrentStatus))

		By("holding the guide's PUT body, with the IDs filled in, plus Okta's defaults")
		Expect(simRule(dashboard, done.Status.RuleID)).To(Equal(asJSON(fmt.Sprintf(`{
			"id": %q, "status": "ACTIVE", "name": "Device Assurance Rule", "priority": 1, "system": false, "type": "ACCESS_POLICY",
			"conditions": {
				"people": {"users": {"exclude": []}},
				"device": {"registered": true, "managed": true, "assurance": {"include": [%q]}},
				"riskScore": {"level": "ANY"},
				"userType": {"include": [], "exclude": []}},
			"actions": {"appSignOn": {
				"access": "ALLOW",
				"verificationMethod": {"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT2H",
					"constraints": [{"knowledge": {"types": ["password"]}}]},
				"keepMeSignedIn": {"postAuth": "NOT_ALLOWED"}}}}`, done.Status.RuleID, daeID))))

		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElement(
			MatchRegexp(`^Created Okta rule rul\w+ in policy rst\w+ \[requestId \S+\]$`)))

		By("passing several resyncs with nothing to do")
		idleWrites, idleReads := writes.Writes(), writes.Reads()
		Consistently(writes.Writes).Should(Equal(idleWrites))
		Expect(writes.Reads()).To(BeNumerically(">", idleReads), "the resyncs did read the org")

		By("deleting the binding, then the policy: the org is as it was")
		suite.DeleteAndWait(obj)
		Expect(simRuleNamed(dashboard, "Device Assurance Rule")).To(BeNil())
		suite.DeleteAndWait(dap)
	})

	It("refuses to send the Okta ID of a policy that lives in another org", func() {
		other := newPolicy(uniqueName("other-org"), `{platform: IOS, jailbreak: false, orgRef: {kind: OktaOrg, name: staging}}`)
		Expect(k8s.Create(ctx, other)).To(Succeed())
		policyReady(other)
		b := newBinding(`{policy: {name: Okta Dashboard}, rule: {name: ` + uniqueName("cross-org") + `,
			conditions: {device: {registered: true, assurance: {include: [{name: ` + other.Name + `}]}}},
			actions: {appSignOn: {access: ALLOW}}}}`)
		Expect(k8s.Create(ctx, b)).To(Succeed())
		Eventually(func(g Gomega) string {
			c := controllertest.Condition(suite, b, assurancev1alpha1.ConditionStalled)(g)
			g.Expect(c).NotTo(BeNil())
			return c.Reason + ": " + c.Message
		}).Should(And(HavePrefix("ForeignDependency"), ContainSubstring(other.Name), ContainSubstring("OktaOrg/staging")))
		Expect(controllertest.Get(suite, b)(Default).Status.RuleID).To(BeEmpty(), "nothing was written to Okta")
		suite.DeleteAndWait(b)
		suite.DeleteAndWait(other)
	})

	It("waits for its device assurance policies, then converges once they are Ready", func() {
		name := uniqueName("late-policy")
		obj := newBinding(fmt.Sprintf(guideRule, "waits-for-policies", name))
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(func(g Gomega) {
			c := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionDependenciesReady)(g)
			g.Expect(c).NotTo(BeNil())
			g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
			g.Expect(c.Message).To(ContainSubstring(name))
			g.Expect(controllertest.ReadyReason(suite, obj)(g)).To(Equal("DependenciesNotReady"))
		}).Should(Succeed())
		dashboard := simPolicyNamed("Okta Dashboard")
		Expect(simRuleNamed(dashboard, "waits-for-policies")).To(BeNil(), "nothing is written before the policies exist")

		dap := newPolicy(name, guidePolicy)
		Expect(k8s.Create(ctx, dap)).To(Succeed())
		daeID := policyReady(dap)
		done := controllertest.Ready(suite, obj)
		Expect(done.Status.DeviceAssurances).To(ConsistOf(assurancev1alpha1.ResolvedDeviceAssurance{Name: name, ID: daeID}))
		rule := simRuleNamed(dashboard, "waits-for-policies")
		Expect(rule.Conditions.Device.Assurance.Include).To(Equal([]string{daeID}))

		By("moving the rule to the new ID of a policy recreated out of band")
		// The binding's org is switched off while a person takes the policy
		// out of the rule and deletes it, so the binding cannot undo the
		// edit before the delete.
		working, _ := ruleOrgs.Resolve(ctx, "", nil)
		ruleOrgs.Set(nil, errors.New("switched off by the test"))
		DeferCleanup(func() { ruleOrgs.Set(working, nil) })
		Eventually(controllertest.ReadyReason(suite, obj)).Should(Equal("OrgNotReady"))
		edited := rule.PolicyRule
		edited.Conditions.Device = nil
		_, err := admin.ReplacePolicyRule(ctx, dashboard, rule.ID, edited)
		Expect(err).NotTo(HaveOccurred())
		Expect(admin.DeleteDeviceAssurance(ctx, daeID)).To(Succeed())
		var newID string
		Eventually(func(g Gomega) {
			newID = policyReady(dap)
			g.Expect(newID).NotTo(Equal(daeID))
		}).Should(Succeed())
		ruleOrgs.Set(working, nil)
		Eventually(func() []string {
			r := simRuleNamed(dashboard, "waits-for-policies")
			if r.Conditions == nil || r.Conditions.Device == nil || r.Conditions.Device.Assurance == nil {
				return nil
			}
			return r.Conditions.Device.Assurance.Include
		}).Should(Equal([]string{newID}))
		Expect(controllertest.Ready(suite, obj).Status.DeviceAssurances).To(ConsistOf(assurancev1alpha1.ResolvedDeviceAssurance{Name: name, ID: newID}))

		suite.DeleteAndWait(obj)
		suite.DeleteAndWait(dap)
	})

	It("deletes a binding and its policy applied together: the rule first, then the policy, with no error left", func() {
		dap := newPolicy(uniqueName("deleted-together"), guidePolicy)
		Expect(k8s.Create(ctx, dap)).To(Succeed())
		obj := newBinding(fmt.Sprintf(guideRule, "deleted-together", dap.Name))
		obj.Spec.Rule.Priority = ptr.To[int32](2)
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		ruleID, policyID := controllertest.Ready(suite, obj).Status.RuleID, controllertest.Get(suite, obj)(Default).Status.PolicyID
		daeID := policyReady(dap)

		Expect(k8s.Delete(ctx, dap)).To(Succeed())
		Expect(k8s.Delete(ctx, obj)).To(Succeed())
		Eventually(func() bool { return suite.Released(dap)() && suite.Released(obj)() }).Should(BeTrue())
		_, err := admin.GetPolicyRule(ctx, policyID, ruleID)
		Expect(okta.IsNotFound(err)).To(BeTrue(), "the rule is gone")
		_, err = admin.GetDeviceAssurance(ctx, daeID)
		Expect(okta.IsNotFound(err)).To(BeTrue(), "the policy is gone")
	})

	It("converges two bindings with priorities 1 and 2 in one policy, and then stays write-free", func() {
		policyID := newSimPolicy(uniqueName("two-bindings"))
		second := newBinding(fmt.Sprintf(simpleRule, policyID, "second", 2))
		first := newBinding(fmt.Sprintf(simpleRule, policyID, "first", 1))
		Expect(k8s.Create(ctx, second)).To(Succeed())
		Expect(k8s.Create(ctx, first)).To(Succeed())
		controllertest.Ready(suite, first)
		controllertest.Ready(suite, second)
		Eventually(func() map[string]int {
			out := map[string]int{}
			for _, r := range simRules(policyID) {
				out[r.Name] = *r.Priority
			}
			return out
		}).Should(Equal(map[string]int{"first": 1, "second": 2, "Catch-all Rule": 99}))

		idle := writes.Writes()
		Consistently(writes.Writes).Should(Equal(idle), "no binding moves the other")
		Expect(controllertest.Get(suite, first)(Default).Status.Priority).To(Equal(ptr.To[int32](1)))
		Expect(controllertest.Get(suite, second)(Default).Status.Priority).To(Equal(ptr.To[int32](2)))
		suite.DeleteAndWait(first)
		suite.DeleteAndWait(second)
	})

	It("refuses a priority that an earlier binding of the policy holds", func() {
		policyID := newSimPolicy(uniqueName("same-priority"))
		// Bindings created within one second are ordered by name.
		earlier := newBinding(fmt.Sprintf(simpleRule, policyID, "earlier", 3))
		earlier.Name = uniqueName("priority-a")
		Expect(k8s.Create(ctx, earlier)).To(Succeed())
		controllertest.Ready(suite, earlier)
		later := newBinding(fmt.Sprintf(simpleRule, policyID, "later", 3))
		later.Name = uniqueName("priority-b")
		Expect(k8s.Create(ctx, later)).To(Succeed())
		Eventually(func(g Gomega) {
			c := controllertest.Condition(suite, later, assurancev1alpha1.ConditionReady)(g)
			g.Expect(c).NotTo(BeNil())
			g.Expect(c.Reason).To(Equal("PriorityConflict"))
			g.Expect(c.Message).To(ContainSubstring(earlier.Name))
		}).Should(Succeed())
		Expect(simRuleNamed(policyID, "later")).To(BeNil(), "the later binding does not write")
		Expect(*simRuleNamed(policyID, "earlier").Priority).To(Equal(3))
		suite.DeleteAndWait(later)
		suite.DeleteAndWait(earlier)
	})

	It("reverts an out-of-band edit, recreates an out-of-band delete, and applies status INACTIVE", func() {
		policyID := newSimPolicy(uniqueName("edits"))
		obj := newBinding(fmt.Sprintf(simpleRule, policyID, "reverted", 0))
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		ruleID := controllertest.Ready(suite, obj).Status.RuleID

		rule, err := admin.GetPolicyRule(ctx, policyID, ruleID)
		Expect(err).NotTo(HaveOccurred())
		edited := rule.PolicyRule
		edited.Actions.AppSignOn.VerificationMethod.FactorMode = "1FA"
		_, err = admin.ReplacePolicyRule(ctx, policyID, ruleID, edited)
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() string {
			return simRuleNamed(policyID, "reverted").Actions.AppSignOn.VerificationMethod.FactorMode
		}).Should(Equal("2FA"))
		Eventually(func() []string { return suite.EventNotes(obj) }).Should(ContainElement(
			MatchRegexp(`^Updated actions.appSignOn in Okta rule ` + ruleID + ` \[requestId \S+\]$`)))

		Expect(admin.DeletePolicyRule(ctx, policyID, ruleID)).To(Succeed())
		Eventually(func(g Gomega) string { return controllertest.Get(suite, obj)(g).Status.RuleID }).ShouldNot(Equal(ruleID))
		Expect(simRuleNamed(policyID, "reverted")).NotTo(BeNil())

		inactive := controllertest.Ready(suite, obj)
		inactive.Spec.Rule.Status = assurancev1alpha1.RuleStatusInactive
		Expect(k8s.Update(ctx, inactive)).To(Succeed())
		Eventually(func() string { return simRuleNamed(policyID, "reverted").Status }).Should(Equal("INACTIVE"))
		controllertest.Ready(suite, obj)
		suite.DeleteAndWait(obj)
		Expect(simRuleNamed(policyID, "reverted")).To(BeNil())
	})

	It("keeps Okta's priority when it sets none, and moves its rule when the spec names another policy", func() {
		from, to := newSimPolicy(uniqueName("move-from")), newSimPolicy(uniqueName("move-to"))
		obj := newBinding(fmt.Sprintf(simpleRule, from, "moving", 0))
		obj.Spec.Rule.Priority = nil
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		ruleID := controllertest.Ready(suite, obj).Status.RuleID

		By("reverting an edit without moving a rule that a person placed")
		rule, err := admin.GetPolicyRule(ctx, from, ruleID)
		Expect(err).NotTo(HaveOccurred())
		edited := rule.PolicyRule
		edited.Priority = ptr.To(7)
		edited.Actions.AppSignOn.Access = "DENY"
		_, err = admin.ReplacePolicyRule(ctx, from, ruleID, edited)
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() string { return simRuleNamed(from, "moving").Actions.AppSignOn.Access }).Should(Equal("ALLOW"))
		Expect(*simRuleNamed(from, "moving").Priority).To(Equal(7))
		Eventually(func(g Gomega) *int32 { return controllertest.Get(suite, obj)(g).Status.Priority }).Should(Equal(ptr.To[int32](7)))

		moved := controllertest.Get(suite, obj)(Default)
		moved.Spec.Policy.ID = to
		Expect(k8s.Update(ctx, moved)).To(Succeed())
		Eventually(func(g Gomega) string { return controllertest.Get(suite, obj)(g).Status.PolicyID }).Should(Equal(to))
		Expect(controllertest.Ready(suite, obj).Status.RuleID).NotTo(Equal(ruleID))
		Expect(simRuleNamed(from, "moving")).To(BeNil(), "the old rule is deleted")
		Expect(simRuleNamed(to, "moving")).NotTo(BeNil())
		suite.DeleteAndWait(obj)
		Expect(simRuleNamed(to, "moving")).To(BeNil())
	})

	It("only reports an out-of-band edit and deactivation under driftPolicy Report, and reverts them once switched to Correct", func() {
		policyID := newSimPolicy(uniqueName("observe"))
		obj := newBinding(fmt.Sprintf(simpleRule, policyID, "observed", 1))
		obj.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyReport
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		ruleID := controllertest.Ready(suite, obj).Status.RuleID
		Expect(ruleID).NotTo(BeEmpty(), "Report still creates the rule")

		before := writes.Writes()
		rule, err := admin.GetPolicyRule(ctx, policyID, ruleID)
		Expect(err).NotTo(HaveOccurred())
		edited := rule.PolicyRule
		edited.Actions.AppSignOn.VerificationMethod.FactorMode = "1FA"
		_, err = admin.ReplacePolicyRule(ctx, policyID, ruleID, edited)
		Expect(err).NotTo(HaveOccurred())
		Expect(admin.DeactivatePolicyRule(ctx, policyID, ruleID)).To(Succeed())

		const fields = "actions.appSignOn, status"
		Eventually(func(g Gomega) {
			drifted := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionDrifted)(g)
			g.Expect(drifted).NotTo(BeNil())
			g.Expect(drifted.Status).To(Equal(metav1.ConditionTrue))
			g.Expect(drifted.Reason).To(Equal("DriftDetected"))
			g.Expect(drifted.Message).To(Equal("Okta differs from the spec in: " + fields))
		}).Should(Succeed())
		reported := testutil.ToFloat64(metrics.DriftReported.WithLabelValues("SignInRuleBinding"))
		Consistently(func(g Gomega) {
			observed := simRuleNamed(policyID, "observed")
			g.Expect(observed.Actions.AppSignOn.VerificationMethod.FactorMode).To(Equal("1FA"))
			g.Expect(observed.Status).To(Equal("INACTIVE"))
		}).Should(Succeed(), "the edit and the deactivation are left alone over several resyncs")
		Expect(writes.Writes()-before).To(Equal(0), "no write under Report")
		Expect(testutil.ToFloat64(metrics.DriftReported.WithLabelValues("SignInRuleBinding"))).To(Equal(reported),
			"not reported again at every resync")
		observed := controllertest.Ready(suite, obj)
		Expect(meta.FindStatusCondition(observed.Status.Conditions, assurancev1alpha1.ConditionReady).Reason).To(Equal("DriftReported"))
		Expect(controllertest.KStatus(observed).Status).To(Equal(status.CurrentStatus))
		note := "Okta rule " + ruleID + " of policy " + policyID + " differs from the spec in: " + fields + "; not corrected (spec.driftPolicy is Report)"
		Eventually(func() []eventsv1.Event { return suite.EventsWithReason(obj, "DriftDetected") }).Should(
			ContainElement(And(HaveField("Note", note), HaveField("Type", "Warning"), HaveField("Series", BeNil()))), "sent once")
		Expect(suite.EventsWithReason(obj, "DriftDetected")).To(HaveEach(HaveField("Series", BeNil())))

		By("switching to Correct")
		correcting := controllertest.Get(suite, obj)(Default)
		correcting.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyCorrect
		Expect(k8s.Update(ctx, correcting)).To(Succeed())
		Eventually(func(g Gomega) {
			corrected := simRuleNamed(policyID, "observed")
			g.Expect(corrected.Actions.AppSignOn.VerificationMethod.FactorMode).To(Equal("2FA"))
			g.Expect(corrected.Status).To(Equal("ACTIVE"))
		}).Should(Succeed())
		corrected := controllertest.Ready(suite, obj)
		Expect(corrected.Status.Conditions).NotTo(ContainElement(HaveField("Type", assurancev1alpha1.ConditionDrifted)))
		Consistently(writes.Writes).Should(Equal(before+2), "one PUT and one activation")
		suite.DeleteAndWait(obj)
	})

	It("keeps observing its rule when the spec names another policy under driftPolicy Report, and stalls once the rule is deleted out of band", func() {
		from, to := newSimPolicy(uniqueName("observe-from")), newSimPolicy(uniqueName("observe-to"))
		obj := newBinding(fmt.Sprintf(simpleRule, from, "observed-in-place", 1))
		obj.Spec.DriftPolicy = assurancev1alpha1.DriftPolicyReport
		obj.Spec.DeletionPolicy = assurancev1alpha1.DeletionPolicyOrphan
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		ruleID := controllertest.Ready(suite, obj).Status.RuleID

		before := writes.Writes()
		moved := controllertest.Get(suite, obj)(Default)
		moved.Spec.Policy.ID = to
		Expect(k8s.Update(ctx, moved)).To(Succeed())
		Eventually(func(g Gomega) string {
			drifted := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionDrifted)(g)
			g.Expect(drifted).NotTo(BeNil())
			return drifted.Message
		}).Should(Equal("Okta differs from the spec in: policy"))
		Consistently(func() *okta.PolicyRuleResponse { return simRuleNamed(to, "observed-in-place") }).Should(BeNil(), "nothing is moved")
		Expect(simRuleNamed(from, "observed-in-place")).NotTo(BeNil())
		Expect(controllertest.Get(suite, obj)(Default).Status.PolicyID).To(Equal(from))
		Expect(writes.Writes()).To(Equal(before))

		Expect(admin.DeletePolicyRule(ctx, from, ruleID)).To(Succeed())
		Eventually(func(g Gomega) {
			stalled := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionStalled)(g)
			g.Expect(stalled).NotTo(BeNil())
			g.Expect(stalled.Reason).To(Equal("DeletedInOkta"))
			g.Expect(stalled.Message).To(ContainSubstring("set spec.driftPolicy to Correct to recreate it"))
		}).Should(Succeed())
		Expect(controllertest.ReadyReason(suite, obj)(Default)).To(Equal("DeletedInOkta"))
		Consistently(func() []okta.PolicyRuleResponse { return append(simRules(from), simRules(to)...) }).ShouldNot(
			ContainElement(HaveField("Name", "observed-in-place")), "not created again")
		Expect(writes.Writes()).To(Equal(before))
		suite.DeleteAndWait(obj)
	})

	It("compares only the Catch-all Rule's actions under driftPolicy Report, without writing", func() {
		policyID := newSimPolicy(uniqueName("observe-catch-all"))
		before := writes.Writes()
		obj := newBinding(fmt.Sprintf(`
policy: {id: %s}
adopt: {byName: true}
driftPolicy: Report
rule:
  name: Catch-all Rule
  actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 1FA, reauthenticateIn: PT4H}}}`, policyID))
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, obj)).Should(Equal("DriftReported"))
		Expect(controllertest.Condition(suite, obj, assurancev1alpha1.ConditionDrifted)(Default).Message).To(Equal("Okta differs from the spec in: actions.appSignOn"))
		Consistently(writes.Writes).Should(Equal(before), "the Catch-all Rule is adopted and observed, not written")
		suite.DeleteAndWait(obj)
		Expect(simRuleNamed(policyID, "Catch-all Rule")).NotTo(BeNil())
	})

	It("creates an INACTIVE rule inactive, and keeps an Orphan rule", func() {
		policyID := newSimPolicy(uniqueName("orphan"))
		obj := newBinding(fmt.Sprintf(simpleRule, policyID, "orphaned", 5))
		obj.Spec.Rule.Status = assurancev1alpha1.RuleStatusInactive
		obj.Spec.DeletionPolicy = assurancev1alpha1.DeletionPolicyOrphan
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		controllertest.Ready(suite, obj)
		Expect(simRuleNamed(policyID, "orphaned").Status).To(Equal("INACTIVE"))
		suite.DeleteAndWait(obj)
		Expect(simRuleNamed(policyID, "orphaned")).NotTo(BeNil(), "an orphaned rule stays")
	})

	It("manages the Catch-all Rule's actions only, and never deletes it", func() {
		policyID := newSimPolicy(uniqueName("catch-all"))
		obj := newBinding(fmt.Sprintf(`
policy: {id: %s}
adopt: {byName: true}
deletionPolicy: Delete
rule:
  name: Catch-all Rule
  actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 1FA, reauthenticateIn: PT4H}}}`, policyID))
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		done := controllertest.Ready(suite, obj)
		Expect(done.Status.Adopted).To(BeTrue())
		catchAll := simRule(policyID, done.Status.RuleID)
		Expect(catchAll).To(HaveKeyWithValue("system", true))
		Expect(catchAll).To(HaveKeyWithValue("conditions", BeNil()))
		Expect(catchAll).To(HaveKeyWithValue("priority", BeEquivalentTo(99)))
		Expect(catchAll["actions"]).To(Equal(asJSON(`{"appSignOn": {"access": "ALLOW",
			"verificationMethod": {"factorMode": "1FA", "type": "ASSURANCE", "reauthenticateIn": "PT4H"},
			"keepMeSignedIn": {"postAuth": "NOT_ALLOWED"}}}`)))
		idle := writes.Writes()
		Consistently(writes.Writes).Should(Equal(idle))

		withConditions := controllertest.Get(suite, obj)(Default)
		withConditions.Spec.Rule.Conditions = &assurancev1alpha1.RuleConditions{RiskScore: &assurancev1alpha1.RiskScoreCondition{Level: "HIGH"}}
		Expect(k8s.Update(ctx, withConditions)).To(Succeed())
		Eventually(func(g Gomega) {
			c := controllertest.Condition(suite, obj, assurancev1alpha1.ConditionStalled)(g)
			g.Expect(c).NotTo(BeNil())
			g.Expect(c.Reason).To(Equal("CatchAllConditions"))
		}).Should(Succeed())
		Expect(simRule(policyID, done.Status.RuleID)).To(HaveKeyWithValue("conditions", BeNil()))

		suite.DeleteAndWait(obj)
		Expect(simRuleNamed(policyID, "Catch-all Rule")).NotTo(BeNil(), "the Catch-all Rule is never deleted")
	})

	It("reports a policy name that matches no policy, or several", func() {
		missing := newBinding(fmt.Sprintf(simpleRule, "x", "by-name", 4))
		missing.Spec.Policy = assurancev1alpha1.SignInPolicyReference{Name: uniqueName("no-such-policy")}
		Expect(k8s.Create(ctx, missing)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, missing)).Should(Equal("PolicyNotFound"))

		name := uniqueName("twice")
		newSimPolicy(name)
		newSimPolicy(name)
		newSimPolicy(name + "-prefix-match")
		ambiguous := newBinding(fmt.Sprintf(simpleRule, "x", "by-name", 4))
		ambiguous.Spec.Policy = assurancev1alpha1.SignInPolicyReference{Name: name}
		Expect(k8s.Create(ctx, ambiguous)).To(Succeed())
		Eventually(func(g Gomega) {
			c := controllertest.Condition(suite, ambiguous, assurancev1alpha1.ConditionStalled)(g)
			g.Expect(c).NotTo(BeNil())
			g.Expect(c.Reason).To(Equal("AmbiguousPolicy"))
		}).Should(Succeed())

		unique := uniqueName("unique")
		policyID := newSimPolicy(unique)
		found := controllertest.Get(suite, missing)(Default)
		found.Spec.Policy.Name = unique
		Expect(k8s.Update(ctx, found)).To(Succeed())
		Expect(controllertest.Ready(suite, missing).Status.PolicyID).To(Equal(policyID))
		suite.DeleteAndWait(missing)
		suite.DeleteAndWait(ambiguous)
	})

	It("adopts a rule by ID, orphans it by default, and refuses an ID that is not a rule of the policy", func() {
		policyID := newSimPolicy(uniqueName("adopt-id"))
		var existing okta.PolicyRule
		Expect(json.Unmarshal([]byte(`{"name":"made-by-hand","priority":4,"actions":{"appSignOn":{"access":"DENY"}}}`), &existing)).To(Succeed())
		made, err := admin.CreatePolicyRule(ctx, policyID, existing, true)
		Expect(err).NotTo(HaveOccurred())

		conflicting := newBinding(fmt.Sprintf(simpleRule, policyID, "made-by-hand", 4))
		Expect(k8s.Create(ctx, conflicting)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, conflicting)).Should(Equal("NameConflict"))
		Expect(simRuleNamed(policyID, "made-by-hand").Actions.AppSignOn.Access).To(Equal("DENY"), "untouched")
		suite.DeleteAndWait(conflicting)

		obj := newBinding(fmt.Sprintf(simpleRule, policyID, "made-by-hand", 4))
		obj.Spec.Adopt = &assurancev1alpha1.RuleAdoption{ID: made.ID}
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		adopted := controllertest.Ready(suite, obj)
		Expect(adopted.Status.RuleID).To(Equal(made.ID))
		Expect(adopted.Status.Adopted).To(BeTrue())
		Expect(simRuleNamed(policyID, "made-by-hand").Actions.AppSignOn.Access).To(Equal("ALLOW"))
		suite.DeleteAndWait(obj)
		Expect(simRuleNamed(policyID, "made-by-hand")).NotTo(BeNil(), "an adopted rule is orphaned by default")

		missing := newBinding(fmt.Sprintf(simpleRule, policyID, "adopted", 6))
		missing.Spec.Adopt = &assurancev1alpha1.RuleAdoption{ID: "rulNoSuchRule0000000"}
		Expect(k8s.Create(ctx, missing)).To(Succeed())
		Eventually(controllertest.ReadyReason(suite, missing)).Should(Equal("AdoptionFailed"))
		suite.DeleteAndWait(missing)
	})

	It("does not create a second rule when the status write after the POST fails", func() {
		policyID := newSimPolicy(uniqueName("never-twice"))
		obj := newBinding(fmt.Sprintf(simpleRule, policyID, "never-twice", 8))
		statusFault.Arm(obj.Name)
		fired := statusFault.Fired()
		Expect(k8s.Create(ctx, obj)).To(Succeed())
		controllertest.Ready(suite, obj)
		Expect(statusFault.Fired()).To(Equal(fired+1), "the status write after the POST failed once")
		count := func() int {
			n := 0
			for _, r := range simRules(policyID) {
				if r.Name == "never-twice" {
					n++
				}
			}
			return n
		}
		Consistently(count).Should(Equal(1))
		Expect(controllertest.Get(suite, obj)(Default).Status.RuleID).To(Equal(simRuleNamed(policyID, "never-twice").ID))
		Expect(controllertest.Get(suite, obj)(Default).Status.PendingCreate).To(BeNil())
		suite.DeleteAndWait(obj)
	})

})
