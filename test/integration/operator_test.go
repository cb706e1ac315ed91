package integration_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

func metaName(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Name: name} }

func admin() *okta.Client {
	c, err := okta.New(okta.Config{OrgURL: sim.URL, Credentials: okta.APIToken(plantedToken), HTTPClient: http.DefaultClient})
	Expect(err).NotTo(HaveOccurred())
	return c
}

func isReady(obj client.Object, conditions func() []metav1.Condition) func(g Gomega) {
	return func(g Gomega) {
		g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(obj), obj)).To(Succeed())
		g.Expect(meta.IsStatusConditionTrue(conditions(), assurancev1alpha1.ConditionReady)).To(BeTrue(), "conditions: %+v", conditions())
	}
}

// bindSecretReader does what a namespace owner does to let the OktaOrgs of
// namespace use their Secrets: bind the shipped secret-reader ClusterRole
// to the operator's service account there.
func bindSecretReader(namespace string) {
	Expect(k8s.Create(ctx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "okta-assurance-secret-reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "secret-reader"},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: operatorNamespace, Name: "controller-manager"}},
	})).To(Succeed())
}

func policyFrom(name, specYAML string) *assurancev1alpha1.DeviceAssurancePolicy {
	p := &assurancev1alpha1.DeviceAssurancePolicy{}
	p.Namespace, p.Name = teamNamespace, name
	Expect(yaml.Unmarshal([]byte(specYAML), &p.Spec)).To(Succeed())
	return p
}

func deleted(obj client.Object) func() bool {
	return func() bool { return apierrors.IsNotFound(k8s.Get(ctx, client.ObjectKeyFromObject(obj), obj)) }
}

