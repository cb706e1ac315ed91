package integration_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/cli"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/plan"
)

// An org made by hand through the API is exported; the export applies with
// no write and plans as no change; then, for rounds of random changes to
// the exported manifests, the writes plan predicts are the writes the
// operator sends.
var _ = Describe("plan of an export", Ordered, func() {
	var (
		h      *plannedOrg
		random *rand.Rand
	)
	// adminJSON sends one request to the org as its admin and decodes the
	// answer.
	adminJSON := func(method, path, body string) map[string]any {
		req, err := http.NewRequestWithContext(ctx, method, h.sim.URL+path, strings.NewReader(body))
		Expect(err).NotTo(HaveOccurred())
		req.Header.Set("Authorization", "SSWS "+plantedToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		defer func() { _ = resp.Body.Close() }()
		raw, err := io.ReadAll(resp.Body)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(HaveHTTPStatus(http.StatusOK), string(raw))
		var out map[string]any
		Expect(json.Unmarshal(raw, &out)).To(Succeed())
		return out
	}

	BeforeAll(func() {
		random = rand.New(rand.NewPCG(uint64(GinkgoRandomSeed()), 16))
		h = newPlannedOrg("roundtrip", "roundtrip")
		adminJSON(http.MethodPost, "/api/v1/device-posture-checks", `{"name":"Firewall on","variableName":"roundtripFirewall","platform":"MACOS",
			"mappingType":"CHECKBOX","query":"SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;"}`)
		ios := adminJSON(http.MethodPost, "/api/v1/device-assurances", `{"name":"Roundtrip iOS","platform":"IOS","jailbreak":false,
			"osVersion":{"minimum":"17.2"},"gracePeriod":{"type":"BY_DURATION","expiry":"P7D"}}`)["id"]
		mac := adminJSON(http.MethodPost, "/api/v1/device-assurances", `{"name":"Roundtrip macOS","platform":"MACOS",
			"osVersion":{"minimum":"14.4"},"diskEncryptionType":{"include":["ALL_INTERNAL_VOLUMES"]},"screenLockType":{"include":["PASSCODE"]},
			"devicePostureChecks":{"include":[{"variableName":"roundtripFirewall","value":"1"}]}}`)["id"]
		win := adminJSON(http.MethodPost, "/api/v1/device-assurances", `{"name":"Roundtrip Windows","platform":"WINDOWS",
			"osVersionConstraints":[{"majorVersionConstraint":"WINDOWS_11","minimum":"10.0.22631.3447"}],"secureHardwarePresent":true}`)["id"]
		for i, app := range []string{"Roundtrip App A", "Roundtrip App B"} {
			policy := adminJSON(http.MethodPost, "/api/v1/policies", fmt.Sprintf(`{"type":"ACCESS_POLICY","name":%q,"status":"ACTIVE"}`, app))["id"]
			include := fmt.Sprintf(`[%q,%q]`, ios, mac)
			if i == 1 {
				include = fmt.Sprintf(`[%q]`, win)
			}
			adminJSON(http.MethodPost, fmt.Sprintf("/api/v1/policies/%s/rules?activate=true", policy), fmt.Sprintf(`{"name":"Managed devices","type":"ACCESS_POLICY","priority":1,
				"conditions":{"device":{"registered":true,"managed":true,"assurance":{"include":%s}}},
				"actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"2FA","reauthenticateIn":"PT4H"}}}}`, include))
		}

		token := filepath.Join(GinkgoT().TempDir(), "token")
		Expect(os.WriteFile(token, []byte(plantedToken), 0o600)).To(Succeed())
		exported := GinkgoT().TempDir()
		var out, errOut strings.Builder
		code := cli.Main([]string{"export", "--org-url", h.sim.URL, "--allow-insecure-http", "--api-token-file", token,
			"--namespace", h.namespace, "--org-ref", "ClusterOktaOrg/" + h.name, "-o", exported}, &out, &errOut)
		Expect(code).To(Equal(cli.ExitOK), errOut.String())
		manifests, err := plan.Load([]string{exported}, nil, h.namespace)
		Expect(err).NotTo(HaveOccurred())
		h.objs = manifests.Objects
		Expect(h.objs).To(HaveLen(6), "a check, three policies, two rules")
	})

	It("applies the export with no write, and plans it as no change", func() {
		h.write()
		code, predicted := h.predicted()
		Expect(code).To(Equal(cli.ExitOK), "%v", predicted)
		for _, obj := range h.objs {
			Expect(k8s.Create(ctx, obj.DeepCopyObject().(client.Object))).To(Succeed())
		}
		h.settled()
		Expect(h.sent(map[string]int{}, nil)).To(BeEmpty())
	})

	It("predicts the writes of random changes to the exported manifests", func() {
		rename := 0
		rounds(h, 4, func() {
			for _, i := range random.Perm(len(h.objs))[:1+random.IntN(3)] {
				rename++
				suffix := fmt.Sprintf(" (r%d)", rename)
				switch o := h.objs[i].(type) {
				case *assurancev1alpha1.DeviceAssurancePolicy:
					o.Spec.Name = strings.SplitN(o.Spec.Name, " (", 2)[0] + suffix
				case *assurancev1alpha1.DevicePostureCheck:
					o.Spec.Name = strings.SplitN(o.Spec.Name, " (", 2)[0] + suffix
				case *assurancev1alpha1.SignInRuleBinding:
					o.Spec.Rule.Name = strings.SplitN(o.Spec.Rule.Name, " (", 2)[0] + suffix
				}
			}
		})
	})

	// Adopted objects are orphaned by default: the org, made for this spec,
	// keeps its objects.
	AfterAll(func() { h.deleteAll() })
})
