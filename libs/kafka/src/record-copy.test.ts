import { describe, expect, it } from 'vitest';
import { copyOfRecord, copyRoomIn, truncatedValueBytes } from './record-copy';

describe('copyOfRecord', () => {
  const record = (valueBytes: number) => ({
    key: Buffer.from('ORD-1'),
    value: Buffer.alloc(valueBytes, 9),
    headers: { traceparent: Buffer.from('00-abc-def-01') },
  });

  it('keeps a record that fits whole, with its size', () => {
    const copy = copyOfRecord(record(1_000), copyRoomIn(1_048_576));
    expect(copy).toMatchObject({ truncated: false, originalKey: Buffer.from('ORD-1') });
    expect(copy.originalValue?.length).toBe(1_000);
    expect(copy.originalHeaders.traceparent).toEqual(Buffer.from('00-abc-def-01'));
    expect(copy.originalSize).toBeGreaterThan(1_000);
  });

  it('keeps only the first bytes of a record too large to copy, and says so', () => {
    const copy = copyOfRecord(record(2_000_000), copyRoomIn(1_048_576));
    expect(copy.truncated).toBe(true);
    expect(copy.originalValue?.length).toBe(truncatedValueBytes);
    expect(copy.originalHeaders).toEqual({});
    expect(copy.originalSize).toBeGreaterThan(2_000_000);
  });
});
