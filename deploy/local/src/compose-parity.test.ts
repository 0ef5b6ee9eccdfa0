import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadStackLayout } from './stack-config';

interface ComposeService {
  image: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  ports: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, unknown>;
}

const layout = loadStackLayout({});
const compose = parse(readFileSync(join(layout.packageDir, '..', 'compose.yaml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, ComposeService>;
};

/** "127.0.0.1:${STACK_KAFKA_PORT:-9092}:9092" → variable STACK_KAFKA_PORT, default 9092. */
function publishedPort(service: ComposeService) {
  const match = /^127\.0\.0\.1:\$\{(\w+):-(\d+)\}:\d+$/.exec(service.ports[0] ?? '');
  return match ? { variable: match[1], port: Number(match[2]) } : undefined;
}

describe('deploy/compose.yaml', () => {
  it('runs the native stack versions of Kafka and Apicurio', () => {
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${layout.kafka.version}`);
    expect(compose.services.registry?.image).toBe(`apicurio/apicurio-registry:${layout.registry.version}`);
    expect(compose.services.mongo?.image).toBe('mongo:7');
  });

  it('publishes each store on the native port, moved by the same variable, on loopback only', () => {
    const { settings } = layout;
    expect(publishedPort(compose.services.kafka!)).toEqual({
      variable: 'STACK_KAFKA_PORT',
      port: settings.STACK_KAFKA_PORT,
    });
    expect(publishedPort(compose.services.registry!)).toEqual({
      variable: 'STACK_REGISTRY_PORT',
      port: settings.STACK_REGISTRY_PORT,
    });
    expect(publishedPort(compose.services.mongo!)).toEqual({
      variable: 'STACK_MONGO_PORT',
      port: settings.STACK_MONGO_PORT,
    });
  });

  it('keeps topic auto-creation off, as the native broker does', () => {
    expect(compose.services.kafka?.environment?.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
  });
});

describe('the services in deploy/compose.yaml', () => {
  const composeText = readFileSync(join(layout.packageDir, '..', 'compose.yaml'), 'utf8');

  it('runs every service from the production image, with the same endpoint variables the resolver reads', () => {
    for (const name of ['api', 'ingester', 'matcher', 'sender', 'notifier']) {
      expect(compose.services[name]?.image).toBe('wms-webhooks:local');
      expect(compose.services[name]?.build?.dockerfile).toBe('deploy/Dockerfile');
      expect(compose.services[name]?.command).toEqual([name]);
    }
    for (const variable of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'MONGODB_URI']) {
      expect(composeText).toContain(`${variable}:`);
    }
    expect(compose.services.api?.environment?.MONGODB_URI).toBe('mongodb://mongo:27017');
  });
});

describe('deploy/compose.cluster.yaml', () => {
  const native = loadStackLayout({ STACK_KAFKA_NODES: '3' });
  const cluster = parse(readFileSync(join(layout.packageDir, '..', 'compose.cluster.yaml'), 'utf8'), {
    merge: true,
  }) as { services: Record<string, ComposeService> };
  const nodes = ['kafka', 'kafka-2', 'kafka-3'];

  it('runs the three nodes of STACK_KAFKA_NODES=3 on its ports, as one quorum with one cluster id', () => {
    expect(
      nodes.slice(1).map((name) => publishedPort(cluster.services[name] as ComposeService)?.port),
    ).toEqual(native.kafka.nodes.slice(1).map((node) => node.port));
    const environments = nodes.map((name) => cluster.services[name]?.environment ?? {});
    expect(environments.map((environment) => environment.KAFKA_NODE_ID)).toEqual([1, 2, 3]);
    expect(new Set(environments.map((environment) => environment.CLUSTER_ID)).size).toBe(1);
    for (const environment of environments) {
      expect(environment.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093');
      expect(environment.KAFKA_DEFAULT_REPLICATION_FACTOR).toBe(native.kafka.replication.factor);
      expect(environment.KAFKA_MIN_INSYNC_REPLICAS).toBe(native.kafka.replication.minInsync);
    }
  });

  it('gives every service every broker and the replication, once the brokers are healthy', () => {
    const services = Object.keys(compose.services).filter((name) => compose.services[name]?.build);
    for (const name of services) {
      expect(cluster.services[name]?.environment, name).toMatchObject({
        KAFKA_BROKERS: 'kafka:29092,kafka-2:29092,kafka-3:29092',
        KAFKA_REPLICATION_FACTOR: String(native.kafka.replication.factor),
        KAFKA_MIN_INSYNC_REPLICAS: String(native.kafka.replication.minInsync),
      });
      expect(Object.keys(cluster.services[name]?.depends_on ?? {})).toEqual(['kafka-2', 'kafka-3']);
    }
  });
});
