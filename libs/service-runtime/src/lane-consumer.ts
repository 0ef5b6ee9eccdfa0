import { errorMessage } from '@wms-webhooks/errors';
import { groupCommit } from '@wms-webhooks/kafka';
import type { Consumer, Kafka, KafkaMessage, TopicPartitionOffset } from 'kafkajs';
import type { Logger } from 'pino';
import { trackMembership } from './membership';

export interface BatchContext {
  topic: string;
  partition: number;
}

export interface RunningConsumer {
  consumer: Consumer;
  /** True from the first group join until the consumer crashes or stops. */
  isJoined(): boolean;
  stop(): Promise<void>;
}

/** What part of a batch can be worked on now: the records up to the first not yet due, and when that one is. */
export interface PreparedBatch<T> {
  ready: T[];
  /** Offset of the last ready record. */
  readyThrough?: string;
  /** Due time of the first record held back; its partition is paused until then. */
  holdUntil?: number;
}

/**
 * A batch handed over to be acted on, with the step that waits for the results and makes them durable.
 * The lane lets the partition's next batch start at once and runs `finish` meanwhile; the offset is
 * committed once it resolves. At most one batch per partition waits on its finish, so a slow receiver or
 * store holds the lane back.
 */
export interface StagedBatch {
  finish: () => Promise<void>;
}

export interface LaneConsumerOptions<T> {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  prepare: (messages: KafkaMessage[]) => Promise<PreparedBatch<T>>;
  /**
   * Processes one partition's ready records: resolves once their results are durable, or returns the
   * step that makes them durable (see StagedBatch).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that makes its results durable itself returns nothing.
  handle: (values: T[], context: BatchContext) => Promise<StagedBatch | void>;
  onHold?: (partition: number, waitMs: number) => void;
  partitionsConsumedConcurrently?: number;
  sessionTimeout?: number;
  /**
   * The fetch long-poll. A resumed partition joins the next fetch request only, so this bounds how long
   * it waits; but an idle consumer sends a fetch this often, and each costs the broker CPU.
   */
  fetchMaxWaitMs?: number;
  /** The fetch returns early once it holds this much; 1 returns as soon as anything arrives. */
  fetchMinBytes?: number;
  /** The most one partition's batch holds; kafkajs's default is 1 MB. */
  fetchMaxBytesPerPartition?: number;
  now?: () => number;
}

/** One commit per partition: the last offset queued for it, which is the furthest (commits keep order). */
export function latestPerPartition(offsets: TopicPartitionOffset[]): TopicPartitionOffset[] {
  const latest = new Map<string, TopicPartitionOffset>();
  for (const offset of offsets) latest.set(`${offset.topic}\u0000${offset.partition}`, offset);
  return [...latest.values()];
}

/** Every record is ready at once: the sender's case. */
export async function allReady(messages: KafkaMessage[]): Promise<PreparedBatch<KafkaMessage>> {
  return { ready: messages, readyThrough: messages.at(-1)?.offset };
}

/**
 * A consumer whose partitions never wait for each other. kafkajs fetches again only once every batch of
 * the previous fetch is handled, so one partition stuck behind a receiver that hangs until its timeout
 * would hold every partition. Here each batch's ready records go to their partition's lane and the
 * partition is paused; the fetch loop goes on with the others. Once the lane's work is durable its offset
 * is resolved and committed (a crash re-delivers rather than loses) and the partition resumed, at once
 * or, when a record is not yet due, at its due time. Nothing sleeps inside kafkajs's loop, so heartbeats
 * and rebalances go on; a hold is derived from the record, so a new owner holds it the same way.
 */
