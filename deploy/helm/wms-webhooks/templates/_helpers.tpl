{{- define "wms-webhooks.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "wms-webhooks.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The labels that pick one component's pods: (dict "root" $ "component" "sender") */}}
{{- define "wms-webhooks.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "wms-webhooks.required" -}}
{{- $_ := required "kafka.brokers is required: the bootstrap brokers, host:port separated by commas" .Values.kafka.brokers -}}
{{- $_ := required "credentials.existingSecret is required: a Secret with MONGODB_URI and WEBHOOKS_SECRET_KEYS (docs/deploy.md)" .Values.credentials.existingSecret -}}
{{- end -}}

{{/* The consumer group of a service, as the services name it. */}}
{{- define "wms-webhooks.group" -}}
{{- printf "%swms-webhooks-%s" .root.Values.kafka.topicPrefix .service -}}
{{- end -}}

{{/* A credential from the Secret, as a variable: (dict "root" $ "name" "SMTP_URL" "optional" true) */}}
{{- define "wms-webhooks.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.credentials.existingSecret }}
      key: {{ .name }}
      optional: {{ .optional }}
{{- end -}}

{{/*
A Deployment of one service: (dict "root" $ "component" "retrier-5m" "service" "retrier" "spec" <values>
"secrets" (list ...) "env" (dict ...) "scaled" bool "port" 9100)
*/}}
{{- define "wms-webhooks.deployment" -}}
{{- $root := .root -}}
{{- $selector := include "wms-webhooks.selector" (dict "root" $root "component" .component) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "wms-webhooks.fullname" $root }}-{{ .component }}
  labels:
    {{- include "wms-webhooks.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if not .scaled }}
  replicas: {{ .spec.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  # One new pod before an old one goes: a consumer group rebalances once per pod, and the api keeps serving.
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- $selector | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "wms-webhooks.labels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ .component }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "wms-webhooks.fullname" $root }}
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: {{ add $root.Values.shutdownTimeoutSeconds 15 }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- $selector | nindent 14 }}
      containers:
        - name: {{ .service }}
          image: "{{ $root.Values.image.repository }}:{{ $root.Values.image.tag | default $root.Chart.AppVersion }}"
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: [{{ .service | quote }}]
          envFrom:
            - configMapRef:
                name: {{ include "wms-webhooks.fullname" $root }}
          env:
            {{- range $name, $value := .env }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
            {{- range .secrets }}
            {{- include "wms-webhooks.secretEnv" (dict "root" $root "name" .name "optional" .optional) | nindent 12 }}
            {{- end }}
            {{- if not $root.Values.schemaRegistry.url }}
            {{- include "wms-webhooks.secretEnv" (dict "root" $root "name" "SCHEMA_REGISTRY_URL" "optional" false) | nindent 12 }}
            {{- end }}
            {{- if $root.Values.kafka.security.saslMechanism }}
            {{- include "wms-webhooks.secretEnv" (dict "root" $root "name" "KAFKA_SASL_PASSWORD" "optional" false) | nindent 12 }}
            {{- end }}
          ports:
            - name: {{ .portName }}
              containerPort: {{ .port }}
              protocol: TCP
          startupProbe:
            httpGet: { path: /healthz, port: {{ .portName }} }
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet: { path: /healthz, port: {{ .portName }} }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /readyz, port: {{ .portName }} }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources:
            {{- toYaml .spec.resources | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $root.Values.kafka.security.caSecret.name }}
            - name: kafka-ca
              mountPath: /etc/wms-webhooks/kafka-ca
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- if $root.Values.kafka.security.caSecret.name }}
        - name: kafka-ca
          secret:
            secretName: {{ $root.Values.kafka.security.caSecret.name }}
            items:
              - key: {{ $root.Values.kafka.security.caSecret.key }}
                path: ca.pem
        {{- end }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* Every component but the api, as a JSON list. */}}
{{- define "wms-webhooks.consumers" -}}
{{- $components := list "ingester" "matcher" "sender" -}}
{{- range .Values.retriers.tiers }}{{ $components = append $components (printf "retrier-%s" .) }}{{ end -}}
{{- if .Values.services.notifier.enabled }}{{ $components = append $components "notifier" }}{{ end -}}
{{- toJson $components -}}
{{- end -}}
