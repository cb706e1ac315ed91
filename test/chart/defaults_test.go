package chart

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// helmOnlyLabels are the labels the chart sets on top of config/default's:
// who manages the object, and which release and chart version made it.
var helmOnlyLabels = []string{"app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "app.kubernetes.io/version", "helm.sh/chart"}

// TestDefaultValuesInstallWhatConfigDefaultDoes is the chart's drift check:
// at its default values the chart renders the objects of
// `kubectl kustomize config/default`, field for field, apart from the
// Namespace (the release's), Helm's own labels and annotation, and the
// image.
func TestDefaultValuesInstallWhatConfigDefaultDoes(t *testing.T) {
	for _, h := range helms(t) {
		t.Run(h.name, func(t *testing.T) { sameAsConfigDefault(t, h.render(t)) })
	}
}

func sameAsConfigDefault(t *testing.T, rendered string) {
	want := map[string]map[string]any{}
	for _, o := range kustomize(t, "../../config/default") {
		if o["kind"] == "Namespace" {
			continue
		}
		want[key(o)] = comparable(t, o)
	}
	got := map[string]map[string]any{}
	for _, o := range decode(t, rendered) {
		got[key(o)] = comparable(t, o)
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("the chart does not render %s, which config/default installs", k)
			continue
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s differs from config/default's (-config/default +chart):\n%s", k, diff)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("the chart renders %s at its default values, which config/default does not install", k)
		}
	}
}

func kustomize(t *testing.T, dir string) []map[string]any {
	t.Helper()
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize %s: %v", dir, err)
	}
	objects := make([]map[string]any, 0, resources.Size())
	for _, r := range resources.Resources() {
		m, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		objects = append(objects, m)
	}
	return objects
}

// comparable drops what legitimately differs between the two packages, and
// gives both the same number types (JSON's).
func comparable(t *testing.T, o map[string]any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	o = nil
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	dropLabels(o)
	// Only Helm reads it: the CRDs stay on helm uninstall (crds.keep).
	if annotations, ok := o["metadata"].(map[string]any)["annotations"].(map[string]any); ok {
		delete(annotations, "helm.sh/resource-policy")
	}
	if o["kind"] == "Deployment" {
		for _, c := range containers(o) {
			c["image"] = "IMAGE"
		}
	}
	return o
}

// dropLabels removes Helm's labels wherever labels are: metadata, pod
// templates and selectors.
func dropLabels(v any) {
	switch v := v.(type) {
	case map[string]any:
		for _, l := range helmOnlyLabels {
			delete(v, l)
		}
		for k, child := range v {
			dropLabels(child)
			if m, ok := child.(map[string]any); ok && len(m) == 0 && (k == "labels" || k == "matchLabels") {
				delete(v, k)
			}
		}
	case []any:
		for _, child := range v {
			dropLabels(child)
		}
	}
}

func containers(deployment map[string]any) []map[string]any {
	spec := deployment["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	list := spec["containers"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, c := range list {
		out = append(out, c.(map[string]any))
	}
	return out
}

// args are the manager container's arguments.
func args(t *testing.T, objects []map[string]any) []string {
	t.Helper()
	for _, o := range objects {
		if o["kind"] != "Deployment" {
			continue
		}
		var out []string
		for _, a := range containers(o)[0]["args"].([]any) {
			out = append(out, a.(string))
		}
		return out
	}
	t.Fatal("no Deployment rendered")
	return nil
}

func flagName(arg string) string {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return name
}
