import { errorMessage } from '@wms-webhooks/errors';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { RunningConsumer } from './batch-consumer';
import { trackMembership } from './membership';

export interface DueConsumerOptions<T> {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  decode: (message: KafkaMessage) => Promise<T>;
  dueAt: (value: T) => number;
  /** Handles the records that are due, in partition order; resolves once their results are durable. */
  handle: (values: T[]) => Promise<void>;
  now?: () => number;
  /** Reports how long the head of a held partition still has to wait, for the backlog metrics. */
  onHold?: (partition: number, waitMs: number, value: T) => void;
  sessionTimeout?: number;
}

/**
 * Consumes a topic whose records each carry a due time, in order, never early. When a partition's head is
 * not yet due, the due records before it are handled and committed, the partition is paused, and a
 * timer resumes it at the head's due time; kafkajs then fetches again from the first unhandled record.
 * Nothing sleeps inside the handler, so heartbeats and rebalances are never held up, and the hold is
 * derived from the record itself, so whichever instance owns the partition after a rebalance holds it
 * the same way.
 */
export async function runDueConsumer<T>(options: DueConsumerOptions<T>): Promise<RunningConsumer> {
  const now = options.now ?? Date.now;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: options.sessionTimeout ?? 30_000,
    heartbeatInterval: 3_000,
    // A resumed partition joins the next fetch request only; with kafkajs's default 5 s long poll on idle
    // partitions that request could start 5 s late. 200 ms keeps attempts well within 1 s of due.
    maxWaitTimeInMs: 200,
  });
  const held = new Map<number, NodeJS.Timeout>();
  const isJoined = trackMembership(consumer, options.logger, options.groupId);
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }) => {
      // A batch fetched before the partition was paused (or after a rebalance unpaused it) is left alone
      // and the partition paused again; the pending timer resumes it and the records are fetched anew.
      if (held.has(batch.partition)) {
        pause();
        return;
      }
      const due: T[] = [];
      let lastDueOffset: string | undefined;
      let head: { value: T; dueAt: number } | undefined;
      for (const message of batch.messages) {
        const value = await options.decode(message);
        const dueAt = options.dueAt(value);
        if (dueAt > now()) {
          head = { value, dueAt };
          break;
        }
        due.push(value);
        lastDueOffset = message.offset;
      }
      if (due.length > 0) {
        for (let attempt = 1; ; attempt++) {
          try {
            await options.handle(due);
            break;
          } catch (error) {
            if (!isRunning() || isStale()) throw error;
            const backoffMs = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
            options.logger.warn(
              { err: errorMessage(error), attempt, backoffMs, partition: batch.partition },
              'batch failed; retrying',
            );
            await heartbeat();
            await new Promise((resolveDelay) => setTimeout(resolveDelay, backoffMs));
          }
        }
        if (lastDueOffset !== undefined) resolveOffset(lastDueOffset);
        await heartbeat();
      }
      if (head && isRunning() && !isStale()) {
        const waitMs = Math.max(0, head.dueAt - now());
        options.onHold?.(batch.partition, waitMs, head.value);
        const resume = pause();
        held.set(
          batch.partition,
          setTimeout(() => {
            held.delete(batch.partition);
            resume();
          }, waitMs),
        );
      }
    },
  });
  return {
    consumer,
    isJoined,
    stop: async () => {
      for (const timer of held.values()) clearTimeout(timer);
      held.clear();
      await consumer.disconnect();
    },
  };
}
