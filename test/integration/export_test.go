package integration_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/cli"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/export"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

// An org made by hand (policies on every platform, a posture check, rules
// in two app sign-in policies, one of them in the shapes Terraform
// leaves), exported with the command and applied: every object is
// accepted, adopts its Okta object, and the org receives no write. The org
// is a simulator of its own, served by a ClusterOktaOrg of its own, so
// that what other specs leave in the suite's org is not exported with it.
var _ = Describe("export", Ordered, func() {
	const (
		namespace = "exported"
		orgName   = "export"
	)
	var (
		org       *httptest.Server
		orgAdmin  *okta.Client
		dir       string
		applied   []client.Object
		adoptIDs  = map[string]string{} // kind/name → spec.adopt.id
		wantNames []string
	)

	orgGet := func(path string) []byte {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, org.URL+path, nil)
		Expect(err).NotTo(HaveOccurred())
		resp, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		Expect(err).NotTo(HaveOccurred())
		return body
	}
	// orgWrites counts the requests other than GET the org answered.
	orgWrites := func() int {
		var counts []struct {
			Method string `json:"method"`
			Count  int    `json:"count"`
		}
		Expect(json.Unmarshal(orgGet("/_oktasim/requests"), &counts)).To(Succeed())
		n := 0
		for _, c := range counts {
			if c.Method != http.MethodGet {
				n += c.Count
			}
		}
		return n
	}
	createAccessPolicy := func(name string) string {
		body := bytes.NewBufferString(`{"type":"ACCESS_POLICY","name":"` + name + `"}`)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, org.URL+"/api/v1/policies", body)
		Expect(err).NotTo(HaveOccurred())
		req.Header.Set("Authorization", "SSWS "+plantedToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		defer func() { _ = resp.Body.Close() }()
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
		var policy okta.Policy
		Expect(json.NewDecoder(resp.Body).Decode(&policy)).To(Succeed())
		return policy.ID
	}
	daFrom := func(body string) string {
		var p okta.DeviceAssurance
		Expect(json.Unmarshal([]byte(body), &p)).To(Succeed())
		created, err := orgAdmin.CreateDeviceAssurance(ctx, p)
		Expect(err).NotTo(HaveOccurred())
		return created.ID
	}
	ruleFrom := func(policyID string, active bool, body string) {
		var r okta.PolicyRule
		Expect(json.Unmarshal([]byte(body), &r)).To(Succeed())
		_, err := orgAdmin.CreatePolicyRule(ctx, policyID, r, active)
		Expect(err).NotTo(HaveOccurred())
	}

	BeforeAll(func() {
		org = httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{plantedToken}, RateLimits: oktasim.RateLimits{Disabled: true}}))
		DeferCleanup(org.Close)
		var err error
		orgAdmin, err = okta.New(okta.Config{OrgURL: org.URL, Credentials: okta.APIToken(plantedToken), HTTPClient: http.DefaultClient})
		Expect(err).NotTo(HaveOccurred())

		By("making the org by hand through Okta's API")
		_, err = orgAdmin.CreatePostureCheck(ctx, okta.PostureCheck{Name: "Device posture check macOS", Description: "Query macOS devices to check if firewall is enabled",
			VariableName: "macOSFirewall", Platform: okta.PlatformMacOS, MappingType: "CHECKBOX",
			Query:               "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
			RemediationSettings: &okta.RemediationSettings{Message: &okta.RemediationMessage{CustomText: "Turn the firewall on."}, Link: &okta.RemediationLink{CustomURL: "https://intranet.example.com/firewall"}}})
		Expect(err).NotTo(HaveOccurred())
		ios := daFrom(`{"name":"Device assurance iOS","platform":"IOS","osVersion":{"dynamicVersionRequirement":{"type":"EXACT_ANY_SUPPORTED","latestSecurityPatch":true}},
			"jailbreak":false,"gracePeriod":{"type":"BY_DURATION","expiry":"P30D"},"displayRemediationMode":"SHOW"}`)
		android := daFrom(`{"name":"Device assurance Android","platform":"ANDROID","osVersion":{"minimum":"13"},"jailbreak":false,
			"diskEncryptionType":{"include":["USER","FULL"]},"screenLockType":{"include":["PASSCODE","BIOMETRIC"]},"secureHardwarePresent":true}`)
		macos := daFrom(`{"name":"Device assurance macOS","platform":"MACOS","osVersion":{"minimum":"14.4"},"diskEncryptionType":{"include":["ALL_INTERNAL_VOLUMES"]},
			"devicePostureChecks":{"include":[{"variableName":"macOSFirewall","value":"1"}]},"displayRemediationMode":"SHOW"}`)
		windows := daFrom(`{"name":"Device assurance Windows","platform":"WINDOWS","osVersionConstraints":[
			{"majorVersionConstraint":"WINDOWS_11","dynamicVersionRequirement":{"type":"MINIMUM","distanceFromLatestMajor":0,"latestSecurityPatch":true}},
			{"majorVersionConstraint":"WINDOWS_10","dynamicVersionRequirement":{"type":"NOT_ALLOWED"}}],"secureHardwarePresent":true}`)
		daFrom(`{"name":"Device assurance ChromeOS","platform":"CHROMEOS","thirdPartySignalProviders":{"dtc":{"managedDevice":true,"keyTrustLevel":"CHROME_OS_VERIFIED_MODE"}}}`)

		sales, support := createAccessPolicy("Sales app"), createAccessPolicy("Support app")
		ruleFrom(sales, true, `{"name":"Device Assurance Rule","priority":0,"conditions":{"device":{"managed":true,"registered":true,
			"assurance":{"include":["`+ios+`","`+macos+`"]}}},"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{
			"factorMode":"2FA","type":"ASSURANCE","reauthenticateIn":"PT2H","constraints":[{"knowledge":{"types":["password"]}}]}}}}`)
		ruleFrom(sales, true, `{"name":"No device assurance","priority":1,"actions":{"appSignOn":{"access":"ALLOW"}}}`)
		// As Terraform leaves them: an expression-less elCondition, an empty constraint.
		ruleFrom(support, true, `{"name":"Terraform rule","priority":0,"conditions":{"elCondition":{},"network":{"connection":"ANYWHERE"},
			"device":{"registered":true,"assurance":{"include":["`+android+`","`+windows+`"]}}},
			"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"factorMode":"2FA","type":"ASSURANCE","inactivityPeriod":"PT1H","constraints":[{}]},
			"keepMeSignedIn":{"postAuth":"ALLOWED","postAuthPromptFrequency":"PT50H"}}}}`)
		ruleFrom(support, false, `{"name":"Inactive rule","priority":1,"conditions":{"device":{"registered":true,"assurance":{"include":["`+ios+`"]}}},
			"actions":{"appSignOn":{"access":"DENY"}}}`)

		By("connecting a ClusterOktaOrg to it")
		Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: operatorNamespace, Name: "okta-export-token"},
			StringData: map[string]string{"token": plantedToken}})).To(Succeed())
		clusterOrg := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metaName(orgName)}
		clusterOrg.Spec.URL, clusterOrg.Spec.AllowInsecureHTTP = org.URL, true
		clusterOrg.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta-export-token", Key: "token"}}
		Expect(k8s.Create(ctx, clusterOrg)).To(Succeed())
		Eventually(isReady(clusterOrg, func() []metav1.Condition { return clusterOrg.Status.Conditions })).Should(Succeed())
		Expect(k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metaName(namespace)})).To(Succeed())

		wantNames = []string{
			"DevicePostureCheck/device-posture-check-macos",
			"DeviceAssurancePolicy/device-assurance-android",
			"DeviceAssurancePolicy/device-assurance-chromeos",
			"DeviceAssurancePolicy/device-assurance-ios",
			"DeviceAssurancePolicy/device-assurance-macos",
			"DeviceAssurancePolicy/device-assurance-windows",
			"SignInRuleBinding/sales-app-device-assurance-rule",
			"SignInRuleBinding/support-app-inactive-rule",
			"SignInRuleBinding/support-app-terraform-rule",
		}
	})

	It("exports the org with GETs only, every object round-tripping to no change", func() {
		before, writes := orgGet("/_oktasim/state"), orgWrites()
		dir = GinkgoT().TempDir()
		tokenFile := filepath.Join(dir, "token")
		Expect(os.WriteFile(tokenFile, []byte(plantedToken), 0o600)).To(Succeed())
		out := filepath.Join(dir, "out")
		var stdout, stderr bytes.Buffer
		code := cli.Main([]string{"export", "--org-url", org.URL, "--allow-insecure-http", "--api-token-file", tokenFile,
			"-o", out, "--namespace", namespace, "--org-ref", "ClusterOktaOrg/" + orgName}, &stdout, &stderr)
		GinkgoWriter.Println(stderr.String())
		Expect(code).To(Equal(cli.ExitOK), stderr.String())
		Expect(stderr.String()).NotTo(ContainSubstring("warning:"))
		Expect(orgWrites()).To(Equal(writes), "the export wrote to the org")
		Expect(orgGet("/_oktasim/state")).To(MatchJSON(before))

		kustomization, err := os.ReadFile(filepath.Join(out, "kustomization.yaml"))
		Expect(err).NotTo(HaveOccurred())
		var k struct {
			Resources []string `json:"resources"`
		}
		Expect(yaml.Unmarshal(kustomization, &k)).To(Succeed())
		got := make([]string, 0, len(k.Resources))
		for _, path := range k.Resources {
			raw, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(path)))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(raw)).NotTo(MatchRegexp("(?m)^status:"), "%s has a status", path)
			obj := exportedObject(raw)
			got = append(got, obj.GetObjectKind().GroupVersionKind().Kind+"/"+obj.GetName())
			applied = append(applied, obj)
		}
		Expect(got).To(Equal(wantNames))

		By("requiring the exported posture check by its object's name")
		for _, obj := range applied {
			if p, ok := obj.(*assurancev1alpha1.DeviceAssurancePolicy); ok && p.Name == "device-assurance-macos" {
				Expect(p.Spec.DevicePostureChecks).NotTo(BeNil())
				Expect(p.Spec.DevicePostureChecks.Include).To(Equal([]assurancev1alpha1.DevicePostureCheckValue{
					{CheckRef: &assurancev1alpha1.LocalObjectReference{Name: "device-posture-check-macos"}, Value: "1"}}))
			}
		}
	})

	It("is accepted by the CRDs, and every object adopts its Okta object without a write", func() {
		before, writes := orgGet("/_oktasim/state"), orgWrites()
		for _, obj := range applied {
			Expect(obj.GetNamespace()).To(Equal(namespace))
			Expect(k8s.Create(ctx, obj)).To(Succeed(), "%T %s", obj, obj.GetName())
			adoptIDs[kindName(obj)] = adoptID(obj)
		}
		for _, obj := range applied {
			switch o := obj.(type) {
			case *assurancev1alpha1.DeviceAssurancePolicy:
				Eventually(isReady(o, func() []metav1.Condition { return o.Status.Conditions })).Should(Succeed(), o.Name)
				Expect(o.Status.ID).To(Equal(adoptIDs[kindName(o)]))
				Expect(o.Status.Adopted).To(BeTrue())
			case *assurancev1alpha1.SignInRuleBinding:
				Eventually(isReady(o, func() []metav1.Condition { return o.Status.Conditions })).Should(Succeed(), o.Name)
				Expect(o.Status.RuleID).To(Equal(adoptIDs[kindName(o)]))
				Expect(o.Status.Adopted).To(BeTrue())
			case *assurancev1alpha1.DevicePostureCheck:
				Eventually(isReady(o, func() []metav1.Condition { return o.Status.Conditions })).Should(Succeed(), o.Name)
				Expect(o.Status.ID).To(Equal(adoptIDs[kindName(o)]))
				Expect(o.Status.Adopted).To(BeTrue())
			}
		}
		By("counting the requests each object's passes sent: GETs only")
		for _, obj := range applied {
			var sent []string
			for _, r := range objectRequests.of(obj.GetUID()) {
				if !strings.HasPrefix(r, http.MethodGet+" ") {
					sent = append(sent, r)
				}
			}
			Expect(sent).To(BeEmpty(), "%s sent writes", kindName(obj))
			Expect(objectRequests.of(obj.GetUID())).NotTo(BeEmpty(), "%s read nothing", kindName(obj))
		}
		Expect(orgWrites()).To(Equal(writes), "the org received writes")
		Expect(orgGet("/_oktasim/state")).To(MatchJSON(before), "the org changed")
	})

	It("leaves the org as it is when the objects are deleted", func() {
		before, writes := orgGet("/_oktasim/state"), orgWrites()
		for _, obj := range applied {
			Expect(k8s.Delete(ctx, obj)).To(Succeed())
		}
		for _, obj := range applied {
			Eventually(deleted(obj)).Should(BeTrue(), kindName(obj))
		}
		Expect(orgWrites()).To(Equal(writes), "adopted objects default to deletionPolicy Orphan")
		Expect(orgGet("/_oktasim/state")).To(MatchJSON(before))

		clusterOrg := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metaName(orgName)}
		Expect(k8s.Delete(ctx, clusterOrg)).To(Succeed())
		Eventually(deleted(clusterOrg)).Should(BeTrue())
	})

	It("exports every policy and rule real orgs answered with into objects the CRDs accept", func() {
		recordings, err := fixtures.Recordings()
		Expect(err).NotTo(HaveOccurred())
		n := 0
		for _, r := range recordings {
			if r.Status != http.StatusOK || r.Method == http.MethodDelete || len(r.ResponseBody) == 0 || r.ResponseBody[0] != '{' {
				continue
			}
			var obj client.Object
			switch {
			case strings.HasPrefix(r.Path, "/api/v1/device-assurances/") || r.Path == "/api/v1/device-assurances":
				var observed okta.DeviceAssuranceResponse
				Expect(json.Unmarshal(r.ResponseBody, &observed)).To(Succeed())
				spec, err := export.PolicySpec(observed.DeviceAssurance)
				Expect(err).NotTo(HaveOccurred(), r.Name)
				spec.Adopt = &assurancev1alpha1.Adoption{ID: observed.ID}
				obj = &assurancev1alpha1.DeviceAssurancePolicy{Spec: spec}
			case strings.Contains(r.Path, "/rules/") && !strings.Contains(r.Path, "/lifecycle/"):
				var observed okta.PolicyRuleResponse
				Expect(json.Unmarshal(r.ResponseBody, &observed)).To(Succeed())
				names := map[string]string{}
				if c := observed.Conditions; c != nil && c.Device != nil && c.Device.Assurance != nil {
					for _, id := range c.Device.Assurance.Include {
						names[id] = "policy-" + strings.ToLower(id)
					}
				}
				rule, _, err := export.RuleSpec(&observed, names)
				Expect(err).NotTo(HaveOccurred(), r.Name)
				obj = &assurancev1alpha1.SignInRuleBinding{Spec: assurancev1alpha1.SignInRuleBindingSpec{
					Policy: assurancev1alpha1.SignInPolicyReference{Name: "Recorded"}, Rule: rule, Adopt: &assurancev1alpha1.RuleAdoption{ID: observed.ID}}}
			default:
				continue
			}
			obj.SetNamespace(namespace)
			obj.SetName(strings.ToLower(r.Name))
			Expect(k8s.Create(ctx, obj, client.DryRunAll)).To(Succeed(), "%s: %s", r.Name, r.ResponseBody)
			n++
		}
		Expect(n).To(BeNumerically(">", 200))
	})
})

