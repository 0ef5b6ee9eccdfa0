import { loadConfig } from '@wms-webhooks/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceEnv } from './service-env';

const schema = z.object(serviceEnv);

describe('the consumers’ fetch settings', () => {
  it('default to 16 KB or 25 ms per fetch, and 1 MB per partition batch', () => {
    expect(loadConfig(schema, {})).toMatchObject({
      KAFKA_FETCH_MIN_BYTES: 16_384,
      KAFKA_FETCH_MAX_WAIT_MS: 25,
      KAFKA_FETCH_MAX_BYTES_PER_PARTITION: 1_048_576,
    });
  });

  it('take a smaller partition batch to bound a sender’s memory under a backlog', () => {
    expect(loadConfig(schema, { KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '262144' })).toMatchObject({
      KAFKA_FETCH_MAX_BYTES_PER_PARTITION: 262_144,
    });
  });

  it('refuse a partition batch under 1 KB, naming the variable', () => {
    expect(() => loadConfig(schema, { KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '100' })).toThrow(
      'KAFKA_FETCH_MAX_BYTES_PER_PARTITION: must be at least 1024',
    );
  });
});
