package chart

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

func kinds(objects []map[string]any, kind string) []map[string]any {
	var out []map[string]any
	for _, o := range objects {
		if o["kind"] == kind {
			out = append(out, o)
		}
	}
	return out
}

func TestCRDsAreKeptOnUninstallUnlessAsked(t *testing.T) {
	for _, c := range []struct {
		name     string
		args     []string
		crds     int
		keptCRDs int
	}{
		{"default", nil, 5, 5},
		{"crds.keep=false", []string{"--set", "crds.keep=false"}, 5, 0},
		{"crds.install=false", []string{"--set", "crds.install=false"}, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			crds := kinds(decode(t, render(t, c.args...)), "CustomResourceDefinition")
			kept := 0
			for _, crd := range crds {
				annotations, _ := crd["metadata"].(map[string]any)["annotations"].(map[string]any)
				if annotations["helm.sh/resource-policy"] == "keep" {
					kept++
				}
			}
			if len(crds) != c.crds || kept != c.keptCRDs {
				t.Fatalf("%d CRDs, %d kept; want %d, %d kept", len(crds), kept, c.crds, c.keptCRDs)
			}
		})
	}
}

// TestValuesRefusedWithAReason: values that would install something broken
// fail `helm install` with a message that names the value.
func TestValuesRefusedWithAReason(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"standbys without leader election",
			[]string{"--set", "replicaCount=2", "--set", "leaderElection.enabled=false"}, "replicaCount: more than one replica needs leaderElection.enabled"},
		{"an org before its CRD exists",
			[]string{"--set", "clusterOktaOrg.create=true", "--set", "clusterOktaOrg.spec.url=https://example.okta.com"}, "clusterOktaOrg.create: the ClusterOktaOrg CRD is not installed yet"},
		{"an org without a URL",
			[]string{"--set", "crds.install=false", "--set", "clusterOktaOrg.create=true"}, "clusterOktaOrg.spec.url is required"},
		{"a ServiceMonitor without metrics",
			[]string{"--set", "serviceMonitor.enabled=true", "--set", "metrics.enabled=false"}, "serviceMonitor.enabled: the ServiceMonitor scrapes the metrics Service"},
		{"a Secret without a name",
			[]string{"--set", "clusterOktaOrg.secret.create=true", "--set", "clusterOktaOrg.secret.stringData.token=x"}, "clusterOktaOrg.secret.name is required"},
		{"a duration that is not one (schema)",
			[]string{"--set", "manager.resyncPeriod=hourly"}, "resyncPeriod"},
		{"a prefix that would make a Service name longer than 63 characters (schema)",
			[]string{"--set", "fullnameOverride=a2345678901234567890123456789"}, "fullnameOverride"},
		{"a label the chart sets itself (schema)",
			[]string{"--set", "podLabels.control-plane=other"}, "podLabels"},
		{"an unknown value (schema)",
			[]string{"--set", "replicas=2"}, "replicas"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := helm(t, append([]string{"template", release, chartDir, "--namespace", releaseNS}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, err)
			}
		})
	}
}

// TestClusterOktaOrgOnceItsCRDExists: in an upgrade (the CRD is known to
// the cluster) the org and its Secret are rendered, the Secret where the
// manager reads ClusterOktaOrgs' Secrets.
func TestClusterOktaOrgOnceItsCRDExists(t *testing.T) {
	objects := decode(t, render(t, "--api-versions", "assurance.okta-operator.dev/v1alpha1/ClusterOktaOrg",
		"--set", "clusterOktaOrg.create=true", "--set", "clusterOktaOrg.spec.url=https://example.okta.com",
		"--set", "clusterOktaOrg.spec.apiToken.secretRef.name=okta-api-token",
		"--set", "clusterOktaOrg.spec.apiToken.secretRef.key=token",
		"--set", "clusterOktaOrg.secret.create=true", "--set", "clusterOktaOrg.secret.name=okta-api-token",
		"--set", "clusterOktaOrg.secret.stringData.token=00abc",
		"--set", "manager.clusterResourceNamespace=okta-credentials"))
	orgs := kinds(objects, "ClusterOktaOrg")
	if len(orgs) != 1 || orgs[0]["spec"].(map[string]any)["url"] != "https://example.okta.com" {
		t.Fatalf("ClusterOktaOrgs: %v", orgs)
	}
	secrets := kinds(objects, "Secret")
	if len(secrets) != 1 || secrets[0]["metadata"].(map[string]any)["namespace"] != "okta-credentials" {
		t.Fatalf("Secrets: %v", secrets)
	}
}

