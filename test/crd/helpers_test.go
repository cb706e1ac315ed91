package crd_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"

	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

const namespace = "default"

var nameCounter atomic.Int64

// policy wraps a spec (YAML or JSON) in a DeviceAssurancePolicy with a
// unique name.
func policy(spec string) *unstructured.Unstructured {
	return object("DeviceAssurancePolicy", spec)
}

// object wraps a spec (YAML or JSON) in an object of kind with a unique
// name; ClusterOktaOrg is cluster-scoped, the other kinds are namespaced.
func object(kind, spec string) *unstructured.Unstructured {
	var specMap map[string]any
	Expect(yaml.Unmarshal([]byte(spec), &specMap)).To(Succeed(), "test spec is not YAML: %s", spec)
	obj := &unstructured.Unstructured{Object: map[string]any{"spec": specMap}}
	obj.SetGroupVersionKind(assurancev1alpha1.GroupVersion.WithKind(kind))
	if kind != "ClusterOktaOrg" {
		obj.SetNamespace(namespace)
	}
	obj.SetName(fmt.Sprintf("%s-%d", strings.ToLower(kind), nameCounter.Add(1)))
	return obj
}

// strict makes the API server refuse unknown or duplicate fields instead of
// silently dropping them, as kubectl apply does by default.
var strict = client.FieldValidation(metav1.FieldValidationStrict)

// admit creates obj as a server-side dry run with strict field validation.
// On success, obj holds what the server would store.
func admit(obj *unstructured.Unstructured) error {
	return k8sClient.Create(ctx, obj, client.DryRunAll, strict)
}

// specJSON returns the spec of obj as generic JSON, for comparing what was
// sent with what the server kept. The server's default driftPolicy is
// filled in on the way, so it is left out when it is the default.
func specJSON(obj *unstructured.Unstructured) any {
	spec := normalizeJSON(obj.Object["spec"])
	if m, ok := spec.(map[string]any); ok && m["driftPolicy"] == "Correct" {
		delete(m, "driftPolicy")
	}
	return spec
}

func normalizeJSON(v any) any {
	raw, err := json.Marshal(v)
	Expect(err).NotTo(HaveOccurred())
	var out any
	Expect(json.Unmarshal(raw, &out)).To(Succeed())
	return out
}

// containAll matches an error whose message contains every fragment.
func containAll(fragments ...string) []types.GomegaMatcher {
	matchers := make([]types.GomegaMatcher, 0, len(fragments))
	for _, f := range fragments {
		matchers = append(matchers, ContainSubstring(f))
	}
	return matchers
}

// oneLine folds a multi-line YAML spec into a readable table entry label.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func yamlInto(raw []byte, into *map[string]any) error {
	return yaml.Unmarshal(raw, into)
}

func unstructuredSet(obj *unstructured.Unstructured, value any, fields ...string) error {
	return unstructured.SetNestedField(obj.Object, value, fields...)
}

func unstructuredDelete(obj *unstructured.Unstructured, fields ...string) {
	unstructured.RemoveNestedField(obj.Object, fields...)
}
