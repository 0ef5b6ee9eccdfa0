import { errorMessage } from '@wms-webhooks/errors';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { BatchContext, RunningConsumer } from './batch-consumer';
import { trackMembership } from './membership';

export interface LaneConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  /** Processes one partition's batch; resolves once its results are durable. */
  handle: (messages: KafkaMessage[], context: BatchContext) => Promise<void>;
  partitionsConsumedConcurrently?: number;
  sessionTimeout?: number;
}

/**
 * A consumer whose partitions do not wait for each other. kafkajs fetches again only once every batch of
 * the previous fetch is handled, so one partition stuck behind a receiver that hangs until its timeout
 * would hold every partition. Here each batch is handed to its partition's lane and the partition paused;
 * the fetch loop goes on with the others. When the lane's work is durable its offset is resolved and
 * committed and the partition resumed, so a crash still re-delivers rather than loses.
 */
export async function runLaneConsumer(options: LaneConsumerOptions): Promise<RunningConsumer> {
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: options.sessionTimeout ?? 30_000,
    heartbeatInterval: 3_000,
    // A resumed partition joins the next fetch request; a short long-poll keeps that wait small
    // (an idle sender then sends ~40 small fetches a second, which the broker does not notice).
    maxWaitTimeInMs: 25,
  });
  const isJoined = trackMembership(consumer, options.logger, options.groupId);
  const lanes = new Map<number, Promise<void>>();
  let stopping = false;

  const work = async (messages: KafkaMessage[], context: BatchContext) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await options.handle(messages, context);
        return true;
      } catch (error) {
        // While stopping, leave the batch uncommitted: whoever owns the partition next re-delivers it.
        if (stopping) return false;
        const backoffMs = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
        options.logger.warn(
          { err: errorMessage(error), attempt, backoffMs, ...context },
          'batch failed; retrying',
        );
        await new Promise((resolveDelay) => setTimeout(resolveDelay, backoffMs));
      }
    }
  };

  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 12,
    eachBatch: async ({ batch, resolveOffset, pause }) => {
      // Fetched before its partition was paused: left alone, fetched again once the lane resumes it.
      if (lanes.has(batch.partition)) {
        pause();
        return;
      }
      const last = batch.messages.at(-1);
      if (!last || stopping) return;
      const context = { topic: batch.topic, partition: batch.partition };
      const resume = pause();
      const lane = work(batch.messages, context)
        .then(async (done) => {
          if (!done) return;
          resolveOffset(last.offset);
          const next = (BigInt(last.offset) + 1n).toString();
          await consumer
            .commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
            .catch((error: unknown) =>
              options.logger.warn(
                { err: errorMessage(error), ...context },
                'commit failed; the next owner re-delivers',
              ),
            );
        })
        .finally(() => {
          lanes.delete(batch.partition);
          if (!stopping) resume();
        });
      lanes.set(batch.partition, lane);
    },
  });
  return {
    consumer,
    isJoined,
    stop: async () => {
      stopping = true;
      consumer.pause([{ topic: options.topic }]);
      await Promise.allSettled(lanes.values());
      await consumer.disconnect();
    },
  };
}
