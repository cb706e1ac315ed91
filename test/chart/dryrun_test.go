package chart

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// TestRenderedChartPassesServerSideDryRun applies what the chart renders,
// at its default values and with every option on, to a real API server with
// server-side apply and --dry-run=server: every object must be one the API
// server accepts (schemas, CEL of the admission policies, RBAC, the
// ClusterOktaOrg against its CRD, ServiceMonitor and PrometheusRule against
// the Prometheus Operator's). The operator's CRDs are already installed, as
// in an upgrade, so that the ClusterOktaOrg can be judged; --force-conflicts
// takes their fields over from the test's installer: the dry run judges
// the objects, not who owns their fields.
func TestRenderedChartPassesServerSideDryRun(t *testing.T) {
	kubeconfig := startAPIServer(t, []string{"../../config/crd/bases"}, "okta-assurance-system", "okta-credentials", "monitoring")
	for name, args := range map[string][]string{
		"default values":    nil,
		"everything values": {"-f", everything},
	} {
		t.Run(name, func(t *testing.T) {
			manifest := render(t, args...)
			cmd := exec.CommandContext(t.Context(), kubectl(t), "--kubeconfig", kubeconfig, "apply", "--server-side",
				"--dry-run=server", "--field-manager=helm", "--force-conflicts", "-f", "-")
			cmd.Stdin = strings.NewReader(manifest)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				t.Fatalf("kubectl apply --server-side --dry-run=server: %v\n%s", err, out.String())
			}
			applied := strings.Count(out.String(), "(server dry run)")
			if objects := len(decode(t, manifest)); applied != objects {
				t.Fatalf("%d of %d objects applied:\n%s", applied, objects, out.String())
			}
		})
	}
}

// startAPIServer starts kube-apiserver and etcd with the CRDs of crdDirs
// and the Prometheus Operator's, creates the namespaces, and returns a
// kubeconfig file.
func startAPIServer(t *testing.T, crdDirs []string, namespaces ...string) string {
	t.Helper()
	env := &envtest.Environment{
		CRDDirectoryPaths:     append(crdDirs, "testdata/crds"),
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := env.Start()
	if err != nil {
		t.Fatalf("starting the API server (KUBEBUILDER_ASSETS=%q; make k8s-binaries): %v", os.Getenv("KUBEBUILDER_ASSETS"), err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	clients := kubernetes.NewForConfigOrDie(cfg)
	for _, ns := range namespaces {
		_, err := clients.CoreV1().Namespaces().Create(context.Background(),
			&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
	}
	user, err := env.AddUser(envtest.User{Name: "chart-test", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig, err := user.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, kubeconfig, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// kubectl is the one beside the API server the tests run.
func kubectl(t *testing.T) string {
	t.Helper()
	path := filepath.Join(os.Getenv("KUBEBUILDER_ASSETS"), "kubectl")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("kubectl not found (KUBEBUILDER_ASSETS; make k8s-binaries): %v", err)
	}
	return path
}
