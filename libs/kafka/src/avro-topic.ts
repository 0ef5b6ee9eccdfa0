import type { Consumer, EachMessagePayload, IHeaders, Kafka } from 'kafkajs';
import type { AvroSerde } from './avro-serde';
import type { DurableProducer } from './idempotent-producer';

export interface TypedRecord<T> {
  key: string | Buffer | null;
  value: T;
  headers?: IHeaders;
}

/** Produces values of one type to one topic, Avro-encoded with the topic's registered schema. */
export class AvroTopicProducer<T> {
  constructor(
    private readonly producer: DurableProducer,
    private readonly serde: AvroSerde,
    readonly topic: string,
  ) {}

  async send(records: TypedRecord<T>[]) {
    const encoded = await Promise.all(
      records.map(async (record) => ({
        key: record.key,
        value: await this.serde.encode(this.topic, record.value),
        headers: record.headers,
      })),
    );
    return this.producer.send(this.topic, encoded);
  }
}

export interface AvroConsumerOptions<T> {
  groupId: string;
  topic: string;
  fromBeginning?: boolean;
  /** Runs once per record; the offset is committed only after it resolves. */
  handle: (value: T, context: EachMessagePayload) => Promise<void>;
}

/** Consumes one topic, decoding each record's value through the registry before handing it over. */
export async function runAvroConsumer<T>(
  kafka: Kafka,
  serde: AvroSerde,
  options: AvroConsumerOptions<T>,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? false });
  await consumer.run({
    eachMessage: async (payload) => {
      if (!payload.message.value) throw new Error(`${options.topic}: a record without a value`);
      await options.handle(await serde.decode<T>(payload.message.value), payload);
    },
  });
  return consumer;
}
