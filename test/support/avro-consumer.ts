import {
  type AvroSerde,
  allReady,
  type ConsumedRecord,
  type KafkaClient,
  type LaneLogger,
  type RunningConsumer,
  runLaneConsumer,
} from '@wms-webhooks/kafka';

export interface AvroConsumerOptions<T> {
  groupId: string;
  topic: string;
  logger: LaneLogger;
  /** Where a group without commits starts: the topic's first record, or (the default) its end. */
  startAt?: 'earliest' | 'latest';
  /** Runs once per record, in order within a partition; the offset is committed after it resolves. */
  handle: (value: T, record: ConsumedRecord) => Promise<void>;
}

/** Consumes one topic, decoding each record's value through the registry: the tests' reader of a topic. */
export function runAvroConsumer<T>(
  kafka: KafkaClient,
  serde: AvroSerde,
  options: AvroConsumerOptions<T>,
): Promise<RunningConsumer> {
  return runLaneConsumer<ConsumedRecord>({
    kafka,
    groupId: options.groupId,
    topic: options.topic,
    logger: options.logger,
    startAt: options.startAt ?? 'latest',
    prepare: allReady,
    handle: async (records) => {
      for (const record of records) {
        if (!record.value) throw new Error(`${options.topic}: a record without a value`);
        await options.handle(await serde.decode<T>(record.value), record);
      }
    },
  });
}
