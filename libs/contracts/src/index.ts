export { applyCatalogue, type CatalogueReport, registerCatalogueSchemas } from './apply-catalogue';
export { type EventTypeSpec, eventTypeSpec, eventTypes } from './event-types';
export type {
  AttemptRecord,
  DeliveryTask,
  InvalidWmsEvent,
  QuarantinedRecord,
  WebhookChange,
  WmsEvent,
} from './messages';
export {
  type CatalogueEntry,
  catalogueEntries,
  catalogueSchema,
  maxMessageBytes,
  type TopicKey,
  type TopicNames,
  type TopicReplication,
  topicCatalogue,
  topicNames,
} from './topic-catalogue';
export { topicReplicationEnv, topicReplicationFromEnv, topicReplicationOf } from './topic-replication';
