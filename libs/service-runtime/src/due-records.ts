import type { ConsumedRecord, PreparedBatch } from '@wms-webhooks/kafka';

/**
 * Splits a batch of records that each carry a due time: those due now, in order, up to the first that is
 * not; that one and everything after it wait for the partition to be fetched again. They wait until the
 * first multiple of `stepMs` at or after its due time, on the one clock every partition shares, so the
 * records due within a step are taken together, and the partitions' log writes are shared, where a
 * steady trickle of records falling due would otherwise each take a fetch, a log write and a commit.
 * A record `decode` has filed away (undefined) is passed over like one already handled.
 */
export function dueRecords<T>(
  decode: (record: ConsumedRecord) => Promise<T | undefined>,
  dueAt: (value: T) => number,
  { stepMs = 1, now = Date.now }: { stepMs?: number; now?: () => number } = {},
) {
  return async (records: ConsumedRecord[]): Promise<PreparedBatch<T>> => {
    const ready: T[] = [];
    let readyThrough: string | undefined;
    for (const record of records) {
      const value = await decode(record);
      if (value === undefined) {
        readyThrough = record.offset;
        continue;
      }
      const due = dueAt(value);
      if (due > now()) return { ready, readyThrough, holdUntil: Math.ceil(due / stepMs) * stepMs };
      ready.push(value);
      readyThrough = record.offset;
    }
    return { ready, readyThrough };
  };
}

/** Every record is due at once: decoded, with those `decode` has filed away (undefined) passed over. */
export function decodedRecords<T>(decode: (record: ConsumedRecord) => Promise<T | undefined>) {
  return async (records: ConsumedRecord[]): Promise<PreparedBatch<T>> => {
    const ready: T[] = [];
    for (const record of records) {
      const value = await decode(record);
      if (value !== undefined) ready.push(value);
    }
    return { ready, readyThrough: records.at(-1)?.offset };
  };
}
