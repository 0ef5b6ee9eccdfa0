import kafkajs, { type IHeaders, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import { groupCommit } from './group-commit';

const { Partitioners } = kafkajs;

export interface OutgoingRecord {
  key: string | Buffer | null;
  value: Buffer;
  headers?: IHeaders;
}

export interface DurableProducer {
  /** Resolves once every record is acknowledged by all in-sync replicas. */
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  readonly raw: Producer;
}

interface TopicRecord {
  topic: string;
  record: OutgoingRecord;
}

/** What a request carries when sends are grouped: below the broker's default 1 MB per record batch. */
const maxGroupedBytes = 512 * 1024;

function recordBytes({ record }: TopicRecord): number {
  return record.value.length + (record.key?.length ?? 0);
}

function byTopic(entries: TopicRecord[]): TopicMessages[] {
  const topics = new Map<string, OutgoingRecord[]>();
  for (const { topic, record } of entries) {
    const records = topics.get(topic);
    if (records) records.push(record);
    else topics.set(topic, [record]);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * An idempotent producer with acks=all: a retried send cannot duplicate or reorder records within a
 * partition, which the per-webhook ordering relies on. One request in flight keeps kafkajs's ordering
 * guarantee simple; throughput comes from batching records per send.
 *
 * Concurrent sends share requests: while one is in flight, the sends that arrive meanwhile go out
 * together as the next, up to 512 KB (a single larger send still goes alone). Twelve partition
 * lanes that each forward a few records after a fetch make two produce requests instead of twelve, served
 * one after another; records keep their order within a partition because sends keep their call order.
 * A grouped request the broker refuses is sent again caller by caller, so one bad send fails alone.
 *
 * Retries are unbounded, as the idempotent protocol requires: while the cluster is unreachable a send
 * waits rather than drops, and the caller's consumer stops committing, the back-pressure at-least-once
 * needs. The partitioner is the Java client's murmur2, so a key lands on the same partition whichever
 * client wrote it.
 */
export function createDurableProducer(kafka: Kafka): DurableProducer {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5_000 },
  });
  const sendGrouped = groupCommit<TopicRecord>(
    async (entries) => void (await producer.sendBatch({ acks: -1, topicMessages: byTopic(entries) })),
    {
      maxWeight: maxGroupedBytes,
      weigh: recordBytes,
      // Retriable errors are retried inside kafkajs without end, so what reaches here is a refusal.
      retryAloneOnFailure: true,
    },
  );
  return {
    raw: producer,
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    send: (topic, records) => sendGrouped(records.map((record) => ({ topic, record }))),
  };
}
