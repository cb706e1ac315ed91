{{/*
The prefix of every object's name. 28 characters at most, so that the
longest name (<fullname>-controller-manager-metrics-service, 35 more) stays
within the 63 a Service allows.
*/}}
{{- define "okta-assurance-operator.fullname" -}}
{{- default "okta-assurance" .Values.fullnameOverride | trunc 28 | trimSuffix "-" }}
{{- end }}

{{/* The labels that select the manager's pods (immutable once installed). */}}
{{- define "okta-assurance-operator.selectorLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/name: okta-assurance-operator
control-plane: controller-manager
{{- end }}

{{/* The labels of every object. */}}
{{- define "okta-assurance-operator.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/name: okta-assurance-operator
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Where ClusterOktaOrgs' Secrets are read: --cluster-resource-namespace. */}}
{{- define "okta-assurance-operator.clusterResourceNamespace" -}}
{{- default .Release.Namespace .Values.manager.clusterResourceNamespace }}
{{- end }}

{{- define "okta-assurance-operator.serviceAccountName" -}}
{{ include "okta-assurance-operator.fullname" . }}-controller-manager
{{- end }}

{{- define "okta-assurance-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The manager's arguments; the first three are those of config/default. */}}
{{- define "okta-assurance-operator.args" -}}
{{- $m := .Values.manager -}}
{{- if .Values.leaderElection.enabled }}
- --leader-elect
{{- end }}
- --health-probe-bind-address=:8081
{{- if .Values.metrics.enabled }}
- --metrics-bind-address=:{{ .Values.metrics.port }}
{{- if not .Values.metrics.secure }}
- --metrics-secure=false
{{- end }}
{{- else }}
- --metrics-bind-address=0
{{- end }}
{{- with $m.resyncPeriod }}
- {{ printf "--resync-period=%v" . | quote }}
{{- end }}
{{- with $m.maxBackoff }}
- {{ printf "--max-backoff=%v" . | quote }}
{{- end }}
{{- with $m.driftPollInterval }}
- {{ printf "--drift-poll-interval=%v" . | quote }}
{{- end }}
{{- with $m.concurrency }}
- {{ printf "--concurrency=%v" . | quote }}
{{- end }}
{{- with $m.oktaRequestTimeout }}
- {{ printf "--okta-request-timeout=%v" . | quote }}
{{- end }}
{{- with $m.orgCheckInterval }}
- {{ printf "--org-check-interval=%v" . | quote }}
{{- end }}
{{- with $m.oktaMaxInFlight }}
- {{ printf "--okta-max-in-flight=%v" . | quote }}
{{- end }}
{{- with $m.reconcileTimeout }}
- {{ printf "--reconcile-timeout=%v" . | quote }}
{{- end }}
{{- with $m.allowedOrgHosts }}
- {{ printf "--allowed-org-hosts=%s" (join "," .) | quote }}
{{- end }}
{{- if $m.allowInsecureOrgConnections }}
- --allow-insecure-org-connections
{{- end }}
{{- if not $m.namespacedOktaOrgs }}
- --namespaced-okta-orgs=false
{{- end }}
{{- with $m.clusterResourceNamespace }}
- {{ printf "--cluster-resource-namespace=%v" . | quote }}
{{- end }}
{{- with $m.watchLabelSelector }}
- {{ printf "--watch-label-selector=%v" . | quote }}
{{- end }}
{{- with $m.logLevel }}
- {{ printf "--zap-log-level=%v" . | quote }}
{{- end }}
{{- range $m.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end }}
