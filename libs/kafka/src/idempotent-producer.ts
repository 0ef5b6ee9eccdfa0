import { ProduceAcks, Producer } from '@platformatic/kafka';
import { InvalidInputError } from '@wms-webhooks/errors';
import { groupCommit } from './group-commit';
import type { KafkaClient } from './kafka-client';
import { isRetriableKafkaError, kafkaErrorMessage } from './kafka-errors';
import { partitionFor } from './partitioner';
import { retryDelayMs } from './retry-delay';

export type RecordHeaders = Record<string, Buffer | string>;

export interface OutgoingRecord {
  key: string | Buffer | null;
  value: Buffer;
  headers?: RecordHeaders;
  /** Chosen by the key's murmur2 hash when absent, as the Java client does. */
  partition?: number;
}

export interface DurableProducer {
  /**
   * Resolves once every record is acknowledged by all in-sync replicas. Throws RecordTooLargeError, having
   * produced nothing, when a record exceeds its topic's max.message.bytes.
   */
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  /** Whether the record fits its topic's max.message.bytes, so a caller can divert one that never will. */
  fits(topic: string, record: OutgoingRecord): boolean;
  /**
   * Resolves when a broker answers a metadata request, reconnecting if need be; rejects naming why not.
   * Connections open on first use, so this is what tells a producer that has sent nothing yet is ready.
   */
  reachable(): Promise<void>;
  close(): Promise<void>;
}

/** A send the broker refused for good (a record over the topic's max.message.bytes, for one). */
export class ProduceRefusedError extends Error {
  override readonly name = 'ProduceRefusedError';
}

/**
 * Records larger than their topic takes, found before anything of the send was produced. Permanent: the
 * same record never fits, so the caller files it away and sends the rest.
 */
