import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicCatalogue } from '@wms-webhooks/contracts';
import { retryTiers } from '@wms-webhooks/delivery';
import {
  type ChartTools,
  chartDir,
  chartValuesFiles,
  ensureChartTools,
  renderChart,
} from '@wms-webhooks/tools/chart';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked field by field below.
  spec?: any;
  data?: Record<string, string>;
}

const valuesFile = (name: string) => chartValuesFiles.find((entry) => entry.name === name)?.file as string;
const objects = (manifest: string) =>
  parseAllDocuments(manifest)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
const component = (object: K8sObject) => object.metadata.labels?.['app.kubernetes.io/component'];
const ofKind = (all: K8sObject[], kind: string) => all.filter((object) => object.kind === kind);

describe('the Helm chart (deploy/helm/wms-webhooks)', () => {
  let tools: ChartTools;
  const rendered: Record<string, K8sObject[]> = {};

  beforeAll(async () => {
    tools = await ensureChartTools();
    for (const name of ['minimal', 'large'])
      rendered[name] = objects(await renderChart(tools, [valuesFile(name)]));
  }, 600_000);

  it('runs a Deployment for every service and for every retry tier the code defines', () => {
    for (const name of ['minimal', 'large']) {
      const deployments = ofKind(rendered[name] ?? [], 'Deployment');
      expect(deployments.map(component).sort()).toEqual(
        [
          'api',
          'ingester',
          'matcher',
          'sender',
          'notifier',
          ...retryTiers.map((tier) => `retrier-${tier}`),
        ].sort(),
      );
      for (const tier of retryTiers) {
        const retrier = deployments.find((deployment) => component(deployment) === `retrier-${tier}`);
        expect(retrier?.spec.template.spec.containers[0].env).toContainEqual({
          name: 'RETRY_TIER',
          value: tier,
        });
      }
    }
  });

  it('gives every pod longer to stop than the services take to finish their work, and probes both health paths', () => {
    for (const name of ['minimal', 'large']) {
      const all = rendered[name] ?? [];
      const shutdownSeconds = Number(ofKind(all, 'ConfigMap')[0]?.data?.SHUTDOWN_TIMEOUT_MS) / 1000;
      for (const deployment of ofKind(all, 'Deployment')) {
        const pod = deployment.spec.template.spec;
        expect(pod.terminationGracePeriodSeconds, deployment.metadata.name).toBeGreaterThan(shutdownSeconds);
        expect(pod.containers[0].livenessProbe.httpGet.path).toBe('/healthz');
        expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
        expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
        expect(pod.securityContext.runAsNonRoot).toBe(true);
      }
      expect(ofKind(all, 'PodDisruptionBudget')).toHaveLength(ofKind(all, 'Deployment').length);
    }
  });

  it('scales the ingester, matcher and sender on their lag, never past the partitions of their topic', () => {
    const catalogue = topicCatalogue('prod.');
    const partitionsOf = new Map(Object.values(catalogue).map(({ spec }) => [spec.name, spec.partitions]));
    const scaled = ofKind(rendered.large ?? [], 'ScaledObject');
    expect(scaled.map(component).sort()).toEqual(['ingester', 'matcher', 'sender']);
    for (const object of scaled) {
      const trigger = object.spec.triggers[0];
      expect(trigger.type).toBe('kafka');
      expect(trigger.metadata.consumerGroup).toBe(`prod.wms-webhooks-${component(object)}`);
      expect(object.spec.maxReplicaCount).toBeLessThanOrEqual(
        partitionsOf.get(trigger.metadata.topic) as number,
      );
    }
    const defaults = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as {
      kafka: { partitions: number };
    };
    for (const key of ['wmsEvents', 'acceptedEvents', 'deliveries'] as const)
      expect(topicCatalogue()[key].spec.partitions).toBe(defaults.kafka.partitions);
    const scaledDeployments = ofKind(rendered.large ?? [], 'Deployment').filter((deployment) =>
      ['ingester', 'matcher', 'sender'].includes(component(deployment) as string),
    );
    for (const deployment of scaledDeployments) expect(deployment.spec.replicas).toBeUndefined();
  });

  it('carries the recording rules and alerts that promtool checks, unchanged', () => {
    const rules = ['recording.yml', 'alerts.yml'].flatMap(
      (file) =>
        (
          parse(readFileSync(join(chartDir, '..', '..', 'prometheus', 'rules', file), 'utf8')) as {
            groups: unknown[];
          }
        ).groups,
    );
    expect(ofKind(rendered.minimal ?? [], 'PrometheusRule')[0]?.spec.groups).toEqual(rules);
  });

  it('keeps credentials in the Secret and the replication in the ConfigMap', () => {
    const configMap = ofKind(rendered.large ?? [], 'ConfigMap')[0];
    expect(configMap?.data).toMatchObject({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' });
    for (const credential of ['MONGODB_URI', 'WEBHOOKS_SECRET_KEYS', 'KAFKA_SASL_PASSWORD', 'SMTP_URL'])
      expect(configMap?.data).not.toHaveProperty(credential);
    const sender = ofKind(rendered.large ?? [], 'Deployment').find(
      (deployment) => component(deployment) === 'sender',
    );
    expect(sender?.spec.template.spec.containers[0].env).toContainEqual({
      name: 'MONGODB_URI',
      valueFrom: { secretKeyRef: { name: 'wms-webhooks-credentials', key: 'MONGODB_URI', optional: false } },
    });
  });

  it('rolls the pods when the configuration changes', async () => {
    const checksum = (all: K8sObject[]) =>
      ofKind(all, 'Deployment')[0]?.spec.template.metadata.annotations['checksum/config'] as string;
    const changed = objects(
      await renderChart(tools, [valuesFile('minimal')], { set: ['config.LOG_LEVEL=debug'] }),
    );
    expect(checksum(changed)).not.toBe(checksum(rendered.minimal ?? []));
  });

  describe('refuses values that cannot work, naming them', () => {
    it('without brokers', async () => {
      await expect(renderChart(tools, [])).rejects.toThrow('kafka.brokers is required');
    });

    it('with more sender replicas than partitions', async () => {
      await expect(
        renderChart(tools, [valuesFile('minimal')], { set: ['services.sender.autoscaling.maxReplicas=20'] }),
      ).rejects.toThrow('services.sender.autoscaling.maxReplicas (20) is more than kafka.partitions (12)');
    });

    it('with a credential in the ConfigMap', async () => {
      await expect(
        renderChart(tools, [valuesFile('minimal')], { set: ['config.MONGODB_URI=mongodb://user:pw@db'] }),
      ).rejects.toThrow('config.MONGODB_URI is a credential');
    });
  });
});
