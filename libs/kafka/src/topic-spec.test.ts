import { describe, expect, it } from 'vitest';
import { topicConfigEntries } from './topic-spec';

describe('topicConfigEntries', () => {
  it('turns a spec into Kafka config names, extra configs last', () => {
    expect(
      topicConfigEntries({
        name: 't',
        partitions: 1,
        cleanupPolicy: 'compact',
        retentionMs: -1,
        maxMessageBytes: 1_048_576,
        config: { 'min.compaction.lag.ms': '0' },
      }),
    ).toEqual({
      'cleanup.policy': 'compact',
      'retention.ms': '-1',
      'max.message.bytes': '1048576',
      'min.compaction.lag.ms': '0',
    });
  });
});