export class RecordTooLargeError extends InvalidInputError {
  constructor(
    readonly topic: string,
    readonly tooLarge: ReadonlyArray<{ index: number; bytes: number }>,
    readonly limit: number,
  ) {
    super(
      'too-large',
      `${tooLarge.length} record(s) for ${topic} exceed its max.message.bytes of ${limit}: ${tooLarge
        .slice(0, 5)
        .map(({ index, bytes }) => `#${index} is ${bytes} bytes`)
        .join(', ')}`,
    );
  }
}

export interface DurableProducerOptions {
  /** Each topic's max.message.bytes; a record over it is refused before the send produces anything. */
  maxMessageBytes?: (topic: string) => number | undefined;
  /** The most one produce request carries; a larger send goes out in several, in order. */
  maxRequestBytes?: number;
  /** Told each time a send failed for a reason that can pass (a broker down, a leader moving) and waits. */
  onRetry?: (details: { err: string; attempt: number; retryInMs: number; records: number }) => void;
}

interface TopicRecord {
  topic: string;
  record: OutgoingRecord;
}

/** How often the client tries one request before the records it did not get written go out anew. */
const clientAttempts = 3;

const partitionKey = (topic: string, partition: number | undefined) => `${topic}\u0000${partition}`;

/** The partitions a failed send did get written: those of the requests the brokers acknowledged. */
function writtenPartitions(error: unknown): Set<string> {
  const offsets = (error as { produced?: { offsets?: Array<{ topic: string; partition: number }> } }).produced
    ?.offsets;
  return new Set((offsets ?? []).map(({ topic, partition }) => partitionKey(topic, partition)));
}

/** What a request carries: below the broker's default 1 MB per record batch, whatever the partitioning. */
const defaultMaxRequestBytes = 512 * 1024;

/** Kafka's record batch header, and a generous bound on one record's varints and attributes. */
const batchOverheadBytes = 61;
const recordOverheadBytes = 32;

/** What one record adds to a request: its bytes and the framing the broker counts against max.message.bytes. */
export function recordBytes(record: OutgoingRecord): number {
  let bytes = recordOverheadBytes + record.value.length + (record.key?.length ?? 0);
  for (const [name, value] of Object.entries(record.headers ?? {}))
    bytes += 10 + Buffer.byteLength(name) + value.length;
  return bytes;
}

/** The largest record, alone in its batch, that a topic with this max.message.bytes takes. */
export function largestRecordFor(maxMessageBytes: number): number {
  return maxMessageBytes - batchOverheadBytes;
}

/** Consecutive runs of items whose weight stays under the limit; an item heavier than it goes alone. */
function chunksOf<T>(items: readonly T[], weigh: (item: T) => number, limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let weight = 0;
  for (const item of items) {
    const itemWeight = weigh(item);
    if (current.length > 0 && weight + itemWeight > limit) {
      chunks.push(current);
      current = [];
      weight = 0;
    }
    current.push(item);
    weight += itemWeight;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function asBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/**
 * An idempotent producer with acks=all: a retried send cannot duplicate or reorder records within a
 * partition, which the per-webhook ordering relies on.
 *
 * Concurrent sends share requests: while one is in flight, the sends that arrive meanwhile go out
 * together as the next, up to 512 KB (a single larger send still goes alone). Partition lanes that each
 * forward a few records after a fetch make a few produce requests instead of one each; records keep their
 * order within a partition because sends keep their call order. A grouped request the broker refuses is
 * sent again caller by caller, so one bad send fails alone, as a ProduceRefusedError naming the reason.
 * After a refusal the client takes a new producer id, so the next record is never mistaken for a retry
 * of one the broker already holds.
 *
 * Retriable errors are retried without end: while the cluster is unreachable a send waits rather than
 * drops, and the caller's consumer stops committing, the back-pressure at-least-once needs. The client
 * tries a request a few times; then what the brokers have not acknowledged goes out as a new request,
 * grouped by the leaders of now. The client's own retries keep a request's partitions together and send
 * them all to the first one's leader: once a dead broker's partitions have moved to different leaders,
 * that request is refused without end (deliveries stalled until leadership moved back, 5 minutes after
 * a broker's SIGKILL). Each record's partition is chosen here, before it is sent, so the partitions whose
 * requests the brokers acknowledged are not sent again; a request that timed out after the broker wrote
 * it is (at least once, as everywhere in the pipeline).
 */
export function createDurableProducer(
  kafka: KafkaClient,
  options: DurableProducerOptions = {},
): DurableProducer {
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes;
  const weigh = ({ record }: TopicRecord) => recordBytes(record);
  const producer = new Producer({
    ...kafka.options('producer'),
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    retries: clientAttempts,
  });
  let unkeyed = 0;
  /** Each record with its partition: the one given, else the Java client's for its key, else the next in turn. */
  const placed = async (entries: TopicRecord[]): Promise<TopicRecord[]> => {
    if (entries.every(({ record }) => record.partition !== undefined)) return entries;
    const metadata = await producer.metadata({ topics: [...new Set(entries.map(({ topic }) => topic))] });
    return entries.map(({ topic, record }) => {
      if (record.partition !== undefined) return { topic, record };
      const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
      if (count === 0) throw new ProduceRefusedError(`${topic} has no partitions in the cluster's metadata`);
      const partition = record.key === null ? unkeyed++ % count : partitionFor(record.key, count);
      return { topic, record: { ...record, partition } };
    });
  };
  const request = (entries: TopicRecord[]) =>
    producer.send({
      messages: entries.map(({ topic, record }) => ({
        topic,
        key: record.key === null ? undefined : asBuffer(record.key),
        value: record.value,
        partition: record.partition,
        headers: new Map(
          Object.entries(record.headers ?? {}).map(([name, value]) => [Buffer.from(name), asBuffer(value)]),
        ),
      })),
    });
  const produce = async (entries: TopicRecord[]) => {
    let pending = entries;
    for (let attempt = 1; ; attempt++) {
      try {
        pending = await placed(pending);
        await request(pending);
        return;
      } catch (error) {
        if (error instanceof ProduceRefusedError) throw error;
        if (!isRetriableKafkaError(error))
          throw new ProduceRefusedError(kafkaErrorMessage(error), { cause: error });
        const written = writtenPartitions(error);
        pending = pending.filter(({ topic, record }) => !written.has(partitionKey(topic, record.partition)));
        if (pending.length === 0) return;
        const retryInMs = retryDelayMs(attempt);
        options.onRetry?.({ err: kafkaErrorMessage(error), attempt, retryInMs, records: pending.length });
        await new Promise((resolveDelay) => setTimeout(resolveDelay, retryInMs));
      }
    }
  };
  // A send larger than a request goes out in several, one after another, so its order holds.
  const sendGrouped = groupCommit<TopicRecord>(
    async (entries) => {
      for (const chunk of chunksOf(entries, weigh, maxRequestBytes)) await produce(chunk);
    },
    { maxWeight: maxRequestBytes, weigh, retryAloneOnFailure: true },
  );
  const checkSizes = (topic: string, records: readonly OutgoingRecord[]) => {
    const limit = options.maxMessageBytes?.(topic);
    if (limit === undefined) return;
    const tooLarge = records.flatMap((record, index) => {
      const bytes = recordBytes(record);
      return bytes > largestRecordFor(limit) ? [{ index, bytes }] : [];
    });
    if (tooLarge.length > 0) throw new RecordTooLargeError(topic, tooLarge, limit);
  };
  return {
    send: async (topic, records) => {
      checkSizes(topic, records);
      await sendGrouped(records.map((record) => ({ topic, record })));
    },
    fits: (topic, record) => {
      const limit = options.maxMessageBytes?.(topic);
      return limit === undefined || recordBytes(record) <= largestRecordFor(limit);
    },
    reachable: async () => {
      try {
        await producer.metadata({ topics: [], forceUpdate: true, retries: 0 });
      } catch (error) {
        throw new Error(`Kafka is not reachable: ${kafkaErrorMessage(error)}`, { cause: error });
      }
    },
    close: () => producer.close(),
  };
}
