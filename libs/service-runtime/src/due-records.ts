import type { ConsumedRecord, PreparedBatch } from '@wms-webhooks/kafka';

/**
 * Splits a batch of records that each carry a due time: those due now, in order, up to the first that is
 * not; that one and everything after it wait for the partition to be fetched again at its due time.
 */
export function dueRecords<T>(
  decode: (record: ConsumedRecord) => Promise<T>,
  dueAt: (value: T) => number,
  now: () => number = Date.now,
) {
  return async (records: ConsumedRecord[]): Promise<PreparedBatch<T>> => {
    const ready: T[] = [];
    let readyThrough: string | undefined;
    for (const record of records) {
      const value = await decode(record);
      const due = dueAt(value);
      if (due > now()) return { ready, readyThrough, holdUntil: due };
      ready.push(value);
      readyThrough = record.offset;
    }
    return { ready, readyThrough };
  };
}
