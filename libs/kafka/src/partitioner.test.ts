import { describe, expect, it } from 'vitest';
import { partitionFor } from './partitioner';

// What kafka-clients 3.9.1 computes: Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % partitions.
const javaPartitions: Array<[string, number, number]> = [
  ['21', 12, 0],
  ['foobar', 12, 6],
  ['webhook-1', 12, 9],
  ['order-42', 12, 0],
  ['owner-7:wh-3', 12, 8],
  ['c', 12, 10],
  ['d', 12, 5],
  ['f', 12, 3],
  ['a', 2, 0],
  ['d', 2, 1],
];

describe('partitionFor', () => {
  it.each(javaPartitions)(
    'puts key %s on the partition the Java client picks of %i (%i)',
    (key, count, java) => {
      expect(partitionFor(key, count)).toBe(java);
      expect(partitionFor(Buffer.from(key), count)).toBe(java);
    },
  );
});
