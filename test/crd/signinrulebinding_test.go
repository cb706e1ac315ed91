package crd_test

import (
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// binding builds a SignInRuleBinding spec around a rule (YAML flow style).
func binding(rule string) string {
	return `{policy: {name: Okta Dashboard}, rule: ` + rule + `}`
}

const allow = `actions: {appSignOn: {access: ALLOW}}`

var _ = Describe("SignInRuleBinding admission", func() {
	It("accepts the guide's rule from config/samples, keeps every field and defaults status to ACTIVE", func() {
		raw, err := os.ReadFile(filepath.Join("..", "..", "config", "samples", "assurance_v1alpha1_signinrulebinding.yaml"))
		Expect(err).NotTo(HaveOccurred())
		obj := object("SignInRuleBinding", "{}")
		Expect(yamlInto(raw, &obj.Object)).To(Succeed())
		obj.SetNamespace(namespace)
		sent := specJSON(obj)
		Expect(admit(obj)).To(Succeed())
		sent.(map[string]any)["rule"].(map[string]any)["status"] = "ACTIVE" // the default
		Expect(specJSON(obj)).To(Equal(sent))
	})

	DescribeTable("accepts every form of rule Okta documents",
		func(spec string) {
			Expect(admit(object("SignInRuleBinding", spec))).To(Succeed())
		},
		oneLine,
		Entry(nil, `{policy: {id: rst7xus97faIAgmti1d7}, rule: {name: r, `+allow+`}}`),
		Entry(nil, binding(`{name: r, priority: 0, status: INACTIVE, conditions: {device: {registered: true, managed: false, assurance: {include: [{id: dae3m8o4rWhwReDeM1c5}, {name: ios}]}}}, `+allow+`}`)),
		Entry(nil, binding(`{name: r, conditions: {people: {users: {exclude: [00u1]}, groups: {include: [00g1]}}, network: {connection: ZONE, include: [nzo1]}, riskScore: {level: ANY}, userType: {include: [], exclude: []}, elCondition: {condition: 'device.provider.wsc.fireWall == "GOOD"'}}, `+allow+`}`)),
		Entry(nil, binding(`{name: r, conditions: {platform: {include: [{type: DESKTOP, os: {type: OTHER, expression: 'device.os == "x"'}}, {type: MOBILE, os: {type: IOS, version: {matchType: SEMVER, value: "17.0"}}}]}}, `+allow+`}`)),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, keepMeSignedIn: {postAuth: ALLOWED, postAuthPromptFrequency: P30D}, verificationMethod: {type: ASSURANCE, factorMode: 2FA, reauthenticateIn: PT0S, inactivityPeriod: PT1H, constraints: [{possession: {deviceBound: REQUIRED, phishingResistant: REQUIRED, userVerification: REQUIRED, userVerificationMethods: [BIOMETRICS]}}, {knowledge: {types: [PASSWORD], reauthenticateIn: PT12H}}]}}}}`)),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: AUTH_METHOD_CHAIN, chains: [{authenticationMethods: [{key: okta_password, method: password}], next: [{authenticationMethods: [{key: okta_verify, method: push}], next: [{authenticationMethods: [{key: phone_number, method: sms}]}]}], reauthenticateIn: PT43800H}]}}}}`)),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ID_PROOFING, id: 0oa1idv}}}}`)),
		// The empty constraint Okta holds for rules made with Terraform (R20).
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, constraints: [{}]}}}}`)),
	)

	It("refuses to move a binding to another org", func() {
		obj := object("SignInRuleBinding", `{orgRef: {kind: ClusterOktaOrg, name: staging}, policy: {name: p}, rule: {name: r, `+allow+`}}`)
		Expect(k8sClient.Create(ctx, obj)).To(Succeed())
		Expect(unstructuredSet(obj, "production", "spec", "orgRef", "name")).To(Succeed())
		err := k8sClient.Update(ctx, obj)
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(SatisfyAll(containAll("spec.orgRef:", "orgRef is immutable")...))
	})

	DescribeTable("refuses a rule Okta would reject or silently change, naming the field",
		func(spec string, fragments ...string) {
			err := admit(object("SignInRuleBinding", spec))
			Expect(err).To(HaveOccurred(), "accepted: %s", oneLine(spec))
			Expect(err.Error()).To(SatisfyAll(containAll(fragments...)...))
		},
		func(spec string, _ ...string) string { return oneLine(spec) },
		Entry(nil, `{policy: {}, rule: {name: r, `+allow+`}}`, "spec.policy:", "policy needs exactly one of id or name"),
		Entry(nil, `{policy: {id: rst1, name: x}, rule: {name: r, `+allow+`}}`, "spec.policy:", "policy needs exactly one of id or name"),
		Entry(nil, `{policy: {id: rst1}}`, "spec.rule: Required value"),
		Entry(nil, binding(`{name: r}`), "spec.rule.actions: Required value"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: MAYBE}}}`), "spec.rule.actions.appSignOn.access: Unsupported value"),
		Entry(nil, binding(`{name: r, priority: 100, `+allow+`}`), "spec.rule.priority", "less than or equal to 99"),
		Entry(nil, binding(`{name: r, conditions: {device: {managed: true}}, `+allow+`}`),
			"spec.rule.conditions.device.managed:", "managed: true requires registered: true"),
		Entry(nil, binding(`{name: r, conditions: {device: {managed: true, registered: false}}, `+allow+`}`),
			"spec.rule.conditions.device.managed:", "managed: true requires registered: true"),
		Entry(nil, binding(`{name: r, conditions: {device: {assurance: {include: [{name: a, id: dae1}]}}}, `+allow+`}`),
			"spec.rule.conditions.device.assurance.include[0]:", "exactly one of name or id"),
		Entry(nil, binding(`{name: r, conditions: {device: {assurance: {include: []}}}, `+allow+`}`),
			"spec.rule.conditions.device.assurance.include", "at least 1 items"),
		Entry(nil, binding(`{name: r, conditions: {network: {connection: ANYWHERE, include: [nzo1]}}, `+allow+`}`),
			"spec.rule.conditions.network:", "include and exclude need connection: ZONE"),
		Entry(nil, binding(`{name: r, conditions: {network: {connection: ZONE}}, `+allow+`}`),
			"spec.rule.conditions.network:", "connection: ZONE needs include or exclude"),
		Entry(nil, binding(`{name: r, conditions: {platform: {include: [{type: DESKTOP, os: {type: OTHER}}]}}, `+allow+`}`),
			"spec.rule.conditions.platform.include[0].os.expression:", "os.type OTHER needs expression"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, constraints: [{possession: {userVerificationMethods: [PIN]}}]}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod.constraints[0].possession.userVerificationMethods:", "needs userVerification: REQUIRED"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, constraints: [{knowledge: {types: [RETINA]}}]}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod.constraints[0].knowledge.types[0]: Unsupported value"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: AUTH_METHOD_CHAIN, factorMode: 2FA, chains: [{authenticationMethods: [{key: okta_verify}]}]}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod:", "factorMode, constraints and inactivityPeriod need type: ASSURANCE"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, chains: [{authenticationMethods: [{key: okta_verify}]}]}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod:", "chains needs type: AUTH_METHOD_CHAIN"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: AUTH_METHOD_CHAIN}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod:", "AUTH_METHOD_CHAIN needs chains"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ID_PROOFING}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod:", "id is required for, and only for, type: ID_PROOFING"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: AUTH_METHOD_CHAIN, reauthenticateIn: PT2H, chains: [{authenticationMethods: [{key: a}], next: [{authenticationMethods: [{key: b}], reauthenticateIn: PT1H}]}]}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod:", "set reauthenticateIn on verificationMethod or on its chains, not both"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: AUTH_METHOD_CHAIN, chains: [`+strings.Repeat(`{authenticationMethods: [{key: a}]},`, 6)+`]}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod.chains: Too many", "at most 5 items"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: AUTH_METHOD_CHAIN, chains: [{authenticationMethods: [{key: a}], next: [{authenticationMethods: [{key: b}], next: [{authenticationMethods: [{key: c}], next: [{authenticationMethods: [{key: d}]}]}]}]}]}}}}`),
			`unknown field "spec.rule.actions.appSignOn.verificationMethod.chains[0].next[0].next[0].next"`),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, reauthenticateIn: 2 hours}}}}`),
			"spec.rule.actions.appSignOn.verificationMethod.reauthenticateIn:", "must be an ISO-8601 duration"),
		Entry(nil, binding(`{name: r, actions: {appSignOn: {access: ALLOW, keepMeSignedIn: {postAuth: ALLOWED, postAuthPromptFrequency: P30}}}}`),
			"spec.rule.actions.appSignOn.keepMeSignedIn.postAuthPromptFrequency:", "must be an ISO-8601 duration"),
		Entry(nil, binding(`{name: r, conditions: {riskScore: {level: EXTREME}}, `+allow+`}`), "spec.rule.conditions.riskScore.level: Unsupported value"),
		Entry(nil, `{policy: {name: p}, rule: {name: r, `+allow+`}, adopt: {}}`, "spec.adopt:", "adopt needs exactly one of id or byName"),
	)
})
