import type { QuarantinedRecord } from '@wms-webhooks/contracts';
import { InvalidInputError } from '@wms-webhooks/errors';
import {
  type AvroSerde,
  AvroTopicProducer,
  type ConsumedRecord,
  copyOfRecord,
  copyRoomIn,
  type DurableProducer,
  type OutgoingRecord,
} from '@wms-webhooks/kafka';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from './logger';

/**
 * Where a service files what it can never process, so the partition moves on and nothing is lost:
 * webhooks.quarantine, with the reason, the service and where the record came from.
 */
export interface Quarantine {
  /** Files a consumed record; resolves once the entry is durable. */
  consumed(record: ConsumedRecord, error: InvalidInputError): Promise<void>;
  /** Files encoded records refused before they were produced, being too large for `topic`. */
  oversize(topic: string, records: OutgoingRecord[]): Promise<void>;
  /**
   * Files encoded records, as they would be on `topic`, that can never be processed as they are; they
   * are re-injected to `topic` once the cause is fixed.
   */
  unprocessable(topic: string, records: OutgoingRecord[], error: InvalidInputError): Promise<void>;
  /**
   * Decodes a consumed value; one that can never decode is filed and undefined is returned. A transient
   * failure (the registry down) throws, so the record is tried again.
   */
  decode<T>(record: ConsumedRecord): Promise<T | undefined>;
}

export interface QuarantineDeps {
  service: string;
  topic: string;
  /** Every topic's max.message.bytes: the quarantine's own bounds its copies, another's names it in a reason. */
  maxMessageBytesOf: (topic: string) => number | undefined;
  producer: DurableProducer;
  serde: AvroSerde;
  metrics: Registry;
  logger: Logger;
  now?: () => number;
}

const maxReasonLength = 2_000;

export function createQuarantine(deps: QuarantineDeps): Quarantine {
  const now = deps.now ?? Date.now;
  const entries = new AvroTopicProducer<QuarantinedRecord>(deps.producer, deps.serde, deps.topic);
  const room = copyRoomIn(deps.maxMessageBytesOf(deps.topic) as number);
  const quarantined = new Counter({
    name: 'wms_webhooks_quarantined_records_total',
    help: 'Records filed in webhooks.quarantine because they can never be processed as they are, by reason.',
    labelNames: ['reason'],
    registers: [deps.metrics],
  });

  const file = async (items: Array<{ key: Buffer | string | null; entry: QuarantinedRecord }>) => {
    await entries.send(items.map(({ key, entry }) => ({ key, value: entry })));
    for (const { entry } of items) {
      quarantined.inc({ reason: entry.errorCode });
      deps.logger.warn(
        {
          reason: entry.reason,
          errorCode: entry.errorCode,
          sourceTopic: entry.sourceTopic,
          sourcePartition: entry.sourcePartition,
          sourceOffset: entry.sourceOffset,
          size: entry.originalSize,
          truncated: entry.truncated,
        },
        'record quarantined',
      );
    }
  };

  const consumed: Quarantine['consumed'] = (record, error) =>
    file([
      {
        key: record.key,
        entry: {
          reason: error.message.slice(0, maxReasonLength),
          errorCode: error.code,
          service: deps.service,
          sourceTopic: record.topic,
          sourcePartition: record.partition,
          sourceOffset: Number(record.offset),
          sourceTimestamp: Number(record.timestamp),
          ...copyOfRecord(record, room),
          quarantinedAt: now(),
        },
      },
    ]);

  /** Entries for records that were never on a partition: they name the topic they were meant for. */
  const notProduced = (
    topic: string,
    records: OutgoingRecord[],
    describe: (copy: { originalSize: number }) => { reason: string; errorCode: string },
  ) =>
    file(
      records.map((record) => {
        const copy = copyOfRecord(record, room);
        const { reason, errorCode } = describe(copy);
        return {
          key: record.key,
          entry: {
            reason: reason.slice(0, maxReasonLength),
            errorCode,
            service: deps.service,
            sourceTopic: topic,
            sourcePartition: -1,
            sourceOffset: -1,
            sourceTimestamp: now(),
            ...copy,
            quarantinedAt: now(),
          },
        };
      }),
    );

  return {
    consumed,
    oversize: (topic, records) =>
      notProduced(topic, records, ({ originalSize }) => ({
        reason: `a record of ${originalSize} bytes for ${topic} exceeds its max.message.bytes of ${deps.maxMessageBytesOf(topic) ?? 'unknown'}`,
        errorCode: 'too-large',
      })),
    unprocessable: (topic, records, error) =>
      notProduced(topic, records, () => ({ reason: error.message, errorCode: error.code })),
    decode: async <T>(record: ConsumedRecord) => {
      try {
        return await deps.serde.decode<T>(record.value);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        await consumed(record, error);
        return undefined;
      }
    },
  };
}
