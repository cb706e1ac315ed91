package crd_test

import (
	"io"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

var _ = Describe("DeviceAssurancePolicy admission", func() {
	Describe("every body Okta documents or a real org accepted", func() {
		bodies, err := fixtures.DeviceAssuranceBodies()
		if err != nil {
			Fail(err.Error())
		}
		for _, b := range bodies {
			if !b.Accepted {
				continue
			}
			It("accepts "+b.Name+" and keeps every field", func() {
				obj := policy(string(b.Body))
				sent := specJSON(obj)
				Expect(admit(obj)).To(Succeed(), "source: %s", b.Source)
				Expect(specJSON(obj)).To(Equal(sent), "the API server changed or dropped fields")
			})
		}
	})

	Describe("bodies Okta refuses", func() {
		refusals := map[string][]string{
			// A real org answers 400 "Please select at least one device condition before saving".
			"pysdk-004-POST-da-create-chromeos-400": {"spec.thirdPartySignalProviders:", "a CHROMEOS policy needs at least one condition"},
			// Okta's own example has keys with a stray quote.
			"spec-009-POST-da-create-macoswithdevicetrustconnectorthirdpartysignalproviders": {`unknown field "spec.thirdPartySignalProviders.dtc.deviceEnrollmentDomain""`},
		}
		bodies, err := fixtures.DeviceAssuranceBodies()
		if err != nil {
			Fail(err.Error())
		}
		for _, b := range bodies {
			if b.Accepted {
				continue
			}
			It("refuses "+b.Name, func() {
				want, ok := refusals[b.Name]
				Expect(ok).To(BeTrue(), "add the expected error of %s to this test", b.Name)
				err := admit(policy(string(b.Body)))
				Expect(err).To(HaveOccurred())
				Expect(err.Error()).To(SatisfyAll(containAll(want...)...))
			})
		}
	})

	It("accepts every sample in config/samples and keeps every field", func() {
		files, err := filepath.Glob(filepath.Join("..", "..", "config", "samples", "assurance_v1alpha1_deviceassurancepolicy_*.yaml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(files).To(HaveLen(5), "one sample per platform")
		for _, f := range files {
			raw, err := os.ReadFile(f)
			Expect(err).NotTo(HaveOccurred())
			obj := policy("{}")
			Expect(yamlInto(raw, &obj.Object)).To(Succeed())
			obj.SetNamespace(namespace)
			sent := specJSON(obj)
			Expect(admit(obj)).To(Succeed(), f)
			Expect(specJSON(obj)).To(Equal(sent), f)
		}
	})

	DescribeTable("refuses a policy that Okta would reject or misread, naming the field",
		func(spec string, fragments ...string) {
			err := admit(policy(spec))
			Expect(err).To(HaveOccurred(), "accepted: %s", oneLine(spec))
			Expect(err.Error()).To(SatisfyAll(containAll(fragments...)...))
		},
		func(spec string, _ ...string) string { return oneLine(spec) },

		// Required and enumerated fields.
		Entry(nil, `{name: x}`, "spec.platform: Required value"),
		Entry(nil, `{platform: LINUX}`, "spec.platform: Unsupported value", `"LINUX"`),
		Entry(nil, `{platform: IOS, displayRemediationMode: show}`, "spec.displayRemediationMode: Unsupported value"),
		Entry(nil, `{platform: IOS, jailbreak: false, deletionPolicy: Keep}`, "spec.deletionPolicy: Unsupported value"),
		Entry(nil, `{platform: IOS, jailbreak: false, driftPolicy: Ignore}`, "spec.driftPolicy: Unsupported value"),
		Entry(nil, `{platform: IOS, jailbreak: false, orgRef: {kind: Secret, name: x}}`, "spec.orgRef.kind: Unsupported value"),
		Entry(nil, `{platform: IOS, jailbreak: false, orgRef: {kind: OktaOrg}}`, "spec.orgRef.name: Required value"),
		Entry(nil, `{platform: IOS, name: "", jailbreak: false}`, "spec.name", "at least 1 chars"),
		Entry(nil, `{platform: IOS, osVersion: {maximum: "17"}}`, `unknown field "spec.osVersion.maximum"`),

		// Properties a platform does not have (Okta's per-platform schemas).
		Entry(nil, `{platform: CHROMEOS, osVersion: {minimum: "15"}, thirdPartySignalProviders: {dtc: {osFirewall: true}}}`,
			"spec.osVersion:", "osVersion is not supported on CHROMEOS"),
		Entry(nil, `{platform: MACOS, osVersionConstraints: [{majorVersionConstraint: WINDOWS_11, minimum: "10.0.22000.0"}]}`,
			"spec.osVersionConstraints:", "osVersionConstraints is only supported on WINDOWS"),
		Entry(nil, `{platform: IOS, diskEncryptionType: {include: [FULL]}}`,
			"spec.diskEncryptionType:", "diskEncryptionType is only supported on ANDROID, MACOS and WINDOWS"),
		Entry(nil, `{platform: CHROMEOS, screenLockType: {include: [PASSCODE]}, thirdPartySignalProviders: {dtc: {osFirewall: true}}}`,
			"spec.screenLockType:", "screenLockType is not supported on CHROMEOS"),
		Entry(nil, `{platform: MACOS, jailbreak: false}`, "spec.jailbreak:", "jailbreak is only supported on ANDROID and IOS"),
		Entry(nil, `{platform: IOS, secureHardwarePresent: true}`,
			"spec.secureHardwarePresent:", "secureHardwarePresent is only supported on ANDROID, MACOS and WINDOWS"),
		Entry(nil, `{platform: IOS, callerContext: {managedApp: true}}`, "spec.callerContext:", "callerContext is only supported on ANDROID"),
		Entry(nil, `{platform: IOS, jailbreak: false, devicePostureChecks: {include: [{variableName: fw, value: "1"}]}}`,
			"spec.devicePostureChecks:", "devicePostureChecks is only supported on MACOS and WINDOWS"),
		Entry(nil, `{platform: IOS, thirdPartySignalProviders: {dtc: {osFirewall: true}}}`,
			"spec.thirdPartySignalProviders.dtc:", "dtc (Chrome Device Trust) is only supported on CHROMEOS, MACOS and WINDOWS"),
		Entry(nil, `{platform: IOS, thirdPartySignalProviders: {androidDeviceTrust: {wifiSecured: true}}}`,
			"spec.thirdPartySignalProviders.androidDeviceTrust:", "androidDeviceTrust is only supported on ANDROID"),
		Entry(nil, `{platform: ANDROID, diskEncryptionType: {include: [ALL_INTERNAL_VOLUMES]}}`,
			"spec.diskEncryptionType.include:", "diskEncryptionType.include on ANDROID accepts FULL and USER"),
		Entry(nil, `{platform: WINDOWS, diskEncryptionType: {include: [FULL]}}`,
			"spec.diskEncryptionType.include:", "diskEncryptionType.include on MACOS and WINDOWS accepts ALL_INTERNAL_VOLUMES"),
		Entry(nil, `{platform: WINDOWS, thirdPartySignalProviders: {dtc: {allowScreenLock: true}}}`,
			"spec.thirdPartySignalProviders.dtc:", "allowScreenLock and managedDevice are only supported on CHROMEOS"),
		Entry(nil, `{platform: MACOS, thirdPartySignalProviders: {dtc: {crowdStrikeAgentId: abc}}}`,
			"spec.thirdPartySignalProviders.dtc:", "are only supported on WINDOWS"),
		Entry(nil, `{platform: CHROMEOS, thirdPartySignalProviders: {dtc: {keyTrustLevel: CHROME_BROWSER_HW_KEY}}}`,
			"spec.thirdPartySignalProviders.dtc.keyTrustLevel:", "CHROME_OS_DEVELOPER_MODE or CHROME_OS_VERIFIED_MODE on CHROMEOS"),
		Entry(nil, `{platform: WINDOWS, thirdPartySignalProviders: {dtc: {keyTrustLevel: CHROME_OS_VERIFIED_MODE}}}`,
			"spec.thirdPartySignalProviders.dtc.keyTrustLevel:", "CHROME_BROWSER_HW_KEY or CHROME_BROWSER_OS_KEY on MACOS and WINDOWS"),

		// A ChromeOS policy needs a condition (a real org answers 400).
		Entry(nil, `{platform: CHROMEOS, gracePeriod: {type: BY_DURATION, expiry: P7D}, displayRemediationMode: SHOW}`,
			"spec.thirdPartySignalProviders:", "a CHROMEOS policy needs at least one condition"),
		Entry(nil, `{platform: CHROMEOS, thirdPartySignalProviders: {dtc: {}}}`,
			"spec.thirdPartySignalProviders.dtc:", "should have at least 1 properties"),

		// OS version: static XOR dynamic, and the Windows forms.
		Entry(nil, `{platform: IOS, osVersion: {minimum: "17.4", dynamicVersionRequirement: {type: EXACT_ANY_SUPPORTED}}}`,
			"spec.osVersion:", "osVersion needs exactly one of minimum or dynamicVersionRequirement"),
		Entry(nil, `{platform: IOS, osVersion: {}}`, "spec.osVersion:", "osVersion needs exactly one of minimum or dynamicVersionRequirement"),
		Entry(nil, `{platform: WINDOWS, osVersion: {dynamicVersionRequirement: {type: EXACT_ANY_SUPPORTED}}}`,
			"spec.osVersion.dynamicVersionRequirement:", "not supported on WINDOWS; use osVersionConstraints"),
		Entry(nil, `{platform: WINDOWS, osVersion: {minimum: "10.0.19045.0"}, osVersionConstraints: [{majorVersionConstraint: WINDOWS_11, minimum: "10.0.22000.0"}]}`,
			"spec.osVersionConstraints:", "osVersion and osVersionConstraints cannot both be set"),

		// Dynamic version requirement types.
		Entry(nil, `{platform: IOS, osVersion: {dynamicVersionRequirement: {type: MINIMUM}}}`,
			"spec.osVersion.dynamicVersionRequirement.distanceFromLatestMajor:", "required when type is MINIMUM or EXACT"),
		Entry(nil, `{platform: MACOS, osVersion: {dynamicVersionRequirement: {type: EXACT, latestSecurityPatch: true}}}`,
			"spec.osVersion.dynamicVersionRequirement.distanceFromLatestMajor:", "required when type is MINIMUM or EXACT"),
		Entry(nil, `{platform: IOS, osVersion: {dynamicVersionRequirement: {type: EXACT_ANY_SUPPORTED, distanceFromLatestMajor: 0}}}`,
			"spec.osVersion.dynamicVersionRequirement.distanceFromLatestMajor:", "must not be set when type is EXACT_ANY_SUPPORTED"),
		Entry(nil, `{platform: ANDROID, osVersion: {dynamicVersionRequirement: {type: NOT_ALLOWED}}}`,
			"spec.osVersion.dynamicVersionRequirement.type: Unsupported value", `"NOT_ALLOWED"`),
		Entry(nil, `{platform: ANDROID, osVersion: {dynamicVersionRequirement: {type: MINIMUM, distanceFromLatestMajor: 2}}}`,
			"spec.osVersion.dynamicVersionRequirement.distanceFromLatestMajor", "less than or equal to 1"),
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: [{majorVersionConstraint: WINDOWS_10, dynamicVersionRequirement: {type: NOT_ALLOWED, distanceFromLatestMajor: 0}}]}`,
			"spec.osVersionConstraints[0].dynamicVersionRequirement.distanceFromLatestMajor:", "must not be set when type is EXACT_ANY_SUPPORTED or NOT_ALLOWED"),
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: [{majorVersionConstraint: WINDOWS_10, dynamicVersionRequirement: {type: NOT_ALLOWED, latestSecurityPatch: true}}]}`,
			"spec.osVersionConstraints[0].dynamicVersionRequirement.latestSecurityPatch:", "must not be set when type is NOT_ALLOWED"),
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: [{majorVersionConstraint: WINDOWS_11, dynamicVersionRequirement: {type: MINIMUM}}]}`,
			"spec.osVersionConstraints[0].dynamicVersionRequirement.distanceFromLatestMajor:", "required when type is MINIMUM or EXACT"),

		// Windows osVersionConstraints: 1 or 2, one per major version, static XOR dynamic.
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: []}`, "spec.osVersionConstraints", "at least 1 items"),
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: [{majorVersionConstraint: WINDOWS_11, minimum: "10.0.22000.0"}, {majorVersionConstraint: WINDOWS_11, minimum: "10.0.22631.0"}]}`,
			"spec.osVersionConstraints[1]: Duplicate value", `"majorVersionConstraint":"WINDOWS_11"`),
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: [{majorVersionConstraint: WINDOWS_11, minimum: "10.0.22000.0"}, {majorVersionConstraint: WINDOWS_10, minimum: "10.0.19045.0"}, {majorVersionConstraint: WINDOWS_10, minimum: "10.0.19044.0"}]}`,
			"spec.osVersionConstraints: Too many", "at most 2 items"),
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: [{majorVersionConstraint: WINDOWS_11}]}`,
			"spec.osVersionConstraints[0]:", "needs exactly one of minimum or dynamicVersionRequirement"),
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: [{minimum: "10.0.22000.0"}]}`,
			"spec.osVersionConstraints[0].majorVersionConstraint: Required value"),

		// Version string shapes.
		Entry(nil, `{platform: IOS, osVersion: {minimum: "17.4.1.2"}}`,
			"spec.osVersion.minimum:", "osVersion.minimum on IOS and MACOS has at most three numeric parts"),
		Entry(nil, `{platform: ANDROID, osVersion: {minimum: "14.0.0.1.2"}}`,
			"spec.osVersion.minimum:", "minimum must be a dotted version of up to four numeric parts"),
		Entry(nil, `{platform: MACOS, osVersion: {minimum: "Sonoma"}}`,
			"spec.osVersion.minimum:", "minimum must be a dotted version"),
		Entry(nil, `{platform: WINDOWS, osVersionConstraints: [{majorVersionConstraint: WINDOWS_11, minimum: "10.0.22000.0-rc"}]}`,
			"spec.osVersionConstraints[0].minimum:", "minimum must be a dotted version"),
		Entry(nil, `{platform: MACOS, thirdPartySignalProviders: {dtc: {osVersion: {minimum: "14.4.1.1"}}}}`,
			"spec.thirdPartySignalProviders.dtc.osVersion.minimum:", "on MACOS has at most three numeric parts"),
		Entry(nil, `{platform: WINDOWS, thirdPartySignalProviders: {dtc: {browserVersion: {minimum: "latest"}}}}`,
			"spec.thirdPartySignalProviders.dtc.browserVersion.minimum:", "minimum must be a dotted version"),

		// Android Device Trust dependencies.
		Entry(nil, `{platform: ANDROID, thirdPartySignalProviders: {androidDeviceTrust: {screenLockComplexity: HIGH}}}`,
			"spec.thirdPartySignalProviders.androidDeviceTrust.screenLockComplexity:", "requires screenLockType.include"),
		Entry(nil, `{platform: ANDROID, osVersion: {minimum: "14"}, thirdPartySignalProviders: {androidDeviceTrust: {requireMajorVersionUpdate: true}}}`,
			"spec.thirdPartySignalProviders.androidDeviceTrust.requireMajorVersionUpdate:", "requires osVersion.dynamicVersionRequirement with type MINIMUM or EXACT"),
		Entry(nil, `{platform: ANDROID, osVersion: {dynamicVersionRequirement: {type: EXACT_ANY_SUPPORTED}}, thirdPartySignalProviders: {androidDeviceTrust: {requireMajorVersionUpdate: true}}}`,
			"spec.thirdPartySignalProviders.androidDeviceTrust.requireMajorVersionUpdate:", "requires osVersion.dynamicVersionRequirement with type MINIMUM or EXACT"),
		Entry(nil, `{platform: ANDROID, callerContext: {managedApp: false}}`,
			"spec.callerContext.managedApp:", "callerContext.managedApp can only be true"),

		// Grace period expiry forms.
		Entry(nil, `{platform: IOS, jailbreak: false, gracePeriod: {type: BY_DURATION, expiry: "2026-12-01T00:00:00Z"}}`,
			"spec.gracePeriod.expiry:", "must be an ISO-8601 duration such as P30D"),
		Entry(nil, `{platform: IOS, jailbreak: false, gracePeriod: {type: BY_DURATION, expiry: PT}}`,
			"spec.gracePeriod.expiry:", "must be an ISO-8601 duration"),
		Entry(nil, `{platform: IOS, jailbreak: false, gracePeriod: {type: BY_DURATION, expiry: 30 days}}`,
			"spec.gracePeriod.expiry:", "must be an ISO-8601 duration"),
		Entry(nil, `{platform: IOS, jailbreak: false, gracePeriod: {type: BY_DATE_TIME, expiry: P30D}}`,
			"spec.gracePeriod.expiry:", "must be an RFC 3339 date-time"),
		Entry(nil, `{platform: IOS, jailbreak: false, gracePeriod: {type: BY_DATE_TIME, expiry: "2026-13-01T00:00:00Z"}}`,
			"spec.gracePeriod.expiry:", "must be an RFC 3339 date-time"),
		Entry(nil, `{platform: IOS, jailbreak: false, gracePeriod: {type: BY_DURATION}}`, "spec.gracePeriod.expiry: Required value"),

		// Sets and keyed lists.
		Entry(nil, `{platform: IOS, screenLockType: {include: [BIOMETRIC, BIOMETRIC]}}`, "spec.screenLockType.include[1]: Duplicate value"),
		Entry(nil, `{platform: IOS, screenLockType: {include: []}}`, "spec.screenLockType.include", "at least 1 items"),
		Entry(nil, `{platform: MACOS, devicePostureChecks: {include: [{variableName: fw, value: "1"}, {variableName: fw, value: "0"}]}}`,
			"spec.devicePostureChecks.include:", "devicePostureChecks.include names each check once"),
		Entry(nil, `{platform: MACOS, devicePostureChecks: {include: [{checkRef: {name: fw}, value: "1"}, {checkRef: {name: fw}, value: "0"}]}}`,
			"spec.devicePostureChecks.include:", "devicePostureChecks.include names each check once"),
		Entry(nil, `{platform: MACOS, devicePostureChecks: {include: [{checkRef: {name: fw}, variableName: fw, value: "1"}]}}`,
			"spec.devicePostureChecks.include[0]:", "exactly one of checkRef or variableName"),
		Entry(nil, `{platform: MACOS, devicePostureChecks: {include: [{value: "1"}]}}`,
			"spec.devicePostureChecks.include[0]:", "exactly one of checkRef or variableName"),
	)

	Describe("changes after creation", func() {
		It("refuses to change the platform", func() {
			obj := policy(`{platform: IOS, jailbreak: false}`)
			Expect(k8sClient.Create(ctx, obj)).To(Succeed())
			Expect(unstructuredSet(obj, "MACOS", "spec", "platform")).To(Succeed())
			unstructuredDelete(obj, "spec", "jailbreak")
			err := k8sClient.Update(ctx, obj)
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(SatisfyAll(containAll("spec.platform:", "platform is immutable")...))
		})

		It("refuses to move a policy to another org, and accepts other edits", func() {
			obj := policy(`{platform: IOS, jailbreak: false, orgRef: {kind: ClusterOktaOrg, name: staging}}`)
			Expect(k8sClient.Create(ctx, obj)).To(Succeed())

			Expect(unstructuredSet(obj, "production", "spec", "orgRef", "name")).To(Succeed())
			err := k8sClient.Update(ctx, obj.DeepCopy())
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(SatisfyAll(containAll("spec.orgRef:", "orgRef is immutable")...))

			unstructuredDelete(obj, "spec", "orgRef")
			err = k8sClient.Update(ctx, obj.DeepCopy())
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(ContainSubstring("orgRef is immutable"))

			Expect(unstructuredSet(obj, map[string]any{"kind": "ClusterOktaOrg", "name": "staging"}, "spec", "orgRef")).To(Succeed())
			Expect(unstructuredSet(obj, "SHOW", "spec", "displayRemediationMode")).To(Succeed())
			Expect(k8sClient.Update(ctx, obj)).To(Succeed())
		})
	})

	It("refuses a bad policy through kubectl apply --dry-run=server, naming the field", func() {
		admin, err := testEnv.AddUser(envtest.User{Name: "crd-admin", Groups: []string{"system:masters"}}, nil)
		Expect(err).NotTo(HaveOccurred())
		kubectl, err := admin.Kubectl()
		Expect(err).NotTo(HaveOccurred())
		_, stderr, err := kubectl.Run("apply", "--dry-run=server", "-k", filepath.Join("..", "..", "config", "samples"))
		Expect(err).NotTo(HaveOccurred(), "kubectl: %s", readAll(stderr))
		// The least-privilege setup of docs/multi-tenancy.md: its namespaces
		// are created for real, so that the namespaced objects can be checked.
		_, stderr, err = kubectl.Run("apply", "-f", filepath.Join("..", "..", "config", "samples", "tenancy", "namespaces.yaml"))
		Expect(err).NotTo(HaveOccurred(), "kubectl: %s", readAll(stderr))
		_, stderr, err = kubectl.Run("apply", "--dry-run=server", "-k", filepath.Join("..", "..", "config", "samples", "tenancy"))
		Expect(err).NotTo(HaveOccurred(), "kubectl: %s", readAll(stderr))

		_, stderr, err = kubectl.Run("apply", "--dry-run=server", "-f", filepath.Join("testdata", "windows-dynamic-osversion.yaml"))
		Expect(err).To(HaveOccurred())
		Expect(readAll(stderr)).To(SatisfyAll(containAll(
			"spec.osVersion.dynamicVersionRequirement:",
			"osVersion.dynamicVersionRequirement is not supported on WINDOWS; use osVersionConstraints")...))
	})
})

func readAll(r io.Reader) string {
	b, err := io.ReadAll(r)
	Expect(err).NotTo(HaveOccurred())
	return string(b)
}
