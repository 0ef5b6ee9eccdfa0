import kafkajs, { type IHeaders, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';

const { Partitioners } = kafkajs;

export interface OutgoingRecord {
  key: string | Buffer | null;
  value: Buffer;
  headers?: IHeaders;
}

export interface DurableProducer {
  /** Resolves once every record is acknowledged by all in-sync replicas. */
  send(topic: string, records: OutgoingRecord[]): Promise<RecordMetadata[]>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  readonly raw: Producer;
}

/**
 * An idempotent producer with acks=all: a retried send cannot duplicate or reorder records within a
 * partition, which the per-webhook ordering relies on. One request in flight keeps kafkajs's ordering
 * guarantee simple; throughput comes from batching records per send.
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
  return {
    raw: producer,
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    send: (topic, records) => producer.send({ topic, acks: -1, messages: records }),
  };
}
