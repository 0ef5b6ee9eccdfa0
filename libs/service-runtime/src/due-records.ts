import type { KafkaMessage } from 'kafkajs';
import type { PreparedBatch } from './lane-consumer';

/**
 * Splits a batch of records that each carry a due time: those due now, in order, up to the first that is
 * not; that one and everything after it wait for the partition to be resumed at its due time.
 */
export function dueRecords<T>(
  decode: (message: KafkaMessage) => Promise<T>,
  dueAt: (value: T) => number,
  now: () => number = Date.now,
) {
  return async (messages: KafkaMessage[]): Promise<PreparedBatch<T>> => {
    const ready: T[] = [];
    let readyThrough: string | undefined;
    for (const message of messages) {
      const value = await decode(message);
      const due = dueAt(value);
      if (due > now()) return { ready, readyThrough, holdUntil: due };
      ready.push(value);
      readyThrough = message.offset;
    }
    return { ready, readyThrough };
  };
}
