package integration_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Two teams share one org through a ClusterOktaOrg whose tenants grant each
// its own app sign-in policy and rights; a third namespace, which the org's
// namespaceSelector lets in but no grant selects, tries what a hostile
// tenant would.
var _ = Describe("tenancy on a shared org", Ordered, func() {
	const (
		payments = "tenant-payments"
		security = "tenant-security"
		hostile  = "tenant-mallory"
		orgName  = "shared"
	)
	orgRef := &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindClusterOktaOrg, Name: orgName}

	policyIn := func(ns, name, specYAML string) *assurancev1alpha1.DeviceAssurancePolicy {
		p := policyFrom(name, specYAML)
		p.Namespace, p.Spec.OrgRef = ns, orgRef
		return p
	}
	bindingIn := func(ns, name, specYAML string) *assurancev1alpha1.SignInRuleBinding {
		b := &assurancev1alpha1.SignInRuleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
		Expect(yaml.Unmarshal([]byte(specYAML), &b.Spec)).To(Succeed())
		b.Spec.OrgRef = orgRef
		return b
	}
	readyReason := func(obj client.Object, conditions func() []metav1.Condition) func(g Gomega) string {
		return func(g Gomega) string {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(obj), obj)).To(Succeed())
			c := meta.FindStatusCondition(conditions(), assurancev1alpha1.ConditionReady)
			if c == nil {
				return ""
			}
			return c.Reason + ": " + c.Message
		}
	}
	rulesOf := func(policyName string) []string {
		policies, err := admin().ListPolicies(ctx, okta.PolicyListOptions{Type: okta.PolicyTypeAccess, Q: policyName})
		Expect(err).NotTo(HaveOccurred())
		var names []string
		for _, p := range policies {
			if p.Name != policyName {
				continue
			}
			rules, err := admin().ListPolicyRules(ctx, p.ID)
			Expect(err).NotTo(HaveOccurred())
			for _, r := range rules {
				names = append(names, r.Name)
			}
		}
		return names
	}

	BeforeAll(func() {
		for ns, team := range map[string]string{payments: "payments", security: "security", hostile: "mallory"} {
			Expect(k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: map[string]string{"team": team}}})).To(Succeed())
		}
		Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: operatorNamespace, Name: "okta-shared-token"},
			StringData: map[string]string{"token": plantedToken}})).To(Succeed())
		team := func(name string) metav1.LabelSelector {
			return metav1.LabelSelector{MatchLabels: map[string]string{"team": name}}
		}
		org := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: orgName}}
		org.Spec.URL, org.Spec.AllowInsecureHTTP = sim.URL, true
		org.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta-shared-token", Key: "token"}}
		org.Spec.Tenants = []assurancev1alpha1.TenantGrant{
			{Name: "payments", NamespaceSelector: team("payments"),
				SignInPolicies: []assurancev1alpha1.SignInPolicyReference{{Name: "Okta Dashboard"}},
				RulePriorities: &assurancev1alpha1.PriorityBand{Min: 10, Max: 19},
				MaxObjects:     &assurancev1alpha1.ObjectQuota{DeviceAssurancePolicies: ptr.To[int32](1)}},
			{Name: "security", NamespaceSelector: team("security"), AllowAdoption: true, AllowPostureChecks: true,
				SignInPolicies: []assurancev1alpha1.SignInPolicyReference{{Name: "Okta Admin Console"}}},
		}
		Expect(k8s.Create(ctx, org)).To(Succeed())
		Eventually(isReady(org, func() []metav1.Condition { return org.Status.Conditions })).Should(Succeed())
	})

	It("lets each team manage what its grant allows", func() {
		policy := policyIn(payments, "pay-ios", `{platform: IOS, name: pay-ios, jailbreak: false}`)
		Expect(k8s.Create(ctx, policy)).To(Succeed())
		Eventually(isReady(policy, func() []metav1.Condition { return policy.Status.Conditions })).Should(Succeed())
		rule := bindingIn(payments, "pay-rule", `
policy: {name: Okta Dashboard}
rule:
  name: Payments device assurance
  priority: 12
  conditions: {device: {registered: true, managed: true, assurance: {include: [{name: pay-ios}]}}}
  actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 2FA}}}`)
		Expect(k8s.Create(ctx, rule)).To(Succeed())
		Eventually(isReady(rule, func() []metav1.Condition { return rule.Status.Conditions })).Should(Succeed())
		Expect(rulesOf("Okta Dashboard")).To(ContainElement("Payments device assurance"))

		check := &assurancev1alpha1.DevicePostureCheck{ObjectMeta: metav1.ObjectMeta{Namespace: security, Name: "firewall"}}
		Expect(yaml.Unmarshal([]byte(`{variableName: securityFirewall, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;"}`), &check.Spec)).To(Succeed())
		check.Spec.OrgRef = orgRef
		Expect(k8s.Create(ctx, check)).To(Succeed())
		Eventually(isReady(check, func() []metav1.Condition { return check.Status.Conditions })).Should(Succeed())
	})

	It("refuses, before any Okta call and naming the missing grant, what a grant does not allow", func() {
		tests := []struct {
			obj        client.Object
			conditions func() []metav1.Condition
			want       []string
		}{}
		add := func(obj client.Object, conditions func() []metav1.Condition, want ...string) {
			tests = append(tests, struct {
				obj        client.Object
				conditions func() []metav1.Condition
				want       []string
			}{obj, conditions, want})
		}
		// Created in the same second as pay-ios, it still counts after it:
		// ties are broken by name.
		second := policyIn(payments, "pay-second", `{platform: ANDROID, name: pay-second, jailbreak: false}`)
		add(second, func() []metav1.Condition { return second.Status.Conditions }, "maxObjects allows 1 DeviceAssurancePolicy objects")
		dashboardZero := bindingIn(payments, "pay-top", `
policy: {name: Okta Dashboard}
rule: {name: Payments at the top, priority: 0, actions: {appSignOn: {access: ALLOW}}}`)
		add(dashboardZero, func() []metav1.Condition { return dashboardZero.Status.Conditions }, "spec.rule.priority: priority 0 is outside rulePriorities 10–19")
		console := bindingIn(payments, "pay-console", `
policy: {name: Okta Admin Console}
rule: {name: Payments in the console, priority: 11, actions: {appSignOn: {access: ALLOW}}}`)
		add(console, func() []metav1.Condition { return console.Status.Conditions }, `spec.policy: the app sign-in policy with name "Okta Admin Console" is not in signInPolicies`)
		paymentsCheck := &assurancev1alpha1.DevicePostureCheck{ObjectMeta: metav1.ObjectMeta{Namespace: payments, Name: "pay-check"}}
		Expect(yaml.Unmarshal([]byte(`{variableName: payCheck, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;"}`), &paymentsCheck.Spec)).To(Succeed())
		paymentsCheck.Spec.OrgRef = orgRef
		add(paymentsCheck, func() []metav1.Condition { return paymentsCheck.Status.Conditions }, "allowPostureChecks")
		catchAll := bindingIn(payments, "pay-catch-all", `
policy: {name: Okta Dashboard}
adopt: {byName: true}
rule: {name: Catch-all Rule, priority: 15, actions: {appSignOn: {access: DENY}}}`)
		add(catchAll, func() []metav1.Condition { return catchAll.Status.Conditions }, "allowAdoption", "allowDenyAccess")
		intruder := policyIn(hostile, "take-over", `{platform: IOS, name: pay-ios, jailbreak: true, adopt: {byName: true}, deletionPolicy: Delete}`)
		add(intruder, func() []metav1.Condition { return intruder.Status.Conditions }, "no tenants entry of ClusterOktaOrg shared selects namespace "+hostile)
		hostileRule := bindingIn(hostile, "mallory-top", `
policy: {name: Okta Dashboard}
rule: {name: Mallory first, priority: 0, actions: {appSignOn: {access: DENY}}}`)
		add(hostileRule, func() []metav1.Condition { return hostileRule.Status.Conditions }, "no tenants entry")

		for _, tt := range tests {
			Expect(k8s.Create(ctx, tt.obj)).To(Succeed())
		}
		for _, tt := range tests {
			Eventually(readyReason(tt.obj, tt.conditions)).Should(And(HavePrefix("NotGranted: "), ContainSubstring(tt.want[0])), "%s", tt.obj.GetName())
			for _, w := range tt.want[1:] {
				Expect(readyReason(tt.obj, tt.conditions)(Default)).To(ContainSubstring(w))
			}
			Expect(readyReason(tt.obj, tt.conditions)(Default)).NotTo(ContainSubstring("security"), "a refusal never names another team's grant")
			Expect(objectRequests.of(tt.obj.GetUID())).To(BeEmpty(), "%s: refused before any Okta call", tt.obj.GetName())
		}
		all, err := admin().ListDeviceAssurances(ctx)
		Expect(err).NotTo(HaveOccurred())
		for _, p := range all {
			Expect(p.Name).NotTo(Equal("pay-second"), "nothing was created for a refused object")
		}
		checks, err := admin().ListPostureChecks(ctx)
		Expect(err).NotTo(HaveOccurred())
		for _, c := range checks {
			Expect(c.VariableName).NotTo(Equal("payCheck"))
		}
		Expect(rulesOf("Okta Dashboard")).NotTo(ContainElements("Payments at the top", "Mallory first"))
		Expect(rulesOf("Okta Admin Console")).NotTo(ContainElement("Payments in the console"))

		By("deleting the refused objects, which leaves the other team's policy alone")
		for _, tt := range tests {
			Expect(k8s.Delete(ctx, tt.obj)).To(Succeed())
			Eventually(deleted(tt.obj)).Should(BeTrue())
		}
		policy := &assurancev1alpha1.DeviceAssurancePolicy{}
		Expect(k8s.Get(ctx, client.ObjectKey{Namespace: payments, Name: "pay-ios"}, policy)).To(Succeed())
		_, err = admin().GetDeviceAssurance(ctx, policy.Status.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(objectRequests.of(policy.UID)).To(ContainElement(HavePrefix("POST /api/v1/device-assurances")),
			"the requests of an object that is granted are seen, so the empty lists above mean something")
	})

	It("refuses a team with the right to adopt the Okta policy of another team", func() {
		owned := &assurancev1alpha1.DeviceAssurancePolicy{}
		Expect(k8s.Get(ctx, client.ObjectKey{Namespace: payments, Name: "pay-ios"}, owned)).To(Succeed())
		grab := policyIn(security, "grab", `{platform: IOS, name: pay-ios, jailbreak: true, adopt: {byName: true}, deletionPolicy: Delete}`)
		Expect(k8s.Create(ctx, grab)).To(Succeed())
		Eventually(readyReason(grab, func() []metav1.Condition { return grab.Status.Conditions })).Should(
			Equal("AlreadyManaged: Okta policy " + owned.Status.ID + " is already managed by an object in another namespace: one Okta object has one owner; adopt another one, or delete this object"))
		Expect(k8s.Delete(ctx, grab)).To(Succeed())
		Eventually(deleted(grab)).Should(BeTrue())
		got, err := admin().GetDeviceAssurance(ctx, owned.Status.ID)
		Expect(err).NotTo(HaveOccurred(), "the owner's policy survives")
		Expect(*got.Jailbreak).To(BeFalse(), "and was never rewritten")
	})

	It("refuses org connections that would turn the operator against the cluster, before reading their Secret", func() {
		orgIn := func(ns, name, url string) *assurancev1alpha1.OktaOrg {
			org := &assurancev1alpha1.OktaOrg{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
			org.Spec.URL = url
			org.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "stolen", Key: "token"}}
			Expect(k8s.Create(ctx, org)).To(Succeed())
			return org
		}
		for _, tt := range []struct {
			org  *assurancev1alpha1.OktaOrg
			want string
		}{
			{orgIn(hostile, "apiserver", "https://kubernetes.default.svc"), "HostNotAllowed: spec.url host kubernetes.default.svc is not an Okta domain"},
			{orgIn(hostile, "metadata", "https://169.254.169.254"), "HostNotAllowed: spec.url host 169.254.169.254 is not an Okta domain"},
			{orgIn(operatorNamespace, "borrowed", "https://example.okta.com"), "OperatorNamespace: an OktaOrg cannot live in the operator's namespace"},
		} {
			Eventually(readyReason(tt.org, func() []metav1.Condition { return tt.org.Status.Conditions })).Should(HavePrefix(tt.want), "%s/%s", tt.org.Namespace, tt.org.Name)
			Expect(k8s.Get(ctx, client.ObjectKeyFromObject(tt.org), tt.org)).To(Succeed())
			Expect(meta.IsStatusConditionTrue(tt.org.Status.Conditions, assurancev1alpha1.ConditionStalled)).To(BeTrue())
		}
		policy := policyIn(hostile, "via-own-org", `{platform: IOS, name: via-own-org, jailbreak: false}`)
		policy.Spec.OrgRef = &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindOktaOrg, Name: "metadata"}
		Expect(k8s.Create(ctx, policy)).To(Succeed())
		Eventually(readyReason(policy, func() []metav1.Condition { return policy.Status.Conditions })).Should(HavePrefix("OrgNotReady: "))
		Expect(k8s.Delete(ctx, policy)).To(Succeed())
		Eventually(deleted(policy)).Should(BeTrue())
	})

	It("releases the objects of a namespace the org stops serving, and leaves their Okta objects", func() {
		check := &assurancev1alpha1.DevicePostureCheck{}
		Expect(k8s.Get(ctx, client.ObjectKey{Namespace: security, Name: "firewall"}, check)).To(Succeed())
		id := check.Status.ID
		Expect(id).NotTo(BeEmpty())

		org := &assurancev1alpha1.ClusterOktaOrg{}
		Expect(k8s.Get(ctx, client.ObjectKey{Name: orgName}, org)).To(Succeed())
		org.Spec.NamespaceSelector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "team", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"security"}}}}
		Expect(k8s.Update(ctx, org)).To(Succeed())
		Eventually(readyReason(check, func() []metav1.Condition { return check.Status.Conditions })).Should(
			ContainSubstring("does not select namespace " + security))

		Expect(k8s.Delete(ctx, check)).To(Succeed())
		Eventually(deleted(check)).Should(BeTrue(), "released at once instead of waiting for an org it may no longer use")
		checks, err := admin().ListPostureChecks(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(checks).To(ContainElement(HaveField("ID", id)), "the check stays in Okta for the admin")
	})
})
