import { type fetchV17, IS_CONTROL, type RecordsBatch } from '@platformatic/kafka';

/** One record as a lane receives it; offsets and timestamps as decimal strings, as they are committed. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  /** Epoch milliseconds. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

/** The records of a partition's fetched batches from `from` on, control batches left out. */
export function recordsOf(
  topic: string,
  partition: number,
  batches: readonly RecordsBatch[],
  from: bigint,
): ConsumedRecord[] {
  const records: ConsumedRecord[] = [];
  for (const batch of batches) {
    if (batch.attributes & IS_CONTROL) continue;
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta);
      if (offset < from) continue;
      const headers: Record<string, Buffer> = {};
      for (const [name, value] of record.headers) if (name && value) headers[name.toString()] = value;
      records.push({
        topic,
        partition,
        offset: offset.toString(),
        timestamp: (batch.firstTimestamp + record.timestampDelta).toString(),
        key: record.key,
        value: record.value,
        headers,
      });
    }
  }
  return records;
}

/** The offset after the last batch fetched, or undefined when none was. */
export function nextOffsetAfter(batches: readonly RecordsBatch[]): bigint | undefined {
  const last = batches.at(-1);
  return last ? last.firstOffset + BigInt(last.lastOffsetDelta) + 1n : undefined;
}

/** The records a fetch brought, control records and those before the offset asked for included. */
export const recordsIn = (response: fetchV17.FetchResponse) =>
  response.responses
    .flatMap((entry) => entry.partitions)
    .reduce(
      (sum, partition) =>
        sum + (partition.records ?? []).reduce((count, batch) => count + batch.records.length, 0),
      0,
    );
