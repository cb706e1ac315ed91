package crd_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/admission/plugin/policy/validating"
	"k8s.io/apiserver/pkg/cel/openapi/resolver"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// The tenancy admission policy (config/tenancy-admission, part of
// config/default): the API server refuses what a ClusterOktaOrg's tenants
// entries do not grant an object's namespace, with the controller's
// NotGranted wording (internal/tenancy/rights.go). The API server loads a
// new policy, and every change of a ClusterOktaOrg, asynchronously: the
// first refusal after each is awaited with Eventually.
var _ = Describe("tenancy grants refused at admission (config/tenancy-admission)", Ordered, func() {
	const (
		orgSpec   = `url: "https://example.okta.com", ` + apiToken
		dap       = `platform: IOS, jailbreak: false`
		rule      = `name: r, actions: {appSignOn: {access: ALLOW}}`
		denyRule  = `name: r, actions: {appSignOn: {access: DENY}}`
		catchAll  = `name: Catch-all Rule, actions: {appSignOn: {access: ALLOW}}`
		loadLimit = 30 * time.Second
	)
	var (
		run = nameCounter.Add(1)
		// nsName is the namespace of a role in this run.
		nsName = func(role string) string { return fmt.Sprintf("tenancy-%s-%d", role, run) }
		// orgName is a ClusterOktaOrg of this run.
		orgName = func(name string) string { return fmt.Sprintf("%s-%d", name, run) }
		shared  = orgName("shared")
	)

	// managed builds an object of kind in the namespace of role, using the
	// ClusterOktaOrg org ("" for no orgRef: the ClusterOktaOrg "default").
	managed := func(kind, role, org, spec string) *unstructured.Unstructured {
		obj := object(kind, "{"+spec+"}")
		obj.SetNamespace(nsName(role))
		if org != "" {
			Expect(unstructuredSet(obj, map[string]any{"kind": "ClusterOktaOrg", "name": org}, "spec", "orgRef")).To(Succeed())
		}
		return obj
	}
	// createOrg creates a ClusterOktaOrg with these tenants (YAML flow list,
	// "" for none).
	createOrg := func(name, tenants string) {
		spec := orgSpec
		if tenants != "" {
			spec += ", tenants: " + tenants
		}
		org := object("ClusterOktaOrg", "{"+spec+"}")
		org.SetName(name)
		Expect(k8sClient.Create(ctx, org)).To(Succeed())
		DeferCleanup(func() {
			Expect(client.IgnoreNotFound(k8sClient.Delete(ctx, org))).To(Succeed())
		})
	}
	createNamespace := func(role string, labels map[string]string) {
		ns := &unstructured.Unstructured{}
		ns.SetAPIVersion("v1")
		ns.SetKind("Namespace")
		ns.SetName(nsName(role))
		ns.SetLabels(labels)
		Expect(k8sClient.Create(ctx, ns)).To(Succeed())
		DeferCleanup(func() {
			// envtest runs no namespace controller: it stays Terminating.
			Expect(client.IgnoreNotFound(k8sClient.Delete(ctx, ns))).To(Succeed())
		})
	}
	// refused expects the API server to refuse obj (a dry run) with
	// the policy's message made of these fragments.
	refused := func(obj *unstructured.Unstructured, fragments ...string) {
		GinkgoHelper()
		err := admit(obj)
		Expect(err).To(HaveOccurred(), "admitted %s in %s", obj.GetKind(), obj.GetNamespace())
		Expect(apierrors.IsForbidden(err)).To(BeTrue(), "%v", err)
		Expect(err.Error()).To(SatisfyAll(containAll(append([]string{"ValidatingAdmissionPolicy 'tenancy-admission'"}, fragments...)...)...))
	}
	// granted is the end of the message for the entries that select a
	// namespace, as tenancy.Rights words it.
	granted := func(org, role, grants string) string {
		return fmt.Sprintf(": the tenants entries of ClusterOktaOrg %s that select namespace %s (%s) do not grant it", org, nsName(role), grants)
	}
	nothing := func(org, role string) string {
		return fmt.Sprintf(": no tenants entry of ClusterOktaOrg %s selects namespace %s, so it may use nothing there", org, nsName(role))
	}

	BeforeAll(func() {
		admin, err := testEnv.AddUser(envtest.User{Name: "tenancy-admin", Groups: []string{"system:masters"}}, nil)
		Expect(err).NotTo(HaveOccurred())
		k, err := admin.Kubectl()
		Expect(err).NotTo(HaveOccurred())
		kubectl := func(args ...string) {
			_, stderr, err := k.Run(args...)
			ExpectWithOffset(1, err).NotTo(HaveOccurred(), "kubectl %s: %s", strings.Join(args, " "), readAll(stderr))
		}
		pkg := filepath.Join("..", "..", "config", "tenancy-admission")
		kubectl("apply", "--server-side", "-k", pkg)
		DeferCleanup(func() { kubectl("delete", "-k", pkg, "--ignore-not-found", "--wait=true") })
		// Installed, the policy admits what it fails to evaluate (the
		// controller decides then); here an evaluation error must refuse,
		// so that no spec passes by an error.
		kubectl("patch", "validatingadmissionpolicy", "tenancy-admission", "--type=merge", "-p", `{"spec": {"failurePolicy": "Fail"}}`)

		createNamespace("payments", map[string]string{"okta-tenant": "payments"})
		createNamespace("storefront", map[string]string{"okta-tenant": "shop"})
		createNamespace("platform", map[string]string{"team-tier": "core"})
		// payments and platform together: the union of both entries.
		createNamespace("payments-platform", map[string]string{"okta-tenant": "payments", "team-tier": "core"})
		// platform's NotIn leaves it out: storefront only.
		createNamespace("storefront-platform", map[string]string{"okta-tenant": "storefront", "team-tier": "core"})
		// platform's DoesNotExist leaves it out: no entry.
		createNamespace("quarantined", map[string]string{"team-tier": "core", "quarantined": "true"})
		createNamespace("outsider", nil)

		// Every operator of a label selector, and an entry whose invalid
		// selector selects nothing (as metav1.LabelSelectorAsSelector
		// makes the controller see it), though it would grant everything.
		createOrg(orgName("open"), "")
		createOrg(shared, `[
			{name: payments, namespaceSelector: {matchLabels: {okta-tenant: payments}},
			 signInPolicies: [{name: Payments Portal}, {id: rstPayments1}], rulePriorities: {min: 10, max: 19}},
			{name: storefront, namespaceSelector: {matchExpressions: [{key: okta-tenant, operator: In, values: [storefront, shop]}]},
			 signInPolicies: [{name: Storefront Admin}], rulePriorities: {min: 20, max: 29}, allowAdoption: true},
			{name: platform, namespaceSelector: {matchExpressions: [{key: team-tier, operator: Exists},
			   {key: quarantined, operator: DoesNotExist}, {key: okta-tenant, operator: NotIn, values: [storefront]}]},
			 signInPolicies: [{name: Platform Portal}],
			 allowAdoption: true, allowCatchAllRule: true, allowPostureChecks: true, allowDenyAccess: true},
			{name: broken, namespaceSelector: {matchExpressions: [{key: "not a label key", operator: DoesNotExist}]},
			 signInPolicies: [{name: Payments Portal}, {name: Storefront Admin}],
			 allowAdoption: true, allowCatchAllRule: true, allowPostureChecks: true, allowDenyAccess: true}]`)

		By("waiting for the API server to enforce the policy with the org")
		Eventually(func() error { return admit(managed("DevicePostureCheck", "outsider", shared, firewallCheck)) }).
			WithTimeout(loadLimit).WithPolling(200 * time.Millisecond).
			Should(MatchError(ContainSubstring("spec.orgRef: using this org needs a tenants entry")))
	})

	It("admits what the grants of the object's namespace allow", func() {
		for _, obj := range []*unstructured.Unstructured{
			managed("DeviceAssurancePolicy", "payments", shared, dap),
			managed("SignInRuleBinding", "payments", shared, `policy: {name: Payments Portal}, rule: {priority: 10, `+rule+`}`),
			managed("SignInRuleBinding", "payments", shared, `policy: {id: rstPayments1}, rule: {priority: 19, `+rule+`}`),
			managed("DeviceAssurancePolicy", "storefront", shared, dap+`, adopt: {id: dae1}`),
			managed("SignInRuleBinding", "storefront", shared, `policy: {name: Storefront Admin}, adopt: {byName: true}, rule: {priority: 20, `+rule+`}`),
			managed("DevicePostureCheck", "platform", shared, firewallCheck),
			// No rulePriorities in the platform entry: any priority, or none.
			managed("SignInRuleBinding", "platform", shared, `policy: {name: Platform Portal}, adopt: {byName: true}, rule: {`+catchAll+`}`),
			managed("SignInRuleBinding", "platform", shared, `policy: {name: Platform Portal}, rule: {priority: 0, `+denyRule+`}`),
			// The union: payments' policy with platform's freedom of priority.
			managed("SignInRuleBinding", "payments-platform", shared, `policy: {name: Payments Portal}, adopt: {id: rul1}, rule: {priority: 50, `+denyRule+`}`),
			managed("DevicePostureCheck", "payments-platform", shared, firewallCheck),
			managed("DevicePostureCheck", "platform", shared, firewallCheck+`, adopt: {id: dch1}`),
		} {
			Expect(admit(obj)).To(Succeed(), "%s in %s: %v", obj.GetKind(), obj.GetNamespace(), obj.Object["spec"])
		}
	})

	DescribeTable("refuses what no grant of the namespace allows, naming the field and the grant",
		func(kind, role, spec string, fragments ...string) {
			refused(managed(kind, role, shared, spec), fragments...)
		},
		func(kind, role, spec string, _ ...string) string { return kind + " in " + role + ": " + oneLine(spec) },
		Entry(nil, "DeviceAssurancePolicy", "outsider", dap,
			"spec.orgRef: using this org needs a tenants entry"+nothing(shared, "outsider")),
		Entry(nil, "SignInRuleBinding", "quarantined", `policy: {name: Platform Portal}, rule: {`+rule+`}`,
			"spec.orgRef: using this org needs a tenants entry"+nothing(shared, "quarantined")),
		Entry(nil, "DeviceAssurancePolicy", "payments", dap+`, adopt: {byName: true}`,
			"spec.adopt: adopting an existing Okta object needs allowAdoption"+granted(shared, "payments", "payments")),
		Entry(nil, "DevicePostureCheck", "payments", firewallCheck,
			"spec: a DevicePostureCheck needs allowPostureChecks"+granted(shared, "payments", "payments")),
		// The adoption is judged first: only the first refusal is returned.
		Entry(nil, "DevicePostureCheck", "payments", firewallCheck+`, adopt: {byVariableName: true}`,
			"spec.adopt: adopting an existing Okta object needs allowAdoption"+granted(shared, "payments", "payments")),
		Entry(nil, "DevicePostureCheck", "storefront-platform", firewallCheck,
			"spec: a DevicePostureCheck needs allowPostureChecks"+granted(shared, "storefront-platform", "storefront")),
		Entry(nil, "SignInRuleBinding", "payments", `policy: {name: Storefront Admin}, rule: {priority: 10, `+rule+`}`,
			`spec.policy: the app sign-in policy with name "Storefront Admin" is not in signInPolicies`+granted(shared, "payments", "payments")),
		Entry(nil, "SignInRuleBinding", "payments", `policy: {id: rstStorefront1}, rule: {priority: 10, `+rule+`}`,
			`spec.policy: the app sign-in policy with id rstStorefront1 is not in signInPolicies`+granted(shared, "payments", "payments")),
		// An id entry matches a policy by id only.
		Entry(nil, "SignInRuleBinding", "payments", `policy: {name: rstPayments1}, rule: {priority: 10, `+rule+`}`,
			`spec.policy: the app sign-in policy with name "rstPayments1" is not in signInPolicies`),
		// A message with a line break is not returned: the policy's own.
		Entry(nil, "SignInRuleBinding", "payments", `policy: {name: "Payments\nPortal"}, rule: {priority: 10, `+rule+`}`,
			`spec.policy: the app sign-in policy is not in signInPolicies: no tenants entry of the org that selects the namespace grants it`),
		Entry(nil, "SignInRuleBinding", "payments-platform", `policy: {name: Storefront Admin}, rule: {`+rule+`}`,
			`spec.policy: the app sign-in policy with name "Storefront Admin" is not in signInPolicies`+granted(shared, "payments-platform", "payments, platform")),
		Entry(nil, "SignInRuleBinding", "payments", `policy: {name: Payments Portal}, rule: {priority: 20, `+rule+`}`,
			"spec.rule.priority: priority 20 is outside rulePriorities 10–19"+granted(shared, "payments", "payments")),
		Entry(nil, "SignInRuleBinding", "payments", `policy: {name: Payments Portal}, rule: {`+rule+`}`,
			"spec.rule.priority: a rule must set its priority within rulePriorities 10–19"+granted(shared, "payments", "payments")),
		Entry(nil, "SignInRuleBinding", "payments", `policy: {name: Payments Portal}, rule: {priority: 10, `+denyRule+`}`,
			"spec.rule.actions.appSignOn.access: a rule that denies access needs allowDenyAccess"+granted(shared, "payments", "payments")),
		Entry(nil, "SignInRuleBinding", "storefront", `policy: {name: Storefront Admin}, adopt: {byName: true}, rule: {priority: 20, `+catchAll+`}`,
			"spec.adopt: managing the Catch-all Rule needs allowCatchAllRule"+granted(shared, "storefront", "storefront")),
	)

	It("never tells a namespace what other namespaces are granted", func() {
		err := admit(managed("SignInRuleBinding", "payments", shared, `policy: {name: Storefront Admin}, rule: {priority: 25, `+denyRule+`}`))
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).NotTo(SatisfyAny(
			ContainSubstring("storefront"), ContainSubstring("platform"), ContainSubstring("broken"),
			ContainSubstring("20–29"), ContainSubstring("Platform Portal"), ContainSubstring(nsName("storefront"))))
	})

	It("does not judge the objects of another org by this org's grants", func() {
		for _, obj := range []*unstructured.Unstructured{
			// A ClusterOktaOrg without tenants entries grants everything.
			managed("DevicePostureCheck", "outsider", orgName("open"), firewallCheck),
			managed("SignInRuleBinding", "outsider", orgName("open"), `policy: {name: Anything}, adopt: {byName: true}, rule: {`+catchAll+`}`),
			managed("SignInRuleBinding", "outsider", orgName("open"), `policy: {name: Anything}, rule: {priority: 0, `+denyRule+`}`),
			// A ClusterOktaOrg that does not exist is not judged (the
			// controller reports it missing).
			managed("DevicePostureCheck", "outsider", orgName("missing"), firewallCheck),
			// No orgRef: the ClusterOktaOrg "default", which does not exist
			// here.
			managed("DevicePostureCheck", "outsider", "", firewallCheck),
		} {
			Expect(admit(obj)).To(Succeed(), "%s with orgRef %v", obj.GetKind(), obj.Object["spec"].(map[string]any)["orgRef"])
		}

		By("an OktaOrg is the namespace's own org, even with the name of a ClusterOktaOrg")
		own := managed("DevicePostureCheck", "outsider", "", firewallCheck)
		Expect(unstructuredSet(own, map[string]any{"kind": "OktaOrg", "name": shared}, "spec", "orgRef")).To(Succeed())
		Expect(admit(own)).To(Succeed())
	})

	It("judges an object without orgRef by the ClusterOktaOrg default", func() {
		createOrg("default", `[{name: platform, namespaceSelector: {matchLabels: {team-tier: core}}, allowPostureChecks: true}]`)
		DeferCleanup(func() {
			Expect(k8sClient.Delete(ctx, &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: "default"}})).To(Succeed())
			// The other specs' objects use the default org: wait until the
			// API server no longer judges them by this one.
			Eventually(func() error { return admit(managed("DevicePostureCheck", "outsider", "", firewallCheck)) }).
				WithTimeout(loadLimit).Should(Succeed())
		})
		Eventually(func() error { return admit(managed("DevicePostureCheck", "outsider", "", firewallCheck)) }).
			WithTimeout(loadLimit).Should(MatchError(ContainSubstring("spec.orgRef: using this org needs a tenants entry" + nothing("default", "outsider"))))
		Expect(admit(managed("DevicePostureCheck", "platform", "", firewallCheck))).To(Succeed())
		Expect(admit(managed("DevicePostureCheck", "outsider", orgName("open"), firewallCheck))).To(Succeed())
	})

	It("refuses only the updates that ask for more, and never blocks deleting or releasing an object", func() {
		revocable := orgName("revocable")
		createOrg(revocable, `[{name: payments, namespaceSelector: {matchLabels: {okta-tenant: payments}},
			signInPolicies: [{name: Payments Portal}], rulePriorities: {min: 10, max: 19}}]`)
		obj := managed("SignInRuleBinding", "payments", revocable, `policy: {name: Payments Portal}, rule: {priority: 12, `+rule+`}`)
		obj.SetFinalizers([]string{"assurance.okta-operator.dev/test-hold"})
		Eventually(func() error { return admit(managed("DevicePostureCheck", "payments", revocable, firewallCheck)) }).
			WithTimeout(loadLimit).Should(MatchError(ContainSubstring("spec: a DevicePostureCheck needs allowPostureChecks")))
		Expect(k8sClient.Create(ctx, obj)).To(Succeed())

		update := func(mutate func(*unstructured.Unstructured)) error {
			latest := obj.DeepCopy()
			Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(obj), latest)).To(Succeed())
			mutate(latest)
			return k8sClient.Update(ctx, latest)
		}
		set := func(value any, fields ...string) func(*unstructured.Unstructured) {
			return func(o *unstructured.Unstructured) { Expect(unstructuredSet(o, value, fields...)).To(Succeed()) }
		}

		By("a change that asks for a priority outside the band is refused")
		err := update(set(int64(25), "spec", "rule", "priority"))
		Expect(err).To(MatchError(ContainSubstring("spec.rule.priority: priority 25 is outside rulePriorities 10–19" + granted(revocable, "payments", "payments"))))
		Expect(update(set("DENY", "spec", "rule", "actions", "appSignOn", "access"))).
			To(MatchError(ContainSubstring("spec.rule.actions.appSignOn.access: a rule that denies access needs allowDenyAccess")))
		Expect(update(set(int64(13), "spec", "rule", "priority"))).To(Succeed())

		By("the admin moves the band and drops the policy: the object now asks for what is not granted")
		org := &assurancev1alpha1.ClusterOktaOrg{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Name: revocable}, org)).To(Succeed())
		org.Spec.Tenants[0].RulePriorities = &assurancev1alpha1.PriorityBand{Min: 30, Max: 39}
		org.Spec.Tenants[0].SignInPolicies = []assurancev1alpha1.SignInPolicyReference{{Name: "Other Portal"}}
		Expect(k8sClient.Update(ctx, org)).To(Succeed())
		Eventually(func() error {
			return admit(managed("SignInRuleBinding", "payments", revocable, `policy: {name: Other Portal}, rule: {priority: 13, `+rule+`}`))
		}).WithTimeout(loadLimit).Should(MatchError(ContainSubstring("priority 13 is outside rulePriorities 30–39")))

		By("labels, finalizers and status never reach the grants")
		Expect(update(func(o *unstructured.Unstructured) { o.SetLabels(map[string]string{"team": "payments"}) })).To(Succeed())
		Expect(update(func(o *unstructured.Unstructured) {
			o.SetFinalizers(append(o.GetFinalizers(), "assurance.okta-operator.dev/second-hold"))
		})).To(Succeed())
		latest := obj.DeepCopy()
		Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(obj), latest)).To(Succeed())
		Expect(unstructuredSet(latest, int64(1), "status", "observedGeneration")).To(Succeed())
		Expect(k8sClient.Status().Update(ctx, latest)).To(Succeed())

		By("a change that asks for nothing new is admitted: the object can be edited and released")
		Expect(update(set("Orphan", "spec", "deletionPolicy"))).To(Succeed())
		Expect(update(set(true, "spec", "suspend"))).To(Succeed())
		// Outside the band before and after: not made worse.
		Expect(update(set(int64(14), "spec", "rule", "priority"))).To(Succeed())
		Expect(update(set(int64(35), "spec", "rule", "priority"))).To(Succeed())
		// Back outside the band it is now in: refused.
		Expect(update(set(int64(14), "spec", "rule", "priority"))).
			To(MatchError(ContainSubstring("spec.rule.priority: priority 14 is outside rulePriorities 30–39")))

		By("deleting it and removing its finalizers is admitted")
		Expect(k8sClient.Delete(ctx, obj)).To(Succeed())
		Expect(update(func(o *unstructured.Unstructured) {
			Expect(o.GetDeletionTimestamp()).NotTo(BeNil())
			Expect(unstructuredSet(o, "Delete", "spec", "deletionPolicy")).To(Succeed())
		})).To(Succeed())
		Expect(update(func(o *unstructured.Unstructured) { o.SetFinalizers(nil) })).To(Succeed())
		Expect(apierrors.IsNotFound(k8sClient.Get(ctx, client.ObjectKeyFromObject(obj), obj.DeepCopy()))).To(BeTrue())
	})

	It("judges the largest tenants lists the CRD allows within the CEL cost budget", func() {
		// 64 entries (tenants' MaxItems) of 64 sign-in policies each
		// (signInPolicies' MaxItems), each with a band and a selector of
		// eight labels and eight requirements, the last of which leaves one
		// namespace out: a cost error would refuse with another message
		// (failurePolicy: Fail here).
		long := func(prefix string) string { return prefix + strings.Repeat("x", 63-len(prefix)) }
		labels := map[string]string{}
		matchLabels := map[string]any{}
		for j := range 8 {
			labels[fmt.Sprintf("k%d", j)] = "v"
			matchLabels[fmt.Sprintf("k%d", j)] = "v"
		}
		tenants := make([]any, 0, 64)
		names := make([]string, 0, 64)
		for i := range 64 {
			expressions := make([]any, 0, 8)
			for j := range 7 {
				values := make([]any, 0, 8)
				for v := range 7 {
					values = append(values, long(fmt.Sprintf("value-%d-", v)))
				}
				expressions = append(expressions, map[string]any{"key": fmt.Sprintf("k%d", j), "operator": "In", "values": append(values, "v")})
			}
			expressions = append(expressions, map[string]any{"key": "tier", "operator": "NotIn", "values": []any{fmt.Sprintf("t%d", i)}})
			policies := make([]any, 0, 64)
			for j := range 64 {
				policies = append(policies, map[string]any{"name": fmt.Sprintf("Portal %d-%d %s", i, j, strings.Repeat("x", 200))})
			}
			name := fmt.Sprintf("t%d", i)
			names = append(names, name)
			tenants = append(tenants, map[string]any{
				"name":              name,
				"namespaceSelector": map[string]any{"matchLabels": matchLabels, "matchExpressions": expressions},
				"signInPolicies":    policies,
				"rulePriorities":    map[string]any{"min": int64(i), "max": int64(i)},
			})
		}
		big := orgName("big")
		org := object("ClusterOktaOrg", "{"+orgSpec+"}")
		org.SetName(big)
		Expect(unstructuredSet(org, tenants, "spec", "tenants")).To(Succeed())
		Expect(k8sClient.Create(ctx, org)).To(Succeed())
		DeferCleanup(func() { Expect(k8sClient.Delete(ctx, org)).To(Succeed()) })
		// Every entry selects big-all; every entry but t0 big-one.
		createNamespace("big-all", labels)
		labels["tier"] = "t0"
		createNamespace("big-one", labels)

		lastPolicy := fmt.Sprintf("Portal 63-63 %s", strings.Repeat("x", 200))
		Eventually(func() error {
			return admit(managed("SignInRuleBinding", "big-all", big, `policy: {name: Nowhere}, rule: {priority: 0, `+rule+`}`))
		}).WithTimeout(loadLimit).Should(MatchError(ContainSubstring(
			`spec.policy: the app sign-in policy with name "Nowhere" is not in signInPolicies` + granted(big, "big-all", strings.Join(names, ", ")))))
		refused(managed("SignInRuleBinding", "big-all", big, `policy: {name: "`+lastPolicy+`"}, rule: {priority: 64, `+rule+`}`),
			"spec.rule.priority: priority 64 is outside rulePriorities 0–0, 1–1, ", ", 63–63"+granted(big, "big-all", strings.Join(names, ", ")))
		Expect(admit(managed("SignInRuleBinding", "big-all", big, `policy: {name: "`+lastPolicy+`"}, rule: {priority: 63, `+rule+`}`))).To(Succeed())
		bands := make([]string, 0, 63)
		for i := 1; i < 64; i++ {
			bands = append(bands, fmt.Sprintf("%d–%d", i, i))
		}
		refused(managed("SignInRuleBinding", "big-one", big, `policy: {name: "`+lastPolicy+`"}, rule: {priority: 0, `+rule+`}`),
			"spec.rule.priority: priority 0 is outside rulePriorities "+strings.Join(bands, ", ")+granted(big, "big-one", strings.Join(names[1:], ", ")))
	})

	It("selects namespaces exactly as the controller does (metav1.LabelSelectorAsSelector)", func() {
		createNamespace("gold", map[string]string{"tier": "gold"})
		createNamespace("silver", map[string]string{"tier": "silver", "example.com/tier": "x"})
		createNamespace("blank", map[string]string{"tier": ""})
		createNamespace("bare", nil)
		roles := []string{"gold", "silver", "blank", "bare"}

		long := strings.Repeat("a", 64)
		selectors := []string{
			`{}`,
			`{matchLabels: {tier: gold}}`,
			`{matchLabels: {tier: ""}}`,
			`{matchLabels: {tier: gold}, matchExpressions: [{key: example.com/tier, operator: Exists}]}`,
			`{matchExpressions: [{key: tier, operator: In, values: [gold, silver]}]}`,
			`{matchExpressions: [{key: tier, operator: NotIn, values: [gold]}]}`,
			`{matchExpressions: [{key: tier, operator: NotIn, values: [""]}]}`,
			`{matchExpressions: [{key: tier, operator: Exists}]}`,
			`{matchExpressions: [{key: tier, operator: DoesNotExist}]}`,
			`{matchExpressions: [{key: example.com/tier, operator: Exists}, {key: tier, operator: NotIn, values: [gold, ""]}]}`,
			`{matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [` + nsName("gold") + `]}]}`,
			`{matchExpressions: [{key: my_key.x-y, operator: DoesNotExist}]}`,
			`{matchExpressions: [{key: ` + strings.Repeat("a", 253) + `/tier, operator: DoesNotExist}]}`,
			// Invalid: the selector selects nothing.
			`{matchExpressions: [{key: tier, operator: In, values: []}]}`,
			`{matchExpressions: [{key: tier, operator: NotIn}]}`,
			`{matchExpressions: [{key: tier, operator: Exists, values: [gold]}]}`,
			`{matchExpressions: [{key: tier, operator: DoesNotExist, values: [gold]}]}`,
			`{matchExpressions: [{key: tier, operator: Exist}]}`,
			`{matchExpressions: [{key: tier, operator: notin, values: [gold]}]}`,
			`{matchExpressions: [{key: "not a key", operator: DoesNotExist}]}`,
			`{matchExpressions: [{key: Example.com/tier, operator: DoesNotExist}]}`,
			`{matchExpressions: [{key: a/b/c, operator: DoesNotExist}]}`,
			`{matchExpressions: [{key: /tier, operator: DoesNotExist}]}`,
			`{matchExpressions: [{key: ` + long + `, operator: DoesNotExist}]}`,
			`{matchExpressions: [{key: ` + strings.Repeat("a", 254) + `/tier, operator: DoesNotExist}]}`,
			`{matchExpressions: [{key: tier, operator: NotIn, values: ["bad value!"]}]}`,
			`{matchExpressions: [{key: tier, operator: NotIn, values: [` + long + `]}]}`,
			`{matchExpressions: [{key: tier, operator: In, values: [gold, -bad]}]}`,
			`{matchLabels: {"bad key!": x}, matchExpressions: [{key: tier, operator: DoesNotExist}]}`,
		}
		orgs := make([]string, len(selectors))
		grants := make([][]assurancev1alpha1.TenantGrant, len(selectors))
		for i, sel := range selectors {
			var selector metav1.LabelSelector
			Expect(yaml.Unmarshal([]byte(sel), &selector)).To(Succeed(), sel)
			grants[i] = []assurancev1alpha1.TenantGrant{{Name: "probe", NamespaceSelector: selector}}
			orgs[i] = orgName(fmt.Sprintf("selector-%d", i))
			createOrg(orgs[i], `[{name: probe, namespaceSelector: `+sel+`}]`)
		}
		// The API server sees the ClusterOktaOrgs in the order they were
		// created: once it judges by the last, it knows them all.
		last := orgName("selector-last")
		createOrg(last, `[{name: nobody, namespaceSelector: {matchLabels: {never: "true"}}}]`)
		Eventually(func() error { return admit(managed("DeviceAssurancePolicy", "bare", last, dap)) }).
			WithTimeout(loadLimit).Should(MatchError(ContainSubstring("spec.orgRef: using this org needs a tenants entry")))

		var mismatches []string
		for _, role := range roles {
			ns := &unstructured.Unstructured{}
			ns.SetAPIVersion("v1")
			ns.SetKind("Namespace")
			Expect(k8sClient.Get(ctx, client.ObjectKey{Name: nsName(role)}, ns)).To(Succeed())
			for i, sel := range selectors {
				want := tenancy.Of("ClusterOktaOrg "+orgs[i], ns.GetName(), ns.GetLabels(), grants[i]).Use() == nil
				err := admit(managed("DeviceAssurancePolicy", role, orgs[i], dap))
				if err != nil {
					Expect(err.Error()).To(ContainSubstring("spec.orgRef: using this org needs a tenants entry"))
				}
				if got := err == nil; got != want {
					mismatches = append(mismatches, fmt.Sprintf("%s on labels %v: admission selects %t, the controller %t", sel, ns.GetLabels(), got, want))
				}
			}
		}
		Expect(mismatches).To(BeEmpty())
	})
})

