package crd_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// The installable package: what `kubectl apply -k config/default` and
// `make build-installer` (dist/install.yaml) install.
const operatorNamespace = "okta-assurance-system"

var _ = Describe("the installable package (config/default)", Ordered, func() {
	var (
		// kubectl runs kubectl as a cluster admin.
		kubectl   func(args ...string) (stdout, stderr io.Reader, err error)
		manifests []*unstructured.Unstructured
		pkg       = filepath.Join("..", "..", "config", "default")
	)

	// find returns the rendered objects of a kind.
	find := func(kind string) []*unstructured.Unstructured {
		var found []*unstructured.Unstructured
		for _, m := range manifests {
			if m.GetKind() == kind {
				found = append(found, m)
			}
		}
		return found
	}
	deployment := func() *unstructured.Unstructured {
		deployments := find("Deployment")
		Expect(deployments).To(HaveLen(1))
		return deployments[0]
	}

	BeforeAll(func() {
		admin, err := testEnv.AddUser(envtest.User{Name: "install-admin", Groups: []string{"system:masters"}}, nil)
		Expect(err).NotTo(HaveOccurred())
		k, err := admin.Kubectl()
		Expect(err).NotTo(HaveOccurred())
		kubectl = k.Run

		// kubectl's built-in kustomize renders the package, as
		// make build-installer does.
		stdout, stderr, err := kubectl("kustomize", pkg)
		Expect(err).NotTo(HaveOccurred(), "kubectl kustomize: %s", readAll(stderr))
		manifests = decodeAll(stdout)
		Expect(manifests).NotTo(BeEmpty())
	})

	It("renders the namespace, CRDs, RBAC, manager, metrics Service, uninstall guard and tenancy admission policy", func() {
		kinds := map[string]int{}
		for _, m := range manifests {
			kinds[m.GetKind()]++
		}
		Expect(kinds).To(SatisfyAll(
			HaveKeyWithValue("Namespace", 1),
			HaveKeyWithValue("CustomResourceDefinition", 5),
			HaveKeyWithValue("ServiceAccount", 1),
			HaveKeyWithValue("Deployment", 1),
			HaveKeyWithValue("Service", 1),
			HaveKeyWithValue("Role", 2),                             // leader election, Secrets of the operator's namespace
			HaveKeyWithValue("RoleBinding", 2),                      // their bindings
			HaveKeyWithValue("ValidatingAdmissionPolicy", 2),        // uninstall guard, tenancy admission
			HaveKeyWithValue("ValidatingAdmissionPolicyBinding", 2), // their bindings
			HaveKey("ClusterRole"),
			HaveKey("ClusterRoleBinding"),
		))

		ns := find("Namespace")[0]
		Expect(ns.GetName()).To(Equal(operatorNamespace))
		Expect(ns.GetLabels()).To(HaveKeyWithValue("pod-security.kubernetes.io/enforce", "restricted"))

		for _, m := range manifests {
			switch m.GetKind() {
			case "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
				"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding":
				Expect(m.GetNamespace()).To(BeEmpty(), "%s %s is cluster-scoped", m.GetKind(), m.GetName())
			default:
				Expect(m.GetNamespace()).To(Equal(operatorNamespace), "%s %s", m.GetKind(), m.GetName())
			}
		}

		// Each binding names its policy, with the package's name prefix.
		policies := make([]string, 0, 2)
		for _, p := range find("ValidatingAdmissionPolicy") {
			policies = append(policies, p.GetName())
		}
		Expect(policies).To(ConsistOf("okta-assurance-uninstall-guard", "okta-assurance-tenancy-admission"))
		bound := make([]any, 0, len(policies))
		for _, binding := range find("ValidatingAdmissionPolicyBinding") {
			bound = append(bound, nested(binding.Object, "spec")["policyName"])
			Expect(binding.Object).To(HaveKeyWithValue("spec", HaveKeyWithValue("validationActions", ConsistOf("Deny"))))
		}
		Expect(bound).To(ConsistOf(policies))

		// The tenancy admission policy is evaluated against every
		// ClusterOktaOrg, and admits when there is none.
		for _, p := range find("ValidatingAdmissionPolicy") {
			if p.GetName() == "okta-assurance-tenancy-admission" {
				Expect(nested(p.Object, "spec", "paramKind")).To(HaveKeyWithValue("kind", "ClusterOktaOrg"))
			}
		}
		for _, b := range find("ValidatingAdmissionPolicyBinding") {
			if b.GetName() == "okta-assurance-tenancy-admission" {
				Expect(nested(b.Object, "spec", "paramRef")).To(SatisfyAll(
					HaveKeyWithValue("selector", BeEmpty()), HaveKeyWithValue("parameterNotFoundAction", "Allow")))
			}
		}
	})

	It("runs the manager as its service account, with leader election, probes and metrics on 8443", func() {
		d := deployment()
		spec := nested(d.Object, "spec", "template", "spec")
		containers, _, _ := unstructured.NestedSlice(spec, "containers")
		Expect(containers).To(HaveLen(1))
		c := containers[0].(map[string]any)

		sa := find("ServiceAccount")[0]
		Expect(spec).To(HaveKeyWithValue("serviceAccountName", sa.GetName()))
		Expect(c["image"]).To(Equal("okta-assurance-operator:latest"))
		Expect(c["args"]).To(ContainElements("--leader-elect", "--health-probe-bind-address=:8081", "--metrics-bind-address=:8443"))
		Expect(c["env"]).To(ContainElement(HaveKeyWithValue("name", "POD_NAMESPACE")))
		Expect(nested(c, "livenessProbe", "httpGet")).To(HaveKeyWithValue("path", "/healthz"))
		Expect(nested(c, "readinessProbe", "httpGet")).To(HaveKeyWithValue("path", "/readyz"))
		Expect(nested(c, "resources")).To(SatisfyAll(HaveKey("requests"), HaveKey("limits")))

		svc := find("Service")[0]
		Expect(svc.Object).To(HaveKeyWithValue("spec", HaveKeyWithValue("ports",
			ContainElement(HaveKeyWithValue("port", BeNumerically("==", 8443))))))
		selector, _, _ := unstructured.NestedStringMap(svc.Object, "spec", "selector")
		podLabels, _, _ := unstructured.NestedStringMap(d.Object, "spec", "template", "metadata", "labels")
		for k, v := range selector {
			Expect(podLabels).To(HaveKeyWithValue(k, v), "the metrics Service selects the manager's pods")
		}

		// Every binding grants its role to the manager's service account.
		for _, b := range append(find("RoleBinding"), find("ClusterRoleBinding")...) {
			subjects, _, _ := unstructured.NestedSlice(b.Object, "subjects")
			Expect(subjects).To(ConsistOf(SatisfyAll(
				HaveKeyWithValue("kind", "ServiceAccount"),
				HaveKeyWithValue("name", sa.GetName()),
				HaveKeyWithValue("namespace", operatorNamespace),
			)), "subjects of %s", b.GetName())
		}
	})

	It("meets the restricted Pod Security Standard", func() {
		spec := nested(deployment().Object, "spec", "template", "spec")
		podSC := nested(spec, "securityContext")
		Expect(podSC).To(HaveKeyWithValue("runAsNonRoot", true))
		Expect(podSC).To(HaveKeyWithValue("seccompProfile", HaveKeyWithValue("type", "RuntimeDefault")))
		for _, field := range []string{"hostNetwork", "hostPID", "hostIPC"} {
			Expect(spec).NotTo(HaveKeyWithValue(field, true))
		}
		volumes, _, _ := unstructured.NestedSlice(spec, "volumes")
		for _, v := range volumes {
			// The volume types the restricted profile allows.
			Expect(v).To(SatisfyAny(HaveKey("configMap"), HaveKey("csi"), HaveKey("downwardAPI"), HaveKey("emptyDir"),
				HaveKey("ephemeral"), HaveKey("persistentVolumeClaim"), HaveKey("projected"), HaveKey("secret")))
		}

		containers, _, _ := unstructured.NestedSlice(spec, "containers")
		initContainers, _, _ := unstructured.NestedSlice(spec, "initContainers")
		for _, c := range append(containers, initContainers...) {
			sc := nested(c.(map[string]any), "securityContext")
			Expect(sc).To(HaveKeyWithValue("allowPrivilegeEscalation", false))
			Expect(sc).To(HaveKeyWithValue("readOnlyRootFilesystem", true))
			Expect(sc).To(HaveKeyWithValue("capabilities", HaveKeyWithValue("drop", ConsistOf("ALL"))))
			Expect(nested(sc, "capabilities")).NotTo(HaveKey("add"))
			Expect(sc).NotTo(HaveKeyWithValue("privileged", true))
			Expect(sc).NotTo(HaveKeyWithValue("runAsUser", BeNumerically("==", 0)))
		}
	})

	It("grants no RBAC wildcard", func() {
		roles := append(find("Role"), find("ClusterRole")...)
		Expect(roles).NotTo(BeEmpty())
		for _, role := range roles {
			rules, _, _ := unstructured.NestedSlice(role.Object, "rules")
			Expect(rules).NotTo(BeEmpty(), "role %s", role.GetName())
			for _, r := range rules {
				for _, field := range []string{"apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"} {
					values, _, _ := unstructured.NestedStringSlice(r.(map[string]any), field)
					for _, v := range values {
						Expect(v).NotTo(ContainSubstring("*"), "%s of role %s", field, role.GetName())
					}
				}
			}
		}
		// A ClusterRole that aggregates others would inherit their rules.
		for _, role := range find("ClusterRole") {
			Expect(role.Object).NotTo(HaveKey("aggregationRule"), "role %s", role.GetName())
		}
	})

	It("grants Secrets only where orgs point", func() {
		// secretRules returns the rules of a role that name Secrets.
		secretRules := func(role *unstructured.Unstructured) []map[string]any {
			rules, _, _ := unstructured.NestedSlice(role.Object, "rules")
			var found []map[string]any
			for _, r := range rules {
				rule := r.(map[string]any)
				groups, _, _ := unstructured.NestedStringSlice(rule, "apiGroups")
				resources, _, _ := unstructured.NestedStringSlice(rule, "resources")
				if slices.Contains(groups, "") && slices.ContainsFunc(resources, func(r string) bool {
					return r == "secrets" || strings.HasPrefix(r, "secrets/")
				}) {
					found = append(found, rule)
				}
			}
			return found
		}
		verbs := func(rule map[string]any) []string {
			v, _, _ := unstructured.NestedStringSlice(rule, "verbs")
			return v
		}
		byName := func(kind, name string) *unstructured.Unstructured {
			for _, m := range find(kind) {
				if m.GetName() == name {
					return m
				}
			}
			Fail(fmt.Sprintf("no %s %s in the package", kind, name))
			return nil
		}

		By("the manager's ClusterRole: no Secret")
		Expect(secretRules(byName("ClusterRole", "okta-assurance-manager-role"))).To(BeEmpty())

		By("the manager's Role: get, list and watch, in the operator's namespace only")
		for _, role := range find("Role") {
			if role.GetName() != "okta-assurance-manager-role" {
				Expect(secretRules(role)).To(BeEmpty(), "Role %s", role.GetName())
			}
		}
		role := byName("Role", "okta-assurance-manager-role")
		Expect(role.GetNamespace()).To(Equal(operatorNamespace))
		Expect(secretRules(role)).To(ConsistOf(WithTransform(verbs, ConsistOf("get", "list", "watch"))))
		binding := byName("RoleBinding", "okta-assurance-manager-rolebinding")
		Expect(binding.GetNamespace()).To(Equal(operatorNamespace))
		Expect(binding.Object).To(HaveKeyWithValue("roleRef", SatisfyAll(
			HaveKeyWithValue("kind", "Role"), HaveKeyWithValue("name", role.GetName()))))

		By("the tenants' secret-reader ClusterRole: get only, and bound by nothing in the package")
		reader := byName("ClusterRole", orgclient.SecretReaderClusterRole)
		rules, _, _ := unstructured.NestedSlice(reader.Object, "rules")
		Expect(rules).To(HaveLen(1))
		Expect(secretRules(reader)).To(ConsistOf(SatisfyAll(
			WithTransform(verbs, ConsistOf("get")),
			HaveKeyWithValue("resources", ConsistOf("secrets")),
			Not(HaveKey("resourceNames")),
		)))
		Expect(reader.GetLabels()).NotTo(HaveKey(HavePrefix("rbac.authorization.k8s.io/aggregate-to")))

		By("no other ClusterRole names Secrets, and none that does is bound")
		for _, cr := range find("ClusterRole") {
			if cr.GetName() != reader.GetName() {
				Expect(secretRules(cr)).To(BeEmpty(), "ClusterRole %s", cr.GetName())
			}
		}
		for _, b := range append(find("RoleBinding"), find("ClusterRoleBinding")...) {
			Expect(b.Object).NotTo(HaveKeyWithValue("roleRef", HaveKeyWithValue("name", reader.GetName())), "binding %s", b.GetName())
		}
	})

	It("applies cleanly with kubectl apply --dry-run=server -k", func() {
		// A server-side dry run persists nothing, so the namespaced objects
		// need their namespace to exist; create it as rendered, with the
		// restricted Pod Security Standard enforced.
		ns := find("Namespace")[0].DeepCopy()
		err := k8sClient.Create(ctx, ns)
		if !apierrors.IsAlreadyExists(err) {
			Expect(err).NotTo(HaveOccurred())
		}

		_, stderr, err := kubectl("apply", "--dry-run=server", "-k", pkg)
		out := readAll(stderr)
		Expect(err).NotTo(HaveOccurred(), "kubectl apply: %s", out)
		Expect(out).NotTo(ContainSubstring("PodSecurity"))

		// The API server's PodSecurity admission admits the manager's pod in
		// the namespace that enforces restricted, and refuses a pod that
		// does not meet it (so the check is real).
		template := nested(deployment().Object, "spec", "template")
		pod := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1",
			"kind":       "Pod",
			"metadata":   map[string]any{"name": "manager-pss-check", "namespace": operatorNamespace},
			"spec":       template["spec"],
		}}
		Expect(k8sClient.Create(ctx, pod.DeepCopy(), client.DryRunAll)).To(Succeed())

		Expect(unstructured.SetNestedField(pod.Object, false, "spec", "securityContext", "runAsNonRoot")).To(Succeed())
		err = k8sClient.Create(ctx, pod, client.DryRunAll)
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(ContainSubstring(`violates PodSecurity "restricted`))
	})
})

// nested returns the map at fields of obj, failing the test if it is
// missing.
func nested(obj map[string]any, fields ...string) map[string]any {
	m, found, err := unstructured.NestedMap(obj, fields...)
	Expect(err).NotTo(HaveOccurred())
	Expect(found).To(BeTrue(), "missing field %v", fields)
	return m
}

// decodeAll decodes a multi-document YAML stream.
func decodeAll(r io.Reader) []*unstructured.Unstructured {
	raw, err := io.ReadAll(r)
	Expect(err).NotTo(HaveOccurred())
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(raw), 4096)
	var objs []*unstructured.Unstructured
	for {
		obj := &unstructured.Unstructured{}
		err := dec.Decode(&obj.Object)
		if errors.Is(err, io.EOF) {
			return objs
		}
		Expect(err).NotTo(HaveOccurred())
		if len(obj.Object) > 0 {
			objs = append(objs, obj)
		}
	}
}
