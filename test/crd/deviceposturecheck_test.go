package crd_test

import (
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

const firewallCheck = `variableName: macOSFirewall, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;"`

var _ = Describe("DevicePostureCheck admission", func() {
	It("accepts the guide's firewall check from config/samples and keeps every field", func() {
		raw, err := os.ReadFile(filepath.Join("..", "..", "config", "samples", "assurance_v1alpha1_deviceposturecheck.yaml"))
		Expect(err).NotTo(HaveOccurred())
		obj := object("DevicePostureCheck", "{}")
		Expect(yamlInto(raw, &obj.Object)).To(Succeed())
		obj.SetNamespace(namespace)
		sent := specJSON(obj)
		Expect(admit(obj)).To(Succeed())
		Expect(specJSON(obj)).To(Equal(sent))
	})

	DescribeTable("refuses a check Okta would reject, naming the field",
		func(spec string, fragments ...string) {
			err := admit(object("DevicePostureCheck", spec))
			Expect(err).To(HaveOccurred(), "accepted: %s", oneLine(spec))
			Expect(err.Error()).To(SatisfyAll(containAll(fragments...)...))
		},
		func(spec string, _ ...string) string { return oneLine(spec) },
		Entry(nil, `{platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;"}`, "spec.variableName: Required value"),
		Entry(nil, `{variableName: "mac firewall", platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1;"}`, "spec.variableName", "should match"),
		Entry(nil, `{variableName: fw, platform: IOS, mappingType: CHECKBOX, query: "SELECT 1;"}`, "spec.platform: Unsupported value"),
		Entry(nil, `{variableName: fw, platform: MACOS, mappingType: RADIO, query: "SELECT 1;"}`, "spec.mappingType: Unsupported value"),
		Entry(nil, `{variableName: fw, platform: MACOS, mappingType: CHECKBOX, query: "SELECT 1"}`,
			"spec.query:", "query must be one osquery statement ending with a semicolon"),
		Entry(nil, `{`+firewallCheck+`, remediationSettings: {message: {}}}`, "spec.remediationSettings.message.customText: Required value"),
		Entry(nil, `{`+firewallCheck+`, remediationSettings: {link: {customUrl: "javascript:alert(1)"}}}`,
			"spec.remediationSettings.link.customUrl", "customUrl must be an https URL with a host"),
		Entry(nil, `{`+firewallCheck+`, remediationSettings: {link: {customUrl: "http://intranet.example.com/firewall"}}}`,
			"spec.remediationSettings.link.customUrl", "customUrl must be an https URL with a host"),
		Entry(nil, `{`+firewallCheck+`, remediationSettings: {link: {customUrl: "intranet.example.com/firewall"}}}`,
			"spec.remediationSettings.link.customUrl", "customUrl must be an https URL with a host"),
		Entry(nil, `{`+firewallCheck+`, remediationSettings: {link: {customUrl: "https:///firewall"}}}`,
			"spec.remediationSettings.link.customUrl", "customUrl must be an https URL with a host"),
		Entry(nil, `{`+firewallCheck+`, adopt: {}}`, "spec.adopt:", "adopt needs exactly one of id or byVariableName: true"),
		Entry(nil, `{`+firewallCheck+`, adopt: {byVariableName: false}}`, "spec.adopt:", "adopt needs exactly one of id or byVariableName: true"),
		Entry(nil, `{`+firewallCheck+`, adopt: {id: dch3m8o4rWhwReDeM1c5, byVariableName: true}}`,
			"spec.adopt:", "adopt needs exactly one of id or byVariableName: true"),
		Entry(nil, `{`+firewallCheck+`, adopt: {id: "dch-3m8o4r"}}`, "spec.adopt.id", "should match"),
		Entry(nil, `{`+firewallCheck+`, adopt: {id: ""}}`, "spec.adopt.id", "at least 1 chars long"),
	)

	It("accepts adopting a check by id or by variableName, and keeps spec.adopt", func() {
		for _, adopt := range []string{`{id: dch3m8o4rWhwReDeM1c5}`, `{byVariableName: true}`} {
			obj := object("DevicePostureCheck", `{`+firewallCheck+`, adopt: `+adopt+`}`)
			sent := specJSON(obj)
			Expect(admit(obj)).To(Succeed(), adopt)
			Expect(specJSON(obj)).To(Equal(sent))
		}
	})

	It("refuses to change the variableName or the platform", func() {
		obj := object("DevicePostureCheck", `{`+firewallCheck+`}`)
		Expect(k8sClient.Create(ctx, obj)).To(Succeed())
		renamed := obj.DeepCopy()
		Expect(unstructuredSet(renamed, "macOSFirewall2", "spec", "variableName")).To(Succeed())
		err := k8sClient.Update(ctx, renamed)
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(SatisfyAll(containAll("spec.variableName:", "variableName is immutable")...))
		moved := obj.DeepCopy()
		Expect(unstructuredSet(moved, "WINDOWS", "spec", "platform")).To(Succeed())
		err = k8sClient.Update(ctx, moved)
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(SatisfyAll(containAll("spec.platform:", "platform is immutable")...))
	})
})
