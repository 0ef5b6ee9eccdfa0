export {
  type AvroSchema,
  AvroSerde,
  createSchemaRegistry,
  SchemaNotRegisteredError,
  subjectFor,
} from './avro-serde';
export { type AvroConsumerOptions, AvroTopicProducer, runAvroConsumer, type TypedRecord } from './avro-topic';
export { ensureTopics, TopicCatalogueError, type TopicChange } from './ensure-topics';
export { groupCommit } from './group-commit';
export { createDurableProducer, type DurableProducer, type OutgoingRecord } from './idempotent-producer';
export { createKafkaClient, type KafkaClientOptions } from './kafka-client';
export { type CleanupPolicy, type TopicSpec, topicConfigEntries } from './topic-spec';