var _ = Describe("the operator", Ordered, func() {
	defaultOrg := &assurancev1alpha1.ClusterOktaOrg{}

	It("connects the default ClusterOktaOrg with an API token from the operator's namespace", func() {
		secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: operatorNamespace, Name: "okta-api-token"},
			StringData: map[string]string{"token": plantedToken}}
		Expect(k8s.Create(ctx, secret)).To(Succeed())
		defaultOrg.Name = assurancev1alpha1.DefaultOrgName
		defaultOrg.Spec.URL = sim.URL
		defaultOrg.Spec.AllowInsecureHTTP = true
		defaultOrg.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta-api-token", Key: "token"}}
		Expect(k8s.Create(ctx, defaultOrg)).To(Succeed())
		Eventually(isReady(defaultOrg, func() []metav1.Condition { return defaultOrg.Status.Conditions })).Should(Succeed())
	})

	It("walks the guide: creates the iOS policy, applies its edit, and deletes it", func() {
		p := policyFrom("device-assurance-ios", `
name: Device assurance iOS
platform: IOS
osVersion: {dynamicVersionRequirement: {type: EXACT_ANY_SUPPORTED, latestSecurityPatch: true}}
jailbreak: false`)
		Expect(k8s.Create(ctx, p)).To(Succeed())
		Eventually(isReady(p, func() []metav1.Condition { return p.Status.Conditions })).Should(Succeed())
		Expect(p.Status.ID).To(HavePrefix("dae"))

		p.Spec.GracePeriod = &assurancev1alpha1.GracePeriod{Type: assurancev1alpha1.GracePeriodByDuration, Expiry: "P30D"}
		p.Spec.DisplayRemediationMode = assurancev1alpha1.RemediationModeShow
		Expect(k8s.Update(ctx, p)).To(Succeed())
		Eventually(func(g Gomega) {
			got, err := admin().GetDeviceAssurance(ctx, p.Status.ID)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got.GracePeriod).NotTo(BeNil())
			g.Expect(got.GracePeriod.Expiry).To(Equal("PT720H"))
			g.Expect(got.DisplayRemediationMode).To(Equal("SHOW"))
		}).Should(Succeed())

		// The org applies the PUT before the operator has read its response:
		// the counters follow a moment later.
		Eventually(func() float64 {
			return testutil.ToFloat64(metrics.OktaRequests.WithLabelValues("ClusterOktaOrg default", "PUT", "/api/v1/device-assurances/{id}", "200"))
		}).Should(BeNumerically(">=", 1), "the edit's PUT is counted under the org")
		Eventually(func() float64 {
			return testutil.ToFloat64(metrics.DriftCorrected.WithLabelValues("DeviceAssurancePolicy"))
		}).Should(BeNumerically(">=", 1))
		// The controllers observe how long the create and the edit took to
		// become Ready.
		Expect(testutil.CollectAndCount(metrics.TimeToReady, "okta_assurance_time_to_ready_seconds")).To(BeNumerically(">=", 1))

		id := p.Status.ID
		Expect(k8s.Delete(ctx, p)).To(Succeed())
		Eventually(deleted(p)).Should(BeTrue())
		_, err := admin().GetDeviceAssurance(ctx, id)
		Expect(okta.IsNotFound(err)).To(BeTrue())
	})

	It("manages a policy through a namespaced OktaOrg that signs in as an OAuth service app", func() {
		bindSecretReader(teamNamespace) // as the namespace's owner does
		secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: teamNamespace, Name: "okta-service-app"},
			Data: map[string][]byte{"private-key.pem": oauthKey}}
		Expect(k8s.Create(ctx, secret)).To(Succeed())
		org := &assurancev1alpha1.OktaOrg{ObjectMeta: metav1.ObjectMeta{Namespace: teamNamespace, Name: "service-app"}}
		org.Spec.URL, org.Spec.AllowInsecureHTTP = sim.URL, true
		org.Spec.OAuth = &assurancev1alpha1.OAuthAuth{ClientID: oauthClientID, KeyID: "k1",
			PrivateKeySecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta-service-app", Key: "private-key.pem"}}
		Expect(k8s.Create(ctx, org)).To(Succeed())
		Eventually(isReady(org, func() []metav1.Condition { return org.Status.Conditions })).Should(Succeed())

		p := policyFrom("via-oauth", `{platform: MACOS, osVersion: {minimum: "14.4"}, orgRef: {kind: OktaOrg, name: service-app}}`)
		Expect(k8s.Create(ctx, p)).To(Succeed())
		Eventually(isReady(p, func() []metav1.Condition { return p.Status.Conditions })).Should(Succeed())
		got, err := admin().GetDeviceAssurance(ctx, p.Status.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.CreatedBy).To(Equal(oauthClientID), "the service app created it")
	})

	It("reports SecretForbidden for an OktaOrg whose namespace has not granted its Secrets, until it does", func() {
		const ns = "team-b"
		Expect(k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metaName(ns)})).To(Succeed())
		Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "okta-api-token"},
			StringData: map[string]string{"token": plantedToken}})).To(Succeed())
		org := &assurancev1alpha1.OktaOrg{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "tenant"}}
		org.Spec.URL, org.Spec.AllowInsecureHTTP = sim.URL, true
		org.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta-api-token", Key: "token"}}
		Expect(k8s.Create(ctx, org)).To(Succeed())

		var ready *metav1.Condition
		Eventually(func(g Gomega) string {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(org), org)).To(Succeed())
			ready = meta.FindStatusCondition(org.Status.Conditions, assurancev1alpha1.ConditionReady)
			g.Expect(ready).NotTo(BeNil())
			return string(ready.Status) + "/" + ready.Reason
		}).Should(Equal("False/SecretForbidden"))
		Expect(ready.Message).To(SatisfyAll(ContainSubstring("Secret team-b/okta-api-token"),
			ContainSubstring("RoleBinding in team-b"), ContainSubstring(orgclient.SecretReaderClusterRole),
			ContainSubstring(operatorUser), Not(ContainSubstring(plantedToken))))
		Expect(meta.IsStatusConditionTrue(org.Status.Conditions, assurancev1alpha1.ConditionStalled)).To(BeTrue())

		p := &assurancev1alpha1.DeviceAssurancePolicy{}
		p.Namespace, p.Name = ns, "tenant-policy"
		Expect(yaml.Unmarshal([]byte(`{platform: IOS, jailbreak: false, orgRef: {kind: OktaOrg, name: tenant}}`), &p.Spec)).To(Succeed())
		Expect(k8s.Create(ctx, p)).To(Succeed())
		Eventually(func(g Gomega) string {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(p), p)).To(Succeed())
			c := meta.FindStatusCondition(p.Status.Conditions, assurancev1alpha1.ConditionReady)
			g.Expect(c).NotTo(BeNil())
			return c.Reason
		}).Should(Equal("OrgNotReady"))

		By("binding secret-reader in the namespace: the next Secret recheck makes the org Ready, with no restart or edit")
		bindSecretReader(ns)
		Eventually(isReady(org, func() []metav1.Condition { return org.Status.Conditions })).Should(Succeed())
		Eventually(isReady(p, func() []metav1.Condition { return p.Status.Conditions })).Should(Succeed())

		Expect(k8s.Delete(ctx, p)).To(Succeed())
		Eventually(deleted(p)).Should(BeTrue())
	})

	It("holds a policy whose org does not exist yet, and proceeds once it does", func() {
		p := policyFrom("waits", `{platform: IOS, jailbreak: false, orgRef: {kind: ClusterOktaOrg, name: later}}`)
		Expect(k8s.Create(ctx, p)).To(Succeed())
		Eventually(func(g Gomega) string {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(p), p)).To(Succeed())
			c := meta.FindStatusCondition(p.Status.Conditions, assurancev1alpha1.ConditionReady)
			g.Expect(c).NotTo(BeNil())
			return c.Reason
		}).Should(Equal("OrgNotReady"))

		later := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metaName("later"), Spec: defaultOrg.Spec}
		Expect(k8s.Create(ctx, later)).To(Succeed())
		Eventually(isReady(p, func() []metav1.Condition { return p.Status.Conditions })).Should(Succeed())
	})

	It("keeps an org that is deleted together with its policies until they are gone from Okta", func() {
		later := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metaName("later")}
		p := policyFrom("waits", "{}")
		Expect(k8s.Get(ctx, client.ObjectKeyFromObject(p), p)).To(Succeed())
		id := p.Status.ID
		Expect(k8s.Delete(ctx, later)).To(Succeed()) // first, as a prune may do
		Expect(k8s.Delete(ctx, p)).To(Succeed())
		Eventually(deleted(p)).Should(BeTrue())
		Eventually(deleted(later)).Should(BeTrue())
		_, err := admin().GetDeviceAssurance(ctx, id)
		Expect(okta.IsNotFound(err)).To(BeTrue(), "the policy was deleted from Okta through the org before the org went")
	})

	It("picks up a rotated API token without a restart", func() {
		simOrg.SetAPITokens(rotatedToken) // the old token is revoked in Okta
		Eventually(func(g Gomega) string {
			g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(defaultOrg), defaultOrg)).To(Succeed())
			c := meta.FindStatusCondition(defaultOrg.Status.Conditions, assurancev1alpha1.ConditionReady)
			g.Expect(c).NotTo(BeNil())
			return string(c.Status) + "/" + c.Reason
		}).Should(Equal("False/Unauthorized"))

		secret := &corev1.Secret{}
		Expect(k8s.Get(ctx, client.ObjectKey{Namespace: operatorNamespace, Name: "okta-api-token"}, secret)).To(Succeed())
		secret.Data = map[string][]byte{"token": []byte(rotatedToken)}
		Expect(k8s.Update(ctx, secret)).To(Succeed())
		Eventually(isReady(defaultOrg, func() []metav1.Condition { return defaultOrg.Status.Conditions })).Should(Succeed())

		p := policyFrom("after-rotation", `{platform: IOS, jailbreak: false}`)
		Expect(k8s.Create(ctx, p)).To(Succeed())
		Eventually(isReady(p, func() []metav1.Condition { return p.Status.Conditions })).Should(Succeed())
		simOrg.SetAPITokens(plantedToken, rotatedToken) // for the admin client of later checks
	})

	It("never shows the API token in a log line, an event or a status", func() {
		Expect(logs.String()).NotTo(BeEmpty())
		Expect(logs.String()).NotTo(ContainSubstring(plantedToken))
		Expect(logs.String()).NotTo(ContainSubstring(rotatedToken))

		var events eventsv1.EventList
		Expect(k8s.List(ctx, &events)).To(Succeed())
		Expect(events.Items).NotTo(BeEmpty())
		raw, err := json.Marshal(events)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).NotTo(ContainSubstring(plantedToken))

		for _, list := range []client.ObjectList{&assurancev1alpha1.DeviceAssurancePolicyList{}, &assurancev1alpha1.OktaOrgList{}, &assurancev1alpha1.ClusterOktaOrgList{}} {
			Expect(k8s.List(ctx, list)).To(Succeed())
			raw, err := json.Marshal(list)
			Expect(err).NotTo(HaveOccurred())
			Expect(strings.Contains(string(raw), plantedToken)).To(BeFalse(), fmt.Sprintf("%T", list))
			Expect(strings.Contains(string(raw), rotatedToken)).To(BeFalse(), fmt.Sprintf("%T", list))
		}
	})
})
