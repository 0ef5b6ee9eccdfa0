import type { ConsumedRecord } from '@wms-webhooks/kafka';
import { describe, expect, it } from 'vitest';
import { dueRecords } from './due-records';

const records = (...dueTimes: number[]) =>
  dueTimes.map((due, index) => ({ offset: String(index), value: due }) as unknown as ConsumedRecord);
const decode = async (record: ConsumedRecord) => (record as unknown as { value: number }).value;
const at = (time: number) => () => time;

describe('records that carry a due time', () => {
  it('takes those due now, in order, and holds the rest from the first that is not', async () => {
    const prepare = dueRecords(decode, (due) => due, { stepMs: 100, now: at(10_000) });
    expect(await prepare(records(9_900, 10_000, 10_050, 9_000))).toEqual({
      ready: [9_900, 10_000],
      readyThrough: '1',
      holdUntil: 10_100,
    });
  });

  it('holds a record until the step after its due time, so the records due within a step go together', async () => {
    const prepare = dueRecords(decode, (due) => due, { stepMs: 100, now: at(10_000) });
    expect((await prepare(records(10_001))).holdUntil).toBe(10_100);
    expect((await prepare(records(10_099))).holdUntil).toBe(10_100);
    expect((await prepare(records(10_100))).holdUntil).toBe(10_100);
    expect((await prepare(records(10_101))).holdUntil).toBe(10_200);
  });

  it('holds a record until its due time when no step is given', async () => {
    const prepare = dueRecords(decode, (due) => due, { now: at(10_000) });
    expect((await prepare(records(10_037))).holdUntil).toBe(10_037);
  });

  it('passes over a record that decoding filed away', async () => {
    const prepare = dueRecords(
      async (record) => ((await decode(record)) === 0 ? undefined : decode(record)),
      (due) => due,
      { now: at(10_000) },
    );
    expect(await prepare(records(0, 9_000))).toEqual({ ready: [9_000], readyThrough: '1' });
  });
});
