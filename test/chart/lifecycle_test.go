package chart

import (
	"context"
	"strings"
	"testing"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

var clusterOktaOrgs = schema.GroupVersionResource{Group: "assurance.okta-operator.dev", Version: "v1alpha1", Resource: "clusteroktaorgs"}

// TestInstallUpgradeUninstall runs Helm's own install, upgrade and
// uninstall against a real API server without the operator's CRDs: the
// first install creates them; the ClusterOktaOrg is refused by that first
// install with the documented message and created by an upgrade; uninstall
// removes the manager and keeps the CRDs, the org and its Secret.
func TestInstallUpgradeUninstall(t *testing.T) {
	for _, h := range helms(t) {
		t.Run(h.name, func(t *testing.T) { installUpgradeUninstall(t, h) })
	}
}

func installUpgradeUninstall(t *testing.T, h helmCmd) {
	kubeconfig := startAPIServer(t, nil, releaseNS)
	helmIn := func(args ...string) (string, error) {
		return h.run(t, append(args, "--kubeconfig", kubeconfig, "--namespace", releaseNS)...)
	}
	org := []string{"--set", "clusterOktaOrg.create=true", "--set", "clusterOktaOrg.spec.url=https://example.okta.com",
		"--set", "clusterOktaOrg.spec.apiToken.secretRef.name=okta-api-token",
		"--set", "clusterOktaOrg.spec.apiToken.secretRef.key=token",
		"--set", "clusterOktaOrg.secret.create=true", "--set", "clusterOktaOrg.secret.name=okta-api-token",
		"--set", "clusterOktaOrg.secret.stringData.token=00not-a-token"}

	if _, err := helmIn(append([]string{"install", release, chartDir}, org...)...); err == nil ||
		!strings.Contains(err.Error(), "the ClusterOktaOrg CRD is not installed yet") {
		t.Fatalf("a first install with clusterOktaOrg.create: %v", err)
	}
	if _, err := helmIn("install", release, chartDir); err != nil {
		t.Fatal(err)
	}
	if _, err := helmIn(append([]string{"upgrade", release, chartDir, "--reuse-values"}, org...)...); err != nil {
		t.Fatal(err)
	}
	clients, dyn, crds := clientsFor(t, kubeconfig)
	ctx := context.Background()
	if _, err := dyn.Resource(clusterOktaOrgs).Get(ctx, "default", metav1.GetOptions{}); err != nil {
		t.Fatalf("the upgrade did not create the ClusterOktaOrg: %v", err)
	}

	if _, err := helmIn("uninstall", release); err != nil {
		t.Fatal(err)
	}
	if _, err := clients.AppsV1().Deployments(releaseNS).Get(ctx, release+"-controller-manager", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the manager Deployment after uninstall: %v", err)
	}
	list, err := crds.ApiextensionsV1().CustomResourceDefinitions().List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=okta-assurance-operator"})
	if err != nil || len(list.Items) != 5 {
		t.Errorf("CRDs after uninstall: %d, %v; want the 5 kept", len(list.Items), err)
	}
	if _, err := dyn.Resource(clusterOktaOrgs).Get(ctx, "default", metav1.GetOptions{}); err != nil {
		t.Errorf("the ClusterOktaOrg after uninstall: %v", err)
	}
	if _, err := clients.CoreV1().Secrets(releaseNS).Get(ctx, "okta-api-token", metav1.GetOptions{}); err != nil {
		t.Errorf("the org's Secret after uninstall: %v", err)
	}
}

func clientsFor(t *testing.T, kubeconfig string) (*kubernetes.Clientset, *dynamic.DynamicClient, *apiextensions.Clientset) {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	return kubernetes.NewForConfigOrDie(cfg), dynamic.NewForConfigOrDie(cfg), apiextensions.NewForConfigOrDie(cfg)
}
