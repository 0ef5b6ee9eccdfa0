import { describe, expect, it } from 'vitest';
import { latestPerPartition } from './lane-consumer';

describe('latestPerPartition', () => {
  it('keeps the last offset queued for each partition, one entry per partition', () => {
    expect(
      latestPerPartition([
        { topic: 'deliveries', partition: 0, offset: '10' },
        { topic: 'deliveries', partition: 1, offset: '7' },
        { topic: 'deliveries', partition: 0, offset: '12' },
        { topic: 'retries', partition: 0, offset: '3' },
      ]),
    ).toEqual([
      { topic: 'deliveries', partition: 0, offset: '12' },
      { topic: 'deliveries', partition: 1, offset: '7' },
      { topic: 'retries', partition: 0, offset: '3' },
    ]);
  });
});
