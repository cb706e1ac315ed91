package integration_test

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

var _ = Describe("an org whose service app lacks a default scope", Ordered, func() {
	const missing = "okta.devicePostureChecks.manage"
	org := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metaName("no-posture-checks")}
	orgRef := &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindClusterOktaOrg, Name: "no-posture-checks"}
	check := &assurancev1alpha1.DevicePostureCheck{ObjectMeta: metav1.ObjectMeta{Namespace: teamNamespace, Name: "scoped-firewall"}}

	capability := func(name assurancev1alpha1.OrgCapabilityName) func(g Gomega) assurancev1alpha1.OrgCapability {
		return func(g Gomega) assurancev1alpha1.OrgCapability {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(org), org)).To(Succeed())
			for _, c := range org.Status.Capabilities {
				if c.Name == name {
					return c
				}
			}
			return assurancev1alpha1.OrgCapability{}
		}
	}
	checkReady := func(g Gomega) *metav1.Condition {
		g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(check), check)).To(Succeed())
		c := meta.FindStatusCondition(check.Status.Conditions, assurancev1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil())
		return c
	}

	It("connects with the default scopes, leaving out the one Okta refuses", func() {
		Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: operatorNamespace, Name: "scoped-app"},
			Data: map[string][]byte{"private-key.pem": oauthKey}})).To(Succeed())
		org.Spec.URL, org.Spec.AllowInsecureHTTP = sim.URL, true
		org.Spec.OAuth = &assurancev1alpha1.OAuthAuth{ClientID: scopedClientID, KeyID: "k1",
			PrivateKeySecretRef: assurancev1alpha1.SecretKeyReference{Name: "scoped-app", Key: "private-key.pem"}}
		Expect(k8s.Create(ctx, org)).To(Succeed())
		Eventually(isReady(org, func() []metav1.Condition { return org.Status.Conditions })).Should(Succeed())

		Expect(org.Status.GrantedScopes).To(ConsistOf(assurancev1alpha1.OAuthScope("okta.deviceAssurance.manage"),
			assurancev1alpha1.OAuthScope("okta.policies.manage"), assurancev1alpha1.OAuthScope("okta.logs.read")))
		Eventually(capability(assurancev1alpha1.CapabilityDevicePostureCheck)).Should(SatisfyAll(
			HaveField("Available", false), HaveField("MissingScope", assurancev1alpha1.OAuthScope(missing)),
			HaveField("Message", HavePrefix("ClusterOktaOrg no-posture-checks was not granted okta.devicePostureChecks.manage, which DevicePostureCheck needs: grant it to the service app "+scopedClientID)),
		))
		for _, name := range []assurancev1alpha1.OrgCapabilityName{assurancev1alpha1.CapabilityDeviceAssurancePolicy,
			assurancev1alpha1.CapabilitySignInRuleBinding, assurancev1alpha1.CapabilityDriftDetection} {
			Expect(capability(name)(Default)).To(HaveField("Available", true), string(name))
		}
		Eventually(func(g Gomega) []string {
			var events eventsv1.EventList
			g.Expect(k8s.List(ctx, &events)).To(Succeed())
			var reasons []string
			for _, e := range events.Items {
				if e.Regarding.Name == org.Name && e.Regarding.Kind == "ClusterOktaOrg" {
					reasons = append(reasons, e.Reason)
				}
			}
			return reasons
		}).Should(ContainElement("MissingScope"))
	})

	It("serves the kinds it has the scopes for", func() {
		p := policyFrom("scoped-policy", `{platform: IOS, jailbreak: false, orgRef: {kind: ClusterOktaOrg, name: no-posture-checks}}`)
		Expect(k8s.Create(ctx, p)).To(Succeed())
		Eventually(isReady(p, func() []metav1.Condition { return p.Status.Conditions })).Should(Succeed())
	})

	It("holds a DevicePostureCheck with reason MissingScope, naming the scope, before any Okta call", func() {
		Expect(yaml.Unmarshal([]byte(`{variableName: scopedFirewall, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;"}`), &check.Spec)).To(Succeed())
		check.Spec.OrgRef = orgRef
		Expect(k8s.Create(ctx, check)).To(Succeed())
		Eventually(checkReady).Should(SatisfyAll(HaveField("Status", metav1.ConditionFalse), HaveField("Reason", "MissingScope")))
		Expect(checkReady(Default).Message).To(HavePrefix(
			"ClusterOktaOrg no-posture-checks was not granted okta.devicePostureChecks.manage, which DevicePostureCheck needs: grant it"))
		Expect(meta.IsStatusConditionTrue(check.Status.Conditions, assurancev1alpha1.ConditionReconciling)).To(BeTrue(),
			"not terminal: an Okta admin can grant the scope")
		Expect(meta.FindStatusCondition(check.Status.Conditions, assurancev1alpha1.ConditionStalled)).To(BeNil())
		Expect(objectRequests.of(check.UID)).To(BeEmpty(), "no posture check call reached the org")
	})

	It("makes the DevicePostureCheck Ready once an Okta admin grants the scope", func() {
		Expect(simOrg.SetClientScopes(scopedClientID, "okta.deviceAssurance.manage", "okta.policies.manage", missing, "okta.logs.read")).To(BeTrue())
		Eventually(capability(assurancev1alpha1.CapabilityDevicePostureCheck)).Should(
			Equal(assurancev1alpha1.OrgCapability{Name: assurancev1alpha1.CapabilityDevicePostureCheck, Available: true}))
		Expect(org.Status.GrantedScopes).To(ContainElement(assurancev1alpha1.OAuthScope(missing)))
		Eventually(isReady(check, func() []metav1.Condition { return check.Status.Conditions })).Should(Succeed())
		Expect(check.Status.ID).NotTo(BeEmpty())
	})

	It("says so on the object and on the org when the app's admin role lacks a permission", func() {
		fault := simOrg.InjectFault(oktasim.Fault{Status: http.StatusForbidden, Method: http.MethodPost, Path: "/api/v1/device-posture-checks"})
		denied := &assurancev1alpha1.DevicePostureCheck{ObjectMeta: metav1.ObjectMeta{Namespace: teamNamespace, Name: "role-denied"}}
		Expect(yaml.Unmarshal([]byte(`{variableName: roleDenied, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;"}`), &denied.Spec)).To(Succeed())
		denied.Spec.OrgRef = orgRef
		Expect(k8s.Create(ctx, denied)).To(Succeed())
		Eventually(func(g Gomega) *metav1.Condition {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(denied), denied)).To(Succeed())
			return meta.FindStatusCondition(denied.Status.Conditions, assurancev1alpha1.ConditionReady)
		}).Should(SatisfyAll(HaveField("Reason", "AccessDenied"),
			HaveField("Message", ContainSubstring("the admin role of the org's credentials (the service app's role, or the API token's admin's) lacks the permission for this operation"))))
		Eventually(capability(assurancev1alpha1.CapabilityDevicePostureCheck)).Should(SatisfyAll(HaveField("Available", true),
			HaveField("Message", HavePrefix("Okta refused POST /api/v1/device-posture-checks with 403 E0000006: the admin role of the service app "+scopedClientID+" lacks the permission"))))

		Expect(simOrg.RemoveFault(fault)).To(BeTrue())
		Expect(k8s.Delete(ctx, denied)).To(Succeed())
		Eventually(deleted(denied)).Should(BeTrue())
	})
})
