package main

import (
	"strings"
	"testing"
)

func TestTemplateGivesObjectsTheReleasesNamesAndConditions(t *testing.T) {
	tests := []struct {
		name     string
		object   map[string]any
		file     string
		contains []string
		absent   []string
	}{
		{
			name: "a RoleBinding of the operator's namespace",
			object: map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
				"metadata": map[string]any{"name": "okta-assurance-leader-election-rolebinding", "namespace": namespace,
					"labels": map[string]any{"app.kubernetes.io/name": "okta-assurance-operator", "app.kubernetes.io/managed-by": "kustomize"}},
				"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "okta-assurance-leader-election-role"},
				"subjects": []any{map[string]any{"kind": "ServiceAccount", "name": "okta-assurance-controller-manager", "namespace": namespace}}},
			file: "rolebinding-leader-election-rolebinding.yaml",
			contains: []string{
				`name: {{ include "okta-assurance-operator.fullname" . }}-leader-election-rolebinding`,
				`namespace: {{ include "okta-assurance-operator.clusterResourceNamespace" . }}`,
				`  name: {{ include "okta-assurance-operator.fullname" . }}-leader-election-role`,
				`  name: {{ include "okta-assurance-operator.fullname" . }}-controller-manager` + "\n  namespace: {{ .Release.Namespace }}",
				`    {{- include "okta-assurance-operator.labels" . | nindent 4 }}`,
			},
			absent: []string{"kustomize", namespace, "{{- if"},
		},
		{
			name: "a CRD",
			object: map[string]any{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
				"metadata": map[string]any{"name": "oktaorgs.assurance.okta-operator.dev",
					"annotations": map[string]any{"controller-gen.kubebuilder.io/version": "v0.23.0"}}},
			file: "customresourcedefinition-oktaorgs.yaml",
			contains: []string{
				"{{- if .Values.crds.install }}\n",
				"    {{- if .Values.crds.keep }}\n    helm.sh/resource-policy: keep\n    {{- end }}",
				"controller-gen.kubebuilder.io/version: v0.23.0",
				"name: oktaorgs.assurance.okta-operator.dev",
			},
		},
		{
			name: "an admission policy binding",
			object: map[string]any{"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
				"metadata": map[string]any{"name": "okta-assurance-uninstall-guard"},
				"spec":     map[string]any{"policyName": "okta-assurance-uninstall-guard"}},
			file: "validatingadmissionpolicybinding-uninstall-guard.yaml",
			contains: []string{
				"{{- if .Values.uninstallGuard.enabled }}\n",
				`policyName: {{ include "okta-assurance-operator.fullname" . }}-uninstall-guard`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file, text, err := template(tt.object)
			if err != nil {
				t.Fatal(err)
			}
			if file != tt.file {
				t.Errorf("file %s, want %s", file, tt.file)
			}
			for _, want := range tt.contains {
				if !strings.Contains(text, want) {
					t.Errorf("missing %q in\n%s", want, text)
				}
			}
			for _, unwanted := range tt.absent {
				if strings.Contains(text, unwanted) {
					t.Errorf("%q left in\n%s", unwanted, text)
				}
			}
		})
	}
}

// TestTemplateRefusesHelmActionsInConfig: text of config/ that Helm would
// read as a template action stops the generator instead of rendering into
// something else.
func TestTemplateRefusesHelmActionsInConfig(t *testing.T) {
	_, _, err := template(map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "okta-assurance-x"}, "data": map[string]any{"a": "{{ .Values }}"}})
	if err == nil || !strings.Contains(err.Error(), "{{") {
		t.Fatalf("want an error about {{, got %v", err)
	}
}
