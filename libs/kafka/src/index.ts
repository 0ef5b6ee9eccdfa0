export {
  type AvroSchema,
  AvroSerde,
  createSchemaRegistry,
  SchemaNotRegisteredError,
  subjectFor,
} from './avro-serde';
export { AvroTopicProducer, type AvroTopicProducerOptions, type TypedRecord } from './avro-topic';
export type { ConsumedRecord } from './consumed-record';
export { ensureTopics, TopicCatalogueError, type TopicChange } from './ensure-topics';
export { groupCommit } from './group-commit';
export {
  createDurableProducer,
  type DurableProducer,
  type DurableProducerOptions,
  largestRecordFor,
  type OutgoingRecord,
  ProduceRefusedError,
  type RecordHeaders,
  RecordTooLargeError,
} from './idempotent-producer';
export { createKafkaClient, type KafkaClient, type KafkaClientOptions } from './kafka-client';
export { kafkaErrorMessage } from './kafka-errors';
export {
  type KafkaSecurity,
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
export { copyOfRecord, copyRoomIn, type RecordCopy } from './record-copy';
export type { CommittedOffset, NewTopic, PartitionOffsets, TopicAdmin } from './topic-admin';
export { type CleanupPolicy, type TopicSpec, topicConfigEntries } from './topic-spec';
