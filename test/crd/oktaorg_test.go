package crd_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

const apiToken = `apiToken: {secretRef: {name: okta, key: token}}`

var _ = Describe("OktaOrg and ClusterOktaOrg admission", func() {
	for _, kind := range []string{"OktaOrg", "ClusterOktaOrg"} {
		DescribeTable(kind+" accepts a well-formed connection",
			func(spec string) {
				obj := object(kind, spec)
				Expect(admit(obj)).To(Succeed())
			},
			oneLine,
			Entry(nil, `{url: "https://example.okta.com", `+apiToken+`}`),
			Entry(nil, `{url: "https://example.okta.com/", `+apiToken+`}`),
			Entry(nil, `{url: "https://example.okta.com", oauth: {clientID: 0oa1, privateKeySecretRef: {name: app, key: key.pem}, keyID: k1, scopes: [okta.deviceAssurance.manage, okta.policies.manage, okta.logs.read]}}`),
			Entry(nil, `{url: "http://127.0.0.1:8443", allowInsecureHTTP: true, `+apiToken+`}`),
			Entry(nil, `{url: "https://localhost:8443", insecureSkipTLSVerify: true, `+apiToken+`}`),
			Entry(nil, `{url: "https://okta.internal", caBundle: "-----BEGIN CERTIFICATE-----", `+apiToken+`}`),
		)

		DescribeTable(kind+" refuses a connection that cannot work, naming the field",
			func(spec string, fragments ...string) {
				err := admit(object(kind, spec))
				Expect(err).To(HaveOccurred(), "accepted: %s", oneLine(spec))
				Expect(err.Error()).To(SatisfyAll(containAll(fragments...)...))
			},
			func(spec string, _ ...string) string { return oneLine(spec) },
			Entry(nil, `{`+apiToken+`}`, "spec.url: Required value"),
			Entry(nil, `{url: "https://example.okta.com"}`, "spec:", "set exactly one of apiToken or oauth"),
			Entry(nil, `{url: "https://example.okta.com", `+apiToken+`, oauth: {clientID: a, privateKeySecretRef: {name: b, key: c}}}`,
				"spec:", "set exactly one of apiToken or oauth"),
			Entry(nil, `{url: "http://example.okta.com", `+apiToken+`}`, "spec.url:", "url must use https; plain http needs allowInsecureHTTP"),
			Entry(nil, `{url: "example.okta.com", `+apiToken+`}`, "spec.url:", "must be an absolute URL"),
			Entry(nil, `{url: "https://example.okta.com/api/v1", `+apiToken+`}`, "spec.url:", "no path or query"),
			Entry(nil, `{url: "https://example.okta.com", caBundle: x, insecureSkipTLSVerify: true, `+apiToken+`}`,
				"spec:", "caBundle and insecureSkipTLSVerify cannot both be set"),
			Entry(nil, `{url: "https://example.okta.com", apiToken: {secretRef: {name: okta}}}`, "spec.apiToken.secretRef.key: Required value"),
			Entry(nil, `{url: "https://example.okta.com", apiToken: {secretRef: {name: okta, key: "a/b"}}}`, "spec.apiToken.secretRef.key", "should match"),
			Entry(nil, `{url: "https://example.okta.com", oauth: {privateKeySecretRef: {name: b, key: c}}}`, "spec.oauth.clientID: Required value"),
			Entry(nil, `{url: "https://example.okta.com", oauth: {clientID: a, privateKeySecretRef: {name: b, key: c}, scopes: [deviceAssurance]}}`,
				"spec.oauth.scopes[0]", "should match"),
			Entry(nil, `{url: "https://example.okta.com", `+apiToken+`, capacityPercent: 0}`, "spec.capacityPercent", "greater than or equal to 1"),
			Entry(nil, `{url: "https://example.okta.com", `+apiToken+`, capacityPercent: 101}`, "spec.capacityPercent", "less than or equal to 100"),
			Entry(nil, `{url: "https://example.okta.com", `+apiToken+`, driftDetection: {pollInterval: 5s}}`,
				"spec.driftDetection.pollInterval", "pollInterval must be at least 10s"),
			Entry(nil, `{url: "https://example.okta.com", `+apiToken+`, driftDetection: {mode: Webhook}}`,
				"spec.driftDetection.mode: Unsupported value"),
		)
	}

	It("defaults the capacity to half of each rate limit", func() {
		obj := object("OktaOrg", `{url: "https://example.okta.com", `+apiToken+`}`)
		Expect(admit(obj)).To(Succeed())
		Expect(obj.Object["spec"]).To(HaveKeyWithValue("capacityPercent", BeNumerically("==", 50)))
	})

	It("defaults drift detection to the System Log when the block is given", func() {
		obj := object("OktaOrg", `{url: "https://example.okta.com", `+apiToken+`, driftDetection: {pollInterval: 30s}}`)
		Expect(admit(obj)).To(Succeed())
		Expect(obj.Object["spec"]).To(HaveKeyWithValue("driftDetection", HaveKeyWithValue("mode", "SystemLog")))
	})

	It("accepts tenants on a ClusterOktaOrg, and refuses them on a namespaced OktaOrg, which cannot grant rights", func() {
		tenants := `tenants: [{name: payments, namespaceSelector: {matchLabels: {team: payments}}, signInPolicies: [{name: Payments App}, {id: rst1}],
			rulePriorities: {min: 10, max: 19}, allowAdoption: true, maxObjects: {deviceAssurancePolicies: 20}}]`
		Expect(admit(object("ClusterOktaOrg", `{url: "https://example.okta.com", `+apiToken+`, `+tenants+`}`))).To(Succeed())
		err := admit(object("OktaOrg", `{url: "https://example.okta.com", `+apiToken+`, `+tenants+`}`))
		Expect(err).To(MatchError(ContainSubstring(`unknown field "spec.tenants"`)))
	})

	DescribeTable("refuses a malformed tenants entry, naming the field",
		func(tenant string, fragments ...string) {
			err := admit(object("ClusterOktaOrg", `{url: "https://example.okta.com", `+apiToken+`, tenants: [`+tenant+`]}`))
			Expect(err).To(HaveOccurred(), "accepted: %s", tenant)
			Expect(err.Error()).To(SatisfyAll(containAll(fragments...)...))
		},
		func(tenant string, _ ...string) string { return oneLine(tenant) },
		Entry(nil, `{namespaceSelector: {}}`, "spec.tenants[0].name: Required value"),
		Entry(nil, `{name: payments}`, "spec.tenants[0].namespaceSelector: Required value"),
		Entry(nil, `{name: Payments, namespaceSelector: {}}`, "spec.tenants[0].name", "should match"),
		Entry(nil, `{name: p, namespaceSelector: {}, rulePriorities: {min: 20, max: 10}}`,
			"spec.tenants[0].rulePriorities", "rulePriorities.min must not be greater than rulePriorities.max"),
		Entry(nil, `{name: p, namespaceSelector: {}, rulePriorities: {min: 0, max: 100}}`, "spec.tenants[0].rulePriorities.max", "less than or equal to 99"),
		Entry(nil, `{name: p, namespaceSelector: {}, maxObjects: {signInRuleBindings: -1}}`, "spec.tenants[0].maxObjects.signInRuleBindings", "greater than or equal to 0"),
		Entry(nil, `{name: p, namespaceSelector: {}, signInPolicies: [{}]}`, "spec.tenants[0].signInPolicies[0]", "policy needs exactly one of id or name"),
	)

	It("refuses a namespaceSelector on a namespaced OktaOrg", func() {
		err := admit(object("OktaOrg", `{url: "https://example.okta.com", `+apiToken+`, namespaceSelector: {matchLabels: {a: b}}}`))
		Expect(err).To(MatchError(ContainSubstring(`unknown field "spec.namespaceSelector"`)))
	})
})