// exportedObject decodes an exported manifest into its API type, strictly.
func exportedObject(raw []byte) client.Object {
	var typeMeta metav1.TypeMeta
	Expect(yaml.Unmarshal(raw, &typeMeta)).To(Succeed())
	Expect(typeMeta.APIVersion).To(Equal(assurancev1alpha1.GroupVersion.String()))
	var obj client.Object
	switch typeMeta.Kind {
	case export.KindPostureCheck:
		obj = &assurancev1alpha1.DevicePostureCheck{}
	case export.KindPolicy:
		obj = &assurancev1alpha1.DeviceAssurancePolicy{}
	case export.KindBinding:
		obj = &assurancev1alpha1.SignInRuleBinding{}
	default:
		Fail("unexpected kind " + typeMeta.Kind)
	}
	Expect(yaml.UnmarshalStrict(raw, obj)).To(Succeed())
	return obj
}

func kindName(obj client.Object) string {
	switch obj.(type) {
	case *assurancev1alpha1.DevicePostureCheck:
		return export.KindPostureCheck + "/" + obj.GetName()
	case *assurancev1alpha1.DeviceAssurancePolicy:
		return export.KindPolicy + "/" + obj.GetName()
	default:
		return export.KindBinding + "/" + obj.GetName()
	}
}

func adoptID(obj client.Object) string {
	switch o := obj.(type) {
	case *assurancev1alpha1.DeviceAssurancePolicy:
		Expect(o.Spec.Adopt).NotTo(BeNil())
		return o.Spec.Adopt.ID
	case *assurancev1alpha1.SignInRuleBinding:
		Expect(o.Spec.Adopt).NotTo(BeNil())
		return o.Spec.Adopt.ID
	case *assurancev1alpha1.DevicePostureCheck:
		Expect(o.Spec.Adopt).NotTo(BeNil())
		return o.Spec.Adopt.ID
	default:
		Fail(fmt.Sprintf("unexpected object %T", obj))
		return ""
	}
}
