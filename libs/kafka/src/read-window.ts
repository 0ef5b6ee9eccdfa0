import type { ConsumedRecord } from './consumed-record';
import type { KafkaClient } from './kafka-client';
import { runLaneConsumer } from './lane-consumer';
import { allReady, type BatchContext, type LaneLogger, type RunningConsumer } from './lane-options';

export interface ReadWindowOptions {
  /** A group of its own: it commits nothing and is deleted once the read ends. */
  groupId: string;
  /** The first records read are those written at or after this time (ms since the epoch). */
  fromTime: number;
  /** The read ends at the first record written after this time, or at each partition's end when called. */
  untilTime: number;
  logger: LaneLogger;
  /** Stops the read early; the records handed over so far stay handed over. */
  signal?: AbortSignal;
  /** How often the read checks whether it is done. */
  pollMs?: number;
}

/**
 * Reads the records a topic was written between two times, partition by partition, each in order, and
 * hands them over a batch at a time; the next batch of a partition waits for the last one's handler, so a
 * slow handler slows the read instead of filling memory. Records written after the read began are not
 * read. It moves no service's position. Resolves once every partition has been read to its end, or the
 * signal has aborted it.
 */
export async function readWindow(
  kafka: KafkaClient,
  topic: string,
  options: ReadWindowOptions,
  handle: (records: ConsumedRecord[], context: BatchContext) => Promise<void>,
): Promise<void> {
  const admin = kafka.admin();
  let consumer: RunningConsumer | undefined;
  try {
    const [starts, untils, offsets] = await Promise.all([
      admin.offsetsAtTime(topic, options.fromTime),
      admin.offsetsAtTime(topic, options.untilTime + 1),
      admin.topicOffsets(topic),
    ]);
    const ends = new Map(
      offsets.map(({ partition, high }) => {
        const end = BigInt(high);
        const until = untils.get(partition) ?? end;
        return [partition, until < end ? until : end];
      }),
    );
    const reached = new Map(starts);
    const done = () => [...ends].every(([partition, end]) => (reached.get(partition) ?? end) >= end);
    if (done()) return;
    consumer = await runLaneConsumer({
      kafka,
      groupId: options.groupId,
      topic,
      logger: options.logger,
      commit: false,
      // The offsets found by time above, not looked up again: a transaction committing in between would
      // move a reader's own lookup past records this one counts on.
      startAt: { offsets: starts },
      prepare: allReady,
      onSteppedOver: (partition, nextOffset) => reached.set(partition, nextOffset),
      handle: async (batch, context) => {
        const end = ends.get(context.partition) ?? 0n;
        const inWindow = batch.filter((record) => BigInt(record.offset) < end);
        if (inWindow.length > 0 && !options.signal?.aborted) await handle(inWindow, context);
        const last = batch.at(-1);
        if (last) reached.set(context.partition, BigInt(last.offset) + 1n);
      },
    });
    const pollMs = options.pollMs ?? 100;
    while (!done() && !options.signal?.aborted) await new Promise((tick) => setTimeout(tick, pollMs));
  } finally {
    await consumer?.stop();
    await admin.deleteGroups([options.groupId]).catch(() => undefined);
    await admin.close();
  }
}
