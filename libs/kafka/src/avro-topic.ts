import type { AvroSerde } from './avro-serde';
import type { DurableProducer, OutgoingRecord, RecordHeaders } from './idempotent-producer';

export interface TypedRecord<T> {
  key: string | Buffer | null;
  value: T;
  headers?: RecordHeaders;
}

export interface AvroTopicProducerOptions {
  /**
   * Takes the encoded records too large for the topic, so the rest are sent and the caller's stream goes
   * on. Without it, a send holding one throws RecordTooLargeError and produces nothing.
   */
  divertOversize?: (topic: string, records: OutgoingRecord[]) => Promise<void>;
}

/** Produces values of one type to one topic, Avro-encoded with the topic's registered schema. */
export class AvroTopicProducer<T> {
  constructor(
    private readonly producer: DurableProducer,
    private readonly serde: AvroSerde,
    readonly topic: string,
    private readonly options: AvroTopicProducerOptions = {},
  ) {}

  /** Every record is encoded before any is produced, so a registry failure produces nothing. */
  async send(records: TypedRecord<T>[]): Promise<void> {
    const encoded: OutgoingRecord[] = await Promise.all(
      records.map(async (record) => ({
        key: record.key,
        value: await this.serde.encode(this.topic, record.value),
        headers: record.headers,
      })),
    );
    const { divertOversize } = this.options;
    if (!divertOversize) return this.producer.send(this.topic, encoded);
    const fitting: OutgoingRecord[] = [];
    const oversize: OutgoingRecord[] = [];
    for (const record of encoded) (this.producer.fits(this.topic, record) ? fitting : oversize).push(record);
    await Promise.all([
      fitting.length > 0 ? this.producer.send(this.topic, fitting) : undefined,
      oversize.length > 0 ? divertOversize(this.topic, oversize) : undefined,
    ]);
  }
}
