import { loadConfig } from '@wms-webhooks/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceEnv } from './service-env';

const schema = z.object(serviceEnv);

const endpoints = {
  KAFKA_BROKERS: 'kafka:9092',
  SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7',
  MONGODB_URI: 'mongodb://mongo:27017',
};

describe('the endpoints', () => {
  it('are required: a service never falls back to a local stack, and names each one missing', () => {
    expect(() => loadConfig(schema, {})).toThrow(
      'KAFKA_BROKERS: is required\n  SCHEMA_REGISTRY_URL: is required\n  MONGODB_URI: is required',
    );
  });

  it('are taken as the environment names them', () => {
    expect(loadConfig(schema, endpoints)).toMatchObject({
      KAFKA_BROKERS: ['kafka:9092'],
      SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7',
      MONGODB_URI: 'mongodb://mongo:27017',
    });
  });
});

describe('the consumers’ fetch settings', () => {
  it('default to 4 KB or 10 ms per fetch, 1 MB per partition batch, and a commit every 50 ms', () => {
    expect(loadConfig(schema, endpoints)).toMatchObject({
      KAFKA_FETCH_MIN_BYTES: 4_096,
      KAFKA_FETCH_MAX_WAIT_MS: 10,
      KAFKA_FETCH_MAX_BYTES_PER_PARTITION: 1_048_576,
      KAFKA_COMMIT_INTERVAL_MS: 50,
    });
  });

  it('name the commit interval when it is out of range', () => {
    expect(() => loadConfig(schema, { ...endpoints, KAFKA_COMMIT_INTERVAL_MS: '-1' })).toThrow(
      /KAFKA_COMMIT_INTERVAL_MS/,
    );
  });

  it('take a smaller partition batch to bound a sender’s memory under a backlog', () => {
    expect(loadConfig(schema, { ...endpoints, KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '262144' })).toMatchObject(
      {
        KAFKA_FETCH_MAX_BYTES_PER_PARTITION: 262_144,
      },
    );
  });

  it('refuse a partition batch under 1 KB, naming the variable', () => {
    expect(() => loadConfig(schema, { ...endpoints, KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '100' })).toThrow(
      'KAFKA_FETCH_MAX_BYTES_PER_PARTITION: must be at least 1024',
    );
  });
});
