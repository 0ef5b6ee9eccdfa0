import { schemaFiles } from '@wms-webhooks/schemas';
import { describe, expect, it } from 'vitest';
import { catalogueEntries, catalogueSchema } from './topic-catalogue';

describe('the topic catalogue', () => {
  it('names each topic once', () => {
    const names = catalogueEntries().map((entry) => entry.spec.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('points every topic at a schema file that exists and parses as a record', () => {
    for (const entry of catalogueEntries()) {
      expect(schemaFiles()).toContain(entry.schemaFile);
      expect(catalogueSchema(entry).type).toBe('record');
    }
  });

  it('gives every topic at least one partition and a retention', () => {
    for (const { spec } of catalogueEntries()) {
      expect(spec.partitions).toBeGreaterThan(0);
      expect(spec.retentionMs === -1 || spec.retentionMs > 0).toBe(true);
    }
  });
});

describe('the catalogue given a replication', () => {
  it("leaves both to the broker's defaults when none is given", () => {
    for (const { spec } of catalogueEntries()) {
      expect(spec.replicationFactor).toBeUndefined();
      expect(spec.config?.['min.insync.replicas']).toBeUndefined();
    }
  });

  it('asks every topic for that factor and min.insync.replicas, keeping its own configs', () => {
    const entries = catalogueEntries('', { factor: 3, minInsync: 2 });
    for (const { spec } of entries) {
      expect(spec.replicationFactor).toBe(3);
      expect(spec.config?.['min.insync.replicas']).toBe('2');
    }
    const definitions = entries.find((entry) => entry.spec.name === 'webhooks.definitions');
    expect(definitions?.spec.config?.['min.cleanable.dirty.ratio']).toBe('0.1');
  });
});
