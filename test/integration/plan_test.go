package integration_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/cli"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

// What `okta-assurance plan` predicts is what the operator then sends: for
// a first apply and for rounds of random changes to the manifests, the
// writes the plan lists for each object equal, request for request, the
// writes the operator's passes for that object send; and once applied, the
// plan says no change (exit 0). The plan connects as the ClusterOktaOrg
// does (--kubeconfig, --org) and reads the objects' Okta IDs from their
// status. The org is a simulator of its own.
var _ = Describe("plan", Ordered, func() {
	const (
		namespace = "planned"
		orgName   = "planned"
		appPolicy = "Planned App"
	)
	var (
		org        *httptest.Server
		kubeconfig string
		dir        string
		objs       []managed.Object
		random     *rand.Rand
	)

	writeManifests := func() {
		docs := make([]string, 0, len(objs))
		for _, obj := range objs {
			clean := obj.DeepCopyObject().(managed.Object)
			clean.SetResourceVersion("")
			clean.SetUID("")
			clean.SetGeneration(0)
			clean.SetCreationTimestamp(metav1.Time{})
			clean.SetManagedFields(nil)
			clean.SetFinalizers(nil)
			gvks, _, err := k8s.Scheme().ObjectKinds(clean)
			Expect(err).NotTo(HaveOccurred())
			clean.GetObjectKind().SetGroupVersionKind(gvks[0])
			raw, err := yaml.Marshal(clean)
			Expect(err).NotTo(HaveOccurred())
			docs = append(docs, string(raw))
		}
		Expect(os.WriteFile(filepath.Join(dir, "objects.yaml"), []byte(strings.Join(docs, "---\n")), 0o600)).To(Succeed())
	}
	// planWrites runs the command and returns its exit code and, per
	// object name, the writes it predicts as "METHOD path".
	planWrites := func() (int, map[string][]string) {
		var out, errOut strings.Builder
		code := cli.Main([]string{"plan", "-f", dir, "-n", namespace, "-o", "json", "--kubeconfig", kubeconfig,
			"--org", orgName, "--cluster-resource-namespace", operatorNamespace, "--allow-insecure-http",
			"--allowed-org-hosts", "127.0.0.1"}, &out, &errOut)
		Expect(code).To(BeElementOf(0, 2), "plan: %s\n%s", errOut.String(), out.String())
		var p struct {
			Changes []struct {
				Name   string `json:"name"`
				Action string `json:"action"`
				Writes []struct{ Method, Path string }
			} `json:"changes"`
		}
		Expect(json.Unmarshal([]byte(out.String()), &p)).To(Succeed())
		predicted := map[string][]string{}
		for _, c := range p.Changes {
			Expect(c.Action).NotTo(BeElementOf("refused", "blocked"), c.Name)
			for _, w := range c.Writes {
				path, _, _ := strings.Cut(w.Path, "?")
				predicted[c.Name] = append(predicted[c.Name], w.Method+" "+path)
			}
		}
		return code, predicted
	}
	// sent returns, per object name, the writes the operator's passes
	// sent since marks (requests already counted per object), created IDs
	// shown as "(new)" as a plan shows them.
	sent := func(marks map[string]int, created map[string]bool) map[string][]string {
		out := map[string][]string{}
		for _, obj := range objs {
			live := obj.DeepCopyObject().(managed.Object)
			Expect(k8s.Get(ctx, client.ObjectKeyFromObject(obj), live)).To(Succeed())
			for _, r := range objectRequests.of(live.GetUID())[marks[obj.GetName()]:] {
				if strings.HasPrefix(r, "GET ") {
					continue
				}
				for id := range created {
					r = strings.ReplaceAll(r, id, "(new)")
				}
				out[obj.GetName()] = append(out[obj.GetName()], r)
			}
		}
		return out
	}
	marks := func() map[string]int {
		m := map[string]int{}
		for _, obj := range objs {
			live := obj.DeepCopyObject().(managed.Object)
			if k8s.Get(ctx, client.ObjectKeyFromObject(obj), live) == nil {
				m[obj.GetName()] = len(objectRequests.of(live.GetUID()))
			}
		}
		return m
	}
	settled := func() {
		for _, obj := range objs {
			live := obj.DeepCopyObject().(managed.Object)
			Eventually(func(g Gomega) {
				g.Expect(k8s.Get(ctx, client.ObjectKeyFromObject(obj), live)).To(Succeed())
				status := live.GetManagedStatus()
				g.Expect(status.ObservedGeneration).To(Equal(live.GetGeneration()))
				g.Expect(status.Conditions).To(ContainElement(And(
					HaveField("Type", assurancev1alpha1.ConditionReady), HaveField("Status", metav1.ConditionTrue))), live.GetName())
			}).Should(Succeed())
		}
	}

	BeforeAll(func() {
		random = rand.New(rand.NewPCG(uint64(GinkgoRandomSeed()), 15))
		org = httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{plantedToken}, RateLimits: oktasim.RateLimits{Disabled: true}}))
		DeferCleanup(org.Close)
		body := strings.NewReader(fmt.Sprintf(`{"type":"ACCESS_POLICY","name":%q,"status":"ACTIVE"}`, appPolicy))
		resp, err := doAdmin(org.URL, http.MethodPost, "/api/v1/policies", body)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(HaveHTTPStatus(http.StatusOK))

		Expect(k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metaName(namespace)})).To(Succeed())
		Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: operatorNamespace, Name: "okta-planned-token"},
			StringData: map[string]string{"token": plantedToken}})).To(Succeed())
		clusterOrg := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metaName(orgName)}
		clusterOrg.Spec.URL, clusterOrg.Spec.AllowInsecureHTTP = org.URL, true
		clusterOrg.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta-planned-token", Key: "token"}}
		Expect(k8s.Create(ctx, clusterOrg)).To(Succeed())
		Eventually(isReady(clusterOrg, func() []metav1.Condition { return clusterOrg.Status.Conditions })).Should(Succeed())

		user, err := testEnv.AddUser(envtest.User{Name: "planner", Groups: []string{"system:masters"}}, nil)
		Expect(err).NotTo(HaveOccurred())
		raw, err := user.KubeConfig()
		Expect(err).NotTo(HaveOccurred())
		dir = GinkgoT().TempDir()
		kubeconfig = filepath.Join(GinkgoT().TempDir(), "kubeconfig")
		Expect(os.WriteFile(kubeconfig, raw, 0o600)).To(Succeed())

		ref := &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindClusterOktaOrg, Name: orgName}
		check := &assurancev1alpha1.DevicePostureCheck{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "firewall"}}
		Expect(yaml.Unmarshal([]byte(`{variableName: plannedFirewall, platform: MACOS, mappingType: CHECKBOX,
  query: "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;"}`), &check.Spec)).To(Succeed())
		ios := policyFrom("ios", `{platform: IOS, name: Planned iOS, jailbreak: false, osVersion: {minimum: "17.0"}}`)
		mac := policyFrom("macos", `{platform: MACOS, name: Planned macOS, osVersion: {minimum: "14.4"},
  diskEncryptionType: {include: [ALL_INTERNAL_VOLUMES]}, screenLockType: {include: [PASSCODE]},
  postureChecks: {include: [{name: firewall}]}, gracePeriod: {type: BY_DURATION, expiry: P30D}}`)
		rule := func(name string, priority int, policies string) *assurancev1alpha1.SignInRuleBinding {
			b := &assurancev1alpha1.SignInRuleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}}
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
		objs = []managed.Object{check, ios, mac, rule("phones", 1, "{name: ios}"), rule("macs", 2, "{name: macos}")}
		for _, obj := range objs {
			obj.SetNamespace(namespace)
			obj.GetManagedSpec().OrgRef = ref
		}
	})

	It("predicts the first apply's writes, then no change", func() {
		writeManifests()
		code, predicted := planWrites()
		Expect(code).To(Equal(cli.ExitChanges))
		before := marks()
		for _, obj := range objs {
			Expect(k8s.Create(ctx, obj.DeepCopyObject().(client.Object))).To(Succeed())
		}
		settled()
		created := map[string]bool{}
		for _, obj := range objs {
			live := obj.DeepCopyObject().(managed.Object)
			Expect(k8s.Get(ctx, client.ObjectKeyFromObject(obj), live)).To(Succeed())
			created[live.OktaID()] = true
		}
		Expect(sent(before, created)).To(Equal(predicted))
		code, predicted = planWrites()
		Expect(code).To(Equal(cli.ExitOK), "%v", predicted)
	})

	It("predicts the writes of random changes to the manifests", func() {
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
		total := 0
		for round := range 4 {
			By(fmt.Sprintf("round %d", round))
			// The first mutation always changes something; the others
			// may set what is already there.
			mutations[0]()
			for _, i := range random.Perm(len(mutations) - 1)[:random.IntN(3)] {
				mutations[i+1]()
			}
			writeManifests()
			_, predicted := planWrites()
			before := marks()
			for _, obj := range objs {
				live := obj.DeepCopyObject().(managed.Object)
				Expect(k8s.Get(ctx, client.ObjectKeyFromObject(obj), live)).To(Succeed())
				setSpec(live, obj)
				Expect(k8s.Update(ctx, live)).To(Succeed())
			}
			settled()
			Expect(sent(before, nil)).To(Equal(predicted), "round %d", round)
			for _, writes := range predicted {
				total += len(writes)
			}
			code, again := planWrites()
			Expect(code).To(Equal(cli.ExitOK), "round %d: applied, still %v", round, again)
		}
		Expect(total).To(BeNumerically(">=", 4), "every round changes something, so the rounds compare writes")
	})

	It("plans what the org's tenancy grants forbid as the operator's NotGranted", func() {
		setTenants := func(tenants []assurancev1alpha1.TenantGrant) {
			Eventually(func() error {
				clusterOrg := &assurancev1alpha1.ClusterOktaOrg{}
				if err := k8s.Get(ctx, client.ObjectKey{Name: orgName}, clusterOrg); err != nil {
					return err
				}
				clusterOrg.Spec.Tenants = tenants
				return k8s.Update(ctx, clusterOrg)
			}).Should(Succeed())
		}
		setTenants([]assurancev1alpha1.TenantGrant{{Name: "someone-else",
			NamespaceSelector: metav1.LabelSelector{MatchLabels: map[string]string{"team": "someone-else"}}}})
		DeferCleanup(setTenants, []assurancev1alpha1.TenantGrant(nil))
		var out, errOut strings.Builder
		code := cli.Main([]string{"plan", "-f", dir, "-n", namespace, "--kubeconfig", kubeconfig,
			"--org", orgName, "--cluster-resource-namespace", operatorNamespace, "--allow-insecure-http",
			"--allowed-org-hosts", "127.0.0.1"}, &out, &errOut)
		Expect(code).To(Equal(cli.ExitError), "%s\n%s", out.String(), errOut.String())
		Expect(strings.Count(out.String(), ": refused: NotGranted: spec.orgRef: using this org needs a tenants entry: "+
			"no tenants entry of ClusterOktaOrg planned selects namespace planned")).To(Equal(len(objs)), out.String())
	})

	It("plans the deletions a prune makes, as the operator then sends them", func() {
		var gone []managed.Object
		kept := objs[:0:0]
		for _, obj := range objs {
			if obj.GetName() == "macs" || obj.GetName() == "macos" {
				gone = append(gone, obj)
			} else {
				kept = append(kept, obj)
			}
		}
		all := objs
		objs = kept
		writeManifests()
		var out, errOut strings.Builder
		code := cli.Main([]string{"plan", "-f", dir, "-n", namespace, "-o", "json", "--kubeconfig", kubeconfig, "--prune",
			"--org", orgName, "--cluster-resource-namespace", operatorNamespace, "--allow-insecure-http",
			"--allowed-org-hosts", "127.0.0.1"}, &out, &errOut)
		Expect(code).To(Equal(cli.ExitChanges), "%s\n%s", out.String(), errOut.String())
		var p struct {
			Changes []struct {
				Name, Action string
				Writes       []struct{ Method, Path string }
			} `json:"changes"`
		}
		Expect(json.Unmarshal([]byte(out.String()), &p)).To(Succeed())
		predicted := map[string][]string{}
		for _, c := range p.Changes {
			if c.Name == "macs" || c.Name == "macos" {
				Expect(c.Action).To(Equal("delete"), c.Name)
			} else {
				Expect(c.Action).To(Equal("no-change"), c.Name)
			}
			for _, w := range c.Writes {
				predicted[c.Name] = append(predicted[c.Name], w.Method+" "+w.Path)
			}
		}

		objs = all
		before := marks()
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
		objs = kept
	})

	AfterAll(func() {
		for _, obj := range slices.Backward(objs) {
			_ = k8s.Delete(ctx, obj.DeepCopyObject().(client.Object))
		}
		for _, obj := range objs {
			Eventually(deleted(obj.DeepCopyObject().(client.Object))).Should(BeTrue())
		}
	})
})

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