// TestManagerRolesFollowTheClusterResourceNamespace: the manager keeps its
// Leases (leader election, each org's shard claim, taken with or without
// leader election) and reads ClusterOktaOrgs' Secrets in
// --cluster-resource-namespace, so its Roles must be there.
func TestManagerRolesFollowTheClusterResourceNamespace(t *testing.T) {
	objects := decode(t, render(t, "--set", "manager.clusterResourceNamespace=okta-credentials", "--set", "leaderElection.enabled=false"))
	roles := map[string]string{}
	for _, kind := range []string{"Role", "RoleBinding"} {
		for _, o := range kinds(objects, kind) {
			meta := o["metadata"].(map[string]any)
			roles[kind+" "+meta["name"].(string)] = meta["namespace"].(string)
		}
	}
	want := map[string]string{
		"Role okta-assurance-manager-role":                       "okta-credentials",
		"RoleBinding okta-assurance-manager-rolebinding":         "okta-credentials",
		"Role okta-assurance-leader-election-role":               "okta-credentials",
		"RoleBinding okta-assurance-leader-election-rolebinding": "okta-credentials",
	}
	if diff := cmp.Diff(want, roles); diff != "" {
		t.Errorf("Roles and their namespaces (-want +got):\n%s", diff)
	}
}

// TestManagerKnowsEveryFlagTheChartSets: a flag the manager does not know
// stops it at start, so every flag the chart can set must be in the
// manager's -help.
func TestManagerKnowsEveryFlagTheChartSets(t *testing.T) {
	manager := filepath.Join(t.TempDir(), "manager")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-o", manager, managerPackage).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var help bytes.Buffer
	cmd := exec.CommandContext(t.Context(), manager, "-help")
	cmd.Stdout, cmd.Stderr = &help, &help
	_ = cmd.Run() // -help exits 0 or 2, depending on the flag package's mood.
	known := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+-([a-z0-9-]+)`).FindAllStringSubmatch(help.String(), -1) {
		known[m[1]] = true
	}
	if len(known) < 10 {
		t.Fatalf("could not read the manager's flags from -help:\n%s", help.String())
	}
	for _, arg := range args(t, decode(t, render(t, "-f", everything))) {
		if !known[flagName(arg)] {
			t.Errorf("the chart sets %s, which the manager does not know", arg)
		}
	}
}

// TestAlertsAndDashboardAreConfigPrometheus: the chart's PrometheusRule and
// dashboard are those of config/prometheus, with Prometheus' templates in
// the annotations untouched by Helm.
func TestAlertsAndDashboardAreConfigPrometheus(t *testing.T) {
	objects := decode(t, render(t, "--set", "prometheusRule.enabled=true", "--set", "grafanaDashboard.enabled=true"))

	raw, err := os.ReadFile("../../config/prometheus/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := yaml.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	rules := kinds(objects, "PrometheusRule")
	if len(rules) != 1 {
		t.Fatalf("%d PrometheusRules rendered", len(rules))
	}
	if diff := cmp.Diff(want["spec"], rules[0]["spec"]); diff != "" {
		t.Errorf("the chart's alert rules differ from config/prometheus/rules.yaml (-config +chart); run make chart:\n%s", diff)
	}

	dashboard, err := os.ReadFile("../../config/prometheus/dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	maps := kinds(objects, "ConfigMap")
	if len(maps) != 1 {
		t.Fatalf("%d ConfigMaps rendered", len(maps))
	}
	got := maps[0]["data"].(map[string]any)["okta-assurance-operator.json"]
	if got != strings.TrimSuffix(string(dashboard), "\n") {
		t.Error("the chart's dashboard differs from config/prometheus/dashboard.json; run make chart")
	}
}
