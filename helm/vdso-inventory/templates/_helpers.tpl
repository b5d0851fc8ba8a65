{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "vdso-inventory.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name. */}}
{{- define "vdso-inventory.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "vdso-inventory.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "vdso-inventory.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "vdso-inventory.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vdso-inventory.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "vdso-inventory.serverSelectorLabels" -}}
{{ include "vdso-inventory.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{- define "vdso-inventory.agentSelectorLabels" -}}
{{ include "vdso-inventory.selectorLabels" . }}
app.kubernetes.io/component: agent
{{- end }}

{{- define "vdso-inventory.serverName" -}}
{{- printf "%s-server" (include "vdso-inventory.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "vdso-inventory.agentName" -}}
{{- printf "%s-agent" (include "vdso-inventory.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Secret holding enroll-secret and admin-token. */}}
{{- define "vdso-inventory.secretName" -}}
{{- default (include "vdso-inventory.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* The Secret and key holding the database password; empty name when none is configured. */}}
{{- define "vdso-inventory.databaseSecretName" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else if .Values.database.password }}
{{- include "vdso-inventory.fullname" . }}-database
{{- end }}
{{- end }}

{{- define "vdso-inventory.databaseSecretKey" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecretPasswordKey }}
{{- else }}
{{- "password" }}
{{- end }}
{{- end }}

{{/* repository:tag or repository@digest; the tag defaults to the chart's appVersion. Argument: the image values. */}}
{{- define "vdso-inventory.image" -}}
{{- $image := index . 0 }}
{{- $root := index . 1 }}
{{- if $image.digest }}
{{- printf "%s@%s" $image.repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}
{{- end }}

{{/* The URL agents report to: this release's Service unless agent.serverUrl is set. */}}
{{- define "vdso-inventory.serverUrl" -}}
{{- if .Values.agent.serverUrl }}
{{- .Values.agent.serverUrl }}
{{- else }}
{{- printf "%s://%s:%d" (ternary "https" "http" .Values.tls.enabled) (include "vdso-inventory.serverHost" .) (int .Values.server.service.port) }}
{{- end }}
{{- end }}

{{/* The Service's name inside the cluster, one of the server certificate's DNS names. */}}
{{- define "vdso-inventory.serverHost" -}}
{{- printf "%s.%s.svc" (include "vdso-inventory.serverName" .) .Release.Namespace }}
{{- end }}

{{/* Name of the server's container and Service port: https when it serves TLS. */}}
{{- define "vdso-inventory.portName" -}}
{{- ternary "https" "http" .Values.tls.enabled }}
{{- end }}

{{/* The Secret with the server's tls.crt and tls.key and the CA agents trust (ca.crt). */}}
{{- define "vdso-inventory.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "vdso-inventory.serverName" .)) .Values.tls.existingSecret }}
{{- end }}

{{/* The DNS names of the server certificate, a YAML list: the Service's names and tls.extraDnsNames. */}}
{{- define "vdso-inventory.serverDnsNames" -}}
{{- $service := include "vdso-inventory.serverName" . }}
{{- $host := include "vdso-inventory.serverHost" . }}
{{- concat (list $service (printf "%s.%s" $service .Release.Namespace) $host (printf "%s.%s" $host .Values.tls.clusterDomain)) .Values.tls.extraDnsNames | toYaml }}
{{- end }}
