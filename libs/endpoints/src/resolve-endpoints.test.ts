import { ConfigError } from '@wms-webhooks/config';
import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from './resolve-endpoints';

describe('resolveEndpoints without starting anything', () => {
  it('uses the environment for every variable that is set', async () => {
    const resolved = await resolveEndpoints({
      start: false,
      env: {
        KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
        SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7',
        MONGODB_URI: 'mongodb://store:27017/?replicaSet=rs0',
      },
    });
    expect(resolved).toMatchObject({
      kafkaBrokers: ['kafka-1:9092', 'kafka-2:9092'],
      schemaRegistryUrl: 'http://registry:8080/apis/ccompat/v7',
      mongodbUri: 'mongodb://store:27017/?replicaSet=rs0',
      sources: { kafkaBrokers: 'env', schemaRegistryUrl: 'env', mongodbUri: 'env' },
    });
  });

  it('fills the unset ones from the native stack configuration', async () => {
    const resolved = await resolveEndpoints({
      start: false,
      env: { KAFKA_BROKERS: 'kafka-1:9092', STACK_REGISTRY_PORT: '18081' },
    });
    expect(resolved.kafkaBrokers).toEqual(['kafka-1:9092']);
    expect(resolved.schemaRegistryUrl).toBe('http://127.0.0.1:18081/apis/ccompat/v7');
    expect(resolved.mongodbUri).toBe('mongodb://127.0.0.1:27017');
    expect(resolved.sources).toEqual({
      kafkaBrokers: 'env',
      schemaRegistryUrl: 'native',
      mongodbUri: 'native',
    });
  });

  it('fails naming each malformed variable', async () => {
    const error = await resolveEndpoints({
      start: false,
      env: { KAFKA_BROKERS: 'kafka-1', MONGODB_URI: 'http://nope', WMS_STACK: 'kubernetes' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
      'KAFKA_BROKERS',
      'MONGODB_URI',
      'WMS_STACK',
    ]);
  });
});
