package integration_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/cli"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
)

// What `okta-assurance plan` predicts is what the operator then sends: for
// a first apply and for rounds of random changes to the manifests, the
// writes the plan lists for each object equal, request for request, the
// writes the operator's passes for that object send; and once applied, the
// plan says no change (exit 0). The plan connects as the ClusterOktaOrg
// does (--kubeconfig, --org) and reads the objects' Okta IDs from their
// status. The org is a simulator of its own.
var _ = Describe("plan", Ordered, func() {
	const appPolicy = "Planned App"
	var (
		h      *plannedOrg
		random *rand.Rand
	)

	BeforeAll(func() {
		random = rand.New(rand.NewPCG(uint64(GinkgoRandomSeed()), 15))
		h = newPlannedOrg("planned", "planned")
		body := strings.NewReader(fmt.Sprintf(`{"type":"ACCESS_POLICY","name":%q,"status":"ACTIVE"}`, appPolicy))
		resp, err := doAdmin(h.sim.URL, http.MethodPost, "/api/v1/policies", body)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(HaveHTTPStatus(http.StatusOK))

		ref := &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindClusterOktaOrg, Name: h.name}
		check := &assurancev1alpha1.DevicePostureCheck{ObjectMeta: metav1.ObjectMeta{Name: "firewall"}}
		Expect(yaml.Unmarshal([]byte(`{variableName: plannedFirewall, platform: MACOS, mappingType: CHECKBOX,
  query: "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;"}`), &check.Spec)).To(Succeed())
		ios := policyFrom("ios", `{platform: IOS, name: Planned iOS, jailbreak: false, osVersion: {minimum: "17.0"}}`)
		mac := policyFrom("macos", `{platform: MACOS, name: Planned macOS, osVersion: {minimum: "14.4"},
  diskEncryptionType: {include: [ALL_INTERNAL_VOLUMES]}, screenLockType: {include: [PASSCODE]},
  postureChecks: {include: [{name: firewall}]}, gracePeriod: {type: BY_DURATION, expiry: P30D}}`)
		rule := func(name string, priority int, policies string) *assurancev1alpha1.SignInRuleBinding {
			b := &assurancev1alpha1.SignInRuleBinding{ObjectMeta: metav1.ObjectMeta{Name: name}}
			Expect(yaml.Unmarshal([]byte(fmt.Sprintf(`
policy: {name: %s}
rule:
  name: %s
  priority: %d
  conditions: {device: {registered: true, managed: true, assurance: {include: [%s]}}}
  actions: {appSignOn: {access: ALLOW, verificationMethod: {type: ASSURANCE, factorMode: 2FA, reauthenticateIn: PT2H}}}`,
				appPolicy, name, priority, policies)), &b.Spec)).To(Succeed())
			return b
		}
		h.objs = []managed.Object{check, ios, mac, rule("phones", 1, "{name: ios}"), rule("macs", 2, "{name: macos}")}
		for _, obj := range h.objs {
			obj.SetNamespace(h.namespace)
			obj.GetManagedSpec().OrgRef = ref
		}
	})

	It("predicts the first apply's writes, then no change", func() {
		h.write()
		code, predicted := h.predicted()
		Expect(code).To(Equal(cli.ExitChanges))
		before := h.marks()
		for _, obj := range h.objs {
			Expect(k8s.Create(ctx, obj.DeepCopyObject().(client.Object))).To(Succeed())
		}
		h.settled()
		Expect(h.sent(before, h.created())).To(Equal(predicted))
		code, predicted = h.predicted()
		Expect(code).To(Equal(cli.ExitOK), "%v", predicted)
	})

	It("predicts the writes of random changes to the manifests", func() {
		objs := h.objs
		mutations := []func(){
			func() {
				p := objs[1].(*assurancev1alpha1.DeviceAssurancePolicy)
				p.Spec.Jailbreak = new(!deref(p.Spec.Jailbreak))
			},
			func() {
				p := objs[1].(*assurancev1alpha1.DeviceAssurancePolicy)
				p.Spec.OSVersion.Minimum = fmt.Sprintf("17.%d", random.IntN(6))
			},
			func() {
				p := objs[2].(*assurancev1alpha1.DeviceAssurancePolicy)
				p.Spec.GracePeriod.Expiry = fmt.Sprintf("P%dD", 1+random.IntN(30))
			},
			func() {
				c := objs[0].(*assurancev1alpha1.DevicePostureCheck)
				c.Spec.Query = fmt.Sprintf("SELECT %d AS firewall_enabled;", random.IntN(2))
			},
			func() {
				// A free priority: no other rule moves, so the operator's
				// order of passes cannot change what it sends.
				i := 3 + random.IntN(2)
				other := objs[7-i].(*assurancev1alpha1.SignInRuleBinding).Spec.Rule.Priority
				b := objs[i].(*assurancev1alpha1.SignInRuleBinding)
				for p := int32(3 + random.IntN(4)); ; p++ {
					if other == nil || *other != p {
						b.Spec.Rule.Priority = new(p)
						break
					}
				}
			},
			func() {
				b := objs[3+random.IntN(2)].(*assurancev1alpha1.SignInRuleBinding)
				b.Spec.Rule.Actions.AppSignOn.VerificationMethod.ReauthenticateIn = assurancev1alpha1.ISODuration(fmt.Sprintf("PT%dH", 1+random.IntN(12)))
			},
		}
		rounds(h, 4, func() {
			// The first mutation always changes something; the others
			// may set what is already there.
			mutations[0]()
			for _, i := range random.Perm(len(mutations) - 1)[:random.IntN(3)] {
				mutations[i+1]()
			}
		})
	})

	It("plans what the org's tenancy grants forbid as the operator's NotGranted", func() {
		setTenants := func(tenants []assurancev1alpha1.TenantGrant) {
			Eventually(func() error {
				clusterOrg := &assurancev1alpha1.ClusterOktaOrg{}
				if err := k8s.Get(ctx, client.ObjectKey{Name: h.name}, clusterOrg); err != nil {
					return err
				}
				clusterOrg.Spec.Tenants = tenants
				return k8s.Update(ctx, clusterOrg)
			}).Should(Succeed())
		}
		setTenants([]assurancev1alpha1.TenantGrant{{Name: "someone-else",
			NamespaceSelector: metav1.LabelSelector{MatchLabels: map[string]string{"team": "someone-else"}}}})
		DeferCleanup(setTenants, []assurancev1alpha1.TenantGrant(nil))
		code, out, errOut := h.run()
		Expect(code).To(Equal(cli.ExitError), "%s\n%s", out, errOut)
		Expect(strings.Count(out, ": refused: NotGranted: spec.orgRef: using this org needs a tenants entry: "+
			"no tenants entry of ClusterOktaOrg planned selects namespace planned")).To(Equal(len(h.objs)), out)
	})

	It("plans the deletions a prune makes, as the operator then sends them", func() {
		all := h.objs
		var gone, kept []managed.Object
		for _, obj := range all {
			if obj.GetName() == "macs" || obj.GetName() == "macos" {
				gone = append(gone, obj)
			} else {
				kept = append(kept, obj)
			}
		}
		h.objs = kept
		h.write()
		code, changes := h.plan("--prune")
		Expect(code).To(Equal(cli.ExitChanges))
		predicted := map[string][]string{}
		for _, c := range changes {
			if c.Name == "macs" || c.Name == "macos" {
				Expect(c.Action).To(Equal("delete"), c.Name)
			} else {
				Expect(c.Action).To(Equal("no-change"), c.Name)
			}
			for _, w := range c.Writes {
				predicted[c.Name] = append(predicted[c.Name], w.Method+" "+w.Path)
			}
		}

		h.objs = all
		before := h.marks()
		uids := map[string]types.UID{}
		for _, obj := range gone {
			live := obj.DeepCopyObject().(managed.Object)
			Expect(k8s.Get(ctx, client.ObjectKeyFromObject(obj), live)).To(Succeed())
			uids[obj.GetName()] = live.GetUID()
			Expect(k8s.Delete(ctx, live)).To(Succeed())
		}
		for _, obj := range gone {
			Eventually(deleted(obj.DeepCopyObject().(client.Object))).Should(BeTrue())
		}
		actual := map[string][]string{}
		for name, uid := range uids {
			for _, r := range objectRequests.of(uid)[before[name]:] {
				if !strings.HasPrefix(r, "GET ") {
					actual[name] = append(actual[name], r)
				}
			}
		}
		Expect(actual).To(Equal(predicted))
		h.objs = kept
	})

	AfterAll(func() { h.deleteAll() })
})

