import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadStackLayout } from './stack-config';

interface ComposeService {
  image: string;
  ports: string[];
  environment?: Record<string, string | number>;
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

  it('runs every service package with the same endpoint variables the resolver reads', () => {
    for (const name of ['api', 'ingester', 'matcher', 'sender']) {
      expect(compose.services[name]?.image).toBe('node:24-bookworm-slim');
    }
    for (const variable of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'MONGODB_URI']) {
      expect(composeText).toContain(`${variable}:`);
    }
    expect(compose.services.api?.environment?.MONGODB_URI).toBe('mongodb://mongo:27017');
  });
});
