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
  topicCatalogue,
  topicNames,
} from './topic-catalogue';