// The API server type-checks a policy only in kube-controller-manager (it
// writes status.typeChecking), which envtest does not run.
var _ = Describe("the tenancy admission policy (config/tenancy-admission)", func() {
	It("type-checks every expression against the schemas of the kinds it reads", func() {
		// A misspelt field of a ClusterOktaOrg, a Namespace or the three
		// kinds is a warning there, and at run time an error or a silent
		// false.
		raw, err := os.ReadFile(filepath.Join("..", "..", "config", "tenancy-admission", "validating_admission_policy.yaml"))
		Expect(err).NotTo(HaveOccurred())
		var policy admissionregistrationv1.ValidatingAdmissionPolicy
		for _, m := range decodeAll(strings.NewReader(string(raw))) {
			if m.GetKind() == "ValidatingAdmissionPolicy" {
				Expect(runtime.DefaultUnstructuredConverter.FromUnstructured(m.Object, &policy)).To(Succeed())
			}
		}
		Expect(policy.Spec.Validations).NotTo(BeEmpty())
		// The type checker reads only validations: check the match
		// conditions and variables as validations too.
		checked := map[int]string{}
		for i := range policy.Spec.Validations {
			checked[i] = fmt.Sprintf("validations[%d]", i)
		}
		for _, c := range policy.Spec.MatchConditions {
			checked[len(policy.Spec.Validations)] = "matchCondition " + c.Name
			policy.Spec.Validations = append(policy.Spec.Validations, admissionregistrationv1.Validation{Expression: c.Expression})
		}
		for _, v := range policy.Spec.Variables {
			checked[len(policy.Spec.Validations)] = "variable " + v.Name
			policy.Spec.Validations = append(policy.Spec.Validations,
				admissionregistrationv1.Validation{Expression: "size([(" + v.Expression + ")]) == 1"})
		}

		dc, err := discovery.NewDiscoveryClientForConfig(testEnv.Config)
		Expect(err).NotTo(HaveOccurred())
		groups, err := restmapper.GetAPIGroupResources(dc)
		Expect(err).NotTo(HaveOccurred())
		checker := &validating.TypeChecker{
			SchemaResolver: &resolver.ClientDiscoveryResolver{Discovery: dc},
			RestMapper:     restmapper.NewDiscoveryRESTMapper(groups),
		}
		found := checker.Check(&policy)
		warnings := make([]string, 0, len(found))
		for _, w := range found {
			var i int
			_, err := fmt.Sscanf(w.FieldRef, "spec.validations[%d]", &i)
			Expect(err).NotTo(HaveOccurred(), w.FieldRef)
			warnings = append(warnings, checked[i]+": "+w.Warning)
		}
		Expect(warnings).To(BeEmpty())
	})
})
