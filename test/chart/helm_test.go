// Package chart tests the Helm chart charts/okta-assurance-operator with the
// helm command (make helm; $HELM) and a real API server (envtest).
package chart

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

const (
	chartDir       = "../../charts/okta-assurance-operator"
	everything     = chartDir + "/ci/everything-values.yaml"
	release        = "okta-assurance"
	releaseNS      = "okta-assurance-system"
	managerPackage = "../../cmd"
)

// helmCmd is one helm command the chart is tested with.
type helmCmd struct{ name, path string }

// helms are the commands the chart must work with: Helm 4 ($HELM, or the
// one make helm builds) and Helm 3 ($HELM3, make helm3).
func helms(t *testing.T) []helmCmd {
	t.Helper()
	return []helmCmd{helm4(t), helmBinary(t, "helm3", "HELM3", "helm3")}
}

func helm4(t *testing.T) helmCmd {
	t.Helper()
	return helmBinary(t, "helm4", "HELM", "helm")
}

func helmBinary(t *testing.T, name, env, file string) helmCmd {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		path = "../../bin/" + file
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("%s not found at %s: run `make %s`, or set %s (%v)", name, abs, file, env, err)
	}
	return helmCmd{name: name, path: abs}
}

// run runs the command and returns its standard output.
func (h helmCmd) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), h.path, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// No user configuration or repository cache leaks into the test.
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HELM_CONFIG_HOME="+home, "HELM_CACHE_HOME="+home, "HELM_DATA_HOME="+home)
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w\n%s", h.name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// render is `helm template` of the chart with extra arguments (values).
func (h helmCmd) render(t *testing.T, args ...string) string {
	t.Helper()
	out, err := h.run(t, append([]string{"template", release, chartDir, "--namespace", releaseNS}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// helm runs Helm 4.
func helm(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return helm4(t).run(t, args...)
}

// render renders the chart with Helm 4.
func render(t *testing.T, args ...string) string {
	t.Helper()
	return helm4(t).render(t, args...)
}

// decode splits a multi-document YAML stream into objects, skipping empty
// documents.
func decode(t *testing.T, stream string) []map[string]any {
	t.Helper()
	d := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(stream), 4096)
	var objects []map[string]any
	for {
		var o map[string]any
		if err := d.Decode(&o); err != nil {
			if err.Error() == "EOF" {
				return objects
			}
			t.Fatalf("decoding rendered YAML: %v", err)
		}
		if len(o) > 0 {
			objects = append(objects, o)
		}
	}
}

func key(o map[string]any) string {
	meta, _ := o["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	name, _ := meta["name"].(string)
	return fmt.Sprintf("%s %s/%s", o["kind"], ns, name)
}

func TestLintStrict(t *testing.T) {
	for _, h := range helms(t) {
		t.Run(h.name, func(t *testing.T) { lintStrict(t, h) })
	}
}

func lintStrict(t *testing.T, h helmCmd) {
	for name, args := range map[string][]string{
		"default values":    nil,
		"everything values": {"-f", everything},
		// 28 characters: the longest name, the metrics Service's, is 63.
		"the longest name prefix": {"--set", "fullnameOverride=a234567890123456789012345678"},
	} {
		t.Run(name, func(t *testing.T) {
			out, err := h.run(t, append([]string{"lint", "--strict", chartDir}, args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "0 chart(s) failed") {
				t.Fatalf("helm lint:\n%s", out)
			}
		})
	}
}
