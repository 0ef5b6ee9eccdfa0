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
    expect(layout.kafka.dataDir.startsWith('/tmp/stack/data/')).toBe(true);
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
