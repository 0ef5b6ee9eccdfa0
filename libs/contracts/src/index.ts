export { applyCatalogue, registerCatalogueSchemas } from './apply-catalogue';
export { eventTypeSpec, eventTypes } from './event-types';
export type {
  AttemptRecord,
  DeliveryTask,
  InvalidWmsEvent,
  QuarantinedRecord,
  WebhookChange,
  WmsEvent,
} from './messages';
export {
  catalogueEntries,
  catalogueSchema,
  maxMessageBytes,
  type TopicNames,
  topicCatalogue,
  topicNames,
} from './topic-catalogue';
export { topicReplicationEnv, topicReplicationFromEnv, topicReplicationOf } from './topic-replication';
