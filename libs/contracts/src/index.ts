export { applyCatalogue, registerCatalogueSchemas } from './apply-catalogue';
export {
  asyncApiDocument,
  catalogueVersion,
  deliveryEnvelope,
  type EventCatalogueEntry,
  eventCatalogue,
} from './catalogue-documents';
export { type EventTypeSpec, eventTypeSpec, eventTypes } from './event-types';
export { publishedJsonSchema } from './json-schema';
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
