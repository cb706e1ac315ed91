package integration_test

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/cli"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

// plannedOrg is what the specs that compare a plan with what the operator
// then sends share: a simulated org of their own served by a ClusterOktaOrg
// of the same name, a namespace, a folder of manifests (objs) and a
// kubeconfig for the command.
type plannedOrg struct {
	name, namespace string
	sim             *httptest.Server
	kubeconfig, dir string
	objs            []managed.Object
}

// newPlannedOrg starts the simulator and connects its ClusterOktaOrg.
func newPlannedOrg(name, namespace string) *plannedOrg {
	h := &plannedOrg{name: name, namespace: namespace}
	h.sim = httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{plantedToken}, RateLimits: oktasim.RateLimits{Disabled: true}}))
	DeferCleanup(h.sim.Close)
	Expect(k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metaName(namespace)})).To(Succeed())
	secret := "okta-" + name + "-token"
	Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: operatorNamespace, Name: secret},
		StringData: map[string]string{"token": plantedToken}})).To(Succeed())
	clusterOrg := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metaName(name)}
	clusterOrg.Spec.URL, clusterOrg.Spec.AllowInsecureHTTP = h.sim.URL, true
	clusterOrg.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: secret, Key: "token"}}
	Expect(k8s.Create(ctx, clusterOrg)).To(Succeed())
	Eventually(isReady(clusterOrg, func() []metav1.Condition { return clusterOrg.Status.Conditions })).Should(Succeed())

	user, err := testEnv.AddUser(envtest.User{Name: "planner-" + name, Groups: []string{"system:masters"}}, nil)
	Expect(err).NotTo(HaveOccurred())
	raw, err := user.KubeConfig()
	Expect(err).NotTo(HaveOccurred())
	h.dir = GinkgoT().TempDir()
	h.kubeconfig = filepath.Join(GinkgoT().TempDir(), "kubeconfig")
	Expect(os.WriteFile(h.kubeconfig, raw, 0o600)).To(Succeed())
	return h
}

// write puts objs, without what the cluster added, into the folder.
func (h *plannedOrg) write() {
	docs := make([]string, 0, len(h.objs))
	for _, obj := range h.objs {
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
	Expect(os.RemoveAll(h.dir)).To(Succeed())
	Expect(os.MkdirAll(h.dir, 0o700)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(h.dir, "objects.yaml"), []byte(strings.Join(docs, "---\n")), 0o600)).To(Succeed())
}

// run runs the command on the folder as the org's ClusterOktaOrg, with
// extra arguments, and returns its exit code and output.
func (h *plannedOrg) run(extra ...string) (int, string, string) {
	var out, errOut strings.Builder
	args := append([]string{"plan", "-f", h.dir, "-n", h.namespace, "--kubeconfig", h.kubeconfig,
		"--org", h.name, "--cluster-resource-namespace", operatorNamespace, "--allow-insecure-http",
		"--allowed-org-hosts", "127.0.0.1"}, extra...)
	code := cli.Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// planChange is one object's change in `plan -o json`.
type planChange struct {
	Name, Action string
	Writes       []struct{ Method, Path string }
}

// plan runs `plan -o json` and returns its exit code and its changes.
func (h *plannedOrg) plan(extra ...string) (int, []planChange) {
	code, out, errOut := h.run(append([]string{"-o", "json"}, extra...)...)
	Expect(code).To(BeElementOf(cli.ExitOK, cli.ExitChanges), "plan: %s\n%s", errOut, out)
	var p struct {
		Changes []planChange `json:"changes"`
	}
	Expect(json.Unmarshal([]byte(out), &p)).To(Succeed())
	return code, p.Changes
}

// predicted returns the plan's exit code and, per object name, the writes
// it predicts as "METHOD path" (no query), failing on a refusal.
func (h *plannedOrg) predicted() (int, map[string][]string) {
	code, changes := h.plan()
	out := map[string][]string{}
	for _, c := range changes {
		Expect(c.Action).NotTo(BeElementOf("refused", "blocked"), c.Name)
		for _, w := range c.Writes {
			path, _, _ := strings.Cut(w.Path, "?")
			out[c.Name] = append(out[c.Name], w.Method+" "+path)
		}
	}
	return code, out
}

// marks counts the requests already made for each object of objs that
// exists.
func (h *plannedOrg) marks() map[string]int {
	m := map[string]int{}
	for _, obj := range h.objs {
		live := obj.DeepCopyObject().(managed.Object)
		if k8s.Get(ctx, client.ObjectKeyFromObject(obj), live) == nil {
			m[obj.GetName()] = len(objectRequests.of(live.GetUID()))
		}
	}
	return m
}

// sent returns, per object name, the writes the operator's passes sent
// since marks, with the IDs in created shown as "(new)" as a plan shows
// them.
func (h *plannedOrg) sent(marks map[string]int, created map[string]bool) map[string][]string {
	out := map[string][]string{}
	for _, obj := range h.objs {
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

// settled waits until every object is Ready at its generation.
func (h *plannedOrg) settled() {
	for _, obj := range h.objs {
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

// update writes objs' specs to the cluster.
func (h *plannedOrg) update() {
	for _, obj := range h.objs {
		Eventually(func() error {
			live := obj.DeepCopyObject().(managed.Object)
			if err := k8s.Get(ctx, client.ObjectKeyFromObject(obj), live); err != nil {
				return err
			}
			setSpec(live, obj)
			return k8s.Update(ctx, live)
		}).Should(Succeed())
	}
}

// created are the Okta IDs of objs in the cluster.
func (h *plannedOrg) created() map[string]bool {
	ids := map[string]bool{}
	for _, obj := range h.objs {
		live := obj.DeepCopyObject().(managed.Object)
		Expect(k8s.Get(ctx, client.ObjectKeyFromObject(obj), live)).To(Succeed())
		ids[live.OktaID()] = true
	}
	return ids
}

// deleteAll deletes objs and waits until they are gone.
func (h *plannedOrg) deleteAll() {
	for i := len(h.objs) - 1; i >= 0; i-- {
		_ = k8s.Delete(ctx, h.objs[i].DeepCopyObject().(client.Object))
	}
	for _, obj := range h.objs {
		Eventually(deleted(obj.DeepCopyObject().(client.Object))).Should(BeTrue())
	}
}
