//go:build e2e

package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/localenv"
)

var _ = Describe("the operator, driven with kubectl", Ordered, func() {
	It("walks Okta's device assurance guide", func() {
		kubectl("apply", "-f", file("config", "samples", "guide", "01-device-assurance-policy.yaml"))
		waitReady("dap/device-assurance-ios")
		id := statusField("dap/device-assurance-ios", "id")
		Expect(id).To(HavePrefix("dae"))

		kubectl("apply", "-f", file("config", "samples", "guide", "02-device-assurance-policy-edit.yaml"))
		waitReady("dap/device-assurance-ios")
		code, body := org("/api/v1/device-assurances/" + id)
		Expect(code).To(Equal(http.StatusOK))
		var policy map[string]any
		Expect(json.Unmarshal(body, &policy)).To(Succeed())
		Expect(policy).To(HaveKeyWithValue("gracePeriod", map[string]any{"type": "BY_DURATION", "expiry": "PT720H"}))
		Expect(policy).To(HaveKeyWithValue("displayRemediationMode", "SHOW"))

		kubectl("apply", "-f", file("config", "samples", "guide", "03-sign-in-rule-binding.yaml"))
		waitReady("sirb/device-assurance-rule")
		policyID, ruleID := statusField("sirb/device-assurance-rule", "policyID"), statusField("sirb/device-assurance-rule", "ruleID")
		code, body = org("/api/v1/policies/" + policyID + "/rules/" + ruleID)
		Expect(code).To(Equal(http.StatusOK))
		Expect(string(body)).To(ContainSubstring(`"include":["` + id + `"]`))
	})

	It("applies the advanced posture check flow in one go, and deletes it leaving the org clean", func() {
		flow := file("config", "samples", "guide", "04-posture-check-and-policy.yaml")
		kubectl("apply", "-f", flow) // the policy comes first in the file, before the check it needs
		waitReady("dpc/macos-firewall")
		waitReady("dap/device-assurance-macos")
		checkID, policyID := statusField("dpc/macos-firewall", "id"), statusField("dap/device-assurance-macos", "id")
		code, body := org("/api/v1/device-assurances/" + policyID)
		Expect(code).To(Equal(http.StatusOK))
		var policy map[string]any
		Expect(json.Unmarshal(body, &policy)).To(Succeed())
		Expect(policy["devicePostureChecks"]).To(Equal(map[string]any{"include": []any{map[string]any{"variableName": "macOSFirewall", "value": "1"}}}))

		kubectl("delete", "-f", flow, "--wait=true", "--timeout=120s")
		code, _ = org("/api/v1/device-assurances/" + policyID)
		Expect(code).To(Equal(http.StatusNotFound))
		code, _ = org("/api/v1/device-posture-checks/" + checkID)
		Expect(code).To(Equal(http.StatusNotFound))
	})

	It("reports health as kstatus and Argo CD compute it", func() {
		kubectl("apply", "-f", file("test", "e2e", "testdata", "stalled.yaml"))
		Eventually(func() string { return condition(statusOf("dap/refused-by-okta"), "Stalled") }).Should(Equal("True"))
		Eventually(func() string { return reasonOf("dap/waiting-for-org") }).Should(Equal("OrgNotReady"))

		for ref, want := range map[string][2]string{
			"dap/device-assurance-ios": {"Current", "Healthy"},
			"dap/refused-by-okta":      {"Failed", "Degraded"},
			"dap/waiting-for-org":      {"InProgress", "Progressing"},
		} {
			obj := object(ref)
			res, err := status.Compute(&unstructured.Unstructured{Object: obj})
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Status.String()).To(Equal(want[0]), "kstatus of %s: %s", ref, res.Message)
			health, message := argoHealth(obj)
			Expect(health).To(Equal(want[1]), "Argo CD health of %s: %s", ref, message)
		}
		kubectl("delete", "-f", file("test", "e2e", "testdata", "stalled.yaml"), "--wait=true", "--timeout=90s")
	})

	It("applies a folder of policies and a rule in one go, and deletes it in one go", func() {
		folder := file("test", "e2e", "testdata", "folder")
		kubectl("apply", "-f", folder)
		for _, ref := range []string{"dap/folder-macos", "dap/folder-windows", "sirb/folder-desktops"} {
			waitReady(ref)
		}
		ruleID := statusField("sirb/folder-desktops", "ruleID")
		policyID := statusField("sirb/folder-desktops", "policyID")

		kubectl("delete", "-f", folder, "--wait=true", "--timeout=120s")
		Expect(orgPolicyNames()).NotTo(HaveKey("folder-macos"))
		Expect(orgPolicyNames()).NotTo(HaveKey("folder-windows"))
		code, _ := org("/api/v1/policies/" + policyID + "/rules/" + ruleID)
		Expect(code).To(Equal(http.StatusNotFound))
	})

	It("converges with no duplicate after the manager is killed mid-way", func() {
		var manifests strings.Builder
		for i := range 8 {
			fmt.Fprintf(&manifests, "---\napiVersion: assurance.okta-operator.dev/v1alpha1\nkind: DeviceAssurancePolicy\n"+
				"metadata: {name: crash-%d}\nspec: {platform: ANDROID, osVersion: {minimum: \"14\"}}\n", i)
		}
		_, err := env.Kubectl(ctx, manifests.String(), "apply", "-f", "-")
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() int { return orgPolicyNames()["crash-0"] + orgPolicyNames()["crash-1"] }).Should(BeNumerically(">", 0))
		leaders[0].Kill()

		m, err := env.StartManager(ctx, "--resync-period=5s", "--org-check-interval=5s", "--leader-elect")
		Expect(err).NotTo(HaveOccurred())
		leaders = []*localenv.Process{m}
		for i := range 8 {
			waitReady(fmt.Sprintf("dap/crash-%d", i))
		}
		names := orgPolicyNames()
		for i := range 8 {
			Expect(names).To(HaveKeyWithValue(fmt.Sprintf("crash-%d", i), 1), "exactly one Okta policy per object")
		}
	})

	It("lets only the leader write, and a standby take over when the leader dies", func() {
		lease := []string{"-n", localenv.OperatorNamespace, "get", "lease", "okta-assurance-operator.okta-operator.dev", "-o", "jsonpath={.spec.holderIdentity}"}
		leader := kubectl(lease...)
		Expect(leader).NotTo(BeEmpty())
		standby, err := env.StartManager(ctx, "--resync-period=5s", "--org-check-interval=5s", "--leader-elect")
		Expect(err).NotTo(HaveOccurred())
		// Controllers start their workers only once elected.
		Consistently(func() string { return logOf(standby) }, "5s", "500ms").ShouldNot(ContainSubstring("Starting workers"))
		Expect(kubectl(lease...)).To(Equal(leader))

		leaders[0].Kill()
		Eventually(func() string { return kubectl(lease...) }).ShouldNot(Equal(leader))
		Eventually(func() string { return logOf(standby) }).Should(ContainSubstring("Starting workers"))
		leaders = []*localenv.Process{standby}
		_, err = env.Kubectl(ctx, "apiVersion: assurance.okta-operator.dev/v1alpha1\nkind: DeviceAssurancePolicy\n"+
			"metadata: {name: after-failover}\nspec: {platform: IOS, jailbreak: false}\n", "apply", "-f", "-")
		Expect(err).NotTo(HaveOccurred())
		waitReady("dap/after-failover")
	})

	It("never writes the API token to its log", func() {
		for _, m := range env.Managers() {
			Expect(logOf(m)).NotTo(BeEmpty())
			Expect(logOf(m)).NotTo(ContainSubstring(env.SimToken))
		}
	})
})

func statusOf(ref string) map[string]any {
	s, _ := object(ref)["status"].(map[string]any)
	return s
}

func reasonOf(ref string) string {
	conds, _ := statusOf(ref)["conditions"].([]any)
	for _, c := range conds {
		if m := c.(map[string]any); m["type"] == "Ready" {
			return fmt.Sprint(m["reason"])
		}
	}
	return ""
}

func logOf(p *localenv.Process) string {
	log, err := p.Log()
	Expect(err).NotTo(HaveOccurred())
	return log
}
