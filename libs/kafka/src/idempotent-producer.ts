import { ProduceAcks, Producer } from '@platformatic/kafka';
import { groupCommit } from './group-commit';
import type { KafkaClient } from './kafka-client';
import { kafkaErrorMessage } from './kafka-errors';
import { javaCompatiblePartitioner } from './partitioner';

export type RecordHeaders = Record<string, Buffer | string>;

export interface OutgoingRecord {
  key: string | Buffer | null;
  value: Buffer;
  headers?: RecordHeaders;
  /** Chosen by the key's murmur2 hash when absent, as the Java client does. */
  partition?: number;
}

export interface DurableProducer {
  /** Resolves once every record is acknowledged by all in-sync replicas. */
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
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

interface TopicRecord {
  topic: string;
  record: OutgoingRecord;
}

/** What a request carries when sends are grouped: below the broker's default 1 MB per record batch. */
const maxGroupedBytes = 512 * 1024;

function recordBytes({ record }: TopicRecord): number {
  return record.value.length + (record.key?.length ?? 0);
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
 * Retriable errors are retried without end, as the idempotent protocol requires: while the cluster is
 * unreachable a send waits rather than drops, and the caller's consumer stops committing, the
 * back-pressure at-least-once needs.
 */
export function createDurableProducer(kafka: KafkaClient): DurableProducer {
  const producer = new Producer({
    ...kafka.options('producer'),
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    retries: true,
    partitioner: javaCompatiblePartitioner(),
  });
  const sendGrouped = groupCommit<TopicRecord>(
    async (entries) => {
      try {
        await producer.send({
          messages: entries.map(({ topic, record }) => ({
            topic,
            key: record.key === null ? undefined : asBuffer(record.key),
            value: record.value,
            partition: record.partition,
            headers: new Map(
              Object.entries(record.headers ?? {}).map(([name, value]) => [
                Buffer.from(name),
                asBuffer(value),
              ]),
            ),
          })),
        });
      } catch (error) {
        throw new ProduceRefusedError(kafkaErrorMessage(error), { cause: error });
      }
    },
    { maxWeight: maxGroupedBytes, weigh: recordBytes, retryAloneOnFailure: true },
  );
  return {
    send: (topic, records) => sendGrouped(records.map((record) => ({ topic, record }))),
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
