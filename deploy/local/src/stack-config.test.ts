import { ConfigError } from '@wms-webhooks/config';
import { describe, expect, it } from 'vitest';
import { loadStackLayout, nativeEndpoints } from './stack-config';

describe('the stack layout', () => {
  it('pins Kafka 3.9, Apicurio 3.x and FerretDB 1.24 on the documented ports by default', () => {
    const layout = loadStackLayout({ HOME: '/home/dev' });
    expect(layout.kafka.version).toMatch(/^3\.9\./);
    expect(layout.registry.version).toMatch(/^3\./);
    expect(layout.ferretdb.version).toMatch(/^1\.24\./);
    expect(nativeEndpoints(layout)).toEqual({
      kafkaBrokers: ['127.0.0.1:9092'],
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      mongodbUri: 'mongodb://127.0.0.1:27017',
    });
  });

  it('keeps downloads in the cache folder and data in the stack folder', () => {
    const layout = loadStackLayout({ STACK_DIR: '/tmp/stack', STACK_CACHE_DIR: '/tmp/cache' });
    expect(layout.kafka.libsDir.startsWith('/tmp/cache/')).toBe(true);
    expect(layout.registry.homeDir.startsWith('/tmp/cache/')).toBe(true);
    expect(layout.ferretdb.binary.startsWith('/tmp/cache/')).toBe(true);
    expect(layout.kafka.nodes[0]?.dataDir.startsWith('/tmp/stack/data/')).toBe(true);
    expect(layout.ferretdb.dataDir.startsWith('/tmp/stack/data/')).toBe(true);
    expect(layout.logsDir).toBe('/tmp/stack/logs');
  });

  it('takes versions and ports from the environment', () => {
    const layout = loadStackLayout({
      STACK_KAFKA_VERSION: '3.9.2',
      STACK_KAFKA_PORT: '19092',
      STACK_MONGO_PORT: '27018',
    });
    expect(layout.kafka.version).toBe('3.9.2');
    expect(nativeEndpoints(layout).kafkaBrokers).toEqual(['127.0.0.1:19092']);
    expect(nativeEndpoints(layout).mongodbUri).toBe('mongodb://127.0.0.1:27018');
  });

  it('runs one Kafka node keeping one copy of each partition by default', () => {
    const layout = loadStackLayout({});
    expect(layout.kafka.nodes.map((node) => node.name)).toEqual(['kafka']);
    expect(layout.kafka.replication).toEqual({ factor: 1, minInsync: 1 });
  });

  describe('with STACK_KAFKA_NODES=3', () => {
    const layout = loadStackLayout({ STACK_KAFKA_NODES: '3', STACK_DIR: '/tmp/stack' });

    it('runs three nodes on ports 1000 apart, each with its own data and config', () => {
      expect(layout.kafka.nodes).toEqual([
        expect.objectContaining({ id: 1, name: 'kafka', port: 9092, controllerPort: 9093, saslPort: 9094 }),
        expect.objectContaining({
          id: 2,
          name: 'kafka-2',
          port: 10092,
          controllerPort: 10093,
          saslPort: 10094,
        }),
        expect.objectContaining({
          id: 3,
          name: 'kafka-3',
          port: 11092,
          controllerPort: 11093,
          saslPort: 11094,
        }),
      ]);
      expect(new Set(layout.kafka.nodes.map((node) => node.dataDir)).size).toBe(3);
      expect(new Set(layout.kafka.nodes.map((node) => node.configFile)).size).toBe(3);
    });

    it('gives clients every broker and asks for 3 copies with 2 in sync', () => {
      expect(nativeEndpoints(layout).kafkaBrokers).toEqual([
        '127.0.0.1:9092',
        '127.0.0.1:10092',
        '127.0.0.1:11092',
      ]);
      expect(layout.kafka.replication).toEqual({ factor: 3, minInsync: 2 });
    });
  });

  it('refuses a node count other than 1 or 3, naming the variable', () => {
    expect(() => loadStackLayout({ STACK_KAFKA_NODES: '2' })).toThrow('STACK_KAFKA_NODES: must be 1 or 3');
  });

  it('names the variable when a version or port is out of range', () => {
    expect(() => loadStackLayout({ STACK_KAFKA_VERSION: '4.0.0', STACK_REGISTRY_PORT: '0' })).toThrow(
      ConfigError,
    );
    try {
      loadStackLayout({ STACK_KAFKA_VERSION: '4.0.0', STACK_REGISTRY_PORT: '0' });
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
        'STACK_KAFKA_VERSION',
        'STACK_REGISTRY_PORT',
      ]);
    }
  });
});
