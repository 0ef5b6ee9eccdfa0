import { describe, expect, it } from 'vitest';
import { recordsOf } from './consumed-record';

describe('recordsOf', () => {
  const record = (offsetDelta: number, value: string) => ({
    length: 0,
    attributes: 0,
    timestampDelta: BigInt(offsetDelta),
    offsetDelta,
    key: Buffer.from('key'),
    value: Buffer.from(value),
    headers: [[Buffer.from('trace'), Buffer.from('t-1')]] as [Buffer, Buffer][],
  });
  const batch = (firstOffset: bigint, attributes: number, values: string[]) => ({
    firstOffset,
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes,
    lastOffsetDelta: values.length - 1,
    firstTimestamp: 1_700_000_000_000n,
    maxTimestamp: 1_700_000_000_000n,
    producerId: 1n,
    producerEpoch: 0,
    firstSequence: 0,
    records: values.map((value, index) => record(index, value)),
  });

  it('numbers each record from its batch, skips what lies before the fetch offset, and keeps headers', () => {
    const records = recordsOf('events', 3, [batch(10n, 0, ['a', 'b', 'c']), batch(13n, 0, ['d'])], 11n);
    expect(records.map((entry) => [entry.offset, String(entry.value)])).toEqual([
      ['11', 'b'],
      ['12', 'c'],
      ['13', 'd'],
    ]);
    expect(records[0]).toMatchObject({
      topic: 'events',
      partition: 3,
      timestamp: '1700000000001',
      headers: { trace: Buffer.from('t-1') },
    });
  });

  it('leaves out control batches (transaction markers)', () => {
    const controlBit = 1 << 5;
    expect(recordsOf('events', 0, [batch(0n, controlBit, ['marker']), batch(1n, 0, ['e'])], 0n)).toHaveLength(
      1,
    );
  });
});
