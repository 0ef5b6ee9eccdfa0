import type { ConsumedRecord } from './consumed-record';
import type { KafkaClient } from './kafka-client';

export interface LaneLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface BatchContext {
  topic: string;
  partition: number;
}

export interface RunningConsumer {
  /** True from the first group join until the consumer stops. */
  isJoined(): boolean;
  stop(): Promise<void>;
}

/** What part of a batch can be worked on now: the records up to the first not yet due, and when that one is. */
export interface PreparedBatch<T> {
  ready: T[];
  /** Offset of the last ready record. */
  readyThrough?: string;
  /** Due time of the first record held back; its partition is not fetched again until then. */
  holdUntil?: number;
}

/**
 * A batch handed over to be acted on, with the step that waits for the results and makes them durable.
 * The lane starts the partition's next batch at once and runs `finish` meanwhile; the offset goes in the
 * consumer's next commit once it resolves. At most one batch per partition waits on its finish, so a slow
 * receiver or store holds the lane back.
 */
export interface StagedBatch {
  finish: () => Promise<void>;
}

export interface LaneConsumerOptions<T> {
  kafka: KafkaClient;
  groupId: string;
  topic: string;
  logger: LaneLogger;
  prepare: (records: ConsumedRecord[]) => Promise<PreparedBatch<T>>;
  /**
   * Processes one partition's ready records: resolves once their results are durable, or returns the
   * step that makes them durable (see StagedBatch).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that makes its results durable itself returns nothing.
  handle: (values: T[], context: BatchContext) => Promise<StagedBatch | void>;
  onHold?: (partition: number, waitMs: number) => void;
  /**
   * A partition's position moved past offsets that hold no record to hand over (a transaction's marker,
   * compacted-away records), to the offset given; handed-over records say where they are themselves.
   */
  onSteppedOver?: (partition: number, nextOffset: bigint) => void;
  /**
   * Whether the group commits what it has made durable (the default). A reader that keeps no position,
   * such as a cache that reads a compacted topic whole on every start, commits nothing.
   */
  commit?: boolean;
  /**
   * Where a partition without a committed offset starts: its first record (the default), its end, or the
   * offset given for it (its first record where none is given).
   */
  startAt?: 'earliest' | 'latest' | { offsets: ReadonlyMap<number, bigint> };
  /**
   * The least time between two offset commits (`KAFKA_COMMIT_INTERVAL_MS`): the lanes' offsets wait and go
   * in one request. 0, the default, commits as soon as no commit is in flight.
   */
  commitIntervalMs?: number;
  /** The most partitions whose batches are handled at once. */
  partitionsConsumedConcurrently?: number;
  sessionTimeout?: number;
  /**
   * The fetch long-poll while a partition is not in a fetch: a partition whose lane frees up joins the
   * next fetch request only, so this bounds how long it waits. A fetch that returns at the first record
   * waits longer while every partition is in one; a fetch that would wait it out (under load, or traffic
   * too thin to end one soon) is put off while a partition works on a batch it took a moment ago
   * (fetch-pace.ts, lane-fetch-loop.ts).
   */
  fetchMaxWaitMs?: number;
  /**
   * Under load, a fetch returns early once it holds this much; 1 returns as soon as anything arrives. A
   * leader whose traffic would not bring this much within the wait is fetched from with 1 (fetch-pace.ts).
   */
  fetchMinBytes?: number;
  /** The most one partition's batch holds. */
  fetchMaxBytesPerPartition?: number;
  now?: () => number;
}

/** Every record is ready at once: the sender's case. */
export async function allReady(records: ConsumedRecord[]): Promise<PreparedBatch<ConsumedRecord>> {
  return { ready: records, readyThrough: records.at(-1)?.offset };
}
