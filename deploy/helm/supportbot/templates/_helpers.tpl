{{- define "supportbot.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "supportbot.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "supportbot.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "supportbot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "supportbot.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "supportbot.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
fsGroup: 1654
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "supportbot.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{- /* Environment shared by the replicas and the ingest Job: config, the index on the claim, the Teams certificate. */ -}}
{{- define "supportbot.env" -}}
{{- range $name, $value := .Values.config }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- if .Values.knowledge.existingClaim }}
- name: Knowledge__IndexPath
  value: /var/lib/supportbot/index
{{- end }}
{{- if .Values.teams.certificateSecret }}
- name: Teams__CertificatePath
  value: /var/run/secrets/supportbot/teams/tls.crt
- name: Teams__CertificateKeyPath
  value: /var/run/secrets/supportbot/teams/tls.key
{{- end }}
{{- end -}}
