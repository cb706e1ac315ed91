package oktaorg_test

import (
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kstatus "sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// Every credential the suite plants; none may appear in a status, an
// event or a log line.
const (
	plantedToken = "00PLANTED-token-value-must-never-leak-000001"
	wrongToken   = "00WRONG-token-value-must-never-leak-0000002"
	oldToken     = "00OLD-rotated-token-must-never-leak-0000003"
	newToken     = "00NEW-rotated-token-must-never-leak-0000004"
)

var plantedSecrets = []string{plantedToken, wrongToken, oldToken, newToken}

var _ = Describe("OktaOrg and ClusterOktaOrg", Ordered, func() {
	var shared *sim

	BeforeAll(func() {
		shared = newSim(oktasim.Options{APITokens: []string{plantedToken}})
	})

	It("makes an OktaOrg with an API token Ready and reports its rate limits", func() {
		createNamespace("token-ok", nil)
		createSecret("token-ok", "okta", "token", plantedToken)
		org := createOktaOrg("token-ok", "org", tokenSpec(shared.URL, "okta"))

		Eventually(readyReason(org)).Should(Equal("True"))
		status := statusOf(org)(Default)
		Expect(condition(status, v1alpha1.ConditionReady).Reason).To(Equal("Connected"))
		Expect(condition(status, v1alpha1.ConditionReconciling)).To(BeNil())
		Expect(condition(status, v1alpha1.ConditionStalled)).To(BeNil())
		Expect(status.GrantedScopes).To(BeEmpty(), "an API token has no OAuth scopes")
		Expect(kstatusOf(org)(Default)).To(Equal(kstatus.CurrentStatus))
		Expect(requestCount(shared, "GET", "/api/v1/device-assurances", 200)).To(Equal(1), "one check is one request")
		Expect(status.RateLimits).To(ContainElement(SatisfyAll(
			HaveField("Bucket", "device-assurances"), HaveField("Limit", BeNumerically(">", 0)), HaveField("Reset", Not(BeNil())))))

		By("resolving it from its namespace")
		api, err := resolver.Resolve(ctx, "token-ok", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "org"})
		Expect(err).NotTo(HaveOccurred())
		Expect(api.ListDeviceAssurances(ctx)).To(BeEmpty())

		By("recording a Ready event")
		Eventually(func(g Gomega) []eventsv1.Event {
			var list eventsv1.EventList
			g.Expect(k8sClient.List(ctx, &list)).To(Succeed())
			return list.Items
		}).Should(ContainElement(SatisfyAll(
			HaveField("Regarding.Name", "org"), HaveField("Regarding.Namespace", "token-ok"),
			HaveField("Type", corev1.EventTypeNormal), HaveField("Reason", "Connected"))))
	})

	It("reports a wrong token as Unauthorized and Stalled, naming the Secret", func() {
		createNamespace("token-wrong", nil)
		createSecret("token-wrong", "okta", "token", wrongToken)
		org := createOktaOrg("token-wrong", "org", tokenSpec(shared.URL, "okta"))

		Eventually(readyReason(org)).Should(Equal("Unauthorized"))
		status := statusOf(org)(Default)
		ready := condition(status, v1alpha1.ConditionReady)
		Expect(ready.Message).To(ContainSubstring(`Secret token-wrong/okta key "token"`))
		Expect(ready.Message).To(ContainSubstring("E0000011"))
		Expect(ready.Message).To(ContainSubstring("requestId"))
		Expect(condition(status, v1alpha1.ConditionStalled)).To(HaveField("Status", metav1.ConditionTrue))
		Expect(condition(status, v1alpha1.ConditionReconciling)).To(BeNil())
		Expect(kstatusOf(org)(Default)).To(Equal(kstatus.FailedStatus))

		_, err := resolver.Resolve(ctx, "token-wrong", &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "org"})
		Expect(orgclient.IsNotReady(err)).To(BeTrue())
	})

	It("re-checks an OktaOrg whose Secret is missing, which it does not watch, and sees a deleted Secret at the next check", func() {
		createNamespace("token-later", nil)
		org := createOktaOrg("token-later", "org", tokenSpec(shared.URL, "okta"))
		ref := &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "org"}

		Eventually(readyReason(org)).Should(Equal("SecretNotFound"))
		status := statusOf(org)(Default)
		Expect(condition(status, v1alpha1.ConditionReady).Message).To(Equal("Secret token-later/okta not found"))
		Expect(condition(status, v1alpha1.ConditionStalled)).To(HaveField("Status", metav1.ConditionTrue))

		By("creating the Secret: the periodic Secret recheck (1s here) finds it")
		secret := createSecret("token-later", "okta", "token", plantedToken)
		Eventually(readyReason(org)).WithTimeout(5 * time.Second).Should(Equal("True"))

		By("the manager's cache holds no Secret of a tenant namespace")
		err := managerCache.Get(ctx, client.ObjectKeyFromObject(secret), &corev1.Secret{})
		Expect(err).To(HaveOccurred())
		Expect(apierrors.IsNotFound(err)).To(BeFalse(), "a cache of that namespace would say NotFound: %v", err)

		By("deleting the Secret: resolving sees it at once (a direct read), the org at its next check")
		Expect(k8sClient.Delete(ctx, secret)).To(Succeed())
		Eventually(func() string {
			_, err := resolver.Resolve(ctx, "token-later", ref)
			var nr *orgclient.NotReadyError
			if errors.As(err, &nr) {
				return nr.Reason
			}
			return fmt.Sprint(err)
		}).Should(Equal(orgclient.ReasonSecretNotFound))
		Expect(readyReason(org)(Default)).To(Equal("True"), "no watch on tenant Secrets: the org learns it at its next check")
		forceCheck(org, "1")
		Eventually(readyReason(org)).Should(Equal("SecretNotFound"))
	})

	It("watches a ClusterOktaOrg's Secret in the operator's namespace: reacts at once to its creation and deletion", func() {
		org := &v1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: "watched"},
			Spec: v1alpha1.ClusterOktaOrgSpec{OktaOrgSpec: tokenSpec(shared.URL, "watched-okta")}}
		Expect(k8sClient.Create(ctx, org)).To(Succeed())
		Eventually(readyReason(org)).Should(Equal("SecretNotFound"))

		// No periodic recheck for a ClusterOktaOrg (Stalled, 5 minute
		// check interval): only the Secret watch can make it Ready here.
		secret := createSecret(operatorNamespace, "watched-okta", "token", plantedToken)
		Eventually(readyReason(org)).Should(Equal("True"))
		Eventually(func() error { return managerCache.Get(ctx, client.ObjectKeyFromObject(secret), &corev1.Secret{}) }).Should(Succeed())

		Expect(k8sClient.Delete(ctx, secret)).To(Succeed())
		Eventually(readyReason(org)).Should(Equal("SecretNotFound"))
	})

	It("picks up a rotated token without a restart", func() {
		rotating := newSim(oktasim.Options{APITokens: []string{oldToken}})
		createNamespace("token-rotate", nil)
		secret := createSecret("token-rotate", "okta", "token", oldToken)
		org := createOktaOrg("token-rotate", "org", tokenSpec(rotating.URL, "okta"))
		ref := &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "org"}
		Eventually(readyReason(org)).Should(Equal("True"))

		By("revoking the old token in Okta: the next check fails")
		rotating.org.SetAPITokens(newToken)
		forceCheck(org, "1")
		Eventually(readyReason(org)).Should(Equal("Unauthorized"))

		By("rotating the Secret: the next check (forced here, else every check interval) is Ready again, and resolved clients use the new token")
		updateSecret(secret, "token", newToken)
		forceCheck(org, "2")
		Eventually(readyReason(org)).Should(Equal("True"))
		Eventually(func(g Gomega) {
			api, err := resolver.Resolve(ctx, "token-rotate", ref)
			g.Expect(err).NotTo(HaveOccurred())
			_, err = api.ListDeviceAssurances(ctx)
			g.Expect(err).NotTo(HaveOccurred())
		}).Should(Succeed())
	})

	It("reads a ClusterOktaOrg's Secret from the cluster resource namespace and honours its namespaceSelector", func() {
		createNamespace("selected", map[string]string{"okta-access": "granted"})
		createNamespace("not-selected", nil)
		// A Secret of the same name elsewhere must not be used.
		createSecret("selected", "cluster-okta", "token", wrongToken)
		createSecret(operatorNamespace, "cluster-okta", "token", plantedToken)
		org := &v1alpha1.ClusterOktaOrg{
			ObjectMeta: metav1.ObjectMeta{Name: "selective"},
			Spec: v1alpha1.ClusterOktaOrgSpec{OktaOrgSpec: tokenSpec(shared.URL, "cluster-okta"),
				NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"okta-access": "granted"}}},
		}
		Expect(k8sClient.Create(ctx, org)).To(Succeed())
		Eventually(readyReason(org)).Should(Equal("True"))

		ref := &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindClusterOktaOrg, Name: "selective"}
		Eventually(func() error {
			_, err := resolver.Resolve(ctx, "selected", ref)
			return err
		}).Should(Succeed())
		_, err := resolver.Resolve(ctx, "not-selected", ref)
		var notReady *orgclient.NotReadyError
		Expect(err).To(BeAssignableToTypeOf(notReady))
		Expect(err).To(HaveField("Reason", orgclient.ReasonNamespaceNotSelected))

		By("the nil orgRef meaning the ClusterOktaOrg named default, which does not exist")
		_, err = resolver.Resolve(ctx, "selected", nil)
		Expect(err).To(HaveField("Reason", orgclient.ReasonOrgNotFound))
	})

	It("authenticates with OAuth private_key_jwt end to end", func() {
		key, keyPEM := ecKey()
		oauthSim := newSim(oktasim.Options{OAuthClients: []oktasim.OAuthClient{{
			ClientID: "0oaoperator", PublicKeys: []jose.JSONWebKey{oktasim.NewPublicKey(&key.PublicKey, "kid-1")},
			Scopes: []string{"okta.deviceAssurance.manage", "okta.policies.manage", "okta.logs.read"},
		}}})
		createSecret(operatorNamespace, "oauth-key", "key.pem", keyPEM)
		org := &v1alpha1.ClusterOktaOrg{
			ObjectMeta: metav1.ObjectMeta{Name: "oauth"},
			Spec: v1alpha1.ClusterOktaOrgSpec{OktaOrgSpec: v1alpha1.OktaOrgSpec{URL: oauthSim.URL, AllowInsecureHTTP: true,
				OAuth: &v1alpha1.OAuthAuth{ClientID: "0oaoperator", KeyID: "kid-1",
					PrivateKeySecretRef: v1alpha1.SecretKeyReference{Name: "oauth-key", Key: "key.pem"}}}},
		}
		Expect(k8sClient.Create(ctx, org)).To(Succeed())

		Eventually(readyReason(org)).Should(Equal("True"))
		status := statusOf(org)(Default)
		Expect(status.GrantedScopes).To(ConsistOf(
			v1alpha1.OAuthScope("okta.deviceAssurance.manage"), v1alpha1.OAuthScope("okta.policies.manage"), v1alpha1.OAuthScope("okta.logs.read")))
		Expect(status.RateLimits).To(ContainElement(HaveField("Bucket", "token")))
		By("the default scope the app was not granted leaves posture checks unavailable, and only them")
		Expect(status.Capabilities).To(ConsistOf(
			v1alpha1.OrgCapability{Name: v1alpha1.CapabilityDeviceAssurancePolicy, Available: true},
			v1alpha1.OrgCapability{Name: v1alpha1.CapabilitySignInRuleBinding, Available: true},
			v1alpha1.OrgCapability{Name: v1alpha1.CapabilityDriftDetection, Available: true},
			SatisfyAll(HaveField("Name", v1alpha1.CapabilityDevicePostureCheck), HaveField("Available", false),
				HaveField("MissingScope", v1alpha1.OAuthScope("okta.devicePostureChecks.manage")),
				HaveField("Message", ContainSubstring("ClusterOktaOrg oauth was not granted okta.devicePostureChecks.manage, which DevicePostureCheck needs"))),
		))
		Expect(requestCount(oauthSim, "POST", "/oauth2/v1/token", 400)).To(BeNumerically(">=", 1), "the default scopes were asked for first")

		By("a key the app does not know is refused")
		_, otherPEM := ecKey()
		createSecret(operatorNamespace, "other-key", "key.pem", otherPEM)
		org.Spec.OAuth.PrivateKeySecretRef.Name = "other-key"
		Expect(k8sClient.Update(ctx, org)).To(Succeed())
		Eventually(readyReason(org)).Should(Equal("Unauthorized"))
		Expect(statusOf(org)(Default).GrantedScopes).To(BeEmpty())

		plantedSecrets = append(plantedSecrets, pemBody(keyPEM), pemBody(otherPEM))
	})

	It("authenticates with an RS256 key to an app that requires DPoP, from an OktaOrg with explicit scopes", func() {
		key, keyPEM := rsaKey()
		dpopSim := newSim(oktasim.Options{OAuthClients: []oktasim.OAuthClient{{
			ClientID: "0oadpop", PublicKeys: []jose.JSONWebKey{oktasim.NewPublicKey(&key.PublicKey, "")},
			Scopes: []string{"okta.deviceAssurance.read"}, RequireDPoP: true,
		}}})
		createNamespace("dpop", nil)
		createSecret("dpop", "oauth-key", "key.pem", keyPEM)
		org := createOktaOrg("dpop", "org", v1alpha1.OktaOrgSpec{URL: dpopSim.URL, AllowInsecureHTTP: true,
			OAuth: &v1alpha1.OAuthAuth{ClientID: "0oadpop", Scopes: []v1alpha1.OAuthScope{"okta.deviceAssurance.read"},
				PrivateKeySecretRef: v1alpha1.SecretKeyReference{Name: "oauth-key", Key: "key.pem"}}})

		Eventually(readyReason(org)).Should(Equal("True"))
		status := statusOf(org)(Default)
		Expect(status.GrantedScopes).To(ConsistOf(v1alpha1.OAuthScope("okta.deviceAssurance.read")))
		Expect(status.Capabilities).To(ContainElement(SatisfyAll(HaveField("Name", v1alpha1.CapabilityDeviceAssurancePolicy),
			HaveField("Available", false), HaveField("Message", HavePrefix("spec.oauth.scopes of OktaOrg dpop/org does not list okta.deviceAssurance.manage")))))
		plantedSecrets = append(plantedSecrets, pemBody(keyPEM))
	})

	It("is not Ready, with reason MissingScope, when the app was not granted okta.deviceAssurance.manage", func() {
		key, keyPEM := ecKey()
		noDA := newSim(oktasim.Options{OAuthClients: []oktasim.OAuthClient{{
			ClientID: "0oanoda", PublicKeys: []jose.JSONWebKey{oktasim.NewPublicKey(&key.PublicKey, "")},
			Scopes: []string{"okta.policies.manage", "okta.logs.read"},
		}}})
		createNamespace("no-da", nil)
		createSecret("no-da", "oauth-key", "key.pem", keyPEM)
		org := createOktaOrg("no-da", "org", v1alpha1.OktaOrgSpec{URL: noDA.URL, AllowInsecureHTTP: true,
			OAuth: &v1alpha1.OAuthAuth{ClientID: "0oanoda", PrivateKeySecretRef: v1alpha1.SecretKeyReference{Name: "oauth-key", Key: "key.pem"}}})

		Eventually(readyReason(org)).Should(Equal(orgclient.ReasonMissingScope))
		status := statusOf(org)(Default)
		Expect(condition(status, v1alpha1.ConditionReady).Message).To(HavePrefix(
			"OktaOrg no-da/org was not granted okta.deviceAssurance.manage, which the operator needs for every kind"))
		Expect(condition(status, v1alpha1.ConditionStalled)).To(HaveField("Status", metav1.ConditionTrue))
		Expect(status.Capabilities).To(BeEmpty())
		plantedSecrets = append(plantedSecrets, pemBody(keyPEM))
	})

	It("reports a Secret that holds no private key as InvalidPrivateKey", func() {
		createNamespace("badkey", nil)
		createSecret("badkey", "oauth-key", "key.pem", plantedToken)
		org := createOktaOrg("badkey", "org", v1alpha1.OktaOrgSpec{URL: shared.URL, AllowInsecureHTTP: true,
			OAuth: &v1alpha1.OAuthAuth{ClientID: "0oa1", PrivateKeySecretRef: v1alpha1.SecretKeyReference{Name: "oauth-key", Key: "key.pem"}}})

		Eventually(readyReason(org)).Should(Equal("InvalidPrivateKey"))
		Expect(condition(statusOf(org)(Default), v1alpha1.ConditionReady).Message).To(ContainSubstring(`Secret badkey/oauth-key key "key.pem"`))
	})

	It("trusts caBundle, and only caBundle, for an https org", func() {
		tlsSim := newTLSSim(oktasim.Options{APITokens: []string{plantedToken}})
		caBundle := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSim.Certificate().Raw}))
		createNamespace("tls", nil)
		createSecret("tls", "okta", "token", plantedToken)

		spec := tokenSpec(tlsSim.URL, "okta")
		spec.AllowInsecureHTTP = false
		spec.CABundle = caBundle
		trusted := createOktaOrg("tls", "trusted", spec)
		Eventually(readyReason(trusted)).Should(Equal("True"))

		spec.CABundle = ""
		untrusted := createOktaOrg("tls", "untrusted", spec)
		Eventually(readyReason(untrusted)).Should(Equal("Unreachable"))
		status := statusOf(untrusted)(Default)
		Expect(condition(status, v1alpha1.ConditionReady).Message).To(ContainSubstring("certificate"))
		Expect(condition(status, v1alpha1.ConditionReconciling)).To(HaveField("Status", metav1.ConditionTrue))
		Expect(kstatusOf(untrusted)(Default)).To(Equal(kstatus.InProgressStatus))
	})

	It("never shows a credential in a status, an event or a log line", func() {
		var orgs v1alpha1.OktaOrgList
		Expect(k8sClient.List(ctx, &orgs)).To(Succeed())
		var clusterOrgs v1alpha1.ClusterOktaOrgList
		Expect(k8sClient.List(ctx, &clusterOrgs)).To(Succeed())
		var events eventsv1.EventList
		Expect(k8sClient.List(ctx, &events)).To(Succeed())
		Expect(events.Items).NotTo(BeEmpty())
		dump, err := json.Marshal([]any{orgs, clusterOrgs, events})
		Expect(err).NotTo(HaveOccurred())
		output := logs.String()
		Expect(output).To(ContainSubstring("Ready changed"), "the log capture works")

		for _, secret := range plantedSecrets {
			Expect(string(dump)).NotTo(ContainSubstring(secret))
			Expect(output).NotTo(ContainSubstring(secret))
		}
	})
})

// pemBody is a stretch of the base64 body of a PEM key.
func pemBody(keyPEM string) string {
	lines := strings.Split(keyPEM, "\n")
	return lines[2]
}
