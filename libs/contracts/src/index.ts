export { applyCatalogue, type CatalogueReport, registerCatalogueSchemas } from './apply-catalogue';
export { type EventTypeSpec, eventTypeSpec, eventTypes } from './event-types';
export type { AttemptRecord, DeliveryTask, InvalidWmsEvent, WebhookChange, WmsEvent } from './messages';
export {
  type CatalogueEntry,
  catalogueEntries,
  catalogueSchema,
  type TopicKey,
  type TopicNames,
  topicCatalogue,
  topicNames,
} from './topic-catalogue';
