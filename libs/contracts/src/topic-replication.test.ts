import { describe, expect, it } from 'vitest';
import { topicReplicationFromEnv } from './topic-replication';

describe('the topic replication', () => {
  it("is left to the broker's defaults when neither variable is set", () => {
    expect(topicReplicationFromEnv({})).toEqual({ factor: undefined, minInsync: undefined });
  });

  it('takes a replicated cluster’s 3 copies and 2 in sync', () => {
    expect(
      topicReplicationFromEnv({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' }),
    ).toEqual({ factor: 3, minInsync: 2 });
  });

  it('refuses more replicas in sync than copies, naming both variables', () => {
    expect(() =>
      topicReplicationFromEnv({ KAFKA_REPLICATION_FACTOR: '1', KAFKA_MIN_INSYNC_REPLICAS: '2' }),
    ).toThrow('KAFKA_MIN_INSYNC_REPLICAS: is 2, more than KAFKA_REPLICATION_FACTOR (1)');
  });

  it('refuses a factor of 0, naming the variable', () => {
    expect(() => topicReplicationFromEnv({ KAFKA_REPLICATION_FACTOR: '0' })).toThrow(
      'KAFKA_REPLICATION_FACTOR: must be at least 1',
    );
  });
});
