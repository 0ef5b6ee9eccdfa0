export { AvroSerde, createSchemaRegistry, subjectFor } from './avro-serde';
export { AvroTopicProducer, type AvroTopicProducerOptions } from './avro-topic';
export type { ConsumedRecord } from './consumed-record';
export { ensureTopics, TopicCatalogueError, type TopicChange } from './ensure-topics';
export { groupCommit } from './group-commit';
export {
  createDurableProducer,
  type DurableProducer,
  largestRecordFor,
  type OutgoingRecord,
  ProduceRefusedError,
  RecordTooLargeError,
} from './idempotent-producer';
export { createKafkaClient, type KafkaClient } from './kafka-client';
export { kafkaErrorMessage } from './kafka-errors';
export {
  type KafkaSecurityConfig,
  kafkaSecurityEnv,
  kafkaSecurityFromEnv,
  kafkaSecurityOf,
} from './kafka-security';
export { runLaneConsumer } from './lane-consumer';
export {
  allReady,
  type BatchContext,
  type LaneConsumerOptions,
  type LaneLogger,
  type PreparedBatch,
  type RunningConsumer,
  type StagedBatch,
} from './lane-options';
export { partitionFor } from './partitioner';
export { readToEnd } from './read-to-end';
export { readWindow } from './read-window';
export { copyOfRecord, copyRoomIn } from './record-copy';
export type { TopicAdmin } from './topic-admin';
export type { TopicSpec } from './topic-spec';
