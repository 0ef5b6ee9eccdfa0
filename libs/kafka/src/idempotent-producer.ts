import type { IHeaders, Kafka, Producer, RecordMetadata } from 'kafkajs';

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
 */
export function createDurableProducer(kafka: Kafka): DurableProducer {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  return {
    raw: producer,
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    send: (topic, records) => producer.send({ topic, acks: -1, messages: records }),
  };
}