export async function runLaneConsumer<T>(options: LaneConsumerOptions<T>): Promise<RunningConsumer> {
  const now = options.now ?? Date.now;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: options.sessionTimeout ?? 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: options.fetchMaxWaitMs ?? 25,
    minBytes: options.fetchMinBytes ?? 1,
    maxBytesPerPartition: options.fetchMaxBytesPerPartition ?? 1_048_576,
  });
  const isJoined = trackMembership(consumer, options.logger, options.groupId);
  // Lanes that finish together share one OffsetCommit request instead of one each.
  const commitOffsets = groupCommit<TopicPartitionOffset>((offsets) =>
    consumer.commitOffsets(latestPerPartition(offsets)),
  );
  const busy = new Map<number, Promise<void>>();
  /** Per partition, the staged batch still finishing: its finish, then its commit. False if it never will. */
  const finishing = new Map<number, Promise<boolean>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  const resumeAt = (partition: number, at: number | undefined, resume: () => void) => {
    const waitMs = at === undefined ? 0 : Math.max(0, at - now());
    if (waitMs === 0) return resume();
    options.onHold?.(partition, waitMs);
    const timer = setTimeout(() => {
      timers.delete(timer);
      busy.delete(partition);
      if (!stopping) resume();
    }, waitMs);
    timers.add(timer);
    busy.set(partition, Promise.resolve());
  };

  /** Runs a step until it succeeds; undefined if the consumer stops first. */
  const untilDone = async <R>(step: () => Promise<R>, context: BatchContext, what: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return { value: await step() };
      } catch (error) {
        // While stopping, leave the batch uncommitted: whoever owns the partition next re-delivers it.
        if (stopping) return undefined;
        const backoffMs = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
        options.logger.warn(
          { err: errorMessage(error), attempt, backoffMs, ...context },
          `${what}; retrying`,
        );
        await new Promise((resolveDelay) => setTimeout(resolveDelay, backoffMs));
      }
    }
  };

  /** Offsets are committed in order: after the partition's previous staged batch, and after `durable`. */
  const commitAfter = (partition: number, durable: () => Promise<boolean>, commit: () => Promise<void>) => {
    const previous = finishing.get(partition) ?? Promise.resolve(true);
    const chain = previous.then(async (previousDone) => {
      const done = previousDone && (await durable());
      if (done) await commit();
      return done;
    });
    finishing.set(partition, chain);
    void chain.finally(() => {
      if (finishing.get(partition) === chain) finishing.delete(partition);
    });
    return { previous, chain };
  };

  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    // Offsets are committed here, each once its batch is durable; kafkajs's own commits would take the
    // fetch position, which runs ahead of what is durable while a staged batch finishes.
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 12,
    eachBatch: async ({ batch, resolveOffset, pause }) => {
      // Fetched before its partition was paused (or unpaused by a rebalance): left alone and paused
      // again; the lane or the hold timer resumes it and the records are fetched anew.
      if (busy.has(batch.partition)) {
        pause();
        return;
      }
      if (batch.messages.length === 0 || stopping) return;
      const context = { topic: batch.topic, partition: batch.partition };
      const prepared = await options.prepare(batch.messages);
      const resume = pause();
      if (prepared.ready.length === 0 || prepared.readyThrough === undefined) {
        resumeAt(batch.partition, prepared.holdUntil, resume);
        return;
      }
      const readyThrough = prepared.readyThrough;
      const commit = async () => {
        const next = (BigInt(readyThrough) + 1n).toString();
        await commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]).catch(
          (error: unknown) =>
            options.logger.warn(
              { err: errorMessage(error), ...context },
              'commit failed; the next owner re-delivers',
            ),
        );
      };
      const lane = untilDone(() => options.handle(prepared.ready, context), context, 'batch failed')
        .then(async (handled) => {
          // Moves the fetch position only: with autoCommit off, nothing is committed before `commit`.
          if (handled) resolveOffset(readyThrough);
          const staged = handled?.value;
          const durable = staged
            ? async () => (await untilDone(staged.finish, context, 'finishing a batch failed')) !== undefined
            : async () => handled !== undefined;
          const { previous, chain } = commitAfter(batch.partition, durable, commit);
          // A staged batch finishes while the next one is handled; only one may be outstanding.
          await (staged ? previous : chain);
        })
        .finally(() => {
          busy.delete(batch.partition);
          if (!stopping) resumeAt(batch.partition, prepared.holdUntil, resume);
        });
      busy.set(batch.partition, lane);
    },
  });
  return {
    consumer,
    isJoined,
    stop: async () => {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      consumer.pause([{ topic: options.topic }]);
      await Promise.allSettled(busy.values());
      await Promise.allSettled(finishing.values());
      await consumer.disconnect();
    },
  };
}