// rounds applies mutate to h.objs n times; each time the writes a plan of
// the manifests predicts must be the writes the operator sends once the
// cluster holds them, and a plan after that must say no change.
func rounds(h *plannedOrg, n int, mutate func()) {
	total := 0
	for round := range n {
		By(fmt.Sprintf("round %d", round))
		mutate()
		h.write()
		_, predicted := h.predicted()
		before := h.marks()
		h.update()
		h.settled()
		Expect(h.sent(before, nil)).To(Equal(predicted), "round %d", round)
		for _, writes := range predicted {
			total += len(writes)
		}
		code, again := h.predicted()
		Expect(code).To(Equal(cli.ExitOK), "round %d: applied, still %v", round, again)
	}
	Expect(total).To(BeNumerically(">=", n), "every round changes something, so the rounds compare writes")
}

func deref(b *bool) bool { return b != nil && *b }

// setSpec copies from's spec into obj, the same kind.
func setSpec(obj, from managed.Object) {
	switch o := obj.(type) {
	case *assurancev1alpha1.DeviceAssurancePolicy:
		o.Spec = from.(*assurancev1alpha1.DeviceAssurancePolicy).Spec
	case *assurancev1alpha1.DevicePostureCheck:
		o.Spec = from.(*assurancev1alpha1.DevicePostureCheck).Spec
	case *assurancev1alpha1.SignInRuleBinding:
		o.Spec = from.(*assurancev1alpha1.SignInRuleBinding).Spec
	}
}

func doAdmin(orgURL, method, path string, body *strings.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, orgURL+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "SSWS "+plantedToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	return resp, err
}
