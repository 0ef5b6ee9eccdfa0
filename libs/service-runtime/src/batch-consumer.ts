import { errorMessage, isRetriable } from '@wms-webhooks/errors';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { trackMembership } from './membership';

export interface BatchContext {
  topic: string;
  partition: number;
}

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  /** Processes a whole batch; resolves only once its results are durable (produced with acks=all, logged). */
  handle: (messages: KafkaMessage[], context: BatchContext) => Promise<void>;
  fromBeginning?: boolean;
  maxBytesPerPartition?: number;
  partitionsConsumedConcurrently?: number;
  sessionTimeout?: number;
}

export interface RunningConsumer {
  consumer: Consumer;
  /** True from the first group join until the consumer crashes or stops. */
  isJoined(): boolean;
  stop(): Promise<void>;
}

/**
 * The consumer loop every service shares. Offsets are committed only after `handle` resolves, so a crash
 * re-delivers rather than loses. A failing batch is retried in place with backoff while the partition is
 * still ours, so one bad dependency stalls its partition instead of skipping records. Handlers route
 * records that can never succeed (invalid input) elsewhere themselves; what reaches here is retried.
 */
export async function runBatchConsumer(options: BatchConsumerOptions): Promise<RunningConsumer> {
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
    sessionTimeout: options.sessionTimeout ?? 30_000,
    heartbeatInterval: 3_000,
  });
  const isJoined = trackMembership(consumer, options.logger, options.groupId);
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    // kafkajs commits after each batch, but only offsets resolved here, after the handler succeeded.
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (batch.messages.length === 0) return;
      const context = { topic: batch.topic, partition: batch.partition };
      for (let attempt = 1; ; attempt++) {
        try {
          await options.handle(batch.messages, context);
          break;
        } catch (error) {
          if (!isRunning() || isStale()) throw error;
          const backoffMs = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
          options.logger.warn(
            { err: errorMessage(error), retriable: isRetriable(error), attempt, backoffMs, ...context },
            'batch failed; retrying',
          );
          await heartbeat();
          await new Promise((resolveDelay) => setTimeout(resolveDelay, backoffMs));
        }
      }
      const last = batch.messages[batch.messages.length - 1];
      if (last) resolveOffset(last.offset);
      await heartbeat();
    },
  });
  return {
    consumer,
    isJoined,
    stop: async () => {
      // disconnect() waits for the batch in flight to finish, then commits what it resolved.
      await consumer.disconnect();
    },
  };
}
